//! The holder's view: a second window that shows the person being photographed
//! the live camera and what to correct, full screen on a second monitor facing
//! them when the desk has one. Window management belongs to the shell, so these
//! two commands are the only ones that are not a `sesame_service` call.
//!
//! The window loads the same UI, which recognises it by its label, and its
//! capability (capabilities/holder.json) grants it `camera_frame` only.

use serde::Serialize;
use sesame_core::AppError;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};
use ts_rs::TS;

/// The holder window's label (the UI and capabilities/holder.json use it too).
pub const HOLDER_LABEL: &str = "holder";

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderViewInfo {
    /// Shown full screen on a monitor other than the desk's.
    pub second_monitor: bool,
    pub monitor_name: Option<String>,
}

/// What can go wrong with the holder's window.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    #[error("the holder's window could not be opened: {0}")]
    OpenFailed(tauri::Error),
}

sesame_core::error_codes! {
    WindowError {
        WindowError::OpenFailed(_) => "window.open_failed",
    }
}

fn window_error(error: tauri::Error) -> AppError {
    AppError::from_error(&WindowError::OpenFailed(error))
}

/// Opens (or brings forward) the holder's view.
#[tauri::command]
pub async fn open_holder_view(app: AppHandle) -> Result<HolderViewInfo, AppError> {
    let desk_monitor = app
        .get_webview_window("main")
        .and_then(|w| w.current_monitor().ok().flatten());
    // Full screen only on a monitor known to be another one than the desk's: when
    // the desk's own monitor cannot be told (some Wayland setups), a window it is.
    let monitors = app.available_monitors().map_err(window_error)?;
    let other = match &desk_monitor {
        Some(desk) if monitors.len() > 1 => monitors
            .into_iter()
            .find(|m| m.position() != desk.position()),
        _ => None,
    };
    let info = HolderViewInfo {
        second_monitor: other.is_some(),
        monitor_name: other.as_ref().and_then(|m| m.name().cloned()),
    };
    if let Some(window) = app.get_webview_window(HOLDER_LABEL) {
        window.set_focus().map_err(window_error)?;
        return Ok(info);
    }
    let mut builder = WebviewWindowBuilder::new(&app, HOLDER_LABEL, WebviewUrl::default())
        .title("Sésame — photo")
        .disable_drag_drop_handler();
    builder = match &other {
        Some(monitor) => {
            let scale = monitor.scale_factor();
            let position = monitor.position();
            builder
                .position(position.x as f64 / scale, position.y as f64 / scale)
                .fullscreen(true)
        }
        None => builder.inner_size(900.0, 700.0),
    };
    let window = builder.build().map_err(window_error)?;
    crate::web_view::lighten(&window);
    Ok(info)
}

/// Closes the holder's view if it is open; says whether it was.
#[tauri::command]
pub async fn close_holder_view(app: AppHandle) -> Result<bool, AppError> {
    match app.get_webview_window(HOLDER_LABEL) {
        Some(window) => {
            window.close().map_err(window_error)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    /// The holder's window may read the live frame and nothing else: no queue,
    /// no personal data of other holders, no files.
    #[test]
    fn the_holder_window_may_only_read_the_camera_frame() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src-tauri/capabilities/holder.json"
        );
        let capability: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            capability["windows"],
            serde_json::json!([super::HOLDER_LABEL])
        );
        assert_eq!(
            capability["permissions"],
            serde_json::json!(["allow-camera-frame"])
        );
        assert!(capability.get("remote").is_none());
    }
}
