//! Day passes: the visitors expected on a day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::RequestStatus;
use ts_rs::TS;
use uuid::Uuid;

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
