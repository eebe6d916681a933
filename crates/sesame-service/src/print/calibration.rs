//! The calibration page: a printer's offsets are measured on it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::run::layout_file_name;
use super::{Layout, Locale, PrinterProfile};
use crate::output_folder::{write_new_file, Destination};
use crate::{Desk, ExportedFile, ServiceError};

/// What the calibration page is printed for, and where it goes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationInput {
    pub layout: Layout,
    pub printer: PrinterProfile,
    pub locale: Locale,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// Writes the calibration page as a new PDF.
pub async fn print_calibration(
    desk: &Desk,
    input: CalibrationInput,
) -> Result<ExportedFile, ServiceError> {
    let pdf = sesame_print::render_calibration_pdf(&input.layout, &input.printer, input.locale)?;
    write_new_file(
        desk,
        &input.destination,
        &format!("calibration-{}", layout_file_name(&input.layout)),
        "pdf",
        &pdf,
    )
    .map_err(|error| match error {
        ServiceError::ExportWrite { path, source } => ServiceError::PrintOutput { path, source },
        other => other,
    })
}
