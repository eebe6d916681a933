//! Visitors at the desk: who they visit, their arrival and departure (closed by
//! housekeeping after their day when nobody checked them out), the badge back or not;
//! and the refused visitors' list intake checks.

use chrono::NaiveDate;
use sesame_core::{AuditEntity, Clock, DomainError, RequestKind, RequestStatus};
use sqlx::Row;
use uuid::Uuid;

use super::{
    append_audit, begin_write, get_uuid, prefixed, require_operator, Audit, Conn, DbRow, Now, Pool,
};
use crate::error::{Result, StoreError};
use crate::{refused_name_key, ClosedVisit, NewRefusedVisitor, RefusedVisitor, Visit, VisitHost};

const VISIT_COLUMNS: &str = "id, request_id, day, checked_in_at, checked_in_by, checked_out_at, \
     checked_out_by, automatic_checkout, badge_returned";

fn visit_row(row: &DbRow) -> Result<Visit> {
    Ok(Visit {
        id: get_uuid(row, "id")?,
        request_id: get_uuid(row, "request_id")?,
        day: row.try_get("day")?,
        checked_in_at: row.try_get("checked_in_at")?,
        checked_in_by: row.try_get("checked_in_by")?,
        checked_out_at: row.try_get("checked_out_at")?,
        checked_out_by: row.try_get("checked_out_by")?,
        automatic_checkout: row.try_get("automatic_checkout")?,
        badge_returned: row.try_get("badge_returned")?,
    })
}

/// The audit line of a visit's step, on its day pass.
async fn visit_audit(
    conn: &mut Conn,
    at: chrono::DateTime<chrono::Utc>,
    operator: &str,
    request_id: Uuid,
    action: &str,
    after: serde_json::Value,
) -> Result<()> {
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity: AuditEntity::Request,
            entity_id: request_id.to_string(),
            request_id: Some(request_id),
            action,
            before: None,
            after: Some(after),
            reason: None,
        },
    )
    .await
}

/// How a visit ends: at the desk, the badge handed back or not; or closed by
/// housekeeping after its day, nobody having seen the visitor leave.
#[derive(Clone, Copy)]
enum Departure {
    AtDesk { badge_returned: bool },
    Automatic,
}

/// Marks `visit` as ended at `at` by `operator`.
fn depart(visit: &mut Visit, at: chrono::DateTime<chrono::Utc>, operator: &str, how: Departure) {
    visit.checked_out_at = Some(at);
    visit.checked_out_by = Some(operator.to_owned());
    match how {
        Departure::AtDesk { badge_returned } => visit.badge_returned = Some(badge_returned),
        Departure::Automatic => visit.automatic_checkout = true,
    }
}

/// Writes the departure `depart` recorded on `visit`, audited on its day pass.
async fn write_departure(
    conn: &mut Conn,
    visit: &Visit,
    at: chrono::DateTime<chrono::Utc>,
    operator: &str,
    how: Departure,
) -> Result<()> {
    sqlx::query(
        "UPDATE visits SET checked_out_at = $1, checked_out_by = $2, badge_returned = $3,
             automatic_checkout = $4
         WHERE id = $5",
    )
    .bind(at)
    .bind(operator)
    .bind(visit.badge_returned)
    .bind(visit.automatic_checkout)
    .bind(visit.id.to_string())
    .execute(&mut *conn)
    .await?;
    let after = match how {
        Departure::AtDesk { badge_returned } => {
            serde_json::json!({ "day": visit.day, "badgeReturned": badge_returned })
        }
        Departure::Automatic => serde_json::json!({ "day": visit.day, "automatic": true }),
    };
    visit_audit(conn, at, operator, visit.request_id, "check_out", after).await
}

/// The host of a day pass, if one was given.
pub(crate) async fn visit_host(conn: &mut Conn, request_id: Uuid) -> Result<Option<VisitHost>> {
    let row = sqlx::query("SELECT host_name, host_email FROM visit_hosts WHERE request_id = $1")
        .bind(request_id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| {
        Ok(VisitHost {
            name: row.try_get("host_name")?,
            email: row.try_get("host_email")?,
        })
    })
    .transpose()
}

/// The host of a day pass, if one was given (outside a transaction).
pub(crate) async fn host_of(pool: &Pool, request_id: Uuid) -> Result<Option<VisitHost>> {
    let mut conn = pool.acquire().await?;
    visit_host(&mut conn, request_id).await
}

/// The visit of `day` under a day pass, once the visitor arrived.
pub(crate) async fn visit_on(
    conn: &mut Conn,
    request_id: Uuid,
    day: NaiveDate,
) -> Result<Option<Visit>> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM visits WHERE request_id = $1 AND day = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .bind(day)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(visit_row).transpose()
}

/// Sets (or with `None` removes) the host of a day pass, audited on the request.
pub(crate) async fn set_visit_host(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    host: Option<&VisitHost>,
    operator: &str,
) -> Result<Option<VisitHost>> {
    require_operator(operator)?;
    let host = host
        .map(VisitHost::checked)
        .transpose()
        .map_err(StoreError::from)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let before = visit_host(&mut tx, request_id).await?;
    sqlx::query("DELETE FROM visit_hosts WHERE request_id = $1")
        .bind(request_id.to_string())
        .execute(&mut *tx)
        .await?;
    if let Some(host) = &host {
        sqlx::query(
            "INSERT INTO visit_hosts (request_id, host_name, host_email) VALUES ($1, $2, $3)",
        )
        .bind(request_id.to_string())
        .bind(&host.name)
        .bind(&host.email)
        .execute(&mut *tx)
        .await?;
    }
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Request,
            entity_id: request_id.to_string(),
            request_id: Some(request_id),
            action: "set_visit_host",
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&host).ok(),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(host)
}

/// The visitor's name, and whether their day pass covers `day` (not refused nor cancelled).
async fn expected(conn: &mut Conn, request_id: Uuid, day: NaiveDate) -> Result<(String, bool)> {
    let row = sqlx::query(
        "SELECT h.given_names, h.family_name, r.kind, r.status, r.wanted_from, r.wanted_until
         FROM requests r JOIN holders h ON h.id = r.holder_id WHERE r.id = $1",
    )
    .bind(request_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::NotFound {
        entity: "request",
        id: request_id.to_string(),
    })?;
    let given: String = row.try_get("given_names")?;
    let family: String = row.try_get("family_name")?;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let from: Option<NaiveDate> = row.try_get("wanted_from")?;
    let until: Option<NaiveDate> = row.try_get("wanted_until")?;
    let covers = kind == RequestKind::DayPass.as_str()
        && status != RequestStatus::Refused.as_str()
        && status != RequestStatus::Cancelled.as_str()
        && from.is_some_and(|f| f <= day)
        && until.is_some_and(|u| u >= day);
    Ok((format!("{given} {family}"), covers))
}

/// Records the visitor's arrival on `day`, audited; refused when their day pass does
/// not cover it or they already arrived.
pub(crate) async fn check_in(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    day: NaiveDate,
    operator: &str,
) -> Result<Visit> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let (name, covers) = expected(&mut tx, request_id, day).await?;
    if !covers {
        return Err(DomainError::VisitorNotExpected { name, day }.into());
    }
    if visit_on(&mut tx, request_id, day).await?.is_some() {
        return Err(DomainError::VisitorAlreadyIn { name }.into());
    }
    let visit = Visit {
        id: Uuid::now_v7(),
        request_id,
        day,
        checked_in_at: at,
        checked_in_by: op.to_owned(),
        checked_out_at: None,
        checked_out_by: None,
        automatic_checkout: false,
        badge_returned: None,
    };
    sqlx::query(
        "INSERT INTO visits (id, request_id, day, checked_in_at, checked_in_by, automatic_checkout)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(visit.id.to_string())
    .bind(request_id.to_string())
    .bind(day)
    .bind(at)
    .bind(op)
    .bind(false)
    .execute(&mut *tx)
    .await?;
    visit_audit(
        &mut tx,
        at,
        op,
        request_id,
        "check_in",
        serde_json::json!({ "day": day }),
    )
    .await?;
    tx.commit().await?;
    Ok(visit)
}

/// Records the visitor's departure on `day` and whether the badge came back, audited.
pub(crate) async fn check_out(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    day: NaiveDate,
    badge_returned: bool,
    operator: &str,
) -> Result<Visit> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let (name, _) = expected(&mut tx, request_id, day).await?;
    let Some(mut visit) = visit_on(&mut tx, request_id, day).await? else {
        return Err(DomainError::VisitorNotIn { name }.into());
    };
    if visit.checked_out_at.is_some() {
        return Err(DomainError::VisitorAlreadyOut { name }.into());
    }
    let how = Departure::AtDesk { badge_returned };
    depart(&mut visit, at, op, how);
    write_departure(&mut tx, &visit, at, op, how).await?;
    tx.commit().await?;
    Ok(visit)
}

/// Closes the visits of days before `today` nobody checked out (the badge not seen
/// back), each audited; `dry_run` only lists them.
pub(crate) async fn close_open_visits(
    pool: &Pool,
    clock: &Clock,
    today: NaiveDate,
    operator: &str,
    dry_run: bool,
) -> Result<Vec<ClosedVisit>> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let sql = format!(
        "SELECT {}, h.family_name, h.given_names, r.badge_number
         FROM visits v JOIN requests r ON r.id = v.request_id JOIN holders h ON h.id = r.holder_id
         WHERE v.checked_out_at IS NULL AND v.day < $1 ORDER BY v.day, h.family_name, v.id",
        prefixed(VISIT_COLUMNS, "v")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today)
        .fetch_all(&mut *tx)
        .await?;
    let mut closed = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut visit = visit_row(row)?;
        depart(&mut visit, at, op, Departure::Automatic);
        if !dry_run {
            write_departure(&mut tx, &visit, at, op, Departure::Automatic).await?;
        }
        closed.push(ClosedVisit {
            visit,
            family_name: row.try_get("family_name")?,
            given_names: row.try_get("given_names")?,
            badge_number: row.try_get("badge_number")?,
        });
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(closed)
}

fn refused_row(row: &DbRow) -> Result<RefusedVisitor> {
    Ok(RefusedVisitor {
        id: get_uuid(row, "id")?,
        family_name: row.try_get("family_name")?,
        given_names: row.try_get("given_names")?,
        organisation: row.try_get("organisation")?,
        reason: row.try_get("reason")?,
        added_by: row.try_get("added_by")?,
        added_at: row.try_get("added_at")?,
    })
}

const REFUSED_COLUMNS: &str =
    "id, family_name, given_names, organisation, reason, added_by, added_at";

/// The refused visitors' list, by name.
pub(crate) async fn refused_visitors(pool: &Pool) -> Result<Vec<RefusedVisitor>> {
    let sql = format!(
        "SELECT {REFUSED_COLUMNS} FROM refused_visitors WHERE removed_at IS NULL ORDER BY name_key, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter().map(refused_row).collect()
}

/// The entry of the list in this name, if any (case, accents and spaces ignored; an
/// entry with the family name only stands for any given names).
pub(crate) async fn find_refused_visitor(
    pool: &Pool,
    family_name: &str,
    given_names: &str,
) -> Result<Option<RefusedVisitor>> {
    // An entry without given names refuses everyone of that family name.
    let sql = format!(
        "SELECT {REFUSED_COLUMNS} FROM refused_visitors
         WHERE removed_at IS NULL AND name_key IN ($1, $2) ORDER BY id LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(refused_name_key(family_name, given_names))
        .bind(refused_name_key(family_name, ""))
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(refused_row).transpose()
}

/// The refused visitors' list by name key, with their name and the reason (a bulk
/// import checks every row against it).
pub(crate) async fn refused_by_key(
    conn: &mut Conn,
) -> Result<std::collections::HashMap<String, RefusedVisitor>> {
    let sql = format!(
        "SELECT {REFUSED_COLUMNS}, name_key FROM refused_visitors WHERE removed_at IS NULL"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("name_key")?, refused_row(row)?)))
        .collect()
}

/// The list's entry `family_name` `given_names` falls under, in a map from
/// [`refused_by_key`] (an entry with the family name only stands for any given names).
pub(crate) fn listed<'a>(
    list: &'a std::collections::HashMap<String, RefusedVisitor>,
    family_name: &str,
    given_names: &str,
) -> Option<&'a RefusedVisitor> {
    list.get(&refused_name_key(family_name, given_names))
        .or_else(|| list.get(&refused_name_key(family_name, "")))
}

/// Adds a person to the refused visitors' list, audited.
pub(crate) async fn add_refused_visitor(
    pool: &Pool,
    clock: &Clock,
    new: &NewRefusedVisitor,
    operator: &str,
) -> Result<RefusedVisitor> {
    require_operator(operator)?;
    let family_name = new.family_name.trim().to_owned();
    let reason = new.reason.trim().to_owned();
    if family_name.is_empty() || reason.is_empty() {
        return Err(DomainError::RefusedVisitorIncomplete.into());
    }
    let at = Now::read(clock).at;
    let entry = RefusedVisitor {
        id: Uuid::now_v7(),
        given_names: new.given_names.trim().to_owned(),
        organisation: new
            .organisation
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned),
        reason,
        added_by: operator.trim().to_owned(),
        added_at: at,
        family_name,
    };
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO refused_visitors (id, family_name, given_names, name_key, organisation, reason, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(entry.id.to_string())
    .bind(&entry.family_name)
    .bind(&entry.given_names)
    .bind(refused_name_key(&entry.family_name, &entry.given_names))
    .bind(&entry.organisation)
    .bind(&entry.reason)
    .bind(&entry.added_by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Settings,
            entity_id: format!("refused_visitor:{}", entry.id),
            request_id: None,
            action: "refuse_visitor",
            before: None,
            after: serde_json::to_value(&entry).ok(),
            reason: Some(&entry.reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

/// Takes a person off the list (kept, marked removed), audited.
pub(crate) async fn remove_refused_visitor(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    operator: &str,
) -> Result<()> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let done = sqlx::query(
        "UPDATE refused_visitors SET removed_at = $1, removed_by = $2 WHERE id = $3 AND removed_at IS NULL",
    )
    .bind(at)
    .bind(operator.trim())
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            entity: "refused visitor",
            id: id.to_string(),
        });
    }
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Settings,
            entity_id: format!("refused_visitor:{id}"),
            request_id: None,
            action: "lift_visitor_refusal",
            before: None,
            after: None,
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
