//! The e-mail outbox: queueing rendered messages, leasing due ones to a
//! sender, recording what the SMTP server said, and the operator's retry and cancel.
//! Every change writes its audit line in the same transaction, on the request (or
//! badge) the message is about, so the request's history shows its e-mails.

use chrono::{DateTime, Utc};
use sesame_core::{AuditEntity, Clock, DomainError};
use sqlx::Row;
use uuid::Uuid;

use super::rows::row_by_id;
use super::{
    append_audit, begin_write, get_opt_uuid, get_uuid, parse_uuid, require_operator, Audit, Conn,
    DbRow, Now, Pool, Tx, DIALECT,
};
use crate::error::{Result, StoreError};
use crate::{
    MailFailure, MailLanguage, MailStatus, MailStatusCount, MailTemplate, NewMail, OutboxMessage,
    OutboxQuery,
};

const OUTBOX_COLUMNS: &str = "id, dedupe_key, request_id, badge_id, holder_id, recipient, template, language,
    subject, body, status, attempts, next_attempt_at, last_error, created_by, created_at, sent_at, updated_at";

/// Longest error text kept (SMTP servers can answer with whole paragraphs).
const MAX_ERROR_CHARS: usize = 1000;
const DEFAULT_LIST_LIMIT: u32 = 100;
const MAX_LIST_LIMIT: u32 = 500;

/// The settings key of the office's SMTP settings (JSON, owned by `sesame-mail`).
pub(crate) const MAIL_SETTINGS_KEY: &str = "mail";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{value}' in the outbox"))
}

fn message_from_row(row: &DbRow) -> Result<OutboxMessage> {
    let template: String = row.try_get("template")?;
    let language: String = row.try_get("language")?;
    let status: String = row.try_get("status")?;
    let attempts: i64 = row.try_get("attempts")?;
    Ok(OutboxMessage {
        id: get_uuid(row, "id")?,
        dedupe_key: row.try_get("dedupe_key")?,
        request_id: get_opt_uuid(row, "request_id")?,
        badge_id: get_opt_uuid(row, "badge_id")?,
        holder_id: get_opt_uuid(row, "holder_id")?,
        recipient: row.try_get("recipient")?,
        template: MailTemplate::parse(&template)
            .ok_or_else(|| corrupt("mail template", &template))?,
        language: MailLanguage::parse(&language)
            .ok_or_else(|| corrupt("mail language", &language))?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        status: MailStatus::parse(&status).ok_or_else(|| corrupt("mail status", &status))?,
        attempts: u32::try_from(attempts).unwrap_or(0),
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        sent_at: row.try_get("sent_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The audit line's subject: the badge for reminders, else the request.
fn audit_target(message: &OutboxMessage) -> (AuditEntity, String) {
    match (message.template, message.badge_id, message.request_id) {
        (MailTemplate::BadgeExpiring, Some(badge), _) => (AuditEntity::Badge, badge.to_string()),
        (_, _, Some(request)) => (AuditEntity::Request, request.to_string()),
        (_, Some(badge), None) => (AuditEntity::Badge, badge.to_string()),
        (_, None, None) => (AuditEntity::Settings, MAIL_SETTINGS_KEY.to_owned()),
    }
}

/// What the audit keeps of a message: enough to follow it, not its body.
fn audit_view(message: &OutboxMessage) -> serde_json::Value {
    serde_json::json!({
        "messageId": message.id,
        "template": message.template.as_str(),
        "language": message.language.as_str(),
        "recipient": message.recipient,
        "status": message.status.as_str(),
        "attempts": message.attempts,
        "lastError": message.last_error,
    })
}

async fn audit_change(
    conn: &mut Conn,
    at: DateTime<Utc>,
    operator: &str,
    action: &str,
    before: Option<&OutboxMessage>,
    after: &OutboxMessage,
    reason: Option<&str>,
) -> Result<()> {
    let (entity, entity_id) = audit_target(after);
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity,
            entity_id,
            request_id: after.request_id,
            action,
            before: before.map(audit_view),
            after: Some(audit_view(after)),
            reason,
        },
    )
    .await
}

async fn load_message(conn: &mut Conn, id: Uuid) -> Result<OutboxMessage> {
    let row = row_by_id(
        conn,
        OUTBOX_COLUMNS,
        "mail_outbox",
        "mail message",
        id,
        false,
    )
    .await?;
    message_from_row(&row)
}

fn check_new_mail(new: &NewMail) -> Result<()> {
    let required = |field: &str, value: &str| {
        if value.trim().is_empty() {
            Err(StoreError::from(DomainError::FieldRequired {
                field: field.into(),
            }))
        } else {
            Ok(())
        }
    };
    required("dedupe_key", &new.dedupe_key)?;
    required("recipient", &new.recipient)?;
    required("subject", &new.subject)?;
    required("body", &new.body)?;
    Ok(())
}

/// Queues `new`, due at once. `None` when a message for the same event (`dedupe_key`)
/// is already in the outbox, whatever its status: nothing is written then.
pub(crate) async fn enqueue_mail(
    pool: &Pool,
    clock: &Clock,
    new: NewMail,
    operator: &str,
) -> Result<Option<OutboxMessage>> {
    require_operator(operator)?;
    check_new_mail(&new)?;
    let at = Now::read(clock).at;
    let id = Uuid::now_v7();
    let mut tx = begin_write(pool).await?;
    let inserted = sqlx::query(
        "INSERT INTO mail_outbox (id, dedupe_key, request_id, badge_id, holder_id, recipient, template, language,
             subject, body, status, attempts, next_attempt_at, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', 0, $11, $12, $11, $11)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(new.dedupe_key.trim())
    .bind(new.request_id.map(|v| v.to_string()))
    .bind(new.badge_id.map(|v| v.to_string()))
    .bind(new.holder_id.map(|v| v.to_string()))
    .bind(new.recipient.trim())
    .bind(new.template.as_str())
    .bind(new.language.as_str())
    .bind(&new.subject)
    .bind(&new.body)
    .bind(at)
    .bind(operator.trim())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let message = load_message(&mut tx, id).await?;
    audit_change(&mut tx, at, operator, "mail_queued", None, &message, None).await?;
    tx.commit().await?;
    Ok(Some(message))
}

pub(crate) async fn get_outbox_message(pool: &Pool, id: Uuid) -> Result<OutboxMessage> {
    load_message(&mut *pool.acquire().await?, id).await
}

/// The outbox, newest first.
pub(crate) async fn list_outbox(pool: &Pool, query: &OutboxQuery) -> Result<Vec<OutboxMessage>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIST_LIMIT);
    if !(1..=MAX_LIST_LIMIT).contains(&limit) {
        return Err(StoreError::InvalidQuery {
            reason: format!("outbox limit {limit} is outside 1..={MAX_LIST_LIMIT}"),
        });
    }
    let mut sql = format!("SELECT {OUTBOX_COLUMNS} FROM mail_outbox WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if !query.statuses.is_empty() {
        let marks: Vec<String> = query.statuses.iter().map(|_| next()).collect();
        sql.push_str(&format!(" AND status IN ({})", marks.join(", ")));
    }
    if query.request_id.is_some() {
        sql.push_str(&format!(" AND request_id = {}", next()));
    }
    if query.holder_id.is_some() {
        sql.push_str(&format!(" AND holder_id = {}", next()));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for status in &query.statuses {
        q = q.bind(status.as_str());
    }
    if let Some(id) = query.request_id {
        q = q.bind(id.to_string());
    }
    if let Some(id) = query.holder_id {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(message_from_row).collect()
}

pub(crate) async fn outbox_counts(pool: &Pool) -> Result<Vec<MailStatusCount>> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status")
        .fetch_all(pool)
        .await?;
    let mut counts: Vec<MailStatusCount> = MailStatus::ALL
        .into_iter()
        .map(|status| MailStatusCount { status, count: 0 })
        .collect();
    for row in rows {
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        let status = MailStatus::parse(&status).ok_or_else(|| corrupt("mail status", &status))?;
        if let Some(count) = counts.iter_mut().find(|c| c.status == status) {
            count.count = n;
        }
    }
    Ok(counts)
}

/// Leases up to `limit` queued messages due at `at` to `sender` for `lease`, oldest
/// due first. A message leased by another sender whose lease has not run out is left
/// alone, so two desks never send the same message at the same time. Leases are
/// written and compared by the database's clock, never a desk's: `at` (the desk's
/// clock) only says which messages are due.
pub(crate) async fn claim_due_mail(
    pool: &Pool,
    at: DateTime<Utc>,
    limit: u32,
    sender: &str,
    lease: std::time::Duration,
) -> Result<Vec<OutboxMessage>> {
    require_operator(sender)?;
    let free = format!(
        "(locked_until IS NULL OR {})",
        DIALECT.lease_ran_out("locked_until")
    );
    let candidates: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM mail_outbox
         WHERE status = 'queued' AND next_attempt_at <= $1 AND {free}
         ORDER BY next_attempt_at, id LIMIT {}",
        limit.clamp(1, MAX_LIST_LIMIT)
    )))
    .bind(at)
    .fetch_all(pool)
    .await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for id in candidates {
        // The conditions are checked again by the UPDATE itself: a sender that leased
        // the message in between wins and this one skips it.
        let mut tx = begin_write(pool).await?;
        let taken = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE mail_outbox SET locked_by = $1, locked_until = {}
             WHERE id = $3 AND status = 'queued' AND next_attempt_at <= $4 AND {free}",
            DIALECT.db_time_in("$2")
        )))
        .bind(sender.trim())
        .bind(lease.as_secs_f64())
        .bind(&id)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 1 {
            let message = load_message(&mut tx, parse_uuid(&id)?).await?;
            tx.commit().await?;
            claimed.push(message);
        } else {
            tx.rollback().await?;
        }
    }
    Ok(claimed)
}

/// Right before sending: extends `sender`'s lease on message `id` to `lease` from now
/// (the database's clock) if `sender` still holds it and it is still queued, in one
/// statement. `None` when another desk took it over (its lease had run out), or it was
/// sent, cancelled or given up meanwhile: then `sender` must not send it.
pub(crate) async fn renew_mail_lease(
    pool: &Pool,
    id: Uuid,
    sender: &str,
    lease: std::time::Duration,
) -> Result<Option<OutboxMessage>> {
    require_operator(sender)?;
    let mut tx = begin_write(pool).await?;
    let renewed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE mail_outbox SET locked_until = {}
         WHERE id = $2 AND status = 'queued' AND locked_by = $3",
        DIALECT.db_time_in("$1")
    )))
    .bind(lease.as_secs_f64())
    .bind(id.to_string())
    .bind(sender.trim())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if renewed == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let message = load_message(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Some(message))
}

/// Gives back `sender`'s lease on message `id` (not sent by this run after all), so
/// another desk may take it at once. Nothing happens when `sender` no longer holds it.
pub(crate) async fn release_mail_lease(pool: &Pool, id: Uuid, sender: &str) -> Result<()> {
    sqlx::query(
        "UPDATE mail_outbox SET locked_by = NULL, locked_until = NULL
         WHERE id = $1 AND status = 'queued' AND locked_by = $2",
    )
    .bind(id.to_string())
    .bind(sender.trim())
    .execute(pool)
    .await?;
    Ok(())
}

/// Loads a message leased by `sender`, for recording the outcome of its attempt.
async fn load_leased(conn: &mut Conn, id: Uuid, sender: &str) -> Result<OutboxMessage> {
    let message = load_message(conn, id).await?;
    let holder: Option<String> =
        sqlx::query_scalar("SELECT locked_by FROM mail_outbox WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    if message.status != MailStatus::Queued || holder.as_deref() != Some(sender.trim()) {
        return Err(StoreError::MailWrongState {
            id: id.to_string(),
            status: message.status.as_str().to_owned(),
            action: "record a sending attempt".to_owned(),
        });
    }
    Ok(message)
}

/// Ends a change to message `id` made in `tx`: reads it back, appends the audit line
/// `action` (when given) from `before` to it, and commits.
async fn finish_change(
    mut tx: Tx,
    id: Uuid,
    at: DateTime<Utc>,
    actor: &str,
    audit: Option<(&str, Option<&str>)>,
    before: &OutboxMessage,
) -> Result<OutboxMessage> {
    let after = load_message(&mut tx, id).await?;
    if let Some((action, reason)) = audit {
        audit_change(&mut tx, at, actor, action, Some(before), &after, reason).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// The SMTP server accepted the message: `sent`, lease released.
pub(crate) async fn record_mail_sent(
    pool: &Pool,
    id: Uuid,
    sender: &str,
    at: DateTime<Utc>,
) -> Result<OutboxMessage> {
    let mut tx = begin_write(pool).await?;
    let before = load_leased(&mut tx, id, sender).await?;
    sqlx::query(
        "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = $1, updated_at = $1,
             last_error = NULL, locked_by = NULL, locked_until = NULL
         WHERE id = $2",
    )
    .bind(at)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    finish_change(tx, id, at, sender, Some(("mail_sent", None)), &before).await
}

/// An attempt failed with `error`: queued again for `RetryAt`, or `failed` for good.
/// Only giving up is audited (each retry is visible on the message itself).
pub(crate) async fn record_mail_failure(
    pool: &Pool,
    id: Uuid,
    sender: &str,
    at: DateTime<Utc>,
    error: &str,
    outcome: MailFailure,
) -> Result<OutboxMessage> {
    let error: String = error.trim().chars().take(MAX_ERROR_CHARS).collect();
    let mut tx = begin_write(pool).await?;
    let before = load_leased(&mut tx, id, sender).await?;
    let (status, next_attempt_at) = match outcome {
        MailFailure::RetryAt(when) => (MailStatus::Queued, when),
        MailFailure::GiveUp => (MailStatus::Failed, before.next_attempt_at),
    };
    sqlx::query(
        "UPDATE mail_outbox SET status = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
             updated_at = $4, locked_by = NULL, locked_until = NULL
         WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(next_attempt_at)
    .bind(&error)
    .bind(at)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    // Only giving up is audited: each retry shows on the message itself.
    let audit = (status == MailStatus::Failed).then_some(("mail_failed", Some(error.as_str())));
    finish_change(tx, id, at, sender, audit, &before).await
}

/// An operator sends a failed or cancelled message again: queued, due now, attempts
/// counted afresh.
pub(crate) async fn retry_mail(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    operator: &str,
) -> Result<OutboxMessage> {
    let change = OperatorChange {
        name: "retry",
        allowed: &[MailStatus::Failed, MailStatus::Cancelled],
        set: "status = 'queued', attempts = 0, next_attempt_at = $1, updated_at = $1,
             locked_by = NULL, locked_until = NULL",
        audit: "mail_retry",
    };
    change_by_operator(pool, clock, id, operator, change, None).await
}

/// An operator withdraws a message not sent yet.
pub(crate) async fn cancel_mail(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    operator: &str,
    reason: Option<&str>,
) -> Result<OutboxMessage> {
    let change = OperatorChange {
        name: "cancel",
        allowed: &[MailStatus::Queued],
        set: "status = 'cancelled', updated_at = $1, locked_by = NULL, locked_until = NULL",
        audit: "mail_cancel",
    };
    change_by_operator(pool, clock, id, operator, change, reason).await
}

/// What an operator does to a message by hand.
struct OperatorChange {
    /// The action, named in the refusal.
    name: &'static str,
    /// The statuses it applies to.
    allowed: &'static [MailStatus],
    /// The columns it sets (`$1` is now).
    set: &'static str,
    /// Its audit action.
    audit: &'static str,
}

async fn change_by_operator(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    operator: &str,
    change: OperatorChange,
    reason: Option<&str>,
) -> Result<OutboxMessage> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let before = load_message(&mut tx, id).await?;
    if !change.allowed.contains(&before.status) {
        return Err(StoreError::MailWrongState {
            id: id.to_string(),
            status: before.status.as_str().to_owned(),
            action: change.name.to_owned(),
        });
    }
    let sql = format!("UPDATE mail_outbox SET {} WHERE id = $2", change.set);
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(at)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    finish_change(tx, id, at, operator, Some((change.audit, reason)), &before).await
}

// --- the holder's language ------------------------------------------------------

pub(crate) async fn holder_mail_language(
    pool: &Pool,
    holder_id: Uuid,
) -> Result<Option<MailLanguage>> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT language FROM holder_mail_language WHERE holder_id = $1")
            .bind(holder_id.to_string())
            .fetch_optional(pool)
            .await?;
    value
        .map(|v| MailLanguage::parse(&v).ok_or_else(|| corrupt("mail language", &v)))
        .transpose()
}

/// Sets (or with `None` forgets) the language of a holder's messages. Audited on the holder.
pub(crate) async fn set_holder_mail_language(
    pool: &Pool,
    clock: &Clock,
    holder_id: Uuid,
    language: Option<MailLanguage>,
    operator: &str,
) -> Result<()> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM holders WHERE id = $1")
        .bind(holder_id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound {
            entity: "holder",
            id: holder_id.to_string(),
        });
    }
    let before: Option<String> =
        sqlx::query_scalar("SELECT language FROM holder_mail_language WHERE holder_id = $1")
            .bind(holder_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    if before.as_deref() == language.map(MailLanguage::as_str) {
        tx.rollback().await?;
        return Ok(());
    }
    match language {
        Some(language) => {
            sqlx::query(
                "INSERT INTO holder_mail_language (holder_id, language, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (holder_id) DO UPDATE SET language = excluded.language,
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(holder_id.to_string())
            .bind(language.as_str())
            .bind(operator.trim())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM holder_mail_language WHERE holder_id = $1")
                .bind(holder_id.to_string())
                .execute(&mut *tx)
                .await?;
        }
    }
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Holder,
            entity_id: holder_id.to_string(),
            request_id: None,
            action: "set_mail_language",
            before: before.map(|l| serde_json::json!({ "mailLanguage": l })),
            after: Some(serde_json::json!({ "mailLanguage": language.map(MailLanguage::as_str) })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
