//! Expiry: badges whose validity ends soon (the desk's list and the reminders),
//! badges past their validity (expired by housekeeping), and the record of the
//! reminders and housekeeping runs that make a second run do nothing more.

use chrono::{Days, NaiveDate};
use sesame_core::{
    next_badge_status, rules_for, strict_rules, AuditEntity, BadgeAction, BadgeStatus, Clock,
    Policy, RequestKind, RequestStatus,
};
use sqlx::Row;
use uuid::Uuid;

use super::rows::{badge_row, badge_select};
use super::versioned::{bump_version, Bump, Versioned};
use super::{
    append_audit, begin_write, load_policy, parse_uuid, require_operator, Audit, Conn, Now, Pool,
    DIALECT,
};
use crate::error::{Result, StoreError};
use crate::{BadgeRow, ExpiringBadge, HousekeepingRun, EXPIRY_REMINDER};

const LIVE: [BadgeStatus; 3] = [
    BadgeStatus::Issued,
    BadgeStatus::Active,
    BadgeStatus::Suspended,
];

fn notice(policy: &Policy, category: &str, days: Option<u32>) -> u32 {
    days.unwrap_or_else(|| rules_for(policy, category).expiry_notice_days)
}

/// Live badges (issued, active, suspended) whose last valid day is between `today` and
/// `today` + the category's `expiry_notice_days` (or `days` for all); soonest first.
pub(crate) async fn expiring_badges(
    pool: &Pool,
    days: Option<u32>,
    today: NaiveDate,
) -> Result<Vec<ExpiringBadge>> {
    let mut conn = pool.acquire().await?;
    let policy = load_policy(&mut conn).await?;
    let widest = days.unwrap_or_else(|| {
        policy
            .categories
            .iter()
            .map(|c| c.expiry_notice_days)
            .chain(std::iter::once(strict_rules().expiry_notice_days))
            .max()
            .unwrap_or(0)
    });
    let horizon = today
        .checked_add_days(Days::new(u64::from(widest)))
        .unwrap_or(NaiveDate::MAX);
    let mut sql = badge_select(
        ", (SELECT MAX(m.queued_at) FROM badge_reminders m WHERE m.badge_id = b.id
               AND m.kind = $1 AND m.valid_until = b.valid_until) AS reminded_at,
           (SELECT COUNT(*) FROM requests q WHERE q.previous_badge_id = b.id AND q.kind = $2
               AND q.status NOT IN ($3, $4, $5)) AS renewals",
    );
    sql.push_str(
        " WHERE b.status IN ($6, $7, $8) AND b.valid_until >= $9 AND b.valid_until <= $10
            AND b.id NOT IN (SELECT loan_badge_id FROM badge_loans)
          ORDER BY b.valid_until, b.number",
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(EXPIRY_REMINDER)
        .bind(RequestKind::Renewal.as_str())
        .bind(RequestStatus::Refused.as_str())
        .bind(RequestStatus::Cancelled.as_str())
        .bind(RequestStatus::Activated.as_str());
    for status in LIVE {
        query = query.bind(status.as_str());
    }
    let rows = query
        .bind(today)
        .bind(horizon)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let badge = badge_row(&row)?;
        let notice_days = notice(&policy, &badge.category, days);
        let days_left = (badge.badge.valid_until - today).num_days();
        if days_left > i64::from(notice_days) {
            continue;
        }
        let renewals: i64 = row.try_get("renewals")?;
        out.push(ExpiringBadge {
            row: badge,
            days_left,
            notice_days,
            reminded_at: row.try_get("reminded_at")?,
            renewal_pending: renewals > 0,
        });
    }
    Ok(out)
}

/// Live badges whose last valid day is before `today`, oldest first.
async fn past_validity(conn: &mut Conn, today: NaiveDate, lock: bool) -> Result<Vec<BadgeRow>> {
    let mut sql = badge_select("");
    sql.push_str(
        " WHERE b.status IN ($1, $2, $3) AND b.valid_until < $4 ORDER BY b.valid_until, b.number",
    );
    if lock && !DIALECT.for_update().is_empty() {
        sql.push_str(" FOR UPDATE OF b");
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for status in LIVE {
        query = query.bind(status.as_str());
    }
    let rows = query.bind(today).fetch_all(&mut *conn).await?;
    rows.iter().map(badge_row).collect()
}

/// Expires every live badge past its validity on `today`, each audited (`expire`), in
/// one transaction; returns them as they are now. `dry_run` only lists them.
pub(crate) async fn expire_past_validity(
    pool: &Pool,
    clock: &Clock,
    today: NaiveDate,
    operator: &str,
    dry_run: bool,
) -> Result<Vec<BadgeRow>> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let due = past_validity(&mut tx, today, !dry_run).await?;
    if dry_run {
        tx.rollback().await?;
        return Ok(due);
    }
    let action = BadgeAction::Expire;
    let mut out = Vec::with_capacity(due.len());
    for mut row in due {
        let badge = &row.badge;
        let target = next_badge_status(badge.status, &action, None, badge.valid_until, today)?;
        let bump =
            Bump::new(Versioned::Badge, badge.id, badge.version).set("status", target.as_str());
        let audit = Audit {
            operator: op,
            entity: AuditEntity::Badge,
            entity_id: badge.id.to_string(),
            request_id: Some(badge.request_id),
            action: action.name(),
            before: Some(
                serde_json::json!({ "status": badge.status, "validUntil": badge.valid_until }),
            ),
            after: Some(serde_json::json!({
                "status": target,
                "validUntil": badge.valid_until,
                "action": action,
                "runOn": today,
            })),
            reason: None,
        };
        bump_version(&mut tx, at, bump, audit).await?;
        row.badge.status = target;
        row.badge.version += 1;
        row.badge.updated_at = at;
        out.push(row);
    }
    tx.commit().await?;
    Ok(out)
}

/// Records that the holder of `badge_id` was reminded (`kind`) for the end of validity
/// `valid_until`, audited. Returns false, writing nothing, when that reminder was
/// recorded before.
pub(crate) async fn record_reminder(
    pool: &Pool,
    clock: &Clock,
    badge_id: Uuid,
    kind: &str,
    valid_until: NaiveDate,
    operator: &str,
) -> Result<bool> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let request_id: Option<String> =
        sqlx::query_scalar("SELECT request_id FROM badges WHERE id = $1")
            .bind(badge_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(request_id) = request_id else {
        return Err(StoreError::NotFound {
            entity: "badge",
            id: badge_id.to_string(),
        });
    };
    let done = sqlx::query(
        "INSERT INTO badge_reminders (badge_id, kind, valid_until, queued_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(badge_id.to_string())
    .bind(kind)
    .bind(valid_until)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    append_audit(
        &mut tx,
        at,
        Audit {
            operator: operator.trim(),
            entity: AuditEntity::Badge,
            entity_id: badge_id.to_string(),
            request_id: Some(parse_uuid(&request_id)?),
            action: "reminder_queued",
            before: None,
            after: Some(serde_json::json!({ "kind": kind, "validUntil": valid_until })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Keeps what a housekeeping run did.
pub(crate) async fn record_housekeeping_run(
    pool: &Pool,
    clock: &Clock,
    run_on: NaiveDate,
    operator: &str,
    report: &serde_json::Value,
) -> Result<()> {
    require_operator(operator)?;
    sqlx::query(
        "INSERT INTO housekeeping_runs (run_on, started_at, operator, report) VALUES ($1, $2, $3, $4)",
    )
    .bind(run_on)
    .bind(Now::read(clock).at)
    .bind(operator.trim())
    .bind(report.to_string())
    .execute(pool)
    .await?;
    Ok(())
}

fn housekeeping_run(row: &super::DbRow) -> Result<HousekeepingRun> {
    let report: String = row.try_get("report")?;
    Ok(HousekeepingRun {
        id: row.try_get("id")?,
        run_on: row.try_get("run_on")?,
        started_at: row.try_get("started_at")?,
        operator: row.try_get("operator")?,
        report: serde_json::from_str(&report)
            .map_err(|e| StoreError::Corrupt(format!("housekeeping report is not JSON: {e}")))?,
    })
}

/// The latest recorded housekeeping run, if any.
pub(crate) async fn last_housekeeping_run(pool: &Pool) -> Result<Option<HousekeepingRun>> {
    let row = sqlx::query(
        "SELECT id, run_on, started_at, operator, report FROM housekeeping_runs ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(housekeeping_run).transpose()
}

/// The housekeeping runs recorded on or after `since`, newest first.
pub(crate) async fn housekeeping_runs_since(
    pool: &Pool,
    since: NaiveDate,
) -> Result<Vec<HousekeepingRun>> {
    let rows = sqlx::query(
        "SELECT id, run_on, started_at, operator, report FROM housekeeping_runs
         WHERE run_on >= $1 ORDER BY id DESC",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    rows.iter().map(housekeeping_run).collect()
}
