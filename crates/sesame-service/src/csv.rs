//! CSV in and out from the desk: HR/intranet imports, queue and badge exports.
//!
//! The UI reads the chosen file itself and sends its bytes (base64), so the
//! webview needs no file-system access; exports are written by the backend into
//! the desk's output folder under a name it chooses, and the path is returned.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sesame_store::{BadgeQuery, CsvOptions, ImportReport, QueueQuery};
use ts_rs::TS;

use crate::{printers, Desk, ServiceError};

/// A CSV file as the operator chose it, and whether to only check it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvImportInput {
    /// The file's bytes, base64-encoded (any encoding the importer reads).
    pub content_base64: String,
    /// Checks every row and reports, writing nothing.
    pub dry_run: bool,
}

/// A file the backend wrote for the operator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Imports holders and requests; valid rows go in together, refused ones are reported.
pub async fn import_requests_csv(
    desk: &Desk,
    input: CsvImportInput,
) -> Result<ImportReport, ServiceError> {
    let bytes =
        STANDARD
            .decode(input.content_base64.trim())
            .map_err(|e| ServiceError::FileEncoding {
                detail: e.to_string(),
            })?;
    Ok(desk
        .store
        .import_csv(&bytes, &desk.operator, input.dry_run)
        .await?)
}

/// Writes the queue matching `query` as CSV (semicolons, UTF-8 with BOM: what
/// French spreadsheets open directly).
pub async fn export_queue_csv(
    desk: &Desk,
    query: QueueQuery,
) -> Result<ExportedFile, ServiceError> {
    let csv = desk
        .store
        .export_queue_csv(&query, CsvOptions::default())
        .await?;
    write_export(desk, "file-des-demandes", &csv)
}

/// Writes the active badges for the access-control system.
pub async fn export_badges_csv(desk: &Desk) -> Result<ExportedFile, ServiceError> {
    let csv = desk
        .store
        .export_badges_csv(&BadgeQuery::default(), CsvOptions::default())
        .await?;
    write_export(desk, "badges-actifs", &csv)
}

fn write_export(desk: &Desk, stem: &str, bytes: &[u8]) -> Result<ExportedFile, ServiceError> {
    let dir = printers::print_dir(desk)?;
    let path = printers::unique_path(&dir, stem, "csv");
    let write_error = |source| ServiceError::ExportWrite {
        path: path.display().to_string(),
        source,
    };
    // Written beside its final name, then moved into place whole; persist_noclobber
    // never replaces a file another export wrote in the meantime.
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(write_error)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(write_error)?;
    temp.persist_noclobber(&path)
        .map_err(|e| write_error(e.error))?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}
