//! Draws one side of one badge from its template onto a page's display list.

use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::codes::{code128_modules, datamatrix_modules, pdf417_modules, qr_modules};
use crate::dates::{format_date, DateStyle};
use crate::draw::{ImageRef, Item, Placement, RectPt, Resources};
use crate::error::PrintError;
use crate::font::FaceKind;
use crate::jpeg::{read_jpeg_info, JpegInfo, JpegProblem};
use crate::model::{BadgeCard, Locale, Side};
use crate::template::{
    Align, Colour, Element, Field, ImageAsset, Symbology, Template, TextElement, TextSource, VAlign,
};
use crate::textfit::{block_height, fit_text, LINE_SPACING};

const PHOTO_PLACEHOLDER: Colour = Colour::Rgb(0.90, 0.91, 0.92);
const PHOTO_SILHOUETTE: Colour = Colour::Rgb(0.75, 0.77, 0.79);

/// A card's texts normalised to NFC (so accents are precomposed glyphs, which is
/// what the font draws without a shaper) and its photo checked.
pub(crate) struct PreparedCard<'a> {
    pub card: &'a BadgeCard,
    family_name: String,
    given_names: String,
    role: String,
    organisation: String,
    host: String,
    badge_number: String,
    photo: Option<(Arc<[u8]>, JpegInfo)>,
}

fn nfc(text: &str) -> String {
    text.trim().nfc().collect()
}

impl<'a> PreparedCard<'a> {
    pub fn new(card: &'a BadgeCard) -> Result<Self, PrintError> {
        let photo = match &card.photo_jpeg {
            Some(bytes) => {
                let info = read_jpeg_info(bytes).map_err(|problem| match problem {
                    JpegProblem::NotJpeg | JpegProblem::Truncated => PrintError::PhotoNotJpeg {
                        badge_number: card.badge_number.clone(),
                        message: problem.to_string(),
                    },
                    JpegProblem::Unsupported(message) => PrintError::PhotoUnsupported {
                        badge_number: card.badge_number.clone(),
                        message,
                    },
                })?;
                Some((bytes.clone(), info))
            }
            None => None,
        };
        Ok(Self {
            card,
            family_name: nfc(&card.family_name),
            given_names: nfc(&card.given_names),
            role: card.role.as_deref().map(nfc).unwrap_or_default(),
            organisation: card.organisation.as_deref().map(nfc).unwrap_or_default(),
            host: card.host.as_deref().map(nfc).unwrap_or_default(),
            badge_number: nfc(&card.badge_number),
            photo,
        })
    }

    /// What a conditional element compares: the category's key (not its printed
    /// label), each zone, else the field as the French side of the card prints it.
    pub fn condition_values(&self, field: Field, template: &Template) -> Vec<String> {
        match field {
            Field::Category => vec![self.card.category.clone()],
            Field::Zones => self.card.zones.clone(),
            _ => vec![self.field(field, template, Locale::Fr, DateStyle::Short)],
        }
    }

    pub fn field(
        &self,
        field: Field,
        template: &Template,
        locale: Locale,
        style: DateStyle,
    ) -> String {
        let date = |d| format_date(d, locale, style);
        match field {
            Field::FamilyName => self.family_name.clone(),
            Field::GivenNames => self.given_names.clone(),
            Field::FullName => format!("{} {}", self.given_names, self.family_name)
                .trim()
                .to_string(),
            Field::Role => self.role.clone(),
            Field::Organisation => self.organisation.clone(),
            Field::Host => self.host.clone(),
            Field::Zones => self
                .card
                .zones
                .iter()
                .map(|z| nfc(z))
                .collect::<Vec<_>>()
                .join(", "),
            Field::Category => template.label(&self.card.category, locale),
            Field::OfficeName => template.office_name.clone(),
            Field::BadgeNumber => self.badge_number.clone(),
            Field::ValidFrom => date(self.card.valid_from),
            Field::ValidUntil => date(self.card.valid_until),
            Field::Validity => format!(
                "{} – {}",
                date(self.card.valid_from),
                date(self.card.valid_until)
            ),
        }
    }
}

pub(crate) struct SideContext<'r> {
    pub locale: Locale,
    pub resources: &'r mut Resources,
}

pub(crate) fn draw_side(
    card: &PreparedCard,
    template: &Arc<Template>,
    side: Side,
    at: &Placement,
    ctx: &mut SideContext,
    out: &mut Vec<Item>,
) -> Result<(), PrintError> {
    let template_index = ctx.resources.template(template);
    let elements = match side {
        Side::Front => &template.front,
        Side::Back => &template.back,
    };
    for placed in elements {
        if let Some(condition) = &placed.when {
            if !condition.holds_for(&card.condition_values(condition.field, template)) {
                continue;
            }
        }
        match &placed.element {
            Element::Rect {
                frame,
                colour,
                corner_radius,
            } => out.push(filled(
                at.rect(frame),
                at.length_pt(*corner_radius),
                *colour,
            )),
            Element::Photo {
                frame,
                corner_radius,
                border,
            } => {
                let mut rect = at.rect(frame);
                let mut radius = at.length_pt(*corner_radius);
                // The frame is the box's edge; the photo fills what is inside it.
                if let Some((width, colour)) = border {
                    out.push(filled(rect, radius, *colour));
                    let inset = at.length_pt(*width);
                    rect = [
                        rect[0] + inset,
                        rect[1] + inset,
                        rect[2] - 2.0 * inset,
                        rect[3] - 2.0 * inset,
                    ];
                    radius = (radius - inset).max(0.0);
                }
                match &card.photo {
                    Some((bytes, info)) => {
                        let index = ctx.resources.photo(bytes, *info);
                        out.push(Item::Image {
                            image: ImageRef::Photo(index),
                            rect: cover(rect, info.width, info.height),
                            clip: Some((rect, radius)),
                        });
                    }
                    None => photo_placeholder(rect, radius, out),
                }
            }
            Element::Text(text) => draw_text(card, template, text, at, ctx.locale, out)?,
            Element::Code { frame, .. } if card.card.watermark.is_some() => {
                code_placeholder(at.rect(frame), out);
            }
            Element::Code {
                symbology,
                frame,
                content,
                colour,
            } => {
                let value = content
                    .fields
                    .iter()
                    .map(|f| card.field(*f, template, ctx.locale, DateStyle::Short))
                    .collect::<Vec<_>>()
                    .join(&content.separator);
                let rect = at.rect(frame);
                let failed = |message| {
                    let badge_number = card.card.badge_number.clone();
                    let value = value.clone();
                    match symbology {
                        Symbology::Qr => PrintError::QrEncoding {
                            badge_number,
                            value,
                            message,
                        },
                        Symbology::Code128 | Symbology::DataMatrix | Symbology::Pdf417 => {
                            PrintError::BarcodeEncoding {
                                badge_number,
                                value,
                                message,
                            }
                        }
                    }
                };
                let grid = match symbology {
                    Symbology::Qr => qr_modules(&value, rect),
                    Symbology::Code128 => code128_modules(&value, rect),
                    Symbology::DataMatrix => datamatrix_modules(&value, rect),
                    Symbology::Pdf417 => pdf417_modules(&value, rect),
                }
                .map_err(failed)?;
                out.push(filled(rect, 0.0, Colour::WHITE));
                out.push(Item::FillModules {
                    grid,
                    colour: *colour,
                });
            }
            Element::Image { frame, asset } => {
                let (w, h) = match &template.images[*asset] {
                    ImageAsset::Jpeg { info, .. } => (info.width, info.height),
                    ImageAsset::Pixels { width, height, .. } => (*width, *height),
                };
                out.push(Item::Image {
                    image: ImageRef::Asset {
                        template: template_index,
                        index: *asset,
                    },
                    rect: contain(at.rect(frame), w, h),
                    clip: None,
                });
            }
        }
    }
    if let Some(text) = &card.card.watermark {
        draw_watermark(card, text, template, at, out)?;
    }
    Ok(())
}

const WATERMARK_COLOUR: Colour = Colour::Rgb(0.85, 0.05, 0.05);

/// `text` in large red capitals along the side's rising diagonal, over everything
/// else, so that no print of it passes for a badge.
fn draw_watermark(
    card: &PreparedCard,
    text: &str,
    template: &Template,
    at: &Placement,
    out: &mut Vec<Item>,
) -> Result<(), PrintError> {
    let text: String = text.trim().to_uppercase().nfc().collect();
    if text.is_empty() {
        return Ok(());
    }
    let face = FaceKind::Bold;
    let metrics = face.metrics();
    if let Some(c) = metrics.first_missing(&text) {
        return Err(PrintError::UnsupportedCharacter {
            badge_number: card.card.badge_number.clone(),
            character: c,
            code: c as u32,
            text,
        });
    }
    let (width, height) = (
        at.length_pt(template.width_mm),
        at.length_pt(template.height_mm),
    );
    let diagonal = width.hypot(height);
    // Across most of the diagonal, but never taller than a third of the card.
    let size = (0.8 * diagonal / metrics.width(&text, 1.0)).min(height / 3.0);
    let (sin, cos) = height.atan2(width).sin_cos();
    out.push(Item::Group {
        matrix: [cos, sin, -sin, cos, width / 2.0, height / 2.0],
        items: vec![Item::Text {
            face,
            size,
            x: -metrics.width(&text, size) / 2.0,
            baseline: -metrics.ascent * size / 2.0,
            hscale: 1.0,
            colour: WATERMARK_COLOUR,
            text,
        }],
    });
    Ok(())
}

/// Where a QR code or barcode would be: a grey box crossed out, encoding nothing.
fn code_placeholder(rect: RectPt, out: &mut Vec<Item>) {
    let [x, y, w, h] = rect;
    out.push(filled(rect, 0.0, PHOTO_PLACEHOLDER));
    out.push(Item::StrokeLines {
        lines: vec![[x, y, x + w, y + h], [x, y + h, x + w, y]],
        width: 0.5,
        colour: PHOTO_SILHOUETTE,
    });
}

fn filled(rect: RectPt, radius: f32, colour: Colour) -> Item {
    if radius > 0.0 {
        Item::FillRoundedRect {
            rect,
            radius,
            colour,
        }
    } else {
        Item::FillRects {
            rects: vec![rect],
            colour,
        }
    }
}

/// Scales the image to cover the box (the clip crops the overflow), centred.
fn cover(rect: RectPt, width: u32, height: u32) -> RectPt {
    let scale = (rect[2] / width as f32).max(rect[3] / height as f32);
    let (w, h) = (width as f32 * scale, height as f32 * scale);
    [
        rect[0] + (rect[2] - w) / 2.0,
        rect[1] + (rect[3] - h) / 2.0,
        w,
        h,
    ]
}

/// Scales the image to fit inside the box, centred.
fn contain(rect: RectPt, width: u32, height: u32) -> RectPt {
    let scale = (rect[2] / width as f32).min(rect[3] / height as f32);
    let (w, h) = (width as f32 * scale, height as f32 * scale);
    [
        rect[0] + (rect[2] - w) / 2.0,
        rect[1] + (rect[3] - h) / 2.0,
        w,
        h,
    ]
}

/// A grey box with a head-and-shoulders outline where a photo is missing.
fn photo_placeholder(rect: RectPt, radius: f32, out: &mut Vec<Item>) {
    let [x, y, w, h] = rect;
    out.push(filled(rect, radius, PHOTO_PLACEHOLDER));
    let head = w.min(h) * 0.42;
    out.push(Item::FillRoundedRect {
        rect: [x + (w - head) / 2.0, y + h * 0.42, head, head],
        radius: head / 2.0,
        colour: PHOTO_SILHOUETTE,
    });
    let body_w = w * 0.72;
    out.push(Item::FillRoundedRect {
        rect: [x + (w - body_w) / 2.0, y, body_w, h * 0.36],
        radius: (body_w * 0.3).min(h * 0.18),
        colour: PHOTO_SILHOUETTE,
    });
}

fn draw_text(
    card: &PreparedCard,
    template: &Template,
    text: &TextElement,
    at: &Placement,
    locale: Locale,
    out: &mut Vec<Item>,
) -> Result<(), PrintError> {
    let value = match &text.source {
        TextSource::Field(field) => card.field(*field, template, locale, text.date_style),
        TextSource::Fixed(fixed) => nfc(fixed.get(locale)),
    };
    if value.is_empty() {
        // An absent role or host leaves its line blank, prefix included.
        return Ok(());
    }
    let mut value = match &text.prefix {
        Some(prefix) => format!("{}{value}", prefix.get(locale).nfc().collect::<String>()),
        None => value,
    };
    if text.uppercase {
        value = value.to_uppercase().nfc().collect();
    }
    let face = FaceKind::of(text.font, text.bold);
    let metrics = face.metrics();
    if let Some(c) = metrics.first_missing(&value) {
        return Err(PrintError::UnsupportedCharacter {
            badge_number: card.card.badge_number.clone(),
            character: c,
            code: c as u32,
            text: value,
        });
    }
    let rect = at.rect(&text.frame);
    let fitted = fit_text(
        &value,
        metrics,
        rect[2],
        rect[3],
        at.font_pt(text.font_size),
        at.font_pt(text.min_font_size),
        text.max_lines,
    );
    let size = fitted.size;
    let block = block_height(metrics, fitted.lines.len(), size);
    let top = rect[1] + rect[3];
    let slack = (rect[3] - block).max(0.0);
    let offset = match text.valign {
        VAlign::Top => 0.0,
        VAlign::Middle => slack / 2.0,
        VAlign::Bottom => slack,
    };
    for (i, line) in fitted.lines.into_iter().enumerate() {
        let width = metrics.width(&line, size) * fitted.hscale;
        let x = match text.align {
            Align::Left => rect[0],
            Align::Center => rect[0] + (rect[2] - width) / 2.0,
            Align::Right => rect[0] + rect[2] - width,
        };
        let baseline = top - offset - metrics.ascent * size - i as f32 * LINE_SPACING * size;
        out.push(Item::Text {
            face,
            size,
            x,
            baseline,
            hscale: fitted.hscale,
            colour: text.colour,
            text: line,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TemplateSet;
    use chrono::NaiveDate;

    fn extreme_card() -> BadgeCard {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        BadgeCard {
            badge_number: "B-2026-999999".into(),
            family_name: "Œuvray-Lefèvre de la Roche-Guyon-Wolfeschlegelsteinhausenbergerdorff"
                .into(),
            given_names: "Éloïse Marie-Thérèse Anne-Sophie Nguyễn Thị Minh Khai".into(),
            role: Some(
                "Responsable adjointe de la coordination des systèmes d’information régionaux"
                    .into(),
            ),
            organisation: Some(
                "Établissement public d’aménagement et de développement durable".into(),
            ),
            category: "visitor".into(),
            valid_from: date,
            valid_until: date,
            host: Some("Jean-Baptiste Ægir Þórsson-Żółć".into()),
            zones: vec!["Bât A".into(), "Parking".into()],
            photo_jpeg: None,
            watermark: None,
        }
    }

    /// Every text of every shipped template stays inside its box, even for names
    /// far longer than any real one.
    #[test]
    fn texts_never_leave_their_boxes() {
        let card = extreme_card();
        let prepared = PreparedCard::new(&card).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let portrait_text = std::fs::read_to_string(dir.join("extra/staff-portrait.toml")).unwrap();
        let portrait =
            TemplateSet::parse_one("staff-portrait.toml", &portrait_text, Some(&dir)).unwrap();
        let builtin = TemplateSet::builtin();
        for template in builtin.templates().chain([&portrait]) {
            for placed in template.front.iter().chain(&template.back) {
                let Element::Text(text) = &placed.element else {
                    continue;
                };
                let at = Placement {
                    scale: 1.0,
                    frame_height_mm: template.height_mm,
                };
                let mut items = Vec::new();
                for locale in [Locale::Fr, Locale::En] {
                    draw_text(&prepared, template, text, &at, locale, &mut items).unwrap();
                }
                let [x, y, w, h] = at.rect(&text.frame);
                for item in items {
                    let Item::Text {
                        face,
                        size,
                        x: tx,
                        baseline,
                        hscale,
                        text: line,
                        ..
                    } = item
                    else {
                        panic!("only text expected")
                    };
                    let m = face.metrics();
                    let right = tx + m.width(&line, size) * hscale;
                    let (top, bottom) = (baseline + m.ascent * size, baseline - m.descent * size);
                    let slack = 0.01;
                    assert!(
                        tx >= x - slack
                            && right <= x + w + slack
                            && bottom >= y - slack
                            && top <= y + h + slack,
                        "{}: {line:?} at {size} pt leaves its box",
                        template.file
                    );
                }
            }
        }
    }

    /// A watermarked card shows its stamp on every side of every shipped template, and
    /// none of its codes; the stamp lies within the card.
    #[test]
    fn a_watermarked_card_is_stamped_and_encodes_nothing() {
        let mut card = extreme_card();
        card.watermark = Some("Aperçu / Preview".into());
        let prepared = PreparedCard::new(&card).unwrap();
        let plain = extreme_card();
        let plain = PreparedCard::new(&plain).unwrap();
        let builtin = TemplateSet::builtin();
        for listed in builtin.templates() {
            let template = builtin.find(&listed.category, listed.kind).unwrap();
            let at = Placement {
                scale: 1.0,
                frame_height_mm: template.height_mm,
            };
            let has_codes = template
                .front
                .iter()
                .chain(&template.back)
                .any(|p| matches!(p.element, Element::Code { .. }));
            let mut codes_drawn = false;
            for side in [Side::Front, Side::Back] {
                let draw = |card: &PreparedCard| {
                    let mut resources = Resources::default();
                    let mut ctx = SideContext {
                        locale: Locale::Fr,
                        resources: &mut resources,
                    };
                    let mut items = Vec::new();
                    draw_side(card, template, side, &at, &mut ctx, &mut items).unwrap();
                    items
                };
                codes_drawn |= draw(&plain)
                    .iter()
                    .any(|i| matches!(i, Item::FillModules { .. }));
                let items = draw(&prepared);
                assert!(
                    !items.iter().any(|i| matches!(i, Item::FillModules { .. })),
                    "{}: a code on a watermarked card",
                    template.file
                );
                let Some(Item::Group { items: stamp, .. }) = items.last() else {
                    panic!("{}: no stamp on top", template.file)
                };
                let [Item::Text {
                    face, size, text, ..
                }] = stamp.as_slice()
                else {
                    panic!("{}: the stamp is one text", template.file)
                };
                assert_eq!(text, "APERÇU / PREVIEW");
                let diagonal = at
                    .length_pt(template.width_mm)
                    .hypot(at.length_pt(template.height_mm));
                assert!(face.metrics().width(text, *size) < diagonal);
            }
            assert_eq!(codes_drawn, has_codes, "{}", template.file);
        }
    }
}
