//! Dispatch of printed badges and the follow-up of their activation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{DispatchMethod, RequestStatus};
use ts_rs::TS;
use uuid::Uuid;

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
