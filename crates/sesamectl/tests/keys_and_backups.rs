//! `sesamectl key|backup|restore`, run as the real binary on a real Secret Service:
//! two desks of one queue share its data key through a key file, and the database is
//! backed up and restored with its photos still readable.

use sesame_core::AttachmentKind;
use sesame_service::{get_attachment_content, get_request};
use sesame_test_support::cli::{CliRun, Sesamectl};
use sesame_test_support::fixtures::{jpeg_with, new_request, with_photo};

const PASSPHRASE: &str = "passphrase of the badge office";

#[tokio::test]
async fn two_desks_share_a_key_and_the_database_is_backed_up_and_restored() {
    let first = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice")
        .env("SESAME_KEY_PASSPHRASE", PASSPHRASE);
    // The same supervisor at another desk, whose keyring does not hold the key yet.
    let second = first.second_desk("alice");

    first.run(&["key", "init"]).assert_success();
    let key = first.vault().load().unwrap();
    first.run(&["key", "init"]).assert_success();
    assert_eq!(
        first.vault().load().unwrap(),
        key,
        "init keeps an existing key"
    );

    let store = first.store().await;
    let request = with_photo(
        &store,
        new_request("Partage", "Zoé"),
        &jpeg_with(b"PARTAGE"),
        first.operator(),
    )
    .await;
    assert_eq!(request.attachments[0].kind, AttachmentKind::Photo);
    store.close().await;
    first.run(&["key", "status"]).assert_success();

    // The second desk must not start its own key on an encrypted queue.
    let init = second.run(&["key", "init"]);
    init.assert_exit(2);
    assert!(
        init.stderr().contains("error[vault.queue_has_key]"),
        "{}",
        init.stderr()
    );
    second.run(&["key", "status"]).assert_exit(1);

    let key_file = first.file("desk.sesame-key");
    let key_path = key_file.to_str().unwrap();
    first
        .run(&["key", "export", "--out", key_path])
        .assert_success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let again = first.run(&["key", "export", "--out", key_path]);
    assert!(!again.success(), "no overwrite: {}", again.text());
    second.run(&["key", "import", key_path]).assert_success();
    assert_eq!(second.vault().load().unwrap(), key);
    second.run(&["key", "status", "--json"]).assert_success();

    let backup_file = first.file("backup.sqlite3");
    let backup_path = backup_file.to_str().unwrap();
    first.run(&["backup", backup_path]).assert_success();
    first.run(&["restore", backup_path]).assert_success();
    let kept = format!("{}.before-restore", first.db_file().display());
    assert!(std::path::Path::new(&kept).exists(), "{kept}");
    let desk = second.desk().await;
    let detail = get_request(&desk, request.request.id.into()).await.unwrap();
    let photo = get_attachment_content(&desk, detail.attachments[0].id.into())
        .await
        .unwrap();
    assert_eq!(photo.data.into_bytes().unwrap(), jpeg_with(b"PARTAGE"));
    desk.close().await;

    let elsewhere = CliRun::of(
        first
            .command(&["restore", backup_path])
            .env("SESAME_DATABASE_URL", "postgres://x@h/db"),
    );
    elsewhere.assert_exit(2);
    assert!(
        elsewhere
            .stderr()
            .contains("error[backup.unsupported_database]"),
        "{}",
        elsewhere.stderr()
    );
}
