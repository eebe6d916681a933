//! `sesamectl key|backup|restore`, driven through sesamectl's own `vault` module on a
//! real Secret Service (run through scripts/with-keyring.sh). The key commands open a
//! `Desk`, like the app. (Moved here from sesame-vault's tests when they did.)

#[path = "../src/output.rs"]
#[allow(dead_code)]
mod output;
#[path = "../src/vault.rs"]
#[allow(dead_code)]
mod vault;

#[path = "../../sesame-vault/tests/common/mod.rs"]
mod common;

use std::process::ExitCode;

use clap::Parser;
use common::{jpeg_with, new_request, TestDb, TestVault, OPERATOR};
use sesame_core::{AppError, AttachmentKind};
use sesame_vault::{desk_codec, KeyVault};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: vault::VaultCommand,
}

async fn sesamectl(args: &[&str], url: &str, desk: &KeyVault) -> anyhow::Result<ExitCode> {
    let cli = Cli::try_parse_from(std::iter::once("sesamectl").chain(args.iter().copied()))
        .expect("valid arguments");
    let data_dir = url
        .strip_prefix("sqlite://")
        .and_then(|path| std::path::Path::new(path).parent())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    vault::run_with(cli.cmd, url, desk, &data_dir).await
}

fn code(error: anyhow::Error) -> String {
    error
        .downcast_ref::<AppError>()
        .map(|e| e.code.clone())
        .unwrap_or_else(|| format!("{error:#}"))
}

#[tokio::test]
async fn two_desks_share_a_key_and_the_database_is_backed_up_and_restored() {
    std::env::set_var(vault::PASSPHRASE_ENV, "passphrase of the badge office");
    let first = TestVault::new("cli_first");
    let second = first.second_desk();
    let db = TestDb::new();
    db.store().await.close().await;

    assert_eq!(
        sesamectl(&["key", "init"], &db.url, &first.vault)
            .await
            .unwrap(),
        ExitCode::SUCCESS
    );
    let key = first.vault.load().unwrap();
    assert_eq!(
        sesamectl(&["key", "init"], &db.url, &first.vault)
            .await
            .unwrap(),
        ExitCode::SUCCESS
    );
    assert_eq!(
        first.vault.load().unwrap(),
        key,
        "init keeps an existing key"
    );

    let store = db
        .store()
        .await
        .with_codec(desk_codec(&first.vault).unwrap());
    let request = store
        .create_request(new_request("Partage"), OPERATOR)
        .await
        .unwrap();
    store
        .put_attachment(
            request.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"PARTAGE"),
            OPERATOR,
        )
        .await
        .unwrap();
    store.close().await;
    assert_eq!(
        sesamectl(&["key", "status"], &db.url, &first.vault)
            .await
            .unwrap(),
        ExitCode::SUCCESS
    );

    // The second desk must not start its own key on an encrypted queue.
    let error = sesamectl(&["key", "init"], &db.url, &second.vault)
        .await
        .unwrap_err();
    assert_eq!(code(error), "vault.queue_has_key");
    assert_eq!(
        sesamectl(&["key", "status"], &db.url, &second.vault)
            .await
            .unwrap(),
        ExitCode::from(1)
    );

    let key_file = db.file("desk.sesame-key");
    let key_path = key_file.to_str().unwrap();
    sesamectl(&["key", "export", "--out", key_path], &db.url, &first.vault)
        .await
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(
        sesamectl(&["key", "export", "--out", key_path], &db.url, &first.vault)
            .await
            .is_err(),
        "no overwrite"
    );
    sesamectl(&["key", "import", key_path], &db.url, &second.vault)
        .await
        .unwrap();
    assert_eq!(second.vault.load().unwrap(), key);
    assert_eq!(
        sesamectl(&["key", "status", "--json"], &db.url, &second.vault)
            .await
            .unwrap(),
        ExitCode::SUCCESS
    );

    let backup_file = db.file("backup.sqlite3");
    sesamectl(
        &["backup", backup_file.to_str().unwrap()],
        &db.url,
        &first.vault,
    )
    .await
    .unwrap();
    sesamectl(
        &["restore", backup_file.to_str().unwrap()],
        &db.url,
        &first.vault,
    )
    .await
    .unwrap();
    assert!(db.file("queue.sqlite3.before-restore").exists());
    let restored = db
        .store()
        .await
        .with_codec(desk_codec(&second.vault).unwrap());
    let detail = restored.get_request(request.request.id).await.unwrap();
    let photo = restored
        .get_attachment(detail.attachments[0].id)
        .await
        .unwrap();
    assert_eq!(photo.bytes, jpeg_with(b"PARTAGE"));
    restored.close().await;

    let error = sesamectl(
        &["restore", backup_file.to_str().unwrap()],
        "postgres://x@h/db",
        &first.vault,
    )
    .await
    .unwrap_err();
    assert_eq!(code(error), "backup.unsupported_database");
}
