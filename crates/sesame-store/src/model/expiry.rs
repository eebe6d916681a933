//! Badges near or past the end of their validity, and the daily housekeeping runs.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use sesame_core::BadgeStatus;

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

/// A rule of the badge's category that ends it without waiting for its validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryRule {
    /// The holder's mission ended (`expire_at_mission_end`): expired, its validity
    /// cut to the mission's last day.
    MissionEnded,
    /// N days passed since its first passage at a door (`expire_days_after_first_use`):
    /// expired, its validity cut to the last of those days.
    AfterFirstUse,
    /// Unused for N days (`deactivate_unused_days`): deactivated.
    Unused,
}

/// A badge a category rule ended (or would end, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleChange {
    /// The badge and its holder as they are now.
    #[serde(flatten)]
    pub row: BadgeRow,
    pub rule: ExpiryRule,
    /// What the rule counts from: the mission's last day, the first passage's day, or
    /// the day the badge was last seen (or became usable, if never seen).
    pub since: NaiveDate,
    /// The badge's status before.
    pub previous_status: BadgeStatus,
}
