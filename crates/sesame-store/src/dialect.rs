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

/// SQLite's page cache per connection, in KiB (its default is 2 MiB): 32 MiB keeps the
/// queue's indexes in memory at 100 000 requests, which is what keeps imports fast
/// there.
pub(crate) const SQLITE_CACHE_KIB: u32 = 32 * 1024;

/// The page cache of the one connection writing an import, in KiB. At 1 000 000
/// requests the new rows' search words land all over the terms' index (440 MB): with
/// the desk's 32 MiB, SQLite writes its dirty pages out to the WAL again and again in
/// the middle of the transaction (100 000 rows: 17.5 s with 32 MiB, 15 s with
/// 256 MiB in `sesame-store-bench`). Set for the import only, then given back.
pub(crate) const SQLITE_BULK_CACHE_KIB: u32 = 256 * 1024;

/// SQLite's own default: the WAL is copied into the database file once it holds this
/// many pages, by the connection that commits.
pub(crate) const SQLITE_AUTOCHECKPOINT_PAGES: u32 = 1000;
