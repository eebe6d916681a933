//! What Sésame's test suites share, so that each test says only what it tests:
//!
//! - [`clock`]: the pinned day every test runs on ([`clock::pinned_day`], overridable
//!   with `SESAME_TEST_TODAY=YYYY-MM-DD`), [`clock::pinned_clock`], [`clock::day`]
//!   for dates relative to it and [`clock::clock_on`] for a desk acting for another
//!   day, so tests pass on any day the machine says it is;
//! - [`db`]: a throwaway SQLite file or PostgreSQL database per test
//!   ([`db::TestDb`], [`db::PgDatabase`] from `SESAME_TEST_PG_URL`, dropped at the
//!   end) and [`on_both!`], which runs one test body on each;
//! - [`fixtures`]: holders and requests, photos (real JPEGs or the smallest bytes that
//!   pass as one), and store states such as an approved request with its photo or a
//!   printed badge;
//! - [`pdf`]: what a written PDF holds (qpdf, pdftotext, pdfinfo);
//! - [`portraits`] and [`photos`] (feature `photo`): the real portraits fetched from
//!   the registries, an acceptable ID portrait derived from one, the labelled set, its
//!   derived variants and the photo checks' accuracy table;
//! - [`smtp`]: a real SMTP server on loopback (`scripts/smtp-test-server.sh`), and
//!   with the `mail` feature its settings (`mail::settings_for_port`);
//! - with the `vault` feature, `vault::TestVault`: a keyring entry per test;
//! - with the `card` feature, `card_reader::VirtualReaders`: a private pcscd with
//!   two virtual contactless readers, and virtual cards laid on them;
//! - with the `directory` feature, `ldap_server::LdapServer`: a private OpenLDAP
//!   `slapd` seeded with several hundred people and groups, on LDAP (StartTLS) and
//!   LDAPS with a certificate of its own CA;
//! - [`desk`] (feature `desk`): a real desk on a throwaway database with its own
//!   keyring entry and the pinned clock, for the service's, `sesamectl`'s and the
//!   end-to-end tests, and the states tests start from at the desk (an approved
//!   request with its photo, a printed badge, an active badge);
//! - [`cli`] (feature `desk`): the real `sesamectl` binary on a throwaway desk, with
//!   `--today` set to the pinned day.
//!
//! A dev-dependency only (`publish = false`).

#[cfg(feature = "card")]
pub mod card_reader;
#[cfg(feature = "desk")]
pub mod cli;
pub mod clock;
pub mod db;
#[cfg(feature = "desk")]
pub mod desk;
pub mod fixtures;
#[cfg(feature = "directory")]
pub mod ldap_server;
#[cfg(feature = "mail")]
pub mod mail;
pub mod pdf;
#[cfg(feature = "photo")]
pub mod photos;
#[cfg(feature = "photo")]
pub mod portraits;
pub mod smtp;
#[cfg(feature = "vault")]
pub mod vault;

pub use clock::{clock_on, day, pinned_clock, pinned_day, start_of};
pub use db::{PgDatabase, SqliteFile, TestDb};
