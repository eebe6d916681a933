//! The operations in `ops/`, compiled once per backend.
//!
//! sqlx checks a query's binds and columns against a concrete driver (`Sqlite`,
//! `Postgres`); its `Any` driver would erase the types both databases need (DATE,
//! TIMESTAMPTZ, BYTEA on PostgreSQL). So the files of `ops/` are written once, against
//! a `Db` type and a `DIALECT` their parent module names, and mounted here twice with
//! `#[path]`: `sqlite::ops` and `postgres::ops` are the same source compiled for each
//! driver. This is the only `#[path]` in the crate. The `Store` dispatches each call to
//! one or the other.

#[path = "../ops"]
pub(crate) mod sqlite {
    pub(crate) type Db = sqlx::Sqlite;
    pub(crate) const DIALECT: crate::dialect::Dialect = crate::dialect::Dialect::Sqlite;
    // Mounting the same files twice is the point here (one copy per backend).
    #[allow(clippy::duplicate_mod)]
    #[path = "mod.rs"]
    pub(crate) mod ops;
}

#[path = "../ops"]
pub(crate) mod postgres {
    pub(crate) type Db = sqlx::Postgres;
    pub(crate) const DIALECT: crate::dialect::Dialect = crate::dialect::Dialect::Postgres;
    // Mounting the same files twice is the point here (one copy per backend).
    #[allow(clippy::duplicate_mod)]
    #[path = "mod.rs"]
    pub(crate) mod ops;
}
