//! The store's errors. Each has a stable code (see `ErrorCode`); nothing is written when one is returned.

use sesame_core::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A domain rule refused the change (illegal transition, invalid holder, …).
    #[error(transparent)]
    Domain(#[from] DomainError),

    #[error("{entity} '{id}' does not exist")]
    NotFound { entity: &'static str, id: String },

    #[error("{entity} '{id}' was changed by someone else (expected version {expected}, found {actual}); reload it")]
    VersionConflict {
        entity: &'static str,
        id: String,
        expected: i64,
        actual: i64,
    },

    #[error("request '{id}' is being printed by '{operator}'")]
    ClaimedByOther { id: String, operator: String },

    #[error("database URL '{url}' is not supported (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl { url: String },

    #[error("cannot open the database at '{url}': {source}")]
    Open {
        url: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("the PostgreSQL server at '{url}' was refused: its certificate could not be verified for this host ({detail}); give the office's CA with sslrootcert=/path/ca.pem in the URL")]
    TlsRefused { url: String, detail: String },

    #[error("the database schema is newer than this version of Sésame ({detail})")]
    SchemaTooNew { detail: String },

    #[error("cannot update the database schema: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),

    #[error("another desk is writing to the database; try again ({0})")]
    Busy(#[source] sqlx::Error),

    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),

    #[error("request '{id}' cannot be reprinted: {reason}")]
    NotReprintable { id: String, reason: String },

    #[error("card serial '{serial}' is already on badge '{number}'")]
    CardSerialTaken { serial: String, number: String },

    #[error("could not find a free badge number after {attempts} attempts (last tried '{last}')")]
    BadgeNumberExhausted { attempts: u32, last: String },

    #[error("attachment of type '{found}' is not accepted for {kind} (expected {expected})")]
    UnsupportedAttachment {
        kind: String,
        found: String,
        expected: String,
    },

    #[error("attachment of {size} bytes is larger than the {max} bytes allowed")]
    AttachmentTooLarge { size: usize, max: usize },

    #[error("attachments cannot change on a request in status '{status}'")]
    RequestClosed { status: String },

    #[error("attachment '{id}' cannot be decoded: {reason}")]
    Codec { id: String, reason: String },

    #[error("the CSV file cannot be read: {reason}")]
    CsvUnreadable { reason: String },

    #[error("the CSV file lacks the required column(s): {}", .columns.join(", "))]
    CsvMissingColumns { columns: Vec<String> },

    #[error("the CSV file has no data rows")]
    CsvEmpty,

    #[error("the CSV file has {rows} rows, more than the {max} allowed in one import")]
    CsvTooLarge { rows: usize, max: usize },

    #[error("cannot write the CSV export: {0}")]
    Export(String),

    #[error("invalid queue query: {reason}")]
    InvalidQuery { reason: String },

    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),

    #[error("holder '{holder}' cannot be anonymised yet: {detail}")]
    HolderStillActive { holder: String, detail: String },

    #[error("holder '{holder}' was already anonymised")]
    HolderAnonymised { holder: String },

    #[error("the CSV file is {bytes} bytes, more than the {max} allowed in one import")]
    CsvFileTooLarge { bytes: usize, max: usize },

    #[error("operator '{name}' already exists")]
    OperatorExists { name: String },

    #[error("'{name}' is the last active supervisor: make another operator supervisor first")]
    LastSupervisor { name: String },
    /// The first supervisor can only be set up while no active supervisor has a PIN.
    #[error("the desk is already set up: sign in as a supervisor to add operators")]
    SetupDone,

    #[error("operator name '{name}' is not valid (at most 120 characters, no control characters)")]
    OperatorNameInvalid { name: String },

    /// The database itself refused a change to this login (see `0008_database_roles.sql`).
    #[error("the database refused this to your login ({action}): a supervisor must do it or countersign it")]
    DatabaseRefused { action: String },

    #[error(
        "the database refused the login '{name}': wrong name or password, or the login is disabled"
    )]
    LoginRefused { name: String },

    #[error("the login '{name}' is not one of the queue's operators (a member of sesame_clerk, sesame_supervisor or sesame_housekeeping)")]
    NotAnOperatorLogin { name: String },

    #[error("this queue signs operators in with their own database login: sign in first")]
    SignedOut,

    #[error("this needs a PostgreSQL queue whose operators sign in with their own database login")]
    NoDatabaseLogins,

    #[error("the database's schema is older than this version of Sésame: its owner must run `sesamectl db secure` to upgrade it")]
    SchemaBehind,

    #[error("the database login '{login}' cannot create roles: run `sesamectl db secure` as the queue's owner with CREATEROLE ({detail})")]
    CannotCreateRoles { login: String, detail: String },

    #[error("a different template picture is already named '{name}': give this one another name")]
    TemplateImageNameTaken { name: String },

    #[error("cannot {action} e-mail '{id}': it is {status}")]
    MailWrongState {
        id: String,
        status: String,
        action: String,
    },
}

sesame_core::error_codes! {
    StoreError {
        Self::Domain(inner) => inner.code(),
        Self::NotFound { .. } => "store.not_found",
        Self::VersionConflict { .. } => "store.version_conflict",
        Self::ClaimedByOther { .. } => "request.claimed_by_other",
        Self::UnsupportedUrl { .. } => "store.unsupported_url",
        Self::Open { .. } => "store.open_failed",
        Self::TlsRefused { .. } => "store.tls_refused",
        Self::SchemaTooNew { .. } => "store.schema_too_new",
        Self::Migration(_) => "store.migration_failed",
        Self::Busy(_) => "store.busy",
        Self::Database(_) => "store.database",
        Self::NotReprintable { .. } => "print.not_reprintable",
        Self::CardSerialTaken { .. } => "badge.card_serial_taken",
        Self::BadgeNumberExhausted { .. } => "badge.number_exhausted",
        Self::UnsupportedAttachment { .. } => "attachment.unsupported_type",
        Self::AttachmentTooLarge { .. } => "attachment.too_large",
        Self::RequestClosed { .. } => "attachment.request_closed",
        Self::Codec { .. } => "attachment.codec_failed",
        Self::CsvUnreadable { .. } => "import.unreadable",
        Self::CsvMissingColumns { .. } => "import.missing_columns",
        Self::CsvEmpty => "import.empty",
        Self::CsvTooLarge { .. } => "import.too_large",
        Self::Export(_) => "export.failed",
        Self::InvalidQuery { .. } => "store.invalid_query",
        Self::Corrupt(_) => "store.corrupt",
        Self::HolderStillActive { .. } => "holder.still_active",
        Self::HolderAnonymised { .. } => "holder.already_anonymised",
        Self::CsvFileTooLarge { .. } => "import.file_too_large",
        Self::OperatorExists { .. } => "operator.exists",
        Self::LastSupervisor { .. } => "operator.last_supervisor",
        Self::SetupDone => "operator.setup_done",
        Self::OperatorNameInvalid { .. } => "operator.name_invalid",
        Self::MailWrongState { .. } => "mail.wrong_state",
        Self::TemplateImageNameTaken { .. } => "template.image_name_taken",
        Self::DatabaseRefused { .. } => "operator.database_refused",
        Self::LoginRefused { .. } => "operator.login_refused",
        Self::NotAnOperatorLogin { .. } => "operator.not_an_operator_login",
        Self::SignedOut => "operator.sign_in_required",
        Self::NoDatabaseLogins => "store.no_database_logins",
        Self::SchemaBehind => "store.schema_behind",
        Self::CannotCreateRoles { .. } => "store.cannot_create_roles",
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            Self::Busy(error)
        } else if let Some(action) = database_refusal(&error) {
            Self::DatabaseRefused { action }
        } else {
            Self::Database(error)
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        use sqlx::migrate::MigrateError as M;
        match error {
            M::VersionMissing(v) => Self::SchemaTooNew {
                detail: format!("migration {v} was applied by a newer version"),
            },
            other => Self::Migration(other),
        }
    }
}

/// SQLite "database is locked/busy" and PostgreSQL serialization/deadlock failures:
/// transient, the desk may retry.
fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => matches!(
            db.code().as_deref(),
            Some("5") | Some("6") | Some("517") | Some("40001") | Some("40P01")
        ),
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

/// The action named by a refusal of `0008_database_roles.sql`'s guards
/// (`sesame:supervisor_required:<action>`, `sesame:audit_append_only`).
fn database_refusal(error: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    if db.code().as_deref() != Some("42501") {
        return None;
    }
    let message = db.message();
    if let Some(action) = message.strip_prefix("sesame:supervisor_required:") {
        return Some(action.trim().to_owned());
    }
    // Any other privilege the login lacks (a disabled login, a table no grant opens).
    Some(
        message
            .strip_prefix("sesame:")
            .unwrap_or(message)
            .trim()
            .to_owned(),
    )
}

/// True when the error is a unique-constraint violation (both backends).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
