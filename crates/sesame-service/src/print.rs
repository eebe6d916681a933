//! Printing badges: the preview of the real PDF, and the print run that issues the
//! badge numbers and marks the requests printed in the transaction that writes the PDF.
//!
//! Numbers in a preview: an approved request has no badge number until it is
//! printed. The preview shows the number the counter would give it now (the same
//! format, so the layout, barcode and QR code look exactly as they will), and flags
//! it `provisionalNumber`; another desk printing first would shift it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use serde::{Deserialize, Serialize};
use sesame_core::MediaType;
use sesame_print::{BadgeCard, TemplateKind, TemplateSet};
use sesame_store::{PrintItem, PrintSkip, PrintSkipReason, PrintedBadge};
use ts_rs::TS;
use uuid::Uuid;

pub use sesame_print::{DayPassLayout, DayPassPaper, Layout, Locale, PrinterProfile, SheetLayout};

use crate::{Desk, ServiceError};

/// What to print and how, as the print dialog (or `sesamectl print`) sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintJob {
    /// The selected requests, in the order their cards go on the sheets.
    pub request_ids: Vec<String>,
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

/// The real PDF of the selection, rendered without changing anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintPreview {
    /// The PDF, base64; `None` when nothing in the selection can be printed.
    pub pdf_base64: Option<String>,
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

/// The templates of this desk: `templates/` in the data directory when the office
/// made its own, else the built-in ones.
pub fn desk_templates(desk: &Desk) -> Result<TemplateSet, ServiceError> {
    let dir = desk.data_dir.join("templates");
    if dir.is_dir() {
        Ok(TemplateSet::load_dir(&dir)?)
    } else {
        Ok(TemplateSet::builtin())
    }
}

fn parse_ids(job: &PrintJob) -> Result<Vec<Uuid>, ServiceError> {
    if job.request_ids.is_empty() {
        return Err(ServiceError::NothingSelected);
    }
    job.request_ids
        .iter()
        .map(|value| {
            Uuid::parse_str(value.trim()).map_err(|_| ServiceError::BadId {
                value: value.clone(),
            })
        })
        .collect()
}

fn skip_warning(skip: &PrintSkip) -> PrintWarning {
    let code = match skip.reason {
        PrintSkipReason::NotFound => PrintWarningCode::NotFound,
        PrintSkipReason::NotApproved => PrintWarningCode::NotApproved,
        PrintSkipReason::AlreadyPrinted => PrintWarningCode::AlreadyPrinted,
        PrintSkipReason::NoCard => PrintWarningCode::NoCard,
        PrintSkipReason::ClaimedByOther => PrintWarningCode::ClaimedByOther,
        PrintSkipReason::NotEligible => PrintWarningCode::NotEligible,
        PrintSkipReason::BadgeNotUsable => PrintWarningCode::BadgeNotUsable,
    };
    PrintWarning {
        request_id: skip.request_id.to_string(),
        code,
        detail: skip.detail.clone(),
        skipped: true,
    }
}

/// The warnings about cards that do print.
fn item_warnings(items: &[PrintItem]) -> Vec<PrintWarning> {
    let mut warnings = Vec::new();
    for item in items {
        let request_id = item.request.id.to_string();
        if item.reprint {
            warnings.push(PrintWarning {
                request_id: request_id.clone(),
                code: PrintWarningCode::AlreadyPrinted,
                detail: Some(item.badge_number.clone()),
                skipped: false,
            });
        }
        if item.photo.is_none() {
            warnings.push(PrintWarning {
                request_id,
                code: PrintWarningCode::NoPhoto,
                detail: None,
                skipped: false,
            });
        }
    }
    warnings
}

/// The photo as JPEG bytes: JPEG as stored (embedded untouched), PNG re-encoded.
fn photo_jpeg(item: &PrintItem) -> Result<Option<Arc<[u8]>>, ServiceError> {
    let Some(photo) = &item.photo else {
        return Ok(None);
    };
    if photo.meta.media_type == MediaType::Jpeg {
        return Ok(Some(Arc::from(photo.bytes.as_slice())));
    }
    let unreadable = |message: String| ServiceError::PrintPhoto {
        request_id: item.request.id.to_string(),
        message,
    };
    let image = image::load_from_memory(&photo.bytes).map_err(|e| unreadable(e.to_string()))?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&image.to_rgb8())
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(Some(Arc::from(jpeg)))
}

fn badge_card(item: &PrintItem) -> Result<BadgeCard, ServiceError> {
    let holder = &item.holder.details;
    Ok(BadgeCard {
        badge_number: item.badge_number.clone(),
        family_name: holder.family_name.clone(),
        given_names: holder.given_names.clone(),
        // The holder's unit is what a badge office prints under the name.
        role: holder.unit.clone(),
        organisation: holder.organisation.clone(),
        category: holder.category.clone(),
        valid_from: item.valid_from,
        valid_until: item.valid_until,
        host: None,
        photo_jpeg: photo_jpeg(item)?,
    })
}

/// How many pages the layout gives `cards` cards (same rule as the print engine:
/// every card gets a back page when any of their templates has a back).
fn page_count(layout: &Layout, templates: &TemplateSet, cards: &[BadgeCard]) -> u32 {
    let kind = match layout {
        Layout::DayPass(_) => TemplateKind::DayPass,
        _ => TemplateKind::Card,
    };
    let with_backs = cards.iter().any(|c| {
        templates
            .find(&c.category, kind)
            .is_some_and(|t| t.has_back())
    });
    let sides = if with_backs { 2 } else { 1 };
    let n = cards.len() as u32;
    match layout {
        Layout::A4Sheet(sheet) => {
            let per_sheet = (sheet.columns * sheet.rows).max(1);
            n.div_ceil(per_sheet) * sides
        }
        _ => n * sides,
    }
}

struct Rendered {
    pdf: Vec<u8>,
    pages: u32,
}

fn render(
    items: &[PrintItem],
    job: &PrintJob,
    templates: &TemplateSet,
) -> Result<Rendered, ServiceError> {
    let cards = items
        .iter()
        .map(badge_card)
        .collect::<Result<Vec<_>, _>>()?;
    let pdf = sesame_print::render_pdf(&cards, templates, &job.layout, &job.printer, job.locale)?;
    Ok(Rendered {
        pages: page_count(&job.layout, templates, &cards),
        pdf,
    })
}

/// Renders the real PDF of the selection without changing anything: first prints
/// carry provisional numbers, reprints their own; warnings say what needs care.
pub async fn preview_print(desk: &Desk, job: PrintJob) -> Result<PrintPreview, ServiceError> {
    let ids = parse_ids(&job)?;
    let templates = desk_templates(desk)?;
    let selection = desk
        .store
        .print_selection(&ids, &desk.operator, true)
        .await?;
    let mut warnings: Vec<PrintWarning> = selection.skipped.iter().map(skip_warning).collect();
    warnings.extend(item_warnings(&selection.items));
    let cards = selection
        .items
        .iter()
        .map(|item| PreviewCard {
            request_id: item.request.id.to_string(),
            family_name: item.holder.details.family_name.clone(),
            given_names: item.holder.details.given_names.clone(),
            badge_number: item.badge_number.clone(),
            provisional_number: item.provisional_number,
            reprint: item.reprint,
        })
        .collect();
    let needs_reprint_reason = selection.items.iter().any(|i| i.reprint);
    if selection.items.is_empty() {
        return Ok(PrintPreview {
            pdf_base64: None,
            page_count: 0,
            card_count: 0,
            cards,
            warnings,
            needs_reprint_reason,
        });
    }
    let rendered = render(&selection.items, &job, &templates)?;
    Ok(PrintPreview {
        pdf_base64: Some(base64::engine::general_purpose::STANDARD.encode(&rendered.pdf)),
        page_count: rendered.pages,
        card_count: selection.items.len() as u32,
        cards,
        warnings,
        needs_reprint_reason,
    })
}

/// Writes the PDF next to `out` in a temporary file, flushed to disk, so that `out`
/// only ever appears whole.
fn write_temp(out: &Path, pdf: &[u8]) -> Result<tempfile::NamedTempFile, ServiceError> {
    let dir = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let unwritable = |source| ServiceError::PrintOutput {
        path: out.display().to_string(),
        source,
    };
    let mut file = tempfile::Builder::new()
        .prefix(".sesame-print-")
        .suffix(".pdf.part")
        .tempfile_in(&dir)
        .map_err(unwritable)?;
    file.write_all(pdf).map_err(unwritable)?;
    file.as_file().sync_all().map_err(unwritable)?;
    Ok(file)
}

/// Prints the selection to the PDF file `out`: approved requests get their badge
/// number and are marked printed in the same transaction that writes the PDF
/// (if writing fails, nothing is recorded and no number is used); badges printed
/// before are printed again only with `job.reprint_reason`, which is audited.
///
/// The PDF is complete on disk (temporary file, synced) before the transaction
/// commits, and renamed to `out` right after; should that rename fail, the error
/// names the temporary file, which holds the printed cards.
pub async fn print_to_file(
    desk: &Desk,
    job: PrintJob,
    out: &Path,
) -> Result<PrintOutcome, ServiceError> {
    let ids = parse_ids(&job)?;
    let templates = desk_templates(desk)?;
    let reason = job
        .reprint_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    // Refuse up front rather than print half the selection: a reprint needs a
    // reason and a supervisor (or a supervisor's countersign).
    let check = desk
        .store
        .print_selection(&ids, &desk.operator, false)
        .await?;
    let reprints: Vec<&str> = check
        .items
        .iter()
        .filter(|i| i.reprint)
        .map(|i| i.badge_number.as_str())
        .collect();
    if !reprints.is_empty() {
        if reason.is_none() {
            return Err(ServiceError::ReprintReasonRequired {
                badges: reprints.join(", "),
            });
        }
        desk.require_supervisor(crate::SensitiveAction::Reprint)?;
    }
    let mut warnings = Vec::new();
    let outcome = desk
        .store
        .print_batch(&ids, &desk.operator, reason, |items| {
            warnings = item_warnings(items)
                .into_iter()
                .filter(|w| w.code != PrintWarningCode::AlreadyPrinted)
                .collect();
            let rendered = render(items, &job, &templates)?;
            let temp = write_temp(out, &rendered.pdf)?;
            Ok::<_, ServiceError>((temp, rendered.pdf.len() as u64, rendered.pages))
        })
        .await?;
    let skipped: Vec<PrintWarning> = outcome.skipped.iter().map(skip_warning).collect();
    let Some((temp, file_bytes, page_count)) = outcome.rendered else {
        return Err(ServiceError::NothingToPrint {
            reasons: skipped
                .iter()
                .map(|w| {
                    let code = serde_json::to_value(w.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    match &w.detail {
                        Some(detail) => format!("{}: {code} ({detail})", w.request_id),
                        None => format!("{}: {code}", w.request_id),
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        });
    };
    temp.persist(out).map_err(|e| {
        let kept = e.file.into_temp_path().keep().ok();
        ServiceError::PrintNotMoved {
            path: out.display().to_string(),
            temp: kept.map(|p| p.display().to_string()).unwrap_or_default(),
            source: e.error,
        }
    })?;
    // First prints tell their holders (a reprint is the office's business).
    crate::mail::notify_each(
        desk,
        outcome
            .printed
            .iter()
            .filter(|p| !p.reprint)
            .map(|p| p.request_id),
        sesame_mail::MailTemplate::BadgePrinted,
    )
    .await;
    Ok(PrintOutcome {
        printed: outcome.printed.iter().map(printed_card).collect(),
        skipped,
        warnings,
        file: out.display().to_string(),
        file_bytes,
        page_count,
    })
}

fn printed_card(p: &PrintedBadge) -> PrintedCard {
    PrintedCard {
        request_id: p.request_id.to_string(),
        holder_name: format!("{} {}", p.given_names, p.family_name),
        badge_number: p.badge_number.clone(),
        reprint: p.reprint,
    }
}

/// The calibration page for measuring a printer's offset, as PDF bytes.
pub fn calibration_pdf(
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
) -> Result<Vec<u8>, ServiceError> {
    Ok(sesame_print::render_calibration_pdf(
        layout, printer, locale,
    )?)
}

/// The calibration page written to `out` (whole or not at all); returns its size.
pub fn save_calibration(
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
    out: &Path,
) -> Result<u64, ServiceError> {
    let pdf = calibration_pdf(layout, printer, locale)?;
    let temp = write_temp(out, &pdf)?;
    temp.persist(out).map_err(|e| ServiceError::PrintOutput {
        path: out.display().to_string(),
        source: e.error,
    })?;
    Ok(pdf.len() as u64)
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

    #[test]
    fn page_counts_follow_the_layout() {
        let templates = TemplateSet::builtin();
        let card = |category: &str| BadgeCard {
            badge_number: "B1".into(),
            family_name: "A".into(),
            given_names: "B".into(),
            role: None,
            organisation: None,
            category: category.into(),
            valid_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            valid_until: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            host: None,
            photo_jpeg: None,
        };
        let cards: Vec<_> = (0..11).map(|_| card("staff")).collect();
        let sides = if templates
            .find("staff", TemplateKind::Card)
            .unwrap()
            .has_back()
        {
            2
        } else {
            1
        };
        let a4 = Layout::A4Sheet(SheetLayout::default());
        assert_eq!(page_count(&a4, &templates, &cards), 2 * sides);
        assert_eq!(
            page_count(&Layout::CardPrinter, &templates, &cards),
            11 * sides
        );
    }
}
