//! What the retention purge and the holders' rights return.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{AuditEntry, Badge, Holder, RetentionPolicy};
use ts_rs::TS;
use uuid::Uuid;

/// An ID document scan the purge would delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeDocument {
    pub attachment_id: Uuid,
    pub request_id: Uuid,
    /// The day the badge was printed (the period runs from it).
    pub printed_on: NaiveDate,
}

/// A holder whose photos and personal data the purge would remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeHolder {
    pub holder_id: Uuid,
    /// The day their last badge ended.
    pub last_badge_ended_on: NaiveDate,
}

/// A refused or cancelled request whose personal data the purge would remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeRequest {
    pub request_id: Uuid,
    pub holder_id: Uuid,
    pub closed_on: NaiveDate,
}

/// The files of a desk's output folder past their retention (printed PDFs, CSV
/// exports, holders' archives) and the orphan `.part` files a killed run left: counts
/// and sizes, no names. The store has no files: the desk fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutputFilesPurge {
    /// The output folder looked at (empty when it does not exist yet).
    pub folder: String,
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Unfinished `.part` files more than an hour old.
    pub part_files: u32,
    #[ts(type = "number")]
    pub part_bytes: u64,
    /// Files that could not be deleted, each with the reason (the others were).
    pub not_deleted: Vec<String>,
}

impl OutputFilesPurge {
    pub fn is_empty(&self) -> bool {
        self.files == 0 && self.part_files == 0
    }
}

/// What a purge on `today` would remove (the dry run): ids and counts, no names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgePlan {
    pub today: NaiveDate,
    pub policy: RetentionPolicy,
    pub id_documents: Vec<PurgeDocument>,
    pub holders: Vec<PurgeHolder>,
    pub closed_requests: Vec<PurgeRequest>,
    /// This desk's output folder (filled by the desk, empty from the store alone).
    #[serde(default)]
    pub output_files: OutputFilesPurge,
}

impl PurgePlan {
    pub fn is_empty(&self) -> bool {
        self.id_documents.is_empty()
            && self.holders.is_empty()
            && self.closed_requests.is_empty()
            && self.output_files.is_empty()
    }
}

/// One item the purge could not remove (the others went ahead: one transaction each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeFailure {
    /// `id_documents`, `holder` or `request`.
    pub target: String,
    pub id: Uuid,
    pub code: String,
    pub message: String,
}

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    pub plan: PurgePlan,
    #[ts(type = "number")]
    pub id_documents_deleted: i64,
    #[ts(type = "number")]
    pub holders_anonymised: i64,
    #[ts(type = "number")]
    pub requests_purged: i64,
    #[ts(type = "number")]
    pub attachments_deleted: i64,
    #[ts(type = "number")]
    pub audit_entries_redacted: i64,
    pub failures: Vec<PurgeFailure>,
    /// The files deleted from this desk's output folder (filled by the desk).
    #[serde(default)]
    pub output_files: OutputFilesPurge,
}

/// What anonymising one holder removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderErasure {
    pub holder_id: Uuid,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub badges: i64,
    #[ts(type = "number")]
    pub attachments_deleted: i64,
    #[ts(type = "number")]
    pub audit_entries_redacted: i64,
}

/// What the store holds about one holder (for the holder's export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderRecords {
    pub holder: Holder,
    pub anonymised_at: Option<DateTime<Utc>>,
    pub request_ids: Vec<Uuid>,
    pub badges: Vec<Badge>,
    /// Every audit entry about the holder, their requests and badges, oldest first.
    pub audit: Vec<AuditEntry>,
}
