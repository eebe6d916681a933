//! Writes the valid rows of a CSV import, all in one transaction.

use sesame_core::{AuditEntity, Clock, ErrorCode};
use uuid::Uuid;

use super::requests::insert_requests;
use super::{append_audit, begin_write, load_policy, require_operator, Audit, Now, Pool};
use crate::csv_import::{ParsedFile, ParsedRow};
use crate::error::Result;
use crate::{ImportReport, RefusedRow};

/// Validates every row against the current rules, then inserts the valid ones in a
/// single transaction (all or nothing). With `dry_run` nothing is written.
pub(crate) async fn import_rows(
    pool: &Pool,
    clock: &Clock,
    parsed: ParsedFile,
    operator: &str,
    dry_run: bool,
) -> Result<ImportReport> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let at = now.at;
    let mut refused: Vec<RefusedRow> = parsed.refused;
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let keys = policy.category_keys();
    let mut valid: Vec<ParsedRow> = Vec::new();
    for row in parsed.rows {
        // Domain checks first, so one bad row is reported and the others go in.
        let holder = row.request.holder.clone().normalised();
        let checked = holder
            .validate(&keys)
            .and_then(|()| row.request.request.clone().normalised().validate());
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
    let accepted = valid.len() as u64;
    let mut created: Vec<Uuid> = Vec::with_capacity(valid.len());
    if !dry_run {
        let requests = valid.into_iter().map(|row| row.request).collect();
        created = insert_requests(&mut tx, &policy, requests, operator, now).await?;
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
                    "encoding": parsed.encoding,
                    "delimiter": parsed.delimiter.to_string(),
                    "rowsRead": parsed.rows_read,
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
    refused.sort_by_key(|r| r.row);
    Ok(ImportReport {
        encoding: parsed.encoding.to_owned(),
        delimiter: parsed.delimiter.to_string(),
        rows_read: parsed.rows_read,
        accepted,
        created,
        refused,
        dry_run,
    })
}
