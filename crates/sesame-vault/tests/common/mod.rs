//! Shared by the vault's integration tests: keyring entries unique to each test on the
//! real Secret Service, and throwaway SQLite stores.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::Days;
use sesame_core::{HolderDetails, RequestDetails, RequestKind};
use sesame_store::{NewRequest, Store};
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

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub url: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("queue.sqlite3");
        let url = format!("sqlite://{}", path.display());
        TestDb { dir, path, url }
    }

    pub async fn store(&self) -> Store {
        Store::open(&self.url).await.expect("open the store")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
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

pub fn new_request(family: &str) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: family.into(),
            given_names: "Alice".into(),
            email: Some(format!("alice.{}@example.fr", family.to_lowercase())),
            phone: None,
            organisation: Some("Labo".into()),
            unit: Some("Unit 1".into()),
            category: "staff".into(),
            external_id: None,
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: Some(chrono::Utc::now().date_naive() + Days::new(400)),
        },
        request: RequestDetails {
            zones: vec!["Bât A".into()],
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    }
}

/// Bytes that pass the store's JPEG sniffing, with a recognisable marker inside.
pub fn jpeg_with(marker: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    for _ in 0..8 {
        bytes.extend_from_slice(marker);
    }
    bytes.extend([0xFF, 0xD9]);
    bytes
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
