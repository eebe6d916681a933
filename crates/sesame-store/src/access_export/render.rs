//! A profile's file: its lines, cells and bytes.

use chrono::NaiveDate;
use encoding_rs::WINDOWS_1252;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::csv_export::neutralise;
use crate::error::{Result, StoreError};
use crate::{
    BadgeRow, ExportColumn, ExportDateFormat, ExportEncoding, ExportField, ExportFileFormat,
    ExportProfile,
};

/// A badge to write, with its photo's file as written beside the file.
pub struct ExportLine<'a> {
    pub row: &'a BadgeRow,
    pub photo_file: Option<String>,
    pub photo_path: Option<String>,
}

/// The file's bytes, and how many lines had a letter written without its accent
/// (the encoding lacks it).
#[derive(Debug)]
pub struct RenderedFile {
    pub bytes: Vec<u8>,
    pub folded_lines: u32,
}

/// Whether `delimiter` can separate cells: one ASCII punctuation or blank, not `"`.
pub fn usable_delimiter(delimiter: char) -> bool {
    delimiter.is_ascii()
        && delimiter != '"'
        && !delimiter.is_ascii_alphanumeric()
        && !matches!(delimiter, '\r' | '\n')
}

/// Writes the profile's file for `lines`, in their order.
pub fn render(profile: &ExportProfile, lines: &[ExportLine<'_>]) -> Result<RenderedFile> {
    let format = &profile.file;
    if !usable_delimiter(format.delimiter) {
        return Err(StoreError::Export(format!(
            "'{}' cannot be a CSV delimiter",
            format.delimiter
        )));
    }
    let mut writer = csv::WriterBuilder::new()
        .delimiter(format.delimiter as u8)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let export_error = |e: csv::Error| StoreError::Export(e.to_string());
    let mut folded_lines = 0;
    if format.header_line {
        let header: Vec<String> = profile
            .columns
            .iter()
            .map(|c| encodable(&c.header, format.encoding).0)
            .collect();
        writer.write_record(&header).map_err(export_error)?;
    }
    for line in lines {
        let mut folded = false;
        let cells: Vec<String> = profile
            .columns
            .iter()
            .map(|column| {
                let (text, changed) = encodable(&cell(profile, column, line), format.encoding);
                folded |= changed;
                text
            })
            .collect();
        folded_lines += u32::from(folded);
        writer.write_record(&cells).map_err(export_error)?;
    }
    let text = writer
        .into_inner()
        .map_err(|e| StoreError::Export(e.to_string()))?;
    let text = String::from_utf8(text).map_err(|e| StoreError::Export(e.to_string()))?;
    let bytes = match format.encoding {
        ExportEncoding::Utf8 => text.into_bytes(),
        ExportEncoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        ExportEncoding::Windows1252 => WINDOWS_1252.encode(&text).0.into_owned(),
    };
    Ok(RenderedFile {
        bytes,
        folded_lines,
    })
}

/// One cell. What comes from a holder (names, addresses, organisations) is
/// neutralised against spreadsheet formulas, as every CSV the desk writes; what the
/// office wrote itself (fixed texts, status words, the facility code) is written as
/// given: an access-control format may need a leading `+` or `-`.
fn cell(profile: &ExportProfile, column: &ExportColumn, line: &ExportLine<'_>) -> String {
    let row = line.row;
    let badge = &row.badge;
    let format = &profile.file;
    let holder = |text: &str| neutralise(text);
    let optional = |text: &Option<String>| holder(text.as_deref().unwrap_or_default());
    match column.field {
        ExportField::BadgeNumber => holder(&badge.number),
        ExportField::HolderId => badge.holder_id.to_string(),
        ExportField::CardSerial => optional(&badge.card_serial),
        ExportField::FacilityCode => profile.facility_code.clone(),
        ExportField::FamilyName => holder(&row.family_name),
        ExportField::GivenNames => holder(&row.given_names),
        ExportField::FullName => holder(&format!("{} {}", row.given_names, row.family_name)),
        ExportField::Email => optional(&row.email),
        ExportField::Organisation => optional(&row.organisation),
        ExportField::Unit => optional(&row.unit),
        ExportField::Category => holder(&row.category),
        ExportField::ExternalId => optional(&row.external_id),
        ExportField::ValidFrom => date(badge.valid_from, format.date_format, false),
        ExportField::ValidUntil => date(badge.valid_until, format.date_format, true),
        ExportField::Status => status_word(format, badge.status),
        ExportField::Zones => holder(&badge.zones.join(&format.zone_separator)),
        ExportField::PhotoFile => line.photo_file.clone().unwrap_or_default(),
        ExportField::PhotoPath => line.photo_path.clone().unwrap_or_default(),
        ExportField::Fixed => column.text.clone(),
    }
}

fn status_word(format: &ExportFileFormat, status: sesame_core::BadgeStatus) -> String {
    format
        .status_words
        .iter()
        .find(|w| w.status == status)
        .map(|w| w.word.clone())
        .unwrap_or_else(|| status.as_str().to_owned())
}

/// A day as the format writes it; in `IsoUtc`, a validity's last day ends at 23:59:59.
pub fn date(day: NaiveDate, format: ExportDateFormat, last_day: bool) -> String {
    match format {
        ExportDateFormat::Iso => day.format("%Y-%m-%d").to_string(),
        ExportDateFormat::IsoUtc if last_day => day.format("%Y-%m-%dT23:59:59Z").to_string(),
        ExportDateFormat::IsoUtc => day.format("%Y-%m-%dT00:00:00Z").to_string(),
        ExportDateFormat::DayMonthYear => day.format("%d/%m/%Y").to_string(),
        ExportDateFormat::MonthDayYear => day.format("%m/%d/%Y").to_string(),
        ExportDateFormat::YearMonthDay => day.format("%Y/%m/%d").to_string(),
    }
}

/// `text` with every character the encoding can write, and whether a letter lost
/// its accent (or, having no plain form, became `?`) on the way.
fn encodable(text: &str, encoding: ExportEncoding) -> (String, bool) {
    if encoding != ExportEncoding::Windows1252 || text.is_ascii() {
        return (text.to_owned(), false);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for c in text.chars() {
        if in_windows_1252(c) {
            out.push(c);
            continue;
        }
        changed = true;
        let plain: String = c
            .to_string()
            .nfkd()
            .filter(|d| !is_combining_mark(*d) && in_windows_1252(*d))
            .collect();
        match (plain.is_empty(), c) {
            (false, _) => out.push_str(&plain),
            (true, 'đ') => out.push('d'),
            (true, 'Đ') => out.push('D'),
            (true, 'ł') => out.push('l'),
            (true, 'Ł') => out.push('L'),
            (true, _) => out.push('?'),
        }
    }
    (out, changed)
}

fn in_windows_1252(c: char) -> bool {
    c.is_ascii() || !WINDOWS_1252.encode(c.encode_utf8(&mut [0; 4])).2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_windows_1252_lacks_lose_their_accent_only() {
        let win = ExportEncoding::Windows1252;
        assert_eq!(encodable("Zoé Müller", win), ("Zoé Müller".into(), false));
        assert_eq!(encodable("Œuvre €", win), ("Œuvre €".into(), false));
        assert_eq!(encodable("Nguyễn Đức", win), ("Nguyen Duc".into(), true));
        assert_eq!(
            encodable("Łukasz Wałęsa", win),
            ("Lukasz Walesa".into(), true)
        );
        assert_eq!(encodable("李", win), ("?".into(), true));
        assert_eq!(
            encodable("Nguyễn", ExportEncoding::Utf8),
            ("Nguyễn".into(), false)
        );
    }

    #[test]
    fn dates_in_each_format() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 9).unwrap();
        assert_eq!(date(day, ExportDateFormat::Iso, false), "2027-03-09");
        assert_eq!(
            date(day, ExportDateFormat::IsoUtc, false),
            "2027-03-09T00:00:00Z"
        );
        assert_eq!(
            date(day, ExportDateFormat::IsoUtc, true),
            "2027-03-09T23:59:59Z"
        );
        assert_eq!(
            date(day, ExportDateFormat::DayMonthYear, true),
            "09/03/2027"
        );
        assert_eq!(
            date(day, ExportDateFormat::MonthDayYear, true),
            "03/09/2027"
        );
        assert_eq!(
            date(day, ExportDateFormat::YearMonthDay, true),
            "2027/03/09"
        );
    }

    #[test]
    fn delimiters() {
        for good in [',', ';', '\t', '|', ' '] {
            assert!(usable_delimiter(good), "{good:?}");
        }
        for bad in ['"', 'a', '1', '\n', 'é'] {
            assert!(!usable_delimiter(bad), "{bad:?}");
        }
    }
}
