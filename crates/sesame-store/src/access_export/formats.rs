//! The formats Sésame ships: profiles matching what access-control systems document
//! for their CSV imports. An office starts a profile from one and adapts it (its
//! facility code, its statuses, its photo size).

use sesame_core::BadgeStatus;

use crate::{
    ExportColumn, ExportDateFormat, ExportEncoding, ExportField, ExportFileFormat, ExportProfile,
    ExportSelection, PhotoExport, StatusWord,
};

/// Every badge that ever worked: the access-control system learns of the ones that
/// stopped as well as of the working ones.
const EVER_ISSUED: [BadgeStatus; 6] = [
    BadgeStatus::Active,
    BadgeStatus::Suspended,
    BadgeStatus::Opposed,
    BadgeStatus::Expired,
    BadgeStatus::Deactivated,
    BadgeStatus::Returned,
];

fn column(field: ExportField, header: &str) -> ExportColumn {
    ExportColumn {
        field,
        header: header.to_owned(),
        text: String::new(),
    }
}

fn fixed(header: &str, text: &str) -> ExportColumn {
    ExportColumn {
        field: ExportField::Fixed,
        header: header.to_owned(),
        text: text.to_owned(),
    }
}

fn words(pairs: &[(BadgeStatus, &str)]) -> Vec<StatusWord> {
    pairs
        .iter()
        .map(|(status, word)| StatusWord {
            status: *status,
            word: (*word).to_owned(),
        })
        .collect()
}

/// Genetec's cardholder states: active, expired, or inactive for the rest.
fn genetec_states() -> Vec<StatusWord> {
    use BadgeStatus::*;
    words(&[
        (Issued, "Inactive"),
        (Active, "Active"),
        (Suspended, "Inactive"),
        (Opposed, "Inactive"),
        (Expired, "Expired"),
        (Deactivated, "Inactive"),
        (Returned, "Inactive"),
    ])
}

/// Sésame's own columns (those of the badge export), for a system the office maps
/// itself.
pub fn sesame() -> ExportProfile {
    use ExportField::*;
    ExportProfile {
        id: "sesame".into(),
        name: "Sésame".into(),
        format: Some("sesame".into()),
        selection: ExportSelection {
            statuses: vec![BadgeStatus::Active],
            ..ExportSelection::default()
        },
        columns: vec![
            column(BadgeNumber, "badge_number"),
            column(CardSerial, "card_serial"),
            column(Status, "status"),
            column(ValidFrom, "valid_from"),
            column(ValidUntil, "valid_until"),
            column(FamilyName, "family_name"),
            column(GivenNames, "given_names"),
            column(Email, "email"),
            column(Organisation, "organisation"),
            column(Unit, "unit"),
            column(Category, "category"),
            column(ExternalId, "external_id"),
            column(Zones, "zones"),
        ],
        file: ExportFileFormat {
            delimiter: ';',
            encoding: ExportEncoding::Utf8Bom,
            header_line: true,
            date_format: ExportDateFormat::Iso,
            zone_separator: "|".into(),
            status_words: Vec::new(),
        },
        photos: None,
        every_days: None,
        facility_code: String::new(),
    }
}

/// Genetec Security Center, Config Tool's Import tool ("Importing cardholders and
/// credentials"): the tool binds each column to a field, so the headers name the
/// fields as its "Database fields supported by the Import tool" page does; the
/// first line is skipped with "Start at line: 2"; the picture is a path and file
/// name; the card format is one of its names ("Standard 26 bits" to "FASC-N 200").
pub fn genetec_import_tool() -> ExportProfile {
    use ExportField::*;
    ExportProfile {
        id: "genetec-import-tool".into(),
        name: "Genetec Security Center — Import tool".into(),
        format: Some("genetec-import-tool".into()),
        selection: ExportSelection {
            statuses: EVER_ISSUED.to_vec(),
            ..ExportSelection::default()
        },
        columns: vec![
            column(GivenNames, "Cardholder first name"),
            column(FamilyName, "Cardholder last name"),
            column(Email, "Cardholder email"),
            column(BadgeNumber, "Cardholder description"),
            column(Category, "Cardholder group"),
            column(Status, "Cardholder status"),
            column(ValidFrom, "Cardholder activation date"),
            column(ValidUntil, "Cardholder expiration date"),
            column(PhotoPath, "Picture"),
            column(BadgeNumber, "Credential name"),
            fixed("Card format", "Standard 26 bits"),
            column(FacilityCode, "Facility code"),
            column(CardSerial, "Card number"),
            column(Status, "Credential status"),
            column(ValidFrom, "Credential activation date"),
            column(ValidUntil, "Credential expiry date"),
        ],
        file: ExportFileFormat {
            delimiter: ',',
            encoding: ExportEncoding::Utf8,
            header_line: true,
            date_format: ExportDateFormat::Iso,
            zone_separator: "|".into(),
            status_words: genetec_states(),
        },
        photos: Some(PhotoExport {
            width: 300,
            height: 400,
        }),
        every_days: None,
        facility_code: String::new(),
    }
}

/// Genetec's Card Synchronization plugin, cardholders schema: fixed column names,
/// dates in ISO 8601 UTC (`2018-06-28T22:15:00Z`), `State` as Active, Expired or
/// Inactive, `Picture` a path the server can reach.
pub fn genetec_card_sync() -> ExportProfile {
    use ExportField::*;
    ExportProfile {
        id: "genetec-card-sync".into(),
        name: "Genetec Card Synchronization — cardholders".into(),
        format: Some("genetec-card-sync".into()),
        selection: ExportSelection {
            statuses: EVER_ISSUED.to_vec(),
            ..ExportSelection::default()
        },
        columns: vec![
            column(HolderId, "UniqueId"),
            column(GivenNames, "FirstName"),
            column(FamilyName, "LastName"),
            column(Email, "EmailAddress"),
            column(PhotoPath, "Picture"),
            column(Status, "State"),
            column(ValidFrom, "ActivationDateInUtc"),
            column(ValidUntil, "ExpirationDateInUtc"),
        ],
        file: ExportFileFormat {
            delimiter: ',',
            encoding: ExportEncoding::Utf8,
            header_line: true,
            date_format: ExportDateFormat::IsoUtc,
            zone_separator: "|".into(),
            status_words: genetec_states(),
        },
        photos: Some(PhotoExport {
            width: 300,
            height: 400,
        }),
        every_days: None,
        facility_code: String::new(),
    }
}

/// Kantech EntraPass, an import pattern ("Creating a New Import/Export Pattern"): the
/// pattern fixes the order, so the file has no header line; `+` adds or modifies a
/// card; the card state is 0 valid, 1 invalid, 2 stolen or lost; dates YYYY/MM/DD.
pub fn kantech_entrapass() -> ExportProfile {
    use BadgeStatus::*;
    use ExportField::*;
    ExportProfile {
        id: "kantech-entrapass".into(),
        name: "Kantech EntraPass — import pattern".into(),
        format: Some("kantech-entrapass".into()),
        selection: ExportSelection {
            statuses: EVER_ISSUED.to_vec(),
            ..ExportSelection::default()
        },
        columns: vec![
            fixed("Operation", "+"),
            column(CardSerial, "Card number"),
            column(FullName, "User name"),
            column(Status, "Card state"),
            column(ValidFrom, "Start date"),
            column(ValidUntil, "End date"),
            column(Organisation, "Info 1"),
            column(BadgeNumber, "Info 2"),
        ],
        file: ExportFileFormat {
            delimiter: ',',
            encoding: ExportEncoding::Windows1252,
            header_line: false,
            date_format: ExportDateFormat::YearMonthDay,
            zone_separator: "|".into(),
            status_words: words(&[
                (Issued, "1"),
                (Active, "0"),
                (Suspended, "1"),
                (Opposed, "2"),
                (Expired, "1"),
                (Deactivated, "1"),
                (Returned, "1"),
            ]),
        },
        photos: None,
        every_days: None,
        facility_code: String::new(),
    }
}

/// The shipped formats, in the order the settings offer them.
pub fn formats() -> Vec<ExportProfile> {
    vec![
        sesame(),
        genetec_import_tool(),
        genetec_card_sync(),
        kantech_entrapass(),
    ]
}
