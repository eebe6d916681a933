//! The opened desk: the database, who is working at it, and the clock it reads.

use std::path::{Path, PathBuf};

use sesame_core::Clock;
use sesame_store::Store;
use sesame_vault::KeyVault;

use crate::{paths, ServiceError};

pub struct Desk {
    pub(crate) store: Store,
    pub(crate) data_dir: PathBuf,
    /// Where "now" and "today" come from, for the desk and its store alike.
    pub(crate) clock: Clock,
    /// The output folder chosen when the desk was opened, if any (see [`DeskOptions`]).
    pub(crate) output_folder: Option<PathBuf>,
    /// The photo station's camera, when one is open.
    pub(crate) camera: crate::photo::CameraStation,
    /// How far the CSV import running on this desk is, for the screen to poll.
    pub(crate) csv_import_progress: std::sync::Mutex<Option<sesame_store::ImportProgress>>,
    /// Who signed in, their role, any supervisor countersign in force, the lock.
    pub(crate) session: std::sync::Mutex<crate::session::OperatorSession>,
    /// The database URL as given (the vault reads blob headers through its own connection).
    pub(crate) database_url: String,
    /// The data key from the OS keyring and the codec the store encrypts attachments with.
    pub(crate) keys: crate::keys::DeskKeys,
}

/// What a desk opens on. [`DeskOptions::from_env`] is what the app and `sesamectl`
/// use: the desk opens with nobody signed in, and the operator proves who they are
/// with [`crate::sign_in`]. Tests and a training queue set their own folder,
/// database, keyring entry and clock, and may open already signed in.
#[derive(Debug, Clone)]
pub struct DeskOptions {
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The keyring entry holding the data key (`SESAME_KEYRING_SERVICE`, default
    /// `fr.sesame.desk`).
    pub vault: KeyVault,
    /// Signed in from the start, without a PIN: only for callers that proved who
    /// is at the keyboard themselves (tests, an embedding tool). The app and
    /// `sesamectl` never set it: they open signed out.
    pub operator: Option<String>,
    pub clock: Clock,
    /// Where the files the desk writes go, over `SESAME_PRINT_DIR` and the OS default
    /// (a test gives its desk its own folder, whatever the process-wide variable says).
    pub output_folder: Option<PathBuf>,
}

impl DeskOptions {
    /// The OS data directory (or `SESAME_DATA_DIR`), `SESAME_DATABASE_URL` or the
    /// database chosen in the settings, the keyring entry from the environment, and
    /// the machine's clock; nobody signed in.
    pub fn from_env() -> Result<DeskOptions, ServiceError> {
        let data_dir = paths::data_dir()?;
        let database_url = paths::database_url()?;
        Ok(DeskOptions::new(&data_dir, &database_url))
    }

    /// An explicit data directory and database, the rest from the environment.
    pub fn new(data_dir: &Path, database_url: &str) -> DeskOptions {
        DeskOptions {
            data_dir: data_dir.to_path_buf(),
            database_url: database_url.to_owned(),
            vault: KeyVault::from_env(),
            operator: None,
            clock: Clock::system(),
            output_folder: None,
        }
    }

    pub fn keyring(self, vault: KeyVault) -> DeskOptions {
        DeskOptions { vault, ..self }
    }

    /// Opens signed in as `operator` (registered if unknown, as a supervisor when the
    /// queue has none): see [`DeskOptions::operator`](field@DeskOptions::operator).
    pub fn operator(self, operator: &str) -> DeskOptions {
        DeskOptions {
            operator: Some(operator.to_owned()),
            ..self
        }
    }

    pub fn clock(self, clock: Clock) -> DeskOptions {
        DeskOptions { clock, ..self }
    }

    pub fn output_folder(self, folder: &Path) -> DeskOptions {
        DeskOptions {
            output_folder: Some(folder.to_path_buf()),
            ..self
        }
    }
}

impl Desk {
    /// Opens the desk from the environment and OS defaults (see [`DeskOptions::from_env`]),
    /// creating and migrating the SQLite file if it is new.
    pub async fn open_default() -> Result<Desk, ServiceError> {
        Self::open_with(DeskOptions::from_env()?).await
    }

    /// Opens the desk on an explicit data directory and database URL.
    pub async fn open(data_dir: &Path, database_url: &str) -> Result<Desk, ServiceError> {
        Self::open_with(DeskOptions::new(data_dir, database_url)).await
    }

    /// Opens the desk as `options` say. A keyring that cannot be reached, or an entry
    /// that is not a Sésame key, is an error; a missing key opens the desk without one
    /// (attachments encrypted with a key cannot be read or added until it is imported;
    /// everything else works).
    pub async fn open_with(options: DeskOptions) -> Result<Desk, ServiceError> {
        let DeskOptions {
            data_dir,
            database_url,
            vault,
            operator,
            clock,
            output_folder,
        } = options;
        std::fs::create_dir_all(&data_dir).map_err(|source| ServiceError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        let store = Store::open(&database_url).await?.with_clock(clock.clone());
        let keys = match crate::keys::DeskKeys::open(vault, &database_url).await {
            Ok(keys) => keys,
            Err(error) => {
                store.close().await;
                return Err(error);
            }
        };
        let store = store.with_codec(keys.store_codec());
        // Blobs in an older format are sealed bound to their rows before anyone reads them
        // (with database logins, once someone signs in: see `database_logins::sign_in`).
        if !store.uses_database_logins() {
            crate::keys::upgrade_attachment_blobs(&store).await;
        }
        let signed_in = match operator {
            Some(name) => match crate::operators::register_desk_operator(&store, &name).await {
                Ok(record) => Some(crate::session::SignedIn {
                    name: record.operator.name,
                    role: record.operator.role,
                    account: crate::session::Account::Person,
                }),
                Err(error) => {
                    store.close().await;
                    return Err(error);
                }
            },
            None => None,
        };
        Ok(Desk {
            store,
            data_dir,
            clock,
            output_folder,
            camera: Default::default(),
            csv_import_progress: Default::default(),
            database_url: database_url.trim().to_owned(),
            keys,
            session: std::sync::Mutex::new(crate::session::OperatorSession {
                signed_in,
                ..Default::default()
            }),
        })
    }

    /// The clock this desk reads "now" and "today" from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Closes the database connections (the command line does before it exits, so
    /// SQLite checkpoints its journal).
    pub async fn close(&self) {
        self.store.close().await;
    }
}
