//! Every crate's integration tests are one binary, `tests/main.rs`, with
//! `autotests = false`: a test file that `main.rs` does not declare is never
//! compiled, and its tests would pass by not running. This walks every crate of the
//! workspace and fails on such a file.

use std::collections::BTreeSet;
use std::path::Path;

/// The `mod x;` lines of a test binary's root, with or without attributes before.
fn declared_modules(main_rs: &str) -> BTreeSet<String> {
    main_rs
        .lines()
        .filter_map(|line| line.trim().strip_prefix("mod "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_test_file_of_every_crate_is_a_module_of_its_crates_test_binary() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut undeclared = Vec::new();
    let mut crates_seen = 0;
    for krate in std::fs::read_dir(&crates).expect("list crates/") {
        let tests = krate.expect("crate folder").path().join("tests");
        if !tests.is_dir() {
            continue;
        }
        crates_seen += 1;
        let main = std::fs::read_to_string(tests.join("main.rs"))
            .unwrap_or_else(|_| panic!("{} has tests but no tests/main.rs", tests.display()));
        let declared = declared_modules(&main);
        for entry in std::fs::read_dir(&tests).expect("list tests/") {
            let path = entry.expect("test file").path();
            let module = if path.is_dir() && path.join("mod.rs").is_file() {
                path.file_name().unwrap().to_string_lossy().into_owned()
            } else if path.extension().is_some_and(|e| e == "rs") {
                path.file_stem().unwrap().to_string_lossy().into_owned()
            } else {
                continue;
            };
            if module != "main" && !declared.contains(&module) {
                undeclared.push(path.display().to_string());
            }
        }
        let manifest = std::fs::read_to_string(tests.join("../Cargo.toml")).expect("Cargo.toml");
        assert!(
            manifest.contains("autotests = false"),
            "{}: cargo would build each test file as a binary of its own",
            tests.display()
        );
    }
    assert!(
        crates_seen >= 7,
        "only {crates_seen} crates with tests found"
    );
    assert!(
        undeclared.is_empty(),
        "test files no `mod` line of their crate's tests/main.rs declares, so never compiled: {undeclared:?}"
    );
}

#[test]
fn declared_modules_reads_plain_and_attributed_lines() {
    let main = "//! doc\n\nmod common;\n\n#[cfg(unix)]\nmod crash_safety;\nmod zones;\n";
    let found = declared_modules(main);
    assert_eq!(
        found,
        ["common", "crash_safety", "zones"].map(String::from).into()
    );
}
