//! Every error code the crates can return is in the list the UI's `ErrorCode` union is
//! generated from (and so has a French and an English text, or svelte-check fails).
//! The codes are found where code tables are written: match arms `... => "area.name"`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `=> "area.name"` literals: what code tables return. Comments (the macro's own
/// documented example) are not code tables.
fn codes_in(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    code.split("=>")
        .skip(1)
        .filter_map(|after| {
            let literal = after.trim_start().strip_prefix('"')?;
            let code = &literal[..literal.find('"')?];
            // Codes are `area.name` with a real area word (SQL aliases such as `r.id` are not).
            let area_len = code.find('.').unwrap_or(0);
            let valid = area_len >= 3
                && code.split('.').all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            valid.then(|| code.to_string())
        })
        .collect()
}

#[test]
fn every_code_written_in_the_crates_is_in_the_generated_list() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = entry.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let written: BTreeSet<String> = files
        .iter()
        .filter(|f| !f.components().any(|c| c.as_os_str() == "bin"))
        .flat_map(|f| codes_in(&std::fs::read_to_string(f).unwrap()))
        .collect();
    assert!(
        written.len() > 20,
        "found only {written:?}: is the scan broken?"
    );
    let listed: BTreeSet<&str> = sesame_service::all_error_codes().into_iter().collect();
    let missing: Vec<&String> = written
        .iter()
        .filter(|code| !listed.contains(code.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "codes returned somewhere but listed by no error enum's `error_codes!` table: {missing:?}"
    );
}

#[test]
fn the_scan_finds_match_arm_codes_only() {
    let sample = r#"match self { A => "photo.no_face", B => "new_badge", C => "image/jpeg", D => "r.id", E => "store.not_found" }
/// `Self::Gone => "outer.gone",` in an example
// F => "area.name""#;
    let found = codes_in(sample);
    assert_eq!(found, vec!["photo.no_face", "store.not_found"]);
}
