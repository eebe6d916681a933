//! Secured zones (buildings, car parks), each with the approver who decides who gets in,
//! and the approver's decisions on zone-access requests.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain_error::DomainError;
use crate::holder::{is_plausible_email, MAX_FIELD_CHARS};

/// Longest zone key: it travels in the access-control export and on the badge.
pub const MAX_ZONE_KEY_CHARS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    Building,
    CarPark,
}

impl ZoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Building => "building",
            Self::CarPark => "car_park",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Building, Self::CarPark]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

/// A zone as the settings screen edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneDetails {
    /// The name used on requests, badges and in the access-control export, e.g. `Bât A`.
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
    pub kind: ZoneKind,
    /// Who decides on access requests for this zone.
    pub approver_name: String,
    pub approver_email: String,
    /// A closed zone takes no new access requests; badges keep what they were granted.
    pub active: bool,
}

/// A stored zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    #[serde(flatten)]
    pub details: ZoneDetails,
    #[ts(type = "number")]
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl ZoneDetails {
    pub fn normalised(mut self) -> Self {
        self.key = self.key.trim().to_owned();
        self.label_fr = self.label_fr.trim().to_owned();
        self.label_en = self.label_en.trim().to_owned();
        self.approver_name = self.approver_name.trim().to_owned();
        self.approver_email = self.approver_email.trim().to_lowercase();
        self
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let invalid = |reason: &str| {
            Err(DomainError::InvalidZone {
                key: self.key.clone(),
                reason: reason.to_owned(),
            })
        };
        if self.key.is_empty() {
            return invalid("the key is required");
        }
        if self.key.chars().count() > MAX_ZONE_KEY_CHARS {
            return invalid("the key is at most 40 characters");
        }
        // The key is a cell of the access-control CSV and an item of a JSON list on badges.
        if self
            .key
            .chars()
            .any(|c| c.is_control() || matches!(c, ';' | ',' | '"'))
        {
            return invalid(
                "control characters, quotes, commas and semicolons are not allowed in the key",
            );
        }
        for (field, value) in [
            ("labelFr", &self.label_fr),
            ("labelEn", &self.label_en),
            ("approverName", &self.approver_name),
        ] {
            if value.is_empty() {
                return invalid(&format!("{field} is required"));
            }
            if value.chars().count() > MAX_FIELD_CHARS {
                return invalid(&format!("{field} is too long"));
            }
        }
        if !is_plausible_email(&self.approver_email) {
            return Err(DomainError::InvalidEmail {
                value: self.approver_email.clone(),
            });
        }
        Ok(())
    }
}

/// The approver's answer for one zone of a zone-access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoneVerdict {
    Approved,
    Refused,
}

impl ZoneVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Refused => "refused",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Approved, Self::Refused]
            .into_iter()
            .find(|v| v.as_str() == value)
    }
}

/// A recorded decision: which approver said what, with why, and who typed it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneDecision {
    pub request_id: Uuid,
    pub zone: String,
    pub verdict: ZoneVerdict,
    /// The approver's name as it stood when they decided.
    pub approver: String,
    pub reason: Option<String>,
    /// The operator who recorded the approver's answer.
    pub recorded_by: String,
    pub decided_at: DateTime<Utc>,
}

/// Where a zone-access request stands with its approvers: the zones still awaiting an
/// answer, and those granted. The request may be activated only when nothing is pending.
pub fn pending_zones<'a>(requested: &'a [String], decisions: &[ZoneDecision]) -> Vec<&'a String> {
    requested
        .iter()
        .filter(|z| !decisions.iter().any(|d| &d.zone == *z))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> ZoneDetails {
        ZoneDetails {
            key: " Bât A ".into(),
            label_fr: "Bâtiment A".into(),
            label_en: "Building A".into(),
            kind: ZoneKind::Building,
            approver_name: "Claire Martin".into(),
            approver_email: "Claire.Martin@Example.fr".into(),
            active: true,
        }
    }

    #[test]
    fn zones_are_normalised_and_checked() {
        let z = zone().normalised();
        assert_eq!(z.key, "Bât A");
        assert_eq!(z.approver_email, "claire.martin@example.fr");
        assert_eq!(z.validate(), Ok(()));
        for bad in ["", "a;b", "a,b", "x\"y", &"k".repeat(41)] {
            let mut z = zone().normalised();
            z.key = bad.to_owned();
            assert!(
                matches!(z.validate(), Err(DomainError::InvalidZone { .. })),
                "{bad:?}"
            );
        }
        let mut z = zone().normalised();
        z.approver_email = "nobody".into();
        assert!(matches!(
            z.validate(),
            Err(DomainError::InvalidEmail { .. })
        ));
        let mut z = zone().normalised();
        z.label_en.clear();
        assert!(z.validate().is_err());
    }

    #[test]
    fn pending_zones_are_those_without_decision() {
        let requested = vec!["A".to_owned(), "B".to_owned()];
        let decided = ZoneDecision {
            request_id: Uuid::nil(),
            zone: "A".into(),
            verdict: ZoneVerdict::Refused,
            approver: "x".into(),
            reason: Some("no".into()),
            recorded_by: "op".into(),
            decided_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        assert_eq!(pending_zones(&requested, &[]).len(), 2);
        assert_eq!(pending_zones(&requested, &[decided]), vec![&"B".to_owned()]);
        assert_eq!(
            serde_json::to_value(ZoneKind::CarPark).unwrap(),
            serde_json::json!("car_park")
        );
        assert_eq!(ZoneVerdict::parse("approved"), Some(ZoneVerdict::Approved));
    }
}
