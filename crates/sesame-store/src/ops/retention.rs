//! Retention purge and holders' rights: what personal data goes when, and
//! how a holder is anonymised. Each holder or request is handled in one transaction;
//! the audit log keeps its facts (who, when, what action) and loses only its payloads,
//! which the append-only triggers allow.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sesame_core::{
    text, AuditEntity, AuditEntry, Badge, BadgeStatus, Clock, RequestStatus, RetentionCutoffs,
};
use sqlx::Row;
use uuid::Uuid;

use super::rows::{badge_from_row, load_holder, BADGE_COLUMNS};
use super::{
    append_audit, audit_from_row, begin_write, get_uuid, require_operator, Audit, Conn, Now, Pool,
    AUDIT_COLUMNS, DIALECT,
};
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::{HolderErasure, HolderRecords, PurgeDocument, PurgeHolder, PurgeRequest};

/// What goes once the badge is printed: the ID scans, and photos replaced by newer ones.
const ID_DOCUMENT_KINDS: &str = "('id_document_front', 'id_document_back', 'previous_photo')";

/// The family name an anonymised holder keeps; the given name becomes a short id.
pub(crate) const ANONYMISED_NAME: &str = "ANONYME";

fn closed_statuses() -> [&'static str; 2] {
    [
        RequestStatus::Refused.as_str(),
        RequestStatus::Cancelled.as_str(),
    ]
}

/// A request not yet printed (open or approved) blocks anonymising its holder; once
/// printed, its badge says whether the holder is still around.
fn under_way(status: &str) -> bool {
    RequestStatus::parse(status)
        .is_none_or(|status| status.is_open() || status == RequestStatus::Approved)
}

/// A live badge blocks anonymising its holder; one past its validity counts as ended then.
fn badge_end(
    status: BadgeStatus,
    valid_until: NaiveDate,
    updated: DateTime<Utc>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match status {
        BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended => {
            (valid_until < today).then_some(valid_until)
        }
        BadgeStatus::Opposed
        | BadgeStatus::Expired
        | BadgeStatus::Deactivated
        | BadgeStatus::Returned => Some(valid_until.min(updated.date_naive())),
    }
}

/// What a purge on `today` would remove, given the cut-off days.
pub(crate) async fn purge_plan(
    pool: &Pool,
    today: NaiveDate,
    cut: RetentionCutoffs,
) -> Result<(Vec<PurgeDocument>, Vec<PurgeHolder>, Vec<PurgeRequest>)> {
    let mut conn = pool.acquire().await?;

    let sql = format!(
        "SELECT a.id, a.request_id, r.printed_at FROM attachments a JOIN requests r ON r.id = a.request_id
         WHERE a.kind IN {ID_DOCUMENT_KINDS} AND r.printed_at IS NOT NULL ORDER BY a.id"
    );
    let mut documents = Vec::new();
    for row in sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
    {
        let printed: DateTime<Utc> = row.try_get("printed_at")?;
        if printed.date_naive() <= cut.id_documents_printed_on_or_before {
            documents.push(PurgeDocument {
                attachment_id: get_uuid(&row, "id")?,
                request_id: get_uuid(&row, "request_id")?,
                printed_on: printed.date_naive(),
            });
        }
    }

    // Holders with a request still under way are never purged.
    let mut busy: HashSet<Uuid> = HashSet::new();
    for row in sqlx::query("SELECT DISTINCT r.holder_id, r.status FROM requests r JOIN holders h ON h.id = r.holder_id WHERE h.anonymised_at IS NULL")
        .fetch_all(&mut *conn)
        .await?
    {
        let status: String = row.try_get("status")?;
        if under_way(&status) {
            busy.insert(get_uuid(&row, "holder_id")?);
        }
    }
    let mut last_end: HashMap<Uuid, Option<NaiveDate>> = HashMap::new();
    for row in sqlx::query(
        "SELECT b.holder_id, b.status, b.valid_until, b.updated_at FROM badges b
         JOIN holders h ON h.id = b.holder_id WHERE h.anonymised_at IS NULL",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let holder = get_uuid(&row, "holder_id")?;
        let status: String = row.try_get("status")?;
        let status = BadgeStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown badge status '{status}'")))?;
        let end = badge_end(
            status,
            row.try_get("valid_until")?,
            row.try_get("updated_at")?,
            today,
        );
        let slot = last_end.entry(holder).or_insert(Some(NaiveDate::MIN));
        *slot = match (*slot, end) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    let mut holders: Vec<PurgeHolder> = last_end
        .into_iter()
        .filter(|(holder, _)| !busy.contains(holder))
        .filter_map(|(holder_id, end)| {
            end.filter(|end| *end <= cut.badges_ended_on_or_before)
                .map(|last_badge_ended_on| PurgeHolder {
                    holder_id,
                    last_badge_ended_on,
                })
        })
        .collect();
    holders.sort_by_key(|h| h.holder_id);

    let [refused, cancelled] = closed_statuses();
    let mut requests = Vec::new();
    for row in sqlx::query(
        "SELECT id, holder_id, updated_at FROM requests
         WHERE status IN ($1, $2) AND purged_at IS NULL ORDER BY id",
    )
    .bind(refused)
    .bind(cancelled)
    .fetch_all(&mut *conn)
    .await?
    {
        let closed: DateTime<Utc> = row.try_get("updated_at")?;
        if closed.date_naive() <= cut.requests_closed_on_or_before {
            requests.push(PurgeRequest {
                request_id: get_uuid(&row, "id")?,
                holder_id: get_uuid(&row, "holder_id")?,
                closed_on: closed.date_naive(),
            });
        }
    }
    Ok((documents, holders, requests))
}

/// Deletes the ID document scans of one printed request, if its badge was printed on or
/// before `printed_on_or_before`. Returns how many went.
pub(crate) async fn purge_id_documents(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    printed_on_or_before: NaiveDate,
    operator: &str,
) -> Result<i64> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let printed: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT printed_at FROM requests WHERE id = $1")
            .bind(request_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
    if printed.is_none_or(|p| p.date_naive() > printed_on_or_before) {
        return Ok(0);
    }
    let sql = format!(
        "SELECT id, kind FROM attachments WHERE request_id = $1 AND kind IN {ID_DOCUMENT_KINDS} ORDER BY id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .fetch_all(&mut *tx)
        .await?;
    for row in &rows {
        let id: String = row.try_get("id")?;
        let kind: String = row.try_get("kind")?;
        sqlx::query("DELETE FROM attachments WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        append_audit(
            &mut tx,
            at,
            Audit {
                operator,
                entity: AuditEntity::Attachment,
                entity_id: id,
                request_id: Some(request_id),
                action: "purge",
                before: None,
                after: Some(serde_json::json!({
                    "kind": kind,
                    "rule": "id_document_days_after_print",
                })),
                reason: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as i64)
}

/// Redacts the payloads of every audit entry about `holder_id`, their requests and badges.
async fn redact_holder_audit(conn: &mut Conn, holder_id: Uuid) -> Result<i64> {
    redact_audit(conn, "holder", holder_id).await
}

async fn redact_request_audit(conn: &mut Conn, request_id: Uuid) -> Result<i64> {
    redact_audit(conn, "request", request_id).await
}

/// Blanks the payloads of the audit lines in `scope` (`holder`: the holder's, their
/// requests' and badges'; `request`). PostgreSQL does it in `sesame_redact_audit`: no
/// operator's login may update the log itself.
async fn redact_audit(conn: &mut Conn, scope: &str, id: Uuid) -> Result<i64> {
    if DIALECT == Dialect::Postgres {
        let done: i64 = sqlx::query_scalar("SELECT sesame_redact_audit($1, $2)")
            .bind(scope)
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
        return Ok(done);
    }
    let sql = match scope {
        "holder" => {
            "UPDATE audit_log SET before_json = NULL, after_json = NULL, reason = NULL, redacted = $1
             WHERE redacted = $2 AND (
                 (entity = 'holder' AND entity_id = $3)
                 OR request_id IN (SELECT id FROM requests WHERE holder_id = $3)
                 OR (entity = 'badge' AND entity_id IN (SELECT id FROM badges WHERE holder_id = $3)))"
        }
        _ => {
            "UPDATE audit_log SET before_json = NULL, after_json = NULL, reason = NULL, redacted = $1
             WHERE redacted = $2 AND request_id = $3"
        }
    };
    let done = sqlx::query(sql)
        .bind(true)
        .bind(false)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() as i64)
}

/// Deletes the attachments of the given requests; returns how many.
async fn delete_attachments_of(conn: &mut Conn, request_ids: &[String]) -> Result<i64> {
    let mut deleted = 0;
    for id in request_ids {
        deleted += sqlx::query("DELETE FROM attachments WHERE request_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected() as i64;
    }
    Ok(deleted)
}

/// Replaces a holder's personal data inside `conn`'s transaction: attachments of their
/// requests deleted, names/e-mail/phone/ids replaced, free text of their requests cleared,
/// search words removed, queued e-mails to them dropped, audit payloads redacted, then
/// one audit entry `action` (`erase` or `purge`) left with counts only.
/// Refuses (`holder.still_active`) while a badge is live or a request is under way.
async fn anonymise_in(
    conn: &mut Conn,
    holder_id: Uuid,
    operator: &str,
    action: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<HolderErasure> {
    let holder = load_holder(conn, holder_id).await?;
    let anonymised: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT anonymised_at FROM holders WHERE id = $1")
            .bind(holder_id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    if anonymised.is_some() {
        return Err(StoreError::HolderAnonymised {
            holder: holder_id.to_string(),
        });
    }
    let requests = sqlx::query("SELECT id, status FROM requests WHERE holder_id = $1 ORDER BY id")
        .bind(holder_id.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let mut request_ids = Vec::new();
    for row in &requests {
        let id: String = row.try_get("id")?;
        let status: String = row.try_get("status")?;
        if under_way(&status) {
            return Err(StoreError::HolderStillActive {
                holder: holder_id.to_string(),
                detail: format!("request {id} is {status}"),
            });
        }
        request_ids.push(id);
    }
    let badges = sqlx::query(
        "SELECT id, number, status, valid_until, updated_at FROM badges WHERE holder_id = $1",
    )
    .bind(holder_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for row in &badges {
        let status: String = row.try_get("status")?;
        let live = matches!(
            BadgeStatus::parse(&status),
            Some(BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended)
        );
        let valid_until: NaiveDate = row.try_get("valid_until")?;
        if live && valid_until >= today {
            let number: String = row.try_get("number")?;
            return Err(StoreError::HolderStillActive {
                holder: holder_id.to_string(),
                detail: format!("badge {number} is {status}; deactivate it first"),
            });
        }
    }

    let attachments_deleted = delete_attachments_of(conn, &request_ids).await?;
    let short_id = holder_id.simple().to_string()[..8].to_owned();
    sqlx::query(
        "UPDATE holders SET family_name = $1, given_names = $2, email = NULL, phone = NULL,
             unit = NULL, external_id = NULL, version = version + 1, updated_at = $3, anonymised_at = $3
         WHERE id = $4",
    )
    .bind(ANONYMISED_NAME)
    .bind(&short_id)
    .bind(at)
    .bind(holder_id.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE requests SET holder_sort = $1, notes = NULL, status_reason = NULL, search_initials = 0
         WHERE holder_id = $2",
    )
    .bind(text::sort_key(ANONYMISED_NAME, &short_id))
    .bind(holder_id.to_string())
    .execute(&mut *conn)
    .await?;
    for id in &request_ids {
        sqlx::query("DELETE FROM search_terms WHERE request_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    // A loan's reason is free text about the holder.
    sqlx::query(
        "UPDATE badge_loans SET reason = '' WHERE original_badge_id IN
             (SELECT id FROM badges WHERE holder_id = $1)",
    )
    .bind(holder_id.to_string())
    .execute(&mut *conn)
    .await?;
    // E-mails waiting to be sent carry the address and the name: they go too.
    sqlx::query("DELETE FROM mail_outbox WHERE holder_id = $1 AND status IN ('queued', 'failed')")
        .bind(holder_id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE mail_outbox SET recipient = '', subject = '', body = '' WHERE holder_id = $1",
    )
    .bind(holder_id.to_string())
    .execute(&mut *conn)
    .await?;
    let audit_entries_redacted = redact_holder_audit(conn, holder_id).await?;
    let erasure = HolderErasure {
        holder_id,
        requests: request_ids.len() as i64,
        badges: badges.len() as i64,
        attachments_deleted,
        audit_entries_redacted,
    };
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity: AuditEntity::Holder,
            entity_id: holder.id.to_string(),
            request_id: None,
            action,
            before: None,
            after: serde_json::to_value(&erasure).ok(),
            reason,
        },
    )
    .await?;
    Ok(erasure)
}

/// Anonymises one holder in its own transaction (see [`anonymise_in`]). With
/// `ended_on_or_before` (the retention purge), only if every badge ended by then.
pub(crate) async fn anonymise_holder(
    pool: &Pool,
    clock: &Clock,
    holder_id: Uuid,
    operator: &str,
    action: &str,
    reason: Option<&str>,
    today: NaiveDate,
) -> Result<HolderErasure> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let erasure = anonymise_in(&mut tx, holder_id, operator, action, reason, at, today).await?;
    tx.commit().await?;
    Ok(erasure)
}

/// Removes the personal data of one refused or cancelled request closed on or before
/// `closed_on_or_before`: attachments, notes, reasons, search words, audit payloads.
/// When the holder has nothing else (no badge, no other request kept), the holder is
/// anonymised in the same transaction. Returns (attachments deleted, audit entries
/// redacted, holder anonymised).
pub(crate) async fn purge_closed_request(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    closed_on_or_before: NaiveDate,
    operator: &str,
    today: NaiveDate,
) -> Result<(i64, i64, bool)> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let row =
        sqlx::query("SELECT holder_id, status, updated_at, purged_at FROM requests WHERE id = $1")
            .bind(request_id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                entity: "request",
                id: request_id.to_string(),
            })?;
    let status: String = row.try_get("status")?;
    let updated: DateTime<Utc> = row.try_get("updated_at")?;
    let purged: Option<DateTime<Utc>> = row.try_get("purged_at")?;
    if !closed_statuses().contains(&status.as_str())
        || purged.is_some()
        || updated.date_naive() > closed_on_or_before
    {
        return Ok((0, 0, false));
    }
    let holder_id = get_uuid(&row, "holder_id")?;
    let attachments = delete_attachments_of(&mut tx, &[request_id.to_string()]).await?;
    sqlx::query("DELETE FROM search_terms WHERE request_id = $1")
        .bind(request_id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE requests SET notes = NULL, status_reason = NULL, search_initials = 0, purged_at = $1
         WHERE id = $2",
    )
    .bind(at)
    .bind(request_id.to_string())
    .execute(&mut *tx)
    .await?;
    let mut redacted = redact_request_audit(&mut tx, request_id).await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Request,
            entity_id: request_id.to_string(),
            request_id: Some(request_id),
            action: "purge",
            before: None,
            after: Some(serde_json::json!({
                "rule": "closed_request_days",
                "attachmentsDeleted": attachments,
                "auditEntriesRedacted": redacted,
            })),
            reason: None,
        },
    )
    .await?;
    let others: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM requests WHERE holder_id = $1 AND purged_at IS NULL)
              + (SELECT COUNT(*) FROM badges WHERE holder_id = $1)",
    )
    .bind(holder_id.to_string())
    .fetch_one(&mut *tx)
    .await?;
    let anonymised: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT anonymised_at FROM holders WHERE id = $1")
            .bind(holder_id.to_string())
            .fetch_one(&mut *tx)
            .await?;
    let mut holder_done = false;
    if others == 0 && anonymised.is_none() {
        let erasure = anonymise_in(&mut tx, holder_id, operator, "purge", None, at, today).await?;
        redacted += erasure.audit_entries_redacted;
        holder_done = true;
    }
    tx.commit().await?;
    Ok((attachments, redacted, holder_done))
}

/// Everything the store holds about a holder, for their export.
pub(crate) async fn holder_records(pool: &Pool, holder_id: Uuid) -> Result<HolderRecords> {
    let mut conn = pool.acquire().await?;
    let holder = load_holder(&mut conn, holder_id).await?;
    let anonymised_at: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT anonymised_at FROM holders WHERE id = $1")
            .bind(holder_id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    let request_ids = sqlx::query("SELECT id FROM requests WHERE holder_id = $1 ORDER BY id")
        .bind(holder_id.to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| get_uuid(row, "id"))
        .collect::<Result<Vec<_>>>()?;
    let sql = format!("SELECT {BADGE_COLUMNS} FROM badges WHERE holder_id = $1 ORDER BY id");
    let badges = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(holder_id.to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(badge_from_row)
        .collect::<Result<Vec<Badge>>>()?;
    let sql = format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE (entity = 'holder' AND entity_id = $1)
             OR request_id IN (SELECT id FROM requests WHERE holder_id = $1)
             OR (entity = 'badge' AND entity_id IN (SELECT id FROM badges WHERE holder_id = $1))
         ORDER BY id"
    );
    let audit = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(holder_id.to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(audit_from_row)
        .collect::<Result<Vec<AuditEntry>>>()?;
    Ok(HolderRecords {
        holder,
        anonymised_at,
        request_ids,
        badges,
        audit,
    })
}
