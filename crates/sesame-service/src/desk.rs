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
    /// The operator's role and any supervisor countersign in force.
    pub(crate) session: std::sync::Mutex<crate::operators::OperatorSession>,
    /// The database URL as given (the vault reads blob headers through its own connection).
    pub(crate) database_url: String,
    /// The data key from the OS keyring and the codec the store encrypts attachments with.
    pub(crate) keys: crate::keys::DeskKeys,
}

impl Desk {
    /// Opens the desk from the environment and OS defaults: `SESAME_DATABASE_URL`
    /// or the SQLite file in the data directory, created and migrated if new.
    pub async fn open_default() -> Result<Desk, ServiceError> {
        let data_dir = paths::data_dir()?;
        let database_url = paths::database_url()?;
        Self::open(&data_dir, &database_url).await
    }

    /// Opens the desk on an explicit data directory and database URL, with the data key
    /// from the OS keyring entry `SESAME_KEYRING_SERVICE` (default `fr.sesame.desk`).
    pub async fn open(data_dir: &Path, database_url: &str) -> Result<Desk, ServiceError> {
        Self::open_with_keyring(data_dir, database_url, sesame_vault::KeyVault::from_env()).await
    }

    /// [`Desk::open`] with an explicit keyring entry (tests, a training queue).
    /// A keyring that cannot be reached, or an entry that is not a Sésame key, is an
    /// error; a missing key opens the desk without one (attachments encrypted with a key
    /// cannot be read or added until it is imported; everything else works).
    pub async fn open_with_keyring(
        data_dir: &Path,
        database_url: &str,
        vault: sesame_vault::KeyVault,
    ) -> Result<Desk, ServiceError> {
        Self::open_as(data_dir, database_url, vault, &paths::operator_name()).await
    }

    /// [`Desk::open_with_keyring`] for a named operator instead of the OS account
    /// (tests; several desks in one process).
    pub async fn open_as(
        data_dir: &Path,
        database_url: &str,
        vault: sesame_vault::KeyVault,
        operator: &str,
    ) -> Result<Desk, ServiceError> {
        std::fs::create_dir_all(data_dir).map_err(|source| ServiceError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let store = Store::open(database_url).await?;
        let keys = match crate::keys::DeskKeys::open(vault, database_url).await {
            Ok(keys) => keys,
            Err(error) => {
                store.close().await;
                return Err(error);
            }
        };
        let store = store.with_codec(keys.store_codec());
        let record = match crate::operator_admin::register_desk_operator(&store, operator).await {
            Ok(record) => record,
            Err(error) => {
                store.close().await;
                return Err(error);
            }
        };
        Ok(Desk {
            store,
            data_dir: data_dir.to_path_buf(),
            operator: record.operator.name,
            camera: Default::default(),
            database_url: database_url.trim().to_owned(),
            keys,
            session: crate::operators::OperatorSession::new(record.operator.role),
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
