//! The office's badge templates as the queue keeps them: versions of the whole set.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One saved version of the office's template set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersion {
    pub version: i64,
    /// File name → the template file's text (TOML).
    pub files: BTreeMap<String, String>,
    /// The built-in set, as shipped.
    pub builtin: bool,
    /// What the save was (written by the desk: "designer: staff.toml"…).
    pub note: String,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// A version in the list of versions: who saved it, when, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateVersionSummary {
    #[ts(type = "number")]
    pub version: i64,
    pub files: Vec<String>,
    pub builtin: bool,
    pub note: String,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

impl TemplateVersion {
    pub fn summary(&self) -> TemplateVersionSummary {
        TemplateVersionSummary {
            version: self.version,
            files: self.files.keys().cloned().collect(),
            builtin: self.builtin,
            note: self.note.clone(),
            saved_by: self.saved_by.clone(),
            saved_at: self.saved_at,
        }
    }
}

/// A picture the office's templates may name (an `image` element's `file`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateImageInfo {
    pub name: String,
    #[ts(type = "number")]
    pub bytes: i64,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}
