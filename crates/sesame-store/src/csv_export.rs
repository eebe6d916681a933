//! CSV exports of the queue and of badges, safe to open in a spreadsheet.

use crate::error::{Result, StoreError};
use crate::{BadgeRow, CsvOptions, QueueRow};

/// Neutralises spreadsheet formulas: a cell whose first character after any leading
/// spaces is `=`, `+`, `-`, `@`, tab or carriage return, or the full-width `＝`, `＋`,
/// `－`, `＠` (spreadsheets fold those to ASCII), gets a leading quote, so
/// Excel/LibreOffice show it as text (OWASP "CSV injection"). Spreadsheets skip the
/// leading spaces before reading a formula, so the check does too. Every CSV the
/// desk writes goes through here (`write_csv`).
pub fn neutralise(cell: &str) -> String {
    // Tab and CR are blanks too, but dangerous ones: they stop the search.
    let first = cell
        .chars()
        .find(|c| !c.is_whitespace() || matches!(c, '\t' | '\r'));
    match first {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}',
        ) => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Writes rows of cells (neutralised, quoted when needed) as CSV bytes.
pub fn write_csv(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
    options: CsvOptions,
) -> Result<Vec<u8>> {
    if !options.delimiter.is_ascii()
        || options.delimiter == '"'
        || options.delimiter.is_ascii_alphanumeric()
    {
        return Err(StoreError::Export(format!(
            "'{}' cannot be a CSV delimiter",
            options.delimiter
        )));
    }
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(options.delimiter as u8)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let export_error = |e: csv::Error| StoreError::Export(e.to_string());
    writer.write_record(header).map_err(export_error)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|c| neutralise(c)))
            .map_err(export_error)?;
    }
    writer
        .into_inner()
        .map_err(|e| StoreError::Export(e.to_string()))
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

pub const QUEUE_HEADER: &[&str] = &[
    "request_id",
    "status",
    "kind",
    "family_name",
    "given_names",
    "email",
    "organisation",
    "unit",
    "category",
    "external_id",
    "zones",
    "submitted_on",
    "mission_end",
    "badge_number",
    "badge_valid_until",
];

pub fn queue_cells(row: &QueueRow) -> Vec<String> {
    vec![
        row.id.to_string(),
        row.status.as_str().to_owned(),
        row.kind.as_str().to_owned(),
        row.family_name.clone(),
        row.given_names.clone(),
        opt(&row.email),
        opt(&row.organisation),
        opt(&row.unit),
        row.category.clone(),
        opt(&row.external_id),
        row.zones.join("|"),
        row.submitted_on.to_string(),
        opt(&row.mission_end),
        opt(&row.badge_number),
        opt(&row.badge_valid_until),
    ]
}

/// Columns the access-control system imports.
pub const BADGE_HEADER: &[&str] = &[
    "badge_number",
    "card_serial",
    "status",
    "valid_from",
    "valid_until",
    "family_name",
    "given_names",
    "email",
    "organisation",
    "unit",
    "category",
    "external_id",
    "zones",
];

pub fn badge_cells(row: &BadgeRow) -> Vec<String> {
    let b = &row.badge;
    vec![
        b.number.clone(),
        opt(&b.card_serial),
        b.status.as_str().to_owned(),
        b.valid_from.to_string(),
        b.valid_until.to_string(),
        row.family_name.clone(),
        row.given_names.clone(),
        opt(&row.email),
        opt(&row.organisation),
        opt(&row.unit),
        row.category.clone(),
        opt(&row.external_id),
        b.zones.join("|"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for dangerous in [
            "=1+1",
            "+33 6 12",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "  =HYPERLINK(\"http://x\")",
            " \u{a0}+1",
            "\n=1",
            " \t1",
            "\u{FF1D}1+1",
            "\u{FF0B}1",
            "\u{FF0D}1",
            "\u{FF20}SUM(A1)",
            "\u{3000}\u{FF1D}1",
        ] {
            assert!(neutralise(dangerous).starts_with('\''), "{dangerous:?}");
        }
        assert_eq!(neutralise("Zoé"), "Zoé");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("a=b"), "a=b");
        assert_eq!(neutralise("  Zoé"), "  Zoé");
        assert_eq!(neutralise("   "), "   ");
        assert_eq!(neutralise("  =HYPERLINK(\"x\")"), "'  =HYPERLINK(\"x\")");
    }

    #[test]
    fn writes_quoted_bom_semicolon_csv() {
        let bytes = write_csv(
            &["a", "b"],
            vec![vec![
                "=HYPERLINK(\"x\")".to_owned(),
                "deux;trois\nquatre".to_owned(),
            ]],
            CsvOptions::default(),
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}a;b\r\n\"'=HYPERLINK(\"\"x\"\")\";\"deux;trois\nquatre\"\r\n"
        );
        let plain = write_csv(
            &["a"],
            vec![vec!["x".into()]],
            CsvOptions {
                delimiter: ',',
                bom: false,
            },
        )
        .unwrap();
        assert_eq!(plain, b"a\r\nx\r\n");
        assert!(write_csv(
            &["a"],
            Vec::new(),
            CsvOptions {
                delimiter: 'x',
                bom: false
            }
        )
        .is_err());
    }
}
