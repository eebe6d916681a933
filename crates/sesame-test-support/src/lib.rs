//! What Sésame's test suites share, so that each test says only what it tests:
//!
//! - [`clock`]: the pinned day every test runs on ([`clock::pinned_day`], overridable
//!   with `SESAME_TEST_TODAY=YYYY-MM-DD`), [`clock::pinned_clock`], and [`clock::day`]
//!   for dates relative to it, so tests pass on any day the machine says it is;
//! - [`db`]: a throwaway SQLite file or PostgreSQL database per test
//!   ([`db::TestDb`], [`db::PgDatabase`] from `SESAME_TEST_PG_URL`, dropped at the
//!   end) and [`on_both!`], which runs one test body on each;
//! - [`fixtures`]: holders and requests, photos (real JPEGs or the smallest bytes that
//!   pass as one), and store states such as an approved request with its photo or a
//!   printed badge;
//! - [`smtp`]: a real SMTP server on loopback (`scripts/smtp-test-server.sh`), and
//!   with the `mail` feature its settings (`mail::settings_for_port`);
//! - with the `vault` feature, `vault::TestVault`: a keyring entry per test.
//!
//! A dev-dependency only (`publish = false`).

pub mod clock;
pub mod db;
pub mod fixtures;
#[cfg(feature = "mail")]
pub mod mail;
pub mod smtp;
#[cfg(feature = "vault")]
pub mod vault;

pub use clock::{day, pinned_clock, pinned_day};
pub use db::{PgDatabase, SqliteFile, TestDb};
