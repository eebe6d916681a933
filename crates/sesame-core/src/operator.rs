//! The people working at the desks, and what each may do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an operator may do. Clerks run the queue; supervisors also do the
/// sensitive actions (reprints, lifting oppositions, zones, purge, key export,
/// managing operators, settings) or countersign them at a clerk's desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    Clerk,
    Supervisor,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 2] = [Self::Clerk, Self::Supervisor];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// One operator as the settings screen lists them. The PIN itself never leaves
/// the store: only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    /// The name written in the audit log (the OS account or `SESAME_OPERATOR`).
    pub name: String,
    /// The name shown on screen, e.g. "Claire Martin".
    pub display_name: String,
    pub role: OperatorRole,
    pub has_pin: bool,
    /// A deactivated operator keeps their audit history but can no longer open a desk.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in OperatorRole::ALL {
            assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::json!(role.as_str())
            );
        }
        assert_eq!(OperatorRole::parse("admin"), None);
    }
}
