//! Where printed PDFs go and how they reach a printer.
//!
//! PDFs are written to the desk's print folder (`SESAME_PRINT_DIR`, else
//! `Documents/Sésame`, else `prints/` in the data directory) under a name the
//! app chooses, so the UI never hands the backend a file path. Physical printing
//! goes through CUPS (`lp`), present on Linux and macOS desks.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// Environment variable that replaces the print folder.
pub const PRINT_DIR_ENV: &str = "SESAME_PRINT_DIR";

/// The folder printed PDFs are saved in (created if missing).
pub fn print_dir(desk: &Desk) -> Result<PathBuf, ServiceError> {
    let dir = match std::env::var_os(PRINT_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.join("Sésame")))
            .unwrap_or_else(|| desk.data_dir.join("prints")),
    };
    std::fs::create_dir_all(&dir).map_err(|source| ServiceError::PrintDir {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// A new file name in the print folder, e.g. `badges-a4-2026-11-21-081503.pdf`.
pub fn new_print_path(desk: &Desk, layout_name: &str) -> Result<PathBuf, ServiceError> {
    Ok(unique_path(
        &print_dir(desk)?,
        &format!("badges-{layout_name}"),
        "pdf",
    ))
}

/// `dir/stem-<date-time>.ext`, with `-2`, `-3`… when that name is taken, so two
/// runs in the same second never overwrite each other. Whatever `stem` and `ext`
/// hold, the file stays directly in `dir`: anything but letters, digits, `-` and `_`
/// becomes `-` (no separators, no `..`, no drive letters).
pub fn unique_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let stem = confined_name_part(stem, "file");
    let ext = confined_name_part(ext, "out");
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{stamp}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// `part` reduced to letters, digits, `-` and `_` (at most 80 characters), or
/// `fallback` when nothing is left: one path component that cannot climb or jump.
fn confined_name_part(part: &str, fallback: &str) -> String {
    let cleaned: String = part
        .chars()
        .take(80)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('-');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A printer known to CUPS on this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrinterInfo {
    pub name: String,
    pub is_default: bool,
}

/// The printers CUPS offers (`lpstat`); an empty list when CUPS has none.
pub fn list_printers() -> Result<Vec<PrinterInfo>, ServiceError> {
    let names = run_lpstat(&["-e"])?;
    let default = run_lpstat(&["-d"])
        .ok()
        .and_then(|out| out.split(':').nth(1).map(|s| s.trim().to_string()));
    Ok(names
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|name| PrinterInfo {
            is_default: default.as_deref() == Some(name),
            name: name.to_string(),
        })
        .collect())
}

fn run_lpstat(args: &[&str]) -> Result<String, ServiceError> {
    let output = Command::new("lpstat")
        .args(args)
        .output()
        .map_err(|_| ServiceError::NoPrintSystem)?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // lpstat fails both when CUPS is down and when it simply has no printers;
    // only the first is an error ("no printers" is an empty list).
    if !output.status.success() && stdout.trim().is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !stderr.contains("No destinations") && !stderr.contains("no system default") {
            return Err(ServiceError::NoPrintSystem);
        }
    }
    Ok(stdout)
}

/// Sends a PDF the app wrote to a CUPS printer; returns the job id CUPS gave.
pub fn send_to_printer(pdf: &Path, printer: &str) -> Result<String, ServiceError> {
    if printer.trim().is_empty() || printer.starts_with('-') {
        return Err(ServiceError::PrinterRefused {
            printer: printer.to_string(),
            detail: "no printer name".into(),
        });
    }
    let output = Command::new("lp")
        .args(["-d", printer, "-o", "fit-to-page=false", "--"])
        .arg(pdf)
        .output()
        .map_err(|_| ServiceError::NoPrintSystem)?;
    if !output.status.success() {
        return Err(ServiceError::PrinterRefused {
            printer: printer.to_string(),
            detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// A print run as the print station asks for it: the job, and optionally a
/// CUPS printer to send the saved PDF to.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintRunInput {
    pub job: crate::PrintJob,
    /// `None`: save the PDF only.
    pub printer_name: Option<String>,
}

/// What a print run did: the badges marked printed and their PDF (always
/// saved in the print folder), and what the printer said.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintRun {
    pub outcome: crate::PrintOutcome,
    /// The CUPS job id when the PDF was sent to a printer.
    pub printer_job: Option<String>,
    /// Why sending to the printer failed: the badges are printed in the queue
    /// and their PDF is saved, so the operator can print the file again.
    pub printer_error: Option<sesame_core::AppError>,
}

fn layout_file_name(layout: &sesame_print::Layout) -> &'static str {
    match layout {
        sesame_print::Layout::CardPrinter => "cr80",
        sesame_print::Layout::A4Sheet(_) => "a4",
        sesame_print::Layout::DayPass(_) => "pass",
    }
}

/// Prints a batch: the PDF is written to the print folder (the requests are
/// marked printed in the same transaction), then sent to the printer if asked.
pub async fn print_badges(desk: &Desk, input: PrintRunInput) -> Result<PrintRun, ServiceError> {
    let path = new_print_path(desk, layout_file_name(&input.job.layout))?;
    let outcome = crate::print_to_file(desk, input.job, &path).await?;
    let (printer_job, printer_error) = match input.printer_name.as_deref() {
        None => (None, None),
        Some(printer) => match send_to_printer(&path, printer) {
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

/// What the calibration page is printed for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationInput {
    pub layout: sesame_print::Layout,
    pub printer: sesame_print::PrinterProfile,
    pub locale: sesame_print::Locale,
}

/// Writes the calibration page into the print folder.
pub async fn print_calibration(
    desk: &Desk,
    input: CalibrationInput,
) -> Result<crate::ExportedFile, ServiceError> {
    let path = unique_path(
        &print_dir(desk)?,
        &format!("calibration-{}", layout_file_name(&input.layout)),
        "pdf",
    );
    let bytes = crate::save_calibration(&input.layout, &input.printer, input.locale, &path)?;
    Ok(crate::ExportedFile {
        path: path.display().to_string(),
        bytes,
    })
}

/// The printers of this desk (for the print station's choice).
pub async fn printers(_desk: &Desk) -> Result<Vec<PrinterInfo>, ServiceError> {
    list_printers()
}
