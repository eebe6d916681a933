//! Creating requests with their holders (one at a time or a whole CSV file in
//! multi-row statements), reading them, and changing a holder's details.

use chrono::{DateTime, Utc};
use sesame_core::{text, AuditEntity, Clock, Holder, HolderDetails, Policy, RequestStatus};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;
use uuid::Uuid;

use super::day_pass::check_notice;
use super::pipeline::{execute_steps, while_running, Step};
use super::rows::{
    enum_str, holder_from_row, load_badge, load_holder, request_detail, HOLDER_COLUMNS,
};
use super::search::{initials_of, term_inserts, terms_for, write_search_terms};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{
    audit_inserts, begin_write, execute_all, get_uuid, load_policy, require_operator, Audit, Conn,
    Db, Now, Pool, BULK_ROWS,
};
use crate::column_rows::{Column, ColumnRows};
use crate::error::{Result, StoreError};
use crate::{NewRequest, RequestDetail};

fn holder_write_error(error: StoreError, details: &HolderDetails) -> StoreError {
    match error {
        StoreError::Database(e) if crate::error::is_unique_violation(&e) => {
            // Another desk created the same HR number meanwhile: a retry will match it.
            StoreError::VersionConflict {
                entity: "holder",
                id: details.external_id.clone().unwrap_or_default(),
                expected: 0,
                actual: 1,
            }
        }
        other => other,
    }
}

/// Updates a holder and the copies its requests keep (sort key, category, mission end, search words).
pub(crate) async fn update_holder_row(
    conn: &mut Conn,
    holder: &Holder,
    details: &HolderDetails,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let bump = Bump::new(Versioned::Holder, holder.id, holder.version)
        .set("family_name", details.family_name.as_str())
        .set("given_names", details.given_names.as_str())
        .set("email", details.email.as_deref())
        .set("phone", details.phone.as_deref())
        .set("organisation", details.organisation.as_deref())
        .set("unit", details.unit.as_deref())
        .set("category", details.category.as_str())
        .set("external_id", details.external_id.as_deref())
        .set(
            "presence_days_per_week",
            Value::Int(i64::from(details.presence_days_per_week)),
        )
        .set("mission_start", Value::Date(details.mission_start))
        .set("mission_end", Value::Date(details.mission_end));
    let audit = Audit {
        operator,
        entity: AuditEntity::Holder,
        entity_id: holder.id.to_string(),
        request_id: None,
        action: "update",
        before: serde_json::to_value(&holder.details).ok(),
        after: serde_json::to_value(details).ok(),
        reason: None,
    };
    bump_version(conn, at, bump, audit)
        .await
        .map_err(|e| holder_write_error(e, details))?;
    sqlx::query("UPDATE requests SET holder_sort = $1, category = $2, mission_end = $3 WHERE holder_id = $4")
        .bind(text::sort_key(&details.family_name, &details.given_names))
        .bind(details.category.clone())
        .bind(details.mission_end)
        .bind(holder.id.to_string())
        .execute(&mut *conn)
        .await?;
    // A purged request's words went with the purge: a new name does not bring them back.
    let rows = sqlx::query(
        "SELECT id, badge_number FROM requests WHERE holder_id = $1 AND purged_at IS NULL",
    )
    .bind(holder.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for row in rows {
        let request_id = get_uuid(&row, "id")?;
        let number: Option<String> = row.try_get("badge_number")?;
        write_search_terms(conn, request_id, details, number.as_deref()).await?;
    }
    Ok(holder.version + 1)
}

/// Validates and inserts one request (and its holder) inside the caller's transaction.
pub(crate) async fn insert_request(
    conn: &mut Conn,
    policy: &Policy,
    new: NewRequest,
    operator: &str,
    now: Now,
) -> Result<Uuid> {
    let ids = insert_requests(conn, policy, vec![new], operator, now).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("insert returned no id".into()))
}

/// Validates every request, then inserts them with their holders in multi-row
/// statements, inside the caller's transaction (a CSV import is one call).
///
/// Holders are matched by `holder_id`, else by HR number (`external_id`), else
/// created; a matched holder whose details differ is updated (and audited).
pub(crate) async fn insert_requests(
    conn: &mut Conn,
    policy: &Policy,
    news: Vec<NewRequest>,
    operator: &str,
    now: Now,
) -> Result<Vec<Uuid>> {
    require_operator(operator)?;
    let at = now.at;
    let op = operator.trim();
    let keys = policy.category_keys();
    let mut prepared = Vec::with_capacity(news.len());
    for new in news {
        let holder = new.holder.normalised();
        holder.validate(&keys)?;
        let details = new.request.normalised();
        details.validate()?;
        if let Some(previous) = details.previous_badge_id {
            load_badge(conn, previous, false).await?;
        }
        prepared.push((new.holder_id, holder, details));
    }
    // Holders as they now stand, by HR number, across the chunks of this call.
    let mut known: HashMap<String, Holder> = HashMap::new();
    let mut ids = Vec::with_capacity(prepared.len());
    for chunk in prepared.chunks(BULK_ROWS) {
        // Existing holders for this chunk's HR numbers, in one query.
        let mut wanted: Vec<String> = chunk
            .iter()
            .filter(|(holder_id, _, _)| holder_id.is_none())
            .filter_map(|(_, h, _)| h.external_id.clone())
            .filter(|e| !known.contains_key(e))
            .collect();
        wanted.sort();
        wanted.dedup();
        if !wanted.is_empty() {
            let mut builder: QueryBuilder<Db> = QueryBuilder::new(format!(
                "SELECT {HOLDER_COLUMNS} FROM holders WHERE external_id IN ("
            ));
            let mut list = builder.separated(", ");
            for external_id in &wanted {
                list.push_bind(external_id.clone());
            }
            builder.push(")");
            for row in builder.build().fetch_all(&mut *conn).await? {
                let holder = holder_from_row(&row)?;
                if let Some(e) = holder.details.external_id.clone() {
                    known.insert(e, holder);
                }
            }
        }

        // Pass 1: which holder each row belongs to; new holders go in together.
        let mut holder_of = Vec::with_capacity(chunk.len());
        let mut created: Vec<(Uuid, &HolderDetails)> = Vec::new();
        for (holder_id, holder, _) in chunk {
            let id = match (
                holder_id,
                holder.external_id.as_ref().and_then(|e| known.get(e)),
            ) {
                (Some(id), _) => *id,
                (None, Some(existing)) => existing.id,
                (None, None) => {
                    let id = Uuid::now_v7();
                    created.push((id, holder));
                    if let Some(e) = &holder.external_id {
                        known.insert(
                            e.clone(),
                            Holder {
                                id,
                                details: holder.clone(),
                                version: 1,
                                created_at: at,
                                updated_at: at,
                            },
                        );
                    }
                    id
                }
            };
            holder_of.push(id);
        }
        if !created.is_empty() {
            let mut builder: QueryBuilder<Db> = QueryBuilder::new(
                "INSERT INTO holders (id, family_name, given_names, email, phone, organisation, unit, category,
                     external_id, presence_days_per_week, mission_start, mission_end, version, created_at, updated_at) ",
            );
            builder.push_values(&created, |mut b, (id, h)| {
                b.push_bind(id.to_string())
                    .push_bind(h.family_name.clone())
                    .push_bind(h.given_names.clone())
                    .push_bind(h.email.clone())
                    .push_bind(h.phone.clone())
                    .push_bind(h.organisation.clone())
                    .push_bind(h.unit.clone())
                    .push_bind(h.category.clone())
                    .push_bind(h.external_id.clone())
                    .push_bind(i64::from(h.presence_days_per_week))
                    .push_bind(h.mission_start)
                    .push_bind(h.mission_end)
                    .push_bind(1i64)
                    .push_bind(at)
                    .push_bind(at);
            });
            let created = &created;
            let (inserted, audits) = while_running(builder.build().execute(&mut *conn), || {
                let audits: Vec<Audit<'_>> = created
                    .iter()
                    .map(|(id, h)| Audit {
                        operator: op,
                        entity: AuditEntity::Holder,
                        entity_id: id.to_string(),
                        request_id: None,
                        action: "create",
                        before: None,
                        after: serde_json::to_value(h).ok(),
                        reason: None,
                    })
                    .collect();
                audit_inserts(at, &audits)
            })
            .await;
            inserted.map_err(|e| holder_write_error(e.into(), created[0].1))?;
            execute_all(conn, audits).await?;
        }

        // Pass 2: bring matched holders up to date with what the rows say.
        let created_ids: Vec<Uuid> = created.iter().map(|(id, _)| *id).collect();
        for ((holder_id, holder, _), id) in chunk.iter().zip(&holder_of) {
            let current = match holder_id {
                Some(id) => load_holder(conn, *id).await?,
                None => match holder.external_id.as_ref().and_then(|e| known.get(e)) {
                    Some(existing)
                        if !(created_ids.contains(id) && existing.details == *holder) =>
                    {
                        existing.clone()
                    }
                    _ => continue,
                },
            };
            if current.details != *holder {
                let version = update_holder_row(conn, &current, holder, op, at).await?;
                if let Some(e) = &holder.external_id {
                    known.insert(
                        e.clone(),
                        Holder {
                            details: holder.clone(),
                            version,
                            updated_at: at,
                            ..current
                        },
                    );
                }
            }
        }

        // The requests, their zones, search words and audit lines: each statement
        // built while the one before runs.
        let request_ids: Vec<Uuid> = chunk.iter().map(|_| Uuid::now_v7()).collect();
        // Each request's search words, folded once: their initials go in its row, the
        // words in `search_terms`.
        let terms_of: Vec<Vec<String>> = chunk.iter().map(|(_, h, _)| terms_for(h, None)).collect();
        let initials: Vec<i64> = terms_of.iter().map(initials_of).collect();
        let initials = &initials;
        let rows = || chunk.iter().zip(&holder_of).zip(&request_ids);
        let requests: Step<'_> = Box::new(move || {
            let mut builder: QueryBuilder<Db> = QueryBuilder::new(
                "INSERT INTO requests (id, holder_id, kind, status, version, category, holder_sort, mission_end,
                     submitted_on, services, wanted_from, wanted_until, previous_badge_id, replacement_cause, notes,
                     submitted_by, submitted_at, updated_at, search_initials) ",
            );
            builder.push_values(
                rows().zip(initials),
                |mut b, ((((_, h, r), holder_id), id), initials)| {
                    b.push_bind(id.to_string())
                        .push_bind(holder_id.to_string())
                        .push_bind(r.kind.as_str())
                        .push_bind(RequestStatus::Submitted.as_str())
                        .push_bind(1i64)
                        .push_bind(h.category.clone())
                        .push_bind(text::sort_key(&h.family_name, &h.given_names))
                        .push_bind(h.mission_end)
                        .push_bind(now.today)
                        .push_bind(
                            serde_json::to_string(&r.services).unwrap_or_else(|_| "[]".into()),
                        )
                        .push_bind(r.wanted_from)
                        .push_bind(r.wanted_until)
                        .push_bind(r.previous_badge_id.map(|b| b.to_string()))
                        .push_bind(r.replacement_cause.as_ref().map(enum_str))
                        .push_bind(r.notes.clone())
                        .push_bind(op.to_owned())
                        .push_bind(at)
                        .push_bind(at)
                        .push_bind(*initials);
                },
            );
            vec![builder]
        });
        let zones: Step<'_> = Box::new(move || {
            let (mut ids, mut zones, mut positions) = (Vec::new(), Vec::new(), Vec::new());
            for (((_, _, r), _), id) in rows() {
                for (position, zone) in r.zones.iter().enumerate() {
                    ids.push(id.to_string());
                    zones.push(zone.clone());
                    positions.push(position as i64);
                }
            }
            <Db as ColumnRows>::inserts(
                "INSERT INTO request_zones (request_id, zone, position) ",
                vec![
                    Column::Text(ids),
                    Column::Text(zones),
                    Column::BigInt(positions),
                ],
                BULK_ROWS * 2,
            )
        });
        let terms: Step<'_> = Box::new(move || {
            let (mut terms, mut ids) = (Vec::new(), Vec::new());
            for ((_, id), request_terms) in rows().zip(terms_of) {
                let id = id.to_string();
                for term in request_terms {
                    terms.push(term);
                    ids.push(id.clone());
                }
            }
            term_inserts(terms, ids)
        });
        let audits: Step<'_> = Box::new(move || {
            let audits: Vec<Audit<'_>> = rows()
                .map(|(((_, _, r), holder_id), id)| Audit {
                    operator: op,
                    entity: AuditEntity::Request,
                    entity_id: id.to_string(),
                    request_id: Some(*id),
                    action: "create",
                    before: None,
                    after: Some(serde_json::json!({
                        "status": RequestStatus::Submitted,
                        "holderId": holder_id,
                        "request": r,
                    })),
                    reason: None,
                })
                .collect();
            audit_inserts(at, &audits)
        });
        execute_steps(conn, vec![requests, zones, terms, audits]).await?;
        ids.extend(request_ids);
    }
    Ok(ids)
}

pub(crate) async fn create_request(
    pool: &Pool,
    clock: &Clock,
    new: NewRequest,
    operator: &str,
) -> Result<RequestDetail> {
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    // The notice is counted in the office's own time: the first day starts at its midnight.
    check_notice(&policy, &new, now.local)?;
    let id = insert_request(&mut tx, &policy, new, operator, now).await?;
    let detail = request_detail(&mut tx, id, now.today).await?;
    tx.commit().await?;
    Ok(detail)
}

pub(crate) async fn get_request(pool: &Pool, clock: &Clock, id: Uuid) -> Result<RequestDetail> {
    let mut conn = pool.acquire().await?;
    request_detail(&mut conn, id, clock.today()).await
}

/// Changes a holder's details (with the version the desk saw); their requests follow.
pub(crate) async fn update_holder(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    expected_version: i64,
    details: HolderDetails,
    operator: &str,
) -> Result<Holder> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let details = details.normalised();
    details.validate(&policy.category_keys())?;
    let holder = load_holder(&mut tx, id).await?;
    if holder.version != expected_version {
        return Err(StoreError::VersionConflict {
            entity: "holder",
            id: id.to_string(),
            expected: expected_version,
            actual: holder.version,
        });
    }
    if holder.details != details {
        update_holder_row(&mut tx, &holder, &details, operator.trim(), at).await?;
    }
    let updated = load_holder(&mut tx, id).await?;
    tx.commit().await?;
    Ok(updated)
}

pub(crate) async fn get_holder(pool: &Pool, id: Uuid) -> Result<Holder> {
    let mut conn = pool.acquire().await?;
    load_holder(&mut conn, id).await
}
