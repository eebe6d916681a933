//! The calibration page: crosses at a known distance from the paper's edges. The
//! operator measures where they landed and stores the difference as the printer's
//! offset ([`PrinterProfile`]).

use crate::draw::{Item, PageDraw, Resources, PT_PER_MM};
use crate::error::PrintError;
use crate::font::FaceKind;
use crate::layout::{crop_marks, day_pass_page, Grid};
use crate::model::{
    Layout, Locale, PrinterProfile, Side, A4_HEIGHT_MM, A4_WIDTH_MM, CARD_HEIGHT_MM, CARD_WIDTH_MM,
};
use crate::template::Colour;
use crate::textfit::{fit_text, LINE_SPACING};

const GREY: Colour = Colour::Rgb(0.6, 0.6, 0.6);

/// A front page, and for duplex layouts (card printer, A4) a back page, showing
/// the current offset applied, so a second print checks the correction.
pub fn render_calibration_pdf(
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
) -> Result<Vec<u8>, PrintError> {
    let (width, height, reference) = match layout {
        Layout::CardPrinter => (CARD_WIDTH_MM, CARD_HEIGHT_MM, 8.0),
        Layout::A4Sheet(_) => (A4_WIDTH_MM, A4_HEIGHT_MM, 20.0),
        Layout::DayPass(d) => {
            let (w, h) = day_pass_page(d.paper)?;
            (w, h, 10.0)
        }
    };
    let sides: &[Side] = match layout {
        Layout::DayPass(_) => &[Side::Front],
        _ => &[Side::Front, Side::Back],
    };
    let mut pages = Vec::new();
    for side in sides {
        let (dx, dy) = printer.offset(*side);
        let mut items = Vec::new();
        // Page coordinates in mm from the top-left, shifted like everything printed.
        let to_pt = |x: f64, y: f64| {
            (
                ((x + dx) * PT_PER_MM) as f32,
                ((height - y - dy) * PT_PER_MM) as f32,
            )
        };
        if let Layout::A4Sheet(sheet) = layout {
            let grid = Grid::for_sheet(sheet)?;
            let mut outlines = Vec::new();
            for row in 0..grid.rows {
                for column in 0..grid.columns {
                    let (mut left, top) = grid.cell(column, row);
                    if *side == Side::Back {
                        left = A4_WIDTH_MM - left - CARD_WIDTH_MM;
                    }
                    let corners = [
                        (left, top),
                        (left + CARD_WIDTH_MM, top),
                        (left + CARD_WIDTH_MM, top + CARD_HEIGHT_MM),
                        (left, top + CARD_HEIGHT_MM),
                    ];
                    for i in 0..4 {
                        let (a, b) = (
                            to_pt(corners[i].0, corners[i].1),
                            to_pt(corners[(i + 1) % 4].0, corners[(i + 1) % 4].1),
                        );
                        outlines.push([a.0, a.1, b.0, b.1]);
                    }
                }
            }
            items.push(Item::StrokeLines {
                lines: outlines,
                width: 0.4,
                colour: GREY,
            });
            if *side == Side::Front && sheet.crop_marks {
                items.extend(crop_marks(&grid, height, dx, dy));
            }
        } else if let Layout::CardPrinter = layout {
            // The card's own edge, inset 1 mm: an even white border means no offset.
            let (l, t, r, b) = (1.0, 1.0, width - 1.0, height - 1.0);
            let corners = [(l, t), (r, t), (r, b), (l, b)];
            let lines = (0..4)
                .map(|i| {
                    let (a, b) = (
                        to_pt(corners[i].0, corners[i].1),
                        to_pt(corners[(i + 1) % 4].0, corners[(i + 1) % 4].1),
                    );
                    [a.0, a.1, b.0, b.1]
                })
                .collect();
            items.push(Item::StrokeLines {
                lines,
                width: 0.4,
                colour: GREY,
            });
        }

        let arm = reference * 0.4;
        let mut crosses = Vec::new();
        for (x, y) in [
            (reference, reference),
            (width - reference, height - reference),
        ] {
            let (a, b) = (to_pt(x - arm, y), to_pt(x + arm, y));
            crosses.push([a.0, a.1, b.0, b.1]);
            let (a, b) = (to_pt(x, y - arm), to_pt(x, y + arm));
            crosses.push([a.0, a.1, b.0, b.1]);
        }
        items.push(Item::StrokeLines {
            lines: crosses,
            width: 0.3,
            colour: Colour::BLACK,
        });
        let label_size = (reference * 0.35 * PT_PER_MM) as f32;
        for (label, x, y) in [
            ("A", reference + 1.0, reference - 1.0),
            ("B", width - reference + 1.0, height - reference - 1.0),
        ] {
            let (px, py) = to_pt(x, y);
            items.push(text_item(
                FaceKind::Bold,
                label_size,
                px,
                py,
                label.to_string(),
            ));
        }

        let texts = instructions(locale, *side, reference, dx, dy);
        let box_mm = match layout {
            Layout::CardPrinter => (18.0, 12.0, width - 36.0, height - 24.0),
            _ => (width * 0.12, height * 0.3, width * 0.76, height * 0.4),
        };
        let (bx, by) = to_pt(box_mm.0, box_mm.1 + box_mm.3);
        let (bw, bh) = ((box_mm.2 * PT_PER_MM) as f32, (box_mm.3 * PT_PER_MM) as f32);
        items.push(Item::FillRects {
            rects: vec![[bx, by, bw, bh]],
            colour: Colour::WHITE,
        });
        paragraphs(&texts, [bx, by, bw, bh], &mut items);
        pages.push(PageDraw {
            width_mm: width,
            height_mm: height,
            items,
        });
    }
    let mut out = Vec::new();
    crate::pdf::write_pdf(
        "Sésame printer calibration",
        pages,
        &Resources::default(),
        &mut out,
    )?;
    Ok(out)
}

fn text_item(face: FaceKind, size: f32, x: f32, baseline: f32, text: String) -> Item {
    Item::Text {
        face,
        size,
        x,
        baseline,
        hscale: 1.0,
        colour: Colour::BLACK,
        text,
    }
}

fn number(value: f64, locale: Locale) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

fn instructions(locale: Locale, side: Side, reference: f64, dx: f64, dy: f64) -> Vec<String> {
    let d = number(reference, locale);
    let (x, y) = (number(dx, locale), number(dy, locale));
    match locale {
        Locale::Fr => vec![
            format!("Étalonnage de l’imprimante — {}", if side == Side::Front { "recto" } else { "verso" }),
            "Imprimez à 100 % (sans « Ajuster à la page »).".into(),
            format!("Mesurez, depuis le bord gauche puis depuis le bord haut de la feuille, la distance aux traits de la croix A : chacune doit valoir {d} mm."),
            format!("Nouveau décalage X = décalage actuel + ({d} − mesure à gauche) ; Y = décalage actuel + ({d} − mesure en haut)."),
            format!("Décalage actuel : X = {x} mm, Y = {y} mm. La croix B ({d} mm des bords droit et bas) vérifie l’échelle."),
        ],
        Locale::En => vec![
            format!("Printer calibration — {}", if side == Side::Front { "front" } else { "back" }),
            "Print at 100 % (no “Fit to page”).".into(),
            format!("Measure from the left edge, then from the top edge of the paper, to the lines of cross A: each should be {d} mm."),
            format!("New X offset = current offset + ({d} − measured from the left); Y = current offset + ({d} − measured from the top)."),
            format!("Current offset: X = {x} mm, Y = {y} mm. Cross B ({d} mm from the right and bottom edges) checks the scale."),
        ],
    }
}

/// Lays out paragraphs top-down in the box, the first one bold, all at one size.
fn paragraphs(texts: &[String], [x, y, w, h]: [f32; 4], out: &mut Vec<Item>) {
    let share = h / texts.len() as f32;
    let face_of = |i: usize| {
        if i == 0 {
            FaceKind::Bold
        } else {
            FaceKind::Regular
        }
    };
    let common = texts
        .iter()
        .enumerate()
        .map(|(i, text)| fit_text(text, face_of(i).metrics(), w, share, 11.0, 3.0, 4).size)
        .fold(11.0_f32, f32::min);
    for (i, text) in texts.iter().enumerate() {
        let metrics = face_of(i).metrics();
        let fitted = fit_text(text, metrics, w, share, common, common * 0.5, 4);
        let top = y + h - i as f32 * share;
        for (n, line) in fitted.lines.into_iter().enumerate() {
            let baseline =
                top - metrics.ascent * fitted.size - n as f32 * LINE_SPACING * fitted.size;
            out.push(Item::Text {
                face: face_of(i),
                size: fitted.size,
                x,
                baseline,
                hscale: fitted.hscale,
                colour: Colour::BLACK,
                text: line,
            });
        }
    }
}
