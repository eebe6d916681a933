//! The list that goes with a folder of ID photos: a CSV (from HR or a spreadsheet)
//! naming, on each row, a holder by their HR number, e-mail or name, and the photo
//! file that is theirs. Read with the same encoding and delimiter guessing as the
//! other imports.

use serde::{Deserialize, Serialize};
use sesame_core::ErrorCode;
use ts_rs::TS;

use crate::csv_sniff::{header_columns, Sniffed};
use crate::error::{Result, StoreError};
use crate::{RefusedRow, RowRefusal};

/// Most rows a photo list may have: an office's bulk import, not a census.
pub const MAX_PHOTO_LIST_ROWS: usize = 100_000;

/// What a photo file's holder is found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HolderKey {
    /// The HR (or student) number.
    HrId,
    Email,
    /// The family and given names, in any order, case and accents ignored.
    Name,
}

/// One row of a photo list: which file is whose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoListRow {
    #[ts(type = "number")]
    pub row: u64,
    pub file_name: String,
    /// The holder's HR number, e-mail or name, as written.
    pub key: String,
}

/// A photo list read: its rows, and the rows that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoList {
    pub rows: Vec<PhotoListRow>,
    pub refused: Vec<RefusedRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    File,
    HrId,
    Email,
    Name,
    FamilyName,
    GivenNames,
}

const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::File,
        &[
            "photo",
            "fichier",
            "fichier_photo",
            "file",
            "photo_file",
            "image",
        ],
    ),
    (
        Column::HrId,
        &[
            "matricule",
            "hr_id",
            "external_id",
            "numero_agent",
            "employee_id",
            "id_rh",
        ],
    ),
    (
        Column::Email,
        &[
            "email",
            "e_mail",
            "courriel",
            "mail",
            "adresse_electronique",
        ],
    ),
    (
        Column::Name,
        &["nom_complet", "full_name", "titulaire", "holder"],
    ),
    (
        Column::FamilyName,
        &[
            "nom",
            "nom_de_famille",
            "family_name",
            "last_name",
            "surname",
        ],
    ),
    (
        Column::GivenNames,
        &["prenom", "prenoms", "given_names", "first_name"],
    ),
];

/// Reads a photo list: the photo column and the column(s) `key` is found in (the
/// family and given name columns together make a name).
pub fn parse_photo_list(bytes: &[u8], key: HolderKey) -> Result<PhotoList> {
    let sniffed = Sniffed::new(bytes);
    let mut reader = sniffed.reader(true);
    let (_, columns) = header_columns(&mut reader, ALIASES)?;
    let at = |wanted: Column| columns.iter().position(|c| *c == Some(wanted));
    let file_at = at(Column::File);
    let key_at: Vec<usize> = match key {
        HolderKey::HrId => at(Column::HrId).into_iter().collect(),
        HolderKey::Email => at(Column::Email).into_iter().collect(),
        HolderKey::Name => match at(Column::Name) {
            Some(full) => vec![full],
            None => [at(Column::FamilyName), at(Column::GivenNames)]
                .into_iter()
                .flatten()
                .collect(),
        },
    };
    let mut missing = Vec::new();
    if file_at.is_none() {
        missing.push("photo".to_owned());
    }
    if key_at.is_empty() {
        missing.push(
            match key {
                HolderKey::HrId => "matricule",
                HolderKey::Email => "email",
                HolderKey::Name => "nom",
            }
            .to_owned(),
        );
    }
    if !missing.is_empty() {
        return Err(StoreError::CsvMissingColumns { columns: missing });
    }
    let file_at = file_at.expect("checked above");
    let mut lines = sniffed.lines();
    let mut list = PhotoList {
        rows: Vec::new(),
        refused: Vec::new(),
    };
    for (index, record) in reader.records().enumerate() {
        let row = index as u64 + 1;
        if row as usize > MAX_PHOTO_LIST_ROWS {
            return Err(StoreError::CsvTooLarge {
                rows: row as usize,
                max: MAX_PHOTO_LIST_ROWS,
            });
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                list.refused.push(lines.malformed(row, &e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let file_name = cell(file_at);
        let key_text = key_at
            .iter()
            .map(|i| cell(*i))
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let refuse = |column: &str, message: String| RefusedRow {
            row,
            line,
            column: Some(column.to_owned()),
            code: RowRefusal::MissingValue.code().into(),
            message,
        };
        if file_name.is_empty() {
            list.refused
                .push(refuse("photo", "no photo file named on this row".into()));
        } else if key_text.is_empty() {
            list.refused
                .push(refuse("key", "no holder named on this row".into()));
        } else {
            list.rows.push(PhotoListRow {
                row,
                file_name: file_name.to_owned(),
                key: key_text,
            });
        }
    }
    if list.rows.is_empty() && list.refused.is_empty() {
        return Err(StoreError::CsvEmpty);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_list_names_each_holders_photo() {
        let csv =
            "Matricule;Nom;Prénom;Fichier photo\nA123;Dupont;Zoé;a123.jpg\n;;;\nB456;Martin;Léo;\n";
        let list = parse_photo_list(csv.as_bytes(), HolderKey::HrId).unwrap();
        assert_eq!(
            list.rows,
            vec![PhotoListRow {
                row: 1,
                file_name: "a123.jpg".into(),
                key: "A123".into()
            }]
        );
        assert_eq!(list.refused.len(), 1);
        assert_eq!(list.refused[0].row, 3);
        assert_eq!(list.refused[0].code, "import.missing_value");
        let by_name = parse_photo_list(csv.as_bytes(), HolderKey::Name).unwrap();
        assert_eq!(by_name.rows[0].key, "Dupont Zoé");
    }

    #[test]
    fn a_list_without_the_key_column_says_which_is_missing() {
        let csv = "photo,nom\nz.jpg,Dupont\n";
        let err = parse_photo_list(csv.as_bytes(), HolderKey::Email).unwrap_err();
        assert_eq!(err.code(), "import.missing_columns");
        assert!(err.to_string().contains("email"), "{err}");
    }
}
