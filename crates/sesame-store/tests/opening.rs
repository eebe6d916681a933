//! Opening a store: SQLite URLs (folders created, migrations run once, in memory),
//! unsupported URLs, and the PostgreSQL URL the suite needs unless told to skip it.

use sesame_core::ErrorCode;
use sesame_store::Store;
use sesame_test_support::fixtures::{new_request, new_request_in};
use sqlx::Connection;

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

/// The queue's file and its journal are its owner's only, new or inherited from a
/// looser older install: other accounts of the machine cannot read the holders.
#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let url = format!("sqlite://{}", path.display());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let store = Store::open(&url).await.unwrap();
    store
        .create_request(new_request("Privé", "Anne"), ALICE)
        .await
        .unwrap();
    let wal = dir.path().join("queue.sqlite3-wal");
    assert_eq!(mode(&path), 0o600);
    assert!(wal.exists(), "the queue runs in WAL mode");
    assert_eq!(mode(&wal), 0o600);
    store.close().await;

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&url).await.unwrap();
    assert_eq!(mode(&path), 0o600);
    store.close().await;
}

/// A PostgreSQL server's certificate is checked against the host it was asked for:
/// the test server's, signed by the CA `scripts/pg-test-server.sh` made, is
/// accepted under `sslmode=verify-full` (by name and by address); the same server
/// seen through another CA is refused with `store.tls_refused`, naming the fix.
#[tokio::test]
async fn postgres_certificates_are_verified() {
    let Some(db) = sesame_test_support::db::PgDatabase::create("tls").await else {
        return;
    };
    let ca = std::env::var("SESAME_TEST_PG_CA")
        .expect("SESAME_TEST_PG_CA (exported by scripts/pg-test-server.sh start)");
    let other_ca = std::path::Path::new(&ca).with_file_name("other-ca.crt");
    let with_tls = |host: &str, ca: &str| {
        let url = db.url.replacen("127.0.0.1", host, 1);
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}sslmode=verify-full&sslrootcert={ca}")
    };
    for host in ["localhost", "127.0.0.1"] {
        let store = Store::open(&with_tls(host, &ca))
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        store
            .create_request(new_request("Chiffré", "Théo"), ALICE)
            .await
            .unwrap();
        store.close().await;
    }
    let Err(err) = Store::open(&with_tls("localhost", other_ca.to_str().unwrap())).await else {
        panic!("a certificate from another CA is refused");
    };
    assert_eq!(err.code(), "store.tls_refused", "{err}");
    assert!(err.to_string().contains("sslrootcert"), "{err}");
    db.drop_database().await;
}

/// A server set up with French rules as its default collation (an office's server is
/// rarely created in "C"): the store's migrations run there, the ids the queue joins
/// and sorts on are compared bytewise all the same (`0021_request_ids_compared_bytewise.sql`),
/// and the queue's searches, zone filter and order of submission answer as anywhere.
/// The upgrade leaves the planner its statistics.
#[tokio::test]
async fn a_french_server_compares_request_ids_bytewise() {
    let options =
        "TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'fr' LOCALE 'C.UTF-8'";
    let Some(db) = sesame_test_support::db::PgDatabase::create_with("fr", options).await else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    let mut admin = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let provider: String = sqlx::query_scalar(
        "SELECT datlocprovider::TEXT FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(
        provider, "i",
        "the database's default collation is ICU's French"
    );
    // The columns the upgrade changes, as (table, column) pairs.
    let changed =
        "(('requests', 'id'), ('search_terms', 'request_id'), ('request_zones', 'request_id'))";
    let collations: Vec<(String, String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(
        format!(
            "SELECT table_name::TEXT, column_name::TEXT, collation_name::TEXT \
             FROM information_schema.columns WHERE (table_name, column_name) IN {changed} ORDER BY 1"
        ),
    ))
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert_eq!(collations.len(), 3);
    for (table, column, collation) in &collations {
        assert_eq!(collation.as_deref(), Some("C"), "{table}.{column}");
    }

    let mut created = Vec::new();
    for (family, given) in [("Zoé", "Martin"), ("Dupont", "Zoe"), ("Éloïse", "Çelik")] {
        let request = new_request_in(family, given, &["parking"]);
        created.push(
            store
                .create_request(request, ALICE)
                .await
                .unwrap()
                .request
                .id,
        );
    }
    let page = store
        .list_requests(&sesame_store::QueueQuery::default())
        .await
        .unwrap();
    let in_order: Vec<String> = page.rows.iter().map(|r| r.id.to_string()).collect();
    let mut bytewise: Vec<String> = created.iter().map(|id| id.to_string()).collect();
    bytewise.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(in_order, bytewise);
    let query = sesame_store::QueueQuery {
        search: Some("zoe".into()),
        zone: Some("parking".into()),
        ..Default::default()
    };
    let found = store.list_requests(&query).await.unwrap();
    assert_eq!(found.rows.len(), 2);
    assert!(found.rows.iter().all(|r| created[..2].contains(&r.id)));

    // The upgrade of a queue that has requests leaves the planner statistics of the
    // columns it changed (a new type drops them).
    let migration = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/postgres/0021_request_ids_compared_bytewise.sql"
    ))
    .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(migration))
        .execute(&mut admin)
        .await
        .unwrap();
    let analysed: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM pg_stats WHERE (tablename, attname) IN {changed}"
    )))
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(analysed, 3);
    store.close().await;
    admin.close().await.ok();
    db.drop_database().await;
}
