//! Export profiles for the access-control system: which badges, which columns in
//! which order, how the file is written, photos beside it, and when it runs. An
//! administrator defines a profile once (the office's shared settings keep them);
//! each run is recorded, so the next one can hold only what changed since.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::BadgeStatus;
use ts_rs::TS;
use uuid::Uuid;

/// One export the access-control system imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportProfile {
    /// Lowercase letters, digits and `-`: names the profile's folder and files.
    pub id: String,
    pub name: String,
    /// The shipped format it was made from, if any (see `access_export::formats`).
    #[serde(default)]
    pub format: Option<String>,
    pub selection: ExportSelection,
    pub columns: Vec<ExportColumn>,
    pub file: ExportFileFormat,
    /// JPEG photos written beside the file, at this size.
    #[serde(default)]
    pub photos: Option<PhotoExport>,
    /// Run by housekeeping every so many days; `None`: only when asked.
    #[serde(default)]
    pub every_days: Option<u32>,
    /// The site's facility code, written by the `facilityCode` column.
    #[serde(default)]
    pub facility_code: String,
}

/// Which badges a run writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ExportSelection {
    /// Badges in these statuses; none chosen: every status.
    pub statuses: Vec<BadgeStatus>,
    /// Badges opening at least one of these zones; none chosen: any badge.
    pub zones: Vec<String>,
    /// Holders of these categories; none chosen: every category.
    pub categories: Vec<String>,
    /// Only the badges changed since the profile's last run (from a few minutes
    /// before it, so that no change falls between two runs; all of them the first
    /// time). A changed badge is written whatever its status, so the access-control
    /// system also learns of the cards that stopped working.
    pub changes_only: bool,
}

/// A column: what it holds and the header it is written under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportColumn {
    pub field: ExportField,
    pub header: String,
    /// The text of a `fixed` column (the same on every line).
    #[serde(default)]
    pub text: String,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportField {
    BadgeNumber,
    /// Sésame's id of the holder: the same on every badge they get.
    HolderId,
    /// The card's UID (CSN) as bound to the badge.
    CardSerial,
    FacilityCode,
    FamilyName,
    GivenNames,
    /// Given names then family name.
    FullName,
    Email,
    Organisation,
    Unit,
    Category,
    /// The holder's id in HR or the directory.
    ExternalId,
    ValidFrom,
    ValidUntil,
    /// The badge's status, in the words the file's `statusWords` give.
    Status,
    /// The zones the badge opens, joined by the file's zone separator.
    Zones,
    /// The photo's file name, beside the file.
    PhotoFile,
    /// The photo's full path, as written on this desk.
    PhotoPath,
    /// The column's own text, on every line.
    Fixed,
}

impl ExportField {
    pub const ALL: [ExportField; 19] = [
        Self::BadgeNumber,
        Self::HolderId,
        Self::CardSerial,
        Self::FacilityCode,
        Self::FamilyName,
        Self::GivenNames,
        Self::FullName,
        Self::Email,
        Self::Organisation,
        Self::Unit,
        Self::Category,
        Self::ExternalId,
        Self::ValidFrom,
        Self::ValidUntil,
        Self::Status,
        Self::Zones,
        Self::PhotoFile,
        Self::PhotoPath,
        Self::Fixed,
    ];
}

/// How the file is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportFileFormat {
    pub delimiter: char,
    pub encoding: ExportEncoding,
    /// A first line naming the columns.
    pub header_line: bool,
    pub date_format: ExportDateFormat,
    pub zone_separator: String,
    /// The word written for each status (a status not listed: Sésame's own name).
    #[serde(default)]
    pub status_words: Vec<StatusWord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusWord {
    pub status: BadgeStatus,
    pub word: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel needs to read accents).
    Utf8Bom,
    /// Windows' Western European code page: a letter it lacks is written without
    /// its accent (the run counts the names so written).
    Windows1252,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportDateFormat {
    /// 2026-12-31
    Iso,
    /// 2026-12-31T00:00:00Z for a first day, 2026-12-31T23:59:59Z for a last one.
    IsoUtc,
    /// 31/12/2026
    DayMonthYear,
    /// 12/31/2026
    MonthDayYear,
    /// 2026/12/31
    YearMonthDay,
}

/// Photos written beside the file: the badge's photo as JPEG, scaled and centred
/// to exactly this size, named after the badge number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoExport {
    pub width: u32,
    pub height: u32,
}

/// A run of a profile, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessExportRun {
    pub id: Uuid,
    pub profile_id: String,
    /// When the badges were read: the next run of changes starts from here.
    pub started_at: DateTime<Utc>,
    /// Badges changed after this were written; `None`: every selected badge.
    pub since: Option<DateTime<Utc>>,
    pub badges: u32,
    pub photos: u32,
    pub file: String,
    pub operator: String,
    /// Started by housekeeping rather than by someone.
    pub scheduled: bool,
}
