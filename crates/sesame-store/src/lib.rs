//! Sésame's queue store: holders, requests, badges, attachments and the audit log,
//! on SQLite (the embedded default) or PostgreSQL (several desks, one queue).
//!
//! - Ids are UUID v7 (time-ordered) stored as text on both backends.
//! - Every change is written with its audit entry in one transaction; a refused
//!   change writes nothing.
//! - Time: "now" and "today" come from the store's [`sesame_core::Clock`]
//!   (`Store::with_clock`), never from the system directly.
//! - Concurrency: each request and badge carries a `version`; a change names the
//!   version it saw and fails with `store.version_conflict` if another desk moved first.
//!   SQLite write transactions start with `BEGIN IMMEDIATE`, PostgreSQL ones lock
//!   the row (`FOR UPDATE`) and re-check the version in the `UPDATE`.
//! - Badges are issued (number and validity) when a card is printed, never at approval:
//!   `Store::print_batch` issues them, marks the requests printed and commits only if
//!   the caller's render step (the PDF) succeeded.
//! - The queries are written once (`ops/`) and compiled for each backend with its
//!   concrete sqlx types (see `backends`), so there is no `Any` driver and no
//!   lowest-common-denominator typing: PostgreSQL gets DATE, TIMESTAMPTZ and BYTEA.

pub mod access_export;
mod backends;
mod codec;
mod column_rows;
pub mod csv_export;
pub mod csv_import;
mod csv_sniff;
mod dialect;
mod error;
mod model;
pub mod photo_list;
mod store;
pub mod usage_import;

pub use codec::{AttachmentContext, BlobCodec, CodecError, PlainCodec, PLAIN_CODEC};
pub use error::{Result, StoreError};
pub use model::*;
pub use photo_list::{parse_photo_list, HolderKey, PhotoList, PhotoListRow};
pub use store::{
    database_url_from_env, DatabaseLogin, SecuredDatabase, Store, DEFAULT_PAGE_SIZE,
    MAX_ATTACHMENT_BYTES, MAX_PAGE_SIZE, PRINT_CLAIM_MINUTES,
};
