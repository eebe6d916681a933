//! Sésame's queue store: holders, requests, badges, attachments and the audit log,
//! on SQLite (the embedded default) or PostgreSQL (several desks, one queue).
//!
//! - Ids are UUID v7 (time-ordered) stored as text on both backends.
//! - Every change is written with its audit entry in one transaction; a refused
//!   change writes nothing.
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

mod after_print_types;
mod backends;
mod codec;
pub mod csv_export;
pub mod csv_import;
mod dialect;
mod error;
mod lifecycle_types;
mod operator_types;
mod outbox_types;
mod retention_types;
mod store;
mod types;
pub mod usage_import;

pub use after_print_types::*;
pub use codec::{BlobCodec, CodecError, PlainCodec};
pub use error::{Result, StoreError};
pub use lifecycle_types::*;
pub use operator_types::*;
pub use outbox_types::*;
pub use retention_types::*;
pub use store::{
    database_url_from_env, Store, DEFAULT_PAGE_SIZE, MAX_ATTACHMENT_BYTES, MAX_PAGE_SIZE,
    PRINT_CLAIM_MINUTES,
};
pub use types::*;
