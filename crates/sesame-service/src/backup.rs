//! Backups of the embedded SQLite database: a consistent copy taken while the desk
//! runs, and a restore, which replaces the database file and so runs with no desk
//! open on it. Attachments stay encrypted in both: the data key travels apart.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sesame_vault::{BackupReport, KeyVault, RestoreReport};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// Writes a consistent copy of this desk's SQLite database to `out`, which must not
/// exist yet (safe while desks work on it).
pub async fn backup_database(desk: &Desk, out: PathBuf) -> Result<BackupReport, ServiceError> {
    Ok(sesame_vault::backup(&desk.database_url, &out).await?)
}

/// What a restore did, and the data keys it needs that this machine's keyring lacks.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub report: RestoreReport,
    /// Fingerprints of keys some restored attachments need and `vault` does not hold.
    pub missing_keys: Vec<String>,
}

/// Replaces the SQLite database at `database_url` with the backup `file`, after
/// checking it; the current database is kept as `<name>.before-restore`. No desk may
/// be open on the database.
pub async fn restore_backup(
    database_url: &str,
    file: &Path,
    vault: &KeyVault,
) -> Result<RestoreOutcome, ServiceError> {
    let target = sqlite_file(database_url)?;
    let report = sesame_vault::restore(file, &target).await?;
    let ours = vault.status().fingerprint;
    let missing_keys = report
        .restored
        .encrypted_with
        .iter()
        .filter(|id| ours.as_deref() != Some(id.as_str()))
        .cloned()
        .collect();
    Ok(RestoreOutcome {
        report,
        missing_keys,
    })
}

/// The file of a `sqlite:` URL; any other database is not restored from a file.
fn sqlite_file(database_url: &str) -> Result<PathBuf, ServiceError> {
    let url = database_url.trim();
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest));
    match path {
        Some(path) if !path.is_empty() && path != ":memory:" => Ok(PathBuf::from(path)),
        _ => Err(sesame_vault::VaultError::BackupUnsupportedDatabase {
            // Never the password: only what follows the last '@'.
            url: url.split('@').next_back().unwrap_or(url).to_owned(),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sesame_core::ErrorCode;

    #[test]
    fn only_a_sqlite_file_can_be_restored() {
        assert_eq!(
            sqlite_file("sqlite:///var/lib/sesame/q.db?mode=rwc").unwrap(),
            PathBuf::from("/var/lib/sesame/q.db")
        );
        let refused = sqlite_file("postgres://me:secret@db/sesame").unwrap_err();
        assert_eq!(refused.code(), "backup.unsupported_database");
        assert!(!refused.to_string().contains("secret"));
        assert!(sqlite_file("sqlite::memory:").is_err());
    }
}
