//! The queue: its filters, sort and pages, and the counts per status.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{RequestKind, RequestStatus};
use ts_rs::TS;
use uuid::Uuid;

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
    /// The position (0-based, in this sort and these filters) of the page's first
    /// row: a jump there (scrollbar, End, a row number) without walking the pages
    /// before it. Ignored when `cursor` is given.
    #[ts(type = "number | null")]
    pub start: Option<u64>,
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

/// A value bound into dynamically built SQL.
#[derive(Debug, Clone)]
pub(crate) enum QueryValue {
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

/// Marks along a query's order, one every `every` rows from the first (the sort key
/// and id of rows 0, `every`, 2 × `every`, …), with how many rows match. A jump under
/// a search of dense words starts from the mark before its position and walks the
/// rest, instead of sorting every match again (see `ops/queue_positions.rs`).
#[derive(Debug, Clone)]
pub(crate) struct PositionMarks {
    pub total: u64,
    pub every: u64,
    pub marks: Vec<(Option<QueryValue>, Uuid)>,
}
