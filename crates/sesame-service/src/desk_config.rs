//! `desk.json` in the data directory: what belongs to this computer's desk and not to
//! the queue every desk shares (which database it opens, where it writes its files).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::database_settings::DatabaseChoice;
use crate::ServiceError;

pub(crate) const CONFIG_FILE: &str = "desk.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeskConfigFile {
    #[serde(default)]
    pub database: Option<DatabaseChoice>,
    /// The output folder chosen at first start or in Settings › Office (absolute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_folder: Option<PathBuf>,
}

fn config_path(data_dir: &Path) -> PathBuf {
    data_dir.join(CONFIG_FILE)
}

pub(crate) fn read_config(data_dir: &Path) -> Result<DeskConfigFile, ServiceError> {
    let path = config_path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| ServiceError::DeskConfig {
            path: path.display().to_string(),
            detail: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DeskConfigFile::default()),
        Err(e) => Err(ServiceError::DeskConfig {
            path: path.display().to_string(),
            detail: e.to_string(),
        }),
    }
}

/// Writes the file through a temporary one renamed over it: a crash leaves the old or the new file.
pub(crate) fn write_config(data_dir: &Path, config: &DeskConfigFile) -> Result<(), ServiceError> {
    let path = config_path(data_dir);
    let failed = |detail: String| ServiceError::DeskConfig {
        path: path.display().to_string(),
        detail,
    };
    let text = serde_json::to_string_pretty(config).map_err(|e| failed(e.to_string()))?;
    let temp = path.with_extension("json.tmp");
    std::fs::write(&temp, text).map_err(|e| failed(e.to_string()))?;
    std::fs::rename(&temp, &path).map_err(|e| failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_config_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "{not json").unwrap();
        let error = read_config(dir.path()).unwrap_err();
        assert_eq!(
            sesame_core::ErrorCode::code(&error),
            "settings.config_unreadable"
        );
        assert!(error.to_string().contains("desk.json"));
    }

    #[test]
    fn a_file_written_before_the_output_folder_existed_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            r#"{"database":{"kind":"sqlite"}}"#,
        )
        .unwrap();
        let config = read_config(dir.path()).unwrap();
        assert!(config.output_folder.is_none());
        assert!(config.database.is_some());
    }
}
