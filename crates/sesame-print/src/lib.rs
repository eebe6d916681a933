//! Sésame's badge printing: from plain badge data and editable templates to PDF.
//!
//! - [`render_pdf`] / [`write_pdf`]: the badges, laid out for a card printer, N-up
//!   A4 sheets (duplex backs mirrored) or day passes.
//! - [`render_calibration_pdf`]: the page an operator prints to measure a printer's
//!   offset, stored in a [`PrinterProfile`].
//! - [`TemplateSet`]: the templates (TOML, see TEMPLATES.md).
//!
//! Photos are embedded as their original JPEG bytes. No Tauri, no database here.

mod calibration;
mod card;
mod codes;
mod dates;
mod dispatch_list;
mod draw;
mod error;
mod font;
mod jpeg;
mod layout;
mod model;
mod pdf;
mod pdf_file;
pub mod samples;
mod template;
mod textfit;

use std::io::Write;

pub use calibration::render_calibration_pdf;
pub use dates::{format_date, DateStyle};
pub use dispatch_list::{
    render_dispatch_list, DispatchList, DispatchListRow, DISPATCH_ROWS_PER_PAGE,
};
pub use error::PrintError;
pub use model::{
    BadgeCard, DayPassLayout, DayPassPaper, Layout, Locale, PrinterProfile, SheetLayout,
    A4_HEIGHT_MM, A4_WIDTH_MM, A6_HEIGHT_MM, A6_WIDTH_MM, CARD_HEIGHT_MM, CARD_WIDTH_MM,
};
pub use template::{
    check_office_logo, check_template_image, write_default_templates, Align, Categories, Colour,
    Condition, DesignElement, DesignHeader, ElementType, Field, FontFamily, LocalText, Office,
    Orientation, Template, TemplateDesign, TemplateKind, TemplateSet, VAlign, DEFAULT_OFFICE_NAME,
    MAX_TEMPLATE_BYTES, MAX_TEMPLATE_IMAGE_BYTES, MAX_TEMPLATE_IMAGE_PIXELS, OFFICE_LOGO_FILE,
};

use card::{draw_side, PreparedCard, SideContext};
use model::Side;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    None,
    CounterClockwise,
    Clockwise,
}
use draw::{PageDraw, Placement, Resources};

/// Renders the badges as one PDF, in memory.
pub fn render_pdf(
    cards: &[BadgeCard],
    templates: &TemplateSet,
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
) -> Result<Vec<u8>, PrintError> {
    // Reserve about what the PDF will weigh, so the buffer does not double past it.
    let photos: usize = cards
        .iter()
        .filter_map(|c| c.photo_jpeg.as_ref().map(|p| p.len()))
        .sum();
    let mut out = Vec::with_capacity(photos + photos / 16 + 64 * 1024);
    write_pdf(cards, templates, layout, printer, locale, &mut out)?;
    Ok(out)
}

/// Renders the badges as one PDF into `out` (a file, say). Nothing is written
/// unless every badge could be laid out.
pub fn write_pdf<W: Write>(
    cards: &[BadgeCard],
    templates: &TemplateSet,
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
    out: &mut W,
) -> Result<(), PrintError> {
    if cards.is_empty() {
        return Err(PrintError::NoCards);
    }
    let kind = match layout {
        Layout::DayPass(_) => TemplateKind::DayPass,
        _ => TemplateKind::Card,
    };
    let prepared = cards
        .iter()
        .map(|card| {
            let template =
                templates
                    .find(&card.category, kind)
                    .ok_or_else(|| PrintError::NoTemplate {
                        category: card.category.clone(),
                        kind: kind.as_str(),
                        badge_number: card.badge_number.clone(),
                    })?;
            Ok((PreparedCard::new(card)?, template.clone()))
        })
        .collect::<Result<Vec<_>, PrintError>>()?;
    let with_backs = prepared.iter().any(|(_, t)| t.has_back());
    let plans = layout::plan_pages(layout, prepared.len(), with_backs)?;

    let mut resources = Resources::default();
    let mut pages = Vec::with_capacity(plans.len());
    for plan in plans {
        let (dx, dy) = printer.offset(plan.side);
        let mut items = Vec::new();
        for slot in &plan.slots {
            let (card, template) = &prepared[slot.card];
            // A day pass template is scaled to fit its paper, centred.
            let (scale, left, top) = match layout {
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
            let turn = match (template.orientation, layout, plan.side) {
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
            let placement = Placement {
                left_mm: 0.0,
                top_mm: 0.0,
                scale,
                page_height_mm: design_h,
            };
            let mut ctx = SideContext {
                locale,
                resources: &mut resources,
            };
            let mut side_items = Vec::new();
            draw_side(
                card,
                template,
                plan.side,
                &placement,
                &mut ctx,
                &mut side_items,
            )?;
            items.push(draw::Item::Group {
                matrix: matrix.map(|v| v as f32),
                items: side_items,
            });
        }
        if let Some(grid) = &plan.crop_grid {
            items.extend(layout::crop_marks(grid, plan.height_mm, dx, dy));
        }
        pages.push(PageDraw {
            width_mm: plan.width_mm,
            height_mm: plan.height_mm,
            items,
        });
    }
    pdf::write_pdf("Sésame badges", pages, &resources, out)
}
