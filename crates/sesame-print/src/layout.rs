//! Where each badge side goes: card-printer pages, N-up A4 sheets (backs mirrored
//! for long-edge duplex), day passes.

use crate::draw::{Item, PT_PER_MM};
use crate::error::PrintError;
use crate::model::{
    DayPassPaper, Layout, SheetLayout, Side, A4_HEIGHT_MM, A4_WIDTH_MM, A6_HEIGHT_MM, A6_WIDTH_MM,
    CARD_HEIGHT_MM, CARD_WIDTH_MM,
};
use crate::template::Colour;

/// One badge side on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Slot {
    pub card: usize,
    pub left_mm: f64,
    pub top_mm: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PagePlan {
    pub width_mm: f64,
    pub height_mm: f64,
    pub side: Side,
    pub slots: Vec<Slot>,
    /// For A4 fronts: the grid the crop marks outline.
    pub crop_grid: Option<Grid>,
}

/// The cells of an A4 sheet, as laid on the front.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    pub left_mm: f64,
    pub top_mm: f64,
    pub columns: u32,
    pub rows: u32,
    pub gap_x_mm: f64,
    pub gap_y_mm: f64,
}

impl Grid {
    pub fn for_sheet(sheet: &SheetLayout) -> Result<Grid, PrintError> {
        let bad = |m: String| Err(PrintError::InvalidLayout(m));
        if sheet.columns == 0 || sheet.rows == 0 || sheet.columns > 10 || sheet.rows > 10 {
            return bad(format!(
                "columns and rows must be between 1 and 10 (got {} × {})",
                sheet.columns, sheet.rows
            ));
        }
        if !(0.0..=50.0).contains(&sheet.gap_x_mm) || !(0.0..=50.0).contains(&sheet.gap_y_mm) {
            return bad("gaps must be between 0 and 50 mm".into());
        }
        let width =
            sheet.columns as f64 * CARD_WIDTH_MM + (sheet.columns - 1) as f64 * sheet.gap_x_mm;
        let height = sheet.rows as f64 * CARD_HEIGHT_MM + (sheet.rows - 1) as f64 * sheet.gap_y_mm;
        let left = sheet.margin_left_mm.unwrap_or((A4_WIDTH_MM - width) / 2.0);
        let top = sheet.margin_top_mm.unwrap_or((A4_HEIGHT_MM - height) / 2.0);
        if left < 0.0 || left + width > A4_WIDTH_MM + 1e-6 {
            return bad(format!(
                "{} columns of cards ({width:.2} mm with gaps) from a {left:.2} mm left margin do not fit across A4 (210 mm)",
                sheet.columns
            ));
        }
        if top < 0.0 || top + height > A4_HEIGHT_MM + 1e-6 {
            return bad(format!(
                "{} rows of cards ({height:.2} mm with gaps) from a {top:.2} mm top margin do not fit down A4 (297 mm)",
                sheet.rows
            ));
        }
        Ok(Grid {
            left_mm: left,
            top_mm: top,
            columns: sheet.columns,
            rows: sheet.rows,
            gap_x_mm: sheet.gap_x_mm,
            gap_y_mm: sheet.gap_y_mm,
        })
    }

    pub fn cell(&self, column: u32, row: u32) -> (f64, f64) {
        (
            self.left_mm + column as f64 * (CARD_WIDTH_MM + self.gap_x_mm),
            self.top_mm + row as f64 * (CARD_HEIGHT_MM + self.gap_y_mm),
        )
    }

    pub fn per_sheet(&self) -> usize {
        (self.columns * self.rows) as usize
    }
}

/// Size of a day pass page.
pub(crate) fn day_pass_page(paper: DayPassPaper) -> Result<(f64, f64), PrintError> {
    match paper {
        DayPassPaper::A6 => Ok((A6_WIDTH_MM, A6_HEIGHT_MM)),
        DayPassPaper::Label {
            width_mm,
            height_mm,
        } => {
            if (20.0..=300.0).contains(&width_mm) && (20.0..=300.0).contains(&height_mm) {
                Ok((width_mm, height_mm))
            } else {
                Err(PrintError::InvalidLayout(format!(
                    "label size {width_mm} × {height_mm} mm: each side must be between 20 and 300 mm"
                )))
            }
        }
    }
}

/// Plans every page. `with_backs` adds back pages (or sheets) for every card so a
/// duplex run stays in step even when some templates have a blank back.
pub(crate) fn plan_pages(
    layout: &Layout,
    cards: usize,
    with_backs: bool,
) -> Result<Vec<PagePlan>, PrintError> {
    let sides: &[Side] = if with_backs {
        &[Side::Front, Side::Back]
    } else {
        &[Side::Front]
    };
    let mut pages = Vec::new();
    match layout {
        Layout::CardPrinter | Layout::DayPass(_) => {
            let (width_mm, height_mm) = match layout {
                Layout::DayPass(d) => day_pass_page(d.paper)?,
                _ => (CARD_WIDTH_MM, CARD_HEIGHT_MM),
            };
            for card in 0..cards {
                for side in sides {
                    pages.push(PagePlan {
                        width_mm,
                        height_mm,
                        side: *side,
                        slots: vec![Slot {
                            card,
                            left_mm: 0.0,
                            top_mm: 0.0,
                        }],
                        crop_grid: None,
                    });
                }
            }
        }
        Layout::A4Sheet(sheet) => {
            let grid = Grid::for_sheet(sheet)?;
            let per_sheet = grid.per_sheet();
            for first in (0..cards).step_by(per_sheet) {
                let count = per_sheet.min(cards - first);
                for side in sides {
                    let slots = (0..count)
                        .map(|i| {
                            let column = i as u32 % grid.columns;
                            let row = i as u32 / grid.columns;
                            let (left, top) = grid.cell(column, row);
                            // Long-edge flip: what sits at x on the front lands at
                            // (page width − x − card width) on the back.
                            let left = match side {
                                Side::Front => left,
                                Side::Back => A4_WIDTH_MM - left - CARD_WIDTH_MM,
                            };
                            Slot {
                                card: first + i,
                                left_mm: left,
                                top_mm: top,
                            }
                        })
                        .collect();
                    pages.push(PagePlan {
                        width_mm: A4_WIDTH_MM,
                        height_mm: A4_HEIGHT_MM,
                        side: *side,
                        slots,
                        crop_grid: (sheet.crop_marks && *side == Side::Front).then(|| grid.clone()),
                    });
                }
            }
        }
    }
    Ok(pages)
}

const MARK_GAP_MM: f64 = 1.0;
const MARK_LENGTH_MM: f64 = 5.0;
const MARK_COLOUR: Colour = Colour::BLACK;

/// Cut lines extended into the margins, `dx`/`dy` being the printer offset.
pub(crate) fn crop_marks(grid: &Grid, page_height_mm: f64, dx: f64, dy: f64) -> Option<Item> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for c in 0..grid.columns {
        let (left, _) = grid.cell(c, 0);
        xs.push(left);
        xs.push(left + CARD_WIDTH_MM);
    }
    for r in 0..grid.rows {
        let (_, top) = grid.cell(0, r);
        ys.push(top);
        ys.push(top + CARD_HEIGHT_MM);
    }
    xs.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    ys.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    let (grid_left, grid_top) = grid.cell(0, 0);
    let (last_left, last_top) = grid.cell(grid.columns - 1, grid.rows - 1);
    let grid_right = last_left + CARD_WIDTH_MM;
    let grid_bottom = last_top + CARD_HEIGHT_MM;
    let pt = |x: f64, y_from_top: f64| {
        (
            ((x + dx) * PT_PER_MM) as f32,
            ((page_height_mm - (y_from_top + dy)) * PT_PER_MM) as f32,
        )
    };
    let mut lines = Vec::new();
    let mut segment = |a: (f32, f32), b: (f32, f32)| lines.push([a.0, a.1, b.0, b.1]);
    // Marks go only where the margin has room for them.
    let room = |margin: f64| (margin - MARK_GAP_MM).min(MARK_LENGTH_MM);
    let (top_room, bottom_room) = (room(grid_top), room(A4_HEIGHT_MM - grid_bottom));
    let (left_room, right_room) = (room(grid_left), room(A4_WIDTH_MM - grid_right));
    for x in &xs {
        if top_room >= 2.0 {
            segment(
                pt(*x, grid_top - MARK_GAP_MM - top_room),
                pt(*x, grid_top - MARK_GAP_MM),
            );
        }
        if bottom_room >= 2.0 {
            segment(
                pt(*x, grid_bottom + MARK_GAP_MM),
                pt(*x, grid_bottom + MARK_GAP_MM + bottom_room),
            );
        }
    }
    for y in &ys {
        if left_room >= 2.0 {
            segment(
                pt(grid_left - MARK_GAP_MM - left_room, *y),
                pt(grid_left - MARK_GAP_MM, *y),
            );
        }
        if right_room >= 2.0 {
            segment(
                pt(grid_right + MARK_GAP_MM, *y),
                pt(grid_right + MARK_GAP_MM + right_room, *y),
            );
        }
    }
    (!lines.is_empty()).then_some(Item::StrokeLines {
        lines,
        width: 0.3,
        colour: MARK_COLOUR,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_sheet_is_two_by_five_centred() {
        let grid = Grid::for_sheet(&SheetLayout::default()).unwrap();
        assert!((grid.left_mm - 19.4).abs() < 1e-9);
        assert!((grid.top_mm - 13.55).abs() < 1e-9);
        assert_eq!(grid.per_sheet(), 10);
    }

    #[test]
    fn backs_mirror_columns_for_long_edge_duplex() {
        let sheet = SheetLayout {
            margin_left_mm: Some(10.0),
            gap_x_mm: 4.0,
            ..SheetLayout::default()
        };
        let pages = plan_pages(&Layout::A4Sheet(sheet), 3, true).unwrap();
        assert_eq!(pages.len(), 2);
        let (front, back) = (&pages[0], &pages[1]);
        assert_eq!((front.side, back.side), (Side::Front, Side::Back));
        for (f, b) in front.slots.iter().zip(&back.slots) {
            assert_eq!(f.card, b.card);
            assert_eq!(f.top_mm, b.top_mm);
            // Folding the sheet about its vertical axis puts each back on its front.
            assert!((b.left_mm - (210.0 - f.left_mm - CARD_WIDTH_MM)).abs() < 1e-9);
        }
        assert!((front.slots[0].left_mm - 10.0).abs() < 1e-9);
        assert!((back.slots[0].left_mm - (210.0 - 10.0 - 85.6)).abs() < 1e-9);
        assert!(front.crop_grid.is_some() && back.crop_grid.is_none());
    }

    #[test]
    fn card_printer_interleaves_fronts_and_backs() {
        let pages = plan_pages(&Layout::CardPrinter, 2, true).unwrap();
        let order: Vec<(usize, Side)> = pages.iter().map(|p| (p.slots[0].card, p.side)).collect();
        assert_eq!(
            order,
            vec![
                (0, Side::Front),
                (0, Side::Back),
                (1, Side::Front),
                (1, Side::Back)
            ]
        );
        assert!(pages
            .iter()
            .all(|p| p.width_mm == 85.60 && p.height_mm == 53.98));
    }

    #[test]
    fn refuses_grids_that_do_not_fit() {
        let too_wide = SheetLayout {
            columns: 3,
            ..SheetLayout::default()
        };
        assert!(matches!(
            Grid::for_sheet(&too_wide),
            Err(PrintError::InvalidLayout(_))
        ));
        let pushed = SheetLayout {
            margin_top_mm: Some(40.0),
            ..SheetLayout::default()
        };
        assert!(Grid::for_sheet(&pushed).is_err());
    }
}
