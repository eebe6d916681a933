//! Writes the valid rows of a CSV import, all in one transaction, a chunk at a time.

use sesame_core::{AuditEntity, Clock, ErrorCode};
use uuid::Uuid;

use super::bulk::bulk_write;
use super::requests::insert_requests;
use super::visits::{listed, refused_by_key};
use super::{
    append_audit, load_policy, require_operator, Audit, Conn, Now, Pool, BULK_ROWS, DIALECT,
};
use crate::csv_import::{CsvFile, ParsedRow};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::{ImportProgress, ImportReport, RefusedRow};

/// Rows read, checked and written at a time (and between two progress reports).
const CHUNK_ROWS: usize = BULK_ROWS * 5;

/// Where an import reports how far it is (after each chunk).
pub type ProgressSink<'a> = &'a (dyn Fn(ImportProgress) + Send + Sync);

/// Reads the file a chunk of rows at a time, checks each row against the current
/// rules and inserts the valid ones, all in a single transaction (all or nothing):
/// memory holds one chunk, not the file's rows. With `dry_run` nothing is written.
pub(crate) async fn import_rows(
    pool: &Pool,
    clock: &Clock,
    file: &CsvFile,
    operator: &str,
    dry_run: bool,
    progress: ProgressSink<'_>,
) -> Result<ImportReport> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let report = bulk_write(pool, async |conn| {
        write_rows(conn, now, file, operator, dry_run, progress).await
    })
    .await?;
    if !dry_run && !report.created.is_empty() && DIALECT == Dialect::Postgres {
        // After the operator has the report, as SQLite's checkpoint (`bulk.rs`).
        let pool = pool.clone();
        tokio::spawn(async move { refresh_outgrown_statistics(&pool).await });
    }
    Ok(report)
}

async fn write_rows(
    conn: &mut Conn,
    now: Now,
    file: &CsvFile,
    operator: &str,
    dry_run: bool,
    progress: ProgressSink<'_>,
) -> Result<ImportReport> {
    let at = now.at;
    let mut tx = sqlx::Connection::begin_with(conn, DIALECT.begin_write()).await?;
    let policy = load_policy(&mut tx).await?;
    let keys = policy.category_keys();
    let refused_list = refused_by_key(&mut tx).await?;
    let mut rows = file.rows(&policy);
    // Domain refusals found here, apart from the reader's (kept by `rows`).
    let mut refused: Vec<RefusedRow> = Vec::new();
    let mut accepted = 0u64;
    let mut created: Vec<Uuid> = Vec::new();
    loop {
        let chunk = rows.next_chunk(CHUNK_ROWS)?;
        if chunk.is_empty() {
            break;
        }
        let mut valid: Vec<ParsedRow> = Vec::with_capacity(chunk.len());
        for row in chunk {
            // Domain checks first, so one bad row is reported and the others go in.
            let holder = row.request.holder.clone().normalised();
            let checked = holder
                .validate(&keys)
                .and_then(|()| row.request.request.clone().normalised().validate())
                .and_then(|()| {
                    match listed(&refused_list, &holder.family_name, &holder.given_names) {
                        Some(entry) => Err(entry.refusal()),
                        None => Ok(()),
                    }
                });
            match checked {
                Ok(()) => valid.push(row),
                Err(e) => refused.push(RefusedRow {
                    row: row.row,
                    line: row.line,
                    column: match &e {
                        sesame_core::DomainError::InvalidCharacters { field, .. } => {
                            Some(field.clone())
                        }
                        _ => None,
                    },
                    code: e.code().to_owned(),
                    message: e.to_string(),
                }),
            }
        }
        accepted += valid.len() as u64;
        if !dry_run && !valid.is_empty() {
            let requests = valid.into_iter().map(|row| row.request).collect();
            created.extend(insert_requests(&mut tx, &policy, requests, operator, now).await?);
        }
        progress(ImportProgress {
            rows_read: rows.rows_read(),
            refused: (rows.refused().len() + refused.len()) as u64,
            bytes_read: rows.bytes_read(),
            bytes_total: file.text_bytes(),
            dry_run,
        });
    }
    let (rows_read, read_refusals) = rows.finish()?;
    refused.extend(read_refusals);
    refused.sort_by_key(|r| r.row);
    if !dry_run {
        append_audit(
            &mut tx,
            at,
            Audit {
                operator: operator.trim(),
                entity: AuditEntity::Import,
                entity_id: Uuid::now_v7().to_string(),
                request_id: None,
                action: "import_csv",
                before: None,
                after: Some(serde_json::json!({
                    "encoding": file.encoding(),
                    "delimiter": file.delimiter().to_string(),
                    "rowsRead": rows_read,
                    "created": created.len(),
                    "refused": refused.len(),
                })),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    progress(ImportProgress {
        rows_read,
        refused: refused.len() as u64,
        bytes_read: file.text_bytes(),
        bytes_total: file.text_bytes(),
        dry_run,
    });
    Ok(ImportReport {
        encoding: file.encoding().to_owned(),
        delimiter: file.delimiter().to_string(),
        rows_read,
        accepted,
        created,
        refused,
        dry_run,
    })
}

/// Share of the requests beyond those the planner's statistics describe from which an
/// import refreshes them: autovacuum's own threshold for analysing a table.
const OUTGROWN_BY: f64 = 0.1;

/// Refreshes PostgreSQL's statistics of the queue's tables when the requests have
/// outgrown them (never analysed, or 10 % more rows than they describe): the searches
/// typed right after an import are then planned on the queue as it is (see
/// `postgres/0018_queue_statistics_after_imports.sql`; ~2 s at 1 000 000 requests).
/// The import is committed by then, so a failure here is logged, not reported:
/// autovacuum will do it later.
async fn refresh_outgrown_statistics(pool: &Pool) {
    let refresh = async {
        let (rows, described): (f64, f64) = sqlx::query_as(
            "SELECT (SELECT COALESCE(SUM(n), 0) FROM request_status_counts)::float8, \
             (SELECT reltuples FROM pg_class WHERE oid = 'requests'::regclass)::float8",
        )
        .fetch_one(pool)
        .await?;
        if described < 0.0 || rows > described * (1.0 + OUTGROWN_BY) {
            sqlx::query("SELECT sesame_refresh_queue_statistics()")
                .execute(pool)
                .await?;
        }
        Ok::<(), sqlx::Error>(())
    };
    if let Err(error) = refresh.await {
        tracing::warn!(%error, "the queue's statistics were left to autovacuum");
    }
}
