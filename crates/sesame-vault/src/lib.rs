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
mod share;

pub use backup::{backup, inspect_backup, known_schema_version, restore, BackupInfo, BackupReport, RestoreReport};
pub use codec::{blob_key_id, KeyMissingCodec, XChaChaCodec, CODEC_NAME, PLAIN_CODEC_NAME};
pub use error::{codec_error_code, Result, VaultError};
pub use key::{DataKey, KeyId};
pub use keyring_store::{ImportOutcome, KeyState, KeyStatus, KeyVault, DEFAULT_ACCOUNT, DEFAULT_SERVICE};
pub use share::{export_key, read_key_file, KdfCost, MIN_PASSPHRASE_CHARS};

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
