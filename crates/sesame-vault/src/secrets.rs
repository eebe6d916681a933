//! Other secrets of the desk in the OS keyring: the PostgreSQL password, the SMTP
//! password. Same keyring and error codes as the data key, stored as plain text
//! under their own account name so they never reach the database or a file.

use zeroize::Zeroizing;

use crate::error::Result;
use crate::keyring_store::{KeyVault, DEFAULT_SERVICE, SERVICE_ENV};

/// One named secret under the desk's keyring service (`SESAME_KEYRING_SERVICE` or
/// [`DEFAULT_SERVICE`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretEntry {
    slot: KeyVault,
}

impl SecretEntry {
    /// The secret stored under `account` (e.g. `database:postgres://desk@db/sesame`).
    pub fn for_account(account: &str) -> Result<SecretEntry> {
        let service = std::env::var(SERVICE_ENV)
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SERVICE.to_owned());
        Ok(SecretEntry {
            slot: KeyVault::open(&service, account)?,
        })
    }

    /// The secret, or `None` when the keyring has no such entry.
    pub fn get(&self) -> Result<Option<Zeroizing<String>>> {
        match self.slot.entry()?.get_password() {
            Ok(text) => Ok(Some(Zeroizing::new(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(self.slot.keyring_error(error)),
        }
    }

    pub fn set(&self, secret: &str) -> Result<()> {
        self.slot
            .entry()?
            .set_password(secret)
            .map_err(|error| self.slot.keyring_error(error))
    }

    /// Removes the secret; removing one that is not there is not an error.
    pub fn delete(&self) -> Result<()> {
        match self.slot.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(self.slot.keyring_error(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs against the real Secret Service (scripts/with-keyring.sh).
    #[test]
    fn a_secret_round_trips_through_the_keyring() {
        let account = format!("test-secret-{}", uuid::Uuid::new_v4());
        let entry = SecretEntry::for_account(&account).unwrap();
        assert_eq!(entry.get().unwrap(), None);
        entry.set("s3cr3t é").unwrap();
        assert_eq!(
            entry.get().unwrap().as_deref().map(String::as_str),
            Some("s3cr3t é")
        );
        entry.delete().unwrap();
        assert_eq!(entry.get().unwrap(), None);
        entry.delete().unwrap();
    }
}
