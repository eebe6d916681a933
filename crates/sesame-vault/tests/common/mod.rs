//! Shared by the vault's integration tests; the keyring entries, databases and
//! requests come from `sesame-test-support`.

use sesame_store::NewRequest;
pub use sesame_test_support::db::raw_blob;
pub use sesame_test_support::fixtures::jpeg_with;
pub use sesame_test_support::vault::TestVault;
pub use sesame_test_support::SqliteFile;

pub const OPERATOR: &str = "Desk Test";

/// A new badge request for Alice `family` (see `sesame_test_support::fixtures::new_request`).
pub fn new_request(family: &str) -> NewRequest {
    sesame_test_support::fixtures::new_request(family, "Alice")
}

/// The test's SQLite file, not opened yet.
pub fn sqlite_file() -> SqliteFile {
    SqliteFile::new("queue.sqlite3")
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
