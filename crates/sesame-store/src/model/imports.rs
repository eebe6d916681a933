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
