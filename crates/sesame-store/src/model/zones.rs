//! Secured zones: on badges, approvals of zone-access requests, and the rights export.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{BadgeStatus, ZoneDecision, ZoneKind};
use ts_rs::TS;
use uuid::Uuid;

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
