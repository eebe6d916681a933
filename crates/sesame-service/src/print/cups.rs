//! Physical printing through CUPS (`lp`, `lpstat`), present on Linux and macOS desks.

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// A printer known to CUPS on this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrinterInfo {
    pub name: String,
    pub is_default: bool,
}

/// The printers CUPS offers (`lpstat`); an empty list when CUPS has none.
fn cups_printers() -> Result<Vec<PrinterInfo>, ServiceError> {
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

/// The printers of this desk (for the print station's choice).
pub async fn list_printers(_desk: &Desk) -> Result<Vec<PrinterInfo>, ServiceError> {
    cups_printers()
}
