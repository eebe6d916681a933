//! The dispatch list: the A4 sheet that goes with badges sent by internal mail or
//! handed over, one line per badge (holder, unit, badge number, date) with room for
//! the recipient's signature.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::DispatchMethod;
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::dates::{format_date, DateStyle};
use crate::draw::{Item, PageDraw, Resources, PT_PER_MM};
use crate::error::PrintError;
use crate::font::{FaceKind, FaceMetrics};
use crate::model::{Locale, A4_HEIGHT_MM, A4_WIDTH_MM};
use crate::template::Colour;

/// One badge on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchListRow {
    /// As it should read, e.g. "DUPONT Zoé".
    pub holder: String,
    pub unit: String,
    pub badge_number: String,
}

/// A dispatch run as its sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchList {
    /// The run's reference (its batch id), also in the audit log.
    pub reference: String,
    pub method: DispatchMethod,
    pub date: NaiveDate,
    /// Who dispatched.
    pub operator: String,
    pub rows: Vec<DispatchListRow>,
}

const MARGIN_MM: f64 = 15.0;
const TABLE_TOP_MM: f64 = 42.0;
const HEADER_ROW_MM: f64 = 8.0;
/// Tall enough to sign in.
const ROW_MM: f64 = 11.0;
const FOOTER_MM: f64 = 14.0;
/// Column widths in mm: holder, unit, badge number, date, signature (180 mm in all).
const COLUMNS_MM: [f64; 5] = [56.0, 46.0, 32.0, 22.0, 24.0];
const CELL_PAD_MM: f64 = 1.5;
const BODY_PT: f32 = 9.0;
const MIN_BODY_PT: f32 = 6.5;
const GRID: Colour = Colour::Rgb(0.35, 0.35, 0.35);
const HEADER_FILL: Colour = Colour::Rgb(0.9, 0.9, 0.9);

/// Rows that fit on one page.
pub const DISPATCH_ROWS_PER_PAGE: usize =
    ((A4_HEIGHT_MM - TABLE_TOP_MM - HEADER_ROW_MM - FOOTER_MM) / ROW_MM) as usize;

struct Words {
    title: &'static str,
    date: &'static str,
    operator: &'static str,
    reference: &'static str,
    count: fn(usize) -> String,
    headers: [&'static str; 5],
    page: fn(usize, usize) -> String,
}

fn words(locale: Locale, method: DispatchMethod) -> Words {
    match locale {
        Locale::Fr => Words {
            title: match method {
                DispatchMethod::InternalMail => "Bordereau d’envoi de badges — courrier interne",
                DispatchMethod::HandedOver => "Bordereau de remise de badges en main propre",
            },
            date: "Date",
            operator: "Agent",
            reference: "Réf.",
            count: |n| {
                if n == 1 {
                    "1 badge".to_owned()
                } else {
                    format!("{n} badges")
                }
            },
            headers: ["Titulaire", "Unité", "N° de badge", "Date", "Signature"],
            page: |p, n| format!("Page {p} / {n}"),
        },
        Locale::En => Words {
            title: match method {
                DispatchMethod::InternalMail => "Badge dispatch list — internal mail",
                DispatchMethod::HandedOver => "Badge hand-over list",
            },
            date: "Date",
            operator: "Operator",
            reference: "Ref.",
            count: |n| {
                if n == 1 {
                    "1 badge".to_owned()
                } else {
                    format!("{n} badges")
                }
            },
            headers: ["Holder", "Unit", "Badge no.", "Date", "Signature"],
            page: |p, n| format!("Page {p} of {n}"),
        },
    }
}

/// NFC (decomposed accents would print apart), one line, and a visible `?` for
/// characters the embedded font cannot draw: the sheet is always printable.
fn printable(text: &str, face: &FaceMetrics) -> String {
    text.nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .map(|c| {
            if c == ' ' || face.glyph(c).is_some() {
                c
            } else {
                '?'
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fits `text` in `width` points: smaller, then narrower, then cut with an ellipsis.
fn fit_cell(text: &str, face: &FaceMetrics, width: f32) -> (f32, f32, String) {
    let natural = face.width(text, BODY_PT);
    if natural <= width {
        return (BODY_PT, 1.0, text.to_owned());
    }
    let size = (BODY_PT * width / natural).max(MIN_BODY_PT);
    let at_size = face.width(text, size);
    if at_size <= width {
        return (size, 1.0, text.to_owned());
    }
    let hscale = (width / at_size).max(0.8);
    if at_size * hscale <= width {
        return (size, hscale, text.to_owned());
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && face.width(&format!("{cut}…"), size) * hscale > width {
        cut.pop();
    }
    (size, hscale, format!("{}…", cut.trim_end()))
}

fn text(face: FaceKind, size: f32, hscale: f32, x: f32, baseline: f32, text: String) -> Item {
    Item::Text {
        face,
        size,
        x,
        baseline,
        hscale,
        colour: Colour::BLACK,
        text,
    }
}

/// Points from the page's bottom for `mm` from its top.
fn y_pt(mm: f64) -> f32 {
    ((A4_HEIGHT_MM - mm) * PT_PER_MM) as f32
}

fn x_pt(mm: f64) -> f32 {
    (mm * PT_PER_MM) as f32
}

/// Renders the dispatch list as an A4 PDF, as many pages as the rows need.
pub fn render_dispatch_list(list: &DispatchList, locale: Locale) -> Result<Vec<u8>, PrintError> {
    if list.rows.is_empty() {
        return Err(PrintError::NoCards);
    }
    let w = words(locale, list.method);
    let regular = FaceKind::Regular.metrics();
    let bold = FaceKind::Bold.metrics();
    let date = format_date(list.date, locale, DateStyle::Short);
    let chunks: Vec<&[DispatchListRow]> = list.rows.chunks(DISPATCH_ROWS_PER_PAGE).collect();
    let page_count = chunks.len();
    let table_width: f64 = COLUMNS_MM.iter().sum();
    let column_left = |i: usize| MARGIN_MM + COLUMNS_MM[..i].iter().sum::<f64>();
    let mut pages = Vec::with_capacity(page_count);
    for (page_index, rows) in chunks.into_iter().enumerate() {
        let mut items = Vec::new();
        let title = printable(w.title, bold);
        let (size, hscale, title) = {
            let width = x_pt(table_width);
            let natural = bold.width(&title, 14.0);
            let size = if natural > width {
                14.0 * width / natural
            } else {
                14.0
            };
            (size, 1.0, title)
        };
        items.push(text(
            FaceKind::Bold,
            size,
            hscale,
            x_pt(MARGIN_MM),
            y_pt(22.0),
            title,
        ));
        let facts = printable(
            &format!(
                "{} : {date}   ·   {} : {}   ·   {}   ·   {} {}",
                w.date,
                w.operator,
                list.operator,
                (w.count)(list.rows.len()),
                w.reference,
                list.reference
            ),
            regular,
        );
        let facts = if locale == Locale::En {
            facts.replace(" : ", ": ")
        } else {
            facts
        };
        let (size, hscale, facts) = fit_cell(&facts, regular, x_pt(table_width));
        items.push(text(
            FaceKind::Regular,
            size,
            hscale,
            x_pt(MARGIN_MM),
            y_pt(30.0),
            facts,
        ));

        // Header band, then the grid: outer frame, column rules, row rules.
        let rows_mm = HEADER_ROW_MM + ROW_MM * rows.len() as f64;
        let bottom_mm = TABLE_TOP_MM + rows_mm;
        items.push(Item::FillRects {
            rects: vec![[
                x_pt(MARGIN_MM),
                y_pt(TABLE_TOP_MM + HEADER_ROW_MM),
                x_pt(table_width),
                (HEADER_ROW_MM * PT_PER_MM) as f32,
            ]],
            colour: HEADER_FILL,
        });
        let mut lines = Vec::new();
        for i in 0..=COLUMNS_MM.len() {
            let x = x_pt(column_left(i));
            lines.push([x, y_pt(TABLE_TOP_MM), x, y_pt(bottom_mm)]);
        }
        let mut y = TABLE_TOP_MM;
        for r in 0..=rows.len() + 1 {
            lines.push([
                x_pt(MARGIN_MM),
                y_pt(y),
                x_pt(MARGIN_MM + table_width),
                y_pt(y),
            ]);
            y += if r == 0 { HEADER_ROW_MM } else { ROW_MM };
        }
        items.push(Item::StrokeLines {
            lines,
            width: 0.5,
            colour: GRID,
        });
        for (i, header) in w.headers.iter().enumerate() {
            let width = x_pt(COLUMNS_MM[i] - 2.0 * CELL_PAD_MM);
            let (size, hscale, header) = fit_cell(&printable(header, bold), bold, width);
            let baseline = y_pt(TABLE_TOP_MM + HEADER_ROW_MM / 2.0) - size * 0.35;
            items.push(text(
                FaceKind::Bold,
                size,
                hscale,
                x_pt(column_left(i) + CELL_PAD_MM),
                baseline,
                header,
            ));
        }
        for (r, row) in rows.iter().enumerate() {
            let top = TABLE_TOP_MM + HEADER_ROW_MM + ROW_MM * r as f64;
            let cells = [
                (FaceKind::Bold, row.holder.as_str()),
                (FaceKind::Regular, row.unit.as_str()),
                (FaceKind::Regular, row.badge_number.as_str()),
                (FaceKind::Regular, date.as_str()),
            ];
            for (i, (face, value)) in cells.into_iter().enumerate() {
                let metrics = face.metrics();
                let width = x_pt(COLUMNS_MM[i] - 2.0 * CELL_PAD_MM);
                let (size, hscale, value) = fit_cell(&printable(value, metrics), metrics, width);
                if value.is_empty() {
                    continue;
                }
                let baseline = y_pt(top + ROW_MM / 2.0) - size * 0.35;
                items.push(text(
                    face,
                    size,
                    hscale,
                    x_pt(column_left(i) + CELL_PAD_MM),
                    baseline,
                    value,
                ));
            }
        }
        let page = (w.page)(page_index + 1, page_count);
        let page_width = regular.width(&page, 8.0);
        items.push(text(
            FaceKind::Regular,
            8.0,
            1.0,
            x_pt(MARGIN_MM + table_width) - page_width,
            y_pt(A4_HEIGHT_MM - 8.0),
            page,
        ));
        pages.push(PageDraw {
            width_mm: A4_WIDTH_MM,
            height_mm: A4_HEIGHT_MM,
            items,
        });
    }
    let title = match list.method {
        DispatchMethod::InternalMail => "Sésame dispatch list (internal mail)",
        DispatchMethod::HandedOver => "Sésame hand-over list",
    };
    let mut out = Vec::new();
    crate::pdf::write_pdf(title, pages, &Resources::default(), &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_shrinks_then_is_cut() {
        let face = FaceKind::Regular.metrics();
        let (size, hscale, text) = fit_cell("Unité", face, 100.0);
        assert_eq!((size, hscale, text.as_str()), (BODY_PT, 1.0, "Unité"));
        let long = "Laboratoire de physique des particules et de cosmologie";
        let (size, hscale, text) = fit_cell(long, face, 100.0);
        assert!(size >= MIN_BODY_PT && hscale >= 0.8);
        assert!(text.ends_with('…'), "{text}");
        assert!(face.width(&text, size) * hscale <= 100.0);
    }

    #[test]
    fn text_is_composed_and_undrawable_characters_are_marked() {
        let face = FaceKind::Regular.metrics();
        assert_eq!(printable("Zoe\u{301}\tLi  李", face), "Zoé Li ?");
    }

    #[test]
    fn a_page_holds_a_readable_number_of_rows() {
        assert!(
            (18..=24).contains(&DISPATCH_ROWS_PER_PAGE),
            "{DISPATCH_ROWS_PER_PAGE}"
        );
    }
}
