//! Badges near or past the end of their validity, and the daily housekeeping runs.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::BadgeRow;

/// Kind of the reminder recorded when a badge's end of validity comes near.
pub const EXPIRY_REMINDER: &str = "expiry";

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
