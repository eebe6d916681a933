//! Sésame's application services: the one place where a user action becomes
//! calls into the core crates. The Tauri commands and `sesamectl` both call
//! these functions and nothing below them, so the two can never disagree.
//! Each public function is one user action taking the [`Desk`] first.

mod csv;
mod day_pass;
mod desk;
mod desk_config;
mod dispatch;
mod documents;
mod error;
mod expiry;
mod housekeeping;
mod inactivity;
mod info;
mod keys;
mod lifecycle_error;
mod lifecycle_ids;
mod mail;
mod operator_admin;
mod operators;
mod opposition;
pub mod paths;
mod photo;
mod print;
pub mod printers;
mod queue;
mod renewal;
mod retention;
mod templates;
mod ui_lifecycle;
mod ui_protection;
mod zones;

pub use csv::{
    export_badges_csv, export_queue_csv, import_requests_csv, CsvImportInput, ExportedFile,
};
pub use day_pass::{create_day_pass, expected_visitors};
pub use desk::Desk;
pub use desk_config::{
    database_settings, save_database_settings, DatabaseChoice, DatabaseSettings,
    DatabaseSettingsInput,
};
pub use dispatch::{
    dispatch_badges, not_activated_badges, record_activations, DispatchInput, DispatchRun,
};
pub use documents::{
    add_request_document, get_attachment_content, remove_attachment, AttachmentContent,
    DocumentInput, RemoveAttachmentInput,
};
pub use error::ServiceError;
pub use expiry::expiring_badges;
pub use housekeeping::{
    last_housekeeping_run, queue_expiry_reminders, run_housekeeping, run_retention_purge,
    HousekeepingBadge, HousekeepingFailure, HousekeepingOptions, HousekeepingReport,
    ReminderSummary,
};
pub use inactivity::{
    deactivate_unused_badges, import_usage_bytes, import_usage_log, inactive_badges,
    DeactivateUnusedInput,
};
pub use info::{app_info, AppInfo};
pub use keys::{
    export_key, import_key, init_key, key_status, DeskKeyStatus, KeyImportKind, KeyImportOutcome,
};
pub use lifecycle_error::{LifecycleError, MAX_LIST_DAYS};
pub use mail::{
    cancel_mail, clear_mail_password, holder_mail_language, mail_outbox, mail_outbox_counts,
    mail_settings, retry_mail, save_mail_settings, send_due_mail, send_due_mail_now,
    send_test_mail, set_holder_mail_language, MailSetup, SaveMailSettingsInput,
    MAIL_SEND_INTERVAL_SECONDS,
};
pub use operator_admin::{
    add_operator, countersign, desk_session, end_countersign, list_operators, lock_desk,
    rename_operator, reset_operator_pin, set_operator_active, set_operator_role, set_own_pin,
    unlock_desk, AddOperatorInput, CountersignInput, DeskSession, SetPinInput, MAX_PIN_DIGITS,
    MIN_PIN_DIGITS,
};
pub use operators::{SensitiveAction, ELEVATION_WINDOW};
pub use opposition::{
    badge_oppositions, carried_over, confirm_carried_over, declare_opposition, lift_opposition,
    ConfirmCarriedOverInput, DeclareOppositionInput, LiftOppositionInput,
};
pub use photo::{
    camera_auto_capture, camera_capture, camera_close, camera_frame, camera_list, camera_open,
    check_photo_bytes, get_request_photo, save_request_photo, CameraInfo, CameraMode,
    CameraOpenInput, LiveFrame, PhotoCheckOutcome, PhotoEdits, PhotoReport, RequestPhoto,
    SavePhotoInput, CAMERA_FOLDER_ENV,
};
pub use print::{
    calibration_pdf, desk_templates, preview_print, print_to_file, save_calibration, DayPassLayout,
    DayPassPaper, Layout, Locale, PreviewCard, PrintJob, PrintOutcome, PrintPreview, PrintWarning,
    PrintWarningCode, PrintedCard, PrinterProfile, SheetLayout,
};
pub use printers::{
    print_badges, print_calibration, printers, CalibrationInput, PrintRun, PrintRunInput,
    PrinterInfo,
};
pub use queue::{
    create_request, get_policy, get_request, list_requests, queue_counts, queue_counts_filtered,
    request_history, save_policy, transition_many, transition_request, BulkOutcome, BulkRefusal,
    BulkTarget, BulkTransitionInput, TransitionInput, MAX_BULK_TARGETS,
};
pub use renewal::{extend_badge, renew_badge, ExtendBadgeInput, RenewBadgeInput};
pub use retention::{erase_holder, export_holder, purge, purge_plan, HolderExport};
pub use templates::{
    install_template, list_templates, restore_builtin_templates, TemplateEntry, TemplateList,
    TemplateUpload,
};
pub use ui_lifecycle::{
    find_badges, pending_zone_approvals, visitors_of_day, PendingZoneRequest, VisitorsDayInput,
};
pub use ui_protection::{
    erase_holder_data, export_holder_archive, export_key_file, import_key_file, retention_plan,
    retention_purge, EraseHolderInput, KeyExportInput, KeyImportInput,
};
pub use zones::{
    badge_zones, export_zone_rights, list_zones, record_zone_decision, request_zone_access,
    save_zone, zone_approvals, SaveZoneInput, ZoneAccessInput, ZoneDecisionInput, ZoneRightsFormat,
};
