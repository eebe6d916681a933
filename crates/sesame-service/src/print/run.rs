//! The print run: approved requests get their badge number and are marked printed in
//! the transaction that writes the PDF; then the PDF may go to a CUPS printer.

use serde::{Deserialize, Serialize};
use sesame_store::PrintedBadge;
use ts_rs::TS;

use super::cards::{selected_ids, skip_warning, RunSink};
use super::{cups, Layout, PrintJob, PrintOutcome, PrintWarning, PrintedCard};
use crate::output_folder::{Destination, NewFile};
use crate::template_set::desk_templates_in_use;
use crate::{Desk, ServiceError};

/// A print run as the print station asks for it: the job, and optionally a CUPS
/// printer to send the saved PDF to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintRunInput {
    pub job: PrintJob,
    /// `None`: save the PDF only.
    pub printer_name: Option<String>,
    /// The output folder, or the file the command line names.
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// What a print run did: the badges marked printed and their PDF (always saved), and
/// what the printer said.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintRun {
    pub outcome: PrintOutcome,
    /// The CUPS job id when the PDF was sent to a printer.
    pub printer_job: Option<String>,
    /// Why sending to the printer failed: the badges are printed in the queue
    /// and their PDF is saved, so the operator can print the file again.
    pub printer_error: Option<sesame_core::AppError>,
}

/// The file name's layout part, e.g. `badges-a4-2026-11-21-081503.pdf`.
pub(super) fn layout_file_name(layout: &Layout) -> &'static str {
    match layout {
        Layout::CardPrinter => "cr80",
        Layout::A4Sheet(_) => "a4",
        Layout::DayPass(_) => "pass",
    }
}

/// Prints the selection: approved requests get their badge number and are marked
/// printed in the same transaction that writes the PDF (if writing fails, nothing is
/// recorded and no number is used); badges printed before are printed again only with
/// `job.reprint_reason` and a supervisor, which is audited, and a reason for a selection
/// that reprints nothing is refused. Then the PDF is sent to
/// the printer if one is named.
///
/// The PDF is complete on disk (hidden `.part` file, synced) before the transaction
/// commits, and moved to its name right after; should that fail, the error names the
/// `.part` file, which holds the printed cards.
pub async fn print_badges(desk: &Desk, input: PrintRunInput) -> Result<PrintRun, ServiceError> {
    let job = input.job;
    let ids = selected_ids(&job)?;
    let (templates, template_version) = desk_templates_in_use(desk).await?;
    let reason = job
        .reprint_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    // Refuse up front rather than print half the selection: a reprint needs a
    // reason and a supervisor (or a supervisor's countersign).
    let check = desk
        .store
        .print_selection(&ids, &desk.actor()?, false)
        .await?;
    let reprints: Vec<&str> = check
        .items
        .iter()
        .filter(|i| i.reprint)
        .map(|i| i.badge_number.as_str())
        .collect();
    // A reason with nothing to reprint says the operator believes they are reprinting:
    // refuse rather than record a reason for a print that is not one.
    if reprints.is_empty() && reason.is_some() {
        return Err(ServiceError::ReprintReasonWithoutReprint);
    }
    if !reprints.is_empty() {
        if reason.is_none() {
            return Err(ServiceError::ReprintReasonRequired {
                badges: reprints.join(", "),
            });
        }
        // The countersign names the very badges reprinted.
        let mut badges = reprints.clone();
        badges.sort_unstable();
        desk.require_supervisor(
            crate::SensitiveAction::Reprint,
            &format!("badges:{}", badges.join(",")),
        )?;
    }
    let mut file = NewFile::create(
        desk,
        &input.destination,
        &format!("badges-{}", layout_file_name(&job.layout)),
        "pdf",
    )
    .map_err(|error| match error {
        // The print's own code: nothing was recorded and no number was used.
        ServiceError::ExportWrite { path, source } => ServiceError::PrintOutput { path, source },
        other => other,
    })?;
    let path = file.target().display().to_string();
    let sink = RunSink::new(&job, &templates, path, file.file_mut());
    let outcome = desk
        .store
        .print_batch_into(&ids, &desk.actor()?, reason, template_version, sink)
        .await?;
    let skipped: Vec<PrintWarning> = outcome.skipped.iter().map(skip_warning).collect();
    let Some(written) = outcome.rendered else {
        return Err(ServiceError::NothingToPrint {
            reasons: crate::error::left_out(
                skipped
                    .iter()
                    .map(|w| (w.request_id.clone(), &w.code, w.detail.as_deref())),
            ),
        });
    };
    let path = file.persist().map_err(|e| ServiceError::PrintNotMoved {
        path: e.target,
        temp: e.temp,
        source: e.source,
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
    let outcome = PrintOutcome {
        printed: outcome.printed.iter().map(printed_card).collect(),
        skipped,
        warnings: written.warnings,
        file: path.display().to_string(),
        file_bytes: written.bytes,
        page_count: written.pages,
    };
    let (printer_job, printer_error) = match input.printer_name.as_deref() {
        None => (None, None),
        Some(printer) => match cups::send_to_printer(&path, printer) {
            Ok(job) => (Some(job), None),
            Err(e) => (None, Some(sesame_core::AppError::from_error(&e))),
        },
    };
    Ok(PrintRun {
        outcome,
        printer_job,
        printer_error,
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
