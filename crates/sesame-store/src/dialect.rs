//! The few places where SQLite and PostgreSQL need different SQL.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// SQLite must take the write lock up front: a deferred transaction that reads and
    /// then writes fails at once with SQLITE_BUSY when another desk wrote meanwhile,
    /// without waiting for the busy timeout.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    /// Row lock for read-then-write on PostgreSQL (SQLite already holds the write lock).
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE",
        }
    }

    /// A date literal greater than any real date, to sort missing dates last.
    pub(crate) fn far_future_date(self) -> &'static str {
        match self {
            Self::Sqlite => "'9999-12-31'",
            Self::Postgres => "DATE '9999-12-31'",
        }
    }
}
