//! Inactivity: the last passage of each badge from the access-control usage log, the
//! list of active badges unused for too long, and their deactivation after review.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sesame_core::{
    next_badge_status, rules_for, AuditEntity, BadgeAction, BadgeStatus, Clock, ErrorCode, Policy,
};
use sqlx::Row;
use uuid::Uuid;

use super::rows::{badge_row, badge_select, unused_since, BADGE_USABLE_SINCE};
use super::versioned::{bump_version, Bump, Versioned};
use super::{
    append_audit, begin_write, get_uuid, load_policy, require_operator, Audit, Conn, Now, Pool,
    DIALECT,
};
use crate::error::{Result, StoreError};
use crate::usage_import::ParsedUsage;
use crate::{
    BadgeBatchOutcome, BadgeRef, BadgeRow, BadgeSkip, InactiveBadge, RefusedRow, RowRefusal,
    UsageImportReport,
};

/// Passages dated later than this after the import are refused (a reader's clock gone wrong).
const FUTURE_TOLERANCE_HOURS: i64 = 24;

/// Moves each badge's last passage forward from the parsed log; passages of unknown
/// badges, and passages in the future, are refused row by row. One transaction,
/// audited once; `dry_run` writes nothing.
pub(crate) async fn import_usage(
    pool: &Pool,
    clock: &Clock,
    parsed: ParsedUsage,
    operator: &str,
    dry_run: bool,
) -> Result<UsageImportReport> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut refused = parsed.refused;
    let mut tx = begin_write(pool).await?;

    // Numbers first, then card serials: the access-control system may log either.
    let mut by_key: HashMap<String, Uuid> = HashMap::new();
    let mut by_serial: HashMap<String, Uuid> = HashMap::new();
    for row in sqlx::query("SELECT id, number, card_serial FROM badges")
        .fetch_all(&mut *tx)
        .await?
    {
        let id = get_uuid(&row, "id")?;
        let number: String = row.try_get("number")?;
        by_key.insert(number.to_uppercase(), id);
        if let Some(serial) = row.try_get::<Option<String>, _>("card_serial")? {
            by_serial.insert(serial.to_uppercase(), id);
        }
    }

    let horizon = at + chrono::TimeDelta::hours(FUTURE_TOLERANCE_HOURS);
    let mut latest: HashMap<Uuid, Passages> = HashMap::new();
    let mut accepted = 0u64;
    let mut latest_seen_at: Option<DateTime<Utc>> = None;
    for event in parsed.events {
        let key = event.badge.to_uppercase();
        let Some(id) = by_key.get(&key).or_else(|| by_serial.get(&key)).copied() else {
            refused.push(RefusedRow {
                row: event.row,
                line: event.line,
                column: Some("badge".into()),
                code: RowRefusal::UnknownBadge.code().into(),
                message: format!("no badge has the number or card serial '{}'", event.badge),
            });
            continue;
        };
        if event.seen_at > horizon {
            refused.push(RefusedRow {
                row: event.row,
                line: event.line,
                column: Some("timestamp".into()),
                code: RowRefusal::FutureTimestamp.code().into(),
                message: format!(
                    "passage at {} is in the future (check the reader's clock)",
                    event.seen_at.to_rfc3339()
                ),
            });
            continue;
        }
        accepted += 1;
        latest_seen_at = latest_seen_at.max(Some(event.seen_at));
        let entry = latest.entry(id).or_insert(Passages {
            last: event.seen_at,
            door: event.door.clone(),
            first: event.seen_at,
        });
        entry.first = entry.first.min(event.seen_at);
        if event.seen_at > entry.last {
            entry.last = event.seen_at;
            entry.door = event.door;
        }
    }

    // What the database knows: each badge's last and first passages.
    let known: HashMap<Uuid, (DateTime<Utc>, Option<DateTime<Utc>>)> = {
        let rows = sqlx::query("SELECT badge_id, last_seen_at, first_seen_at FROM badge_usage")
            .fetch_all(&mut *tx)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    get_uuid(r, "badge_id")?,
                    (r.try_get("last_seen_at")?, r.try_get("first_seen_at")?),
                ))
            })
            .collect::<Result<_>>()?
    };
    // A badge changes when the log moves its last passage forward or (lines imported
    // out of order) its first one back.
    let mut updates: Vec<(Uuid, Passages)> = latest
        .into_iter()
        .filter(|(id, p)| {
            known.get(id).is_none_or(|(last, known_first)| {
                p.last > *last || known_first.is_none_or(|known_first| p.first < known_first)
            })
        })
        .collect();
    updates.sort_by_key(|(id, _)| *id);
    let badges_updated = updates.len() as u64;

    if dry_run {
        tx.rollback().await?;
    } else {
        for (id, passages) in &updates {
            sqlx::query(
                "INSERT INTO badge_usage (badge_id, last_seen_at, last_door, updated_at, first_seen_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (badge_id) DO UPDATE SET
                     last_seen_at = CASE WHEN excluded.last_seen_at > badge_usage.last_seen_at
                         THEN excluded.last_seen_at ELSE badge_usage.last_seen_at END,
                     last_door = CASE WHEN excluded.last_seen_at > badge_usage.last_seen_at
                         THEN excluded.last_door ELSE badge_usage.last_door END,
                     first_seen_at = CASE WHEN badge_usage.first_seen_at IS NULL
                             OR excluded.first_seen_at < badge_usage.first_seen_at
                         THEN excluded.first_seen_at ELSE badge_usage.first_seen_at END,
                     updated_at = excluded.updated_at",
            )
            .bind(id.to_string())
            .bind(passages.last)
            .bind(passages.door.clone())
            .bind(at)
            .bind(passages.first)
            .execute(&mut *tx)
            .await?;
        }
        append_audit(
            &mut tx,
            at,
            Audit {
                operator: operator.trim(),
                entity: AuditEntity::Import,
                entity_id: Uuid::now_v7().to_string(),
                request_id: None,
                action: "import_usage_log",
                before: None,
                after: Some(serde_json::json!({
                    "encoding": parsed.encoding,
                    "delimiter": parsed.delimiter.to_string(),
                    "rowsRead": parsed.rows_read,
                    "accepted": accepted,
                    "badgesUpdated": badges_updated,
                    "refused": refused.len(),
                    "latestSeenAt": latest_seen_at,
                })),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
    }
    refused.sort_by_key(|r| r.row);
    Ok(UsageImportReport {
        encoding: parsed.encoding.to_owned(),
        delimiter: parsed.delimiter.to_string(),
        rows_read: parsed.rows_read,
        accepted,
        badges_updated,
        latest_seen_at,
        refused,
        dry_run,
    })
}

/// One badge's passages in an imported log: the latest with its door, and the earliest.
struct Passages {
    last: DateTime<Utc>,
    door: Option<String>,
    first: DateTime<Utc>,
}

fn inactivity_threshold(policy: &Policy, category: &str, days: Option<u32>) -> u32 {
    days.unwrap_or_else(|| rules_for(policy, category).inactivity_days)
}

/// An active badge with when it was last seen and since when it could be used.
struct ActiveUsage {
    row: BadgeRow,
    last_seen_at: Option<DateTime<Utc>>,
    last_door: Option<String>,
    usable_since: Option<DateTime<Utc>>,
}

/// Active badges with when they were last seen and since when they could be used
/// (`ids`: only those badges).
async fn active_with_usage(
    conn: &mut Conn,
    ids: Option<&[Uuid]>,
    lock: bool,
) -> Result<Vec<ActiveUsage>> {
    let mut sql = badge_select(&format!(
        ", u.last_seen_at, u.last_door, {BADGE_USABLE_SINCE}"
    ));
    sql.push_str(" LEFT JOIN badge_usage u ON u.badge_id = b.id WHERE b.status = $1");
    if let Some(ids) = ids {
        let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        sql.push_str(&format!(" AND b.id IN ({})", marks.join(", ")));
    }
    sql.push_str(" ORDER BY b.number");
    // PostgreSQL cannot lock the nullable side of the outer join: lock the badges only.
    if lock && !DIALECT.for_update().is_empty() {
        sql.push_str(" FOR UPDATE OF b");
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(BadgeStatus::Active.as_str());
    for id in ids.unwrap_or(&[]) {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(ActiveUsage {
                row: badge_row(row)?,
                last_seen_at: row.try_get("last_seen_at")?,
                last_door: row.try_get("last_door")?,
                usable_since: row.try_get("usable_since")?,
            })
        })
        .collect()
}

fn inactive(
    policy: &Policy,
    days: Option<u32>,
    today: NaiveDate,
    ActiveUsage {
        row,
        last_seen_at,
        last_door,
        usable_since,
    }: ActiveUsage,
) -> Option<InactiveBadge> {
    let threshold = inactivity_threshold(policy, &row.category, days);
    let unused_since = unused_since(last_seen_at, usable_since, row.badge.created_at);
    let days_unused = (today - unused_since.date_naive()).num_days();
    (days_unused >= i64::from(threshold)).then_some(InactiveBadge {
        row,
        last_seen_at,
        last_door,
        unused_since,
        days_unused,
        threshold_days: threshold,
    })
}

/// Active badges not seen for the category's `inactivity_days` (or `days` for all),
/// counted to `today`; the longest unused first.
pub(crate) async fn inactive_badges(
    pool: &Pool,
    days: Option<u32>,
    today: NaiveDate,
) -> Result<Vec<InactiveBadge>> {
    let mut conn = pool.acquire().await?;
    let policy = load_policy(&mut conn).await?;
    let mut out: Vec<InactiveBadge> = active_with_usage(&mut conn, None, false)
        .await?
        .into_iter()
        .filter_map(|found| inactive(&policy, days, today, found))
        .collect();
    out.sort_by(|a, b| {
        a.unused_since
            .cmp(&b.unused_since)
            .then_with(|| a.row.badge.number.cmp(&b.row.badge.number))
    });
    Ok(out)
}

fn skip(badge_id: Uuid, number: Option<String>, code: &str, message: String) -> BadgeSkip {
    BadgeSkip {
        badge_id,
        badge_number: number,
        code: code.to_owned(),
        message,
    }
}

/// Deactivates the badges the operator reviewed on the inactivity list, with one reason,
/// in one transaction. A badge is left alone (and reported) when it changed since the
/// review (version), is no longer active, or is no longer unused by the same measure
/// (`days`, `today`) — say it was seen at a door since.
pub(crate) async fn deactivate_unused(
    pool: &Pool,
    clock: &Clock,
    selection: &[BadgeRef],
    reason: &str,
    days: Option<u32>,
    today: NaiveDate,
    operator: &str,
) -> Result<BadgeBatchOutcome> {
    require_operator(operator)?;
    let op = operator.trim();
    let reason = reason.trim();
    let action = BadgeAction::Deactivate;
    // Checked once up front so an empty reason refuses the whole selection.
    next_badge_status(BadgeStatus::Active, &action, Some(reason), today, today)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let mut ids: Vec<Uuid> = selection.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    let mut found: HashMap<Uuid, _> = HashMap::new();
    for chunk in ids.chunks(500) {
        for item in active_with_usage(&mut tx, Some(chunk), true).await? {
            found.insert(item.row.badge.id, item);
        }
    }
    let mut outcome = BadgeBatchOutcome::default();
    let mut seen = std::collections::HashSet::new();
    for wanted in selection {
        if !seen.insert(wanted.id) {
            continue;
        }
        let Some(item) = found.remove(&wanted.id) else {
            let status: Option<(String, String)> =
                sqlx::query_as("SELECT status, number FROM badges WHERE id = $1")
                    .bind(wanted.id.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
            outcome.skipped.push(match status {
                None => {
                    let missing = StoreError::NotFound {
                        entity: "badge",
                        id: wanted.id.to_string(),
                    };
                    skip(wanted.id, None, missing.code(), missing.to_string())
                }
                Some((status, number)) => skip(
                    wanted.id,
                    Some(number.clone()),
                    RowRefusal::NotActive.code(),
                    format!("badge '{number}' is '{status}' now, not active: it is no longer on the inactivity list"),
                ),
            });
            continue;
        };
        let badge = item.row.badge.clone();
        if badge.version != wanted.version {
            let err = StoreError::VersionConflict {
                entity: "badge",
                id: badge.id.to_string(),
                expected: wanted.version,
                actual: badge.version,
            };
            outcome.skipped.push(skip(
                badge.id,
                Some(badge.number),
                err.code(),
                err.to_string(),
            ));
            continue;
        }
        let Some(unused) = inactive(&policy, days, today, item) else {
            outcome.skipped.push(skip(
                badge.id,
                Some(badge.number.clone()),
                RowRefusal::UsedSinceReview.code(),
                format!(
                    "badge '{}' was used recently: it is not unused any more",
                    badge.number
                ),
            ));
            continue;
        };
        let target = next_badge_status(
            badge.status,
            &action,
            Some(reason),
            badge.valid_until,
            today,
        )?;
        let bump = Bump::new(Versioned::Badge, badge.id, badge.version)
            .set("status", target.as_str())
            .set("status_reason", reason);
        let audit = Audit {
            operator: op,
            entity: AuditEntity::Badge,
            entity_id: badge.id.to_string(),
            request_id: Some(badge.request_id),
            action: action.name(),
            before: Some(serde_json::json!({ "status": badge.status })),
            after: Some(serde_json::json!({
                "status": target,
                "action": action,
                "inactivity": {
                    "lastSeenAt": unused.last_seen_at,
                    "unusedSince": unused.unused_since,
                    "daysUnused": unused.days_unused,
                    "thresholdDays": unused.threshold_days,
                },
            })),
            reason: Some(reason),
        };
        bump_version(&mut tx, at, bump, audit).await?;
        let mut row = unused.row;
        row.badge.status = target;
        row.badge.status_reason = Some(reason.to_owned());
        row.badge.version += 1;
        row.badge.updated_at = at;
        outcome.changed.push(row);
    }
    tx.commit().await?;
    Ok(outcome)
}
