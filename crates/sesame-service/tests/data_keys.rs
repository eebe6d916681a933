//! The data key that encrypts photos and ID documents at rest, on a real Secret
//! Service: what reaches the SQLite file, desks without the key or with another one,
//! and the key file that carries it between desks, as the settings screen exports and
//! imports it.

use sesame_core::{AttachmentKind, ErrorCode, HolderDetails};
use sesame_service::{
    add_request_document, export_key_file, get_attachment_content, import_key_file, key_status,
    list_requests, Desk, Destination, DocumentInput, FileBytes, KeyExportInput, KeyImportInput,
    KeyImportKind, QueueQuery, PRINT_DIR_ENV,
};
use sesame_test_support::desk::{open_desk, private_vault, vault_with_another_key, TestDesk};
use sesame_test_support::fixtures::{holder, jpeg_with, request_for};
use sqlx::{Connection, Row};

const PASSPHRASE: &str = "passphrase of the badge office";
/// Text that must never appear in the database file once encrypted.
const MARKER: &[u8] = b"Eileen-Collins-pixels-";

fn collins() -> HolderDetails {
    HolderDetails {
        phone: Some("+33 6 12 34 56 78".into()),
        external_id: Some("HR-1956".into()),
        ..holder("Collins", "Eileen")
    }
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

fn export_to(path: &std::path::Path, passphrase: &str) -> KeyExportInput {
    KeyExportInput {
        passphrase: passphrase.into(),
        destination: Destination::Path(path.to_path_buf()),
    }
}

fn import(content: FileBytes, passphrase: &str, force: bool) -> KeyImportInput {
    KeyImportInput {
        content,
        passphrase: passphrase.into(),
        force,
    }
}

/// The attachment's bytes as `desk` reads them, or the code of its refusal.
async fn read(desk: &Desk, id: uuid::Uuid) -> Result<Vec<u8>, &'static str> {
    match get_attachment_content(desk, id.into()).await {
        Ok(content) => Ok(content.data.into_bytes().unwrap()),
        Err(error) => Err(error.code()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_encrypted_at_rest_and_keys_move_between_desks() {
    let first = TestDesk::sqlite().await;
    let db = first.sqlite_file();

    // The first desk of a SQLite queue creates its key and asks for an export.
    let status = key_status(&first).await.unwrap();
    assert!(status.created_now && status.healthy, "{status:?}");
    assert!(!status.kept_elsewhere, "no copy exists yet");
    let fingerprint = status.key.fingerprint.clone().unwrap();

    let bytes = jpeg_with(MARKER);
    let request = first.with_photo(request_for(collins()), &bytes).await;
    let id = request.request.id;
    let meta = request.attachments[0].clone();

    // In the SQLite file: no JPEG signature, no plaintext.
    let blobs = raw_blobs(&db).await;
    assert_eq!(blobs.len(), 1);
    let (codec, stored) = &blobs[0];
    assert_eq!(codec, "xchacha20poly1305-v2");
    assert!(!stored.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(stored, &[0xFF, 0xD8, 0xFF]));
    assert!(!contains(stored, MARKER));
    let file = std::fs::read(&db).unwrap();
    assert!(!contains(&file, MARKER), "plaintext in the database file");
    // ... and it reads back through the desk.
    assert_eq!(read(&first, meta.id).await, Ok(bytes.clone()));

    let key_file = first.file("desk.sesamekey");
    export_key_file(&first, export_to(&key_file, PASSPHRASE))
        .await
        .unwrap();
    let key_bytes = std::fs::read(&key_file).unwrap();
    let status = key_status(&first).await.unwrap();
    assert!(!status.created_now && status.kept_elsewhere, "{status:?}");
    // Still known after a restart: the export is in the audit log.
    let reopened = first.another_desk("bob").await;
    assert!(key_status(&reopened).await.unwrap().kept_elsewhere);
    reopened.close().await;
    let weak = export_key_file(&first, export_to(&first.file("weak.sesamekey"), "short"))
        .await
        .unwrap_err();
    assert_eq!(weak.code(), "vault.weak_passphrase");

    // A second desk without the key opens (the queue stays usable) but cannot read
    // or add photos, and says which key it needs.
    let second_vault = private_vault("second");
    let second = open_desk(
        first
            .options_as(&first.operator().unwrap())
            .keyring(second_vault.clone()),
    )
    .await;
    let status = key_status(&second).await.unwrap();
    assert!(!status.healthy && !status.created_now);
    assert_eq!(status.missing_keys, vec![fingerprint.clone()]);
    assert_eq!(read(&second, meta.id).await, Err("vault.key_missing"));
    let err = add_request_document(
        &second,
        DocumentInput {
            request_id: id.into(),
            kind: AttachmentKind::IdDocumentFront,
            data: bytes.clone().into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "vault.key_missing");
    let page = list_requests(&second, QueueQuery::default()).await.unwrap();
    assert_eq!(page.rows.len(), 1);

    // A wrong passphrase changes nothing; the right one gives the key, used at once.
    let err = import_key_file(
        &second,
        import(key_bytes.clone().into(), "not the passphrase at all", false),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "vault.wrong_passphrase");
    assert_eq!(second_vault.try_load().unwrap(), None);
    let imported = import_key_file(&second, import(key_bytes.clone().into(), PASSPHRASE, false))
        .await
        .unwrap();
    assert_eq!(imported.outcome, KeyImportKind::Stored);
    assert_eq!(imported.fingerprint, fingerprint);
    assert_eq!(read(&second, meta.id).await, Ok(bytes.clone()));
    assert!(key_status(&second).await.unwrap().healthy);

    // A desk holding another key: a clear error, and the blob is untouched.
    let third = open_desk(
        first
            .options_as(&first.operator().unwrap())
            .keyring(vault_with_another_key("third")),
    )
    .await;
    assert_eq!(read(&third, meta.id).await, Err("vault.wrong_key"));
    let err = import_key_file(&third, import(key_bytes.into(), PASSPHRASE, false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.key_conflict");
    assert_eq!(raw_blobs(&db).await, blobs);
}

fn key_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sesamekey"))
        .collect();
    files.sort();
    files
}

fn export_to_output_folder() -> KeyExportInput {
    KeyExportInput {
        passphrase: PASSPHRASE.into(),
        destination: Destination::OutputFolder,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn key_file_round_trip_between_queues_from_the_settings_screen() {
    let print_dir = tempfile::tempdir().unwrap();
    // The only test in this process: the print folder is process-wide.
    std::env::set_var(PRINT_DIR_ENV, print_dir.path());

    // Queue 1: alice opens it first (supervisor), bob is a clerk on the same keyring.
    let alice = TestDesk::sqlite_as("alice").await;
    let bob = alice.another_desk("bob").await;
    let fingerprint1 = key_status(&alice).await.unwrap().key.fingerprint.unwrap();

    // A clerk cannot export the key: refused, nothing written.
    let err = export_key_file(&bob, export_to_output_folder())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("key_export"), "{err}");
    assert!(key_files(print_dir.path()).is_empty());

    // The supervisor's export lands in the print folder under a name the app chose.
    let exported = export_key_file(&alice, export_to_output_folder())
        .await
        .unwrap();
    let files = key_files(print_dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].display().to_string(), exported.path);
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("cle-sesame-"), "{name}");
    let bytes = std::fs::read(&files[0]).unwrap();
    assert_eq!(bytes.len() as u64, exported.bytes);
    assert!(!String::from_utf8_lossy(&bytes).contains(PASSPHRASE));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a key file is readable by its owner only");
    }
    // A second export never overwrites the first.
    let again = export_key_file(&alice, export_to_output_folder())
        .await
        .unwrap();
    assert_ne!(again.path, exported.path);
    assert_eq!(key_files(print_dir.path()).len(), 2);

    // Queue 2: carol's desk made its own key; she imports queue 1's key from the
    // file's bytes, sent as the UI sends them (base64).
    let carol = TestDesk::sqlite_as("carol").await;
    let fingerprint2 = key_status(&carol).await.unwrap().key.fingerprint.unwrap();
    assert_ne!(fingerprint1, fingerprint2);
    let sent = {
        use base64::Engine as _;
        FileBytes::from_base64(base64::engine::general_purpose::STANDARD.encode(&bytes))
    };

    let err = import_key_file(&carol, import(sent.clone(), "not the passphrase", true))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.wrong_passphrase");
    let err = import_key_file(&carol, import(sent.clone(), PASSPHRASE, false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.key_conflict");
    let err = import_key_file(
        &carol,
        import(FileBytes::from_base64("%%% not base64"), PASSPHRASE, true),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "import.bad_encoding");
    // None of that touched carol's key.
    assert_eq!(
        key_status(&carol).await.unwrap().key.fingerprint.as_deref(),
        Some(fingerprint2.as_str())
    );

    let outcome = import_key_file(&carol, import(sent, PASSPHRASE, true))
        .await
        .unwrap();
    assert_eq!(outcome.outcome, KeyImportKind::Replaced);
    assert_eq!(outcome.fingerprint, fingerprint1);
    assert_eq!(outcome.replaced.as_deref(), Some(fingerprint2.as_str()));
    assert_eq!(
        key_status(&carol).await.unwrap().key.fingerprint.as_deref(),
        Some(fingerprint1.as_str())
    );
}

/// Seals as versions before the row-bound format did (the attachment id alone), to
/// leave a queue as they left it.
#[derive(Debug)]
struct FirstFormatCodec(sesame_vault::XChaChaCodec);

impl sesame_store::BlobCodec for FirstFormatCodec {
    fn name(&self) -> &str {
        sesame_vault::V1_CODEC_NAME
    }
    fn seal(
        &self,
        context: &sesame_store::AttachmentContext,
        plain: &[u8],
    ) -> Result<Vec<u8>, sesame_store::CodecError> {
        self.0.seal_v1_for_tests(context, plain)
    }
    fn open(
        &self,
        codec: &str,
        context: &sesame_store::AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, sesame_store::CodecError> {
        sesame_store::BlobCodec::open(&self.0, codec, context, stored)
    }
}

/// A queue with attachments from before encryption (plain) and from the first encrypted
/// format (bound to their id only), opened by a desk holding the key: every blob is
/// sealed bound to its row, reads back intact, and a second opening seals nothing again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_opening_with_its_key_seals_older_blobs_bound_to_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let url = format!("sqlite://{}", path.display());
    let vault = private_vault("upgrade");
    let key = vault.load_or_create().unwrap();

    let old = sesame_test_support::db::open_pinned(&url).await;
    let request = old
        .create_request(request_for(collins()), "Ancien")
        .await
        .unwrap()
        .request
        .id;
    let scan = old
        .put_attachment(
            request,
            AttachmentKind::IdDocumentFront,
            &jpeg_with(b"OLD-SCAN"),
            "Ancien",
        )
        .await
        .unwrap();
    let first_format = old.clone().with_codec(std::sync::Arc::new(FirstFormatCodec(
        sesame_vault::XChaChaCodec::new(&key),
    )));
    let photo = first_format
        .put_attachment(request, AttachmentKind::Photo, &jpeg_with(MARKER), "Ancien")
        .await
        .unwrap();
    old.close().await;
    let mut codecs: Vec<String> = raw_blobs(&path).await.into_iter().map(|b| b.0).collect();
    codecs.sort();
    assert_eq!(codecs, ["plain", "xchacha20poly1305"]);

    let options = sesame_service::DeskOptions::new(dir.path(), &url)
        .keyring(vault.clone())
        .operator("Superviseur")
        .clock(sesame_test_support::pinned_clock());
    let desk = open_desk(options.clone()).await;
    let sealed = raw_blobs(&path).await;
    assert!(
        sealed
            .iter()
            .all(|(codec, _)| codec == "xchacha20poly1305-v2"),
        "{:?}",
        sealed.iter().map(|b| &b.0).collect::<Vec<_>>()
    );
    assert!(sealed.iter().all(|(_, data)| !contains(data, b"OLD-SCAN")));
    assert_eq!(read(&desk, scan.id).await, Ok(jpeg_with(b"OLD-SCAN")));
    assert_eq!(read(&desk, photo.id).await, Ok(jpeg_with(MARKER)));
    desk.close().await;

    let again = open_desk(options).await;
    assert_eq!(
        raw_blobs(&path).await,
        sealed,
        "nothing sealed a second time"
    );
    assert_eq!(read(&again, scan.id).await, Ok(jpeg_with(b"OLD-SCAN")));
    again.close().await;
}
