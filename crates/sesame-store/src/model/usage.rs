//! Inactivity: the access-control usage log and the badges unused for too long.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{BadgeRow, RefusedRow};

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
