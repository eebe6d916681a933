//! What can go wrong between the desk and the directory, each with its code.

/// A directory call that gave no answer: each names what the operator can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("no directory is set up for this office (Settings › Directory)")]
    NotConfigured,
    #[error("directory setting '{field}' is not valid: {detail}")]
    BadSettings { field: String, detail: String },
    #[error("the directory server {server} cannot be reached: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("the directory server {server} did not answer within {seconds} s")]
    Timeout { server: String, seconds: u64 },
    #[error("the certificate of {server} is not trusted: {detail}")]
    CertificateRefused { server: String, detail: String },
    #[error("the directory refused the login '{bind_dn}': wrong name or password")]
    BadCredentials { bind_dn: String },
    #[error("the directory password of '{bind_dn}' is not stored on this desk")]
    PasswordMissing { bind_dn: String },
    #[error("the directory refused the search under '{base}': {detail}")]
    SearchRefused { base: String, detail: String },
    #[error("no one in the directory is '{key}' any more")]
    PersonGone { key: String },
    #[error("the directory holds no photo for '{key}'")]
    NoPhoto { key: String },
    #[error("the directory failed: {detail}")]
    Failed { detail: String },
}

sesame_core::error_codes! {
    DirectoryError {
        Self::NotConfigured => "directory.not_configured",
        Self::BadSettings { .. } => "directory.bad_settings",
        Self::Unreachable { .. } => "directory.unreachable",
        Self::Timeout { .. } => "directory.timeout",
        Self::CertificateRefused { .. } => "directory.certificate_refused",
        Self::BadCredentials { .. } => "directory.bad_credentials",
        Self::PasswordMissing { .. } => "directory.password_missing",
        Self::SearchRefused { .. } => "directory.search_refused",
        Self::PersonGone { .. } => "directory.person_gone",
        Self::NoPhoto { .. } => "directory.no_photo",
        Self::Failed { .. } => "directory.failed",
    }
}

pub type Result<T> = std::result::Result<T, DirectoryError>;
