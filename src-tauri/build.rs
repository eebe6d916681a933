// The app package's manifest is the root Cargo.toml, so tauri-build reads
// ../tauri.conf.json from the root (CARGO_MANIFEST_DIR) and we point it at the
// capabilities kept in src-tauri/. The command list is shared with the lib (see
// src/commands/names.rs) so the ACL knows every app command and denies any other.

include!("src/commands/names.rs");

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
