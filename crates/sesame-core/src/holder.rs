//! The person a badge is for.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain_error::DomainError;

/// Longest accepted free-text field: generous for names, small enough to keep lists sane.
pub const MAX_FIELD_CHARS: usize = 200;

/// What the desk types or the HR export gives about a holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderDetails {
    pub family_name: String,
    pub given_names: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organisation: Option<String>,
    pub unit: Option<String>,
    /// A category key from the eligibility rules, e.g. `staff`, `contractor`.
    pub category: String,
    /// HR number or other identifier from the source system.
    pub external_id: Option<String>,
    pub presence_days_per_week: u8,
    pub mission_start: Option<NaiveDate>,
    pub mission_end: Option<NaiveDate>,
}

/// A stored holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    pub id: Uuid,
    #[serde(flatten)]
    pub details: HolderDetails,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl HolderDetails {
    /// Trims every field and turns blank optional fields into `None`, lowercasing the e-mail.
    pub fn normalised(mut self) -> Self {
        fn opt(value: Option<String>) -> Option<String> {
            value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
        }
        self.family_name = self.family_name.trim().to_owned();
        self.given_names = self.given_names.trim().to_owned();
        self.email = opt(self.email).map(|e| e.to_lowercase());
        self.phone = opt(self.phone);
        self.organisation = opt(self.organisation);
        self.unit = opt(self.unit);
        self.category = self.category.trim().to_lowercase();
        self.external_id = opt(self.external_id);
        self
    }

    /// Checks the shape of the data (not eligibility, which depends on the request).
    pub fn validate(&self, known_categories: &[&str]) -> Result<(), DomainError> {
        require("familyName", &self.family_name)?;
        require("givenNames", &self.given_names)?;
        require("category", &self.category)?;
        for (field, value) in [
            ("familyName", Some(&self.family_name)),
            ("givenNames", Some(&self.given_names)),
            ("email", self.email.as_ref()),
            ("phone", self.phone.as_ref()),
            ("organisation", self.organisation.as_ref()),
            ("unit", self.unit.as_ref()),
            ("externalId", self.external_id.as_ref()),
        ] {
            if let Some(value) = value {
                if let Some(c) = crate::text::first_forbidden_char(value) {
                    return Err(DomainError::InvalidCharacters {
                        field: field.to_owned(),
                        code_point: format!("U+{:04X}", u32::from(c)),
                    });
                }
                let length = value.chars().count();
                if length > MAX_FIELD_CHARS {
                    return Err(DomainError::FieldTooLong {
                        field: field.to_owned(),
                        length,
                        max: MAX_FIELD_CHARS,
                    });
                }
            }
        }
        if let Some(email) = &self.email {
            if !is_plausible_email(email) {
                return Err(DomainError::InvalidEmail {
                    value: email.clone(),
                });
            }
        }
        if self.presence_days_per_week > 7 {
            return Err(DomainError::InvalidPresenceDays {
                value: self.presence_days_per_week,
            });
        }
        if let (Some(start), Some(end)) = (self.mission_start, self.mission_end) {
            if end < start {
                return Err(DomainError::MissionDatesInverted { start, end });
            }
        }
        if !known_categories.contains(&self.category.as_str()) {
            return Err(DomainError::UnknownCategory {
                value: self.category.clone(),
            });
        }
        Ok(())
    }

    /// The part after '@', lowercased, if there is an e-mail.
    pub fn email_domain(&self) -> Option<String> {
        self.email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, domain)| domain.to_lowercase())
    }

    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_names, self.family_name)
    }
}

fn require(field: &str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::FieldRequired {
            field: field.to_owned(),
        });
    }
    Ok(())
}

/// One '@', a non-empty local part, a dotted domain, no spaces: enough to catch typos
/// without rejecting real addresses.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> HolderDetails {
        HolderDetails {
            family_name: "Martin".into(),
            given_names: "Zoé".into(),
            email: Some("zoe.martin@example.fr".into()),
            phone: None,
            organisation: Some("Labo".into()),
            unit: Some("UMR 1".into()),
            category: "staff".into(),
            external_id: Some("HR-1".into()),
            presence_days_per_week: 5,
            mission_start: NaiveDate::from_ymd_opt(2026, 1, 1),
            mission_end: NaiveDate::from_ymd_opt(2027, 12, 31),
        }
    }

    const CATS: &[&str] = &["staff", "visitor"];

    #[test]
    fn valid_sample_passes() {
        assert_eq!(sample().validate(CATS), Ok(()));
    }

    #[test]
    fn normalised_trims_and_drops_blanks() {
        let mut h = sample();
        h.family_name = "  Martin ".into();
        h.email = Some(" Zoe@Example.FR ".into());
        h.phone = Some("   ".into());
        h.category = " Staff".into();
        let h = h.normalised();
        assert_eq!(h.family_name, "Martin");
        assert_eq!(h.email.as_deref(), Some("zoe@example.fr"));
        assert_eq!(h.phone, None);
        assert_eq!(h.category, "staff");
        assert_eq!(h.email_domain().as_deref(), Some("example.fr"));
    }

    #[test]
    fn refuses_bad_fields() {
        let mut h = sample();
        h.family_name = " ".into();
        assert_eq!(
            h.validate(CATS).unwrap_err(),
            DomainError::FieldRequired {
                field: "familyName".into()
            }
        );
        let mut h = sample();
        h.email = Some("zoe@localhost".into());
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::InvalidEmail { .. })
        ));
        let mut h = sample();
        h.presence_days_per_week = 8;
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::InvalidPresenceDays { value: 8 })
        ));
        let mut h = sample();
        h.mission_end = NaiveDate::from_ymd_opt(2025, 1, 1);
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::MissionDatesInverted { .. })
        ));
        let mut h = sample();
        h.category = "alien".into();
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::UnknownCategory { .. })
        ));
        let mut h = sample();
        h.unit = Some("x".repeat(MAX_FIELD_CHARS + 1));
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::FieldTooLong { .. })
        ));
    }

    #[test]
    fn refuses_control_and_bidi_characters_naming_the_field() {
        let mut h = sample();
        h.family_name = "Martin\u{202E}fdp.exe".into();
        assert_eq!(
            h.validate(CATS).unwrap_err(),
            DomainError::InvalidCharacters {
                field: "familyName".into(),
                code_point: "U+202E".into()
            }
        );
        let mut h = sample();
        h.unit = Some("UMR\t1".into());
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::InvalidCharacters { field, .. }) if field == "unit"
        ));
        let mut h = sample();
        h.given_names = "Zo\u{2066}é".into();
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::InvalidCharacters { field, .. }) if field == "givenNames"
        ));
        let mut h = sample();
        h.email = Some("zoe\u{200F}@example.fr".into());
        assert!(matches!(
            h.validate(CATS),
            Err(DomainError::InvalidCharacters { field, .. }) if field == "email"
        ));
    }

    #[test]
    fn email_plausibility() {
        assert!(is_plausible_email("a.b@c.fr"));
        assert!(!is_plausible_email("a b@c.fr"));
        assert!(!is_plausible_email("@c.fr"));
        assert!(!is_plausible_email("a@@c.fr"));
        assert!(!is_plausible_email("a@c."));
    }
}
