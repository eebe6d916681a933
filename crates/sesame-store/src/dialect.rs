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

    /// The database's clock `seconds_param` seconds (a bound `f64`) from now, as a lease
    /// column holds it. Leases are measured by the database, not by the desks: their
    /// clocks differ, and a desk running ahead would take every lease for expired.
    /// `clock_timestamp()` is the moment of the statement (`now()` would be the
    /// transaction's start); SQLite's `'now'` is the time of the statement too.
    pub(crate) fn db_time_in(self, seconds_param: &str) -> String {
        match self {
            Self::Sqlite => format!(
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || {seconds_param} || ' seconds')"
            ),
            Self::Postgres => format!("clock_timestamp() + make_interval(secs => {seconds_param})"),
        }
    }

    /// True when the lease in `column` has run out by the database's clock (a missing
    /// lease is not "run out": test for NULL apart). SQLite compares Julian days, so a
    /// lease written in another text form (an older desk's) still compares right.
    pub(crate) fn lease_ran_out(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("julianday({column}) <= julianday('now')"),
            Self::Postgres => format!("{column} <= clock_timestamp()"),
        }
    }
}
