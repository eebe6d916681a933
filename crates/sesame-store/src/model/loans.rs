//! Loan cards: a short-lived badge lent in place of one the holder forgot.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::Badge;
use ts_rs::TS;
use uuid::Uuid;

/// A loan: the original badge (suspended meanwhile), the loan badge, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeLoan {
    pub id: Uuid,
    pub original_badge_id: Uuid,
    pub loan_badge_id: Uuid,
    pub lent_at: DateTime<Utc>,
    pub lent_by: String,
    /// The loan card's last day.
    pub due_on: NaiveDate,
    pub reason: String,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by: Option<String>,
    pub ended_how: Option<LoanEnd>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LoanEnd {
    /// The loan card came back to the desk.
    Returned,
    /// Its last day passed (housekeeping ended it).
    Expired,
}

impl LoanEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Returned => "returned",
            Self::Expired => "expired",
        }
    }
}

/// What lending a card asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanInput {
    pub original_badge_id: Uuid,
    pub expected_version: i64,
    /// 1 to the category's temporary badge days.
    pub days: u32,
    pub reason: String,
    /// The loan card's UID, when the card is bound now.
    pub card_serial: Option<String>,
}

/// A loan with both badges and the holder's name, for the desk's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoanRow {
    pub loan: BadgeLoan,
    pub original: Badge,
    pub loan_badge: Badge,
    pub family_name: String,
    pub given_names: String,
}
