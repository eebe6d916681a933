//! Where Sésame keeps its files on this machine.
//!
//! The embedded default database lives in the OS data directory
//! (`~/.local/share/sesame` on Linux, `~/Library/Application Support/fr.sesame.sesame`
//! on macOS, `%APPDATA%\sesame\sesame\data` on Windows). `SESAME_DATA_DIR` overrides
//! it, which is how tests and development keep a separate database.

use std::path::PathBuf;

/// Environment variable that replaces the OS data directory.
pub const DATA_DIR_ENV: &str = "SESAME_DATA_DIR";

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error("no home or data directory could be found for this user; set {DATA_DIR_ENV}")]
    NoDataDir,
}

sesame_core::error_codes! {
    PathsError {
        PathsError::NoDataDir => "paths.no_data_dir",
    }
}

/// The folder holding Sésame's own files (database, settings).
pub fn data_dir() -> Result<PathBuf, PathsError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("fr", "sesame", "sesame")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(PathsError::NoDataDir)
}

/// The database URL to open: `SESAME_DATABASE_URL` when set, else the choice saved
/// on the settings screen (see `database_settings`), else the embedded SQLite file
/// `sesame.sqlite3` in [`data_dir`].
pub fn database_url() -> Result<String, crate::ServiceError> {
    crate::database_settings::database_url_for(&data_dir()?)
}

/// The name the sign-in form starts with: the OS account. Only a suggestion: the
/// operator still proves who they are with their PIN.
pub fn suggested_operator_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_string())
        .find(|value| !value.is_empty())
        .unwrap_or_default()
}
