//! The `Store`: opens SQLite or PostgreSQL by URL and dispatches every call to the
//! backend's compiled queries.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sesame_core::{Clock, Policy};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::backends::{postgres, sqlite};
use crate::codec::{BlobCodec, PlainCodec};
use crate::error::{Result, StoreError};
use crate::{DbInfo, TemplateImageInfo, TemplateVersion, TemplateVersionSummary};

pub use database_logins::{DatabaseLogin, SecuredDatabase};
pub(crate) use position_marks::{MarksCache, MarksSlot, PageReader, SinceAhead, Taken};

/// Default queue page size.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;
/// Largest photo or document accepted (a 600 dpi A4 scan as PDF fits).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// A desk's claim on a request to print lapses after this long (a crashed desk
/// must not hold requests forever).
pub const PRINT_CLAIM_MINUTES: i64 = 30;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(database_logins::PgLink),
}

/// The queue store. Cheap to clone (pools are shared, and so is a pinned clock).
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    location: String,
    codec: Arc<dyn BlobCodec>,
    /// Where "now" and "today" come from: the store never reads the system time itself.
    clock: Clock,
    /// The position marks of the last query jumped through (or about to be) under a
    /// search of dense words, and what the queue screen reads.
    marks: Arc<MarksCache>,
}

macro_rules! dispatch {
    ($self:expr, $module:ident :: $function:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::Sqlite(pool) => sqlite::ops::$module::$function(pool, $($arg),*).await,
            Backend::Postgres(link) => match link.pool() {
                Ok(pool) => postgres::ops::$module::$function(&pool, $($arg),*).await,
                Err(error) => Err(error.into()),
            },
        }
    };
    ($self:expr, $function:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::Sqlite(pool) => sqlite::ops::$function(pool, $($arg),*).await,
            Backend::Postgres(link) => match link.pool() {
                Ok(pool) => postgres::ops::$function(&pool, $($arg),*).await,
                Err(error) => Err(error.into()),
            },
        }
    };
}

// The `Store` methods of each domain, after the macro they use.
mod access_export;
mod badges;
mod database_logins;
mod day_pass;
mod dispatch;
mod expiry;
mod loans;
mod operators;
mod opposition;
mod outbox;
mod position_marks;
mod printing;
mod renewal;
mod requests;
mod retention;
mod usage;
mod visits;
mod zones;

/// The URL from `SESAME_DATABASE_URL`, else a SQLite file at `default_sqlite`.
pub fn database_url_from_env(default_sqlite: &Path) -> String {
    match std::env::var("SESAME_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
        _ => format!("sqlite://{}", default_sqlite.display()),
    }
}

/// Hides the password of a PostgreSQL URL for display.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest).to_owned())
}

/// The connection options for a PostgreSQL URL. A server on another machine is
/// reached over TLS with its certificate checked against the host name
/// (`sslmode=verify-full`, the system's CAs or the one named by `sslrootcert`)
/// unless the URL says otherwise: the queue's personal data and the operators'
/// passwords must not cross a network in clear or to an impostor. A server on
/// loopback or a local socket keeps libpq's default (TLS when offered).
fn postgres_options(url: &str) -> std::result::Result<PgConnectOptions, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    Ok(match default_ssl_mode(url) {
        Some(mode) => options.ssl_mode(mode),
        None => options,
    })
}

/// `verify-full` for a URL naming no `sslmode` and a host that is not this machine.
pub(crate) fn default_ssl_mode(url: &str) -> Option<sqlx::postgres::PgSslMode> {
    let parsed = url::Url::parse(url).ok()?;
    if parsed.query_pairs().any(|(key, _)| key == "sslmode") {
        return None;
    }
    // `postgres:` is not a scheme the URL standard knows, so an address comes back
    // as a plain name: read it as an address first.
    let host: std::net::IpAddr = match parsed.host() {
        None => return None, // a Unix socket
        Some(url::Host::Ipv4(ip)) => ip.into(),
        Some(url::Host::Ipv6(ip)) => ip.into(),
        Some(url::Host::Domain(name)) => {
            let bare = name.trim_start_matches('[').trim_end_matches(']');
            match bare.parse() {
                Ok(ip) => ip,
                Err(_) if name.eq_ignore_ascii_case("localhost") || name.starts_with('/') => {
                    return None
                }
                Err(_) => return Some(sqlx::postgres::PgSslMode::VerifyFull),
            }
        }
    };
    (!host.is_loopback()).then_some(sqlx::postgres::PgSslMode::VerifyFull)
}

/// Makes the SQLite file readable and writable by its owner only (0600), creating it
/// empty so when new (SQLite gives its journal and WAL files the database's own
/// permissions): the queue holds personal data, and other accounts of the machine
/// have no business reading it. A file of another owner is left as it is.
fn owner_only(file: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !file.exists() {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(file)
                .map(drop)
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => Ok(()),
                    _ => Err(e),
                })?;
        }
        for path in [
            file.to_path_buf(),
            journal_file(file, "-wal"),
            journal_file(file, "-shm"),
        ] {
            match std::fs::metadata(&path) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    // Refused for another account's file: SQLite then says whether
                    // it can open it.
                    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
                }
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn journal_file(file: &std::path::Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite://PATH` (file and folder created), `sqlite::memory:`, or `postgres://…`.
    pub async fn open(url: &str) -> Result<Store> {
        let url = url.trim();
        let open_error = |source| StoreError::Open {
            url: redact(url),
            source,
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = postgres_options(url).map_err(open_error)?;
            if database_logins::names_no_user(url) {
                // Each operator's own login, given at sign-in: nothing to connect yet.
                return Ok(Store {
                    backend: Backend::Postgres(database_logins::PgLink::awaiting_sign_in(options)),
                    location: redact(url),
                    codec: Arc::new(PlainCodec),
                    clock: Clock::system(),
                    marks: Arc::default(),
                });
            }
            let pool = database_logins::pool_options()
                .connect_with(options.clone())
                .await
                .map_err(|source| match source {
                    sqlx::Error::Tls(detail) => StoreError::TlsRefused {
                        url: redact(url),
                        detail: detail.to_string(),
                    },
                    source => open_error(source),
                })?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            return Ok(Store {
                backend: Backend::Postgres(database_logins::PgLink::connected(options, pool)),
                location: redact(url),
                codec: Arc::new(PlainCodec),
                clock: Clock::system(),
                marks: Arc::default(),
            });
        }
        let Some(path) = sqlite_path(url) else {
            return Err(StoreError::UnsupportedUrl { url: redact(url) });
        };
        let memory = path == ":memory:" || path.is_empty();
        let mut options = SqliteConnectOptions::new()
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15))
            .synchronous(SqliteSynchronous::Normal)
            .pragma(
                "cache_size",
                format!("-{}", crate::dialect::SQLITE_CACHE_KIB),
            )
            // The temporary b-trees of a query (the ids a search word matches, a sort,
            // a GROUP BY) in memory rather than in a temporary file, which SQLite as
            // sqlx builds it (memory management on) writes out page by page. At
            // 1 000 000 requests, the counts of "ma j": 0.53 → 0.32 s, its first page
            // by name 0.55 → 0.39 s. The memory grows with the matches while such a
            // query runs: ~20 MB for the 471 000 terms of "m".
            .pragma("temp_store", "memory");
        if memory {
            options = options.in_memory(true);
        } else {
            let file = PathBuf::from(&path);
            if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            }
            owner_only(&file).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            options = options
                .filename(&file)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal);
        }
        let pool = SqlitePoolOptions::new()
            // One connection for an in-memory database: each connection would be its own database.
            .max_connections(if memory { 1 } else { 8 })
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            backend: Backend::Sqlite(pool),
            location: url.to_owned(),
            codec: Arc::new(PlainCodec),
            clock: Clock::system(),
            marks: Arc::default(),
        })
    }

    /// Uses `codec` for attachment bytes from now on (e.g. the vault's encryption).
    pub fn with_codec(mut self, codec: Arc<dyn BlobCodec>) -> Store {
        self.codec = codec;
        self
    }

    /// Takes "now" and "today" from `clock` from now on (the desk's, or a test's pinned one).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// Where this store's "now" and "today" come from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Where the database is, without any password.
    pub fn location(&self) -> &str {
        &self.location
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(link) => {
                if let Ok(pool) = link.pool() {
                    pool.close().await
                }
            }
        }
    }

    pub async fn info(&self) -> Result<DbInfo> {
        let [schema_version, requests, holders, badges, attachments, audit_entries] =
            dispatch!(self, info())?;
        Ok(DbInfo {
            backend: self.backend_name().to_owned(),
            location: self.location.clone(),
            schema_version,
            requests,
            holders,
            badges,
            attachments,
            audit_entries,
        })
    }

    // --- settings -----------------------------------------------------------------

    /// The eligibility rules and badge number format every desk shares.
    pub async fn policy(&self) -> Result<Policy> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite::ops::load_policy(&mut *pool.acquire().await?).await,
            Backend::Postgres(link) => {
                postgres::ops::load_policy(&mut *link.pool()?.acquire().await?).await
            }
        }
    }

    pub async fn set_policy(&self, policy: &Policy, operator: &str) -> Result<()> {
        dispatch!(self, save_policy(&self.clock, policy, operator))
    }

    /// An office setting other crates keep (e.g. the photo checks' thresholds), as the
    /// JSON saved under `key`; `None` until someone saves one.
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>> {
        dispatch!(self, settings::get(key))
    }

    /// A setting kept as JSON, read as `T`: its default before anyone saved one, and
    /// `store.corrupt` naming `what` when the stored value no longer reads as a `T`.
    pub async fn typed_setting<T: serde::de::DeserializeOwned + Default>(
        &self,
        key: &str,
        what: &str,
    ) -> Result<T> {
        match self.setting(key).await? {
            None => Ok(T::default()),
            Some(value) => serde_json::from_value(value)
                .map_err(|e| StoreError::Corrupt(format!("the stored {what} cannot be read: {e}"))),
        }
    }

    /// The office's template set in use: its newest version, `None` before any.
    pub async fn latest_templates(&self) -> Result<Option<TemplateVersion>> {
        dispatch!(self, templates::latest())
    }

    pub async fn template_version(&self, version: i64) -> Result<Option<TemplateVersion>> {
        dispatch!(self, templates::get(version))
    }

    /// The template set's versions, newest first.
    pub async fn template_versions(&self) -> Result<Vec<TemplateVersionSummary>> {
        dispatch!(self, templates::list())
    }

    /// Saves the office's whole template set as its newest version (audited with
    /// `details`); returns the version.
    pub async fn save_templates(
        &self,
        files: &std::collections::BTreeMap<String, String>,
        builtin: bool,
        note: &str,
        details: serde_json::Value,
        operator: &str,
    ) -> Result<i64> {
        dispatch!(
            self,
            templates::save(&self.clock, files, builtin, note, details, operator)
        )
    }

    /// Adds a picture the templates may name (refused under a name already used by a
    /// different picture).
    pub async fn save_template_image(
        &self,
        name: &str,
        bytes: &[u8],
        operator: &str,
    ) -> Result<()> {
        dispatch!(
            self,
            templates::save_image(&self.clock, name, bytes, operator)
        )
    }

    /// The template pictures named, by name.
    pub async fn template_images(
        &self,
        names: &[String],
    ) -> Result<std::collections::BTreeMap<String, Vec<u8>>> {
        dispatch!(self, templates::images(names))
    }

    pub async fn template_image_list(&self) -> Result<Vec<TemplateImageInfo>> {
        dispatch!(self, templates::image_list())
    }

    /// Saves an office setting under `key` (audited with the value before and after).
    pub async fn save_setting(
        &self,
        key: &str,
        value: &serde_json::Value,
        operator: &str,
    ) -> Result<()> {
        dispatch!(self, settings::save(&self.clock, key, value, operator))
    }
}

#[cfg(test)]
mod tls_tests {
    use super::default_ssl_mode;
    use sqlx::postgres::PgSslMode;

    #[test]
    fn remote_servers_are_verified_by_default() {
        for remote in [
            "postgres://desk@db.office.example/sesame",
            "postgres://desk:pw@10.0.0.5:5432/sesame",
            "postgresql://desk@[2001:db8::1]/sesame?application_name=x",
        ] {
            assert!(
                matches!(default_ssl_mode(remote), Some(PgSslMode::VerifyFull)),
                "{remote}"
            );
        }
        for local in [
            "postgres://desk@localhost/sesame",
            "postgres://desk@127.0.0.1:5433/sesame",
            "postgres://desk@[::1]/sesame",
            "postgres://desk@db.office.example/sesame?sslmode=require",
            "postgres:///sesame?host=/run/postgresql",
        ] {
            assert!(default_ssl_mode(local).is_none(), "{local}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db").as_deref(),
            Some("/tmp/a.db")
        );
        assert_eq!(
            sqlite_path("sqlite://data/a.db?mode=rwc").as_deref(),
            Some("data/a.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:").as_deref(), Some(":memory:"));
        assert_eq!(sqlite_path("mysql://x"), None);
    }
}
