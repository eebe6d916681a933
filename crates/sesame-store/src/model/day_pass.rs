//! Day passes: the visitors expected on a day, who they visit, when they came and
//! left; and the people the office refuses.

use chrono::{DateTime, NaiveDate, Utc};
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
    /// Who they visit (told of their arrival by e-mail).
    pub host: Option<VisitHost>,
    /// Their visit of that day, once they arrived.
    pub visit: Option<Visit>,
}

/// The person a visitor comes to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VisitHost {
    pub name: String,
    pub email: Option<String>,
}

impl VisitHost {
    /// The host trimmed, the e-mail lowercased (blank: none); refused without a name
    /// or with an e-mail that is not an address.
    pub fn checked(&self) -> Result<VisitHost, sesame_core::DomainError> {
        let name = self.name.trim().to_owned();
        let email = self
            .email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty());
        let bad_email = email.as_deref().is_some_and(|e| {
            e.chars().any(char::is_whitespace)
                || !e
                    .split_once('@')
                    .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
        });
        if name.is_empty() || bad_email {
            return Err(sesame_core::DomainError::VisitHostInvalid);
        }
        Ok(VisitHost { name, email })
    }
}

/// A visitor's day at the office: arrival, departure, the badge back or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub id: Uuid,
    pub request_id: Uuid,
    pub day: NaiveDate,
    pub checked_in_at: DateTime<Utc>,
    pub checked_in_by: String,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub checked_out_by: Option<String>,
    /// Left without checking out: housekeeping closed the visit after its day.
    pub automatic_checkout: bool,
    /// `None` until they left (and on an automatic check-out: nobody saw it back).
    pub badge_returned: Option<bool>,
}

/// Someone the office refuses: intake refuses a badge in their name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefusedVisitor {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub organisation: Option<String>,
    pub reason: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl RefusedVisitor {
    /// The refusal of a badge in this entry's name, naming it and its reason.
    pub fn refusal(&self) -> sesame_core::DomainError {
        sesame_core::DomainError::RefusedVisitor {
            name: format!("{} {}", self.given_names, self.family_name)
                .trim()
                .to_owned(),
            reason: self.reason.clone(),
        }
    }
}

/// A person to add to the refused visitors' list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRefusedVisitor {
    pub family_name: String,
    pub given_names: String,
    pub organisation: Option<String>,
    pub reason: String,
}

/// The key a refused visitor is found by: family and given names without case,
/// accents nor spaces around.
pub fn refused_name_key(family_name: &str, given_names: &str) -> String {
    let part = |s: &str| {
        sesame_core::text::fold(s)
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("{}|{}", part(family_name), part(given_names))
}

/// A visit housekeeping closed because nobody checked the visitor out on its day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClosedVisit {
    pub visit: Visit,
    pub family_name: String,
    pub given_names: String,
    pub badge_number: Option<String>,
}
