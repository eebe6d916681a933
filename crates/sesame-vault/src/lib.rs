//! Sésame's protection at rest, without Tauri:
//!
//! - [`XChaChaCodec`]: attachments (ID photos, ID documents) encrypted with
//!   XChaCha20-Poly1305 through the store's `BlobCodec`;
//! - [`KeyVault`]: the 256-bit data key in the OS keyring, never in the database or a file;
//! - [`export_key`] / [`KeyVault::import`]: sharing the key between desks of one
//!   PostgreSQL queue as a passphrase-protected file (Argon2id + XChaCha20-Poly1305);
//! - [`backup`] / [`restore`]: consistent online backups of the SQLite database and
//!   restores that refuse damaged files and newer schemas.

mod backup;
mod codec;
mod error;
mod key;
mod keyring_store;
mod secrets;
mod share;
mod usage;

pub use backup::{
    backup, inspect_backup, known_schema_version, restore, BackupInfo, BackupReport, RestoreReport,
};
pub use codec::{
    blob_key_id, KeyMissingCodec, XChaChaCodec, CODEC_NAME, PLAIN_CODEC_NAME, V1_CODEC_NAME,
};
pub use error::{codec_error_code, Result, VaultError};
pub use key::{DataKey, KeyId};
pub use keyring_store::{
    ImportOutcome, KeyState, KeyStatus, KeyVault, DEFAULT_ACCOUNT, DEFAULT_SERVICE, SERVICE_ENV,
};
pub use secrets::SecretEntry;
pub use share::{export_key, read_key_file, KdfCost, MIN_PASSPHRASE_CHARS};
pub use usage::{keys_in_use, KeyUsage};

use std::sync::Arc;

use sesame_store::BlobCodec;

/// The codec a desk should give its store: encrypting with the keyring's key when
/// there is one, else [`KeyMissingCodec`] (reads old plain blobs, refuses the rest with
/// `vault.key_missing`). A keyring that cannot be reached is an error, not "no key".
pub fn desk_codec(vault: &KeyVault) -> Result<Arc<dyn BlobCodec>> {
    Ok(match vault.try_load()? {
        Some(key) => Arc::new(XChaChaCodec::new(&key)),
        None => Arc::new(KeyMissingCodec),
    })
}

/// Sets up this desk's key for the database at `database_url`: the key already in the
/// keyring, else a new one, unless the database already holds attachments encrypted with
/// a key (`vault.queue_has_key`: a second desk must import the first one's key, or the
/// queue would be split between two keys). Returns the key and whether it was created.
pub async fn init_desk_key(vault: &KeyVault, database_url: &str) -> Result<(DataKey, bool)> {
    if let Some(key) = vault.try_load()? {
        return Ok((key, false));
    }
    let usage = keys_in_use(database_url).await?;
    if let Some(existing) = usage.encrypted.keys().next() {
        return Err(VaultError::QueueHasKey {
            existing: existing.clone(),
        });
    }
    Ok((vault.load_or_create()?, true))
}

/// What [`codec_for_desk`] chose.
#[derive(Debug, Clone)]
pub struct DeskCodec {
    /// To give the store: `Store::open(url).await?.with_codec(desk.codec.clone())`.
    pub codec: Arc<dyn BlobCodec>,
    /// The fingerprint of the key in use; `None` when this desk has no key (the codec
    /// then refuses to store attachments and to read encrypted ones, with `vault.key_missing`).
    pub key: Option<KeyId>,
    /// True when a new key was created just now (tell the operator to export it).
    pub created: bool,
}

/// The codec a desk opening `database_url` should use.
///
/// - A key in the keyring is always used.
/// - Without one, on SQLite (one desk), a key is created, unless the database already
///   holds attachments encrypted with some key (a restored backup, a copied file): then the
///   desk runs without a key until that key is imported.
/// - Without one, on PostgreSQL (shared queue), no key is created: the first desk runs
///   `sesamectl key init`, the others import its key.
///
/// A keyring that cannot be reached is an error (`vault.keyring_unavailable`), never
/// taken as "no key".
pub async fn codec_for_desk(vault: &KeyVault, database_url: &str) -> Result<DeskCodec> {
    let shared = database_url.trim().starts_with("postgres");
    let found = if shared {
        vault.try_load()?.map(|key| (key, false))
    } else {
        match init_desk_key(vault, database_url).await {
            Ok(found) => Some(found),
            Err(VaultError::QueueHasKey { .. }) => None,
            Err(error) => return Err(error),
        }
    };
    Ok(match found {
        Some((key, created)) => DeskCodec {
            codec: Arc::new(XChaChaCodec::new(&key)),
            key: Some(key.id()),
            created,
        },
        None => DeskCodec {
            codec: Arc::new(KeyMissingCodec),
            key: None,
            created: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use ts_rs::TS;

    /// The UI gets numbers, never bigints.
    #[test]
    fn ui_types_use_plain_numbers() {
        let config = ts_rs::Config::default();
        for decl in [
            crate::KeyStatus::decl(&config),
            crate::KeyState::decl(&config),
            crate::BackupReport::decl(&config),
            crate::BackupInfo::decl(&config),
            crate::RestoreReport::decl(&config),
            crate::KeyUsage::decl(&config),
        ] {
            assert!(!decl.contains("bigint"), "{decl}");
        }
    }
}
