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
    /// 0 until an operator signs in on a queue of per-operator database logins.
    #[ts(type = "number")]
    pub schema_version: i64,
    pub operator: String,
}

pub async fn app_info(desk: &Desk) -> Result<AppInfo, ServiceError> {
    let (backend, database, schema_version) = match desk.store.info().await {
        Ok(db) => (db.backend, db.location, db.schema_version),
        // Operators' own logins: nothing is read before one signs in.
        Err(sesame_store::StoreError::SignedOut) => (
            desk.store.backend_name().to_owned(),
            desk.store.location().to_owned(),
            0,
        ),
        Err(error) => return Err(error.into()),
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: desk.data_dir.display().to_string(),
        backend,
        database,
        schema_version,
        operator: desk.operator().unwrap_or_default(),
    })
}

/// The database: backend, location (without password), schema version and row counts.
/// Opening the desk created it if needed and applied pending migrations.
pub async fn database_info(desk: &Desk) -> Result<sesame_store::DbInfo, ServiceError> {
    Ok(desk.store.info().await?)
}
