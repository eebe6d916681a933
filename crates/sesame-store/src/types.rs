//! What the store takes and gives: the shapes the service layer and the UI see.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{
    AttachmentKind, Badge, BadgeStatus, Eligibility, Holder, HolderDetails, MediaType, MissingItem,
    Request, RequestDetails, RequestKind, RequestStatus,
};
use ts_rs::TS;
use uuid::Uuid;

/// A request as the desk enters it (or a CSV row gives it).
///
/// The holder is matched in this order: `holder_id` if given, else an existing holder
/// with the same `external_id`, else a new holder is created. A matched holder's
/// details are updated to `holder` (audited when they change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRequest {
    pub holder_id: Option<Uuid>,
    pub holder: HolderDetails,
    pub request: RequestDetails,
}

/// Everything the request screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub request: Request,
    pub holder: Holder,
    pub attachments: Vec<AttachmentMeta>,
    pub badge: Option<Badge>,
    /// What is still needed before review.
    pub missing: Vec<MissingItem>,
    pub eligibility: Eligibility,
    /// Action names the desk may use now (see `RequestAction::name`).
    pub allowed_actions: Vec<String>,
}

/// An attachment's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub request_id: Uuid,
    pub kind: AttachmentKind,
    pub media_type: MediaType,
    #[ts(type = "number")]
    pub byte_size: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// An attachment with its bytes (already decoded by the store's `BlobCodec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub meta: AttachmentMeta,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QueueSortField {
    /// Submission order (ids are time-ordered UUID v7).
    #[default]
    Submitted,
    HolderName,
    MissionEnd,
    BadgeValidUntil,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

/// Filters, sort and page of the queue. Empty lists mean "any".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct QueueQuery {
    pub statuses: Vec<RequestStatus>,
    pub kinds: Vec<RequestKind>,
    pub categories: Vec<String>,
    pub zone: Option<String>,
    /// Words matched as prefixes of names, e-mail, HR number and badge number,
    /// ignoring case and accents ("zoe" finds "Zoé"). Every word must match.
    pub search: Option<String>,
    pub submitted_from: Option<NaiveDate>,
    pub submitted_until: Option<NaiveDate>,
    pub mission_end_before: Option<NaiveDate>,
    /// Requests whose badge expires on or before this day.
    pub badge_expiring_before: Option<NaiveDate>,
    pub holder_id: Option<Uuid>,
    pub sort: QueueSortField,
    pub direction: SortDirection,
    /// Page size, 1..=500 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueRow {
    pub id: Uuid,
    #[ts(type = "number")]
    pub version: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub holder_id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub category: String,
    pub external_id: Option<String>,
    pub zones: Vec<String>,
    pub submitted_on: NaiveDate,
    pub mission_end: Option<NaiveDate>,
    pub badge_number: Option<String>,
    pub badge_valid_until: Option<NaiveDate>,
    pub print_claimed_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: RequestStatus,
    #[ts(type = "number")]
    pub count: i64,
}

/// Filters of the badge list (export to the access-control system, expiry lists).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BadgeQuery {
    pub statuses: Vec<BadgeStatus>,
    pub expiring_before: Option<NaiveDate>,
    pub holder_id: Option<Uuid>,
}

/// A badge with its holder's name, for lists and exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeRow {
    pub badge: Badge,
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub category: String,
    pub external_id: Option<String>,
}

/// The outcome of a CSV import: what went in and what was refused, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Detected text encoding: `utf-8` or `windows-1252`.
    pub encoding: String,
    /// `,` or `;`.
    pub delimiter: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Rows that passed every check (created, or would be on a dry run).
    #[ts(type = "number")]
    pub accepted: u64,
    pub created: Vec<Uuid>,
    pub refused: Vec<RefusedRow>,
    /// Nothing was written (dry run).
    pub dry_run: bool,
}

/// A row that did not go in, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefusedRow {
    /// 1-based data row number (the header is row 0).
    #[ts(type = "number")]
    pub row: u64,
    /// Line in the file where the record starts (quoted fields may span lines).
    #[ts(type = "number")]
    pub line: u64,
    /// The column at fault, when there is one.
    pub column: Option<String>,
    /// Stable code, same family as error codes (e.g. `holder.invalid_email`, `import.invalid_date`).
    pub code: String,
    pub message: String,
}

/// How CSV exports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvOptions {
    /// `;` suits French spreadsheets; `,` the rest of the world.
    pub delimiter: char,
    /// A UTF-8 BOM makes Excel read accents correctly.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: ';',
            bom: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DbInfo {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The URL without password.
    pub location: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub holders: i64,
    #[ts(type = "number")]
    pub badges: i64,
    #[ts(type = "number")]
    pub attachments: i64,
    #[ts(type = "number")]
    pub audit_entries: i64,
}

/// One card to lay out, with everything the printer needs: the request, its holder,
/// the badge number and validity, and the ID photo (decoded through the store's codec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintItem {
    pub request: Request,
    pub holder: Holder,
    /// In [`crate::Store::print_batch`] the number just issued (or, for a reprint,
    /// the badge's own). In [`crate::Store::print_selection`] the number a first print
    /// would get if no other desk printed meanwhile (see `provisional_number`).
    pub badge_number: String,
    /// True when `badge_number` is only a forecast (preview of a first print).
    pub provisional_number: bool,
    /// `None` until the badge exists (preview of a first print).
    pub badge_id: Option<Uuid>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// True when the card was printed before (a reprint).
    pub reprint: bool,
    pub photo: Option<Attachment>,
}

/// Why a request was left out of a print run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintSkipReason {
    NotFound,
    /// Not approved (and not printed before either): `detail` is its status.
    NotApproved,
    /// Printed before and no reprint reason was given.
    AlreadyPrinted,
    /// The request grants zones on an existing badge; there is no card to print.
    NoCard,
    /// Another desk holds the request to print: `detail` names it.
    ClaimedByOther,
    /// The holder no longer qualifies on the print day: `detail` lists why.
    NotEligible,
    /// A reprint of a badge that no longer works (opposed, returned…): `detail` is its status.
    BadgeNotUsable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintSkip {
    pub request_id: Uuid,
    pub reason: PrintSkipReason,
    pub detail: Option<String>,
}

/// A card that went into the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedBadge {
    pub request_id: Uuid,
    pub badge_id: Uuid,
    pub badge_number: String,
    pub family_name: String,
    pub given_names: String,
    pub reprint: bool,
}

/// What [`crate::Store::print_batch`] did. `rendered` is what the render step returned,
/// `None` when nothing was printable (render was not called, nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintBatchOutcome<T> {
    pub printed: Vec<PrintedBadge>,
    pub skipped: Vec<PrintSkip>,
    pub rendered: Option<T>,
}

/// What a print run would do now, read without changing anything (the preview).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintSelection {
    /// In the order asked; first prints carry provisional numbers.
    pub items: Vec<PrintItem>,
    pub skipped: Vec<PrintSkip>,
}

/// A value bound into dynamically built SQL.
#[derive(Debug, Clone)]
pub(crate) enum QueryValue {
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::{Config, TS};

    /// The UI's TypeScript is generated from these types: declaring them must not panic
    /// (flattened fields, tagged enums) and must keep the camelCase names.
    #[test]
    fn typescript_declarations() {
        let cfg = Config::new();
        let detail = RequestDetail::decl(&cfg);
        assert!(detail.contains("allowedActions"), "{detail}");
        let request = sesame_core::Request::decl(&cfg);
        assert!(
            request.contains("holderId") && request.contains("kind"),
            "{request}"
        );
        let action = sesame_core::RequestAction::decl(&cfg);
        assert!(action.contains("\"dispatch\""), "{action}");
        for decl in [
            QueueQuery::decl(&cfg),
            QueuePage::decl(&cfg),
            ImportReport::decl(&cfg),
            BadgeRow::decl(&cfg),
            DbInfo::decl(&cfg),
            sesame_core::Policy::decl(&cfg),
            sesame_core::AuditEntry::decl(&cfg),
            sesame_core::BadgeAction::decl(&cfg),
        ] {
            assert!(!decl.is_empty());
        }
    }
}
