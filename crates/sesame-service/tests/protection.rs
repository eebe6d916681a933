//! Protection of personal data through the desk (issue 8), on a real Secret Service
//! (run through scripts/with-keyring.sh): attachments encrypted with the keyring's key,
//! missing and wrong keys, key export/import, holder export and erasure.

use std::io::Read;

use sesame_core::{AttachmentKind, ErrorCode, HolderDetails, RequestDetails, RequestKind};
use sesame_service::{
    create_request, erase_holder, export_holder, export_key, import_key, key_status, Desk,
    KeyImportKind, ServiceError,
};
use sesame_store::{NewRequest, QueueQuery};
use sesame_vault::{DataKey, KeyVault};
use sqlx::{Connection, Row};

const PASSPHRASE: &str = "passphrase of the badge office";
/// Text that must never appear in the database file once encrypted.
const MARKER: &[u8] = b"Eileen-Collins-pixels-";

/// A keyring entry only this test uses, removed at the end.
struct TestKey(KeyVault);

impl TestKey {
    fn new(test: &str) -> TestKey {
        let service = format!("fr.sesame.test.{test}.{}", uuid::Uuid::now_v7().simple());
        let vault = KeyVault::open(&service, "data-key").unwrap();
        if let Err(error) = vault.try_load() {
            panic!(
                "no usable Secret Service ({error}); run the tests through scripts/with-keyring.sh, \
                 e.g. `scripts/with-keyring.sh cargo nextest run -p sesame-service`"
            );
        }
        TestKey(vault)
    }
}

impl Drop for TestKey {
    fn drop(&mut self) {
        let _ = self.0.remove();
    }
}

fn photo() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    for _ in 0..40 {
        bytes.extend_from_slice(MARKER);
    }
    bytes.extend([0xFF, 0xD9]);
    bytes
}

async fn new_request(desk: &Desk) -> sesame_store::RequestDetail {
    let new = NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: "Collins".into(),
            given_names: "Eileen".into(),
            email: Some("eileen.collins@example.org".into()),
            phone: Some("+33 6 12 34 56 78".into()),
            organisation: Some("NASA".into()),
            unit: None,
            category: "staff".into(),
            external_id: Some("HR-1956".into()),
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: Some(chrono::Utc::now().date_naive() + chrono::Days::new(300)),
        },
        request: RequestDetails {
            zones: vec!["Bât A".into()],
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    create_request(desk, new).await.unwrap()
}

fn code(error: impl Into<ServiceError>) -> &'static str {
    let error: ServiceError = error.into();
    error.code()
}

async fn raw_blobs(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("SELECT codec, data FROM attachment_blobs")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get("codec"), row.get("data")))
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_encrypted_at_rest_and_keys_move_between_desks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.sqlite3");
    let url = format!("sqlite://{}", db.display());
    let first_key = TestKey::new("first");
    let first = Desk::open_with_keyring(dir.path(), &url, first_key.0.clone())
        .await
        .unwrap();

    // The first desk of a SQLite queue creates its key and asks for an export.
    let status = key_status(&first).await.unwrap();
    assert!(status.created_now && status.healthy, "{status:?}");
    let fingerprint = status.key.fingerprint.clone().unwrap();

    let request = new_request(&first).await;
    let id = request.request.id;
    let bytes = photo();
    let meta = first
        .store()
        .put_attachment(id, AttachmentKind::Photo, &bytes, "alice")
        .await
        .unwrap();

    // In the SQLite file: no JPEG signature, no plaintext.
    let blobs = raw_blobs(&db).await;
    assert_eq!(blobs.len(), 1);
    let (codec, stored) = &blobs[0];
    assert_eq!(codec, "xchacha20poly1305");
    assert!(!stored.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(stored, &[0xFF, 0xD8, 0xFF]));
    assert!(!contains(stored, MARKER));
    let file = std::fs::read(&db).unwrap();
    assert!(!contains(&file, MARKER), "plaintext in the database file");
    // ... and it reads back through the desk.
    assert_eq!(
        first.store().get_attachment(meta.id).await.unwrap().bytes,
        bytes
    );

    let key_file = export_key(&first, PASSPHRASE).await.unwrap();
    assert!(!key_status(&first).await.unwrap().created_now);
    assert_eq!(
        code(export_key(&first, "short").await.unwrap_err()),
        "vault.weak_passphrase"
    );

    // A second desk without the key opens (the queue stays usable) but cannot read
    // or add photos, and says which key it needs.
    let second_key = TestKey::new("second");
    let second = Desk::open_with_keyring(dir.path(), &url, second_key.0.clone())
        .await
        .unwrap();
    let status = key_status(&second).await.unwrap();
    assert!(!status.healthy && !status.created_now);
    assert_eq!(status.missing_keys, vec![fingerprint.clone()]);
    assert_eq!(
        code(second.store().get_attachment(meta.id).await.unwrap_err()),
        "vault.key_missing"
    );
    assert_eq!(
        code(
            second
                .store()
                .put_attachment(id, AttachmentKind::IdDocumentFront, &bytes, "bob")
                .await
                .unwrap_err()
        ),
        "vault.key_missing"
    );
    let page = sesame_service::list_requests(&second, QueueQuery::default())
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1);

    // A wrong passphrase changes nothing; the right one gives the key, used at once.
    assert_eq!(
        code(
            import_key(
                &second,
                key_file.as_bytes(),
                "not the passphrase at all",
                false
            )
            .await
            .unwrap_err()
        ),
        "vault.wrong_passphrase"
    );
    assert_eq!(second_key.0.try_load().unwrap(), None);
    let imported = import_key(&second, key_file.as_bytes(), PASSPHRASE, false)
        .await
        .unwrap();
    assert_eq!(imported.outcome, KeyImportKind::Stored);
    assert_eq!(imported.fingerprint, fingerprint);
    assert_eq!(
        second.store().get_attachment(meta.id).await.unwrap().bytes,
        bytes
    );
    assert!(key_status(&second).await.unwrap().healthy);

    // A desk holding another key: a clear error, and the blob is untouched.
    let third_key = TestKey::new("third");
    third_key
        .0
        .install(&DataKey::generate().unwrap(), false)
        .unwrap();
    let third = Desk::open_with_keyring(dir.path(), &url, third_key.0.clone())
        .await
        .unwrap();
    assert_eq!(
        code(third.store().get_attachment(meta.id).await.unwrap_err()),
        "vault.wrong_key"
    );
    assert_eq!(
        code(
            import_key(&third, key_file.as_bytes(), PASSPHRASE, false)
                .await
                .unwrap_err()
        ),
        "vault.key_conflict"
    );
    assert_eq!(raw_blobs(&db).await, blobs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_is_exported_then_erased() {
    let dir = tempfile::tempdir().unwrap();
    let prints = dir.path().join("out");
    std::env::set_var(sesame_service::printers::PRINT_DIR_ENV, &prints);
    let url = format!("sqlite://{}", dir.path().join("queue.sqlite3").display());
    let key = TestKey::new("holder");
    let desk = Desk::open_with_keyring(dir.path(), &url, key.0.clone())
        .await
        .unwrap();
    let request = new_request(&desk).await;
    let holder = request.holder.id.to_string();
    let bytes = photo();
    desk.store()
        .put_attachment(request.request.id, AttachmentKind::Photo, &bytes, "alice")
        .await
        .unwrap();

    let export = export_holder(&desk, &holder).await.unwrap();
    assert!(
        export.path.starts_with(prints.to_str().unwrap()),
        "{export:?}"
    );
    assert_eq!(export.files, 1);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&export.path).unwrap()).unwrap();
    let mut json = String::new();
    zip.by_name("holder.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["holder"]["familyName"], "Collins");
    assert_eq!(value["requests"].as_array().unwrap().len(), 1);
    assert!(!value["audit"].as_array().unwrap().is_empty());
    let name = value["files"][0].as_str().unwrap().to_owned();
    let mut photo_back = Vec::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_end(&mut photo_back)
        .unwrap();
    assert_eq!(photo_back, bytes, "the archive holds the decrypted photo");

    assert_eq!(
        code(erase_holder(&desk, &holder, "  ").await.unwrap_err()),
        "holder.erase_reason_required"
    );
    // The open request is cancelled first, then everything personal goes.
    let erased = erase_holder(&desk, &holder, "request of 2026-11-20 by letter")
        .await
        .unwrap();
    assert_eq!((erased.requests, erased.attachments_deleted), (1, 1));
    let after = sesame_service::get_request(&desk, request.request.id.to_string())
        .await
        .unwrap();
    assert_eq!(after.request.status, sesame_core::RequestStatus::Cancelled);
    assert_eq!(after.holder.details.family_name, "ANONYME");
    assert_eq!(after.holder.details.email, None);
    assert_eq!(after.holder.details.external_id, None);
    assert!(after.attachments.is_empty());
    let history = sesame_service::request_history(&desk, request.request.id.to_string())
        .await
        .unwrap();
    assert!(history.iter().all(|e| e.redacted));
    assert!(history.iter().any(|e| e.action == "cancel"));
    let found = sesame_service::list_requests(
        &desk,
        QueueQuery {
            search: Some("Collins".into()),
            ..QueueQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(found.rows.is_empty());
    let again = export_holder(&desk, &holder).await.unwrap();
    assert_eq!(again.files, 0);
}
