//! The Tauri commands: each one deserialises its arguments, calls exactly one
//! `sesame_service` function and maps the error to [`AppError`]. No logic here.
//!
//! Commands are declared with [`app_commands!`], which also records their
//! TypeScript signature for `ui/src/lib/ipc/generated/commands.ts` and checks at
//! compile time that the declared signature is the function's real one.

pub mod names;

mod app;
mod photo;
mod print;
mod queue;

use crate::bindings::CommandSpec;

/// The one error mapping every command uses: the service error, with its
/// stable code, as the `{code, message}` the UI receives.
fn coded(error: sesame_service::ServiceError) -> sesame_core::AppError {
    sesame_core::AppError::from_error(&error)
}

/// Declares the command table: `name(arg: Type, ...) -> Return` per line, each
/// naming a function of the same name in a submodule.
macro_rules! app_commands {
    ($( $module:ident :: $name:ident ( $($arg:ident : $argty:ty),* ) -> $ret:ty ; )*) => {
        /// The handler given to `tauri::Builder::invoke_handler`.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( $module::$name ),*]
        }

        /// The names of the registered commands, in declaration order.
        pub fn registered_names() -> Vec<&'static str> {
            vec![$( stringify!($name) ),*]
        }

        /// The TypeScript signature of every command.
        pub fn specs(cfg: &ts_rs::Config) -> Vec<CommandSpec> {
            vec![$(
                CommandSpec::new::<$ret>(
                    cfg,
                    stringify!($name),
                    vec![$( crate::bindings::ArgSpec::new::<$argty>(cfg, stringify!($arg)) ),*],
                )
            ),*]
        }

        // Compile-time proof that each declared signature is the real one: this
        // only type-checks if the command takes these arguments in this order
        // and returns `Result<$ret, AppError>`. Never called.
        #[allow(dead_code, clippy::all)]
        fn _signatures_match_declarations() {
            $(
                let _ = |state: tauri::State<'static, crate::state::DeskState>, $($arg: $argty),*| async move {
                    let result: Result<$ret, sesame_core::AppError> = $module::$name(state, $($arg),*).await;
                    result
                };
            )*
        }
    };
}

app_commands! {
    app::app_info() -> sesame_service::AppInfo;
    queue::list_requests(query: sesame_store::QueueQuery) -> sesame_store::QueuePage;
    queue::queue_counts() -> Vec<sesame_store::StatusCount>;
    queue::create_request(request: sesame_store::NewRequest) -> sesame_store::RequestDetail;
    queue::get_request(id: String) -> sesame_store::RequestDetail;
    queue::request_history(id: String) -> Vec<sesame_core::AuditEntry>;
    queue::transition_request(input: sesame_service::TransitionInput) -> sesame_store::RequestDetail;
    queue::get_policy() -> sesame_core::Policy;
    queue::import_requests_csv(input: sesame_service::CsvImportInput) -> sesame_store::ImportReport;
    queue::export_queue_csv(query: sesame_store::QueueQuery) -> sesame_service::ExportedFile;
    queue::export_badges_csv() -> sesame_service::ExportedFile;
    print::preview_print(job: sesame_service::PrintJob) -> sesame_service::PrintPreview;
    print::print_badges(input: sesame_service::PrintRunInput) -> sesame_service::PrintRun;
    print::list_printers() -> Vec<sesame_service::PrinterInfo>;
    print::print_calibration(input: sesame_service::CalibrationInput) -> sesame_service::ExportedFile;
    photo::check_photo_bytes(image: String) -> sesame_service::PhotoCheckOutcome;
    photo::save_request_photo(input: sesame_service::SavePhotoInput) -> sesame_store::RequestDetail;
    photo::get_request_photo(id: String) -> Option<sesame_service::RequestPhoto>;
    photo::camera_list() -> Vec<sesame_service::CameraInfo>;
    photo::camera_open(input: sesame_service::CameraOpenInput) -> sesame_service::CameraInfo;
    photo::camera_frame() -> Option<sesame_service::LiveFrame>;
    photo::camera_auto_capture(enabled: bool) -> bool;
    photo::camera_capture() -> sesame_service::PhotoCheckOutcome;
    photo::camera_close() -> bool;
}
