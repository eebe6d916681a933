//! The security screen's key actions as the UI calls them (run through
//! scripts/with-keyring.sh): the key file is written by the backend into the print
//! folder, readable by its owner only, and imported from its bytes (base64) on a
//! desk of another queue; clerks are refused; a wrong passphrase changes nothing.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sesame_core::ErrorCode;
use sesame_service::{
    erase_holder_data, export_key_file, import_key_file, key_status, retention_plan,
    retention_purge, Desk, EraseHolderInput, KeyExportInput, KeyImportInput, KeyImportKind,
};
use sesame_vault::KeyVault;

const PASSPHRASE: &str = "passphrase of the badge office";

/// A keyring entry only this test uses, removed at the end.
struct TestKey(KeyVault);

impl TestKey {
    fn new(name: &str) -> TestKey {
        let service = format!("fr.sesame.test.ui-{name}.{}", uuid::Uuid::now_v7().simple());
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

async fn desk(dir: &std::path::Path, key: &TestKey, operator: &str) -> Desk {
    let url = format!("sqlite://{}", dir.join("desk.sqlite3").display());
    Desk::open_as(dir, &url, key.0.clone(), operator)
        .await
        .unwrap_or_else(|e| panic!("open desk as {operator}: {e}"))
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

#[tokio::test(flavor = "multi_thread")]
async fn key_file_round_trip_between_queues_from_the_settings_screen() {
    let print_dir = tempfile::tempdir().unwrap();
    // The only test in this binary: the print folder is process-wide.
    std::env::set_var(sesame_service::printers::PRINT_DIR_ENV, print_dir.path());

    // Queue 1: alice opens it first (supervisor), bob is a clerk on the same keyring.
    let queue1 = tempfile::tempdir().unwrap();
    let key1 = TestKey::new("q1");
    let alice = desk(queue1.path(), &key1, "alice").await;
    let bob = desk(queue1.path(), &key1, "bob").await;
    let fingerprint1 = key_status(&alice).await.unwrap().key.fingerprint.unwrap();

    // A clerk cannot export the key: refused, nothing written.
    let err = export_key_file(
        &bob,
        KeyExportInput {
            passphrase: PASSPHRASE.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("key_export"), "{err}");
    assert!(key_files(print_dir.path()).is_empty());

    // The supervisor's export lands in the print folder under a name the app chose.
    let exported = export_key_file(
        &alice,
        KeyExportInput {
            passphrase: PASSPHRASE.into(),
        },
    )
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
    let again = export_key_file(
        &alice,
        KeyExportInput {
            passphrase: PASSPHRASE.into(),
        },
    )
    .await
    .unwrap();
    assert_ne!(again.path, exported.path);
    assert_eq!(key_files(print_dir.path()).len(), 2);

    // Queue 2: carol's desk made its own key; she imports queue 1's key from the file's bytes.
    let queue2 = tempfile::tempdir().unwrap();
    let key2 = TestKey::new("q2");
    let carol = desk(queue2.path(), &key2, "carol").await;
    let fingerprint2 = key_status(&carol).await.unwrap().key.fingerprint.unwrap();
    assert_ne!(fingerprint1, fingerprint2);
    let content_base64 = STANDARD.encode(&bytes);
    let import = |passphrase: &str, force: bool| KeyImportInput {
        content_base64: content_base64.clone(),
        passphrase: passphrase.into(),
        force,
    };

    let err = import_key_file(&carol, import("not the passphrase", true))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.wrong_passphrase");
    let err = import_key_file(&carol, import(PASSPHRASE, false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "vault.key_conflict");
    let err = import_key_file(
        &carol,
        KeyImportInput {
            content_base64: "%%% not base64".into(),
            passphrase: PASSPHRASE.into(),
            force: true,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "import.bad_encoding");
    // None of that touched carol's key.
    assert_eq!(
        key_status(&carol).await.unwrap().key.fingerprint.as_deref(),
        Some(fingerprint2.as_str())
    );

    let outcome = import_key_file(&carol, import(PASSPHRASE, true))
        .await
        .unwrap();
    assert_eq!(outcome.outcome, KeyImportKind::Replaced);
    assert_eq!(outcome.fingerprint, fingerprint1);
    assert_eq!(outcome.replaced.as_deref(), Some(fingerprint2.as_str()));
    assert_eq!(
        key_status(&carol).await.unwrap().key.fingerprint.as_deref(),
        Some(fingerprint1.as_str())
    );

    // The purge and the erasure as the UI calls them: for today, and supervisor only.
    let plan = retention_plan(&bob).await.unwrap();
    assert_eq!(plan.today, chrono::Local::now().date_naive());
    assert_eq!(
        retention_purge(&bob).await.unwrap_err().code(),
        "operator.supervisor_required"
    );
    let report = retention_purge(&alice).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let erase = |holder_id: &str| EraseHolderInput {
        holder_id: holder_id.into(),
        reason: "holder's request".into(),
    };
    assert_eq!(
        erase_holder_data(&bob, erase(&uuid::Uuid::now_v7().to_string()))
            .await
            .unwrap_err()
            .code(),
        "operator.supervisor_required"
    );
    assert_eq!(
        erase_holder_data(&alice, erase("not-an-id"))
            .await
            .unwrap_err()
            .code(),
        "request.bad_id"
    );
}
