//! The categories' rules that end badges on their own, applied by housekeeping: at
//! the holder's mission end, N days after the first passage at a door, after N days
//! unused. Each badge ended is audited with the rule and what it counted from.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sesame_core::{
    next_badge_status, rules_for, AuditEntity, BadgeAction, BadgeStatus, CategoryRules, Clock,
};
use sqlx::Row;

use super::rows::{badge_row, badge_select, unused_since, BADGE_USABLE_SINCE};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{begin_write, load_policy, require_operator, Audit, Now, Pool, DIALECT};
use crate::error::Result;
use crate::{BadgeRow, ExpiryRule, RuleChange};

const LIVE: [BadgeStatus; 3] = [
    BadgeStatus::Issued,
    BadgeStatus::Active,
    BadgeStatus::Suspended,
];

/// A live badge with what the rules read.
struct Candidate {
    row: BadgeRow,
    mission_end: Option<NaiveDate>,
    first_seen_at: Option<DateTime<Utc>>,
    last_seen_at: Option<DateTime<Utc>>,
    usable_since: Option<DateTime<Utc>>,
}

/// What a rule does to a badge: expire it with its validity cut to `last_day`, or
/// deactivate it.
enum Outcome {
    Expire { last_day: NaiveDate },
    Deactivate { days_unused: i64 },
}

/// The first rule of the badge's category that ends it on `today`, if any.
fn due(
    rules: &CategoryRules,
    c: &Candidate,
    today: NaiveDate,
) -> Option<(ExpiryRule, NaiveDate, Outcome)> {
    let badge = &c.row.badge;
    if rules.expire_at_mission_end {
        if let Some(end) = c
            .mission_end
            .filter(|end| *end < today && *end < badge.valid_until)
        {
            // The validity cannot start after it ends: a badge whose mission ended
            // before its first valid day ends on that day.
            let last_day = end.max(badge.valid_from);
            if last_day < today {
                return Some((ExpiryRule::MissionEnded, end, Outcome::Expire { last_day }));
            }
        }
    }
    if badge.status != BadgeStatus::Active {
        return None;
    }
    let n = rules.expire_days_after_first_use;
    if let (true, Some(first)) = (n > 0, c.first_seen_at) {
        let first_day = first.date_naive();
        let last_day = first_day
            .checked_add_days(Days::new(u64::from(n) - 1))
            .unwrap_or(NaiveDate::MAX)
            .max(badge.valid_from);
        if last_day < today && last_day < badge.valid_until {
            return Some((
                ExpiryRule::AfterFirstUse,
                first_day,
                Outcome::Expire { last_day },
            ));
        }
    }
    let n = rules.deactivate_unused_days;
    if n > 0 {
        let since = unused_since(c.last_seen_at, c.usable_since, badge.created_at).date_naive();
        let days_unused = (today - since).num_days();
        if days_unused >= i64::from(n) {
            return Some((
                ExpiryRule::Unused,
                since,
                Outcome::Deactivate { days_unused },
            ));
        }
    }
    None
}

async fn candidates(conn: &mut super::Conn, lock: bool) -> Result<Vec<Candidate>> {
    let mut sql = badge_select(&format!(
        ", h.mission_end AS rule_mission_end, u.first_seen_at, u.last_seen_at, {BADGE_USABLE_SINCE}"
    ));
    sql.push_str(
        " LEFT JOIN badge_usage u ON u.badge_id = b.id WHERE b.status IN ($1, $2, $3) ORDER BY b.number",
    );
    // PostgreSQL cannot lock the nullable side of the outer join: lock the badges only.
    if lock && !DIALECT.for_update().is_empty() {
        sql.push_str(" FOR UPDATE OF b");
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for status in LIVE {
        query = query.bind(status.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Candidate {
                row: badge_row(row)?,
                mission_end: row.try_get("rule_mission_end")?,
                first_seen_at: row.try_get("first_seen_at")?,
                last_seen_at: row.try_get("last_seen_at")?,
                usable_since: row.try_get("usable_since")?,
            })
        })
        .collect()
}

/// Applies the categories' rules on `today` in one transaction, each badge ended
/// audited (`expire` or `deactivate`, with the rule); returns them as they are now.
/// `dry_run` only lists them, as they would be.
pub(crate) async fn apply_expiry_rules(
    pool: &Pool,
    clock: &Clock,
    today: NaiveDate,
    operator: &str,
    dry_run: bool,
) -> Result<Vec<RuleChange>> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let mut changes = Vec::new();
    for candidate in candidates(&mut tx, !dry_run).await? {
        let rules = rules_for(&policy, &candidate.row.category);
        let Some((rule, since, outcome)) = due(rules, &candidate, today) else {
            continue;
        };
        let mut row = candidate.row;
        let badge = row.badge.clone();
        let (action, reason, valid_until) = match outcome {
            Outcome::Expire { last_day } => (BadgeAction::Expire, None, last_day),
            Outcome::Deactivate { days_unused } => (
                BadgeAction::Deactivate,
                Some(format!(
                    "inutilisé depuis {days_unused} jours / unused for {days_unused} days"
                )),
                badge.valid_until,
            ),
        };
        let target =
            next_badge_status(badge.status, &action, reason.as_deref(), valid_until, today)?;
        if !dry_run {
            let mut bump = Bump::new(Versioned::Badge, badge.id, badge.version)
                .set("status", target.as_str())
                .set("valid_until", Value::Date(Some(valid_until)));
            if let Some(reason) = &reason {
                bump = bump.set("status_reason", reason.as_str());
            }
            let audit = Audit {
                operator: op,
                entity: AuditEntity::Badge,
                entity_id: badge.id.to_string(),
                request_id: Some(badge.request_id),
                action: action.name(),
                before: Some(serde_json::json!({
                    "status": badge.status,
                    "validUntil": badge.valid_until,
                })),
                after: Some(serde_json::json!({
                    "status": target,
                    "validUntil": valid_until,
                    "rule": rule,
                    "since": since,
                    "runOn": today,
                })),
                reason: reason.as_deref(),
            };
            bump_version(&mut tx, at, bump, audit).await?;
            if valid_until != badge.valid_until {
                sqlx::query("UPDATE requests SET badge_valid_until = $1 WHERE badge_id = $2")
                    .bind(valid_until)
                    .bind(badge.id.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            row.badge.version += 1;
            row.badge.updated_at = at;
        }
        row.badge.status = target;
        row.badge.valid_until = valid_until;
        if let Some(reason) = reason {
            row.badge.status_reason = Some(reason);
        }
        changes.push(RuleChange {
            row,
            rule,
            since,
            previous_status: badge.status,
        });
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(changes)
}
