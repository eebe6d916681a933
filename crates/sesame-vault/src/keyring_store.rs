//! The data key in the OS credential store (Secret Service, Keychain, Credential Manager).
//!
//! The key is kept as text `sesame-data-key:v1:<base64>` so an administrator looking at
//! the keyring sees what the entry is. Calls block briefly on the OS service (D-Bus on
//! Linux); from async code run them in `spawn_blocking` if the runtime is busy.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};
use crate::key::{DataKey, KeyId};

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
compile_error!(
    "sesame-vault keeps the data key in the OS keyring, available on Linux, macOS and Windows only"
);

/// The keyring service name of the desk app.
pub const DEFAULT_SERVICE: &str = "fr.sesame.desk";
/// The account under which the desk's data key is stored.
pub const DEFAULT_ACCOUNT: &str = "data-key";

const PREFIX: &str = "sesame-data-key:v1:";

/// Check-then-write on the keyring is not atomic: within this process, one writer at a
/// time. Between processes the read-back in `store` catches most races (see `load_or_create`).
static KEYRING_WRITES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Replaces [`DEFAULT_SERVICE`] (e.g. a training queue beside the real one on one PC, or tests).
pub const SERVICE_ENV: &str = "SESAME_KEYRING_SERVICE";

/// Where this desk's data key lives in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyVault {
    service: String,
    account: String,
}

/// What `key status` shows (and the UI's settings page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyStatus {
    pub service: String,
    pub account: String,
    pub state: KeyState,
    /// `3F2A-91C0-7B11-04DE` when the key is present.
    pub fingerprint: Option<String>,
    /// Why the state is not `present`, in English (the UI translates on `state`).
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Present,
    Missing,
    KeyringUnavailable,
    Invalid,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The key was stored in this desk's keyring.
    Stored(KeyId),
    /// This desk already held exactly this key: nothing to do.
    AlreadyPresent(KeyId),
    /// A different key was replaced (only with `force`).
    Replaced { previous: KeyId, imported: KeyId },
}

impl KeyVault {
    /// The entry `account` under `service`. Reaches the keyring only when used.
    pub fn open(service: &str, account: &str) -> Result<KeyVault> {
        let (service, account) = (service.trim(), account.trim());
        if service.is_empty() || account.is_empty() {
            return Err(VaultError::KeyringRejected {
                service: service.to_owned(),
                account: account.to_owned(),
                detail: "service and account names must not be empty".to_owned(),
            });
        }
        Ok(KeyVault {
            service: service.to_owned(),
            account: account.to_owned(),
        })
    }

    /// The desk app's entry ([`DEFAULT_SERVICE`], [`DEFAULT_ACCOUNT`]).
    pub fn desk_default() -> KeyVault {
        KeyVault {
            service: DEFAULT_SERVICE.to_owned(),
            account: DEFAULT_ACCOUNT.to_owned(),
        }
    }

    /// The desk's entry, with the service from [`SERVICE_ENV`] when set.
    pub fn from_env() -> KeyVault {
        match std::env::var(SERVICE_ENV) {
            Ok(service) if !service.trim().is_empty() => KeyVault {
                service: service.trim().to_owned(),
                account: DEFAULT_ACCOUNT.to_owned(),
            },
            _ => KeyVault::desk_default(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    /// The desk's key; `vault.key_missing` (saying how to set one up) when there is none.
    pub fn load(&self) -> Result<DataKey> {
        self.try_load()?.ok_or_else(|| VaultError::KeyMissing {
            service: self.service.clone(),
            account: self.account.clone(),
        })
    }

    /// The desk's key, or `None` when the keyring has no entry.
    pub fn try_load(&self) -> Result<Option<DataKey>> {
        match self.entry()?.get_password() {
            Ok(text) => self.parse(Zeroizing::new(text)).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(self.keyring_error(error)),
        }
    }

    /// The desk's key, creating and storing a new random one when there is none.
    /// Use it for a single-desk (SQLite) setup; desks sharing a queue import the first one's key.
    pub fn load_or_create(&self) -> Result<DataKey> {
        let _one_writer = KEYRING_WRITES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(key) = self.try_load()? {
            return Ok(key);
        }
        let key = DataKey::generate()?;
        match self.store(&key) {
            Ok(()) => {
                tracing::info!(service = %self.service, account = %self.account, key = %key.id(), "created a new data key");
                Ok(key)
            }
            // Another process (a second app window, a parallel test) created one at the
            // same moment and its write landed last: use that one, nothing was encrypted with ours.
            Err(error @ VaultError::KeyNotPersisted { .. }) => self.try_load()?.ok_or(error),
            Err(error) => Err(error),
        }
    }

    /// The fingerprint of the desk's key (`vault.key_missing` when there is none).
    pub fn fingerprint(&self) -> Result<KeyId> {
        Ok(self.load()?.id())
    }

    /// Whether the key is there, without failing.
    pub fn status(&self) -> KeyStatus {
        let (state, fingerprint, detail) = match self.try_load() {
            Ok(Some(key)) => (KeyState::Present, Some(key.id().to_string()), None),
            Ok(None) => (KeyState::Missing, None, None),
            Err(error @ VaultError::KeyringUnavailable { .. }) => {
                (KeyState::KeyringUnavailable, None, Some(error.to_string()))
            }
            Err(error) => (KeyState::Invalid, None, Some(error.to_string())),
        };
        KeyStatus {
            service: self.service.clone(),
            account: self.account.clone(),
            state,
            fingerprint,
            detail,
        }
    }

    /// Stores `key` unless this desk already holds another one (`vault.key_conflict`);
    /// `force` replaces it. Reads the entry back before returning, so a keyring that
    /// silently drops secrets is caught before anything is encrypted with the key.
    pub fn install(&self, key: &DataKey, force: bool) -> Result<ImportOutcome> {
        let _one_writer = KEYRING_WRITES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match self.try_load() {
            Ok(Some(existing)) if existing == *key => {
                return Ok(ImportOutcome::AlreadyPresent(key.id()))
            }
            Ok(Some(existing)) if !force => {
                return Err(VaultError::KeyConflict {
                    existing: existing.id(),
                    imported: key.id(),
                })
            }
            Ok(Some(existing)) => {
                self.store(key)?;
                return Ok(ImportOutcome::Replaced {
                    previous: existing.id(),
                    imported: key.id(),
                });
            }
            Ok(None) => {}
            // An unreadable entry is replaced only when forced: it may be someone's data.
            Err(error @ VaultError::KeyInvalid { .. }) if !force => return Err(error),
            Err(VaultError::KeyInvalid { .. }) => {}
            Err(error) => return Err(error),
        }
        self.store(key)?;
        Ok(ImportOutcome::Stored(key.id()))
    }

    /// Deletes the entry. Attachments encrypted with the key become unreadable on this
    /// desk until it is imported again: meant for tests and for retiring a test desk.
    pub fn remove(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(self.keyring_error(error)),
        }
    }

    fn store(&self, key: &DataKey) -> Result<()> {
        let text = Zeroizing::new(format!("{PREFIX}{}", STANDARD.encode(key.as_bytes())));
        self.entry()?
            .set_password(&text)
            .map_err(|error| self.keyring_error(error))?;
        match self.try_load() {
            Ok(Some(read)) if read == *key => Ok(()),
            Ok(Some(read)) => Err(VaultError::KeyNotPersisted {
                expected: key.id(),
                found: format!("key {}", read.id()),
            }),
            Ok(None) => Err(VaultError::KeyNotPersisted {
                expected: key.id(),
                found: "nothing".to_owned(),
            }),
            Err(error) => Err(error),
        }
    }

    pub(crate) fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &self.account).map_err(|error| self.keyring_error(error))
    }

    fn parse(&self, text: Zeroizing<String>) -> Result<DataKey> {
        let invalid = |detail: &str| VaultError::KeyInvalid {
            service: self.service.clone(),
            account: self.account.clone(),
            detail: detail.to_owned(),
        };
        let encoded = text
            .strip_prefix(PREFIX)
            .ok_or_else(|| invalid("the entry does not start with the Sésame key marker"))?;
        let bytes = Zeroizing::new(
            STANDARD
                .decode(encoded.trim())
                .map_err(|_| invalid("the entry is not valid base64"))?,
        );
        DataKey::from_slice(&bytes).ok_or_else(|| invalid("the entry is not a 256-bit key"))
    }

    pub(crate) fn keyring_error(&self, error: keyring::Error) -> VaultError {
        match error {
            keyring::Error::PlatformFailure(detail) | keyring::Error::NoStorageAccess(detail) => {
                VaultError::KeyringUnavailable {
                    detail: detail.to_string(),
                }
            }
            keyring::Error::BadEncoding(_) => VaultError::KeyInvalid {
                service: self.service.clone(),
                account: self.account.clone(),
                detail: "the entry is not text".to_owned(),
            },
            other => VaultError::KeyringRejected {
                service: self.service.clone(),
                account: self.account.clone(),
                detail: other.to_string(),
            },
        }
    }
}
