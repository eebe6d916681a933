//! The Tauri commands: each one deserialises its arguments, calls exactly one
//! `sesame_service` function and maps the error to [`AppError`]. No logic here.
//!
//! Commands are declared with [`app_commands!`], which also records their
//! TypeScript signature for `ui/src/lib/ipc/generated/commands.ts` and checks at
//! compile time that the declared signature is the function's real one.

pub mod names;

mod app;
mod desk;
mod lifecycle;
mod photo;
mod print;
mod protection;
mod queue;
mod service_command;

use crate::bindings::CommandSpec;

/// The one error mapping every command uses: the service error, with its
/// stable code, as the `{code, message}` the UI receives.
fn coded(error: sesame_service::ServiceError) -> sesame_core::AppError {
    sesame_core::AppError::from_error(&error)
}

/// Declares the command table: `name(arg: Type, ...) -> Return` per line, each
/// naming a function of the same name in a submodule.
macro_rules! app_commands {
    (
        $( $module:ident :: $name:ident ( $($arg:ident : $argty:ty),* ) -> $ret:ty ; )*
        // Window commands of the shell itself: they take the `AppHandle` first.
        @shell {
            $( $smodule:ident :: $sname:ident ( $($sarg:ident : $sargty:ty),* ) -> $sret:ty ; )*
        }
    ) => {
        /// The handler given to `tauri::Builder::invoke_handler`.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( $module::$name, )* $( crate::$smodule::$sname ),*]
        }

        /// The names of the registered commands, in declaration order.
        pub fn registered_names() -> Vec<&'static str> {
            vec![$( stringify!($name), )* $( stringify!($sname) ),*]
        }

        /// The TypeScript signature of every command.
        pub fn specs(cfg: &ts_rs::Config) -> Vec<CommandSpec> {
            vec![$(
                CommandSpec::new::<$ret>(
                    cfg,
                    stringify!($name),
                    vec![$( crate::bindings::ArgSpec::new::<$argty>(cfg, stringify!($arg)) ),*],
                ),
            )* $(
                CommandSpec::new::<$sret>(
                    cfg,
                    stringify!($sname),
                    vec![$( crate::bindings::ArgSpec::new::<$sargty>(cfg, stringify!($sarg)) ),*],
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
            $(
                let _ = |app: tauri::AppHandle, $($sarg: $sargty),*| async move {
                    let result: Result<$sret, sesame_core::AppError> = crate::$smodule::$sname(app, $($sarg),*).await;
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
    desk::queue_counts_filtered(query: sesame_store::QueueQuery) -> Vec<sesame_store::StatusCount>;
    desk::transition_many(input: sesame_service::BulkTransitionInput) -> sesame_service::BulkOutcome;
    desk::add_request_document(input: sesame_service::DocumentInput) -> sesame_store::RequestDetail;
    desk::get_attachment_content(id: String) -> sesame_service::AttachmentContent;
    desk::remove_attachment(input: sesame_service::RemoveAttachmentInput) -> sesame_store::RequestDetail;
    desk::save_policy(policy: sesame_core::Policy) -> sesame_core::Policy;
    desk::database_settings() -> sesame_service::DatabaseSettings;
    desk::save_database_settings(input: sesame_service::DatabaseSettingsInput) -> sesame_service::DatabaseSettings;
    desk::mail_settings() -> sesame_service::MailSetup;
    desk::save_mail_settings(input: sesame_service::SaveMailSettingsInput) -> sesame_service::MailSetup;
    desk::clear_mail_password() -> sesame_service::MailSetup;
    desk::send_test_mail(to: String) -> ();
    desk::list_templates() -> sesame_service::TemplateList;
    desk::install_template(upload: sesame_service::TemplateUpload) -> sesame_service::TemplateList;
    desk::restore_builtin_templates() -> sesame_service::TemplateList;
    protection::key_status() -> sesame_service::DeskKeyStatus;
    protection::export_key_file(input: sesame_service::KeyExportInput) -> sesame_service::ExportedFile;
    protection::import_key_file(input: sesame_service::KeyImportInput) -> sesame_service::KeyImportOutcome;
    protection::desk_session() -> sesame_service::DeskSession;
    protection::countersign(input: sesame_service::CountersignInput) -> sesame_service::DeskSession;
    protection::end_countersign() -> sesame_service::DeskSession;
    protection::lock_desk() -> sesame_service::DeskSession;
    protection::unlock_desk(pin: String) -> sesame_service::DeskSession;
    protection::set_own_pin(input: sesame_service::SetPinInput) -> sesame_service::DeskSession;
    protection::list_operators() -> Vec<sesame_core::Operator>;
    protection::add_operator(input: sesame_service::AddOperatorInput) -> sesame_core::Operator;
    protection::set_operator_role(name: String, role: sesame_core::OperatorRole) -> sesame_core::Operator;
    protection::set_operator_active(name: String, active: bool) -> sesame_core::Operator;
    protection::rename_operator(name: String, display_name: String) -> sesame_core::Operator;
    protection::reset_operator_pin(name: String) -> sesame_core::Operator;
    protection::retention_plan() -> sesame_store::PurgePlan;
    protection::retention_purge() -> sesame_store::PurgeReport;
    protection::export_holder_archive(holder_id: String) -> sesame_service::HolderExport;
    protection::erase_holder_data(input: sesame_service::EraseHolderInput) -> sesame_store::HolderErasure;
    lifecycle::expiring_badges(days: Option<u32>) -> Vec<sesame_store::ExpiringBadge>;
    lifecycle::extend_badge(input: sesame_service::ExtendBadgeInput) -> sesame_core::Badge;
    lifecycle::renew_badge(input: sesame_service::RenewBadgeInput) -> sesame_store::RenewalOutcome;
    lifecycle::dispatch_badges(input: sesame_service::DispatchInput) -> sesame_service::DispatchRun;
    lifecycle::record_activations(badge_numbers: Vec<String>) -> sesame_store::BadgeBatchOutcome;
    lifecycle::not_activated_badges(days: Option<u32>) -> Vec<sesame_store::NotActivatedRow>;
    lifecycle::find_badges(text: String) -> Vec<sesame_store::BadgeRow>;
    lifecycle::declare_opposition(input: sesame_service::DeclareOppositionInput) -> sesame_store::OppositionOutcome;
    lifecycle::badge_oppositions(badge_id: String) -> Vec<sesame_store::Opposition>;
    lifecycle::carried_over(request_id: String) -> sesame_store::CarriedOver;
    lifecycle::confirm_carried_over(input: sesame_service::ConfirmCarriedOverInput) -> sesame_store::RequestDetail;
    lifecycle::lift_opposition(input: sesame_service::LiftOppositionInput) -> sesame_core::Badge;
    lifecycle::list_zones() -> Vec<sesame_core::Zone>;
    lifecycle::badge_zones(badge_id: String) -> Vec<sesame_store::BadgeZone>;
    lifecycle::request_zone_access(input: sesame_service::ZoneAccessInput) -> sesame_store::RequestDetail;
    lifecycle::save_zone(input: sesame_service::SaveZoneInput) -> sesame_core::Zone;
    lifecycle::pending_zone_approvals() -> Vec<sesame_service::PendingZoneRequest>;
    lifecycle::record_zone_decision(input: sesame_service::ZoneDecisionInput) -> sesame_store::ZoneApprovals;
    lifecycle::export_zone_rights(format: sesame_service::ZoneRightsFormat) -> sesame_service::ExportedFile;
    lifecycle::create_day_pass(request: sesame_store::NewRequest) -> sesame_store::RequestDetail;
    lifecycle::visitors_of_day(input: sesame_service::VisitorsDayInput) -> Vec<sesame_store::VisitorRow>;
    lifecycle::import_usage_log(input: sesame_service::CsvImportInput) -> sesame_store::UsageImportReport;
    lifecycle::inactive_badges(days: Option<u32>) -> Vec<sesame_store::InactiveBadge>;
    lifecycle::deactivate_unused_badges(input: sesame_service::DeactivateUnusedInput) -> sesame_store::BadgeBatchOutcome;
    lifecycle::mail_outbox(query: sesame_store::OutboxQuery) -> Vec<sesame_store::OutboxMessage>;
    lifecycle::mail_outbox_counts() -> Vec<sesame_store::MailStatusCount>;
    lifecycle::retry_mail(id: String) -> sesame_store::OutboxMessage;
    lifecycle::cancel_mail(id: String, reason: Option<String>) -> sesame_store::OutboxMessage;
    @shell {
        holder_window::open_holder_view() -> crate::holder_window::HolderViewInfo;
        holder_window::close_holder_view() -> bool;
    }
}
