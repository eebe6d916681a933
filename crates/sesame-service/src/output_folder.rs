//! The desk's output folder: where printed PDFs, dispatch lists, CSV exports, key
//! files and holders' archives are written.
//!
//! The folder is `SESAME_PRINT_DIR`, else `Documents/Sésame`, else `prints/` in the
//! data directory. Every file is new, under a name the desk chooses (the UI never
//! hands the backend a path), readable by its owner only (they hold personal data),
//! and appears whole: it is written beside its final name as a hidden `.part` file,
//! synced, then moved into place without replacing anything written meanwhile.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// Environment variable that replaces the output folder.
pub const PRINT_DIR_ENV: &str = "SESAME_PRINT_DIR";

/// A file the backend wrote for the operator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Where a file the desk writes goes: its output folder, under a name the desk
/// chooses (the only choice a webview has: the field is never deserialised), or the
/// path the command line was given (a file already there is replaced, as `cp` does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Destination {
    #[default]
    OutputFolder,
    Path(PathBuf),
}

/// The output folder (created if missing).
pub fn output_dir(desk: &Desk) -> Result<PathBuf, ServiceError> {
    let dir = match std::env::var_os(PRINT_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.join("Sésame")))
            .unwrap_or_else(|| desk.data_dir.join("prints")),
    };
    std::fs::create_dir_all(&dir).map_err(|source| ServiceError::PrintDir {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// `dir/stem-<date-time>.ext`, with `-2`, `-3`… when that name is taken, so two
/// runs in the same second never overwrite each other. Whatever `stem` and `ext`
/// hold, the file stays directly in `dir`: anything but letters, digits, `-` and `_`
/// becomes `-` (no separators, no `..`, no drive letters).
pub fn unique_path(dir: &Path, stem: &str, ext: &str, at: chrono::NaiveDateTime) -> PathBuf {
    let stem = confined_name_part(stem, "file");
    let ext = confined_name_part(ext, "out");
    let stamp = at.format("%Y-%m-%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{stamp}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// `part` reduced to letters, digits, `-` and `_` (at most 80 characters), or
/// `fallback` when nothing is left: one path component that cannot climb or jump.
fn confined_name_part(part: &str, fallback: &str) -> String {
    let cleaned: String = part
        .chars()
        .take(80)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('-');
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// A new file of the output folder being written: a hidden, owner-only `.part` file
/// beside the name it will get.
pub(crate) struct NewFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// The command line named the file: replace one already there.
    replace: bool,
}

/// A file written whole that could not be moved to its name: it stays as `temp`.
pub(crate) struct NotMoved {
    pub(crate) target: String,
    pub(crate) temp: String,
    pub(crate) source: std::io::Error,
}

impl NewFile {
    /// Starts the file `destination` names: `stem-<date-time>.ext` in the desk's
    /// output folder, or the given path.
    pub(crate) fn create(
        desk: &Desk,
        destination: &Destination,
        stem: &str,
        ext: &str,
    ) -> Result<NewFile, ServiceError> {
        let target = match destination {
            Destination::OutputFolder => {
                unique_path(&output_dir(desk)?, stem, ext, desk.clock.local_now())
            }
            Destination::Path(path) => path.clone(),
        };
        let replace = matches!(destination, Destination::Path(_));
        let mut file =
            NewFile::create_at(target).map_err(|(target, source)| ServiceError::ExportWrite {
                path: target.display().to_string(),
                source,
            })?;
        file.replace = replace;
        Ok(file)
    }

    /// Starts the file that will be `target`; on failure, the target and the reason.
    pub(crate) fn create_at(target: PathBuf) -> Result<NewFile, (PathBuf, std::io::Error)> {
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // tempfile creates the file readable and writable by its owner only.
        match tempfile::Builder::new()
            .prefix(&format!(".sesame-{name}-"))
            .suffix(".part")
            .tempfile_in(&dir)
        {
            Ok(temp) => Ok(NewFile {
                temp,
                target,
                replace: false,
            }),
            Err(source) => Err((target, source)),
        }
    }

    /// Where the file will be once persisted.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` and syncs them to disk.
    pub(crate) fn write_synced(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.temp.write_all(bytes)?;
        self.temp.as_file().sync_all()
    }

    /// The open `.part` file, for writers that stream (zip archives).
    pub(crate) fn file_mut(&mut self) -> &mut std::fs::File {
        self.temp.as_file_mut()
    }

    /// Moves the file to its name; in the output folder, never replacing a file that
    /// appeared there meanwhile. On failure the `.part` file is kept and named in the error.
    pub(crate) fn persist(self) -> Result<PathBuf, NotMoved> {
        let target = self.target;
        let persisted = if self.replace {
            self.temp.persist(&target)
        } else {
            self.temp.persist_noclobber(&target)
        };
        match persisted {
            Ok(_) => Ok(target),
            Err(e) => {
                let kept = e.file.into_temp_path().keep().ok();
                Err(NotMoved {
                    target: target.display().to_string(),
                    temp: kept.map(|p| p.display().to_string()).unwrap_or_default(),
                    source: e.error,
                })
            }
        }
    }
}

/// Writes `bytes` as the new file `destination` names (see [`NewFile::create`]).
pub(crate) fn write_new_file(
    desk: &Desk,
    destination: &Destination,
    stem: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<ExportedFile, ServiceError> {
    let mut file = NewFile::create(desk, destination, stem, ext)?;
    let unwritable = |path: &Path, source| ServiceError::ExportWrite {
        path: path.display().to_string(),
        source,
    };
    file.write_synced(bytes)
        .map_err(|e| unwritable(file.target(), e))?;
    let path = file.persist().map_err(|e| ServiceError::ExportWrite {
        path: e.target,
        source: e.source,
    })?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noon() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2030, 1, 2)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn names_stay_in_the_folder_and_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let first = unique_path(dir.path(), "../../etc/passwd", "pdf", noon());
        assert_eq!(first.parent().unwrap(), dir.path());
        assert_eq!(
            first.file_name().unwrap().to_string_lossy(),
            "etc-passwd-2030-01-02-120000.pdf"
        );
        std::fs::write(&first, b"x").unwrap();
        let second = unique_path(dir.path(), "../../etc/passwd", "pdf", noon());
        assert_ne!(first, second);
        assert_eq!(
            unique_path(dir.path(), "///", "", noon()).parent().unwrap(),
            dir.path()
        );
    }

    #[test]
    fn a_new_file_appears_whole_owner_only_and_never_replaces_another() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("list.pdf");
        let mut file = NewFile::create_at(target.clone()).ok().unwrap();
        file.write_synced(b"%PDF").unwrap();
        assert!(
            !target.exists(),
            "nothing under the name before it is whole"
        );
        assert_eq!(file.persist().ok().unwrap(), target);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let mut again = NewFile::create_at(target.clone()).ok().unwrap();
        again.write_synced(b"other").unwrap();
        let kept = again.persist().err().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF");
        assert!(std::path::Path::new(&kept.temp).exists());
    }
}
