//! Reading HR / intranet CSV exports into new requests.
//!
//! Accepts UTF-8 (with or without BOM) and Windows-1252, comma or semicolon, quoted
//! fields spanning lines, French or English column names and French or ISO dates.
//! Each row becomes a `NewRequest` or a `RefusedRow` saying why; nothing here touches
//! the database (see `ops/import.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use sesame_core::{DomainError, HolderDetails, Policy, RequestDetails, RequestKind};

pub use crate::csv_sniff::{decode, detect_delimiter};
use crate::csv_sniff::{header_columns, header_key, LineCounter, Sniffed};
use crate::error::{Result, StoreError};
use crate::{NewRequest, RefusedRow, RowRefusal};
use sesame_core::ErrorCode;

/// Larger files are refused whole: an import is one transaction.
pub const MAX_IMPORT_ROWS: usize = 100_000;
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Presence assumed when the file has no presence column (HR exports of permanent staff).
pub const DEFAULT_PRESENCE_DAYS: u8 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    FamilyName,
    GivenNames,
    Email,
    Phone,
    Organisation,
    Unit,
    Category,
    ExternalId,
    PresenceDays,
    MissionStart,
    MissionEnd,
    Kind,
    Zones,
    Services,
    WantedFrom,
    WantedUntil,
    Notes,
}

/// Header names accepted for each column, folded (lowercase, no accents, `_` for separators).
const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::FamilyName,
        &[
            "family_name",
            "familyname",
            "nom",
            "nom_de_famille",
            "nom_famille",
            "last_name",
            "lastname",
            "surname",
            "nom_d_usage",
        ],
    ),
    (
        Column::GivenNames,
        &[
            "given_names",
            "givennames",
            "given_name",
            "prenom",
            "prenoms",
            "first_name",
            "firstname",
        ],
    ),
    (
        Column::Email,
        &[
            "email",
            "e_mail",
            "courriel",
            "mail",
            "adresse_mail",
            "adresse_electronique",
        ],
    ),
    (
        Column::Phone,
        &["phone", "telephone", "tel", "portable", "mobile"],
    ),
    (
        Column::Organisation,
        &[
            "organisation",
            "organization",
            "organisme",
            "societe",
            "entreprise",
            "company",
            "employeur",
        ],
    ),
    (
        Column::Unit,
        &[
            "unit",
            "unite",
            "service",
            "departement",
            "department",
            "laboratoire",
            "labo",
        ],
    ),
    (
        Column::Category,
        &["category", "categorie", "statut", "population"],
    ),
    (
        Column::ExternalId,
        &[
            "external_id",
            "externalid",
            "matricule",
            "hr_number",
            "id_rh",
            "numero_rh",
            "identifiant",
        ],
    ),
    (
        Column::PresenceDays,
        &[
            "presence_days",
            "presence_days_per_week",
            "presencedaysperweek",
            "jours_presence",
            "jours_de_presence",
            "jours_par_semaine",
            "presence",
        ],
    ),
    (
        Column::MissionStart,
        &[
            "mission_start",
            "missionstart",
            "debut_mission",
            "date_debut",
            "date_de_debut",
            "start_date",
            "arrivee",
            "date_arrivee",
        ],
    ),
    (
        Column::MissionEnd,
        &[
            "mission_end",
            "missionend",
            "fin_mission",
            "date_fin",
            "date_de_fin",
            "end_date",
            "depart",
            "date_depart",
        ],
    ),
    (
        Column::Kind,
        &[
            "kind",
            "request_kind",
            "type_demande",
            "type_de_demande",
            "demande",
            "type",
        ],
    ),
    (Column::Zones, &["zones", "zone", "acces", "zones_d_acces"]),
    (Column::Services, &["services", "prestations"]),
    (
        Column::WantedFrom,
        &["wanted_from", "first_day", "premier_jour", "du"],
    ),
    (
        Column::WantedUntil,
        &["wanted_until", "last_day", "dernier_jour", "au"],
    ),
    (
        Column::Notes,
        &[
            "notes",
            "note",
            "commentaire",
            "commentaires",
            "remarques",
            "observations",
        ],
    ),
];

const REQUIRED: &[(Column, &str)] = &[
    (Column::FamilyName, "family_name / nom"),
    (Column::GivenNames, "given_names / prenom"),
    (Column::Category, "category / categorie"),
];

/// A row turned into a request, with where it came from.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: u64,
    pub line: u64,
    pub request: NewRequest,
}

/// The rows of a whole file, read at once (tests, benchmarks; the import streams
/// them through [`CsvFile::rows`]).
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub encoding: &'static str,
    pub delimiter: char,
    pub rows_read: u64,
    pub rows: Vec<ParsedRow>,
    pub refused: Vec<RefusedRow>,
}

fn column_name(column: Column) -> &'static str {
    ALIASES
        .iter()
        .find(|(c, _)| *c == column)
        .map_or("?", |(_, names)| names[0])
}

/// Dates as HR tools write them: 2026-03-31, 31/03/2026, 31-03-2026, 31.03.2026, 31/03/26.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let value = value.split([' ', 'T']).next().unwrap_or(value);
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = value.split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let day: u32 = day.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    let year: i32 = match year.len() {
        4 => year.parse().ok()?,
        // Two-digit years are this century: HR dates are recent or near future.
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Request kinds by code or by the words a French or English office uses.
pub fn parse_kind(value: &str) -> Option<RequestKind> {
    let key = header_key(value);
    if key.is_empty() {
        return Some(RequestKind::NewBadge);
    }
    if let Some(kind) = RequestKind::parse(&key) {
        return Some(kind);
    }
    Some(match key.as_str() {
        "new" | "nouveau" | "nouveau_badge" | "creation" | "premiere_demande" => {
            RequestKind::NewBadge
        }
        "renouvellement" | "prolongation" | "renew" | "extension" => RequestKind::Renewal,
        "remplacement" | "perte" | "vol" | "replace" => RequestKind::Replacement,
        "transfert" | "transfert_d_acces" | "transfer_of_accreditations" => RequestKind::Transfer,
        "zone" | "acces_zone" | "acces_zone_securisee" | "zone_securisee" => {
            RequestKind::ZoneAccess
        }
        "visiteur" | "visitor" | "journee" | "pass_journee" | "badge_journee" | "day" => {
            RequestKind::DayPass
        }
        _ => return None,
    })
}

/// Category by key or by its French or English label, as configured.
fn parse_category(policy: &Policy, value: &str) -> Option<String> {
    let key = header_key(value);
    policy
        .categories
        .iter()
        .find(|c| c.key == key || header_key(&c.label_fr) == key || header_key(&c.label_en) == key)
        .map(|c| c.key.clone())
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(['|', ',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

struct RowProblem {
    column: Option<Column>,
    code: &'static str,
    message: String,
}

/// A file whose header has been checked, its rows still to read.
pub struct CsvFile {
    sniffed: Sniffed,
    columns: Vec<Option<Column>>,
}

/// Opens a file: refuses what makes it unusable as a whole (too large, no header,
/// missing required columns); its encoding always decodes.
pub fn open(bytes: &[u8]) -> Result<CsvFile> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(StoreError::CsvFileTooLarge {
            bytes: bytes.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    let sniffed = Sniffed::new(bytes);
    let (headers, columns) = header_columns(&mut sniffed.reader(true), ALIASES)?;
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(StoreError::CsvEmpty);
    }
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|(column, _)| !columns.contains(&Some(*column)))
        .map(|(_, name)| (*name).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::CsvMissingColumns { columns: missing });
    }
    Ok(CsvFile { sniffed, columns })
}

impl CsvFile {
    /// `utf-8` or `windows-1252`.
    pub fn encoding(&self) -> &'static str {
        self.sniffed.encoding
    }

    pub fn delimiter(&self) -> char {
        self.sniffed.delimiter
    }

    /// The decoded text's length, against which [`CsvRows::bytes_read`] measures progress.
    pub fn text_bytes(&self) -> u64 {
        self.sniffed.text.len() as u64
    }

    /// The data rows, read on demand: only the rows of one chunk are held at a time.
    pub fn rows<'f>(&'f self, policy: &'f Policy) -> CsvRows<'f> {
        CsvRows {
            columns: &self.columns,
            policy,
            records: self.sniffed.reader(true).into_records(),
            lines: self.sniffed.lines(),
            seen: HashMap::new(),
            index: 0,
            rows_read: 0,
            bytes_read: 0,
            text_bytes: self.text_bytes(),
            refused: Vec::new(),
        }
    }
}

/// The rows of a [`CsvFile`], a chunk at a time, with the refusals so far.
pub struct CsvRows<'f> {
    columns: &'f [Option<Column>],
    policy: &'f Policy,
    records: csv::StringRecordsIntoIter<&'f [u8]>,
    lines: LineCounter<'f>,
    /// The first row of each (HR number, kind), to refuse repeats.
    seen: HashMap<(String, RequestKind), u64>,
    index: u64,
    rows_read: u64,
    bytes_read: u64,
    text_bytes: u64,
    refused: Vec<RefusedRow>,
}

impl CsvRows<'_> {
    /// Up to `max` rows turned into requests (fewer at the end; none when the file
    /// is read). Refused rows are kept for [`CsvRows::finish`]; a file past
    /// [`MAX_IMPORT_ROWS`] is an error.
    pub fn next_chunk(&mut self, max: usize) -> Result<Vec<ParsedRow>> {
        let mut chunk = Vec::with_capacity(max.min(1024));
        while chunk.len() < max {
            let Some(record) = self.records.next() else {
                self.bytes_read = self.text_bytes; // read to the end, whatever the last offset said
                break;
            };
            self.index += 1;
            let row = self.index;
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    self.refused.push(self.lines.malformed(row, &e));
                    self.rows_read += 1;
                    continue;
                }
            };
            let line = match record.position() {
                Some(position) => {
                    self.bytes_read = position.byte().min(self.text_bytes);
                    self.lines.line_at(position.byte())
                }
                None => 0,
            };
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue; // blank lines at the end of spreadsheet exports
            }
            self.rows_read += 1;
            if self.rows_read as usize > MAX_IMPORT_ROWS {
                return Err(StoreError::CsvTooLarge {
                    rows: self.rows_read as usize,
                    max: MAX_IMPORT_ROWS,
                });
            }
            match parse_record(&record, self.columns, self.policy) {
                Ok(request) => match self.first_with_same_key(&request, row) {
                    Some(first) => self.refused.push(RefusedRow {
                        row,
                        line,
                        column: Some(column_name(Column::ExternalId).into()),
                        code: RowRefusal::DuplicateRow.code().into(),
                        message: format!("same HR number and request kind as row {first}"),
                    }),
                    None => chunk.push(ParsedRow { row, line, request }),
                },
                Err(problem) => self.refused.push(RefusedRow {
                    row,
                    line,
                    column: problem.column.map(|c| column_name(c).to_owned()),
                    code: problem.code.into(),
                    message: problem.message,
                }),
            }
        }
        Ok(chunk)
    }

    /// The earlier row with this request's HR number and kind, if any (else this
    /// row becomes the first).
    fn first_with_same_key(&mut self, request: &NewRequest, row: u64) -> Option<u64> {
        let key = (
            request.holder.external_id.as_ref()?.trim().to_owned(),
            request.request.kind,
        );
        match self.seen.get(&key) {
            Some(first) => Some(*first),
            None => {
                self.seen.insert(key, row);
                None
            }
        }
    }

    /// Data rows read so far (blank lines aside).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// How far into the decoded text the reader is (at most [`CsvFile::text_bytes`]).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Refused rows so far: a row the reader could not read, a value refused, a repeat.
    pub fn refused(&self) -> &[RefusedRow] {
        &self.refused
    }

    /// The rows read and the refusals, once every chunk was taken; a file with no
    /// data row is an error.
    pub fn finish(self) -> Result<(u64, Vec<RefusedRow>)> {
        if self.rows_read == 0 {
            return Err(StoreError::CsvEmpty);
        }
        Ok((self.rows_read, self.refused))
    }
}

/// Parses a whole file at once.
pub fn parse(bytes: &[u8], policy: &Policy) -> Result<ParsedFile> {
    let file = open(bytes)?;
    let mut rows = file.rows(policy);
    let mut all = Vec::new();
    loop {
        let chunk = rows.next_chunk(1024)?;
        if chunk.is_empty() {
            break;
        }
        all.extend(chunk);
    }
    let (rows_read, refused) = rows.finish()?;
    Ok(ParsedFile {
        encoding: file.encoding(),
        delimiter: file.delimiter(),
        rows_read,
        rows: all,
        refused,
    })
}

fn parse_record(
    record: &csv::StringRecord,
    columns: &[Option<Column>],
    policy: &Policy,
) -> std::result::Result<NewRequest, RowProblem> {
    let cell = |wanted: Column| -> Option<&str> {
        columns
            .iter()
            .position(|c| *c == Some(wanted))
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let text_of = |c: Column| cell(c).map(str::to_owned);
    let date_of = |c: Column| -> std::result::Result<Option<NaiveDate>, RowProblem> {
        match cell(c) {
            None => Ok(None),
            Some(value) => parse_date(value).map(Some).ok_or_else(|| RowProblem {
                column: Some(c),
                code: RowRefusal::InvalidDate.code(),
                message: format!("'{value}' is not a date (use 2026-03-31 or 31/03/2026)"),
            }),
        }
    };

    let category_text = cell(Column::Category).unwrap_or("");
    let category = parse_category(policy, category_text).ok_or_else(|| {
        let unknown = DomainError::UnknownCategory {
            value: category_text.to_owned(),
        };
        RowProblem {
            column: Some(Column::Category),
            code: unknown.code(),
            message: unknown.to_string(),
        }
    })?;
    let presence = match cell(Column::PresenceDays) {
        None => DEFAULT_PRESENCE_DAYS,
        Some(value) => value
            .parse::<u8>()
            .ok()
            .filter(|d| *d <= 7)
            .ok_or_else(|| RowProblem {
                column: Some(Column::PresenceDays),
                code: RowRefusal::InvalidNumber.code(),
                message: format!("'{value}' is not a whole number of days between 0 and 7"),
            })?,
    };
    let kind_text = cell(Column::Kind).unwrap_or("");
    let kind = parse_kind(kind_text).ok_or_else(|| RowProblem {
        column: Some(Column::Kind),
        code: RowRefusal::InvalidKind.code(),
        message: format!("unknown request kind '{kind_text}'"),
    })?;
    let holder = HolderDetails {
        family_name: text_of(Column::FamilyName).unwrap_or_default(),
        given_names: text_of(Column::GivenNames).unwrap_or_default(),
        email: text_of(Column::Email),
        phone: text_of(Column::Phone),
        organisation: text_of(Column::Organisation),
        unit: text_of(Column::Unit),
        category,
        external_id: text_of(Column::ExternalId),
        presence_days_per_week: presence,
        mission_start: date_of(Column::MissionStart)?,
        mission_end: date_of(Column::MissionEnd)?,
    };
    let mut request = RequestDetails::new(kind);
    request.zones = cell(Column::Zones).map(split_list).unwrap_or_default();
    request.services = cell(Column::Services).map(split_list).unwrap_or_default();
    request.wanted_from = date_of(Column::WantedFrom)?;
    request.wanted_until = date_of(Column::WantedUntil)?;
    request.notes = text_of(Column::Notes);
    Ok(NewRequest {
        holder_id: None,
        holder,
        request,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn decodes_utf8_bom_and_windows_1252() {
        assert_eq!(
            decode("\u{feff}Zoé".as_bytes()),
            ("Zoé".to_owned(), "utf-8")
        );
        assert_eq!(decode(b"Zo\xe9 \x9c"), ("Zoé œ".to_owned(), "windows-1252"));
    }

    #[test]
    fn delimiter_detection_ignores_quoted_text() {
        assert_eq!(detect_delimiter("nom;prenom;categorie\n"), ';');
        assert_eq!(detect_delimiter("nom,prenom,categorie\n"), ',');
        assert_eq!(detect_delimiter("\"a;b;c;d\",prenom,categorie\n"), ',');
    }

    #[test]
    fn dates_in_french_and_iso() {
        assert_eq!(parse_date("2026-03-31"), Some(d(2026, 3, 31)));
        assert_eq!(parse_date("31/03/2026"), Some(d(2026, 3, 31)));
        assert_eq!(parse_date("31.03.26"), Some(d(2026, 3, 31)));
        assert_eq!(parse_date("2026-03-31 00:00:00"), Some(d(2026, 3, 31)));
        assert_eq!(parse_date("31/13/2026"), None);
        assert_eq!(parse_date("demain"), None);
    }

    #[test]
    fn kinds_in_words() {
        assert_eq!(parse_kind(""), Some(RequestKind::NewBadge));
        assert_eq!(parse_kind("Renouvellement"), Some(RequestKind::Renewal));
        assert_eq!(
            parse_kind("Accès zone sécurisée"),
            Some(RequestKind::ZoneAccess)
        );
        assert_eq!(parse_kind("day_pass"), Some(RequestKind::DayPass));
        assert_eq!(parse_kind("bof"), None);
    }

    #[test]
    fn parses_a_french_file_with_quoted_newlines() {
        let csv = "\u{feff}Nom;Prénom;Courriel;Catégorie;Matricule;Jours de présence;Fin mission;Zones;Commentaire\r\n\
                   Martin;Zoé;zoe@example.fr;Personnel;HR1;3;31/12/2027;\"Bât A|Parking\";\"ligne 1\nligne 2\"\r\n\
                   Durand;Léo;;Martien;HR2;5;;;\r\n\
                   Petit;Ana;;staff;HR3;huit;;;\r\n\
                   Martin;Zoé;;staff;HR1;3;;;\r\n\
                   ;;;;;;;;\r\n";
        let parsed = parse(csv.as_bytes(), &Policy::default()).unwrap();
        assert_eq!(parsed.encoding, "utf-8");
        assert_eq!(parsed.delimiter, ';');
        assert_eq!(parsed.rows_read, 4);
        assert_eq!(parsed.rows.len(), 1);
        let first = &parsed.rows[0].request;
        assert_eq!(first.holder.given_names, "Zoé");
        assert_eq!(first.holder.category, "staff");
        assert_eq!(first.holder.presence_days_per_week, 3);
        assert_eq!(first.holder.mission_end, Some(d(2027, 12, 31)));
        assert_eq!(first.request.zones, vec!["Bât A", "Parking"]);
        assert_eq!(first.request.notes.as_deref(), Some("ligne 1\nligne 2"));
        let codes: Vec<(u64, &str)> = parsed
            .refused
            .iter()
            .map(|r| (r.row, r.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (2, "holder.unknown_category"),
                (3, "import.invalid_number"),
                (4, "import.duplicate_row")
            ]
        );
        // the quoted newline pushes the next record's line number
        assert_eq!(parsed.refused[0].line, 4, "{:?}", parsed.refused);
        assert_eq!(parsed.refused[1].column.as_deref(), Some("presence_days"));
    }

    #[test]
    fn windows_1252_comma_file() {
        let bytes =
            b"family_name,given_names,category,email\r\nL\xe9vy,No\xebl,visitor,noel@ex.org\r\n";
        let parsed = parse(bytes, &Policy::default()).unwrap();
        assert_eq!(parsed.encoding, "windows-1252");
        assert_eq!(parsed.rows[0].request.holder.family_name, "Lévy");
        assert_eq!(parsed.rows[0].request.holder.given_names, "Noël");
        assert_eq!(
            parsed.rows[0].request.holder.presence_days_per_week,
            DEFAULT_PRESENCE_DAYS
        );
    }

    #[test]
    fn whole_file_errors() {
        assert!(matches!(
            parse(b"nom;prenom\nA;B\n", &Policy::default()),
            Err(StoreError::CsvMissingColumns { columns }) if columns == vec!["category / categorie"]
        ));
        assert!(matches!(
            parse(b"nom;prenom;categorie\n", &Policy::default()),
            Err(StoreError::CsvEmpty)
        ));
        assert!(matches!(
            parse(b"", &Policy::default()),
            Err(StoreError::CsvEmpty)
        ));
    }
}
