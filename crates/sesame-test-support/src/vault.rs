//! Keyring entries for the vault's tests (with the `vault` feature): each test gets its
//! own entry on the real Secret Service (`scripts/with-keyring.sh` provides one),
//! deleted at the end.

use sesame_vault::{DataKey, KeyVault, VaultError};

/// A keyring entry only this test uses (tests run in parallel), deleted at the end.
pub struct TestVault {
    pub vault: KeyVault,
}

impl TestVault {
    pub fn new(test: &str) -> TestVault {
        require_secret_service();
        let service = format!("fr.sesame.test.{test}.{}", uuid::Uuid::now_v7().simple());
        TestVault {
            vault: KeyVault::open(&service, "data-key").expect("valid names"),
        }
    }

    /// Another account of the same test (e.g. a second desk).
    pub fn second_desk(&self) -> TestVault {
        TestVault {
            vault: KeyVault::open(self.vault.service(), "second-desk").expect("valid names"),
        }
    }
}

impl Drop for TestVault {
    fn drop(&mut self) {
        let _ = self.vault.remove();
    }
}

/// Fails (never skips) when no Secret Service is reachable, naming the script that provides one.
pub fn require_secret_service() {
    let probe = KeyVault::open(
        "fr.sesame.test.probe",
        &uuid::Uuid::now_v7().simple().to_string(),
    )
    .unwrap();
    let outcome = DataKey::generate()
        .and_then(|key| probe.install(&key, false))
        .and_then(|_| probe.remove());
    match outcome {
        Ok(()) => {}
        Err(error @ VaultError::KeyringUnavailable { .. }) => panic!(
            "no Secret Service is reachable ({error}). Run the tests through scripts/with-keyring.sh, \
             e.g. `scripts/with-keyring.sh cargo nextest run -p sesame-vault`"
        ),
        Err(error) => panic!(
            "the Secret Service does not keep secrets ({error}). Run the tests through \
             scripts/with-keyring.sh, e.g. `scripts/with-keyring.sh cargo nextest run -p sesame-vault`"
        ),
    }
}
