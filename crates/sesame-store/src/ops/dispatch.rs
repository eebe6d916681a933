//! Dispatch of printed badges (internal mail or handed over) in bulk, and the list of
//! dispatched badges their holders have not activated.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sesame_core::{
    next_status, rules_for, BadgeStatus, Clock, DispatchMethod, Eligibility, Policy, RequestAction,
    RequestStatus,
};
use sqlx::Row;
use uuid::Uuid;

use super::rows::{enum_str, from_enum_str, load_badge, load_holder, load_request};
use super::versioned::{bump_version, Bump, Versioned};
use super::{
    begin_write, get_opt_uuid, get_uuid, load_policy, move_audit, require_operator,
    unique_in_order, Conn, Now, Pool,
};
use crate::error::{Result, StoreError};
use crate::{DispatchOutcome, DispatchSkip, DispatchSkipReason, DispatchedBadge, NotActivatedRow};

/// Dispatch needs no eligibility: the badge exists, only its status matters.
fn no_eligibility(today: NaiveDate) -> Eligibility {
    Eligibility {
        problems: Vec::new(),
        propose_day_pass: false,
        valid_from: today,
        valid_until: None,
    }
}

fn skip(request_id: Uuid, reason: DispatchSkipReason, detail: Option<String>) -> DispatchSkip {
    DispatchSkip {
        request_id,
        reason,
        detail,
    }
}

/// Marks one printed request dispatched, or says why not. Writes nothing when skipped.
#[allow(clippy::too_many_arguments)]
async fn dispatch_one(
    conn: &mut Conn,
    id: Uuid,
    method: DispatchMethod,
    batch: Uuid,
    operator: &str,
    now: Now,
) -> Result<std::result::Result<DispatchedBadge, DispatchSkip>> {
    let at = now.at;
    let (request, badge_id) = match load_request(conn, id, true).await {
        Ok(found) => found,
        Err(StoreError::NotFound { .. }) => {
            return Ok(Err(skip(id, DispatchSkipReason::NotFound, None)))
        }
        Err(e) => return Err(e),
    };
    let action = RequestAction::Dispatch { method };
    let not_printed = || {
        skip(
            id,
            DispatchSkipReason::NotPrinted,
            Some(request.status.as_str().to_owned()),
        )
    };
    let target = match next_status(
        request.status,
        request.details.kind,
        &action,
        None,
        &[],
        &no_eligibility(now.today),
    ) {
        Ok(target) => target,
        Err(_) => return Ok(Err(not_printed())),
    };
    let Some(badge_id) = badge_id else {
        return Ok(Err(not_printed()));
    };
    let badge = load_badge(conn, badge_id, true).await?;
    if !matches!(badge.status, BadgeStatus::Issued | BadgeStatus::Active) {
        return Ok(Err(skip(
            id,
            DispatchSkipReason::BadgeNotUsable,
            Some(badge.status.as_str().to_owned()),
        )));
    }
    let holder = load_holder(conn, request.holder_id).await?;
    let stamp = action
        .stamp_columns()
        .ok_or_else(|| StoreError::Corrupt("a dispatch leaves no stamp".into()))?;
    let bump = Bump::new(Versioned::Request, id, request.version)
        .set("status", target.as_str())
        .set(stamp.by, operator)
        .set(stamp.at, at)
        .set("dispatch_method", enum_str(&method).as_str());
    let audit = move_audit(
        operator,
        &request,
        target,
        &action,
        serde_json::json!({ "badgeNumber": badge.number, "batch": batch }),
        None,
    );
    bump_version(conn, at, bump, audit).await?;
    Ok(Ok(DispatchedBadge {
        request_id: id,
        badge_id: badge.id,
        badge_number: badge.number,
        family_name: holder.details.family_name,
        given_names: holder.details.given_names,
        organisation: holder.details.organisation,
        unit: holder.details.unit,
        email: holder.details.email,
        category: holder.details.category,
        valid_until: badge.valid_until,
    }))
}

/// Marks printed requests dispatched in one write transaction, committed only if
/// `render` (the dispatch list) succeeds. Requests that cannot be dispatched are
/// skipped with why; `render` is not called when none can.
pub(crate) async fn dispatch_batch<T, E, F>(
    pool: &Pool,
    clock: &Clock,
    ids: &[Uuid],
    method: DispatchMethod,
    operator: &str,
    render: F,
) -> std::result::Result<DispatchOutcome<T>, E>
where
    E: From<StoreError>,
    F: FnOnce(Uuid, &[DispatchedBadge]) -> std::result::Result<T, E>,
{
    require_operator(operator)?;
    let op = operator.trim();
    let now = Now::read(clock);
    let batch = Uuid::now_v7();
    let order = unique_in_order(ids);
    // Rows are locked in id order so two desks dispatching overlapping sets cannot deadlock.
    let mut locking = order.clone();
    locking.sort();
    let mut tx = begin_write(pool).await?;
    let mut results = HashMap::new();
    for id in locking {
        let result = dispatch_one(&mut tx, id, method, batch, op, now).await?;
        results.insert(id, result);
    }
    let mut dispatched = Vec::new();
    let mut skipped = Vec::new();
    for id in order {
        match results.remove(&id) {
            Some(Ok(badge)) => dispatched.push(badge),
            Some(Err(s)) => skipped.push(s),
            None => {}
        }
    }
    if dispatched.is_empty() {
        return Ok(DispatchOutcome {
            batch,
            method,
            dispatched,
            skipped,
            rendered: None,
        });
    }
    let rendered = render(batch, &dispatched)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(DispatchOutcome {
        batch,
        method,
        dispatched,
        skipped,
        rendered: Some(rendered),
    })
}

fn activation_threshold(policy: &Policy, category: &str, days: Option<u32>) -> u32 {
    days.unwrap_or_else(|| rules_for(policy, category).activation_days)
}

/// Dispatched requests whose badge is still not activated after the category's
/// `activation_days` (or `days` for every category), counted to `today`; longest waiting first.
pub(crate) async fn not_activated(
    pool: &Pool,
    days: Option<u32>,
    today: NaiveDate,
) -> Result<Vec<NotActivatedRow>> {
    let mut conn = pool.acquire().await?;
    let policy = load_policy(&mut conn).await?;
    let rows = sqlx::query(
        "SELECT r.id, r.version, r.badge_id, r.dispatched_at, r.dispatched_by, r.dispatch_method,
                b.number, h.family_name, h.given_names, h.email, h.organisation, h.unit, h.category
         FROM requests r
         JOIN holders h ON h.id = r.holder_id
         LEFT JOIN badges b ON b.id = r.badge_id
         WHERE r.status = $1 AND (b.id IS NULL OR b.status = $2)
         ORDER BY r.dispatched_at, r.id",
    )
    .bind(RequestStatus::Dispatched.as_str())
    .bind(BadgeStatus::Issued.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let dispatched_at: Option<DateTime<Utc>> = row.try_get("dispatched_at")?;
        let Some(dispatched_at) = dispatched_at else {
            continue;
        };
        let category: String = row.try_get("category")?;
        let threshold = activation_threshold(&policy, &category, days);
        let days_waiting = (today - dispatched_at.date_naive()).num_days();
        if days_waiting < i64::from(threshold) {
            continue;
        }
        let method: Option<String> = row.try_get("dispatch_method")?;
        out.push(NotActivatedRow {
            request_id: get_uuid(&row, "id")?,
            request_version: row.try_get("version")?,
            status: RequestStatus::Dispatched,
            badge_id: get_opt_uuid(&row, "badge_id")?,
            badge_number: row.try_get("number")?,
            family_name: row.try_get("family_name")?,
            given_names: row.try_get("given_names")?,
            email: row.try_get("email")?,
            organisation: row.try_get("organisation")?,
            unit: row.try_get("unit")?,
            category,
            dispatched_at,
            dispatched_by: row
                .try_get::<Option<String>, _>("dispatched_by")?
                .unwrap_or_default(),
            dispatch_method: method.as_deref().and_then(from_enum_str),
            days_waiting,
            threshold_days: threshold,
        });
    }
    Ok(out)
}
