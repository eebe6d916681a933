//! The badges' PDF, written as the cards come: each page goes to the output as soon
//! as its cards are in, and a card (its photo with it) is let go once the last page
//! showing it is written. A print run thus holds one sheet's cards at a time,
//! however many it prints.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

use crate::card::{draw_side, PreparedCard, SideContext};
use crate::draw::{self, Item, PageDraw, Placement, Resources};
use crate::error::PrintError;
use crate::layout::{self, PagePlan};
use crate::model::{BadgeCard, Layout, Locale, PrinterProfile, Side};
use crate::pdf::PdfWriter;
use crate::template::{Orientation, Template, TemplateKind, TemplateSet};

/// Writes the badges of a print run, card after card, into a PDF.
pub struct BadgeWriter<'t, W: Write> {
    templates: &'t TemplateSet,
    layout: &'t Layout,
    printer: &'t PrinterProfile,
    locale: Locale,
    kind: TemplateKind,
    plans: Vec<PagePlan>,
    /// The first card each page from this one on shows: cards before it are done.
    first_card_from: Vec<usize>,
    next_plan: usize,
    /// The cards received that a page still to write shows; the first is card `first`.
    cards: VecDeque<(BadgeCard, Arc<Template>)>,
    first: usize,
    expected: usize,
    resources: Resources,
    pdf: PdfWriter<W>,
}

/// What a finished PDF is: its pages, its size, and the output given back.
pub struct Written<W> {
    pub pages: u32,
    pub bytes: u64,
    pub out: W,
}

impl<'t, W: Write> BadgeWriter<'t, W> {
    /// Starts the PDF of a run whose cards will be of `categories`, in that order
    /// (one entry a card): how many pages there are and whether they have backs
    /// depends on all of them, before the first card is drawn.
    pub fn start<'c>(
        categories: impl IntoIterator<Item = &'c str>,
        templates: &'t TemplateSet,
        layout: &'t Layout,
        printer: &'t PrinterProfile,
        locale: Locale,
        out: W,
    ) -> Result<Self, PrintError> {
        let kind = match layout {
            Layout::DayPass(_) => TemplateKind::DayPass,
            _ => TemplateKind::Card,
        };
        let mut expected = 0;
        let mut with_backs = false;
        for category in categories {
            expected += 1;
            with_backs |= templates.find(category, kind).is_some_and(|t| t.has_back());
        }
        if expected == 0 {
            return Err(PrintError::NoCards);
        }
        let plans = layout::plan_pages(layout, expected, with_backs)?;
        let first_card_from = first_cards(&plans, expected);
        Ok(Self {
            templates,
            layout,
            printer,
            locale,
            kind,
            plans,
            first_card_from,
            next_plan: 0,
            cards: VecDeque::new(),
            first: 0,
            expected,
            resources: Resources::default(),
            pdf: PdfWriter::start("Sésame badges", out)?,
        })
    }

    /// How many pages the PDF will have.
    pub fn page_count(&self) -> u32 {
        self.plans.len() as u32
    }

    /// How many cards the PDF still expects.
    pub fn cards_expected(&self) -> usize {
        self.expected - self.first - self.cards.len()
    }

    /// Writes only the first `pages` pages (at least one): a preview of a long run
    /// shows its first sheets, and needs only the cards they show
    /// ([`BadgeWriter::cards_expected`] says how many). Called before any card.
    pub fn first_pages_only(mut self, pages: usize) -> Result<Self, PrintError> {
        if self.first + self.cards.len() > 0 {
            return Err(PrintError::InvalidLayout(
                "the pages to write are chosen before the first card".into(),
            ));
        }
        self.plans.truncate(pages.max(1));
        self.expected = self
            .plans
            .iter()
            .flat_map(|plan| plan.slots.iter().map(|slot| slot.card + 1))
            .max()
            .unwrap_or(0);
        self.first_card_from = first_cards(&self.plans, self.expected);
        Ok(self)
    }

    /// Whether `card` could be drawn, without drawing it into the PDF: what a preview
    /// of a long run checks for the cards beyond its pages (a template for its
    /// category, a JPEG photo, characters the fonts have, codes that hold their value),
    /// so the print run does not stop on them later.
    pub fn check(&self, card: &BadgeCard) -> Result<(), PrintError> {
        let template = self.template_of(card)?;
        let prepared = PreparedCard::new(card)?;
        let mut scratch = Resources::default();
        // A blank back draws nothing.
        for side in [Side::Front, Side::Back] {
            draw_card_side(&prepared, template, side, 1.0, self.locale, &mut scratch)?;
        }
        Ok(())
    }

    fn template_of(&self, card: &BadgeCard) -> Result<&'t Arc<Template>, PrintError> {
        self.templates
            .find(&card.category, self.kind)
            .ok_or_else(|| PrintError::NoTemplate {
                category: card.category.clone(),
                kind: self.kind.as_str(),
                badge_number: card.badge_number.clone(),
            })
    }

    /// Adds the next card, and writes every page whose cards are all in.
    pub fn add(&mut self, card: BadgeCard) -> Result<(), PrintError> {
        let received = self.first + self.cards.len();
        if received == self.expected {
            return Err(PrintError::InvalidLayout(format!(
                "more cards than the {} announced",
                self.expected
            )));
        }
        let template = self.template_of(&card)?.clone();
        // A photo that is not a JPEG is refused as the card comes.
        PreparedCard::new(&card)?;
        self.cards.push_back((card, template));
        let received = received + 1;
        while let Some(plan) = self.plans.get(self.next_plan) {
            if plan.slots.iter().any(|slot| slot.card >= received) {
                break;
            }
            // A page's few slots, copied so drawing may register photos.
            let plan = plan.clone();
            let page = self.draw_page(&plan)?;
            self.pdf.page(&page, &self.resources)?;
            self.next_plan += 1;
            self.let_go_of_done_cards();
        }
        Ok(())
    }

    /// Writes what follows the last page.
    pub fn finish(self) -> Result<Written<W>, PrintError> {
        let received = self.first + self.cards.len();
        if received != self.expected {
            return Err(PrintError::InvalidLayout(format!(
                "{received} cards of the {} announced",
                self.expected
            )));
        }
        let (bytes, out) = self.pdf.finish()?;
        Ok(Written {
            pages: self.plans.len() as u32,
            bytes,
            out,
        })
    }

    fn let_go_of_done_cards(&mut self) {
        let needed_from = self.first_card_from[self.next_plan];
        while self.first < needed_from {
            let Some((card, _)) = self.cards.pop_front() else {
                break;
            };
            if let Some(photo) = &card.photo_jpeg {
                self.resources.forget_photo(photo);
            }
            self.first += 1;
        }
    }

    fn draw_page(&mut self, plan: &PagePlan) -> Result<PageDraw, PrintError> {
        let (dx, dy) = self.printer.offset(plan.side);
        let mut items = Vec::new();
        for slot in &plan.slots {
            let (card, template) = &self.cards[slot.card - self.first];
            let card = PreparedCard::new(card)?;
            // A day pass template is scaled to fit its paper, centred.
            let (scale, left, top) = match self.layout {
                Layout::DayPass(_) => {
                    let scale = (plan.width_mm / template.width_mm)
                        .min(plan.height_mm / template.height_mm);
                    (
                        scale,
                        (plan.width_mm - template.width_mm * scale) / 2.0,
                        (plan.height_mm - template.height_mm * scale) / 2.0,
                    )
                }
                _ => (1.0, slot.left_mm, slot.top_mm),
            };
            // The side is drawn in its own frame (origin at its bottom-left corner),
            // then placed on the page, turned a quarter if it is a portrait card.
            let (design_w, design_h) = (template.width_mm * scale, template.height_mm * scale);
            let turn = match (template.orientation, self.layout, plan.side) {
                (Orientation::Landscape, _, _) | (_, Layout::DayPass(_), _) => Turn::None,
                // Long-edge duplex brings the front's left edge to the back's right.
                (Orientation::Portrait, Layout::A4Sheet(_), Side::Back) => Turn::Clockwise,
                (Orientation::Portrait, _, _) => Turn::CounterClockwise,
            };
            let slot_h = if turn == Turn::None {
                design_h
            } else {
                design_w
            };
            let x = (left + dx) * draw::PT_PER_MM;
            let y = (plan.height_mm - (top + dy) - slot_h) * draw::PT_PER_MM;
            let (w, h) = (design_w * draw::PT_PER_MM, design_h * draw::PT_PER_MM);
            let matrix = match turn {
                Turn::None => [1.0, 0.0, 0.0, 1.0, x, y],
                // The design's top edge along the slot's left edge.
                Turn::CounterClockwise => [0.0, 1.0, -1.0, 0.0, x + h, y],
                // The design's top edge along the slot's right edge.
                Turn::Clockwise => [0.0, -1.0, 1.0, 0.0, x, y + w],
            };
            let side_items = draw_card_side(
                &card,
                template,
                plan.side,
                scale,
                self.locale,
                &mut self.resources,
            )?;
            items.push(Item::Group {
                matrix: matrix.map(|v| v as f32),
                items: side_items,
            });
        }
        if let Some(grid) = &plan.crop_grid {
            items.extend(layout::crop_marks(grid, plan.height_mm, dx, dy));
        }
        Ok(PageDraw {
            width_mm: plan.width_mm,
            height_mm: plan.height_mm,
            items,
        })
    }
}

/// One side of a card drawn in its own frame (origin at its bottom-left corner),
/// `scale` times its design's size.
fn draw_card_side(
    card: &PreparedCard,
    template: &Arc<Template>,
    side: Side,
    scale: f64,
    locale: Locale,
    resources: &mut Resources,
) -> Result<Vec<Item>, PrintError> {
    let placement = Placement {
        scale,
        frame_height_mm: template.height_mm * scale,
    };
    let mut ctx = SideContext { locale, resources };
    let mut items = Vec::new();
    draw_side(card, template, side, &placement, &mut ctx, &mut items)?;
    Ok(items)
}

/// For each page, the first card it or a later page shows (`expected` past the last).
fn first_cards(plans: &[PagePlan], expected: usize) -> Vec<usize> {
    let mut first_card_from = vec![expected; plans.len() + 1];
    for (i, plan) in plans.iter().enumerate().rev() {
        let first = plan.slots.iter().map(|s| s.card).min().unwrap_or(expected);
        first_card_from[i] = first.min(first_card_from[i + 1]);
    }
    first_card_from
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    None,
    CounterClockwise,
    Clockwise,
}
