//! Exports for the access-control system: the profiles an administrator defines once
//! (which badges, which columns, how the file is written, photos beside it, when it
//! runs) and their runs, from the settings, `sesamectl access-export` or housekeeping.
//!
//! A run writes into its profile's folder (`controle-acces/<profile>/` in the desk's
//! output folder, or the folder the command line names): a new CSV file each time,
//! and the photos as `<badge number>.jpg` beside it (a later run replaces a badge's
//! photo with its current one). The run is recorded only once its files are written,
//! so a run that failed leaves the next run of changes starting where the last
//! good one did: nothing is lost for the access-control system.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sesame_store::access_export::{self as format, check_profile, ExportLine};
use sesame_store::{AccessExportRun, BadgeRow, ExportProfile};
use ts_rs::TS;
use uuid::Uuid;

use crate::blocking::Blocking;
use crate::output_folder::{
    confined_name_part, output_dir, output_dir_path, unique_path, NewFile, ACCESS_EXPORT_FOLDER,
};
use crate::session::SensitiveAction;
use crate::{Desk, ExportedFile, ServiceError};

/// The JPEG quality of exported photos: what ID photos keep at a few tens of KB.
const PHOTO_QUALITY: u8 = 90;
/// How far before the last run's start a run of changes reaches back.
const CHANGES_OVERLAP_MINUTES: i64 = 5;

/// A profile and its newest run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessExportProfile {
    pub profile: ExportProfile,
    pub last_run: Option<AccessExportRun>,
    /// The folder its runs write to on this desk.
    pub folder: String,
}

/// The settings' view: the office's profiles, and the formats a new one starts from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessExportSettings {
    pub profiles: Vec<AccessExportProfile>,
    pub formats: Vec<ExportProfile>,
}

/// The office's profiles with their last runs, and the shipped formats.
pub async fn access_export_settings(desk: &Desk) -> Result<AccessExportSettings, ServiceError> {
    let mut profiles = Vec::new();
    for profile in desk.store.access_export_profiles().await? {
        let last_run = desk.store.last_access_export_run(&profile.id).await?;
        let folder = profile_folder_path(desk, &profile.id).display().to_string();
        profiles.push(AccessExportProfile {
            profile,
            last_run,
            folder,
        });
    }
    Ok(AccessExportSettings {
        profiles,
        formats: format::formats(),
    })
}

/// A profile to save, and the id it had (to rename it); `None` for a new one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveAccessExportInput {
    pub profile: ExportProfile,
    pub replaces: Option<String>,
}

/// Saves a profile (a supervisor's: it is an office setting), checked first.
pub async fn save_access_export_profile(
    desk: &Desk,
    input: SaveAccessExportInput,
) -> Result<AccessExportSettings, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "access_export")?;
    let mut profile = input.profile;
    profile.name = profile.name.trim().to_owned();
    check_profile(&profile).map_err(|problem| ServiceError::ExportProfile { problem })?;
    let mut profiles = desk.store.access_export_profiles().await?;
    let replaced = input.replaces.as_deref();
    let taken = profiles
        .iter()
        .any(|p| p.id == profile.id && Some(p.id.as_str()) != replaced);
    if taken {
        return Err(ServiceError::ExportProfileIdTaken { id: profile.id });
    }
    match replaced.and_then(|id| profiles.iter().position(|p| p.id == id)) {
        Some(index) => profiles[index] = profile,
        None if replaced.is_some() => {
            return Err(ServiceError::ExportProfileUnknown {
                id: replaced.unwrap_or_default().to_owned(),
            })
        }
        None => profiles.push(profile),
    }
    desk.store
        .save_access_export_profiles(&profiles, &desk.actor()?)
        .await?;
    access_export_settings(desk).await
}

/// A profile, by id.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessExportProfileId {
    pub id: String,
}

/// Removes a profile (its runs stay recorded, its files where they are).
pub async fn delete_access_export_profile(
    desk: &Desk,
    input: AccessExportProfileId,
) -> Result<AccessExportSettings, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "access_export")?;
    let mut profiles = desk.store.access_export_profiles().await?;
    let before = profiles.len();
    profiles.retain(|p| p.id != input.id);
    if profiles.len() == before {
        return Err(ServiceError::ExportProfileUnknown { id: input.id });
    }
    desk.store
        .save_access_export_profiles(&profiles, &desk.actor()?)
        .await?;
    access_export_settings(desk).await
}

/// A profile's runs, newest first.
pub async fn access_export_runs(
    desk: &Desk,
    input: AccessExportProfileId,
) -> Result<Vec<AccessExportRun>, ServiceError> {
    Ok(desk.store.access_export_runs(&input.id).await?)
}

/// Which profile to run, and how.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AccessExportInput {
    pub profile_id: String,
    /// Every selected badge, even for a profile of changes only.
    pub everything: bool,
    /// Where the files go instead of the profile's folder (the command line's).
    #[serde(skip)]
    #[ts(skip)]
    pub folder: Option<PathBuf>,
}

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessExportOutcome {
    pub profile_id: String,
    pub file: ExportedFile,
    pub folder: String,
    pub badges: u32,
    pub photos: u32,
    /// Badges whose photo was asked for but that have none (or one that cannot be read).
    pub without_photo: Vec<String>,
    /// Lines with a letter written without its accent (the file's encoding lacks it).
    pub folded_lines: u32,
    /// Only badges changed after this were written; `None`: every selected badge.
    pub since: Option<DateTime<Utc>>,
}

/// Runs a profile now: reads its badges, writes the photos and the file, records the run.
pub async fn run_access_export(
    desk: &Desk,
    input: AccessExportInput,
) -> Result<AccessExportOutcome, ServiceError> {
    run(desk, input, false).await
}

async fn run(
    desk: &Desk,
    input: AccessExportInput,
    scheduled: bool,
) -> Result<AccessExportOutcome, ServiceError> {
    let operator = desk.actor()?;
    let profile = desk
        .store
        .access_export_profiles()
        .await?
        .into_iter()
        .find(|p| p.id == input.profile_id)
        .ok_or_else(|| ServiceError::ExportProfileUnknown {
            id: input.profile_id.clone(),
        })?;
    check_profile(&profile).map_err(|problem| ServiceError::ExportProfile { problem })?;
    // Read before the badges, at the precision both databases keep: a change made
    // while this run reads is after it, so the next run of changes has it.
    let started_at = desk.clock.now().trunc_subsecs(6);
    // A change is stamped when its transaction starts and seen when it commits, and
    // desks sharing PostgreSQL keep their own clocks: the next run reaches back a
    // little before this one started. A badge written twice is harmless to the
    // access-control system; a change never written is not.
    let since = match (profile.selection.changes_only, input.everything) {
        (true, false) => desk
            .store
            .last_access_export_run(&profile.id)
            .await?
            .map(|r| r.started_at - Duration::minutes(CHANGES_OVERLAP_MINUTES)),
        _ => None,
    };
    let rows = desk
        .store
        .access_export_badges(&profile.selection, since)
        .await?;
    let folder = match &input.folder {
        Some(folder) => folder.clone(),
        None => profile_folder(desk, &profile.id)?,
    };
    std::fs::create_dir_all(&folder).map_err(|source| ServiceError::ExportWrite {
        path: folder.display().to_string(),
        source,
    })?;
    let (photo_files, without_photo) = write_photos(desk, &profile, &rows, &folder).await?;
    let lines: Vec<ExportLine<'_>> = rows
        .iter()
        .zip(&photo_files)
        .map(|(row, photo)| ExportLine {
            row,
            photo_file: photo.as_ref().map(|p| file_name(p)),
            photo_path: photo.as_ref().map(|p| p.display().to_string()),
        })
        .collect();
    let rendered = format::render(&profile, &lines)?;
    let target = unique_path(&folder, &profile.id, "csv", desk.clock.local_now());
    let file = write_whole(&target, &rendered.bytes, false)?;
    let outcome = AccessExportOutcome {
        profile_id: profile.id.clone(),
        folder: folder.display().to_string(),
        badges: count(rows.len()),
        photos: count(photo_files.iter().flatten().count()),
        without_photo,
        folded_lines: rendered.folded_lines,
        since,
        file,
    };
    desk.store
        .record_access_export_run(&AccessExportRun {
            id: Uuid::now_v7(),
            profile_id: profile.id,
            started_at,
            since,
            badges: outcome.badges,
            photos: outcome.photos,
            file: outcome.file.path.clone(),
            operator,
            scheduled,
        })
        .await?;
    Ok(outcome)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where a profile's runs write on this desk, the output folder made first.
fn profile_folder(desk: &Desk, id: &str) -> Result<PathBuf, ServiceError> {
    output_dir(desk)?;
    Ok(profile_folder_path(desk, id))
}

/// Where a profile's runs write on this desk (to show it: nothing is created).
fn profile_folder_path(desk: &Desk, id: &str) -> PathBuf {
    output_dir_path(desk)
        .join(ACCESS_EXPORT_FOLDER)
        .join(confined_name_part(id, "profil"))
}

/// Writes each badge's photo at the profile's size (when it asks for photos): the
/// path written for each row, and the numbers of the badges without one.
async fn write_photos(
    desk: &Desk,
    profile: &ExportProfile,
    rows: &[BadgeRow],
    folder: &Path,
) -> Result<(Vec<Option<PathBuf>>, Vec<String>), ServiceError> {
    let Some(size) = profile.photos else {
        return Ok((vec![None; rows.len()], Vec::new()));
    };
    let mut written = Vec::with_capacity(rows.len());
    let mut without = Vec::new();
    for row in rows {
        let photo = desk.store.request_photo(row.badge.request_id).await?;
        let scaled = match photo {
            Some(photo) => {
                Blocking::Photo
                    .run(move || Ok(scale_photo(&photo.bytes, size.width, size.height)))
                    .await?
            }
            None => None,
        };
        match scaled {
            Some(jpeg) => {
                let name = format!("{}.jpg", confined_name_part(&row.badge.number, "badge"));
                let target = folder.join(name);
                write_whole(&target, &jpeg, true)?;
                written.push(Some(target));
            }
            None => {
                without.push(row.badge.number.clone());
                written.push(None);
            }
        }
    }
    Ok((written, without))
}

/// The photo scaled to fill `width` × `height` (centred, the overflow cut) as JPEG;
/// `None` when it cannot be read.
fn scale_photo(bytes: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let image = image::load_from_memory(bytes).ok()?;
    let scaled = image
        .resize_to_fill(width, height, image::imageops::FilterType::Lanczos3)
        .to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, PHOTO_QUALITY)
        .encode_image(&scaled)
        .ok()?;
    Some(out)
}

/// Writes a file whole (synced, then moved to its name); `replace` lets it take the
/// place of one already there.
fn write_whole(target: &Path, bytes: &[u8], replace: bool) -> Result<ExportedFile, ServiceError> {
    let unwritable = |path: String, source| ServiceError::ExportWrite { path, source };
    let mut file = NewFile::create_at(target.to_path_buf())
        .map_err(|(path, e)| unwritable(path.display().to_string(), e))?
        .replacing(replace);
    file.write_synced(bytes)
        .map_err(|e| unwritable(target.display().to_string(), e))?;
    let path = file.persist().map_err(|e| unwritable(e.target, e.source))?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}

/// Profiles due by their schedule: never run, or last run `every_days` or more days
/// ago (by the office's calendar).
async fn due_profiles(desk: &Desk) -> Result<Vec<ExportProfile>, ServiceError> {
    let today = desk.clock.today();
    let offset = desk.clock.local_now() - desk.clock.now().naive_utc();
    let mut due = Vec::new();
    for profile in desk.store.access_export_profiles().await? {
        let Some(days) = profile.every_days else {
            continue;
        };
        let last = desk.store.last_access_export_run(&profile.id).await?;
        let is_due = match last {
            None => true,
            Some(run) => {
                let last_day = (run.started_at.naive_utc() + offset).date();
                today >= last_day + Duration::days(i64::from(days))
            }
        };
        if is_due {
            due.push(profile);
        }
    }
    Ok(due)
}

/// Housekeeping's step: runs the profiles due (or, on a dry run, names them). Each
/// profile's failure is returned beside the others' outcomes.
pub(crate) async fn run_scheduled_exports(
    desk: &Desk,
    dry_run: bool,
) -> Result<ScheduledExports, ServiceError> {
    let mut done = ScheduledExports::default();
    for profile in due_profiles(desk).await? {
        if dry_run {
            done.due.push(profile.id);
            continue;
        }
        let input = AccessExportInput {
            profile_id: profile.id.clone(),
            ..AccessExportInput::default()
        };
        match run(desk, input, true).await {
            Ok(outcome) => done.ran.push(outcome),
            Err(error) => done.failed.push((profile.id, error)),
        }
    }
    Ok(done)
}

/// What housekeeping's export step did.
#[derive(Debug, Default)]
pub(crate) struct ScheduledExports {
    pub(crate) ran: Vec<AccessExportOutcome>,
    /// On a dry run: the profiles that would run.
    pub(crate) due: Vec<String>,
    pub(crate) failed: Vec<(String, ServiceError)>,
}
