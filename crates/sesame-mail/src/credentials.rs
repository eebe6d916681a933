//! The SMTP password in the OS credential store (Secret Service, Keychain, Credential
//! Manager), never in the database: each desk that sends keeps its own copy.
//!
//! The entry's account is `smtp:<username>@<host>`, so a password typed for one server
//! is never offered to another after the host is changed. The service is the desk's
//! (`fr.sesame.desk`, or `SESAME_KEYRING_SERVICE`, shared with the vault's data key).
//! Keyring calls block on the OS service (D-Bus on Linux): the async functions run them
//! on tokio's blocking pool.

use zeroize::Zeroizing;

use crate::error::{MailError, Result};
use crate::settings::MailSettings;

/// The keyring service of the desk app (same as the vault's).
pub const DEFAULT_SERVICE: &str = "fr.sesame.desk";
/// Replaces [`DEFAULT_SERVICE`] (tests, a training queue beside the real one).
pub const SERVICE_ENV: &str = "SESAME_KEYRING_SERVICE";

/// Where one SMTP login's password lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpPasswordEntry {
    service: String,
    account: String,
}

impl SmtpPasswordEntry {
    /// The entry for the settings' login; `None` when the server needs no login.
    pub fn for_settings(settings: &MailSettings) -> Option<SmtpPasswordEntry> {
        let service = match std::env::var(SERVICE_ENV) {
            Ok(service) if !service.trim().is_empty() => service.trim().to_owned(),
            _ => DEFAULT_SERVICE.to_owned(),
        };
        Self::with_service(&service, settings)
    }

    /// As [`Self::for_settings`] under an explicit keyring service.
    pub fn with_service(service: &str, settings: &MailSettings) -> Option<SmtpPasswordEntry> {
        let username = settings.username.as_deref()?.trim();
        if username.is_empty() {
            return None;
        }
        Some(SmtpPasswordEntry {
            service: service.to_owned(),
            account: format!(
                "smtp:{}@{}",
                username,
                settings.host.trim().to_ascii_lowercase()
            ),
        })
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    /// The password, or `None` when the keyring has none for this login.
    pub fn try_load(&self) -> Result<Option<Zeroizing<String>>> {
        match self.entry()?.get_password() {
            Ok(password) => Ok(Some(Zeroizing::new(password))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(self.keyring_error(error)),
        }
    }

    /// The password; `mail.password_missing` when there is none.
    pub fn load(&self) -> Result<Zeroizing<String>> {
        self.try_load()?.ok_or_else(|| MailError::PasswordMissing {
            service: self.service.clone(),
            account: self.account.clone(),
        })
    }

    /// Stores the password, then reads it back (a keyring that silently drops secrets
    /// is caught here, not at the first send).
    pub fn store(&self, password: &str) -> Result<()> {
        if password.is_empty() {
            return Err(MailError::InvalidSettings {
                field: "password".into(),
                detail: "the password is empty".into(),
            });
        }
        self.entry()?
            .set_password(password)
            .map_err(|error| self.keyring_error(error))?;
        match self.try_load()? {
            Some(read) if read.as_str() == password => Ok(()),
            _ => Err(MailError::KeyringRejected {
                service: self.service.clone(),
                account: self.account.clone(),
                detail: "the keyring did not keep the password".into(),
            }),
        }
    }

    /// Forgets the password (nothing to do when there is none).
    pub fn remove(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(self.keyring_error(error)),
        }
    }

    /// [`Self::try_load`] on the blocking pool.
    pub async fn try_load_async(&self) -> Result<Option<Zeroizing<String>>> {
        let entry = self.clone();
        blocking(move || entry.try_load()).await
    }

    /// [`Self::store`] on the blocking pool.
    pub async fn store_async(&self, password: Zeroizing<String>) -> Result<()> {
        let entry = self.clone();
        blocking(move || entry.store(&password)).await
    }

    /// [`Self::remove`] on the blocking pool.
    pub async fn remove_async(&self) -> Result<()> {
        let entry = self.clone();
        blocking(move || entry.remove()).await
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &self.account).map_err(|error| self.keyring_error(error))
    }

    fn keyring_error(&self, error: keyring::Error) -> MailError {
        match error {
            keyring::Error::PlatformFailure(detail) | keyring::Error::NoStorageAccess(detail) => {
                MailError::KeyringUnavailable {
                    detail: detail.to_string(),
                }
            }
            other => MailError::KeyringRejected {
                service: self.service.clone(),
                account: self.account.clone(),
                detail: other.to_string(),
            },
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| {
            Err(MailError::KeyringUnavailable {
                detail: format!("the keyring call stopped: {join}"),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_names_the_login_and_the_server() {
        let settings = MailSettings {
            host: "SMTP.Univ.Example".into(),
            username: Some("badges".into()),
            ..MailSettings::default()
        };
        let entry = SmtpPasswordEntry::with_service("svc", &settings).unwrap();
        assert_eq!(entry.account(), "smtp:badges@smtp.univ.example");
        assert_eq!(entry.service(), "svc");
        let anonymous = MailSettings {
            username: None,
            ..settings
        };
        assert_eq!(SmtpPasswordEntry::with_service("svc", &anonymous), None);
    }
}
