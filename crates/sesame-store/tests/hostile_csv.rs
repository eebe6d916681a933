//! Hostile CSV files: random bytes, broken quoting, odd encodings, huge
//! fields and formula-looking cells never panic the parser; a file is either read
//! (each row accepted or refused with a reason) or refused whole with an import code.
//! Oversized files are refused by size before parsing.

use proptest::prelude::*;
use sesame_core::{ErrorCode, Policy};
use sesame_store::csv_import::{parse, MAX_IMPORT_BYTES};

const FILE_CODES: &[&str] = &[
    "import.unreadable",
    "import.missing_columns",
    "import.empty",
    "import.too_large",
    "import.file_too_large",
];

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse(bytes, &Policy::default()) {
        Ok(parsed) => {
            // Whatever came in, what goes on is bounded by the file's own lines.
            let lines = bytes
                .iter()
                .filter(|b| **b == b'\n' || **b == b'\r')
                .count()
                + 1;
            prop_assert!(parsed.rows.len() + parsed.refused.len() <= lines);
        }
        Err(error) => prop_assert!(
            FILE_CODES.contains(&error.code()),
            "unexpected code {} ({error})",
            error.code()
        ),
    }
    Ok(())
}

/// Cells that have hurt CSV parsers and spreadsheets: quotes, separators, line
/// breaks, formulas, HTML, control characters, non-UTF-8 bytes, long values.
fn cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[A-Za-zÀ-ÿ' -]{0,30}".prop_map(String::into_bytes),
        Just(b"\"".to_vec()),
        Just(b"\"\"\"".to_vec()),
        Just(b"\"a;b\nc\"".to_vec()),
        Just(b"=HYPERLINK(\"http://x\")".to_vec()),
        Just(b"<script>alert(1)</script>".to_vec()),
        Just(b"\x00\x01\x1b[2J".to_vec()),
        Just(vec![0xE9, 0xFF, 0xC3]),
        Just("31/02/2026".as_bytes().to_vec()),
        Just("2026-13-45".as_bytes().to_vec()),
        Just("9".repeat(400).into_bytes()),
        Just("é".repeat(5000).into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ]
}

fn header() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"nom;prenom;email;categorie".to_vec()),
        Just(b"\xEF\xBB\xBFfamily_name,given_names,category,mission_end".to_vec()),
        Just(b"nom;nom;categorie;categorie".to_vec()),
        Just(b"Nom de famille;Pr\xE9nom;Cat\xE9gorie".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..60),
    ]
}

fn file() -> impl Strategy<Value = Vec<u8>> {
    (
        header(),
        proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..12),
        prop_oneof![Just(b';'), Just(b','), Just(b'\t')],
        prop_oneof![
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r".to_vec())
        ],
    )
        .prop_map(|(header, rows, sep, eol)| {
            let mut out = header;
            for row in rows {
                out.extend_from_slice(&eol);
                for (i, cell) in row.into_iter().enumerate() {
                    if i > 0 {
                        out.push(sep);
                    }
                    out.extend(cell);
                }
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn hostile_rows_never_panic(bytes in file()) {
        check(&bytes)?;
    }
}

#[test]
fn an_oversized_file_is_refused_by_size() {
    let mut big = b"nom;prenom;categorie\n".to_vec();
    big.resize(MAX_IMPORT_BYTES + 1, b'a');
    let err = parse(&big, &Policy::default()).unwrap_err();
    assert_eq!(err.code(), "import.file_too_large", "{err}");
}
