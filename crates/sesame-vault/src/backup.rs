//! Backups of the embedded SQLite database, and restores that refuse what this build
//! cannot open.
//!
//! - `backup` uses `VACUUM INTO`: one read transaction, so the copy is a consistent
//!   snapshot even while the app writes (WAL mode lets writers continue meanwhile).
//!   The copy is checked, synced and renamed into place: a failed backup leaves no file.
//! - `restore` checks the file (SQLite header, `PRAGMA integrity_check`, the store's
//!   migrations with their checksums, no schema newer than this build), refuses a
//!   database still open elsewhere, keeps the current one as `<name>.before-restore`
//!   and swaps the new one in with an atomic rename.
//!
//! Attachments stay encrypted in a backup: it is useless without the data key, so keep
//! a key file (`sesamectl key export`) apart from the backups.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Row};
use ts_rs::TS;

use crate::error::{Result, VaultError};
use crate::usage::KeyUsage;

/// The store's SQLite migrations, as compiled into this build.
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("../sesame-store/migrations/sqlite");

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The newest schema version this build knows (the last store migration).
pub fn known_schema_version() -> i64 {
    SQLITE_MIGRATIONS
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub source: String,
    pub file: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// What a backup file holds, read without changing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub file: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub known_schema_version: i64,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub attachments: i64,
    /// Fingerprints of the data keys its encrypted attachments need.
    pub encrypted_with: Vec<String>,
    #[ts(type = "number")]
    pub plain_attachments: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub target: String,
    /// Where the database that was replaced now is (`None` when there was none).
    pub previous_saved_as: Option<String>,
    pub restored: BackupInfo,
}

/// Writes a consistent copy of the SQLite database `source` (a `sqlite://` URL or a
/// path) to `out`, which must not exist yet.
pub async fn backup(source: &str, out: &Path) -> Result<BackupReport> {
    let started = Instant::now();
    let database = sqlite_file(source)?;
    if !database.is_file() {
        return Err(VaultError::DatabaseMissing { path: database });
    }
    if out.exists() {
        return Err(VaultError::OutputExists {
            path: out.to_path_buf(),
        });
    }
    let folder = parent_of(out);
    std::fs::create_dir_all(&folder).map_err(io("create the folder", &folder))?;
    let partial = sibling(out, "partial");
    let result = async {
        let mut connection = connect(&database, false).await?;
        sqlx::query("VACUUM INTO ?")
            .bind(path_text(&partial)?)
            .execute(&mut connection)
            .await
            .map_err(db(&database))?;
        connection.close().await.map_err(db(&database))?;
        let info = inspect_backup(&partial).await?;
        sync_file(&partial)?;
        if out.exists() {
            return Err(VaultError::OutputExists {
                path: out.to_path_buf(),
            });
        }
        std::fs::rename(&partial, out).map_err(io("move the backup to", out))?;
        sync_folder(&folder);
        Ok(info)
    }
    .await;
    let info = result.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    let bytes = std::fs::metadata(out).map_err(io("read", out))?.len();
    Ok(BackupReport {
        source: database.display().to_string(),
        file: out.display().to_string(),
        bytes,
        schema_version: info.schema_version,
        duration_ms: started.elapsed().as_millis() as u64,
    })
}

/// Checks a backup file and describes it. Refuses a file that is not SQLite
/// (`backup.not_sqlite`), damaged (`backup.corrupt`), not Sésame's (`backup.not_sesame`),
/// from a newer schema (`backup.schema_too_new`) or from a diverging build (`backup.schema_mismatch`).
pub async fn inspect_backup(file: &Path) -> Result<BackupInfo> {
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut handle = File::open(file).map_err(io("open", file))?;
        let read = handle.read(&mut header).map_err(io("read", file))?;
        if read < header.len() || &header != SQLITE_MAGIC {
            return Err(VaultError::NotSqlite {
                path: file.to_path_buf(),
            });
        }
    }
    let corrupt = |source: sqlx::Error| VaultError::BackupCorrupt {
        path: file.to_path_buf(),
        detail: source.to_string(),
    };
    let mut connection = connect(file, true).await.map_err(|error| match error {
        VaultError::Database { source, .. } => corrupt(source),
        other => other,
    })?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut connection)
        .await
        .map_err(corrupt)?;
    if problems.iter().any(|line| line != "ok") {
        return Err(VaultError::BackupCorrupt {
            path: file.to_path_buf(),
            detail: problems.into_iter().take(5).collect::<Vec<_>>().join("; "),
        });
    }
    let applied = sqlx::query(
        "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version",
    )
    .fetch_all(&mut connection)
    .await
    .map_err(|error| VaultError::NotSesame {
        path: file.to_path_buf(),
        detail: format!("no migration table ({error})"),
    })?;
    let known = known_schema_version();
    let mut schema_version = 0;
    for row in &applied {
        let version: i64 = row.try_get("version").map_err(db(file))?;
        let checksum: Vec<u8> = row.try_get("checksum").map_err(db(file))?;
        if version > known {
            return Err(VaultError::SchemaTooNew {
                path: file.to_path_buf(),
                found: applied_max(&applied),
                known,
            });
        }
        match SQLITE_MIGRATIONS.iter().find(|m| m.version == version) {
            Some(migration) if *migration.checksum == *checksum => {}
            _ => {
                return Err(VaultError::SchemaMismatch {
                    path: file.to_path_buf(),
                    version,
                })
            }
        }
        schema_version = schema_version.max(version);
    }
    if schema_version == 0 {
        return Err(VaultError::NotSesame {
            path: file.to_path_buf(),
            detail: "no migration was applied".to_owned(),
        });
    }
    let requests: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests")
        .fetch_one(&mut connection)
        .await
        .map_err(db(file))?;
    let blobs = sqlx::query("SELECT codec, substr(data, 1, 64) AS head FROM attachment_blobs")
        .fetch_all(&mut connection)
        .await
        .map_err(db(file))?;
    let mut usage = KeyUsage::default();
    for row in &blobs {
        let codec: String = row.try_get("codec").map_err(db(file))?;
        let head: Vec<u8> = row.try_get("head").map_err(db(file))?;
        usage.count(&codec, &head);
    }
    connection.close().await.map_err(db(file))?;
    Ok(BackupInfo {
        file: file.display().to_string(),
        schema_version,
        known_schema_version: known,
        requests,
        attachments: blobs.len() as i64,
        encrypted_with: usage.encrypted.keys().cloned().collect(),
        plain_attachments: usage.plain,
    })
}

/// Replaces the SQLite database at `target` with `backup_file` after checking it (see
/// [`inspect_backup`]). The current database, if any, is kept as `<target>.before-restore`
/// (replacing an older one). Sésame must be closed: a database still open elsewhere is refused.
pub async fn restore(backup_file: &Path, target: &Path) -> Result<RestoreReport> {
    let restored = inspect_backup(backup_file).await?;
    let folder = parent_of(target);
    std::fs::create_dir_all(&folder).map_err(io("create the folder", &folder))?;
    if same_file(backup_file, target) {
        return Err(VaultError::OutputExists {
            path: target.to_path_buf(),
        });
    }

    let incoming = sibling(target, "restore-partial");
    std::fs::copy(backup_file, &incoming).map_err(io("copy the backup to", &incoming))?;
    let result = async {
        sync_file(&incoming)?;
        let previous_saved_as = if target.exists() {
            settle_current(target).await?;
            Some(keep_previous(target)?)
        } else {
            None
        };
        std::fs::rename(&incoming, target).map_err(io("move the restored database to", target))?;
        sync_folder(&folder);
        Ok(previous_saved_as)
    }
    .await;
    let previous_saved_as = result.inspect_err(|_| {
        let _ = std::fs::remove_file(&incoming);
    })?;
    Ok(RestoreReport {
        target: target.display().to_string(),
        previous_saved_as: previous_saved_as.map(|p| p.display().to_string()),
        restored,
    })
}

/// Folds the current database's write-ahead log into its main file and leaves it in
/// rollback-journal mode, so the main file alone is the whole database. Leaving WAL
/// mode needs every other connection closed: that is how a running app is detected.
async fn settle_current(target: &Path) -> Result<()> {
    let in_use = || VaultError::DatabaseInUse {
        path: target.to_path_buf(),
    };
    let options = SqliteConnectOptions::new()
        .filename(target)
        .busy_timeout(Duration::from_millis(500));
    let mut connection = options.connect().await.map_err(db(target))?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut connection)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(e) if matches!(e.code().as_deref(), Some("5") | Some("6")) => {
                in_use()
            }
            _ => VaultError::Database {
                path: target.to_path_buf(),
                source: error,
            },
        })?;
    connection.close().await.map_err(db(target))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use());
    }
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(target, suffix);
        match std::fs::metadata(&side) {
            Ok(meta) if meta.len() > 0 && suffix == "-wal" => return Err(in_use()),
            Ok(_) => std::fs::remove_file(&side).map_err(io("remove", &side))?,
            Err(_) => {}
        }
    }
    Ok(())
}

/// Keeps the current database as `<target>.before-restore`: a hard link (instant, and
/// the target never goes missing), or a copy where links are not supported.
fn keep_previous(target: &Path) -> Result<PathBuf> {
    let kept = with_suffix(target, ".before-restore");
    let staging = sibling(target, "before-restore-partial");
    let _ = std::fs::remove_file(&staging);
    if std::fs::hard_link(target, &staging).is_err() {
        std::fs::copy(target, &staging).map_err(io("copy the current database to", &staging))?;
        sync_file(&staging)?;
    }
    std::fs::rename(&staging, &kept).map_err(io("keep the current database as", &kept))?;
    Ok(kept)
}

/// The SQLite file of a `sqlite://` URL or a plain path.
fn sqlite_file(source: &str) -> Result<PathBuf> {
    let source = source.trim();
    let unsupported = || VaultError::BackupUnsupportedDatabase {
        url: redact(source),
    };
    if source.starts_with("postgres://") || source.starts_with("postgresql://") {
        return Err(unsupported());
    }
    let path = match source
        .strip_prefix("sqlite://")
        .or_else(|| source.strip_prefix("sqlite:"))
    {
        Some(rest) => rest.split('?').next().unwrap_or(rest),
        None => source,
    };
    if path.is_empty() || path == ":memory:" || path.contains("://") {
        return Err(unsupported());
    }
    Ok(PathBuf::from(path))
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

async fn connect(file: &Path, read_only: bool) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(db(file))?
        .filename(file)
        .read_only(read_only)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(15));
    options.connect().await.map_err(db(file))
}

fn path_text(path: &Path) -> Result<String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| VaultError::Io {
            action: "use",
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path is not valid Unicode",
            ),
        })
}

fn applied_max(rows: &[sqlx::sqlite::SqliteRow]) -> i64 {
    rows.iter()
        .filter_map(|row| row.try_get::<i64, _>("version").ok())
        .max()
        .unwrap_or(0)
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A hidden temporary name beside `path`, unique to this process.
fn sibling(path: &Path, purpose: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(path).join(format!(".{name}.{purpose}-{}", std::process::id()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_owned();
    text.push(suffix);
    PathBuf::from(text)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(io("sync", path))
}

/// Makes the rename durable (POSIX); Windows has no directory handles to sync.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> VaultError {
    let path = path.to_path_buf();
    move |source| VaultError::Io {
        action,
        path,
        source,
    }
}

fn db(path: &Path) -> impl Fn(sqlx::Error) -> VaultError {
    let path = path.to_path_buf();
    move |source| VaultError::Database {
        path: path.clone(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_sources() {
        assert_eq!(
            sqlite_file("sqlite:///tmp/a.db").unwrap(),
            PathBuf::from("/tmp/a.db")
        );
        assert_eq!(
            sqlite_file("sqlite://data/a.db?mode=rwc").unwrap(),
            PathBuf::from("data/a.db")
        );
        assert_eq!(
            sqlite_file("/var/x.sqlite3").unwrap(),
            PathBuf::from("/var/x.sqlite3")
        );
        let error = sqlite_file("postgres://u:secret@h/db").unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
        assert!(sqlite_file("sqlite::memory:").is_err());
    }

    #[test]
    fn knows_the_store_schema() {
        assert!(known_schema_version() >= 1);
    }
}
