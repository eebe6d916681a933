//! Backup and restore of the SQLite database (no keyring needed).

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{jpeg_with, new_request, OPERATOR};
use sesame_core::{AttachmentKind, ErrorCode};
use sesame_store::Store;
use sesame_vault::{backup, inspect_backup, known_schema_version, restore};
use sqlx::Connection;

async fn request_count(path: &std::path::Path) -> i64 {
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM requests")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_backup_taken_while_a_desk_writes_is_consistent() {
    let db = common::sqlite_file();
    let store = db.store().await;
    for i in 0..20 {
        store
            .create_request(new_request(&format!("Avant{i}")), OPERATOR)
            .await
            .unwrap();
    }

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            let mut written = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let created = store
                    .create_request(new_request(&format!("Pendant{written}")), OPERATOR)
                    .await
                    .unwrap();
                store
                    .put_attachment(
                        created.request.id,
                        AttachmentKind::Photo,
                        &jpeg_with(b"PHOTO"),
                        OPERATOR,
                    )
                    .await
                    .unwrap();
                written += 1;
            }
            written
        })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let out = db.file("backups/queue-backup.sqlite3");
    let report = backup(&db.url, &out).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0, "the writer wrote during the test");
    assert_eq!(report.schema_version, known_schema_version());
    assert!(report.bytes > 0);

    let info = inspect_backup(&out).await.unwrap();
    assert!(
        info.requests >= 20 && info.requests <= 20 + i64::from(written),
        "{info:?}"
    );
    // A consistent snapshot: every request written together with its photo has it.
    assert!(
        info.attachments == info.requests - 20 || info.attachments + 1 == info.requests - 20,
        "{info:?}"
    );
    let copy = Store::open(&format!("sqlite://{}", out.display()))
        .await
        .unwrap();
    assert_eq!(copy.info().await.unwrap().requests, info.requests);
    copy.close().await;
    store.close().await;

    // Never overwrites an existing file.
    let error = backup(&db.url, &out).await.unwrap_err();
    assert_eq!(error.code(), "backup.output_exists");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no partial files left: {leftovers:?}");
}

#[tokio::test]
async fn restore_replaces_the_database_and_keeps_the_previous_one() {
    let db = common::sqlite_file();
    let store = db.store().await;
    store
        .create_request(new_request("Sauve"), OPERATOR)
        .await
        .unwrap();
    let saved = db.file("saved.sqlite3");
    backup(&db.url, &saved).await.unwrap();
    store
        .create_request(new_request("Apres"), OPERATOR)
        .await
        .unwrap();

    // Refused while the app has the database open.
    let error = restore(&saved, &db.path).await.unwrap_err();
    assert_eq!(error.code(), "backup.database_in_use", "{error}");
    assert_eq!(
        store.info().await.unwrap().requests,
        2,
        "the open database is untouched"
    );
    store.close().await;

    let report = restore(&saved, &db.path).await.unwrap();
    assert_eq!(request_count(&db.path).await, 1);
    let previous = report
        .previous_saved_as
        .expect("the previous database is kept");
    assert!(
        previous.ends_with("queue.sqlite3.before-restore"),
        "{previous}"
    );
    assert_eq!(request_count(std::path::Path::new(&previous)).await, 2);
    let reopened = db.store().await;
    assert_eq!(reopened.info().await.unwrap().requests, 1);
    reopened.close().await;
}

#[tokio::test]
async fn restore_into_a_new_place() {
    let db = common::sqlite_file();
    let store = db.store().await;
    store
        .create_request(new_request("Neuf"), OPERATOR)
        .await
        .unwrap();
    store.close().await;
    let saved = db.file("saved.sqlite3");
    backup(&db.path.display().to_string(), &saved)
        .await
        .unwrap();
    let target = db.file("elsewhere/restored.sqlite3");
    let report = restore(&saved, &target).await.unwrap();
    assert_eq!(report.previous_saved_as, None);
    assert_eq!(request_count(&target).await, 1);
}

#[tokio::test]
async fn restore_refuses_a_newer_schema() {
    let db = common::sqlite_file();
    db.store().await.close().await;
    let saved = db.file("future.sqlite3");
    backup(&db.url, &saved).await.unwrap();
    let future = known_schema_version() + 1;
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", saved.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (?, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)",
    )
    .bind(future)
    .execute(&mut connection)
    .await
    .unwrap();
    connection.close().await.unwrap();

    let target = db.file("target.sqlite3");
    let error = restore(&saved, &target).await.unwrap_err();
    assert_eq!(error.code(), "backup.schema_too_new");
    assert!(error.to_string().contains(&future.to_string()), "{error}");
    assert!(!target.exists(), "nothing written");
}

#[tokio::test]
async fn restore_refuses_damaged_and_foreign_files() {
    let db = common::sqlite_file();
    let store = db.store().await;
    for i in 0..50 {
        let created = store
            .create_request(new_request(&format!("Nom{i}")), OPERATOR)
            .await
            .unwrap();
        store
            .put_attachment(
                created.request.id,
                AttachmentKind::Photo,
                &jpeg_with(&[i as u8; 300]),
                OPERATOR,
            )
            .await
            .unwrap();
    }
    store.close().await;
    let saved = db.file("saved.sqlite3");
    backup(&db.url, &saved).await.unwrap();
    let before = std::fs::read(&db.path).unwrap();

    // Not SQLite at all.
    let text = db.file("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just a note that is long enough",
    )
    .unwrap();
    assert_eq!(
        restore(&text, &db.path).await.unwrap_err().code(),
        "backup.not_sqlite"
    );

    // SQLite header, damaged pages.
    let mut bytes = std::fs::read(&saved).unwrap();
    let page = 4096;
    let length = bytes.len();
    for at in (page * 2..length).step_by(page) {
        for byte in &mut bytes[at..(at + 200).min(length)] {
            *byte = 0x5A;
        }
    }
    let damaged = db.file("damaged.sqlite3");
    std::fs::write(&damaged, &bytes).unwrap();
    let error = restore(&damaged, &db.path).await.unwrap_err();
    assert_eq!(error.code(), "backup.corrupt", "{error}");

    // Truncated.
    let truncated = db.file("truncated.sqlite3");
    std::fs::write(&truncated, &std::fs::read(&saved).unwrap()[..page * 3]).unwrap();
    let error = restore(&truncated, &db.path).await.unwrap_err();
    assert_eq!(error.code(), "backup.corrupt", "{error}");

    // A SQLite database of another program.
    let foreign = db.file("foreign.sqlite3");
    let mut connection =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", foreign.display()))
            .await
            .unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    assert_eq!(
        restore(&foreign, &db.path).await.unwrap_err().code(),
        "backup.not_sesame"
    );

    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        before,
        "the database was never touched"
    );
    assert!(!db.file("queue.sqlite3.before-restore").exists());
}

#[tokio::test]
async fn postgres_and_missing_databases_are_refused_by_backup() {
    let db = common::sqlite_file();
    let out = db.file("out.sqlite3");
    let error = backup("postgres://sesame:secret@localhost/sesame", &out)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "backup.unsupported_database");
    assert!(!error.to_string().contains("secret"));
    let error = backup(&db.url, &out).await.unwrap_err();
    assert_eq!(error.code(), "backup.database_missing");
    assert!(
        !out.exists() && !db.path.exists(),
        "backup creates no database"
    );
}
