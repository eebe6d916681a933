//! Shared by the vault's integration tests: keyring entries unique to each test on the
//! real Secret Service, and the stored blob of an attachment. Databases and requests
//! come from `sesame-test-support`.

#![allow(dead_code)]

use std::path::Path;

use sesame_store::NewRequest;
#[allow(unused_imports)]
pub use sesame_test_support::fixtures::jpeg_with;
pub use sesame_test_support::SqliteFile;
use sesame_vault::{DataKey, KeyVault, VaultError};

pub const OPERATOR: &str = "Desk Test";

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

pub async fn raw_blob(path: &Path, attachment_id: uuid::Uuid) -> (String, Vec<u8>) {
    use sqlx::{Connection, Row};
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open the database file directly");
    let row = sqlx::query("SELECT codec, data FROM attachment_blobs WHERE attachment_id = ?")
        .bind(attachment_id.to_string())
        .fetch_one(&mut connection)
        .await
        .expect("the blob row");
    (row.get("codec"), row.get("data"))
}

/// A new badge request for Alice `family` (see `sesame_test_support::fixtures::new_request`).
pub fn new_request(family: &str) -> NewRequest {
    sesame_test_support::fixtures::new_request(family, "Alice")
}

/// The test's SQLite file, not opened yet.
pub fn sqlite_file() -> SqliteFile {
    SqliteFile::new("queue.sqlite3")
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
