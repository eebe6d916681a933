//! The service layer's error: any core crate's error, keeping its code.

use sesame_store::access_export::ProfileProblem;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Paths(#[from] crate::paths::PathsError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] sesame_store::StoreError),
    #[error(transparent)]
    Mail(#[from] sesame_mail::MailError),
    #[error(transparent)]
    Vault(#[from] sesame_vault::VaultError),
    #[error(transparent)]
    Card(#[from] sesame_card::CardError),
    #[error(transparent)]
    Directory(#[from] sesame_directory::DirectoryError),
    #[error("badge '{number}' is not a leaver's any more: its holder is in the directory and not disabled")]
    NotALeaver { number: String },
    #[error("the card reading stopped unexpectedly: {detail}")]
    CardTask { detail: String },
    #[error("the keyring task stopped unexpectedly: {detail}")]
    KeyTask { detail: String },
    #[error("cannot write the holder's export {path}: {detail}")]
    HolderExport { path: String, detail: String },
    #[error("erasing a holder needs a reason (e.g. the holder's request and its date)")]
    ReasonRequired,
    #[error("a photo cannot be attached as a document: take or import it in the photo station, where it is checked")]
    PhotoNotADocument,
    #[error("'{name}' cannot be a template file name: use letters, digits, - or _")]
    TemplateName { name: String },
    #[error("the templates have no version {version}")]
    NoTemplateVersion { version: i64 },
    #[error("cannot change the templates folder {path}: {source}")]
    TemplateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("the export profile is not usable: {}", profile_problem(*.problem))]
    ExportProfile { problem: ProfileProblem },
    #[error("there is no export profile '{id}'")]
    ExportProfileUnknown { id: String },
    #[error("another export profile already has the id '{id}'")]
    ExportProfileIdTaken { id: String },
    #[error("the desk settings file {path} cannot be used: {detail}")]
    DeskConfig { path: String, detail: String },
    #[error("the database address is not usable: {detail}")]
    BadDatabaseUrl { detail: String },
    #[error("{count} requests selected; a bulk action takes at most {max} at a time")]
    TooManyTargets { count: usize, max: usize },
    #[error("'{value}' is not a valid request id")]
    BadId { value: String },
    #[error("cannot create the print folder {path}: {source}")]
    PrintDir {
        path: String,
        source: std::io::Error,
    },
    #[error("no printing system (CUPS: lp, lpstat) on this desk; save the PDF and print it from another program")]
    NoPrintSystem,
    #[error("printer '{printer}' refused the job: {detail}")]
    PrinterRefused { printer: String, detail: String },
    #[error("the file sent is not valid base64: {detail}")]
    FileEncoding { detail: String },
    #[error("cannot write the export {path}: {source}")]
    ExportWrite {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Photo(#[from] sesame_photo::PhotoError),
    #[error("the photo data sent is not valid base64: {detail}")]
    PhotoEncoding { detail: String },
    #[error("the photo is not a badge photo made by this desk: {detail}")]
    NotABadgePhoto { detail: String },
    #[error("the badge photo is refused by the checks: {failures}")]
    PhotoRefused { failures: String },
    #[error("the photo does not pass {checks}: saving it anyway needs a reason")]
    PhotoOverrideReasonRequired { checks: String },
    #[error("a {kind} photo is saved once the operator confirms it shows the same person as the previous badge's")]
    SamePersonUnconfirmed { kind: String },
    #[error("no request being put together for '{key}': register one first")]
    NoOpenRequestForHolder { key: String },
    #[error("{count} requests are being put together for '{key}': choose one at the desk")]
    SeveralOpenRequests { key: String, count: usize },
    #[error("no camera is open")]
    CameraNotOpen,
    /// The camera thread's failure, kept with the photo crate's code.
    #[error("{message}")]
    CameraStream { code: &'static str, message: String },
    #[error("the photo task stopped unexpectedly: {detail}")]
    PhotoTask { detail: String },
    #[error(transparent)]
    Print(#[from] sesame_print::PrintError),
    #[error("no request is selected to print")]
    NothingSelected,
    #[error("nothing in the selection can be printed: {reasons}")]
    NothingToPrint { reasons: String },
    #[error("badge(s) {badges} were printed before: a reprint needs a reason")]
    ReprintReasonRequired { badges: String },
    #[error(
        "a reprint reason was given but no selected badge was printed before: nothing is a reprint"
    )]
    ReprintReasonWithoutReprint,
    #[error("the photo of request {request_id} cannot be read for printing: {message}")]
    PrintPhoto { request_id: String, message: String },
    #[error("cannot write the PDF {path}: {source}")]
    PrintOutput {
        path: String,
        source: std::io::Error,
    },
    #[error("'{operator}' is not a supervisor: {action} of {target} needs a supervisor or a supervisor's countersign")]
    SupervisorRequired {
        action: crate::SensitiveAction,
        /// What the action acts on, as a countersign names it (`operator:bob`).
        target: String,
        operator: String,
    },
    #[error("the desk of '{operator}' is locked: unlock it with the operator's PIN")]
    DeskLocked { operator: String },
    #[error("nobody is signed in at this desk: sign in with your name and PIN")]
    SignInRequired,
    #[error("the intake draft is {bytes} bytes, more than the {max} a form holds")]
    DraftTooLarge { bytes: usize, max: usize },
    #[error("the housekeeping account may only run housekeeping, not {action}")]
    HousekeepingOnly { action: String },
    #[error("the housekeeping token is missing or not the one set up: {detail}")]
    HousekeepingTokenInvalid { detail: String },
    #[error("operator '{name}' is deactivated")]
    OperatorInactive { name: String },
    #[error("a PIN is {min} to {max} digits")]
    PinInvalid { min: usize, max: usize },
    #[error("wrong name or PIN for '{name}'")]
    PinWrong { name: String },
    #[error("the PIN of '{name}' is locked after too many wrong tries, until {until}")]
    PinLocked {
        name: String,
        until: chrono::DateTime<chrono::Utc>,
    },
    #[error("'{name}' has no PIN yet: set one in the settings")]
    PinNotSet { name: String },
    #[error("a database password is at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("'{name}' cannot be a database login: use 1 to 63 lower-case letters, digits, '.', '_' or '-', not starting with pg_ or sesame_")]
    LoginNameInvalid { name: String },
    #[error("'{name}' is not a supervisor and cannot countersign")]
    NotASupervisor { name: String },
    #[error("the PIN could not be hashed or checked: {detail}")]
    PinHash { detail: String },
    #[error("the badges are printed but the PDF could not be moved to {path} ({source}); it is at {temp}")]
    PrintNotMoved {
        path: String,
        temp: String,
        source: std::io::Error,
    },
    #[error("the office's name is 1 to {max} characters, without control characters")]
    OfficeNameInvalid { max: usize },
    #[error("the logo cannot be printed on a badge: {detail}")]
    OfficeLogo { detail: String },
    #[error("the logo is {bytes} bytes, more than the {max} allowed")]
    OfficeLogoTooLarge { bytes: usize, max: usize },
    #[error("the folder {path} cannot take the desk's files: {detail}")]
    OutputFolderInvalid { path: String, detail: String },
    #[error("this computer's output folder is set by its administrator ({fixed}): {path} cannot be chosen here")]
    OutputFolderFixed { path: String, fixed: String },
    #[error("the categories to keep are not valid: {detail}")]
    SetupCategories { detail: String },
    #[error("no badge is selected")]
    NoBadgeSelected,
    #[error("nothing in the selection can be dispatched: {reasons}")]
    NothingToDispatch { reasons: String },
    #[error("{days} days is not a usable delay (1 to {max})")]
    InvalidDays { days: u32, max: u32 },
    #[error("a deactivation needs a reason")]
    DeactivationReasonRequired,
    #[error("badge '{number}' is not on the inactivity list")]
    NotOnInactivityList { number: String },
    #[error("cannot write the dispatch list {path}: {source}")]
    ListUnwritable {
        path: String,
        source: std::io::Error,
    },
    #[error("the badges are dispatched but their list could not be moved to {path} ({source}); it is at {temp}")]
    ListNotMoved {
        path: String,
        temp: String,
        source: std::io::Error,
    },
}

sesame_core::error_codes! {
    ServiceError {
        ServiceError::Paths(e) => e.code(),
        ServiceError::DataDir { .. } => "paths.data_dir_unwritable",
        // The codec's own code (e.g. `vault.wrong_key`) says more than "codec failed".
        ServiceError::Store(sesame_store::StoreError::Codec { reason, .. }) => {
            sesame_vault::codec_error_code(reason).unwrap_or("attachment.codec_failed")
        },
        ServiceError::Store(e) => e.code(),
        ServiceError::Mail(e) => e.code(),
        ServiceError::Vault(e) => e.code(),
        ServiceError::Card(e) => e.code(),
        ServiceError::Directory(e) => e.code(),
        ServiceError::NotALeaver { .. } => "directory.not_a_leaver",
        ServiceError::CardTask { .. } => "card.reader_failed",
        ServiceError::KeyTask { .. } => "vault.keyring_task_failed",
        ServiceError::HolderExport { .. } => "holder.export_failed",
        ServiceError::ReasonRequired => "holder.erase_reason_required",
        ServiceError::BadId { .. } => "request.bad_id",
        ServiceError::PhotoNotADocument => "attachment.photo_not_a_document",
        ServiceError::TemplateName { .. } => "template.bad_name",
        ServiceError::NoTemplateVersion { .. } => "template.no_version",
        ServiceError::TemplateFolder { .. } => "template.folder_unwritable",
        ServiceError::ExportProfile { problem: ProfileProblem::Id } => "access_export.bad_id",
        ServiceError::ExportProfile { problem: ProfileProblem::Name } => "access_export.no_name",
        ServiceError::ExportProfile { problem: ProfileProblem::NoColumns } => "access_export.no_columns",
        ServiceError::ExportProfile { problem: ProfileProblem::Header } => "access_export.no_header",
        ServiceError::ExportProfile { problem: ProfileProblem::Delimiter } => "access_export.bad_delimiter",
        ServiceError::ExportProfile { problem: ProfileProblem::PhotoSize } => "access_export.bad_photo_size",
        ServiceError::ExportProfile { problem: ProfileProblem::PhotoColumn } => "access_export.photo_column_without_photos",
        ServiceError::ExportProfile { problem: ProfileProblem::Schedule } => "access_export.bad_schedule",
        ServiceError::ExportProfileUnknown { .. } => "access_export.unknown_profile",
        ServiceError::ExportProfileIdTaken { .. } => "access_export.id_taken",
        ServiceError::DeskConfig { .. } => "settings.config_unreadable",
        ServiceError::BadDatabaseUrl { .. } => "settings.bad_database_url",
        ServiceError::TooManyTargets { .. } => "queue.too_many_selected",
        ServiceError::PrintDir { .. } => "print.folder_unwritable",
        ServiceError::NoPrintSystem => "print.no_print_system",
        ServiceError::PrinterRefused { .. } => "print.printer_refused",
        ServiceError::FileEncoding { .. } => "import.bad_encoding",
        ServiceError::ExportWrite { .. } => "export.write_failed",
        ServiceError::Photo(e) => e.code(),
        ServiceError::PhotoEncoding { .. } => "photo.bad_encoding",
        ServiceError::NotABadgePhoto { .. } => "photo.not_a_badge_photo",
        ServiceError::PhotoRefused { .. } => "photo.refused",
        ServiceError::PhotoOverrideReasonRequired { .. } => "photo.override_reason_required",
        ServiceError::SamePersonUnconfirmed { .. } => "photo.same_person_unconfirmed",
        ServiceError::NoOpenRequestForHolder { .. } => "photo.no_open_request",
        ServiceError::SeveralOpenRequests { .. } => "photo.several_open_requests",
        ServiceError::CameraNotOpen => "photo.camera_not_open",
        ServiceError::CameraStream { code, .. } => code,
        ServiceError::PhotoTask { .. } => "photo.task_failed",
        ServiceError::Print(e) => e.code(),
        ServiceError::NothingSelected => "print.nothing_selected",
        ServiceError::NothingToPrint { .. } => "print.nothing_to_print",
        ServiceError::ReprintReasonRequired { .. } => "print.reprint_reason_required",
        ServiceError::ReprintReasonWithoutReprint => "print.reprint_reason_without_reprint",
        ServiceError::PrintPhoto { .. } => "print.photo_unreadable",
        ServiceError::PrintOutput { .. } => "print.output_unwritable",
        ServiceError::PrintNotMoved { .. } => "print.output_not_moved",
        ServiceError::SupervisorRequired { .. } => "operator.supervisor_required",
        ServiceError::DeskLocked { .. } => "operator.desk_locked",
        ServiceError::SignInRequired => "operator.sign_in_required",
        ServiceError::DraftTooLarge { .. } => "intake.draft_too_large",
        ServiceError::HousekeepingOnly { .. } => "operator.housekeeping_only",
        ServiceError::HousekeepingTokenInvalid { .. } => "operator.housekeeping_token_invalid",
        ServiceError::OperatorInactive { .. } => "operator.inactive",
        ServiceError::PinInvalid { .. } => "operator.pin_invalid",
        ServiceError::PinWrong { .. } => "operator.pin_wrong",
        ServiceError::PinLocked { .. } => "operator.pin_locked",
        ServiceError::PinNotSet { .. } => "operator.pin_not_set",
        ServiceError::NotASupervisor { .. } => "operator.not_supervisor",
        ServiceError::PasswordTooShort { .. } => "operator.password_too_short",
        ServiceError::LoginNameInvalid { .. } => "operator.login_name_invalid",
        ServiceError::PinHash { .. } => "operator.pin_hash_failed",
        ServiceError::OfficeNameInvalid { .. } => "office.name_invalid",
        ServiceError::OfficeLogo { .. } => "office.logo_unreadable",
        ServiceError::OfficeLogoTooLarge { .. } => "office.logo_too_large",
        ServiceError::OutputFolderInvalid { .. } => "office.output_folder_invalid",
        ServiceError::OutputFolderFixed { .. } => "office.output_folder_fixed",
        ServiceError::SetupCategories { .. } => "setup.categories_invalid",
        ServiceError::NoBadgeSelected => "lifecycle.nothing_selected",
        ServiceError::NothingToDispatch { .. } => "dispatch.nothing_to_dispatch",
        ServiceError::InvalidDays { .. } => "lifecycle.invalid_days",
        ServiceError::DeactivationReasonRequired => "lifecycle.reason_required",
        ServiceError::NotOnInactivityList { .. } => "usage.not_inactive",
        ServiceError::ListUnwritable { .. } => "dispatch.list_unwritable",
        ServiceError::ListNotMoved { .. } => "dispatch.list_not_moved",
    }
}

/// Every code an error of a service function can carry: the service's own and those
/// of the errors it wraps, sorted. The UI's `ErrorCode` union is generated from this
/// list, so a code without a French and an English text is a type error there.
pub fn all_error_codes() -> Vec<&'static str> {
    use sesame_core::ErrorCodes;
    let mut codes: Vec<&'static str> = [
        ServiceError::CODES,
        crate::paths::PathsError::CODES,
        sesame_core::DomainError::CODES,
        sesame_store::StoreError::CODES,
        sesame_store::RowRefusal::CODES,
        sesame_mail::MailError::CODES,
        sesame_vault::VaultError::CODES,
        sesame_card::CardError::CODES,
        sesame_directory::DirectoryError::CODES,
        sesame_photo::PhotoError::CODES,
        sesame_print::PrintError::CODES,
    ]
    .concat();
    codes.sort_unstable();
    codes.dedup();
    codes
}

impl ServiceError {
    /// For a refusal for want of a supervisor: the action and target a countersign
    /// would allow, for the UI's countersign dialog (see `AppError::countersign`).
    pub fn countersign_need(&self) -> Option<sesame_core::CountersignNeed> {
        match self {
            ServiceError::SupervisorRequired { action, target, .. } => {
                Some(sesame_core::CountersignNeed {
                    action: action.as_str().to_owned(),
                    target: target.clone(),
                })
            }
            _ => None,
        }
    }

    /// The error as the UI receives it: its code, its text, and the countersign
    /// that would lift it when it is a supervisor's refusal.
    pub fn to_app_error(&self) -> sesame_core::AppError {
        sesame_core::AppError::from_error(self).with_countersign(self.countersign_need())
    }
}

/// "id: reason (detail); …": the requests a batch left out, for the message of an
/// error saying nothing in it could be done (the UI translates the code, not this).
pub(crate) fn left_out<'a, R: serde::Serialize + 'a>(
    items: impl IntoIterator<Item = (String, &'a R, Option<&'a str>)>,
) -> String {
    items
        .into_iter()
        .map(|(id, reason, detail)| {
            let reason = serde_json::to_value(reason)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            match detail {
                Some(detail) => format!("{id}: {reason} ({detail})"),
                None => format!("{id}: {reason}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What is wrong with an export profile, in the English detail of its error.
fn profile_problem(problem: ProfileProblem) -> &'static str {
    match problem {
        ProfileProblem::Id => "its id must be 1 to 40 lowercase letters, digits or -",
        ProfileProblem::Name => "it needs a name",
        ProfileProblem::NoColumns => "it has no column",
        ProfileProblem::Header => "a column has no header",
        ProfileProblem::Delimiter => {
            "its delimiter must be one punctuation sign, a space or a tab (not \")"
        }
        ProfileProblem::PhotoSize => "photo sides must be 32 to 2000 pixels",
        ProfileProblem::PhotoColumn => "a column holds the photo but no photos are written",
        ProfileProblem::Schedule => "it runs every 1 to 366 days",
    }
}
