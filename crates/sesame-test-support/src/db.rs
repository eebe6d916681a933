//! One throwaway database per test: a SQLite file in a temp folder, or a fresh
//! PostgreSQL database on the server named by `SESAME_TEST_PG_URL` (start one with
//! `eval "$(scripts/pg-test-server.sh start)"`), dropped at the end.

use std::path::PathBuf;

use sesame_store::Store;
use sqlx::Connection;

use crate::clock::pinned_clock;

/// The PostgreSQL server tests create their databases on (an admin URL).
pub const PG_URL_VAR: &str = "SESAME_TEST_PG_URL";
/// Set to `1` to skip the PostgreSQL half of the tests explicitly.
pub const PG_SKIP_VAR: &str = "SESAME_TEST_SKIP_PG";

/// A fresh, empty PostgreSQL database on the test server.
#[derive(Debug)]
pub struct PgDatabase {
    /// Its URL (user, host, port and options of the server's).
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// Creates a database named `<prefix>_<uuid>`. `None` only when the PostgreSQL tests
    /// are skipped explicitly with `SESAME_TEST_SKIP_PG=1`; without a server this panics
    /// and says how to start one.
    pub async fn create(prefix: &str) -> Option<PgDatabase> {
        Self::create_with(prefix, "").await
    }

    /// As [`PgDatabase::create`], with `options` after `CREATE DATABASE name` (a
    /// template, a locale: a server set up unlike the test server).
    pub async fn create_with(prefix: &str, options: &str) -> Option<PgDatabase> {
        let admin_url = match std::env::var(PG_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ if std::env::var(PG_SKIP_VAR).as_deref() == Ok("1") => {
                eprintln!("PostgreSQL test skipped: {PG_SKIP_VAR}=1");
                return None;
            }
            _ => panic!(
                "{PG_URL_VAR} is not set: start a test server with `eval \"$(scripts/pg-test-server.sh start)\"` \
                 (or set {PG_SKIP_VAR}=1 to skip the PostgreSQL half explicitly)"
            ),
        };
        let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("cannot reach {PG_URL_VAR}={admin_url}: {e} (is scripts/pg-test-server.sh running?)")
            });
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE \"{name}\" {options}"
        )))
        .execute(&mut admin)
        .await
        .expect("create the test database");
        admin.close().await.ok();
        Some(PgDatabase {
            url: with_database(&admin_url, &name),
            admin_url,
            name,
        })
    }

    /// Drops the database, ending any session still connected to it.
    pub async fn drop_database(self) {
        let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await else {
            return;
        };
        // FORCE ends our own leftover sessions; it fails when autovacuum is in the
        // database, so retry a moment later.
        for _ in 0..20 {
            let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
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

/// Replaces the database name in a PostgreSQL URL, keeping user, host, port and options.
pub fn with_database(url: &str, name: &str) -> String {
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

/// A SQLite file in a temp folder (deleted with it), not opened yet.
#[derive(Debug)]
pub struct SqliteFile {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub url: String,
}

impl SqliteFile {
    /// `relative` is the file's path inside the temp folder (folders created on open).
    pub fn new(relative: &str) -> SqliteFile {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(relative);
        let url = format!("sqlite://{}", path.display());
        SqliteFile { dir, path, url }
    }

    /// Opens the store on it, with the pinned clock.
    pub async fn store(&self) -> Store {
        open_pinned(&self.url).await
    }

    /// Another file in the same temp folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The codec name and the stored bytes of an attachment, read from the SQLite file at
/// `path` directly (to see what the store really wrote).
pub async fn raw_blob(path: &std::path::Path, attachment_id: uuid::Uuid) -> (String, Vec<u8>) {
    use sqlx::Row;
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

/// Opens the store at `url` with the pinned clock.
pub async fn open_pinned(url: &str) -> Store {
    Store::open(url)
        .await
        .unwrap_or_else(|e| panic!("open the store at {url}: {e}"))
        .with_clock(pinned_clock())
}

/// A store on its own throwaway database, with the pinned clock.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    sqlite: Option<SqliteFile>,
    pg: Option<PgDatabase>,
}

impl TestDb {
    /// A SQLite file in a folder the store creates (`<tmp>/nested/queue.db`).
    pub async fn sqlite() -> TestDb {
        let file = SqliteFile::new("nested/queue.db");
        TestDb {
            store: file.store().await,
            url: file.url.clone(),
            sqlite: Some(file),
            pg: None,
        }
    }

    /// A fresh PostgreSQL database; `None` only when explicitly skipped
    /// (`SESAME_TEST_SKIP_PG=1`).
    pub async fn postgres() -> Option<TestDb> {
        let pg = PgDatabase::create("sesame_t").await?;
        Some(TestDb {
            store: open_pinned(&pg.url).await,
            url: pg.url.clone(),
            sqlite: None,
            pg: Some(pg),
        })
    }

    /// The SQLite file, for a SQLite database.
    pub fn sqlite_file(&self) -> Option<&SqliteFile> {
        self.sqlite.as_ref()
    }

    /// Closes the store and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some(pg) = self.pg {
            pg.drop_database().await;
        }
    }

    /// Runs raw SQL against the test database (to prove what the store refuses or hides).
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
        Ok(if self.url.starts_with("sqlite") {
            let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
            query.execute(&mut conn).await?.rows_affected()
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await?;
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await?
                .rows_affected()
        })
    }

    /// The single number a raw `SELECT COUNT(*) …` (or any scalar query) returns.
    pub async fn raw_count(&self, sql: &str) -> i64 {
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()));
        if self.url.starts_with("sqlite") {
            let mut conn = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            query.fetch_one(&mut conn).await.unwrap()
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
    }
}

/// Declares a test body `async fn name(db: &TestDb)` once and runs it on SQLite and
/// on PostgreSQL, as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = $crate::db::TestDb::sqlite().await;
                super::$name(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(db) = $crate::db::TestDb::postgres().await else {
                    return;
                };
                super::$name(&db).await;
                db.finish().await;
            }
        }
    };
}

/// A PostgreSQL URL without its user: the URL a desk uses where each operator signs
/// in with their own database login.
pub fn without_user(url: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let host_end = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + i);
    match url[scheme_end..host_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &url[scheme_end + at + 1..]),
        None => url.to_owned(),
    }
}

/// Drops database logins a test created: they belong to the whole server, not to the
/// test's database (drop the database first).
pub async fn drop_logins(logins: &[&str]) {
    let Ok(admin_url) = std::env::var(PG_URL_VAR) else {
        return;
    };
    let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await else {
        return;
    };
    for login in logins {
        let quoted = login.replace('"', "\"\"");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP ROLE IF EXISTS \"{quoted}\""
        )))
        .execute(&mut admin)
        .await
        .ok();
    }
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn drops_only_the_user() {
        assert_eq!(
            super::without_user("postgres://sesame@127.0.0.1:5432/db_1?sslmode=require"),
            "postgres://127.0.0.1:5432/db_1?sslmode=require"
        );
        assert_eq!(
            super::without_user("postgres://u:p@h/db"),
            "postgres://h/db"
        );
        assert_eq!(super::without_user("postgres://h/db"), "postgres://h/db");
    }
}
