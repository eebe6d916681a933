//! Audit lines that record what someone did without changing any row.

use sesame_core::AuditEntity;
use uuid::Uuid;

/// Something an operator did that changes no row but belongs in the audit log: an
/// archive or a key exported, an ID scan viewed, a reprint previewed. `details` say
/// what, never the personal data itself (no names, no file contents, no secrets).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub entity: AuditEntity,
    pub entity_id: String,
    /// The request the event belongs to, so it shows in the request's history.
    pub request_id: Option<Uuid>,
    pub action: &'static str,
    pub details: serde_json::Value,
}
