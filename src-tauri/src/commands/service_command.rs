//! `service_commands!`: Tauri commands that are exactly one `sesame_service` call
//! of the same name with the same arguments, declared in one line each instead
//! of the same eight lines each time.

/// `fn name(arg: Type, ...) -> Return;` becomes a `#[tauri::command]` that opens
/// the desk, calls `sesame_service::name(desk, arg, ...)` and maps the error.
macro_rules! service_commands {
    ($( fn $name:ident ( $($arg:ident : $argty:ty),* ) -> $ret:ty; )*) => {$(
        #[tauri::command]
        pub async fn $name(
            state: tauri::State<'_, crate::state::DeskState>,
            $($arg: $argty),*
        ) -> Result<$ret, sesame_core::AppError> {
            sesame_service::$name(state.desk()?, $($arg),*)
                .await
                .map_err(super::coded)
        }
    )*};
}

pub(crate) use service_commands;
