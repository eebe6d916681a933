//! The desk's data key: the codec the store encrypts attachments with, taken from the
//! OS keyring when the desk opens, and the key actions of the settings screen
//! (status, export for another desk, import from another desk).
//!
//! The store keeps the codec it was given; importing a key on a running desk swaps
//! the codec behind it ([`SwitchableCodec`]), so the desk need not be reopened.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use sesame_store::{AttachmentContext, BlobCodec, CodecError, Store};
use sesame_vault::{
    codec_for_desk, ImportOutcome, KeyStatus, KeyUsage, KeyVault, XChaChaCodec, CODEC_NAME,
};
use ts_rs::TS;

use crate::blocking::Blocking;
use crate::output_folder::{write_new_file, Destination};
use crate::{Desk, ExportedFile, FileBytes, ServiceError};

/// The codec the store holds: delegates to the current one, which an import replaces.
#[derive(Debug)]
pub(crate) struct SwitchableCodec {
    current: RwLock<Arc<dyn BlobCodec>>,
}

impl SwitchableCodec {
    fn new(codec: Arc<dyn BlobCodec>) -> SwitchableCodec {
        SwitchableCodec {
            current: RwLock::new(codec),
        }
    }

    fn current(&self) -> Arc<dyn BlobCodec> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn replace(&self, codec: Arc<dyn BlobCodec>) {
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = codec;
    }
}

impl BlobCodec for SwitchableCodec {
    fn name(&self) -> &str {
        // Both of the vault's desk codecs write under this name (the key-less one refuses to write).
        CODEC_NAME
    }

    fn seal(&self, context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        self.current().seal(context, plain)
    }

    fn open(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        self.current().open(codec, context, stored)
    }

    fn upgrades(&self, codec: &str) -> bool {
        self.current().upgrades(codec)
    }

    fn open_to_upgrade(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        self.current().open_to_upgrade(codec, context, stored)
    }
}

/// Seals the attachments still in an older format (the first encrypted one, and the
/// `plain` ones from before encryption, once) bound to their rows, now that the store
/// holds a key: when a desk opens with its key, and when it gets one later. Without a
/// key nothing is upgraded. A failure is logged, not returned: the desk works on, the
/// blobs stay readable as they were (plain ones excepted, refused until a later pass
/// seals them), and the next opening tries again.
pub(crate) async fn upgrade_attachment_blobs(store: &Store) {
    match store.upgrade_attachment_blobs().await {
        Ok(outcome) => {
            if outcome.resealed > 0 || outcome.failed > 0 {
                tracing::info!(
                    resealed = outcome.resealed,
                    failed = outcome.failed,
                    plain_included = outcome.plain_included,
                    "attachments sealed again bound to their rows"
                );
            }
            if outcome.failed > 0 {
                tracing::warn!(
                    failed = outcome.failed,
                    "some attachments could not be opened to seal them again (another key?); they were left as they were"
                );
            }
        }
        Err(error) => {
            tracing::warn!(%error, "attachments could not be sealed again bound to their rows; the next opening tries again");
        }
    }
}

/// What the desk knows of its key: where it lives, and whether it was created at this opening.
#[derive(Debug)]
pub(crate) struct DeskKeys {
    vault: KeyVault,
    codec: Arc<SwitchableCodec>,
    created: AtomicBool,
}

impl DeskKeys {
    /// The codec for the database at `database_url`, from `vault` (see `codec_for_desk`):
    /// a keyring that cannot be reached or holds something that is not a key is an error;
    /// a missing key gives a desk that reads plain attachments and refuses the rest.
    pub(crate) async fn open(
        vault: KeyVault,
        database_url: &str,
    ) -> Result<DeskKeys, ServiceError> {
        let chosen = codec_for_desk(&vault, database_url).await?;
        if chosen.created {
            tracing::warn!(service = %vault.service(), key = ?chosen.key, "created a new data key: export it and keep the file safe");
        }
        Ok(DeskKeys {
            vault,
            codec: Arc::new(SwitchableCodec::new(chosen.codec)),
            created: AtomicBool::new(chosen.created),
        })
    }

    pub(crate) fn store_codec(&self) -> Arc<dyn BlobCodec> {
        self.codec.clone()
    }
}

/// The key card of the settings screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskKeyStatus {
    /// The keyring entry, its state and the key's fingerprint.
    pub key: KeyStatus,
    /// The key was created when this desk opened and has not been exported since.
    pub created_now: bool,
    /// A copy of this key exists outside this computer's keyring: the audit log
    /// records an export of it, or its import from a key file. Until then the UI asks
    /// for an export (a lost keyring would lose every photo and ID scan).
    pub kept_elsewhere: bool,
    /// The keys the stored attachments need, per fingerprint.
    pub usage: KeyUsage,
    /// Fingerprints some attachments need that this desk does not hold.
    pub missing_keys: Vec<String>,
    /// The desk can read and store every attachment.
    pub healthy: bool,
}

/// The state of this desk's key and of the keys the database needs.
pub async fn key_status(desk: &Desk) -> Result<DeskKeyStatus, ServiceError> {
    let keys = &desk.keys;
    let vault = keys.vault.clone();
    let key = Blocking::Keyring.run(move || Ok(vault.status())).await?;
    // Through the desk's own connection: on a queue of per-operator logins the URL
    // alone opens nothing.
    let usage = sesame_vault::KeyUsage::of_blobs(desk.store.attachment_blob_heads().await?);
    let fingerprint = key.fingerprint.clone().unwrap_or_default();
    let missing_keys = usage.other_keys(&fingerprint);
    let kept_elsewhere = !fingerprint.is_empty() && key_kept_elsewhere(desk, &fingerprint).await?;
    let healthy = key.state == sesame_vault::KeyState::Present
        && missing_keys.is_empty()
        && usage.unreadable == 0;
    Ok(DeskKeyStatus {
        key,
        created_now: keys.created.load(Ordering::SeqCst),
        kept_elsewhere,
        usage,
        missing_keys,
        healthy,
    })
}

/// Whether the audit log records an export of the key `fingerprint`, or its import
/// from a key file (which exists elsewhere, then).
async fn key_kept_elsewhere(desk: &Desk, fingerprint: &str) -> Result<bool, ServiceError> {
    let events = desk
        .store
        .audit_for(sesame_core::AuditEntity::Settings, DATA_KEY_AUDIT_ID)
        .await?;
    Ok(events.iter().any(|event| {
        matches!(event.action.as_str(), "key_export" | "key_import")
            && event
                .after
                .as_ref()
                .and_then(|details| details.get("fingerprint"))
                .and_then(|f| f.as_str())
                == Some(fingerprint)
    }))
}

/// The passphrase that will protect the exported key file, and where it goes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyExportInput {
    pub passphrase: String,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// The name key files get in the output folder, e.g. `cle-sesame-2026-11-21-101503.sesamekey`.
const KEY_FILE_STEM: &str = "cle-sesame";
const KEY_FILE_EXTENSION: &str = "sesamekey";

/// Writes this desk's key, protected by the passphrase, as a new key file (readable
/// by its owner only) for the other desks of a shared queue or the safe. Supervisor only.
pub async fn export_key_file(
    desk: &Desk,
    input: KeyExportInput,
) -> Result<ExportedFile, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::KeyExport, "data-key")?;
    let vault = desk.keys.vault.clone();
    let passphrase = zeroize::Zeroizing::new(input.passphrase);
    let (fingerprint, text) = Blocking::Keyring
        .run(move || {
            let fingerprint = vault.fingerprint()?;
            Ok((fingerprint, vault.export(&passphrase)?))
        })
        .await?;
    let file = write_new_file(
        desk,
        &input.destination,
        KEY_FILE_STEM,
        KEY_FILE_EXTENSION,
        text.as_bytes(),
    )?;
    desk.keys.created.store(false, Ordering::SeqCst);
    let file_name = std::path::Path::new(&file.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let audited = record_key_event(
        desk,
        "key_export",
        serde_json::json!({ "fingerprint": fingerprint.to_string(), "file": file_name }),
    )
    .await;
    if let Err(error) = audited {
        // No key file leaves this desk without its line in the audit log.
        let _ = std::fs::remove_file(&file.path);
        return Err(error);
    }
    Ok(file)
}

/// The audit log's entity id for the desk's data key: key events go with the settings.
pub const DATA_KEY_AUDIT_ID: &str = "data_key";

/// An audit line about the data key: who, when, which key (by fingerprint). Never the
/// key, the key file or the passphrase.
async fn record_key_event(
    desk: &Desk,
    action: &'static str,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    desk.store
        .record_audit_events(
            &desk.actor()?,
            vec![sesame_store::AuditEvent {
                entity: sesame_core::AuditEntity::Settings,
                entity_id: DATA_KEY_AUDIT_ID.to_owned(),
                request_id: None,
                action,
                details,
            }],
        )
        .await?;
    Ok(())
}

/// A key file as the operator chose it, and its passphrase.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyImportInput {
    pub content: FileBytes,
    pub passphrase: String,
    /// Replaces a different key already held by this desk (its photos become unreadable
    /// unless that key is kept elsewhere): the UI asks first.
    pub force: bool,
}

/// What an import did, for the UI.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyImportOutcome {
    pub fingerprint: String,
    /// `stored`, `already_present` or `replaced`.
    pub outcome: KeyImportKind,
    pub replaced: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyImportKind {
    Stored,
    AlreadyPresent,
    Replaced,
}

/// Stores the key of a key file in this desk's keyring and uses it at once. A wrong
/// passphrase, an altered file or a different key already here (unless `force`)
/// change nothing. Supervisor only (it decides which photos this desk can read).
pub async fn import_key_file(
    desk: &Desk,
    input: KeyImportInput,
) -> Result<KeyImportOutcome, ServiceError> {
    // Importing decides which photos this desk can read: key management, like an export.
    desk.require_supervisor(crate::SensitiveAction::KeyExport, "data-key")?;
    let key_file = input
        .content
        .into_bytes()
        .map_err(|e| ServiceError::FileEncoding {
            detail: format!("the key file did not arrive intact: {e}"),
        })?;
    let force = input.force;
    let text = std::str::from_utf8(&key_file)
        .map_err(|_| sesame_vault::VaultError::KeyFileInvalid {
            detail: "the file is not text".to_owned(),
        })?
        .to_owned();
    let vault = desk.keys.vault.clone();
    let passphrase = zeroize::Zeroizing::new(input.passphrase);
    let (outcome, key) = Blocking::Keyring
        .run(move || {
            let outcome = vault.import(&text, &passphrase, force)?;
            let key = vault.load()?;
            Ok((outcome, key))
        })
        .await?;
    desk.keys.codec.replace(Arc::new(XChaChaCodec::new(&key)));
    desk.keys.created.store(false, Ordering::SeqCst);
    let (imported, kind, replaced) = match &outcome {
        ImportOutcome::Stored(id) => (id.to_string(), "stored", None),
        ImportOutcome::AlreadyPresent(id) => (id.to_string(), "already_present", None),
        ImportOutcome::Replaced { previous, imported } => {
            (imported.to_string(), "replaced", Some(previous.to_string()))
        }
    };
    record_key_event(
        desk,
        "key_import",
        serde_json::json!({ "fingerprint": imported, "outcome": kind, "replaced": replaced }),
    )
    .await?;
    upgrade_attachment_blobs(&desk.store).await;
    Ok(match outcome {
        ImportOutcome::Stored(id) => KeyImportOutcome {
            fingerprint: id.to_string(),
            outcome: KeyImportKind::Stored,
            replaced: None,
        },
        ImportOutcome::AlreadyPresent(id) => KeyImportOutcome {
            fingerprint: id.to_string(),
            outcome: KeyImportKind::AlreadyPresent,
            replaced: None,
        },
        ImportOutcome::Replaced { previous, imported } => KeyImportOutcome {
            fingerprint: imported.to_string(),
            outcome: KeyImportKind::Replaced,
            replaced: Some(previous.to_string()),
        },
    })
}

/// Creates this desk's key when it has none (first desk of a shared PostgreSQL queue),
/// refusing when the database already holds attachments encrypted with another key.
/// Returns the fingerprint and whether it was created now.
pub async fn init_key(desk: &Desk) -> Result<(String, bool), ServiceError> {
    let (key, created) = sesame_vault::init_desk_key(&desk.keys.vault, &desk.database_url).await?;
    desk.keys.codec.replace(Arc::new(XChaChaCodec::new(&key)));
    upgrade_attachment_blobs(&desk.store).await;
    if created {
        desk.keys.created.store(true, Ordering::SeqCst);
    }
    // Opening a SQLite desk already created the key when there was none: that is this init.
    let created = created || desk.keys.created.load(Ordering::SeqCst);
    Ok((key.id().to_string(), created))
}
