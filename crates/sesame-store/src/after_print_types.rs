//! What the lifecycle operations after printing take and give (issue 7): zones and
//! their rights export, oppositions, day-pass visitors, renewals.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{
    Badge, BadgeStatus, ReplacementCause, RequestStatus, Stamp, ZoneDecision, ZoneKind,
};
use ts_rs::TS;
use uuid::Uuid;

use crate::types::RequestDetail;

/// A zone on a badge, with what the zone table says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeZone {
    pub key: String,
    /// `None` for a zone name that is not (or no longer) in the zone table.
    pub label_fr: Option<String>,
    pub label_en: Option<String>,
    pub kind: Option<ZoneKind>,
    /// True when the badge itself works (status `active`): the zone opens.
    pub active: bool,
}

/// A zone-access request as its approvers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneApprovals {
    pub request_id: Uuid,
    pub requested: Vec<String>,
    pub decisions: Vec<ZoneDecision>,
    /// Zones still awaiting their approver.
    pub pending: Vec<String>,
}

/// What the access-control system is told for one badge and one zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoneAccessState {
    Granted,
    /// The card must not open anything (opposed or suspended).
    Blocked,
}

/// One badge ↔ zone right for the access-control system. A blocked badge without zones
/// still has one line (with an empty zone) so its card gets blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneRight {
    pub badge_number: String,
    pub card_serial: Option<String>,
    pub badge_status: BadgeStatus,
    pub access: ZoneAccessState,
    pub zone: String,
    pub zone_kind: Option<ZoneKind>,
    pub family_name: String,
    pub given_names: String,
    pub external_id: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// The JSON export of zone rights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneRightsExport {
    pub generated_at: DateTime<Utc>,
    pub rights: Vec<ZoneRight>,
}

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

/// One expected visitor of a day (a day pass covering it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitorRow {
    pub request_id: Uuid,
    pub status: RequestStatus,
    pub holder_id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub organisation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub zones: Vec<String>,
    pub badge_number: Option<String>,
    pub notes: Option<String>,
}

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
