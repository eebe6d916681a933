//! The connection a bulk write (a CSV import) holds for its one transaction.
//!
//! On SQLite it gets a page cache large enough for the queue's indexes at office scale
//! while it writes, and its commit does not copy the WAL into the database file: a
//! checkpoint does that in the background once the operator has the import's report
//! (at 1 000 000 requests, 100 000 rows leave ~0.5 GB of WAL pages: 3.3 s of the import,
//! and 1.3 s of a 10 000-row one, when the commit copied them itself). Readers see the
//! committed rows from the WAL meanwhile, as they always do in WAL mode. The desk's
//! settings are put back before the connection returns to the pool. PostgreSQL needs
//! none of this: its commit writes no table pages.

use sqlx::pool::PoolConnection;

use super::{Conn, Db, Pool, DIALECT};
use crate::dialect::{
    Dialect, SQLITE_AUTOCHECKPOINT_PAGES, SQLITE_BULK_CACHE_KIB, SQLITE_CACHE_KIB,
};
use crate::error::Result;

/// Runs `work` on a connection of `pool` set up for a bulk write (see the module).
pub(crate) async fn bulk_write<T>(
    pool: &Pool,
    work: impl AsyncFnOnce(&mut Conn) -> Result<T>,
) -> Result<T> {
    let mut conn = pool.acquire().await?;
    if DIALECT != Dialect::Sqlite {
        return work(&mut conn).await;
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}; PRAGMA wal_autocheckpoint = 0"
    )))
    .execute(&mut *conn)
    .await?;
    let outcome = work(&mut conn).await;
    give_back(conn).await;
    if outcome.is_ok() {
        let pool = pool.clone();
        tokio::spawn(async move {
            // PASSIVE: never waits for readers or writers; what it cannot copy now,
            // the next commit's automatic checkpoint does.
            let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await;
        });
    }
    outcome
}

/// Puts the desk's page cache and automatic checkpoints back on `conn`; a connection
/// that cannot take them back is closed rather than pooled with the import's.
async fn give_back(mut conn: PoolConnection<Db>) {
    let restored = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "PRAGMA cache_size = -{SQLITE_CACHE_KIB}; \
         PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT_PAGES}"
    )))
    .execute(&mut *conn)
    .await;
    if restored.is_err() {
        conn.close_on_drop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn settings(conn: &mut Conn) -> (i64, i64) {
        let cache = sqlx::query_scalar::<Db, i64>("PRAGMA cache_size")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let checkpoint = sqlx::query_scalar::<Db, i64>("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        (cache, checkpoint)
    }

    /// The import's connection writes with the larger cache and no checkpoint at its
    /// commit, and goes back to the pool with the desk's settings.
    #[tokio::test]
    async fn the_connection_returns_to_the_pool_with_the_desks_settings() {
        if DIALECT != Dialect::Sqlite {
            return; // nothing is changed on PostgreSQL's connections
        }
        let pool = sqlx::pool::PoolOptions::<Db>::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        let during = bulk_write(&pool, async |conn| Ok(settings(conn).await))
            .await
            .unwrap();
        assert_eq!(during, (-i64::from(SQLITE_BULK_CACHE_KIB), 0));
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(
            settings(&mut conn).await,
            (
                -i64::from(SQLITE_CACHE_KIB),
                i64::from(SQLITE_AUTOCHECKPOINT_PAGES)
            )
        );
    }
}
