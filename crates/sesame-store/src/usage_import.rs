//! Reading the access-control system's usage log: one passage per row (badge number,
//! time, door), comma or semicolon, UTF-8 or Windows-1252, with or without a header.
//!
//! Nothing here touches the database (see `ops/usage.rs`, which matches badges).
//! Times without a zone are the access-control system's local time, taken as this
//! machine's time zone; times with an offset (`Z`, `+01:00`) keep it.

use crate::csv_import::parse_date;
use crate::csv_sniff::{column_for, Sniffed};
use crate::error::{Result, StoreError};
use crate::{RefusedRow, RowRefusal};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, TimeZone, Utc};
use sesame_core::ErrorCode;

/// Larger logs are refused whole (export a shorter period).
pub const MAX_USAGE_ROWS: usize = 2_000_000;
pub const MAX_USAGE_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Badge,
    Timestamp,
    Time,
    Door,
}

/// Header names, folded (lowercase, no accents, `_` for separators).
const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::Badge,
        &[
            "badge",
            "badge_number",
            "badge_no",
            "badge_id",
            "numero_badge",
            "numero_de_badge",
            "n_badge",
            "n_de_badge",
            "no_de_badge",
            "no_badge",
            "num_badge",
            "card",
            "card_number",
            "card_id",
            "card_uid",
            "uid",
            "carte",
            "numero_carte",
            "numero_de_carte",
            "serial",
            "identifiant_badge",
        ],
    ),
    (
        Column::Timestamp,
        &[
            "timestamp",
            "time_stamp",
            "datetime",
            "date_time",
            "date_heure",
            "date_et_heure",
            "horodatage",
            "event_time",
            "passage",
            "date_passage",
            "date_de_passage",
            "date",
        ],
    ),
    (Column::Time, &["heure", "time", "heure_passage"]),
    (
        Column::Door,
        &[
            "door",
            "porte",
            "lecteur",
            "reader",
            "acces",
            "point_d_acces",
            "access_point",
            "lieu",
            "location",
        ],
    ),
];

/// One passage read from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEvent {
    pub row: u64,
    pub line: u64,
    /// Badge number or card serial, as written.
    pub badge: String,
    pub seen_at: DateTime<Utc>,
    pub door: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ParsedUsage {
    pub encoding: &'static str,
    pub delimiter: char,
    pub rows_read: u64,
    pub events: Vec<UsageEvent>,
    pub refused: Vec<RefusedRow>,
}

fn column_label(column: Column) -> &'static str {
    match column {
        Column::Badge => "badge",
        Column::Timestamp => "timestamp",
        Column::Time => "time",
        Column::Door => "door",
    }
}

const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

const TIME_FORMATS: &[&str] = &["%H:%M:%S%.f", "%H:%M", "%Hh%M"];

/// A local time as an instant; in the hour skipped by a clock change, an hour later.
fn local_instant(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            Local
                .from_local_datetime(&(naive + chrono::TimeDelta::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// Times as access-control exports write them: ISO 8601 with or without offset,
/// French `31/12/2026 08:15[:00]`, or a bare date (midnight).
pub fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(value, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in NAIVE_FORMATS {
        if let Ok(naive) = NaiveDateTime::parse_from_str(value, format) {
            return local_instant(naive);
        }
    }
    if !value.contains(':') {
        return parse_date(value).and_then(|d| local_instant(d.and_time(NaiveTime::MIN)));
    }
    None
}

fn parse_time(value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    TIME_FORMATS
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(value, f).ok())
}

fn date_and_time(date: &str, time: &str) -> Option<DateTime<Utc>> {
    let day: NaiveDate = parse_date(date)?;
    if time.trim().is_empty() {
        return local_instant(day.and_time(NaiveTime::MIN));
    }
    local_instant(day.and_time(parse_time(time)?))
}

/// Parses a whole log. Errors only for what makes the file unusable: too large,
/// empty, or a header without the badge and time columns.
pub fn parse(bytes: &[u8]) -> Result<ParsedUsage> {
    if bytes.len() > MAX_USAGE_BYTES {
        return Err(StoreError::CsvUnreadable {
            reason: format!(
                "{} bytes is more than the {MAX_USAGE_BYTES} allowed",
                bytes.len()
            ),
        });
    }
    let sniffed = Sniffed::new(bytes);
    let mut reader = sniffed.reader(false);
    let mut records = reader.records().enumerate().peekable();

    // A header is recognised by its names; a log without one is read as
    // badge, time, door.
    let mut columns: Vec<Option<Column>> = vec![
        Some(Column::Badge),
        Some(Column::Timestamp),
        Some(Column::Door),
    ];
    let mut has_header = false;
    if let Some((_, Ok(first))) = records.peek() {
        let named: Vec<Option<Column>> = first.iter().map(|h| column_for(ALIASES, h)).collect();
        if named.contains(&Some(Column::Badge)) || named.contains(&Some(Column::Timestamp)) {
            let missing: Vec<String> = [Column::Badge, Column::Timestamp]
                .into_iter()
                .filter(|c| !named.contains(&Some(*c)))
                .map(|c| column_label(c).to_owned())
                .collect();
            if !missing.is_empty() {
                return Err(StoreError::CsvMissingColumns { columns: missing });
            }
            columns = named;
            has_header = true;
        }
    }
    if has_header {
        records.next();
    }
    let position = |column: Column| columns.iter().position(|c| *c == Some(column));
    let badge_at = position(Column::Badge);
    let time_at = position(Column::Timestamp);
    let clock_at = position(Column::Time);
    let door_at = position(Column::Door);

    let mut parsed = ParsedUsage {
        encoding: sniffed.encoding,
        delimiter: sniffed.delimiter,
        rows_read: 0,
        events: Vec::new(),
        refused: Vec::new(),
    };
    let first_data_index = usize::from(has_header);
    let mut lines = sniffed.lines();
    for (index, record) in records {
        let row = (index - first_data_index) as u64 + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                parsed.rows_read += 1;
                parsed.refused.push(lines.malformed(row, &e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        parsed.rows_read += 1;
        if parsed.rows_read as usize > MAX_USAGE_ROWS {
            return Err(StoreError::CsvTooLarge {
                rows: parsed.rows_read as usize,
                max: MAX_USAGE_ROWS,
            });
        }
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("").trim();
        let refuse = |column: Column, code: &str, message: String| RefusedRow {
            row,
            line,
            column: Some(column_label(column).to_owned()),
            code: code.to_owned(),
            message,
        };
        let badge = cell(badge_at);
        if badge.is_empty() {
            parsed.refused.push(refuse(
                Column::Badge,
                RowRefusal::BadgeMissing.code(),
                "no badge number on this row".into(),
            ));
            continue;
        }
        let time_text = cell(time_at);
        let seen_at = match clock_at {
            Some(_) => date_and_time(time_text, cell(clock_at)),
            None => parse_timestamp(time_text),
        };
        let Some(seen_at) = seen_at else {
            let shown = match clock_at {
                Some(_) => format!("{time_text} {}", cell(clock_at)),
                None => time_text.to_owned(),
            };
            parsed.refused.push(refuse(
                Column::Timestamp,
                RowRefusal::InvalidTimestamp.code(),
                format!(
                    "'{}' is not a date and time (e.g. 2026-11-20 08:15:00 or 20/11/2026 08:15)",
                    shown.trim()
                ),
            ));
            continue;
        };
        let door = Some(cell(door_at))
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        parsed.events.push(UsageEvent {
            row,
            line,
            badge: badge.to_owned(),
            // Both databases keep microseconds: what is compared later is what is stored.
            seen_at: seen_at.trunc_subsecs(6),
            door,
        });
    }
    if parsed.rows_read == 0 {
        return Err(StoreError::CsvEmpty);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        local_instant(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn timestamps_in_the_usual_shapes() {
        let expected = local(2026, 11, 20, 8, 15);
        for text in [
            "2026-11-20 08:15:00",
            "2026-11-20T08:15:00",
            "2026-11-20T08:15",
            "20/11/2026 08:15",
            "20/11/2026 08:15:00",
            "20.11.2026 08:15",
        ] {
            assert_eq!(parse_timestamp(text), Some(expected), "{text}");
        }
        assert_eq!(
            parse_timestamp("2026-11-20T08:15:00Z"),
            Some(Utc.with_ymd_and_hms(2026, 11, 20, 8, 15, 0).unwrap())
        );
        assert_eq!(
            parse_timestamp("2026-11-20T09:15:00+01:00"),
            Some(Utc.with_ymd_and_hms(2026, 11, 20, 8, 15, 0).unwrap())
        );
        assert_eq!(
            parse_timestamp("20/11/2026"),
            Some(local(2026, 11, 20, 0, 0))
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01 08:00",
            "32/01/2026 08:00",
            "08:15",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_a_french_log_with_header_and_separate_time() {
        let csv = "N° de badge;Date;Heure;Lecteur\r\nB000001;20/11/2026;08:15;Hall A\r\nB000002;21/11/2026;7h05;\r\n;21/11/2026;07:05;Hall B\r\nB000003;31/02/2026;07:05;Hall B\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(csv);
        let parsed = parse(&bytes).unwrap();
        assert_eq!(parsed.encoding, "windows-1252");
        assert_eq!(parsed.delimiter, ';');
        assert_eq!(parsed.rows_read, 4);
        assert_eq!(parsed.events.len(), 2);
        assert_eq!(parsed.events[0].badge, "B000001");
        assert_eq!(parsed.events[0].seen_at, local(2026, 11, 20, 8, 15));
        assert_eq!(parsed.events[0].door.as_deref(), Some("Hall A"));
        assert_eq!(parsed.events[1].seen_at, local(2026, 11, 21, 7, 5));
        assert_eq!(parsed.events[1].door, None);
        let codes: Vec<(u64, &str)> = parsed
            .refused
            .iter()
            .map(|r| (r.row, r.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![(3, "usage.badge_missing"), (4, "usage.invalid_timestamp")]
        );
        assert_eq!(parsed.refused[1].line, 5);
    }

    #[test]
    fn reads_a_log_without_header() {
        let parsed =
            parse(b"B000001,2026-11-20T08:15:00Z,Parking\nB000002,not a time,Parking\n").unwrap();
        assert_eq!(parsed.rows_read, 2);
        assert_eq!(parsed.events.len(), 1);
        assert_eq!(parsed.events[0].door.as_deref(), Some("Parking"));
        assert_eq!(parsed.refused[0].row, 2);
        assert_eq!(parsed.refused[0].code, "usage.invalid_timestamp");
    }

    #[test]
    fn unusable_files_are_refused_whole() {
        assert!(matches!(
            parse(b"badge;porte\nB1;Hall\n"),
            Err(StoreError::CsvMissingColumns { columns }) if columns == vec!["timestamp".to_owned()]
        ));
        assert!(matches!(
            parse(b"badge;date;porte\n"),
            Err(StoreError::CsvEmpty)
        ));
        assert!(matches!(parse(b""), Err(StoreError::CsvEmpty)));
    }
}
