//! Sésame's desktop shell: opens the desk (database, settings) and exposes the
//! `sesame_service` functions to the UI as Tauri commands. Nothing else lives
//! here; see ARCHITECTURE.md for the map.

pub mod bindings;
pub mod commands;
mod error_codes;
pub mod holder_window;
mod mail_sender;
mod state;

use state::DeskState;
use tauri::Manager;
use tracing_subscriber::EnvFilter;

/// Starts the app: opens the desk, then the window. If the desk cannot be
/// opened (database unreachable, unreadable file) the window still opens and
/// every command answers with the reason, so the operator can fix the setting.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();

    let opened = tauri::async_runtime::block_on(sesame_service::Desk::open_default())
        .map_err(|e| sesame_core::AppError::from_error(&e));
    if let Err(error) = &opened {
        tracing::error!(%error, "the desk could not be opened");
    }

    tauri::Builder::default()
        .manage(DeskState::new(opened))
        .setup(|app| {
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

#[cfg(test)]
mod tests {
    use super::commands;

    fn kebab(name: &str) -> String {
        name.replace('_', "-")
    }

    #[test]
    fn registered_commands_are_exactly_the_acl_list() {
        let mut registered = commands::registered_names();
        let mut listed = commands::names::COMMAND_NAMES.to_vec();
        registered.sort_unstable();
        listed.sort_unstable();
        assert_eq!(
            registered, listed,
            "src-tauri/src/commands/names.rs and the app_commands! table disagree"
        );
    }

    /// Fails when a command is added without being reviewed into the capability
    /// file, or when the capability grants anything but the app's own commands.
    #[test]
    fn capability_grants_only_the_app_commands() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src-tauri/capabilities/main.json"
        );
        let capability: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions array")
            .iter()
            .map(|p| {
                p.as_str()
                    .expect("plain permission identifiers only")
                    .to_string()
            })
            .collect();
        let mut expected: Vec<String> = commands::names::COMMAND_NAMES
            .iter()
            .map(|n| format!("allow-{}", kebab(n)))
            .collect();
        granted.sort();
        expected.sort();
        assert_eq!(granted, expected);
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert!(
            capability.get("remote").is_none(),
            "no remote URL may reach the IPC"
        );
    }
}
