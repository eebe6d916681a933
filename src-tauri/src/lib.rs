//! Sésame's desktop shell: opens the desk (database, settings) and exposes the
//! `sesame_service` functions to the UI as Tauri commands. Nothing else lives
//! here; see ARCHITECTURE.md for the map.

pub mod bindings;
pub mod commands;
pub mod holder_window;
mod mail_sender;
mod state;
pub mod web_view;

use state::DeskState;
use tauri::Manager;
use tracing_subscriber::EnvFilter;

/// Starts the app: opens the desk while the window opens. If the desk cannot be
/// opened (database unreachable, unreadable file) the window still opens and
/// every command answers with the reason, so the operator can fix the setting.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    tauri::Builder::default()
        .manage(DeskState::open_default())
        .setup(|app| {
            if let Some(main) = app.get_webview_window("main") {
                web_view::lighten(&main);
            }
            mail_sender::start(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            // The holder's full-screen view must not outlive the desk's window.
            if window.label() == "main" && matches!(event, tauri::WindowEvent::Destroyed) {
                if let Some(holder) = window
                    .app_handle()
                    .get_webview_window(holder_window::HOLDER_LABEL)
                {
                    let _ = holder.close();
                }
            }
        })
        .invoke_handler(commands::invoke_handler())
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
