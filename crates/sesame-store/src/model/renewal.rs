//! Renewals (a new card) and extensions (the same card, valid longer).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::RequestDetail;

/// A renewal as the desk asks it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenewalInput {
    /// A wish bounded by the rules (mission end, category maximum).
    pub wanted_until: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// The renewal request, and whether the holder's last photo could be reused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenewalOutcome {
    pub request: RequestDetail,
    pub photo_reused: bool,
    /// Age in days of the holder's last photo, when there is one.
    #[ts(type = "number | null")]
    pub photo_age_days: Option<i64>,
    /// The category's limit for reusing a photo.
    pub photo_max_age_days: u32,
}

/// An extension of validity after the mission end moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionInput {
    /// The holder's new mission end, recorded on the holder in the same transaction.
    pub mission_end: Option<NaiveDate>,
    /// The new last valid day; by default as far as the rules allow.
    pub valid_until: Option<NaiveDate>,
}
