//! Oppositions (loss, theft, damage) and what a replacement carries over.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{Badge, ReplacementCause, Stamp};
use ts_rs::TS;
use uuid::Uuid;

use crate::RequestDetail;

/// A declaration of loss, theft or damage as the desk takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OppositionInput {
    pub cause: ReplacementCause,
    /// When the badge was lost, stolen or damaged (not in the future).
    pub occurred_on: NaiveDate,
    pub circumstances: String,
    /// Hand out a temporary badge now (the category must offer one).
    pub temporary_badge: bool,
}

/// A stored opposition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Opposition {
    pub id: Uuid,
    pub badge_id: Uuid,
    pub cause: ReplacementCause,
    pub occurred_on: NaiveDate,
    pub circumstances: String,
    pub declared: Stamp,
    pub replacement_request_id: Option<Uuid>,
    pub temporary_badge_id: Option<Uuid>,
    pub lifted: Option<Stamp>,
    pub lift_reason: Option<String>,
}

/// What declaring an opposition did, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OppositionOutcome {
    pub opposition: Opposition,
    /// The old badge, now `opposed`.
    pub badge: Badge,
    /// The replacement request (a new number is issued when its card is printed).
    pub replacement: RequestDetail,
    pub temporary_badge: Option<Badge>,
}

/// The accreditations a replacement carries over from the old badge, for the operator
/// to confirm before approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CarriedOver {
    pub request_id: Uuid,
    pub previous_badge_id: Uuid,
    pub previous_badge_number: String,
    /// What the old badge had.
    pub old_zones: Vec<String>,
    pub old_services: Vec<String>,
    /// What the replacement asks for now.
    pub zones: Vec<String>,
    pub services: Vec<String>,
    pub confirmed: Option<Stamp>,
}
