//! Oppositions: a lost, stolen or damaged badge is blocked at once, a replacement request
//! carries its accreditations over (confirmed by the operator before approval), a
//! temporary badge may be handed out meanwhile, and a supervisor may lift it.

use chrono::{DateTime, Utc};
use sesame_core::{
    rules, rules_for, AuditEntity, Badge, BadgeAction, BadgeStatus, Clock, DomainError,
    ReplacementCause, Request, RequestDetails, RequestKind, RequestStatus, Stamp,
};
use sqlx::Row;
use uuid::Uuid;

use super::badges::{allocate_number, apply_badge_action, insert_badge, set_status_from};
use super::requests::insert_request;
use super::rows::{
    enum_str, from_enum_str, load_badge, load_holder, load_request, request_detail, row_by_id,
    stamp,
};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{
    append_audit, begin_write, get_opt_uuid, get_uuid, load_policy, require_operator, Audit, Conn,
    DbRow, Now, Pool,
};
use crate::error::{Result, StoreError};
use crate::{
    CarriedOver, NewRequest, Opposition, OppositionInput, OppositionOutcome, RequestDetail,
};

const OPPOSITION_COLUMNS: &str =
    "id, badge_id, cause, occurred_on, circumstances, declared_by, declared_at,
    replacement_request_id, temporary_badge_id, lifted_by, lifted_at, lift_reason";

fn opposition_from_row(row: &DbRow) -> Result<Opposition> {
    let cause: String = row.try_get("cause")?;
    Ok(Opposition {
        id: get_uuid(row, "id")?,
        badge_id: get_uuid(row, "badge_id")?,
        cause: from_enum_str(&cause)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown opposition cause '{cause}'")))?,
        occurred_on: row.try_get("occurred_on")?,
        circumstances: row.try_get("circumstances")?,
        declared: Stamp {
            by: row.try_get("declared_by")?,
            at: row.try_get("declared_at")?,
        },
        replacement_request_id: get_opt_uuid(row, "replacement_request_id")?,
        temporary_badge_id: get_opt_uuid(row, "temporary_badge_id")?,
        lifted: stamp(row, "lifted_by", "lifted_at")?,
        lift_reason: row.try_get("lift_reason")?,
    })
}

async fn load_opposition(conn: &mut Conn, id: Uuid) -> Result<Opposition> {
    let row = row_by_id(
        conn,
        OPPOSITION_COLUMNS,
        "oppositions",
        "opposition",
        id,
        false,
    )
    .await?;
    opposition_from_row(&row)
}

/// A badge's oppositions, oldest first.
pub(crate) async fn oppositions_of(pool: &Pool, badge_id: Uuid) -> Result<Vec<Opposition>> {
    let sql = format!(
        "SELECT {OPPOSITION_COLUMNS} FROM oppositions WHERE badge_id = $1 ORDER BY declared_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(badge_id.to_string())
        .fetch_all(pool)
        .await?;
    rows.iter().map(opposition_from_row).collect()
}

/// Declares a badge lost, stolen or damaged, in one transaction: the badge is opposed,
/// the replacement request opened with the old accreditations, the temporary badge
/// (when asked) issued active, and everything audited.
pub(crate) async fn declare_opposition(
    pool: &Pool,
    clock: &Clock,
    badge_id: Uuid,
    expected_version: i64,
    input: OppositionInput,
    operator: &str,
) -> Result<OppositionOutcome> {
    require_operator(operator)?;
    let op = operator.trim();
    let circumstances = input.circumstances.trim().to_owned();
    let now = Now::read(clock);
    let at = now.at;
    if input.occurred_on > now.today {
        return Err(DomainError::OppositionDateInFuture {
            date: input.occurred_on,
        }
        .into());
    }
    let action = BadgeAction::Oppose { cause: input.cause };
    let mut tx = begin_write(pool).await?;
    // Refuses an empty circumstance (the reason) and any badge that cannot be opposed.
    let badge = apply_badge_action(
        &mut tx,
        badge_id,
        expected_version,
        &action,
        op,
        Some(&circumstances),
        now,
    )
    .await?;
    let notes = format!(
        "{} {} ({}): {}",
        enum_str(&input.cause),
        input.occurred_on,
        badge.number,
        circumstances
    );
    let request_id = open_replacement(&mut tx, &badge, input.cause, Some(notes), op, now).await?;
    let temporary = if input.temporary_badge {
        Some(issue_temporary_badge(&mut tx, &badge, request_id, op, now).await?)
    } else {
        None
    };
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO oppositions (id, badge_id, cause, occurred_on, circumstances, declared_by, declared_at,
             replacement_request_id, temporary_badge_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(badge_id.to_string())
    .bind(enum_str(&input.cause))
    .bind(input.occurred_on)
    .bind(circumstances.clone())
    .bind(op)
    .bind(at)
    .bind(request_id.to_string())
    .bind(temporary.as_ref().map(|b| b.id.to_string()))
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator: op,
            entity: AuditEntity::Badge,
            entity_id: badge_id.to_string(),
            request_id: Some(request_id),
            action: "declare_opposition",
            before: None,
            after: Some(serde_json::json!({
                "oppositionId": id,
                "cause": input.cause,
                "occurredOn": input.occurred_on,
                "replacementRequestId": request_id,
                "temporaryBadgeNumber": temporary.as_ref().map(|b| b.number.clone()),
            })),
            reason: Some(&circumstances),
        },
    )
    .await?;
    let opposition = load_opposition(&mut tx, id).await?;
    let replacement = request_detail(&mut tx, request_id, now.today).await?;
    tx.commit().await?;
    Ok(OppositionOutcome {
        opposition,
        badge,
        replacement,
        temporary_badge: temporary,
    })
}

/// A temporary badge, handed over at the desk at once (so issued `active`): a new
/// number, the old badge's zones, valid for the category's `temporary_badge_days`.
async fn issue_temporary_badge(
    conn: &mut Conn,
    old: &Badge,
    replacement_request_id: Uuid,
    operator: &str,
    now: Now,
) -> Result<Badge> {
    let (at, today) = (now.at, now.today);
    let holder = load_holder(conn, old.holder_id).await?;
    let policy = load_policy(conn).await?;
    let rules = rules_for(&policy, &holder.details.category);
    let until = rules::temporary_badge_until(rules, &holder.details, old.valid_until, today)
        .ok_or_else(|| DomainError::TemporaryBadgeNotOffered {
            category: holder.details.category.clone(),
        })?;
    let number = allocate_number(conn, &policy, now).await?;
    let badge = Badge {
        id: Uuid::now_v7(),
        number,
        holder_id: holder.id,
        request_id: replacement_request_id,
        card_serial: None,
        valid_from: today,
        valid_until: until,
        status: BadgeStatus::Active,
        zones: old.zones.clone(),
        status_reason: Some(format!("temporary badge while {} is replaced", old.number)),
        version: 1,
        created_at: at,
        updated_at: at,
    };
    insert_badge(conn, &badge).await?;
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity: AuditEntity::Badge,
            entity_id: badge.id.to_string(),
            request_id: Some(replacement_request_id),
            action: "issue_temporary",
            before: None,
            after: serde_json::to_value(&badge).ok(),
            reason: None,
        },
    )
    .await?;
    Ok(badge)
}

async fn confirmation(conn: &mut Conn, request_id: Uuid) -> Result<Option<Stamp>> {
    let row = sqlx::query(
        "SELECT carried_over_confirmed_by, carried_over_confirmed_at FROM requests WHERE id = $1",
    )
    .bind(request_id.to_string())
    .fetch_one(&mut *conn)
    .await?;
    stamp(
        &row,
        "carried_over_confirmed_by",
        "carried_over_confirmed_at",
    )
}

/// The old badge of a replacement request; `WrongRequestKind` for other requests.
async fn previous_badge(conn: &mut Conn, request: &Request) -> Result<Badge> {
    match (request.details.kind, request.details.previous_badge_id) {
        (RequestKind::Replacement, Some(previous)) => load_badge(conn, previous, false).await,
        _ => Err(DomainError::WrongRequestKind {
            expected: RequestKind::Replacement.as_str().to_owned(),
            found: request.details.kind.as_str().to_owned(),
        }
        .into()),
    }
}

async fn carried_over_of(conn: &mut Conn, request: &Request) -> Result<CarriedOver> {
    let old = previous_badge(conn, request).await?;
    let old_services: String = sqlx::query_scalar("SELECT services FROM requests WHERE id = $1")
        .bind(old.request_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let old_services: Vec<String> = serde_json::from_str(&old_services)
        .map_err(|e| StoreError::Corrupt(format!("services is not a JSON list: {e}")))?;
    Ok(CarriedOver {
        request_id: request.id,
        previous_badge_id: old.id,
        previous_badge_number: old.number,
        old_zones: old.zones,
        old_services,
        zones: request.details.zones.clone(),
        services: request.details.services.clone(),
        confirmed: confirmation(conn, request.id).await?,
    })
}

/// What a replacement request carries over and whether the operator confirmed it.
pub(crate) async fn carried_over(pool: &Pool, request_id: Uuid) -> Result<CarriedOver> {
    let mut conn = pool.acquire().await?;
    let (request, _) = load_request(&mut conn, request_id, false).await?;
    carried_over_of(&mut conn, &request).await
}

/// The operator confirms the accreditations to carry over, possibly dropping some;
/// nothing that was not on the old badge can be added here (that is a zone request).
pub(crate) async fn confirm_carried_over(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    expected_version: i64,
    zones: Vec<String>,
    services: Vec<String>,
    operator: &str,
) -> Result<RequestDetail> {
    require_operator(operator)?;
    let op = operator.trim();
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let (request, _) = load_request(&mut tx, request_id, true).await?;
    if request.version != expected_version {
        return Err(StoreError::VersionConflict {
            entity: "request",
            id: request_id.to_string(),
            expected: expected_version,
            actual: request.version,
        });
    }
    if !request.status.is_open() {
        return Err(DomainError::IllegalRequestTransition {
            status: request.status.as_str().to_owned(),
            action: "confirm_carried_over".to_owned(),
        }
        .into());
    }
    let before = carried_over_of(&mut tx, &request).await?;
    let cleaned = RequestDetails {
        zones,
        services,
        ..RequestDetails::new(RequestKind::Replacement)
    }
    .normalised();
    for (item, old) in cleaned
        .zones
        .iter()
        .map(|z| (z, &before.old_zones))
        .chain(cleaned.services.iter().map(|s| (s, &before.old_services)))
    {
        if !old.contains(item) {
            return Err(DomainError::AccreditationNotCarried { item: item.clone() }.into());
        }
    }
    sqlx::query("DELETE FROM request_zones WHERE request_id = $1")
        .bind(request_id.to_string())
        .execute(&mut *tx)
        .await?;
    for (position, zone) in cleaned.zones.iter().enumerate() {
        sqlx::query("INSERT INTO request_zones (request_id, zone, position) VALUES ($1, $2, $3)")
            .bind(request_id.to_string())
            .bind(zone.clone())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    let bump = Bump::new(Versioned::Request, request_id, expected_version)
        .set(
            "services",
            Value::text(serde_json::to_string(&cleaned.services).unwrap_or_else(|_| "[]".into())),
        )
        .set("carried_over_confirmed_by", op)
        .set("carried_over_confirmed_at", now.at);
    let audit = Audit {
        operator: op,
        entity: AuditEntity::Request,
        entity_id: request_id.to_string(),
        request_id: Some(request_id),
        action: "confirm_carried_over",
        before: Some(serde_json::json!({
            "zones": before.zones,
            "services": before.services,
            "previousBadgeNumber": before.previous_badge_number,
        })),
        after: Some(serde_json::json!({ "zones": cleaned.zones, "services": cleaned.services })),
        reason: None,
    };
    bump_version(&mut tx, now.at, bump, audit).await?;
    let detail = request_detail(&mut tx, request_id, now.today).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Guard on approval: a replacement's carried-over accreditations must be confirmed.
pub(crate) async fn check_approvable(conn: &mut Conn, request: &Request) -> Result<()> {
    if request.details.kind == RequestKind::Replacement
        && request.details.previous_badge_id.is_some()
        && confirmation(conn, request.id).await?.is_none()
    {
        return Err(DomainError::AccreditationsUnconfirmed.into());
    }
    Ok(())
}

/// Lifts the last opposition of a badge (it was found): the badge works again, the
/// replacement request is cancelled if not printed yet, the temporary badge stops.
/// A supervisor action (the service checks it).
pub(crate) async fn lift_opposition(
    pool: &Pool,
    clock: &Clock,
    badge_id: Uuid,
    expected_version: i64,
    reason: &str,
    operator: &str,
) -> Result<Badge> {
    require_operator(operator)?;
    let op = operator.trim();
    let reason = reason.trim();
    let now = Now::read(clock);
    let at = now.at;
    let mut tx = begin_write(pool).await?;
    let sql = format!(
        "SELECT {OPPOSITION_COLUMNS} FROM oppositions WHERE badge_id = $1 AND lifted_at IS NULL
         ORDER BY declared_at DESC, id DESC"
    );
    let open = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(badge_id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(opposition_from_row)
        .transpose()?;
    if let Some(replacement) = open.as_ref().and_then(|o| o.replacement_request_id) {
        let (request, replacement_badge) = load_request(&mut tx, replacement, true).await?;
        if replacement_badge.is_some() {
            return Err(DomainError::ReplacementAlreadyPrinted.into());
        }
        if request.status.is_open() || request.status == RequestStatus::Approved {
            cancel_replacement(&mut tx, &request, reason, op, at).await?;
        }
    }
    let badge = apply_badge_action(
        &mut tx,
        badge_id,
        expected_version,
        &BadgeAction::LiftOpposition,
        op,
        Some(reason),
        now,
    )
    .await?;
    if let Some(opposition) = &open {
        if let Some(temporary) = opposition.temporary_badge_id {
            set_status_from(
                &mut tx,
                temporary,
                &[
                    BadgeStatus::Issued,
                    BadgeStatus::Active,
                    BadgeStatus::Suspended,
                ],
                BadgeStatus::Deactivated,
                Some("opposition lifted"),
                op,
                opposition.replacement_request_id,
                "deactivate",
                at,
            )
            .await?;
        }
        sqlx::query(
            "UPDATE oppositions SET lifted_by = $1, lifted_at = $2, lift_reason = $3 WHERE id = $4",
        )
        .bind(op)
        .bind(at)
        .bind(reason)
        .bind(opposition.id.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(badge)
}

async fn cancel_replacement(
    conn: &mut Conn,
    request: &Request,
    reason: &str,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let why = format!("opposition lifted: {reason}");
    let bump = Bump::new(Versioned::Request, request.id, request.version)
        .set("status", RequestStatus::Cancelled.as_str())
        .set("status_reason", why.as_str())
        .set("print_claim_by", Value::null())
        .set("print_claim_at", Value::Time(None));
    let audit = Audit {
        operator,
        entity: AuditEntity::Request,
        entity_id: request.id.to_string(),
        request_id: Some(request.id),
        action: "cancel",
        before: Some(serde_json::json!({ "status": request.status, "version": request.version })),
        after: Some(
            serde_json::json!({ "status": RequestStatus::Cancelled, "version": request.version + 1 }),
        ),
        reason: Some(&why),
    };
    bump_version(conn, at, bump, audit).await
}

/// Replaces a badge (loss, theft, damage): the old one stops working (opposed stays
/// opposed, otherwise deactivated) and a replacement request carrying its zones is
/// created, in one transaction.
pub(crate) async fn replace_badge(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    expected_version: i64,
    cause: ReplacementCause,
    operator: &str,
    reason: Option<&str>,
) -> Result<RequestDetail> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let action = BadgeAction::Replace { cause };
    let reason_text = reason
        .map(str::to_owned)
        .unwrap_or_else(|| format!("replacement ({})", enum_str(&cause)));
    let badge = apply_badge_action(
        &mut tx,
        id,
        expected_version,
        &action,
        operator,
        Some(&reason_text),
        now,
    )
    .await?;
    let request_id = open_replacement(&mut tx, &badge, cause, None, operator, now).await?;
    let detail = request_detail(&mut tx, request_id, now.today).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Opens the replacement request of `badge` in the caller's transaction: same holder,
/// the old badge's zones and its request's services carried over (to be confirmed by
/// the operator before approval, see `opposition::confirm_carried_over`).
pub(crate) async fn open_replacement(
    conn: &mut Conn,
    badge: &Badge,
    cause: ReplacementCause,
    notes: Option<String>,
    operator: &str,
    now: Now,
) -> Result<Uuid> {
    let holder = load_holder(conn, badge.holder_id).await?;
    let (old_request, _) = load_request(conn, badge.request_id, false).await?;
    let policy = load_policy(conn).await?;
    let mut details = RequestDetails::new(RequestKind::Replacement);
    details.zones = badge.zones.clone();
    details.services = old_request.details.services.clone();
    details.previous_badge_id = Some(badge.id);
    details.replacement_cause = Some(cause);
    details.notes = notes;
    let new = NewRequest {
        holder_id: Some(holder.id),
        holder: holder.details.clone(),
        request: details,
    };
    insert_request(conn, &policy, new, operator, now).await
}
