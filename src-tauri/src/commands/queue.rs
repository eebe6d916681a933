//! Commands of the queue screen, the intake form and the request detail.

use sesame_core::{AppError, AuditEntry};
use sesame_service::TransitionInput;
use sesame_store::{NewRequest, QueuePage, QueueQuery, RequestDetail, StatusCount};
use tauri::State;

use super::coded;
use crate::state::DeskState;

#[tauri::command]
pub async fn list_requests(
    state: State<'_, DeskState>,
    query: QueueQuery,
) -> Result<QueuePage, AppError> {
    sesame_service::list_requests(state.desk()?, query)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn queue_counts(state: State<'_, DeskState>) -> Result<Vec<StatusCount>, AppError> {
    sesame_service::queue_counts(state.desk()?)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn create_request(
    state: State<'_, DeskState>,
    request: NewRequest,
) -> Result<RequestDetail, AppError> {
    sesame_service::create_request(state.desk()?, request)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn get_request(
    state: State<'_, DeskState>,
    id: String,
) -> Result<RequestDetail, AppError> {
    sesame_service::get_request(state.desk()?, id)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn request_history(
    state: State<'_, DeskState>,
    id: String,
) -> Result<Vec<AuditEntry>, AppError> {
    sesame_service::request_history(state.desk()?, id)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn transition_request(
    state: State<'_, DeskState>,
    input: TransitionInput,
) -> Result<RequestDetail, AppError> {
    sesame_service::transition_request(state.desk()?, input)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn get_policy(state: State<'_, DeskState>) -> Result<sesame_core::Policy, AppError> {
    sesame_service::get_policy(state.desk()?)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn import_requests_csv(
    state: State<'_, DeskState>,
    input: sesame_service::CsvImportInput,
) -> Result<sesame_store::ImportReport, AppError> {
    sesame_service::import_requests_csv(state.desk()?, input)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn export_queue_csv(
    state: State<'_, DeskState>,
    query: QueueQuery,
) -> Result<sesame_service::ExportedFile, AppError> {
    sesame_service::export_queue_csv(state.desk()?, query)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn export_badges_csv(
    state: State<'_, DeskState>,
) -> Result<sesame_service::ExportedFile, AppError> {
    sesame_service::export_badges_csv(state.desk()?)
        .await
        .map_err(coded)
}
