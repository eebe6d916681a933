//! One throwaway database per test: a SQLite file in a temp folder, or a fresh
//! PostgreSQL database on the server named by `SESAME_TEST_PG_URL`.

#![allow(dead_code)]

use chrono::NaiveDate;
use sesame_core::{HolderDetails, RequestDetails, RequestKind};
use sesame_store::{NewRequest, Store};
use sqlx::Connection;

pub const PG_URL_VAR: &str = "SESAME_TEST_PG_URL";
pub const PG_SKIP_VAR: &str = "SESAME_TEST_SKIP_PG";

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/nested/queue.db", dir.path().display());
        let store = Store::open(&url).await.expect("open sqlite store");
        TestDb {
            store,
            url,
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    /// `None` only when PostgreSQL tests are explicitly skipped with SESAME_TEST_SKIP_PG=1.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = match std::env::var(PG_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                if std::env::var(PG_SKIP_VAR).as_deref() == Ok("1") {
                    eprintln!("PostgreSQL test skipped: {PG_SKIP_VAR}=1");
                    return None;
                }
                panic!(
                    "{PG_URL_VAR} is not set: start a test server with `eval \"$(scripts/pg-test-server.sh start)\"` \
                     (or set {PG_SKIP_VAR}=1 to skip the PostgreSQL half explicitly)"
                );
            }
        };
        let name = format!("sesame_t_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach {PG_URL_VAR}={admin_url}: {e} (is scripts/pg-test-server.sh running?)"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        let store = Store::open(&url).await.expect("open postgres store");
        Some(TestDb {
            store,
            url,
            _dir: None,
            pg_admin: Some((admin_url, name)),
        })
    }

    /// Closes the store and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.pg_admin {
            if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
                // FORCE ends our own leftover sessions; it fails when autovacuum is in
                // the database, so retry a moment later.
                for _ in 0..20 {
                    let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                    if dropped.is_ok() {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
    }

    /// Runs raw SQL against the test database (to prove what the store refuses or hides).
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        if self.url.starts_with("sqlite") {
            let path = self.url.trim_start_matches("sqlite://");
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}")).await?;
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await?;
            Ok(done.rows_affected())
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await?;
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await?;
            Ok(done.rows_affected())
        }
    }

    pub async fn raw_count(&self, sql: &str) -> i64 {
        if self.url.starts_with("sqlite") {
            let path = self.url.trim_start_matches("sqlite://");
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
                .await
                .unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut conn)
                .await
                .unwrap()
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
    }
}

/// Replaces the database name in a PostgreSQL URL, keeping user, host, port and options.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// Declares a test body once and runs it on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = $crate::common::TestDb::sqlite().await;
                super::$name(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(db) = $crate::common::TestDb::postgres().await else {
                    return;
                };
                super::$name(&db).await;
                db.finish().await;
            }
        }
    };
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

pub fn holder(family: &str, given: &str) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: given.into(),
        email: Some(format!(
            "{}.{}@example.fr",
            sesame_core::text::fold(given).replace(' ', "-"),
            sesame_core::text::fold(family).replace(' ', "-")
        )),
        phone: None,
        organisation: Some("Labo".into()),
        unit: Some("Unit 1".into()),
        category: "staff".into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: Some(today() + chrono::Days::new(400)),
    }
}

pub fn new_request(family: &str, given: &str) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder: holder(family, given),
        request: RequestDetails {
            zones: vec!["Bât A".into()],
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    }
}

/// Smallest bytes that pass as a JPEG (signature checked, not decoded).
pub fn jpeg(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}
