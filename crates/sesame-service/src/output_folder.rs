//! The desk's output folder: where printed PDFs, dispatch lists, CSV exports, key
//! files and holders' archives are written.
//!
//! The folder is the one the desk was opened with (`DeskOptions::output_folder`),
//! else `SESAME_PRINT_DIR`, else the one a supervisor chose (first start or Settings ›
//! Office, kept in `desk.json`), else `Documents/Sésame`, else `prints/` in the data
//! directory. Every file is new, under a name the desk chooses (the UI names the
//! folder, never a file), readable by its owner only (they hold personal data),
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    let dir = output_dir_path(desk);
    std::fs::create_dir_all(&dir).map_err(|source| ServiceError::PrintDir {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// The output folder as the settings show it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutputFolderChoice {
    /// The folder files go to now.
    pub path: String,
    /// Set for this computer by its administrator (`SESAME_PRINT_DIR`, or the
    /// program that opened the desk): the settings cannot change it.
    pub fixed: bool,
}

pub(crate) fn output_folder_choice(desk: &Desk) -> OutputFolderChoice {
    let (path, fixed) = output_dir_path_fixed(desk);
    OutputFolderChoice {
        path: path.display().to_string(),
        fixed,
    }
}

/// Where the output folder is, whether or not it exists yet.
pub(crate) fn output_dir_path(desk: &Desk) -> PathBuf {
    output_dir_path_fixed(desk).0
}

/// The folder, and whether it is fixed outside the settings: the desk's own when it
/// was opened with one, else `SESAME_PRINT_DIR`, else the one saved in `desk.json`,
/// else the OS default.
fn output_dir_path_fixed(desk: &Desk) -> (PathBuf, bool) {
    if let Some(folder) = &desk.output_folder {
        return (folder.clone(), true);
    }
    if let Some(dir) = std::env::var_os(PRINT_DIR_ENV).filter(|v| !v.is_empty()) {
        return (PathBuf::from(dir), true);
    }
    // An unreadable desk.json is reported where it matters (the database choice);
    // here it falls back to the default folder.
    let chosen = crate::desk_config::read_config(&desk.data_dir)
        .ok()
        .and_then(|c| c.output_folder);
    let folder = chosen.unwrap_or_else(|| {
        directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.join("Sésame")))
            .unwrap_or_else(|| desk.data_dir.join("prints"))
    });
    (folder, false)
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
pub(crate) fn confined_name_part(part: &str, fallback: &str) -> String {
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

    /// Lets the file take the place of one already at its name when `replace`.
    pub(crate) fn replacing(mut self, replace: bool) -> NewFile {
        self.replace = replace;
        self
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

/// The folder of the output folder that holds the access-control export profiles'
/// folders.
pub const ACCESS_EXPORT_FOLDER: &str = "controle-acces";

// --- retention of the written files ---------------------------------------------

/// The extensions of the files the desk writes that hold personal data: printed
/// badges and lists (PDF), exports (CSV, JSON), holders' archives (zip). Key files
/// hold no personal data and are the office's to keep: never purged.
const PERSONAL_OUTPUT_EXTENSIONS: &[&str] = &["pdf", "csv", "json", "zip"];

/// How old an unfinished `.part` file must be to be an orphan: no run writes for an
/// hour, so one that old was left by a run that was killed.
const ORPHAN_PART_MINUTES: i64 = 60;

/// What the output retention does to the folder's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputPurgeMode {
    /// Counts what would go.
    Plan,
    /// Deletes it.
    Delete,
}

/// The files of the desk's output folder past `keep_days` at `now` (by their
/// modification time), and the orphan `.part` files; deleted in [`OutputPurgeMode::Delete`].
/// Only regular files directly in the folder whose names the desk gives
/// (`stem-<date-time>[-n].ext`, `.sesame-….part`) are considered: subfolders, other
/// files and symbolic links (never followed) are left alone. A folder that does not
/// exist has nothing to purge.
///
/// The access-control exports' folders (`controle-acces/<profile>/`, which only the
/// desk writes) are purged the same way, their photos (`<badge number>.jpg`) too: the
/// access-control system has imported them long before.
pub(crate) fn purge_output_files(
    desk: &Desk,
    now: chrono::DateTime<chrono::Utc>,
    keep_days: u32,
    mode: OutputPurgeMode,
) -> sesame_store::OutputFilesPurge {
    let dir = output_dir_path(desk);
    let mut purge = purge_output_folder(&dir, now, keep_days, mode, OutputFolderKind::Outputs);
    for folder in real_subfolders(&dir.join(ACCESS_EXPORT_FOLDER)) {
        let export = purge_output_folder(
            &folder,
            now,
            keep_days,
            mode,
            OutputFolderKind::AccessExport,
        );
        purge.files += export.files;
        purge.bytes += export.bytes;
        purge.part_files += export.part_files;
        purge.part_bytes += export.part_bytes;
        purge.not_deleted.extend(export.not_deleted);
    }
    purge
}

/// Which files of a folder the desk wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFolderKind {
    /// The output folder: files under the names [`unique_path`] gives.
    Outputs,
    /// A profile's folder of access-control exports: those, and the badges' photos.
    AccessExport,
}

/// The folders directly in `dir` (symbolic links are not followed).
fn real_subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

pub(crate) fn purge_output_folder(
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
    keep_days: u32,
    mode: OutputPurgeMode,
    kind: OutputFolderKind,
) -> sesame_store::OutputFilesPurge {
    let mut purge = sesame_store::OutputFilesPurge::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return purge;
    };
    purge.folder = dir.display().to_string();
    let output_cutoff = now - chrono::Duration::days(i64::from(keep_days));
    let part_cutoff = now - chrono::Duration::minutes(ORPHAN_PART_MINUTES);
    for entry in entries.flatten() {
        // The entry's own type: a symbolic link is a link, whatever it points to.
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if !file_type.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_part = is_orphan_part_name(&name);
        let is_photo = kind == OutputFolderKind::AccessExport && name.ends_with(".jpg");
        if !is_part && !is_photo && !is_desk_output_name(&name) {
            continue;
        }
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let Ok(modified) = metadata.modified() else {
            continue;
        };
        let modified = chrono::DateTime::<chrono::Utc>::from(modified);
        let cutoff = if is_part { part_cutoff } else { output_cutoff };
        if modified >= cutoff {
            continue;
        }
        if mode == OutputPurgeMode::Delete {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                purge.not_deleted.push(format!("{name}: {e}"));
                continue;
            }
        }
        if is_part {
            purge.part_files += 1;
            purge.part_bytes += metadata.len();
        } else {
            purge.files += 1;
            purge.bytes += metadata.len();
        }
    }
    purge
}

/// `.sesame-<name>-<random>.part`: a file [`NewFile`] was writing.
fn is_orphan_part_name(name: &str) -> bool {
    name.starts_with(".sesame-") && name.ends_with(".part")
}

/// `stem-YYYY-MM-DD-HHMMSS.ext` or `stem-YYYY-MM-DD-HHMMSS-n.ext` with a personal-data
/// extension: a name [`unique_path`] gives.
fn is_desk_output_name(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !PERSONAL_OUTPUT_EXTENSIONS.contains(&ext) {
        return false;
    }
    let without_counter = stem
        .rsplit_once('-')
        .filter(|(_, n)| !n.is_empty() && n.len() < 6 && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|(rest, _)| rest);
    ends_with_stamp(stem) || without_counter.is_some_and(ends_with_stamp)
}

/// `<something>-YYYY-MM-DD-HHMMSS`.
fn ends_with_stamp(stem: &str) -> bool {
    const SHAPE: &[u8] = b"-dddd-dd-dd-dddddd";
    let bytes = stem.as_bytes();
    bytes.len() > SHAPE.len()
        && bytes[bytes.len() - SHAPE.len()..]
            .iter()
            .zip(SHAPE)
            .all(|(b, shape)| match shape {
                b'd' => b.is_ascii_digit(),
                other => b == other,
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

    #[test]
    fn only_the_names_the_desk_gives_are_purged() {
        for ours in [
            "badges-a4-2030-01-02-120000.pdf",
            "file-des-demandes-2030-01-02-120000-2.csv",
            "droits-zones-2030-01-02-120000.json",
            "holder-1a2b3c4d-2030-01-02-120000.zip",
        ] {
            assert!(is_desk_output_name(ours), "{ours}");
        }
        for theirs in [
            "cle-sesame-2030-01-02-120000.sesamekey",
            "notes.pdf",
            "2030-01-02-120000.pdf",
            "rapport-2030-01-02.pdf",
            "badges-2030-01-02-120000.pdf.bak",
            ".sesame-x.pdf",
        ] {
            assert!(!is_desk_output_name(theirs), "{theirs}");
        }
        assert!(is_orphan_part_name(
            ".sesame-badges-2030-01-02-120000.pdf-Ab12Cd.part"
        ));
        assert!(!is_orphan_part_name("badges.pdf.part"));
    }

    #[test]
    fn old_outputs_and_orphan_parts_go_the_rest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::Utc::now();
        let aged = |name: &str, age: chrono::Duration, bytes: usize| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![b'x'; bytes]).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified((now - age).into()).unwrap();
            path
        };
        let old_pdf = aged(
            "badges-2030-01-02-120000.pdf",
            chrono::Duration::days(31),
            10,
        );
        let recent_csv = aged(
            "export-2030-01-02-120000.csv",
            chrono::Duration::days(29),
            5,
        );
        let old_part = aged(
            ".sesame-x.pdf-abc123.part",
            chrono::Duration::minutes(61),
            7,
        );
        let fresh_part = aged(
            ".sesame-y.pdf-def456.part",
            chrono::Duration::minutes(10),
            3,
        );
        let foreign = aged("mine.pdf", chrono::Duration::days(400), 1);
        let plan = purge_output_folder(
            dir.path(),
            now,
            30,
            OutputPurgeMode::Plan,
            OutputFolderKind::Outputs,
        );
        assert_eq!(
            (plan.files, plan.bytes, plan.part_files, plan.part_bytes),
            (1, 10, 1, 7)
        );
        assert!(
            old_pdf.exists() && old_part.exists(),
            "a plan deletes nothing"
        );
        let done = purge_output_folder(
            dir.path(),
            now,
            30,
            OutputPurgeMode::Delete,
            OutputFolderKind::Outputs,
        );
        assert_eq!(done, plan);
        assert!(!old_pdf.exists() && !old_part.exists());
        assert!(recent_csv.exists() && fresh_part.exists() && foreign.exists());
        let missing = purge_output_folder(
            &dir.path().join("none"),
            now,
            30,
            OutputPurgeMode::Delete,
            OutputFolderKind::Outputs,
        );
        assert!(missing.is_empty() && missing.folder.is_empty());
    }
}
