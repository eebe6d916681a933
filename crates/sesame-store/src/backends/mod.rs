//! The operations in `ops/`, compiled once per backend.
//!
//! The same source files are mounted as two modules, each with its own `Db` type and
//! `DIALECT`, so every query is checked against concrete sqlx types. The `Store`
//! dispatches to one or the other.

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
