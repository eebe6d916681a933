//! Creating requests, reading them whole, and moving them through their lifecycle.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sesame_core::{
    allowed_actions, evaluate, missing_items, next_status, text, AttachmentKind, AuditEntity,
    Badge, BadgeStatus, CategoryRules, DispatchMethod, DomainError, Eligibility, Holder,
    HolderDetails, Policy, ReplacementCause, Request, RequestAction, RequestDetails, RequestFacts,
    RequestKind, RequestStatus, Stamp, WantedDates,
};
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;
use uuid::Uuid;

use super::badges::{badge_from_row, issue_badge, BADGE_COLUMNS};
use super::{
    append_audit, append_audits, begin_write, get_json_list, get_opt_uuid, get_uuid, load_policy,
    now, today, Audit, Conn, Db, DbRow, Pool, DIALECT,
};
use crate::error::{Result, StoreError};
use crate::store::PRINT_CLAIM_MINUTES;
use crate::types::{AttachmentMeta, NewRequest, RequestDetail};

pub(crate) const REQUEST_COLUMNS: &str = "id, holder_id, kind, status, version, services, wanted_from, wanted_until,
    previous_badge_id, replacement_cause, notes, consent_by, consent_at, photo_certified_by, photo_certified_at,
    status_reason, submitted_by, submitted_at, reviewed_by, reviewed_at, printed_by, printed_at,
    dispatched_by, dispatched_at, dispatch_method, activated_by, activated_at, print_claim_by, print_claim_at,
    updated_at, badge_id";

const HOLDER_COLUMNS: &str = "id, family_name, given_names, email, phone, organisation, unit, category,
    external_id, presence_days_per_week, mission_start, mission_end, version, created_at, updated_at";

fn stamp(row: &DbRow, by: &str, at: &str) -> Result<Option<Stamp>> {
    let by: Option<String> = row.try_get(by)?;
    let at: Option<DateTime<Utc>> = row.try_get(at)?;
    Ok(match (by, at) {
        (Some(by), Some(at)) => Some(Stamp { by, at }),
        _ => None,
    })
}

fn parse_enum<T>(value: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} '{value}'")))
}

fn replacement_cause(value: &str) -> Option<ReplacementCause> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

fn dispatch_method(value: &str) -> Option<DispatchMethod> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

pub(crate) fn enum_str<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(crate) fn request_from_row(row: &DbRow, zones: Vec<String>) -> Result<Request> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let cause: Option<String> = row.try_get("replacement_cause")?;
    let method: Option<String> = row.try_get("dispatch_method")?;
    Ok(Request {
        id: get_uuid(row, "id")?,
        holder_id: get_uuid(row, "holder_id")?,
        details: RequestDetails {
            kind: parse_enum(&kind, RequestKind::parse, "request kind")?,
            zones,
            services: get_json_list(row, "services")?,
            wanted_from: row.try_get("wanted_from")?,
            wanted_until: row.try_get("wanted_until")?,
            previous_badge_id: get_opt_uuid(row, "previous_badge_id")?,
            replacement_cause: cause
                .as_deref()
                .map(|c| parse_enum(c, replacement_cause, "replacement cause"))
                .transpose()?,
            notes: row.try_get("notes")?,
        },
        status: parse_enum(&status, RequestStatus::parse, "request status")?,
        version: row.try_get("version")?,
        image_rights_consent: stamp(row, "consent_by", "consent_at")?,
        photo_certified: stamp(row, "photo_certified_by", "photo_certified_at")?,
        status_reason: row.try_get("status_reason")?,
        submitted: stamp(row, "submitted_by", "submitted_at")?
            .ok_or_else(|| StoreError::Corrupt("request without submission stamp".into()))?,
        reviewed: stamp(row, "reviewed_by", "reviewed_at")?,
        printed: stamp(row, "printed_by", "printed_at")?,
        dispatched: stamp(row, "dispatched_by", "dispatched_at")?,
        dispatch_method: method
            .as_deref()
            .map(|m| parse_enum(m, dispatch_method, "dispatch method"))
            .transpose()?,
        activated: stamp(row, "activated_by", "activated_at")?,
        print_claim: stamp(row, "print_claim_by", "print_claim_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(crate) fn holder_from_row(row: &DbRow) -> Result<Holder> {
    let presence: i64 = row.try_get("presence_days_per_week")?;
    Ok(Holder {
        id: get_uuid(row, "id")?,
        details: HolderDetails {
            family_name: row.try_get("family_name")?,
            given_names: row.try_get("given_names")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
            organisation: row.try_get("organisation")?,
            unit: row.try_get("unit")?,
            category: row.try_get("category")?,
            external_id: row.try_get("external_id")?,
            presence_days_per_week: u8::try_from(presence)
                .map_err(|_| StoreError::Corrupt(format!("presence {presence} out of range")))?,
            mission_start: row.try_get("mission_start")?,
            mission_end: row.try_get("mission_end")?,
        },
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(crate) async fn load_zones(conn: &mut Conn, request_id: Uuid) -> Result<Vec<String>> {
    let zones: Vec<String> = sqlx::query_scalar(
        "SELECT zone FROM request_zones WHERE request_id = $1 ORDER BY position",
    )
    .bind(request_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(zones)
}

/// The request row and its badge id; `lock` takes PostgreSQL's row lock.
pub(crate) async fn load_request(
    conn: &mut Conn,
    id: Uuid,
    lock: bool,
) -> Result<(Request, Option<Uuid>)> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1{}",
        if lock { DIALECT.for_update() } else { "" }
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "request",
            id: id.to_string(),
        })?;
    let badge_id = get_opt_uuid(&row, "badge_id")?;
    let zones = load_zones(conn, id).await?;
    Ok((request_from_row(&row, zones)?, badge_id))
}

pub(crate) async fn load_holder(conn: &mut Conn, id: Uuid) -> Result<Holder> {
    let sql = format!("SELECT {HOLDER_COLUMNS} FROM holders WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "holder",
            id: id.to_string(),
        })?;
    holder_from_row(&row)
}

pub(crate) async fn load_attachments(
    conn: &mut Conn,
    request_id: Uuid,
) -> Result<Vec<AttachmentMeta>> {
    let rows = sqlx::query(
        "SELECT id, request_id, kind, media_type, byte_size, created_by, created_at
         FROM attachments WHERE request_id = $1 ORDER BY created_at, id",
    )
    .bind(request_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(super::attachments::meta_from_row).collect()
}

async fn load_badge(conn: &mut Conn, id: Uuid) -> Result<Badge> {
    let sql = format!("SELECT {BADGE_COLUMNS} FROM badges WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "badge",
            id: id.to_string(),
        })?;
    badge_from_row(&row)
}

/// Rules of the holder's category; an unknown category (removed from the settings)
/// falls back to the strictest completeness so nothing slips through.
pub(crate) fn rules_for<'p>(
    policy: &'p Policy,
    category: &str,
    fallback: &'p CategoryRules,
) -> &'p CategoryRules {
    policy.category(category).unwrap_or(fallback)
}

pub(crate) fn strict_rules() -> CategoryRules {
    CategoryRules {
        required_documents: vec![AttachmentKind::IdDocumentFront],
        ..CategoryRules::new("unknown", "Inconnue", "Unknown")
    }
}

pub(crate) fn facts(request: &Request, attachments: &[AttachmentMeta]) -> RequestFacts {
    RequestFacts {
        attachments: attachments.iter().map(|a| a.kind).collect(),
        image_rights_consent: request.image_rights_consent.is_some(),
        photo_certified: request.photo_certified.is_some(),
    }
}

/// Reads a request with everything the request screen shows.
pub(crate) async fn get_detail(conn: &mut Conn, id: Uuid) -> Result<RequestDetail> {
    let (request, badge_id) = load_request(conn, id, false).await?;
    let holder = load_holder(conn, request.holder_id).await?;
    let attachments = load_attachments(conn, id).await?;
    let badge = match badge_id {
        Some(badge_id) => Some(load_badge(conn, badge_id).await?),
        None => None,
    };
    let policy = load_policy(conn).await?;
    let fallback = strict_rules();
    let rules = rules_for(&policy, &holder.details.category, &fallback);
    let missing = missing_items(request.details.kind, rules, &facts(&request, &attachments));
    let eligibility = evaluate(
        &policy,
        &holder.details,
        request.details.kind,
        wanted(&request.details),
        today(),
    );
    let allowed = allowed_actions(request.status, request.details.kind, &missing, &eligibility);
    Ok(RequestDetail {
        request,
        holder,
        attachments,
        badge,
        missing,
        eligibility,
        allowed_actions: allowed,
    })
}

fn wanted(details: &RequestDetails) -> WantedDates {
    WantedDates {
        from: details.wanted_from,
        until: details.wanted_until,
    }
}

/// A request's search words: its holder's names, e-mail and HR number, and its badge number.
pub(crate) fn terms_for(holder: &HolderDetails, badge_number: Option<&str>) -> Vec<String> {
    let mut terms = Vec::new();
    for source in [
        Some(holder.family_name.as_str()),
        Some(holder.given_names.as_str()),
        holder.email.as_deref(),
        holder.external_id.as_deref(),
        badge_number,
    ]
    .into_iter()
    .flatten()
    {
        terms.extend(text::search_terms(source));
    }
    // The badge number whole, so "B0000" prefixes work across its punctuation.
    if let Some(number) = badge_number {
        terms.push(text::fold(number));
    }
    terms.sort();
    terms.dedup();
    terms
}

/// Replaces a request's search words.
pub(crate) async fn write_search_terms(
    conn: &mut Conn,
    request_id: Uuid,
    holder: &HolderDetails,
    badge_number: Option<&str>,
) -> Result<()> {
    sqlx::query("DELETE FROM search_terms WHERE request_id = $1")
        .bind(request_id.to_string())
        .execute(&mut *conn)
        .await?;
    let id = request_id.to_string();
    let rows: Vec<(String, String)> = terms_for(holder, badge_number)
        .into_iter()
        .map(|t| (t, id.clone()))
        .collect();
    insert_term_rows(conn, rows).await
}

async fn insert_term_rows(conn: &mut Conn, rows: Vec<(String, String)>) -> Result<()> {
    for chunk in rows.chunks(BULK_ROWS * 4) {
        let mut builder: QueryBuilder<Db> =
            QueryBuilder::new("INSERT INTO search_terms (term, request_id) ");
        builder.push_values(chunk, |mut b, (term, id)| {
            b.push_bind(term.clone()).push_bind(id.clone());
        });
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn bind_holder<'q>(
    query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>,
    h: &HolderDetails,
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments> {
    query
        .bind(h.family_name.clone())
        .bind(h.given_names.clone())
        .bind(h.email.clone())
        .bind(h.phone.clone())
        .bind(h.organisation.clone())
        .bind(h.unit.clone())
        .bind(h.category.clone())
        .bind(h.external_id.clone())
        .bind(i64::from(h.presence_days_per_week))
        .bind(h.mission_start)
        .bind(h.mission_end)
}

fn holder_write_error(error: sqlx::Error, details: &HolderDetails) -> StoreError {
    if crate::error::is_unique_violation(&error) {
        // Another desk created the same HR number meanwhile: a retry will match it.
        StoreError::VersionConflict {
            entity: "holder",
            id: details.external_id.clone().unwrap_or_default(),
            expected: 0,
            actual: 1,
        }
    } else {
        error.into()
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
    let query = sqlx::query(
        "UPDATE holders SET family_name = $1, given_names = $2, email = $3, phone = $4, organisation = $5,
             unit = $6, category = $7, external_id = $8, presence_days_per_week = $9, mission_start = $10,
             mission_end = $11, version = version + 1, updated_at = $12
         WHERE id = $13 AND version = $14",
    );
    let done = bind_holder(query, details)
        .bind(at)
        .bind(holder.id.to_string())
        .bind(holder.version)
        .execute(&mut *conn)
        .await
        .map_err(|e| holder_write_error(e, details))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::VersionConflict {
            entity: "holder",
            id: holder.id.to_string(),
            expected: holder.version,
            actual: holder.version + 1,
        });
    }
    sqlx::query("UPDATE requests SET holder_sort = $1, category = $2, mission_end = $3 WHERE holder_id = $4")
        .bind(text::sort_key(&details.family_name, &details.given_names))
        .bind(details.category.clone())
        .bind(details.mission_end)
        .bind(holder.id.to_string())
        .execute(&mut *conn)
        .await?;
    let rows = sqlx::query("SELECT id, badge_number FROM requests WHERE holder_id = $1")
        .bind(holder.id.to_string())
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let request_id = get_uuid(&row, "id")?;
        let number: Option<String> = row.try_get("badge_number")?;
        write_search_terms(conn, request_id, details, number.as_deref()).await?;
    }
    append_audit(
        conn,
        at,
        Audit {
            operator,
            entity: AuditEntity::Holder,
            entity_id: holder.id.to_string(),
            request_id: None,
            action: "update",
            before: serde_json::to_value(&holder.details).ok(),
            after: serde_json::to_value(details).ok(),
            reason: None,
        },
    )
    .await?;
    Ok(holder.version + 1)
}

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
pub(crate) const BULK_ROWS: usize = 400;

/// Validates and inserts one request (and its holder) inside the caller's transaction.
pub(crate) async fn insert_request(
    conn: &mut Conn,
    policy: &Policy,
    new: NewRequest,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<Uuid> {
    let ids = insert_requests(conn, policy, vec![new], operator, at).await?;
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
    at: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    super::require_operator(operator)?;
    let op = operator.trim();
    let keys = policy.category_keys();
    let mut prepared = Vec::with_capacity(news.len());
    for new in news {
        let holder = new.holder.normalised();
        holder.validate(&keys)?;
        let details = new.request.normalised();
        details.validate()?;
        if let Some(previous) = details.previous_badge_id {
            load_badge(conn, previous).await?;
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
            builder
                .build()
                .execute(&mut *conn)
                .await
                .map_err(|e| holder_write_error(e, created[0].1))?;
            let audits = created
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
            append_audits(conn, at, audits).await?;
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

        // The requests, their zones, search words and audit lines.
        let request_ids: Vec<Uuid> = chunk.iter().map(|_| Uuid::now_v7()).collect();
        let mut builder: QueryBuilder<Db> = QueryBuilder::new(
            "INSERT INTO requests (id, holder_id, kind, status, version, category, holder_sort, mission_end,
                 submitted_on, services, wanted_from, wanted_until, previous_badge_id, replacement_cause, notes,
                 submitted_by, submitted_at, updated_at) ",
        );
        builder.push_values(
            chunk.iter().zip(&holder_of).zip(&request_ids),
            |mut b, (((_, h, r), holder_id), id)| {
                b.push_bind(id.to_string())
                    .push_bind(holder_id.to_string())
                    .push_bind(r.kind.as_str())
                    .push_bind(RequestStatus::Submitted.as_str())
                    .push_bind(1i64)
                    .push_bind(h.category.clone())
                    .push_bind(text::sort_key(&h.family_name, &h.given_names))
                    .push_bind(h.mission_end)
                    .push_bind(at.date_naive())
                    .push_bind(serde_json::to_string(&r.services).unwrap_or_else(|_| "[]".into()))
                    .push_bind(r.wanted_from)
                    .push_bind(r.wanted_until)
                    .push_bind(r.previous_badge_id.map(|b| b.to_string()))
                    .push_bind(r.replacement_cause.as_ref().map(enum_str))
                    .push_bind(r.notes.clone())
                    .push_bind(op.to_owned())
                    .push_bind(at)
                    .push_bind(at);
            },
        );
        builder.build().execute(&mut *conn).await?;

        let zones: Vec<(String, String, i64)> = chunk
            .iter()
            .zip(&request_ids)
            .flat_map(|((_, _, r), id)| {
                r.zones
                    .iter()
                    .enumerate()
                    .map(move |(i, z)| (id.to_string(), z.clone(), i as i64))
            })
            .collect();
        for part in zones.chunks(BULK_ROWS * 2) {
            let mut builder: QueryBuilder<Db> =
                QueryBuilder::new("INSERT INTO request_zones (request_id, zone, position) ");
            builder.push_values(part, |mut b, (id, zone, position)| {
                b.push_bind(id.clone())
                    .push_bind(zone.clone())
                    .push_bind(*position);
            });
            builder.build().execute(&mut *conn).await?;
        }

        let terms: Vec<(String, String)> = chunk
            .iter()
            .zip(&request_ids)
            .flat_map(|((_, h, _), id)| {
                let id = id.to_string();
                terms_for(h, None).into_iter().map(move |t| (t, id.clone()))
            })
            .collect();
        insert_term_rows(conn, terms).await?;

        let audits = chunk
            .iter()
            .zip(&holder_of)
            .zip(&request_ids)
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
        append_audits(conn, at, audits).await?;
        ids.extend(request_ids);
    }
    Ok(ids)
}

pub(crate) async fn create_request(
    pool: &Pool,
    new: NewRequest,
    operator: &str,
) -> Result<RequestDetail> {
    let at = now();
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    // The notice is counted in the desk's own time: the first day starts at its midnight.
    super::day_pass::check_notice(&policy, &new, chrono::Local::now().naive_local())?;
    let id = insert_request(&mut tx, &policy, new, operator, at).await?;
    let detail = get_detail(&mut tx, id).await?;
    tx.commit().await?;
    Ok(detail)
}

pub(crate) async fn get_request(pool: &Pool, id: Uuid) -> Result<RequestDetail> {
    let mut conn = pool.acquire().await?;
    get_detail(&mut conn, id).await
}

fn check_version(request: &Request, expected: i64) -> Result<()> {
    if request.version != expected {
        return Err(StoreError::VersionConflict {
            entity: "request",
            id: request.id.to_string(),
            expected,
            actual: request.version,
        });
    }
    Ok(())
}

/// Another desk's print claim still running, if any.
pub(crate) fn foreign_claim<'r>(
    request: &'r Request,
    operator: &str,
    at: DateTime<Utc>,
) -> Option<&'r Stamp> {
    request.print_claim.as_ref().filter(|claim| {
        claim.by != operator.trim() && at - claim.at < Duration::minutes(PRINT_CLAIM_MINUTES)
    })
}

/// The validity of a badge issued now, from the eligibility evaluated today: a request
/// approved earlier is refused if the holder no longer qualifies (mission ended…).
pub(crate) fn print_validity(eligibility: &Eligibility) -> Result<(NaiveDate, NaiveDate)> {
    match eligibility.valid_until {
        Some(until) if eligibility.is_eligible() && until >= eligibility.valid_from => {
            Ok((eligibility.valid_from, until))
        }
        _ => Err(DomainError::NotEligible {
            problems: if eligibility.problems.is_empty() {
                vec!["no validity can be computed".to_owned()]
            } else {
                eligibility
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            },
        }
        .into()),
    }
}

/// The eligibility of a request's holder on `today`, as the review computed it.
pub(crate) fn eligibility_on(
    policy: &Policy,
    holder: &Holder,
    request: &Request,
    today: NaiveDate,
) -> Eligibility {
    evaluate(
        policy,
        &holder.details,
        request.details.kind,
        wanted(&request.details),
        today,
    )
}

/// Moves a request through its lifecycle. Refused moves write nothing.
pub(crate) async fn transition(
    pool: &Pool,
    id: Uuid,
    expected_version: i64,
    action: RequestAction,
    operator: &str,
    reason: Option<&str>,
) -> Result<RequestDetail> {
    super::require_operator(operator)?;
    let at = now();
    let mut tx = begin_write(pool).await?;
    let (request, badge_id) = load_request(&mut tx, id, true).await?;
    check_version(&request, expected_version)?;
    let holder = load_holder(&mut tx, request.holder_id).await?;
    let attachments = load_attachments(&mut tx, id).await?;
    let policy = load_policy(&mut tx).await?;
    let fallback = strict_rules();
    let rules = rules_for(&policy, &holder.details.category, &fallback);
    let missing = missing_items(request.details.kind, rules, &facts(&request, &attachments));
    let eligibility = evaluate(
        &policy,
        &holder.details,
        request.details.kind,
        wanted(&request.details),
        at.date_naive(),
    );
    let target = next_status(
        request.status,
        request.details.kind,
        &action,
        reason,
        &missing,
        &eligibility,
    )?;
    if action == RequestAction::Approve {
        super::opposition::check_approvable(&mut tx, &request).await?;
    }
    if action == RequestAction::MarkPrinted {
        if let Some(claim) = foreign_claim(&request, operator, at) {
            return Err(StoreError::ClaimedByOther {
                id: id.to_string(),
                operator: claim.by.clone(),
            });
        }
    }

    let op = operator.trim();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    // Each action sets its own stamp columns; the rest of the row is untouched.
    let (set, stamp_by): (&str, bool) = match &action {
        RequestAction::Approve | RequestAction::Refuse => {
            ("reviewed_by = $5, reviewed_at = $1", true)
        }
        RequestAction::MarkPrinted => (
            "printed_by = $5, printed_at = $1, print_claim_by = NULL, print_claim_at = NULL",
            true,
        ),
        RequestAction::Dispatch { .. } => (
            "dispatched_by = $5, dispatched_at = $1, dispatch_method = $6",
            true,
        ),
        RequestAction::Activate => ("activated_by = $5, activated_at = $1", true),
        RequestAction::RecordImageRightsConsent => ("consent_by = $5, consent_at = $1", true),
        RequestAction::CertifyPhoto => ("photo_certified_by = $5, photo_certified_at = $1", true),
        RequestAction::Cancel => ("print_claim_by = NULL, print_claim_at = NULL", false),
        _ => ("", false),
    };
    let status_reason = if action.needs_reason() {
        reason
    } else {
        request.status_reason.as_deref()
    };
    let sql = format!(
        "UPDATE requests SET status = $2, version = version + 1, updated_at = $1, status_reason = $7{}{}
         WHERE id = $3 AND version = $4",
        if set.is_empty() { "" } else { ", " },
        set
    );
    let method = match &action {
        RequestAction::Dispatch { method } => Some(enum_str(method)),
        _ => None,
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(at)
        .bind(target.as_str())
        .bind(id.to_string())
        .bind(expected_version);
    if stamp_by || matches!(action, RequestAction::Dispatch { .. }) {
        query = query.bind(op);
    } else {
        query = query.bind(None::<String>);
    }
    let done = query
        .bind(method)
        .bind(status_reason.map(str::to_owned))
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        let actual: i64 = sqlx::query_scalar("SELECT version FROM requests WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        return Err(StoreError::VersionConflict {
            entity: "request",
            id: id.to_string(),
            expected: expected_version,
            actual,
        });
    }

    // Side effects on the badge, in the same transaction.
    let mut badge_after = None;
    match &action {
        // The badge (number and validity) is issued when the card is printed, not at
        // approval: numbers follow the cards that exist, and a request cancelled
        // after approval never consumed one.
        RequestAction::MarkPrinted if request.details.kind.prints_a_card() => {
            let (from, until) = print_validity(&eligibility)?;
            let badge =
                issue_badge(&mut tx, &policy, &request, &holder, from, until, op, at).await?;
            write_search_terms(&mut tx, id, &holder.details, Some(&badge.number)).await?;
            badge_after = Some(badge);
        }
        RequestAction::Activate => {
            if let Some(badge_id) = badge_id {
                super::badges::set_status_from(
                    &mut tx,
                    badge_id,
                    &[BadgeStatus::Issued],
                    BadgeStatus::Active,
                    None,
                    op,
                    Some(id),
                    "activate",
                    at,
                )
                .await?;
            } else if let Some(previous) = request.details.previous_badge_id {
                // Zone access: the zones their approvers granted join the badge the
                // holder already has.
                super::zones::grant_decided_zones(&mut tx, &request, previous, op, at).await?;
            }
        }
        RequestAction::Cancel => {
            if let Some(badge_id) = badge_id {
                super::badges::set_status_from(
                    &mut tx,
                    badge_id,
                    &[BadgeStatus::Issued],
                    BadgeStatus::Deactivated,
                    Some("request cancelled"),
                    op,
                    Some(id),
                    "deactivate",
                    at,
                )
                .await?;
            }
        }
        _ => {}
    }

    append_audit(
        &mut tx,
        at,
        Audit {
            operator: op,
            entity: AuditEntity::Request,
            entity_id: id.to_string(),
            request_id: Some(id),
            action: action.name(),
            before: Some(
                serde_json::json!({ "status": request.status, "version": request.version }),
            ),
            after: Some(serde_json::json!({
                "status": target,
                "version": request.version + 1,
                "action": action,
                "badgeNumber": badge_after.as_ref().map(|b| b.number.clone()),
            })),
            reason,
        },
    )
    .await?;
    let detail = get_detail(&mut tx, id).await?;
    tx.commit().await?;
    Ok(detail)
}

/// Takes approved requests to print for `operator`. Returns the ids actually taken:
/// a request another desk holds (claim younger than `PRINT_CLAIM_MINUTES`), or not
/// approved, is left out.
pub(crate) async fn claim_for_print(
    pool: &Pool,
    ids: &[Uuid],
    operator: &str,
) -> Result<Vec<Uuid>> {
    super::require_operator(operator)?;
    let at = now();
    let op = operator.trim();
    // Lock rows in one global order so two desks claiming overlapping sets cannot deadlock.
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let mut tx = begin_write(pool).await?;
    let mut claimed = Vec::new();
    for id in ids {
        let (request, _) = match load_request(&mut tx, id, true).await {
            Ok(found) => found,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        if request.status != RequestStatus::Approved
            || !request.details.kind.prints_a_card()
            || foreign_claim(&request, op, at).is_some()
        {
            continue;
        }
        let done = sqlx::query(
            "UPDATE requests SET print_claim_by = $1, print_claim_at = $2, version = version + 1, updated_at = $2
             WHERE id = $3 AND version = $4 AND status = 'approved'",
        )
        .bind(op)
        .bind(at)
        .bind(id.to_string())
        .bind(request.version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            append_audit(
                &mut tx,
                at,
                Audit {
                    operator: op,
                    entity: AuditEntity::Request,
                    entity_id: id.to_string(),
                    request_id: Some(id),
                    action: "claim_for_print",
                    before: request
                        .print_claim
                        .as_ref()
                        .and_then(|c| serde_json::to_value(c).ok()),
                    after: Some(serde_json::json!({ "by": op, "at": at })),
                    reason: None,
                },
            )
            .await?;
            claimed.push(id);
        }
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Gives back requests `operator` took to print (e.g. the printer jammed).
pub(crate) async fn release_print_claims(
    pool: &Pool,
    ids: &[Uuid],
    operator: &str,
) -> Result<Vec<Uuid>> {
    super::require_operator(operator)?;
    let at = now();
    let op = operator.trim();
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let mut tx = begin_write(pool).await?;
    let mut released = Vec::new();
    for id in ids {
        let done = sqlx::query(
            "UPDATE requests SET print_claim_by = NULL, print_claim_at = NULL, version = version + 1, updated_at = $1
             WHERE id = $2 AND print_claim_by = $3",
        )
        .bind(at)
        .bind(id.to_string())
        .bind(op)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            append_audit(
                &mut tx,
                at,
                Audit {
                    operator: op,
                    entity: AuditEntity::Request,
                    entity_id: id.to_string(),
                    request_id: Some(id),
                    action: "release_print_claim",
                    before: Some(serde_json::json!({ "by": op })),
                    after: None,
                    reason: None,
                },
            )
            .await?;
            released.push(id);
        }
    }
    tx.commit().await?;
    Ok(released)
}

/// Changes a holder's details (with the version the desk saw); their requests follow.
pub(crate) async fn update_holder(
    pool: &Pool,
    id: Uuid,
    expected_version: i64,
    details: HolderDetails,
    operator: &str,
) -> Result<Holder> {
    super::require_operator(operator)?;
    let at = now();
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
