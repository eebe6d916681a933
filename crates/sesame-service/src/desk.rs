//! The opened desk: the database and who is working at it.

use std::path::{Path, PathBuf};

use sesame_store::Store;

use crate::{paths, ServiceError};

pub struct Desk {
    pub(crate) store: Store,
    pub(crate) data_dir: PathBuf,
    pub(crate) operator: String,
    /// The photo station's camera, when one is open.
    pub(crate) camera: crate::photo::CameraStation,
}

impl Desk {
    /// Opens the desk from the environment and OS defaults: `SESAME_DATABASE_URL`
    /// or the SQLite file in the data directory, created and migrated if new.
    pub async fn open_default() -> Result<Desk, ServiceError> {
        let data_dir = paths::data_dir()?;
        let database_url = paths::database_url()?;
        Self::open(&data_dir, &database_url).await
    }

    /// Opens the desk on an explicit data directory and database URL.
    pub async fn open(data_dir: &Path, database_url: &str) -> Result<Desk, ServiceError> {
        std::fs::create_dir_all(data_dir).map_err(|source| ServiceError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let store = Store::open(database_url).await?;
        Ok(Desk {
            store,
            data_dir: data_dir.to_path_buf(),
            operator: paths::operator_name(),
            camera: Default::default(),
        })
    }

    /// The name written in the audit log for this desk's actions.
    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// The store, for `sesamectl`'s administrative commands.
    pub fn store(&self) -> &Store {
        &self.store
    }
}
