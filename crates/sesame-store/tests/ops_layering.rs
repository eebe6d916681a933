//! The modules of `src/ops/` form the DAG declared at the top of `src/ops/mod.rs`:
//! every `use super::x…` or `super::x::` in a module names a module its line there
//! allows, and the declared uses have no cycle. A new dependency is a new line in
//! that list, reviewed like any other change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn ops_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ops")
}

/// `module → modules it may use`, from the `//! - `x` uses: …` lines of `mod.rs`.
fn declared() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(ops_dir().join("mod.rs")).expect("read src/ops/mod.rs");
    let mut layers = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("//! - `") else {
            continue;
        };
        let Some((module, rest)) = rest.split_once("` uses:") else {
            continue;
        };
        // What follows an em dash is a description of the module.
        let uses = rest.split('—').next().unwrap_or("");
        let allowed = uses
            .split(',')
            .map(|u| u.trim().trim_matches('`').to_owned())
            .filter(|u| !u.is_empty() && u != "(nothing)")
            .collect();
        assert!(
            layers.insert(module.to_owned(), allowed).is_none(),
            "`{module}` is declared twice in src/ops/mod.rs"
        );
    }
    layers
}

/// The modules of `src/ops/` and, for each, the sibling modules its code names
/// through `super::`.
fn actual(modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses = BTreeMap::new();
    for entry in std::fs::read_dir(ops_dir()).expect("list src/ops") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "mod" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read an ops module");
        uses.insert(name, super_references(&text, modules));
    }
    uses
}

/// Sibling modules named after `super::`, in `use super::{a::…, b}` groups as well.
fn super_references(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("super::") {
        rest = &rest[at + "super::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            // A group: the names at its top level (nested groups belong to them).
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(i, _)| i);
            let mut top = Vec::new();
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        top.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            top.push(&group[start..end]);
            top
        } else {
            vec![rest]
        };
        for name in names {
            let ident: String = name
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&ident) {
                found.insert(ident);
            }
        }
    }
    found
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_declared_layering_is_a_dag() {
    let layers = declared();
    assert!(
        layers.len() > 10,
        "the layering list of src/ops/mod.rs was not found: {layers:?}"
    );
    for (module, allowed) in &layers {
        for used in allowed {
            assert!(
                layers.contains_key(used),
                "`{module}` may use `{used}`, which the list does not declare"
            );
        }
    }
    assert_eq!(cycle(&layers), None, "the declared layering has a cycle");
}

#[test]
fn every_ops_module_keeps_to_its_layer() {
    let layers = declared();
    let modules: BTreeSet<String> = layers.keys().cloned().collect();
    let actual = actual(&modules);
    let on_disk: BTreeSet<String> = actual.keys().cloned().collect();
    assert_eq!(
        on_disk, modules,
        "every file of src/ops/ has its line in the layering of src/ops/mod.rs, and only those"
    );
    let mut breaches = Vec::new();
    for (module, used) in &actual {
        for target in used.difference(&layers[module]) {
            breaches.push(format!("`{module}` uses `{target}`"));
        }
    }
    assert!(
        breaches.is_empty(),
        "references src/ops/mod.rs does not allow: {}",
        breaches.join(", ")
    );
    assert_eq!(cycle(&actual), None, "the ops modules form a cycle");
}

#[test]
fn the_checker_sees_grouped_and_path_references() {
    let modules: BTreeSet<String> = ["rows", "badges", "zones"].map(String::from).into();
    let text =
        "use super::rows::{a, b};\nuse super::{badges::{x, y}, Conn};\nlet z = super::zones::f();";
    assert_eq!(super_references(text, &modules), modules);
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), ["b".to_owned()].into()),
        ("b".to_owned(), ["a".to_owned()].into()),
    ]
    .into();
    assert!(cycle(&graph).is_some());
}
