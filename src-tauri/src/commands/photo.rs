//! Commands of the photo station: importing a photo, the live camera, and the
//! request's badge photo.

use sesame_core::AppError;
use sesame_service::{
    CameraInfo, CameraOpenInput, LiveFrame, PhotoCheckOutcome, RequestPhoto, SavePhotoInput,
};
use sesame_store::RequestDetail;
use tauri::State;

use super::coded;
use crate::state::DeskState;

#[tauri::command]
pub async fn check_photo_bytes(
    state: State<'_, DeskState>,
    image: String,
) -> Result<PhotoCheckOutcome, AppError> {
    sesame_service::check_photo_bytes(state.desk()?, image)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn save_request_photo(
    state: State<'_, DeskState>,
    input: SavePhotoInput,
) -> Result<RequestDetail, AppError> {
    sesame_service::save_request_photo(state.desk()?, input)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn get_request_photo(
    state: State<'_, DeskState>,
    id: String,
) -> Result<Option<RequestPhoto>, AppError> {
    sesame_service::get_request_photo(state.desk()?, id)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_list(state: State<'_, DeskState>) -> Result<Vec<CameraInfo>, AppError> {
    sesame_service::camera_list(state.desk()?)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_open(
    state: State<'_, DeskState>,
    input: CameraOpenInput,
) -> Result<CameraInfo, AppError> {
    sesame_service::camera_open(state.desk()?, input)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_frame(state: State<'_, DeskState>) -> Result<Option<LiveFrame>, AppError> {
    sesame_service::camera_frame(state.desk()?)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_auto_capture(
    state: State<'_, DeskState>,
    enabled: bool,
) -> Result<bool, AppError> {
    sesame_service::camera_auto_capture(state.desk()?, enabled)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_capture(state: State<'_, DeskState>) -> Result<PhotoCheckOutcome, AppError> {
    sesame_service::camera_capture(state.desk()?)
        .await
        .map_err(coded)
}

#[tauri::command]
pub async fn camera_close(state: State<'_, DeskState>) -> Result<bool, AppError> {
    sesame_service::camera_close(state.desk()?)
        .await
        .map_err(coded)
}
