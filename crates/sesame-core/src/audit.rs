//! The audit log's entry: who did what, when, to what, with the state before and after.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditEntity {
    Holder,
    Request,
    Badge,
    Attachment,
    Settings,
    Import,
    Operator,
}

impl AuditEntity {
    pub const ALL: [AuditEntity; 7] = [
        Self::Holder,
        Self::Request,
        Self::Badge,
        Self::Attachment,
        Self::Settings,
        Self::Import,
        Self::Operator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holder => "holder",
            Self::Request => "request",
            Self::Badge => "badge",
            Self::Attachment => "attachment",
            Self::Settings => "settings",
            Self::Import => "import",
            Self::Operator => "operator",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

/// One line of the append-only audit log.
///
/// `before` and `after` hold the changed record (or the fields that changed) as JSON;
/// a later purge may redact them (`redacted`), but never the facts: who, when, what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: DateTime<Utc>,
    pub operator: String,
    pub entity: AuditEntity,
    pub entity_id: String,
    /// The request this change belongs to, so the UI can show a request's whole history.
    pub request_id: Option<String>,
    /// The action name, e.g. `approve`, `create`, `attachment_put`.
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub redacted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_round_trip() {
        for e in AuditEntity::ALL {
            assert_eq!(AuditEntity::parse(e.as_str()), Some(e));
            assert_eq!(
                serde_json::to_value(e).unwrap(),
                serde_json::json!(e.as_str())
            );
        }
    }

    #[test]
    fn entry_serialises_in_camel_case() {
        let entry = AuditEntry {
            id: 1,
            at: DateTime::from_timestamp(0, 0).unwrap(),
            operator: "alice".into(),
            entity: AuditEntity::Request,
            entity_id: "r1".into(),
            request_id: Some("r1".into()),
            action: "approve".into(),
            before: Some(serde_json::json!({"status": "ready_for_review"})),
            after: Some(serde_json::json!({"status": "approved"})),
            reason: None,
            redacted: false,
        };
        let v = serde_json::to_value(&entry).unwrap();
        assert_eq!(v["entityId"], "r1");
        assert_eq!(v["requestId"], "r1");
        assert_eq!(v["after"]["status"], "approved");
    }
}
