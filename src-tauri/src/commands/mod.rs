//! The Tauri commands, written from the one table in `table.rs`: each command
//! deserialises its arguments, calls the `sesame_service` function of the same name
//! and maps the error to the `{code, message}` the UI receives. No logic here.
//!
//! The same table gives build.rs the names the ACL allows, [`invoke_handler`] the
//! handlers, [`specs`] the TypeScript signatures of `ui/src/lib/ipc/generated/`, and
//! the tests the list the capability file must grant.

use sesame_core::{AppError, AuditEntry, Badge, Operator, OperatorRole, Policy, Zone};
use sesame_service::*;

use crate::bindings::{ArgSpec, CommandSpec};
use crate::holder_window::HolderViewInfo;
use crate::state::DeskState;

/// The one error mapping every command uses: the service error, with its stable
/// code, as the `{code, message}` the UI receives (and, for a supervisor's
/// refusal, the countersign that would lift it).
fn coded(error: ServiceError) -> AppError {
    error.to_app_error()
}

/// Writes everything from the table: `name(arg: Type, ...) -> Return;` per command.
macro_rules! app_commands {
    (
        @signed_out {
            $( $oname:ident ( $($oarg:ident : $oargty:ty),* ) -> $oret:ty ; )*
        }
        $( $name:ident ( $($arg:ident : $argty:ty),* ) -> $ret:ty ; )*
        @shell {
            $( $sname:ident ( $($sarg:ident : $sargty:ty),* ) -> $sret:ty ; )*
        }
    ) => {
        /// The service commands, each a call of the service function of its name:
        /// those under `@signed_out` on the desk as it is, every other one only once
        /// the desk's operator signed in and it is not locked.
        mod service {
            use super::*;
            $(
                #[tauri::command]
                pub async fn $oname(
                    state: tauri::State<'_, DeskState>,
                    $($oarg: $oargty),*
                ) -> Result<$oret, AppError> {
                    sesame_service::$oname(state.desk().await?, $($oarg),*)
                        .await
                        .map_err(coded)
                }
            )*
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, DeskState>,
                    $($arg: $argty),*
                ) -> Result<$ret, AppError> {
                    sesame_service::$name(state.signed_in_desk().await?, $($arg),*)
                        .await
                        .map_err(coded)
                }
            )*
        }

        /// The handler given to `tauri::Builder::invoke_handler`.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![
                $( service::$oname, )* $( service::$name, )* $( crate::holder_window::$sname ),*
            ]
        }

        /// Every command's name, in the table's order (build.rs has the same list).
        pub const COMMAND_NAMES: &[&str] = &[
            $( stringify!($oname), )* $( stringify!($name), )* $( stringify!($sname) ),*
        ];

        /// The commands that run while nobody is signed in or the desk is locked.
        pub const SIGNED_OUT_COMMANDS: &[&str] = &[$( stringify!($oname) ),*];

        /// The TypeScript signature of every command.
        pub fn specs(cfg: &ts_rs::Config) -> Vec<CommandSpec> {
            vec![$(
                CommandSpec::new::<$oret>(
                    cfg,
                    stringify!($oname),
                    vec![$( ArgSpec::new::<$oargty>(cfg, stringify!($oarg)) ),*],
                ),
            )* $(
                CommandSpec::new::<$ret>(
                    cfg,
                    stringify!($name),
                    vec![$( ArgSpec::new::<$argty>(cfg, stringify!($arg)) ),*],
                ),
            )* $(
                CommandSpec::new::<$sret>(
                    cfg,
                    stringify!($sname),
                    vec![$( ArgSpec::new::<$sargty>(cfg, stringify!($sarg)) ),*],
                )
            ),*]
        }

        // Compile-time proof that each shell command's declared signature is its real
        // one (the service commands are written from the table, so theirs are).
        #[allow(dead_code, clippy::all)]
        fn _shell_signatures_match_the_table() {
            $(
                let _ = |app: tauri::AppHandle, $($sarg: $sargty),*| async move {
                    let result: Result<$sret, AppError> = crate::holder_window::$sname(app, $($sarg),*).await;
                    result
                };
            )*
        }
    };
}

include!("table.rs");

#[cfg(test)]
mod tests {
    use super::{COMMAND_NAMES, SIGNED_OUT_COMMANDS};

    /// Everything but signing in, the first start's setup, unlocking and
    /// what the sign-in screen shows waits for a signed-in, unlocked desk: a command
    /// moved under `@signed_out` by mistake would serve the queue to anyone.
    #[test]
    fn only_the_sign_in_commands_run_signed_out() {
        assert_eq!(
            SIGNED_OUT_COMMANDS,
            [
                "app_info",
                "sign_in_state",
                "sign_in",
                "first_start_defaults",
                "set_up_desk",
                "sign_out",
                "desk_session",
                "unlock_desk"
            ]
        );
    }

    fn kebab(name: &str) -> String {
        name.replace('_', "-")
    }

    /// Fails when a command is added without being reviewed into the capability
    /// file, or when the capability grants anything but the app's own commands.
    #[test]
    fn the_capability_grants_only_the_app_commands() {
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
        let mut expected: Vec<String> = COMMAND_NAMES
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
