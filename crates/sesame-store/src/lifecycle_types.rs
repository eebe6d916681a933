//! What the store takes and gives for the badge's life after printing (issue 7):
//! dispatch, activation, expiry, inactivity and housekeeping.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{DispatchMethod, RequestStatus};
use ts_rs::TS;
use uuid::Uuid;

use crate::types::{BadgeRow, RefusedRow};

/// Kind of the reminder recorded when a badge's end of validity comes near.
pub const EXPIRY_REMINDER: &str = "expiry";

/// Why a request was left out of a dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DispatchSkipReason {
    NotFound,
    /// Not printed (`detail` is its status).
    NotPrinted,
    /// Its badge no longer works (`detail` is the badge status).
    BadgeNotUsable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchSkip {
    pub request_id: Uuid,
    pub reason: DispatchSkipReason,
    pub detail: Option<String>,
}

/// A badge marked dispatched: one line of the dispatch list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispatchedBadge {
    pub request_id: Uuid,
    pub badge_id: Uuid,
    pub badge_number: String,
    pub family_name: String,
    pub given_names: String,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub email: Option<String>,
    pub category: String,
    pub valid_until: NaiveDate,
}

/// What a dispatch batch did; `rendered` is what the render step returned (`None`
/// when nothing could be dispatched: nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchOutcome<T> {
    pub batch: Uuid,
    pub method: DispatchMethod,
    pub dispatched: Vec<DispatchedBadge>,
    pub skipped: Vec<DispatchSkip>,
    pub rendered: Option<T>,
}

/// A dispatched badge its holder has not activated after the category's delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotActivatedRow {
    pub request_id: Uuid,
    #[ts(type = "number")]
    pub request_version: i64,
    pub status: RequestStatus,
    pub badge_id: Option<Uuid>,
    pub badge_number: Option<String>,
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub category: String,
    pub dispatched_at: DateTime<Utc>,
    pub dispatched_by: String,
    pub dispatch_method: Option<DispatchMethod>,
    /// Whole days since dispatch, on the day asked.
    #[ts(type = "number")]
    pub days_waiting: i64,
    /// The delay that put it on the list (the category's, or the one asked).
    pub threshold_days: u32,
}

/// A live badge whose end of validity is near.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpiringBadge {
    /// The badge and its holder, flattened: `badge`, `familyName`… at the top level.
    #[serde(flatten)]
    pub row: BadgeRow,
    /// Days from the day asked to the last valid day (0: expires tonight).
    #[ts(type = "number")]
    pub days_left: i64,
    /// The notice that put it on the list (the category's, or the one asked).
    pub notice_days: u32,
    /// When the holder was reminded for this end of validity, if they were.
    pub reminded_at: Option<DateTime<Utc>>,
    /// A renewal request is already under way.
    pub renewal_pending: bool,
}

/// A recorded housekeeping run and its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HousekeepingRun {
    #[ts(type = "number")]
    pub id: i64,
    pub run_on: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub operator: String,
    #[ts(type = "unknown")]
    pub report: serde_json::Value,
}

/// A badge as the operator reviewed it (its version then).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeRef {
    pub id: Uuid,
    #[ts(type = "number")]
    pub version: i64,
}

/// A badge left alone by a bulk action, with the error code and message saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeSkip {
    pub badge_id: Uuid,
    pub badge_number: Option<String>,
    pub code: String,
    pub message: String,
}

/// What a bulk badge action did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeBatchOutcome {
    pub changed: Vec<BadgeRow>,
    pub skipped: Vec<BadgeSkip>,
}

/// An active badge not seen at any door for the category's inactivity delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InactiveBadge {
    /// The badge and its holder, flattened: `badge`, `familyName`… at the top level.
    #[serde(flatten)]
    pub row: BadgeRow,
    /// Last passage in the imported usage logs; `None` if never seen.
    pub last_seen_at: Option<DateTime<Utc>>,
    pub last_door: Option<String>,
    /// Since when the badge counts as unused: its last passage, else its activation
    /// (or last resumption), else its issue.
    pub unused_since: DateTime<Utc>,
    #[ts(type = "number")]
    pub days_unused: i64,
    pub threshold_days: u32,
}

/// The outcome of a usage-log import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageImportReport {
    pub encoding: String,
    pub delimiter: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Rows naming a known badge with a readable time.
    #[ts(type = "number")]
    pub accepted: u64,
    /// Badges whose last passage moved forward (or would, on a dry run).
    #[ts(type = "number")]
    pub badges_updated: u64,
    pub latest_seen_at: Option<DateTime<Utc>>,
    pub refused: Vec<RefusedRow>,
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::{Config, TS};

    /// The UI's TypeScript is generated from these types; the lists flatten the badge row.
    #[test]
    fn typescript_declarations_and_flattened_rows() {
        let cfg = Config::new();
        for (decl, field) in [
            (ExpiringBadge::decl(&cfg), "daysLeft"),
            (InactiveBadge::decl(&cfg), "unusedSince"),
            (NotActivatedRow::decl(&cfg), "daysWaiting"),
            (UsageImportReport::decl(&cfg), "badgesUpdated"),
            (BadgeBatchOutcome::decl(&cfg), "skipped"),
            (HousekeepingRun::decl(&cfg), "runOn"),
            (DispatchedBadge::decl(&cfg), "badgeNumber"),
        ] {
            assert!(decl.contains(field), "{decl}");
        }
        let expiring = ExpiringBadge::decl(&cfg);
        assert!(
            expiring.contains("familyName") && !expiring.contains("row"),
            "{expiring}"
        );
    }
}
