// The app package's manifest is the root Cargo.toml, so tauri-build reads
// ../tauri.conf.json from the root (CARGO_MANIFEST_DIR) and we point it at the
// capabilities kept in src-tauri/. The command names come from the one command
// table (src/commands/table.rs), so the ACL knows every app command and denies any
// other.

/// Keeps only the names of the table's commands.
macro_rules! app_commands {
    (
        @signed_out {
            $( $oname:ident ( $($oarg:ident : $oargty:ty),* ) -> $oret:ty ; )*
        }
        $( $name:ident ( $($arg:ident : $argty:ty),* ) -> $ret:ty ; )*
        @shell {
            $( $sname:ident ( $($sarg:ident : $sargty:ty),* ) -> $sret:ty ; )*
        }
    ) => {
        const COMMAND_NAMES: &[&str] = &[
            $( stringify!($oname), )* $( stringify!($name), )* $( stringify!($sname) ),*
        ];
    };
}

include!("src/commands/table.rs");

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/commands/table.rs");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
