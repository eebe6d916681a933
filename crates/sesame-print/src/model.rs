//! The plain data the printer works from: cards, layouts, printer settings.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One badge to print. Built by the service layer from a request and its holder.
#[derive(Debug, Clone)]
pub struct BadgeCard {
    pub badge_number: String,
    pub family_name: String,
    pub given_names: String,
    pub role: Option<String>,
    pub organisation: Option<String>,
    /// Template key: "staff", "contractor", "visitor", "student"... Unknown categories
    /// fall back to the "default" template when the set has one.
    pub category: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// For visitors: the person they visit (shown by templates that ask for it).
    pub host: Option<String>,
    /// The zones the badge opens (keys, as the office names them): what the `zones`
    /// field prints and what a condition on it tests.
    pub zones: Vec<String>,
    /// The validated ID photo, as the original JPEG file: it is embedded byte for byte.
    pub photo_jpeg: Option<Arc<[u8]>>,
    /// A card that must not pass for a badge (the preview of one already printed): this
    /// text is drawn across each side, and its QR codes and barcodes are left blank.
    pub watermark: Option<String>,
}

/// Language of dates and of localised template texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

/// Where and how the cards are laid out on paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Layout {
    /// A card printer: one page per card side, 85.60 × 53.98 mm, front then back.
    CardPrinter,
    /// N-up sheets (A4 portrait) of CR80 cards for perforated card stock or cutting.
    A4Sheet(SheetLayout),
    /// A visitor's day pass on A6 paper or a label.
    DayPass(DayPassLayout),
}

/// A4 sheet of CR80 cards. Margins left unset centre the grid on the sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SheetLayout {
    pub columns: u32,
    pub rows: u32,
    pub margin_left_mm: Option<f64>,
    pub margin_top_mm: Option<f64>,
    pub gap_x_mm: f64,
    pub gap_y_mm: f64,
    pub crop_marks: bool,
}

impl Default for SheetLayout {
    fn default() -> Self {
        Self {
            columns: 2,
            rows: 5,
            margin_left_mm: None,
            margin_top_mm: None,
            gap_x_mm: 0.0,
            gap_y_mm: 0.0,
            crop_marks: true,
        }
    }
}

/// Paper for day passes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "paper")]
pub enum DayPassPaper {
    /// 105 × 148 mm, portrait.
    A6,
    /// A label roll or sheet of the given size; the template is scaled to fit.
    #[serde(rename_all = "camelCase")]
    Label { width_mm: f64, height_mm: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DayPassLayout {
    pub paper: DayPassPaper,
}

impl Default for DayPassLayout {
    fn default() -> Self {
        Self {
            paper: DayPassPaper::A6,
        }
    }
}

/// A printer's measured misregistration, applied to everything on the page.
/// Positive x moves the print right, positive y moves it down (as seen on the
/// printed page). Backs use their own offset when the printer's duplex path
/// shifts differently.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PrinterProfile {
    pub offset_x_mm: f64,
    pub offset_y_mm: f64,
    pub back_offset_x_mm: Option<f64>,
    pub back_offset_y_mm: Option<f64>,
}

impl PrinterProfile {
    pub(crate) fn offset(&self, side: Side) -> (f64, f64) {
        match side {
            Side::Front => (self.offset_x_mm, self.offset_y_mm),
            Side::Back => (
                self.back_offset_x_mm.unwrap_or(self.offset_x_mm),
                self.back_offset_y_mm.unwrap_or(self.offset_y_mm),
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Front,
    Back,
}

/// CR80 (ISO/IEC 7810 ID-1) card size in millimetres.
pub const CARD_WIDTH_MM: f64 = 85.60;
pub const CARD_HEIGHT_MM: f64 = 53.98;
pub const A4_WIDTH_MM: f64 = 210.0;
pub const A4_HEIGHT_MM: f64 = 297.0;
pub const A6_WIDTH_MM: f64 = 105.0;
pub const A6_HEIGHT_MM: f64 = 148.0;

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    #[test]
    fn layouts_travel_as_tagged_camel_case_json() {
        let sheet = Layout::A4Sheet(SheetLayout {
            gap_x_mm: 2.5,
            ..SheetLayout::default()
        });
        let json = serde_json::to_value(&sheet).unwrap();
        assert_eq!(json["kind"], "a4_sheet");
        assert_eq!(json["columns"], 2);
        assert_eq!(json["gapXMm"], 2.5);
        assert_eq!(serde_json::from_value::<Layout>(json).unwrap(), sheet);

        // Missing keys take the defaults an office expects (2 × 5, crop marks).
        let partial: Layout = serde_json::from_str(r#"{"kind":"a4_sheet","rows":4}"#).unwrap();
        assert_eq!(
            partial,
            Layout::A4Sheet(SheetLayout {
                rows: 4,
                ..SheetLayout::default()
            })
        );
        let label: Layout = serde_json::from_str(
            r#"{"kind":"day_pass","paper":{"paper":"label","widthMm":62,"heightMm":100}}"#,
        )
        .unwrap();
        assert_eq!(
            label,
            Layout::DayPass(DayPassLayout {
                paper: DayPassPaper::Label {
                    width_mm: 62.0,
                    height_mm: 100.0
                }
            })
        );
        let profile: PrinterProfile = serde_json::from_str(r#"{"offsetXMm":1.5}"#).unwrap();
        assert_eq!(profile.offset(Side::Back), (1.5, 0.0));
        assert_eq!(serde_json::to_value(Locale::En).unwrap(), "en");
    }

    #[test]
    fn typescript_declarations_match_the_json() {
        let cfg = ts_rs::Config::default();
        let layout = Layout::decl(&cfg);
        assert!(layout.contains("\"kind\": \"a4_sheet\""), "{layout}");
        let profile = PrinterProfile::decl(&cfg);
        assert!(profile.contains("offsetXMm: number"), "{profile}");
    }
}
