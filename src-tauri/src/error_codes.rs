//! Every error code a core crate can return has a French and an English text in
//! the UI (`errors.<code>` in ui/src/lib/i18n/{fr,en}.ts), so an operator never
//! sees a raw code. The codes are found where `ErrorCode::code` implementations
//! return them: match arms of the form `... => "area.name"`.

#[cfg(test)]
mod tests {
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

    /// `=> "area.name"` literals: what `code()` implementations return.
    fn codes_in(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split("=>").skip(1).filter_map(|after| {
            let literal = after.trim_start().strip_prefix('"')?;
            let code = &literal[..literal.find('"')?];
            // Codes are `area.name` with a real area word (SQL aliases such as
            // `r.id` are not codes).
            let area_len = code.find('.').unwrap_or(0);
            let valid = area_len >= 3
                && code.split('.').all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            valid.then(|| code.to_string())
        })
    }

    #[test]
    fn every_backend_error_code_is_translated_in_both_languages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["crates", "src-tauri/src"] {
            rust_files(&root.join(dir), &mut files);
        }
        let codes: BTreeSet<String> = files
            .iter()
            .filter(|f| {
                !f.components()
                    .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "bin")
            })
            .filter(|f| !f.ends_with("error_codes.rs"))
            .flat_map(|f| codes_in(&std::fs::read_to_string(f).unwrap()).collect::<Vec<_>>())
            .collect();
        assert!(
            codes.len() > 20,
            "found only {codes:?}: is the scan broken?"
        );
        for language in ["fr", "en"] {
            let catalogue =
                std::fs::read_to_string(root.join(format!("ui/src/lib/i18n/{language}.ts")))
                    .unwrap();
            let missing: Vec<&String> = codes
                .iter()
                .filter(|code| !catalogue.contains(&format!("\"errors.{code}\":")))
                .collect();
            assert!(
                missing.is_empty(),
                "ui/src/lib/i18n/{language}.ts lacks errors.<code> texts for {missing:?}"
            );
        }
    }

    #[test]
    fn the_scan_finds_match_arm_codes_only() {
        let sample = r#"match self { A => "photo.no_face", B => "new_badge", C => "image/jpeg", D => "r.id", E => "store.not_found" }"#;
        let found: Vec<String> = codes_in(sample).collect();
        assert_eq!(found, vec!["photo.no_face", "store.not_found"]);
    }
}
