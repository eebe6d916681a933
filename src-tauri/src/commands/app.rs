//! Commands about the app itself.

use sesame_core::AppError;
use sesame_service::AppInfo;
use tauri::State;

use super::coded;
use crate::state::DeskState;

/// Version, database backend and location, schema version: shown in the status bar.
#[tauri::command]
pub async fn app_info(state: State<'_, DeskState>) -> Result<AppInfo, AppError> {
    sesame_service::app_info(state.desk()?).await.map_err(coded)
}
