//! CSV in and out from the desk: HR/intranet imports, queue and badge exports.
//!
//! The UI reads the chosen file itself and sends its bytes, so the webview needs no
//! file-system access; exports are written by the backend into the desk's output
//! folder under a name it chooses (or where the command line says), and the path is
//! returned.

use serde::{Deserialize, Serialize};
use sesame_store::{BadgeQuery, CsvOptions, ImportProgress, ImportReport, QueueQuery};
use ts_rs::TS;

use crate::output_folder::{write_new_file, Destination};
use crate::sync::lock;
use crate::{Desk, ExportedFile, FileBytes, ServiceError};

/// A CSV file as the operator chose it, and whether to only check it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvImportInput {
    /// The file's bytes (any encoding the importer reads).
    pub content: FileBytes,
    /// Checks every row and reports, writing nothing.
    pub dry_run: bool,
}

/// Imports holders and requests, recorded under this desk's operator; valid rows go
/// in together, refused ones are reported. While it runs, [`csv_import_progress`]
/// says how far it is.
pub async fn import_requests_csv(
    desk: &Desk,
    input: CsvImportInput,
) -> Result<ImportReport, ServiceError> {
    import_requests_csv_reporting(desk, input, &|_| {}).await
}

/// [`import_requests_csv`], also telling `progress` how far it is after each chunk
/// of rows (the command line prints it).
pub async fn import_requests_csv_reporting(
    desk: &Desk,
    input: CsvImportInput,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<ImportReport, ServiceError> {
    let bytes = input
        .content
        .into_bytes()
        .map_err(|detail| ServiceError::FileEncoding { detail })?;
    let operator = desk.actor()?;
    let report = desk
        .store
        .import_csv_reporting(&bytes, &operator, input.dry_run, &|step| {
            *lock(&desk.csv_import_progress) = Some(step);
            progress(step);
        })
        .await;
    *lock(&desk.csv_import_progress) = None;
    Ok(report?)
}

/// How far the CSV import running on this desk is; `None` when none runs (or it
/// has not finished its first chunk of rows yet).
pub async fn csv_import_progress(desk: &Desk) -> Result<Option<ImportProgress>, ServiceError> {
    Ok(*lock(&desk.csv_import_progress))
}

/// The queue rows to export, and how the file is written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct QueueExportInput {
    pub query: QueueQuery,
    /// Semicolons and a UTF-8 BOM by default: what French spreadsheets open directly.
    #[serde(skip)]
    #[ts(skip)]
    pub csv: CsvOptions,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// Writes the queue matching the query as CSV, formula cells neutralised.
pub async fn export_queue_csv(
    desk: &Desk,
    input: QueueExportInput,
) -> Result<ExportedFile, ServiceError> {
    let csv = desk.store.export_queue_csv(&input.query, input.csv).await?;
    write_new_file(desk, &input.destination, "file-des-demandes", "csv", &csv)
}

/// The badges to export for the access-control system, and how the file is written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BadgeExportInput {
    /// No status chosen: the active badges.
    pub query: BadgeQuery,
    #[serde(skip)]
    #[ts(skip)]
    pub csv: CsvOptions,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// Writes the badges matching the query for the access-control system.
pub async fn export_badges_csv(
    desk: &Desk,
    input: BadgeExportInput,
) -> Result<ExportedFile, ServiceError> {
    let csv = desk
        .store
        .export_badges_csv(&input.query, input.csv)
        .await?;
    write_new_file(desk, &input.destination, "badges-actifs", "csv", &csv)
}
