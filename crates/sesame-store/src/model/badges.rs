//! Badges in lists and exports.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{Badge, BadgeStatus};
use ts_rs::TS;
use uuid::Uuid;

/// Filters of the badge list (export to the access-control system, expiry lists).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BadgeQuery {
    pub statuses: Vec<BadgeStatus>,
    pub expiring_before: Option<NaiveDate>,
    pub holder_id: Option<Uuid>,
}

/// A badge with its holder's name, for lists and exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeRow {
    pub badge: Badge,
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    pub category: String,
    pub external_id: Option<String>,
}
