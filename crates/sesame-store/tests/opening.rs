//! Opening a store: SQLite URLs (folders created, migrations run once, in memory),
//! unsupported URLs, and the PostgreSQL URL the suite needs unless told to skip it.

use sesame_core::ErrorCode;
use sesame_store::Store;
use sesame_test_support::fixtures::new_request;

const ALICE: &str = "alice";

#[tokio::test]
async fn sqlite_open_creates_folders_and_reports_info() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c/sesame.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert!(path.exists());
    assert_eq!(store.backend_name(), "sqlite");
    let info = store.info().await.unwrap();
    // The newest migration of this build (one file per version in migrations/sqlite).
    let newest = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .split('_')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap();
    assert_eq!(info.schema_version, newest);
    assert_eq!(info.requests, 0);
    store.close().await;
    // reopening runs no migration twice and keeps data
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store
        .create_request(new_request("Re", "Open"), ALICE)
        .await
        .unwrap();
    assert_eq!(store.info().await.unwrap().requests, 1);
    let memory = Store::open("sqlite::memory:").await.unwrap();
    assert_eq!(
        memory
            .count_by_status()
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum::<i64>(),
        0
    );
    assert_eq!(
        Store::open("mysql://x/y").await.unwrap_err().code(),
        "store.unsupported_url"
    );
}

#[tokio::test]
async fn postgres_url_is_required_unless_skipped() {
    // The suite must not pass silently without PostgreSQL.
    if std::env::var(sesame_test_support::db::PG_SKIP_VAR).as_deref() != Ok("1") {
        assert!(
            std::env::var(sesame_test_support::db::PG_URL_VAR).is_ok(),
            "{} is not set: run `eval \"$(scripts/pg-test-server.sh start)\"` first",
            sesame_test_support::db::PG_URL_VAR
        );
    }
}
