//! Badges: issuing numbers that are never reused, and the badge's own lifecycle.

use chrono::{DateTime, NaiveDate, Utc};
use sesame_core::{
    next_badge_status, rules, AuditEntity, Badge, BadgeAction, BadgeStatus, Clock, DomainError,
    Holder, Policy, Request, RequestStatus,
};
use uuid::Uuid;

use super::rows::{
    badge_from_row, badge_row, badge_select, load_badge, load_holder, BADGE_COLUMNS,
};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{append_audit, begin_write, load_policy, require_operator, Audit, Conn, Now, Pool};
use crate::error::{Result, StoreError};
use crate::{BadgeQuery, BadgeRow};

/// How many sequence values to try when a rendered number already exists
/// (only after the format was changed to collide with older numbers).
const NUMBER_ATTEMPTS: u32 = 50;

/// Takes the next badge number. The counter row serialises desks (row lock on
/// PostgreSQL, write lock on SQLite) and `issued_badge_numbers` refuses any number
/// ever given before, so one number can never go to two badges.
pub(crate) async fn allocate_number(conn: &mut Conn, policy: &Policy, now: Now) -> Result<String> {
    let mut last = String::new();
    for _ in 0..NUMBER_ATTEMPTS {
        let seq: i64 = sqlx::query_scalar(
            "UPDATE counters SET next_value = next_value + 1 WHERE name = 'badge_number' RETURNING next_value - 1",
        )
        .fetch_one(&mut *conn)
        .await?;
        let number = policy
            .badge_number_format
            .render(u64::try_from(seq).unwrap_or(0), now.today);
        let done = sqlx::query("INSERT INTO issued_badge_numbers (number, issued_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(number.clone())
            .bind(now.at)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() == 1 {
            return Ok(number);
        }
        last = number;
    }
    Err(StoreError::BadgeNumberExhausted {
        attempts: NUMBER_ATTEMPTS,
        last,
    })
}

/// Creates the badge of an approved request (status `issued`) and links it to the request.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn issue_badge(
    conn: &mut Conn,
    policy: &Policy,
    request: &Request,
    holder: &Holder,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    operator: &str,
    now: Now,
) -> Result<Badge> {
    let at = now.at;
    let number = allocate_number(conn, policy, now).await?;
    let badge = Badge {
        id: Uuid::now_v7(),
        number,
        holder_id: holder.id,
        request_id: request.id,
        card_serial: None,
        valid_from,
        valid_until,
        status: BadgeStatus::Issued,
        zones: request.details.zones.clone(),
        status_reason: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    insert_badge(conn, &badge).await?;
    sqlx::query("UPDATE requests SET badge_id = $1, badge_number = $2, badge_valid_until = $3 WHERE id = $4")
        .bind(badge.id.to_string())
        .bind(badge.number.clone())
        .bind(valid_until)
        .bind(request.id.to_string())
        .execute(&mut *conn)
        .await?;
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity: AuditEntity::Badge,
            entity_id: badge.id.to_string(),
            request_id: Some(request.id),
            action: "issue",
            before: None,
            after: serde_json::to_value(&badge).ok(),
            reason: None,
        },
    )
    .await?;
    Ok(badge)
}

/// Inserts a new badge row as `badge` describes it.
pub(crate) async fn insert_badge(conn: &mut Conn, badge: &Badge) -> Result<()> {
    sqlx::query(
        "INSERT INTO badges (id, number, holder_id, request_id, card_serial, valid_from, valid_until, status,
             zones, status_reason, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(badge.id.to_string())
    .bind(badge.number.clone())
    .bind(badge.holder_id.to_string())
    .bind(badge.request_id.to_string())
    .bind(badge.card_serial.clone())
    .bind(badge.valid_from)
    .bind(badge.valid_until)
    .bind(badge.status.as_str())
    .bind(serde_json::to_string(&badge.zones).unwrap_or_else(|_| "[]".into()))
    .bind(badge.status_reason.clone())
    .bind(badge.version)
    .bind(badge.created_at)
    .bind(badge.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves a badge to `to` when it is in one of `from` (a side effect of a request step).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn set_status_from(
    conn: &mut Conn,
    badge_id: Uuid,
    from: &[BadgeStatus],
    to: BadgeStatus,
    reason: Option<&str>,
    operator: &str,
    request_id: Option<Uuid>,
    action: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let badge = load_badge(conn, badge_id, true).await?;
    if !from.contains(&badge.status) {
        return Ok(());
    }
    let bump = Bump::new(Versioned::Badge, badge_id, badge.version)
        .set("status", to.as_str())
        .set("status_reason", reason);
    let audit = Audit {
        operator,
        entity: AuditEntity::Badge,
        entity_id: badge_id.to_string(),
        request_id: request_id.or(Some(badge.request_id)),
        action,
        before: Some(serde_json::json!({ "status": badge.status })),
        after: Some(serde_json::json!({ "status": to })),
        reason,
    };
    bump_version(conn, at, bump, audit).await
}

/// Adds zones to a badge (a granted zone-access request).
pub(crate) async fn add_zones(
    conn: &mut Conn,
    badge_id: Uuid,
    zones: &[String],
    operator: &str,
    request_id: Uuid,
    at: DateTime<Utc>,
) -> Result<()> {
    let badge = load_badge(conn, badge_id, true).await?;
    let mut merged = badge.zones.clone();
    for zone in zones {
        if !merged.contains(zone) {
            merged.push(zone.clone());
        }
    }
    let bump = Bump::new(Versioned::Badge, badge_id, badge.version).set(
        "zones",
        Value::text(serde_json::to_string(&merged).unwrap_or_else(|_| "[]".into())),
    );
    let audit = Audit {
        operator,
        entity: AuditEntity::Badge,
        entity_id: badge_id.to_string(),
        request_id: Some(request_id),
        action: "add_zones",
        before: Some(serde_json::json!({ "zones": badge.zones })),
        after: Some(serde_json::json!({ "zones": merged })),
        reason: None,
    };
    bump_version(conn, at, bump, audit).await
}

pub(crate) async fn get_badge(pool: &Pool, id: Uuid) -> Result<Badge> {
    let mut conn = pool.acquire().await?;
    load_badge(&mut conn, id, false).await
}

pub(crate) async fn find_badge_by_number(pool: &Pool, number: &str) -> Result<Badge> {
    let sql = format!("SELECT {BADGE_COLUMNS} FROM badges WHERE number = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(number.trim())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "badge",
            id: number.to_owned(),
        })?;
    badge_from_row(&row)
}

/// The badge a card is bound to, if any.
pub(crate) async fn find_badge_by_card(pool: &Pool, serial: &str) -> Result<Option<Badge>> {
    let sql = format!("SELECT {BADGE_COLUMNS} FROM badges WHERE card_serial = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(serial.trim())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(badge_from_row).transpose()
}

/// Badges with their holders, ordered by number.
pub(crate) async fn list_badges(pool: &Pool, query: &BadgeQuery) -> Result<Vec<BadgeRow>> {
    let mut sql = badge_select("");
    sql.push_str(" WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if !query.statuses.is_empty() {
        let marks: Vec<String> = query.statuses.iter().map(|_| next()).collect();
        sql.push_str(&format!(" AND b.status IN ({})", marks.join(", ")));
    }
    if query.expiring_before.is_some() {
        // A loan card ends by design: no "your badge expires" for it.
        sql.push_str(&format!(
            " AND b.valid_until <= {} AND b.id NOT IN (SELECT loan_badge_id FROM badge_loans)",
            next()
        ));
    }
    if query.holder_id.is_some() {
        sql.push_str(&format!(" AND b.holder_id = {}", next()));
    }
    sql.push_str(" ORDER BY b.number");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for status in &query.statuses {
        q = q.bind(status.as_str());
    }
    if let Some(date) = query.expiring_before {
        q = q.bind(date);
    }
    if let Some(holder) = query.holder_id {
        q = q.bind(holder.to_string());
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter().map(badge_row).collect()
}

fn check_version(badge: &Badge, expected: i64) -> Result<()> {
    if badge.version != expected {
        return Err(StoreError::VersionConflict {
            entity: "badge",
            id: badge.id.to_string(),
            expected,
            actual: badge.version,
        });
    }
    Ok(())
}

/// Applies a badge action (not `Replace`: see [`replace_badge`]).
pub(crate) async fn badge_transition(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    expected_version: i64,
    action: BadgeAction,
    operator: &str,
    reason: Option<&str>,
) -> Result<Badge> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let badge = apply_badge_action(
        &mut tx,
        id,
        expected_version,
        &action,
        operator,
        reason,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(badge)
}

pub(crate) async fn apply_badge_action(
    conn: &mut Conn,
    id: Uuid,
    expected_version: i64,
    action: &BadgeAction,
    operator: &str,
    reason: Option<&str>,
    now: Now,
) -> Result<Badge> {
    let (at, today) = (now.at, now.today);
    let op = operator.trim();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let badge = load_badge(conn, id, true).await?;
    check_version(&badge, expected_version)?;
    let target = next_badge_status(badge.status, action, reason, badge.valid_until, today)?;
    let mut valid_until = badge.valid_until;
    if let BadgeAction::Renew {
        valid_until: new_until,
    } = action
    {
        let holder = load_holder(conn, badge.holder_id).await?;
        let policy = load_policy(conn).await?;
        let rules = policy.category(&holder.details.category).ok_or_else(|| {
            DomainError::UnknownCategory {
                value: holder.details.category.clone(),
            }
        })?;
        rules::check_extension(rules, &holder.details, badge.valid_until, *new_until, today)?;
        valid_until = *new_until;
    }
    let bump = Bump::new(Versioned::Badge, id, expected_version)
        .set("status", target.as_str())
        .set(
            "status_reason",
            if action.needs_reason() {
                reason
            } else {
                badge.status_reason.as_deref()
            },
        )
        .set("valid_until", valid_until);
    let audit = Audit {
        operator: op,
        entity: AuditEntity::Badge,
        entity_id: id.to_string(),
        request_id: Some(badge.request_id),
        action: action.name(),
        before: Some(
            serde_json::json!({ "status": badge.status, "validUntil": badge.valid_until }),
        ),
        after: Some(
            serde_json::json!({ "status": target, "validUntil": valid_until, "action": action }),
        ),
        reason,
    };
    bump_version(conn, at, bump, audit).await?;
    if valid_until != badge.valid_until {
        sqlx::query("UPDATE requests SET badge_valid_until = $1 WHERE badge_id = $2")
            .bind(valid_until)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    // Activating the card from the badge screen also closes its request.
    if *action == BadgeAction::Activate {
        sqlx::query(
            "UPDATE requests SET status = $1, activated_by = $2, activated_at = $3, version = version + 1, updated_at = $3
             WHERE id = $4 AND status = $5",
        )
        .bind(RequestStatus::Activated.as_str())
        .bind(op)
        .bind(at)
        .bind(badge.request_id.to_string())
        .bind(RequestStatus::Dispatched.as_str())
        .execute(&mut *conn)
        .await?;
    }
    load_badge(conn, id, false).await
}

/// Makes `serial` free for the badge `for_badge` (numbered `number`): refused while
/// another badge in service holds that card; a card back from a badge that ended is
/// taken off it, its audit line saying where it went.
pub(crate) async fn free_card(
    conn: &mut Conn,
    at: DateTime<Utc>,
    serial: &str,
    for_badge: Uuid,
    number: &str,
    operator: &str,
) -> Result<()> {
    let owner: Option<String> =
        sqlx::query_scalar("SELECT id FROM badges WHERE card_serial = $1 AND id <> $2")
            .bind(serial)
            .bind(for_badge.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(owner) = owner else {
        return Ok(());
    };
    let owner = Uuid::parse_str(&owner).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let previous = load_badge(conn, owner, true).await?;
    if previous.status.holds_its_card() {
        return Err(StoreError::CardSerialTaken {
            serial: serial.to_owned(),
            number: previous.number,
        });
    }
    let release =
        Bump::new(Versioned::Badge, owner, previous.version).set("card_serial", Value::null());
    let audit = Audit {
        operator: operator.trim(),
        entity: AuditEntity::Badge,
        entity_id: owner.to_string(),
        request_id: Some(previous.request_id),
        action: "set_card_serial",
        before: Some(serde_json::json!({ "cardSerial": serial })),
        after: Some(serde_json::json!({ "cardSerial": null, "movedTo": number })),
        reason: None,
    };
    bump_version(conn, at, release, audit).await
}

/// Records the physical card's serial or UID (unique across badges).
pub(crate) async fn set_card_serial(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    expected_version: i64,
    serial: Option<&str>,
    operator: &str,
) -> Result<Badge> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let serial = serial.map(str::trim).filter(|s| !s.is_empty());
    let mut tx = begin_write(pool).await?;
    let badge = load_badge(&mut tx, id, true).await?;
    check_version(&badge, expected_version)?;
    if let Some(serial) = serial {
        free_card(&mut tx, at, serial, id, &badge.number, operator).await?;
    }
    let bump = Bump::new(Versioned::Badge, id, expected_version).set("card_serial", serial);
    let audit = Audit {
        operator: operator.trim(),
        entity: AuditEntity::Badge,
        entity_id: id.to_string(),
        request_id: Some(badge.request_id),
        action: "set_card_serial",
        before: Some(serde_json::json!({ "cardSerial": badge.card_serial })),
        after: Some(serde_json::json!({ "cardSerial": serial })),
        reason: None,
    };
    bump_version(&mut tx, at, bump, audit).await?;
    let badge = load_badge(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(badge)
}
