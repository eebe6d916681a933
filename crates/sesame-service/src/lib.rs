//! Sésame's application services: the one place where a user action becomes calls
//! into the core crates. The Tauri commands and `sesamectl` both call these functions
//! and nothing below them (neither depends on the store or the vault), so the two can
//! never disagree.
//!
//! Each public function is one user action taking the [`Desk`] first and, when it
//! needs them, one value per argument the UI sends (ids as [`RequestId`] and its
//! siblings, chosen files as [`FileBytes`]). What only the command line may choose
//! (where a file goes, CSV options) sits in `#[serde(skip)]` fields of the inputs,
//! so a webview cannot set it.

mod access_export;
mod backup;
mod badges;
mod blocking;
mod card;
mod csv;
mod database_logins;
mod database_settings;
mod day_pass;
mod desk;
mod desk_config;
mod directory;
mod dispatch;
mod documents;
mod error;
mod follow_up;
mod housekeeping;
mod ids;
mod inactivity;
mod info;
mod intake_draft;
mod keys;
mod loans;
mod mail;
mod office;
mod operators;
mod opposition;
mod output_folder;
pub mod paths;
mod photo;
mod policy;
mod print;
mod queue;
mod renewal;
mod retention;
mod session;
mod sync;
mod template_set;
mod templates;
mod visits;
mod zones;

// --- The desk, its errors and what crosses its boundary -----------------------------
pub use desk::{Desk, DeskOptions};
pub use error::{all_error_codes, ServiceError};
pub use ids::{AttachmentId, BadgeId, FileBytes, HolderId, MailId, RefusedVisitorId, RequestId};
pub use output_folder::{
    output_dir, Destination, ExportedFile, OutputFolderChoice, ACCESS_EXPORT_FOLDER, PRINT_DIR_ENV,
};
pub use sesame_core::Clock;

/// The store's and the vault's shapes that service functions take and give: the
/// shells name them through here, never through the crates below.
pub use sesame_store::{
    BadgeBatchOutcome, BadgeLoan, BadgeQuery, BadgeRef, BadgeRow, BadgeSkip, BadgeZone,
    CarriedOver, CsvOptions, DbInfo, ExpiringBadge, ExpiryRule, HolderErasure, HolderKey,
    HousekeepingRun, ImportProgress, ImportReport, InactiveBadge, LoanEnd, LoanRow, MailStatus,
    MailStatusCount, MailTemplate, NewRequest, NotActivatedRow, Opposition, OppositionOutcome,
    OutboxMessage, OutboxQuery, OutputFilesPurge, PhotoCheckStats, PurgePlan, PurgeReport,
    QueuePage, QueueQuery, QueueSortField, RenewalOutcome, RequestDetail, RuleChange,
    SecuredDatabase, SortDirection, StatusCount, TemplateImageInfo, TemplateVersionSummary,
    UsageImportReport, VisitorRow, ZoneApprovals, MAX_PAGE_SIZE,
};
pub use sesame_vault::{
    BackupReport, KeyState, KeyStatus, KeyUsage, KeyVault, RestoreReport, MIN_PASSPHRASE_CHARS,
};

// --- The app and its settings --------------------------------------------------------
pub use backup::{backup_database, restore_backup, RestoreOutcome};
pub use database_settings::{
    database_settings, save_database_settings, DatabaseChoice, DatabaseSettings,
    DatabaseSettingsInput,
};
pub use info::{app_info, database_info, AppInfo};
pub use office::{
    first_start_defaults, office_settings, save_office_settings, set_up_desk, FirstStartDefaults,
    FirstStartInput, OfficeInput, OfficeSettings, SetupCategory, MAX_OFFICE_LOGO_BYTES,
    MAX_OFFICE_NAME_CHARS,
};
pub use policy::{get_policy, save_policy};
pub use templates::{
    add_template_image, export_template, install_template, list_templates, open_template_design,
    preview_template_design, restore_builtin_templates, restore_template_version,
    save_template_design, template_images, template_versions, DesignPreview, DesignPreviewInput,
    DesignSaveInput, PreviewHolder, TemplateDesignFile, TemplateEntry, TemplateExportInput,
    TemplateImageUpload, TemplateList, TemplateUpload,
};

// --- The queue and intake -------------------------------------------------------------
pub use csv::{
    csv_import_progress, export_badges_csv, export_queue_csv, import_requests_csv,
    import_requests_csv_reporting, BadgeExportInput, CsvImportInput, QueueExportInput,
};
pub use documents::{
    add_request_document, get_attachment_content, remove_attachment, AttachmentContent,
    DocumentInput, RemoveAttachmentInput, DOCUMENT_VIEWED,
};
pub use intake_draft::{intake_draft, save_intake_draft, MAX_INTAKE_DRAFT_BYTES};
pub use queue::{
    create_request, get_request, list_requests, look_up_requests, queue_counts,
    queue_counts_estimate, queue_counts_filtered, request_history, transition_many,
    transition_request, BulkOutcome, BulkRefusal, BulkTarget, BulkTransitionInput, TransitionInput,
    MAX_BULK_TARGETS,
};

// --- Photos ---------------------------------------------------------------------------
pub use photo::{
    camera_auto_capture, camera_capture, camera_close, camera_frame, camera_list, camera_open,
    check_photo_bytes, compare_with_previous_photo, get_request_photo, import_request_photo,
    office_photo_rules, photo_check_stats, plan_photo_import, restore_default_photo_rules,
    restore_request_photo, save_photo_rules, save_request_photo, BulkPhotoInput, BulkPhotoOutcome,
    BulkPhotoRow, CameraInfo, CameraMode, CameraOpenInput, CheckId, CheckKind, FaceComparison,
    LiveFrame, OverallVerdict, PhotoCheckInput, PhotoCheckOutcome, PhotoComparison,
    PhotoComparisonInput, PhotoEdits, PhotoError, PhotoImportPlan, PhotoImportPlanInput,
    PhotoReport, PhotoRules, PlannedPhoto, PreviousBadgePhoto, RequestPhoto, RestorePhotoInput,
    SavePhotoInput, Verdict, CAMERA_FOLDER_ENV,
};

// --- Printing -------------------------------------------------------------------------
pub use print::{
    list_printers, preview_print, print_badges, print_calibration, CalibrationInput, DayPassLayout,
    DayPassPaper, Layout, Locale, PreviewCard, PrintJob, PrintOutcome, PrintPreview, PrintRun,
    PrintRunInput, PrintWarning, PrintWarningCode, PrintedCard, PrinterInfo, PrinterProfile,
    SheetLayout, PREVIEW_PAGES, PREVIEW_WATERMARK, REPRINT_PREVIEWED,
};
pub use template_set::desk_templates;

// --- Badges after printing ---------------------------------------------------------
pub use access_export::{
    access_export_runs, access_export_settings, delete_access_export_profile, run_access_export,
    save_access_export_profile, AccessExportInput, AccessExportOutcome, AccessExportProfile,
    AccessExportProfileId, AccessExportSettings, SaveAccessExportInput,
};
pub use badges::{badge_by_number, find_badges};
pub use card::{
    bind_card, card_readers, identify_card, unbind_card, BindCardInput, BoundCard, CardReading,
    IdentifiedCard, UnbindCardInput,
};
pub use day_pass::{create_day_pass, visitors_of_day, VisitorsDayInput};
pub use directory::{
    check_directory_photo, clear_directory_password, deactivate_leavers, directory_available,
    directory_leavers, directory_settings, save_directory_settings, search_directory,
    sync_from_directory, test_directory, CategoryCount, DeactivateLeaversInput, DirectoryLeaver,
    DirectorySetup, DirectorySyncReport, DirectoryTest, HolderUpdate, LeaverCause,
    SaveDirectorySettingsInput,
};
pub use dispatch::{dispatch_badges, record_activations, DispatchInput, DispatchRun};
pub use follow_up::{expiring_badges, inactive_badges, not_activated_badges, MAX_LIST_DAYS};
pub use housekeeping::{
    housekeeping_history, last_housekeeping_run, run_housekeeping, HousekeepingBadge,
    HousekeepingFailure, HousekeepingOptions, HousekeepingReport, RecordedHousekeeping,
    ReminderSummary,
};
pub use inactivity::{deactivate_unused_badges, import_usage_log, DeactivateUnusedInput};
pub use loans::{lend_card, open_loans, return_loan_card, LendCardInput, LoanCardInput};
pub use opposition::{
    badge_oppositions, carried_over, confirm_carried_over, declare_opposition, lift_opposition,
    ConfirmCarriedOverInput, DeclareOppositionInput, LiftOppositionInput,
};
pub use renewal::{extend_badge, renew_badge, ExtendBadgeInput, RenewBadgeInput};
pub use sesame_card::{CardError, ReaderInfo};
pub use sesame_directory::{
    DirectoryAttributes, DirectoryKind, DirectoryPerson, DirectorySecurity, DirectorySettings,
    GroupCategory,
};
pub use sesame_store::{
    AccessExportRun, ExportColumn, ExportDateFormat, ExportEncoding, ExportField, ExportFileFormat,
    ExportProfile, ExportSelection, PhotoExport, StatusWord,
};
pub use sesame_store::{ClosedVisit, NewRefusedVisitor, RefusedVisitor, Visit, VisitHost};
pub use visits::{
    add_refused_visitor, check_in_visitor, check_out_visitor, refused_visitors,
    remove_refused_visitor, CheckInInput, CheckOutInput, CheckedIn,
};
pub use zones::{
    badge_zones, export_zone_rights, list_zones, pending_zone_approvals, record_zone_decision,
    request_zone_access, save_zone, zone_approvals, PendingZoneRequest, SaveZoneInput,
    ZoneAccessInput, ZoneDecisionInput, ZoneRightsExportInput, ZoneRightsFormat,
};

// --- E-mail to holders -------------------------------------------------------------
pub use mail::{
    cancel_mail, clear_mail_password, holder_mail_language, mail_outbox, mail_outbox_counts,
    mail_settings, retry_mail, save_mail_settings, send_due_mail, send_test_mail,
    set_holder_mail_language, MailSetup, SaveMailSettingsInput, MAIL_SEND_INTERVAL_SECONDS,
};

// --- Operators, keys and personal data ----------------------------------------------
pub use database_logins::{create_database_login, secure_database, MIN_PASSWORD_CHARS};
pub use keys::{
    export_key_file, import_key_file, init_key, key_status, DeskKeyStatus, KeyExportInput,
    KeyImportInput, KeyImportKind, KeyImportOutcome, DATA_KEY_AUDIT_ID,
};
pub use operators::{
    add_operator, countersign, desk_session, end_countersign, list_operators, lock_desk,
    operator_target, rename_operator, reset_operator_pin, set_operator_active, set_operator_role,
    set_own_pin, set_up_first_supervisor, set_up_housekeeping_token, sign_in, sign_in_housekeeping,
    sign_in_state, sign_out, unlock_desk, AddOperatorInput, CountersignInput, DeskSession,
    FirstSupervisorInput, SetPinInput, SignInInput, SignInState, HOUSEKEEPING_ACCOUNT,
    MAX_PIN_DIGITS, MIN_PIN_DIGITS,
};
pub use retention::{
    erase_holder_data, export_holder_archive, retention_plan, retention_purge, EraseHolderInput,
    HolderExport, HOLDER_EXPORTED,
};
pub use session::{SensitiveAction, ELEVATION_WINDOW};
