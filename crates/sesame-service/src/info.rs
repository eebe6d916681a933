//! What the status bar shows about this installation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Desk, ServiceError};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The database file or URL, with any password hidden.
    pub database: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub operator: String,
}

pub async fn app_info(desk: &Desk) -> Result<AppInfo, ServiceError> {
    let db = desk.store.info().await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: desk.data_dir.display().to_string(),
        backend: db.backend,
        database: db.location,
        schema_version: db.schema_version,
        operator: desk.operator().unwrap_or_default(),
    })
}

/// The database: backend, location (without password), schema version and row counts.
/// Opening the desk created it if needed and applied pending migrations.
pub async fn database_info(desk: &Desk) -> Result<sesame_store::DbInfo, ServiceError> {
    Ok(desk.store.info().await?)
}
