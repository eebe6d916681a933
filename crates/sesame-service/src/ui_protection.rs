//! Issue 8's actions in the shape the UI can call: the key file is written by the
//! backend into the print folder (the UI never names a path) and read back from the
//! bytes the operator chose (base64 across IPC); the purge runs for this machine's
//! date (a screen cannot purge "as of" a later day); holder rights take owned ids.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use sesame_store::{HolderErasure, PurgePlan, PurgeReport};

use crate::{
    keys, printers, retention, Desk, ExportedFile, HolderExport, KeyImportOutcome, ServiceError,
};

/// The name key files get in the print folder, e.g. `cle-sesame-2026-11-21-101503.sesamekey`.
const KEY_FILE_STEM: &str = "cle-sesame";
const KEY_FILE_EXTENSION: &str = "sesamekey";

/// The passphrase that will protect the exported key file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyExportInput {
    pub passphrase: String,
}

/// A key file as the operator chose it, and its passphrase.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyImportInput {
    /// The file's bytes, base64-encoded.
    pub content_base64: String,
    pub passphrase: String,
    /// Replaces a different key already held by this desk (its photos become unreadable
    /// unless that key is kept elsewhere): the UI asks first.
    pub force: bool,
}

/// Exports this desk's key, protected by `input.passphrase`, to a new file in the print
/// folder and returns where (supervisor only, see [`keys::export_key`]).
pub async fn export_key_file(
    desk: &Desk,
    input: KeyExportInput,
) -> Result<ExportedFile, ServiceError> {
    let text = keys::export_key(desk, &input.passphrase).await?;
    write_key_file(desk, text.as_bytes())
}

/// Imports the key of a key file chosen by the operator (see [`keys::import_key`]).
pub async fn import_key_file(
    desk: &Desk,
    input: KeyImportInput,
) -> Result<KeyImportOutcome, ServiceError> {
    let bytes =
        STANDARD
            .decode(input.content_base64.trim())
            .map_err(|e| ServiceError::FileEncoding {
                detail: format!("the key file did not arrive intact: {e}"),
            })?;
    keys::import_key(desk, &bytes, &input.passphrase, input.force).await
}

fn write_key_file(desk: &Desk, bytes: &[u8]) -> Result<ExportedFile, ServiceError> {
    let dir = printers::print_dir(desk)?;
    let path = printers::unique_path(&dir, KEY_FILE_STEM, KEY_FILE_EXTENSION);
    let write_error = |source| ServiceError::ExportWrite {
        path: path.display().to_string(),
        source,
    };
    // The temporary file is created readable by its owner only and moved into place
    // whole; persist_noclobber never replaces a file written in the meantime.
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(write_error)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(write_error)?;
    temp.persist_noclobber(&path)
        .map_err(|e| write_error(e.error))?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}

/// A holder's erasure on request: who, and why (kept in the audit log).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EraseHolderInput {
    pub holder_id: String,
    pub reason: String,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The retention purge's dry run for today (see [`retention::purge_plan`]).
pub async fn retention_plan(desk: &Desk) -> Result<PurgePlan, ServiceError> {
    retention::purge_plan(desk, today()).await
}

/// The retention purge for today (supervisor only, see [`retention::purge`]).
pub async fn retention_purge(desk: &Desk) -> Result<PurgeReport, ServiceError> {
    retention::purge(desk, today()).await
}

/// Everything held about a holder, as one archive in the print folder.
pub async fn export_holder_archive(
    desk: &Desk,
    holder_id: String,
) -> Result<HolderExport, ServiceError> {
    retention::export_holder(desk, &holder_id).await
}

/// Erases a holder on request (supervisor only, see [`retention::erase_holder`]).
pub async fn erase_holder_data(
    desk: &Desk,
    input: EraseHolderInput,
) -> Result<HolderErasure, ServiceError> {
    retention::erase_holder(desk, &input.holder_id, &input.reason).await
}
