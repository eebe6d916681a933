//! The vault's errors, each with a stable code. None of them loses stored data:
//! a failed open, import or restore leaves the keyring, the blobs and the database as they were.

use std::path::PathBuf;

use sesame_core::{ErrorCode, ErrorCodes};

use crate::key::KeyId;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "no data key in the OS keyring (service '{service}', account '{account}'): on the first desk \
         run `sesamectl key init`; on another desk of a shared queue, export the key from a desk that \
         has it (`sesamectl key export --out FILE`) and import it here (`sesamectl key import FILE`)"
    )]
    KeyMissing { service: String, account: String },

    #[error(
        "the OS keyring cannot be reached ({detail}); on Linux a Secret Service (GNOME Keyring or \
         KWallet) must be running and unlocked in this session"
    )]
    KeyringUnavailable { detail: String },

    #[error(
        "the OS keyring refused the entry (service '{service}', account '{account}'): {detail}"
    )]
    KeyringRejected {
        service: String,
        account: String,
        detail: String,
    },

    #[error("the data key in the OS keyring (service '{service}', account '{account}') is not a Sésame key: {detail}")]
    KeyInvalid {
        service: String,
        account: String,
        detail: String,
    },

    #[error(
        "the OS keyring accepted the data key but gave back {found} instead of {expected}; \
         this keyring does not keep secrets, so no key was set up"
    )]
    KeyNotPersisted { expected: KeyId, found: String },

    #[error("encrypted with data key {blob_key}, but this desk's key is {desk_key}; import the right key (`sesamectl key import FILE`)")]
    WrongKey { blob_key: KeyId, desk_key: KeyId },

    #[error(
        "encrypted with data key {blob_key}, and this desk has no data key; import it \
         (`sesamectl key import FILE`) from a desk that has it"
    )]
    BlobKeyMissing { blob_key: KeyId },

    #[error("this desk has no data key, so it cannot store attachments encrypted; run `sesamectl key init` or `sesamectl key import FILE`")]
    CannotSealWithoutKey,

    #[error(
        "failed its integrity check: the stored bytes were altered or belong to another attachment"
    )]
    Tampered,

    #[error(
        "attachment {attachment} does not belong where it is stored: its encrypted bytes were \
         sealed for another row (another attachment, request, kind or media type than request \
         {request}, {kind}, {media_type}); they were copied or relabelled in the database"
    )]
    WrongRow {
        attachment: String,
        request: String,
        kind: String,
        media_type: String,
    },

    #[error(
        "attachment {attachment} is stored unencrypted although this office encrypts attachments: \
         it may have been inserted behind the desk's back, so it is not shown"
    )]
    PlainRefused { attachment: String },

    #[error("the stored bytes are not a valid encrypted attachment ({detail})")]
    BlobMalformed { detail: String },

    #[error("stored with codec '{codec}', which this version of Sésame cannot read")]
    UnknownCodec { codec: String },

    #[error(
        "the database already holds attachments encrypted with data key {existing}; import that key \
         (`sesamectl key import FILE`) instead of creating a new one"
    )]
    QueueHasKey { existing: String },

    #[error("the passphrase has {length} characters; a key file needs at least {min}")]
    WeakPassphrase { length: usize, min: usize },

    #[error("wrong passphrase for this key file (or the file was altered); nothing was changed")]
    WrongPassphrase,

    #[error("not a Sésame key file: {detail}")]
    KeyFileInvalid { detail: String },

    #[error(
        "this desk already holds a different data key ({existing}) than the file ({imported}); \
         replacing it would make the attachments encrypted with {existing} unreadable here. \
         Nothing was changed; force the import only if {existing} was never used"
    )]
    KeyConflict { existing: KeyId, imported: KeyId },

    #[error("'{url}' is not a SQLite database; back up PostgreSQL with pg_dump on the server")]
    BackupUnsupportedDatabase { url: String },

    #[error("the database '{path}' does not exist")]
    DatabaseMissing { path: PathBuf },

    #[error("'{path}' is not a SQLite database file")]
    NotSqlite { path: PathBuf },

    #[error("'{path}' is damaged: {detail}")]
    BackupCorrupt { path: PathBuf, detail: String },

    #[error("'{path}' is not a Sésame database: {detail}")]
    NotSesame { path: PathBuf, detail: String },

    #[error(
        "'{path}' has schema version {found}, newer than version {known} known to this Sésame; \
         update Sésame before restoring it"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("'{path}' has migration {version} that differs from this Sésame's (another build or a modified file)")]
    SchemaMismatch { path: PathBuf, version: i64 },

    #[error("'{path}' already exists; choose another file name")]
    OutputExists { path: PathBuf },

    #[error("the database '{path}' is in use by a running Sésame or another program; close it before restoring")]
    DatabaseInUse { path: PathBuf },

    #[error("cannot {action} '{path}': {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("database error on '{path}': {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },

    #[error("cryptographic failure: {0}")]
    Crypto(String),
}

sesame_core::error_codes! {
    VaultError {
        Self::KeyMissing { .. } => "vault.key_missing",
        Self::KeyringUnavailable { .. } => "vault.keyring_unavailable",
        Self::KeyringRejected { .. } => "vault.keyring_rejected",
        Self::KeyInvalid { .. } => "vault.key_invalid",
        Self::KeyNotPersisted { .. } => "vault.key_not_persisted",
        Self::WrongKey { .. } => "vault.wrong_key",
        Self::BlobKeyMissing { .. } => "vault.key_missing",
        Self::CannotSealWithoutKey => "vault.key_missing",
        Self::Tampered => "vault.tampered",
        Self::WrongRow { .. } => "vault.wrong_row",
        Self::PlainRefused { .. } => "vault.plain_refused",
        Self::BlobMalformed { .. } => "vault.blob_malformed",
        Self::UnknownCodec { .. } => "vault.unknown_codec",
        Self::QueueHasKey { .. } => "vault.queue_has_key",
        Self::WeakPassphrase { .. } => "vault.weak_passphrase",
        Self::WrongPassphrase => "vault.wrong_passphrase",
        Self::KeyFileInvalid { .. } => "vault.key_file_invalid",
        Self::KeyConflict { .. } => "vault.key_conflict",
        Self::BackupUnsupportedDatabase { .. } => "backup.unsupported_database",
        Self::DatabaseMissing { .. } => "backup.database_missing",
        Self::NotSqlite { .. } => "backup.not_sqlite",
        Self::BackupCorrupt { .. } => "backup.corrupt",
        Self::NotSesame { .. } => "backup.not_sesame",
        Self::SchemaTooNew { .. } => "backup.schema_too_new",
        Self::SchemaMismatch { .. } => "backup.schema_mismatch",
        Self::OutputExists { .. } => "backup.output_exists",
        Self::DatabaseInUse { .. } => "backup.database_in_use",
        Self::Io { .. } => "vault.io",
        Self::Database { .. } => "backup.database",
        Self::Crypto(_) => "vault.crypto",
    }
}

/// The store carries codec failures as text (`attachment.codec_failed`); the codec
/// ends that text with its own code in parentheses, e.g. `"… (vault.wrong_key)"`.
/// This gives the code back so the service layer can report the precise one (any
/// of the vault's codes: the codec's failures are `VaultError`s, see the `From` below).
pub fn codec_error_code(reason: &str) -> Option<&'static str> {
    let reason = reason.trim_end();
    VaultError::CODES
        .iter()
        .copied()
        .find(|code| reason.ends_with(&format!("({code})")))
}

impl From<VaultError> for sesame_store::CodecError {
    fn from(error: VaultError) -> Self {
        sesame_store::CodecError(format!("{error} ({})", error.code()))
    }
}

pub type Result<T, E = VaultError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codec_errors_keep_their_code_through_the_store_text() {
        let error: sesame_store::CodecError = VaultError::Tampered.into();
        assert_eq!(codec_error_code(&error.0), Some("vault.tampered"));
        let store_text = format!("attachment 'x' cannot be decoded: {}", error.0);
        assert_eq!(codec_error_code(&store_text), Some("vault.tampered"));
        assert_eq!(codec_error_code("something else"), None);
    }
}
