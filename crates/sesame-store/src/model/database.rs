//! What the database holds, at a glance.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DbInfo {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The URL without password.
    pub location: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub holders: i64,
    #[ts(type = "number")]
    pub badges: i64,
    #[ts(type = "number")]
    pub attachments: i64,
    #[ts(type = "number")]
    pub audit_entries: i64,
}
