//! What the CSV readers (`csv_import` for requests, `usage_import` for the
//! access-control log) share: guessing the encoding and the delimiter of a file
//! written by a spreadsheet or an export tool, folding header names, counting the
//! line each record starts on, and refusing a record the reader could not read.

use sesame_core::{text, ErrorCode};

use crate::error::{Result, StoreError};
use crate::model::{RefusedRow, RowRefusal};

/// A file's text, with the encoding and delimiter it was read with.
pub(crate) struct Sniffed {
    pub text: String,
    /// `utf-8` or `windows-1252`.
    pub encoding: &'static str,
    /// `,` or `;`.
    pub delimiter: char,
}

impl Sniffed {
    pub(crate) fn new(bytes: &[u8]) -> Sniffed {
        let (text, encoding) = decode(bytes);
        let delimiter = detect_delimiter(&text);
        Sniffed {
            text,
            encoding,
            delimiter,
        }
    }

    /// A lenient reader of the text (rows may have fewer or more cells than the header).
    pub(crate) fn reader(&self, has_headers: bool) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter as u8)
            .flexible(true)
            .has_headers(has_headers)
            .from_reader(self.text.as_bytes())
    }

    /// Counts the lines records start on, from the byte offsets the reader gives.
    pub(crate) fn lines(&self) -> LineCounter<'_> {
        LineCounter {
            bytes: self.text.as_bytes(),
            counted: (0, 1),
        }
    }
}

/// Decodes the bytes: UTF-8 (BOM dropped) when valid, else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// Picks `;` or `,` by counting them outside quotes on the header line.
pub fn detect_delimiter(text: &str) -> char {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\n' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas {
        ';'
    } else {
        ','
    }
}

/// A header name (or a word) folded: lowercase, no accents, `_` for any run of
/// separators, so "N° de badge" and "n_de_badge" match.
pub(crate) fn header_key(name: &str) -> String {
    let folded = text::fold(name.trim());
    let mut key = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_matches('_').to_owned()
}

/// The header row `reader` starts with, and the column each header names (`None`: a
/// column this reader does not know).
pub(crate) fn header_columns<C: Copy>(
    reader: &mut csv::Reader<&[u8]>,
    aliases: &[(C, &[&str])],
) -> Result<(csv::StringRecord, Vec<Option<C>>)> {
    let headers = reader
        .headers()
        .map_err(|e| StoreError::CsvUnreadable {
            reason: e.to_string(),
        })?
        .clone();
    let columns = headers.iter().map(|h| column_for(aliases, h)).collect();
    Ok((headers, columns))
}

/// The column a header names, by the folded names each column accepts.
pub(crate) fn column_for<C: Copy>(aliases: &[(C, &[&str])], header: &str) -> Option<C> {
    let key = header_key(header);
    aliases
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(column, _)| *column)
}

/// The line where each record starts, counted from byte offsets (quoted fields may
/// span lines). Records come in order, so counting resumes where the last one stopped.
pub(crate) struct LineCounter<'t> {
    bytes: &'t [u8],
    counted: (usize, u64),
}

impl LineCounter<'_> {
    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        // csv reports a record's start before the previous terminator: skip line breaks first.
        let mut end = (byte as usize).min(self.bytes.len());
        while matches!(self.bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        let (from, line) = self.counted;
        let start = from.min(end);
        let line = line
            + self.bytes[start..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
        self.counted = (end, line);
        line
    }

    /// The refusal of data row `row`, which the CSV reader could not read at all.
    pub(crate) fn malformed(&mut self, row: u64, error: &csv::Error) -> RefusedRow {
        RefusedRow {
            row,
            line: error.position().map_or(0, |p| self.line_at(p.byte())),
            column: None,
            code: RowRefusal::MalformedRow.code().into(),
            message: error.to_string(),
        }
    }
}
