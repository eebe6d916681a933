//! CSV files in and out: what an import did row by row, and how exports are written.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The outcome of a CSV import: what went in and what was refused, row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Detected text encoding: `utf-8` or `windows-1252`.
    pub encoding: String,
    /// `,` or `;`.
    pub delimiter: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Rows that passed every check (created, or would be on a dry run).
    #[ts(type = "number")]
    pub accepted: u64,
    pub created: Vec<Uuid>,
    pub refused: Vec<RefusedRow>,
    /// Nothing was written (dry run).
    pub dry_run: bool,
}

/// How far a running CSV import is: reported after each chunk of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    /// Data rows read so far.
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Of those, refused so far.
    #[ts(type = "number")]
    pub refused: u64,
    /// How far into the file, against `bytes_total`.
    #[ts(type = "number")]
    pub bytes_read: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    /// Nothing is written (a check).
    pub dry_run: bool,
}

/// A row that did not go in, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefusedRow {
    /// 1-based data row number (the header is row 0).
    #[ts(type = "number")]
    pub row: u64,
    /// Line in the file where the record starts (quoted fields may span lines).
    #[ts(type = "number")]
    pub line: u64,
    /// The column at fault, when there is one.
    pub column: Option<String>,
    /// Stable code, same family as error codes (e.g. `holder.invalid_email`, `import.invalid_date`).
    pub code: String,
    pub message: String,
}

/// Why a row of an imported file, or a badge of a reviewed list, was left out: the
/// codes `RefusedRow::code` and `BadgeSkip::code` carry besides those of the domain's
/// errors (a row refused for an invalid e-mail carries `holder.invalid_email`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RowRefusal {
    #[error("the row cannot be read as CSV")]
    MalformedRow,
    #[error("the row repeats an earlier one")]
    DuplicateRow,
    #[error("a date cannot be read")]
    InvalidDate,
    #[error("a number cannot be read")]
    InvalidNumber,
    #[error("the request kind is unknown")]
    InvalidKind,
    #[error("a value the row needs is empty")]
    MissingValue,
    #[error("no badge number on the row")]
    BadgeMissing,
    #[error("the date and time cannot be read")]
    InvalidTimestamp,
    #[error("no badge has this number or card serial")]
    UnknownBadge,
    #[error("the passage is in the future")]
    FutureTimestamp,
    #[error("the badge is not active")]
    NotActive,
    #[error("the badge was used since the list was drawn")]
    UsedSinceReview,
}

sesame_core::error_codes! {
    RowRefusal {
        Self::MalformedRow => "import.malformed_row",
        Self::DuplicateRow => "import.duplicate_row",
        Self::InvalidDate => "import.invalid_date",
        Self::InvalidNumber => "import.invalid_number",
        Self::InvalidKind => "import.invalid_kind",
        Self::MissingValue => "import.missing_value",
        Self::BadgeMissing => "usage.badge_missing",
        Self::InvalidTimestamp => "usage.invalid_timestamp",
        Self::UnknownBadge => "usage.unknown_badge",
        Self::FutureTimestamp => "usage.future_timestamp",
        Self::NotActive => "usage.not_active",
        Self::UsedSinceReview => "usage.used_since_review",
    }
}

/// How CSV exports are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CsvOptions {
    /// `;` suits French spreadsheets; `,` the rest of the world.
    pub delimiter: char,
    /// A UTF-8 BOM makes Excel read accents correctly.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: ';',
            bom: true,
        }
    }
}
