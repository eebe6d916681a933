//! TypeScript bindings generated from the Rust command table.
//!
//! `ts-rs` writes one file per type that crosses IPC; this module adds
//! `commands.ts`, a typed wrapper per command. The result is committed under
//! `ui/src/lib/ipc/generated/`; the test below fails when it is stale, and
//! `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings` rewrites it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, ExportError, TypeVisitor, TS};

type ExportFn = fn(&Config) -> Result<(), ExportError>;

/// A named TypeScript type that a command's signature refers to.
#[derive(Clone)]
pub struct NamedType {
    ident: String,
    output_path: PathBuf,
    export: ExportFn,
}

/// Collects every exportable type reachable from `T` (including `T` itself).
fn named_types_of<T: TS + 'static + ?Sized>() -> Vec<NamedType> {
    struct Collect(Vec<NamedType>);
    impl TypeVisitor for Collect {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if let Some(output_path) = U::output_path() {
                self.0.push(NamedType {
                    ident: U::ident(&config_for_idents()),
                    output_path,
                    export: U::export_all,
                });
            }
        }
    }
    let mut collect = Collect(Vec::new());
    collect.visit::<T>();
    T::visit_generics(&mut collect);
    collect.0
}

fn config_for_idents() -> Config {
    Config::new().with_large_int("number")
}

/// One argument of a command: its Rust name and TypeScript type.
pub struct ArgSpec {
    name: &'static str,
    ts_type: String,
    named: Vec<NamedType>,
}

impl ArgSpec {
    pub fn new<T: TS + 'static>(cfg: &Config, name: &'static str) -> Self {
        Self {
            name,
            ts_type: T::name(cfg),
            named: named_types_of::<T>(),
        }
    }
}

/// One command: its name, arguments and the TypeScript type of its result.
pub struct CommandSpec {
    name: &'static str,
    args: Vec<ArgSpec>,
    returns: String,
    named: Vec<NamedType>,
}

impl CommandSpec {
    pub fn new<R: TS + 'static>(cfg: &Config, name: &'static str, args: Vec<ArgSpec>) -> Self {
        Self {
            name,
            args,
            returns: R::name(cfg),
            named: named_types_of::<R>(),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// The configuration every generated file uses: i64 ids and counts stay `number`
/// (they are far below 2^53), and imports carry no extension (Vite resolves them).
pub fn config(out_dir: &Path) -> Config {
    config_for_idents().with_out_dir(out_dir)
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes every type file and `commands.ts` into `out_dir`.
pub fn generate(out_dir: &Path) -> Result<(), String> {
    let cfg = config(out_dir);
    let specs = crate::commands::specs(&cfg);

    // The types the command signatures name, imported by commands.ts.
    let mut named: BTreeMap<String, NamedType> = BTreeMap::new();
    for spec in &specs {
        let all = spec
            .named
            .iter()
            .chain(spec.args.iter().flat_map(|a| a.named.iter()));
        for t in all {
            named.entry(t.ident.clone()).or_insert_with(|| t.clone());
        }
    }
    // AppError is every command's rejection type: exported (call.ts uses it)
    // although no signature names it.
    let rejection = named_types_of::<sesame_core::AppError>();
    for t in named.values().chain(rejection.iter()) {
        (t.export)(&cfg).map_err(|e| format!("exporting {}: {e}", t.ident))?;
    }

    let mut ts = String::new();
    ts.push_str("// Generated from the Rust command table (src-tauri/src/commands/table.rs).\n");
    ts.push_str(
        "// Do not edit: run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings`.\n\n",
    );
    ts.push_str("import { call } from \"../call\";\n");
    for t in named.values() {
        let module = t.output_path.with_extension("");
        ts.push_str(&format!(
            "import type {{ {} }} from \"./{}\";\n",
            t.ident,
            module.display()
        ));
    }
    ts.push_str("\n/** Every command the UI may call, with its Rust signature. */\nexport const commands = {\n");
    for spec in &specs {
        let params: Vec<String> = spec
            .args
            .iter()
            .map(|a| format!("{}: {}", camel_case(a.name), a.ts_type))
            .collect();
        let keys: Vec<String> = spec.args.iter().map(|a| camel_case(a.name)).collect();
        ts.push_str(&format!(
            "  {}: ({}): Promise<{}> => call(\"{}\", {{ {} }}),\n",
            camel_case(spec.name),
            params.join(", "),
            spec.returns,
            spec.name,
            keys.join(", ")
        ));
    }
    ts.push_str(
        "};\n\n/** The names the backend registers (checked against the capability file). */\n",
    );
    ts.push_str("export const COMMAND_NAMES = [\n");
    for spec in &specs {
        ts.push_str(&format!("  \"{}\",\n", spec.name));
    }
    ts.push_str("] as const;\n");
    let ts = ts.replace("{  }", "{}");
    std::fs::write(out_dir.join("commands.ts"), ts).map_err(|e| e.to_string())?;
    std::fs::write(out_dir.join("ErrorCode.ts"), error_codes_ts()).map_err(|e| e.to_string())
}

/// Every code a command's error can carry: the service's, and the shell's own.
pub fn error_codes() -> Vec<&'static str> {
    use sesame_core::ErrorCodes;
    let mut codes = sesame_service::all_error_codes();
    codes.extend_from_slice(crate::holder_window::WindowError::CODES);
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// `ErrorCode.ts`: the union of every backend error code, which the UI's
/// translation tables are typed against (a code without a text fails svelte-check).
fn error_codes_ts() -> String {
    let mut ts = String::new();
    ts.push_str("// Generated from the Rust error enums (their `error_codes!` tables).\n");
    ts.push_str(
        "// Do not edit: run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings`.\n\n",
    );
    ts.push_str("/** Every code a command's `{code, message}` error can carry. */\n");
    ts.push_str("export const ERROR_CODES = [\n");
    for code in error_codes() {
        ts.push_str(&format!("  \"{code}\",\n"));
    }
    ts.push_str("] as const;\n\nexport type ErrorCode = (typeof ERROR_CODES)[number];\n");
    ts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/ipc/generated")
    }

    fn read_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                    files.insert(rel, std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        files
    }

    #[test]
    fn bindings_are_up_to_date() {
        let committed = committed_dir();
        if std::env::var_os("SESAME_UPDATE_BINDINGS").is_some() {
            let _ = std::fs::remove_dir_all(&committed);
            std::fs::create_dir_all(&committed).unwrap();
            generate(&committed).unwrap();
            return;
        }
        let fresh = tempfile::tempdir().unwrap();
        generate(fresh.path()).unwrap();
        let expected = read_tree(fresh.path());
        let actual = read_tree(&committed);
        let stale: Vec<_> = expected
            .iter()
            .filter(|(path, text)| actual.get(*path) != Some(text))
            .map(|(path, _)| path.display().to_string())
            .chain(
                actual
                    .keys()
                    .filter(|p| !expected.contains_key(*p))
                    .map(|p| format!("{} (no longer generated)", p.display())),
            )
            .collect();
        assert!(
            stale.is_empty(),
            "TypeScript bindings in ui/src/lib/ipc/generated are stale: {stale:?}. \
             Run `SESAME_UPDATE_BINDINGS=1 cargo test -p sesame --lib bindings` and commit the result."
        );
    }

    #[test]
    fn camel_case_matches_tauri_argument_renaming() {
        assert_eq!(camel_case("list_requests"), "listRequests");
        assert_eq!(camel_case("query"), "query");
        assert_eq!(camel_case("expected_version"), "expectedVersion");
    }
}
