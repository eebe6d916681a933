//! The mail crate's errors, each with a stable code (see `ErrorCode`).

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(transparent)]
    Store(#[from] sesame_store::StoreError),

    #[error("mail setting '{field}' is invalid: {detail}")]
    InvalidSettings { field: String, detail: String },

    #[error("e-mail is not set up on this desk (no SMTP server, or sending is switched off)")]
    NotConfigured,

    #[error("no SMTP password for '{account}' in the OS keyring (service '{service}'); set it in the mail settings")]
    PasswordMissing { service: String, account: String },

    #[error("the OS keyring cannot be reached: {detail}")]
    KeyringUnavailable { detail: String },

    #[error("the OS keyring refused the SMTP password entry '{account}' (service '{service}'): {detail}")]
    KeyringRejected {
        service: String,
        account: String,
        detail: String,
    },

    #[error("'{value}' is not an e-mail address")]
    InvalidAddress { value: String },

    #[error("the SMTP server {server} did not take the message: {detail}")]
    SmtpFailed { server: String, detail: String },

    #[error("'{value}' is not a valid e-mail message id")]
    BadId { value: String },
}

sesame_core::error_codes! {
    MailError {
        Self::Store(inner) => inner.code(),
        Self::InvalidSettings { .. } => "mail.invalid_settings",
        Self::NotConfigured => "mail.not_configured",
        Self::PasswordMissing { .. } => "mail.password_missing",
        Self::KeyringUnavailable { .. } => "mail.keyring_unavailable",
        Self::KeyringRejected { .. } => "mail.keyring_rejected",
        Self::InvalidAddress { .. } => "mail.invalid_address",
        Self::SmtpFailed { .. } => "mail.smtp_failed",
        Self::BadId { .. } => "mail.bad_id",
    }
}

pub type Result<T, E = MailError> = std::result::Result<T, E>;
