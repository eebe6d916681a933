//! Printing badges: the preview of the real PDF, the print run that issues the badge
//! numbers and marks the requests printed in the transaction that writes the PDF, the
//! calibration page, and CUPS.
//!
//! Numbers in a preview: an approved request has no badge number until it is
//! printed. The preview shows the number the counter would give it now (the same
//! format, so the layout, barcode and QR code look exactly as they will), and flags
//! it `provisionalNumber`; another desk printing first would shift it.

mod calibration;
mod cards;
mod cups;
mod preview;
mod run;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use calibration::{print_calibration, CalibrationInput};
pub use cards::PREVIEW_WATERMARK;
pub use cups::{list_printers, PrinterInfo};
pub(crate) use preview::preview_card;
pub use preview::{preview_print, PREVIEW_PAGES, REPRINT_PREVIEWED};
pub use run::{print_badges, PrintRun, PrintRunInput};
pub use sesame_print::{DayPassLayout, DayPassPaper, Layout, Locale, PrinterProfile, SheetLayout};

use crate::RequestId;

/// What to print and how, as the print dialog (or `sesamectl print`) sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintJob {
    /// The selected requests, in the order their cards go on the sheets.
    pub request_ids: Vec<RequestId>,
    pub layout: Layout,
    #[serde(default)]
    pub printer: PrinterProfile,
    #[serde(default)]
    pub locale: Locale,
    /// Required as soon as one selected badge was printed before (audited).
    #[serde(default)]
    pub reprint_reason: Option<String>,
}

/// Why a selected request needs the operator's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintWarningCode {
    /// Printed before: printing it again is a reprint and needs a reason.
    AlreadyPrinted,
    /// Not approved: left out.
    NotApproved,
    /// No ID photo: the card prints without one.
    NoPhoto,
    /// Another desk is printing it: left out.
    ClaimedByOther,
    /// No such request: left out.
    NotFound,
    /// A zone-access request: no card to print, left out.
    NoCard,
    /// The holder no longer qualifies today (mission ended…): left out.
    NotEligible,
    /// Reprint of a badge that no longer works (opposed, returned…): left out.
    BadgeNotUsable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintWarning {
    pub request_id: String,
    pub code: PrintWarningCode,
    /// The status, other desk, badge number or eligibility problems behind the code.
    pub detail: Option<String>,
    /// Whether the request is left out of the print (else it prints, with this warning).
    pub skipped: bool,
}

/// One card as it appears in the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCard {
    pub request_id: String,
    pub family_name: String,
    pub given_names: String,
    pub badge_number: String,
    /// The number is what printing would give now, not yet assigned.
    pub provisional_number: bool,
    pub reprint: bool,
}

/// The real PDF of the selection's first pages, rendered without changing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintPreview {
    /// The PDF's first pages (at most `PREVIEW_PAGES`), base64; `None` when nothing
    /// in the selection can be printed.
    pub pdf_base64: Option<String>,
    /// The pages of the whole selection.
    pub page_count: u32,
    pub card_count: u32,
    pub cards: Vec<PreviewCard>,
    pub warnings: Vec<PrintWarning>,
    /// Some cards are reprints: printing needs `reprintReason`.
    pub needs_reprint_reason: bool,
}

/// A card that was printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedCard {
    pub request_id: String,
    pub holder_name: String,
    pub badge_number: String,
    pub reprint: bool,
}

/// What a print run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintOutcome {
    pub printed: Vec<PrintedCard>,
    /// Requests left out, with why.
    pub skipped: Vec<PrintWarning>,
    /// Cards printed without a photo, among others.
    pub warnings: Vec<PrintWarning>,
    pub file: String,
    #[ts(type = "number")]
    pub file_bytes: u64,
    pub page_count: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    #[test]
    fn a_print_job_travels_as_camel_case_json_with_defaults() {
        let job: PrintJob = serde_json::from_str(
            r#"{"requestIds":["0190c5a1-0000-7000-8000-000000000001"],"layout":{"kind":"card_printer"}}"#,
        )
        .unwrap();
        assert_eq!(job.layout, Layout::CardPrinter);
        assert_eq!(job.locale, Locale::Fr);
        assert_eq!(job.printer, PrinterProfile::default());
        assert_eq!(job.reprint_reason, None);
        let warning = serde_json::to_value(PrintWarning {
            request_id: "x".into(),
            code: PrintWarningCode::AlreadyPrinted,
            detail: None,
            skipped: false,
        })
        .unwrap();
        assert_eq!(warning["code"], "already_printed");
        assert_eq!(warning["requestId"], "x");
        let cfg = ts_rs::Config::default();
        assert!(PrintJob::decl(&cfg).contains("reprintReason"));
        assert!(PrintPreview::decl(&cfg).contains("pdfBase64"));
        assert!(PrintOutcome::decl(&cfg).contains("fileBytes: number"));
    }
}
