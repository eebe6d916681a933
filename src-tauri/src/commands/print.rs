//! Commands of the print station.

use sesame_core::AppError;
use sesame_service::{
    CalibrationInput, ExportedFile, PrintJob, PrintPreview, PrintRun, PrintRunInput, PrinterInfo,
};
use tauri::State;

use super::coded;
use crate::state::DeskState;

/// The real PDF of the selection, rendered without changing anything.
#[tauri::command]
pub async fn preview_print(
    state: State<'_, DeskState>,
    job: PrintJob,
) -> Result<PrintPreview, AppError> {
    sesame_service::preview_print(state.desk()?, job)
        .await
        .map_err(coded)
}

/// Prints: numbers assigned, requests marked printed, PDF saved (and sent).
#[tauri::command]
pub async fn print_badges(
    state: State<'_, DeskState>,
    input: PrintRunInput,
) -> Result<PrintRun, AppError> {
    sesame_service::print_badges(state.desk()?, input)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn list_printers(state: State<'_, DeskState>) -> Result<Vec<PrinterInfo>, AppError> {
    sesame_service::printers(state.desk()?).await.map_err(coded)
}

#[tauri::command]
pub async fn print_calibration(
    state: State<'_, DeskState>,
    input: CalibrationInput,
) -> Result<ExportedFile, AppError> {
    sesame_service::print_calibration(state.desk()?, input)
        .await
        .map_err(coded)
}
