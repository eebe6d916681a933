//! Printing: the badge number is issued and the request marked printed in the same
//! transaction that lays the cards out, so a PDF exists if and only if its requests
//! are recorded as printed, and no number is ever given twice.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sesame_core::{
    AttachmentKind, AuditEntity, Badge, BadgeStatus, Clock, DomainError, Eligibility, Holder,
    Policy, Request, RequestAction, RequestStatus, Stamp,
};
use uuid::Uuid;

use super::badges::issue_badge;
use super::rows::{
    attachment_from_row, eligibility_on, enum_str, load_badge, load_holder, load_request,
    ATTACHMENT_WITH_BLOB,
};
use super::search::write_search_terms;
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{
    append_audit, begin_write, load_policy, move_audit, require_operator, unique_in_order, Audit,
    Conn, Now, Pool,
};
use crate::codec::BlobCodec;
use crate::error::{Result, StoreError};
use crate::store::PRINT_CLAIM_MINUTES;
use crate::{
    Attachment, PrintBatchOutcome, PrintItem, PrintSelection, PrintSink, PrintSkip,
    PrintSkipReason, PrintedBadge, SelectionOutcome,
};

/// What a print run does with one request.
enum Plan {
    /// Approved: gets its badge now, valid over these dates.
    First {
        request: Request,
        holder: Holder,
        valid_from: NaiveDate,
        valid_until: NaiveDate,
    },
    /// Printed before: the same badge again.
    Reprint {
        request: Request,
        holder: Holder,
        badge: Badge,
    },
    Skip(PrintSkip),
}

fn skip(request_id: Uuid, reason: PrintSkipReason, detail: Option<String>) -> Plan {
    Plan::Skip(PrintSkip {
        request_id,
        reason,
        detail,
    })
}

/// Decides what to do with one request; `lock` takes PostgreSQL's row lock.
async fn plan(
    conn: &mut Conn,
    policy: &Policy,
    id: Uuid,
    operator: &str,
    now: Now,
    allow_reprint: bool,
    lock: bool,
) -> Result<Plan> {
    let (request, badge_id) = match load_request(conn, id, lock).await {
        Ok(found) => found,
        Err(StoreError::NotFound { .. }) => return Ok(skip(id, PrintSkipReason::NotFound, None)),
        Err(e) => return Err(e),
    };
    let status = request.status;
    if status == RequestStatus::Approved {
        if !request.details.kind.prints_a_card() {
            return Ok(skip(id, PrintSkipReason::NoCard, None));
        }
        if let Some(claim) = foreign_claim(&request, operator, now.at) {
            let by = claim.by.clone();
            return Ok(skip(id, PrintSkipReason::ClaimedByOther, Some(by)));
        }
        let holder = load_holder(conn, request.holder_id).await?;
        let eligibility = eligibility_on(policy, &holder, &request, now.today);
        return Ok(match print_validity(&eligibility) {
            Ok((valid_from, valid_until)) => Plan::First {
                request,
                holder,
                valid_from,
                valid_until,
            },
            Err(StoreError::Domain(DomainError::NotEligible { problems })) => {
                skip(id, PrintSkipReason::NotEligible, Some(problems.join("; ")))
            }
            Err(e) => return Err(e),
        });
    }
    let printed_before = matches!(
        status,
        RequestStatus::Printed | RequestStatus::Dispatched | RequestStatus::Activated
    );
    match badge_id {
        Some(badge_id) if printed_before => {
            let badge = load_badge(conn, badge_id, false).await?;
            if !matches!(badge.status, BadgeStatus::Issued | BadgeStatus::Active) {
                let detail = badge.status.as_str().to_owned();
                return Ok(skip(id, PrintSkipReason::BadgeNotUsable, Some(detail)));
            }
            if !allow_reprint {
                return Ok(skip(
                    id,
                    PrintSkipReason::AlreadyPrinted,
                    Some(badge.number),
                ));
            }
            let holder = load_holder(conn, request.holder_id).await?;
            Ok(Plan::Reprint {
                request,
                holder,
                badge,
            })
        }
        _ => Ok(skip(
            id,
            PrintSkipReason::NotApproved,
            Some(status.as_str().to_owned()),
        )),
    }
}

/// The request's ID photo, decoded.
async fn load_photo(
    conn: &mut Conn,
    codec: &dyn BlobCodec,
    request_id: Uuid,
) -> Result<Option<Attachment>> {
    let sql = format!("{ATTACHMENT_WITH_BLOB} WHERE a.request_id = $1 AND a.kind = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .bind(AttachmentKind::Photo.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| attachment_from_row(&row, codec)).transpose()
}

/// What a print run would do now, without writing anything (the preview). First
/// prints get the numbers the counter would give next, flagged provisional.
pub(crate) async fn print_selection(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
    ids: &[Uuid],
    operator: &str,
    with_photos: bool,
) -> Result<PrintSelection> {
    let mut conn = pool.acquire().await?;
    let mut selection = plan_selection(&mut conn, clock, ids, operator).await?;
    if with_photos {
        for item in &mut selection.items {
            item.photo = load_photo(&mut conn, codec, item.request.id).await?;
        }
    }
    Ok(selection)
}

/// [`print_selection`] handing its items to `sink` as a print run does
/// ([`print_batch`]): all of them without photos, then each with its photo, read as
/// it is handed over, so a preview of any size holds the photos its sink keeps.
pub(crate) async fn print_selection_into<S: PrintSink>(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
    ids: &[Uuid],
    operator: &str,
    mut sink: S,
) -> std::result::Result<SelectionOutcome<S::Output>, S::Error> {
    let mut conn = pool.acquire().await.map_err(StoreError::from)?;
    let PrintSelection { items, skipped } = plan_selection(&mut conn, clock, ids, operator).await?;
    if items.is_empty() {
        return Ok(SelectionOutcome {
            skipped,
            rendered: None,
        });
    }
    hand_over(&mut conn, codec, items, &mut sink).await?;
    Ok(SelectionOutcome {
        skipped,
        rendered: Some(sink.finish()?),
    })
}

/// Hands `items` to `sink`: all of them first, without photos, then each with its
/// photo, read as it is handed over, so no more than one is held here.
async fn hand_over<S: PrintSink>(
    conn: &mut Conn,
    codec: &dyn BlobCodec,
    items: Vec<PrintItem>,
    sink: &mut S,
) -> std::result::Result<(), S::Error> {
    sink.start(&items)?;
    for item in items {
        let photo = load_photo(conn, codec, item.request.id).await?;
        sink.item(PrintItem { photo, ..item })?;
    }
    Ok(())
}

/// The selection's items, without their photos, and the requests left out.
async fn plan_selection(
    conn: &mut Conn,
    clock: &Clock,
    ids: &[Uuid],
    operator: &str,
) -> Result<PrintSelection> {
    require_operator(operator)?;
    let op = operator.trim();
    let now = Now::read(clock);
    let policy = load_policy(&mut *conn).await?;
    let mut next_seq: i64 =
        sqlx::query_scalar("SELECT next_value FROM counters WHERE name = 'badge_number'")
            .fetch_one(&mut *conn)
            .await?;
    let mut selection = PrintSelection::default();
    for id in unique_in_order(ids) {
        let item = match plan(&mut *conn, &policy, id, op, now, true, false).await? {
            Plan::Skip(skipped) => {
                selection.skipped.push(skipped);
                continue;
            }
            Plan::First {
                request,
                holder,
                valid_from,
                valid_until,
            } => {
                let number = policy
                    .badge_number_format
                    .render(u64::try_from(next_seq).unwrap_or(0), now.today);
                next_seq += 1;
                PrintItem {
                    zones: request.details.zones.clone(),
                    request,
                    holder,
                    badge_number: number,
                    provisional_number: true,
                    badge_id: None,
                    valid_from,
                    valid_until,
                    reprint: false,
                    photo: None,
                }
            }
            Plan::Reprint {
                request,
                holder,
                badge,
            } => reprint_item(request, holder, badge),
        };
        selection.items.push(item);
    }
    Ok(selection)
}

fn reprint_item(request: Request, holder: Holder, badge: Badge) -> PrintItem {
    PrintItem {
        request,
        holder,
        badge_number: badge.number,
        provisional_number: false,
        badge_id: Some(badge.id),
        valid_from: badge.valid_from,
        valid_until: badge.valid_until,
        reprint: true,
        zones: badge.zones,
        photo: None,
    }
}

fn printed_badge(item: &PrintItem, badge_id: Uuid) -> PrintedBadge {
    PrintedBadge {
        request_id: item.request.id,
        badge_id,
        badge_number: item.badge_number.clone(),
        family_name: item.holder.details.family_name.clone(),
        given_names: item.holder.details.given_names.clone(),
        reprint: item.reprint,
    }
}

/// Marks an approved request printed with its new badge (status, stamps, claim cleared, audit).
#[allow(clippy::too_many_arguments)]
async fn mark_printed(
    conn: &mut Conn,
    policy: &Policy,
    request: &Request,
    holder: &Holder,
    validity: (NaiveDate, NaiveDate),
    batch_size: usize,
    template_version: Option<i64>,
    op: &str,
    now: Now,
) -> Result<Badge> {
    let at = now.at;
    let badge = issue_badge(
        conn, policy, request, holder, validity.0, validity.1, op, now,
    )
    .await?;
    let action = RequestAction::MarkPrinted;
    let bump = stamped(
        Bump::new(Versioned::Request, request.id, request.version)
            .set("status", RequestStatus::Printed.as_str())
            .only_if("status", RequestStatus::Approved.as_str()),
        &action,
        op,
        at,
    );
    let audit = move_audit(
        op,
        request,
        RequestStatus::Printed,
        &action,
        serde_json::json!({
            "badgeNumber": badge.number,
            "batchSize": batch_size,
            "templateVersion": template_version,
        }),
        None,
    );
    bump_version(conn, at, bump, audit).await?;
    write_search_terms(conn, request.id, &holder.details, Some(&badge.number)).await?;
    Ok(badge)
}

/// Adds to `bump` the columns `action` stamps on a request (who and when), and clears
/// the print claim when the action ends it.
pub(crate) fn stamped(bump: Bump, action: &RequestAction, op: &str, at: DateTime<Utc>) -> Bump {
    let mut bump = bump;
    if let Some(columns) = action.stamp_columns() {
        bump = bump.set(columns.by, op).set(columns.at, at);
    }
    if action.ends_print_claim() {
        bump = bump
            .set("print_claim_by", Value::null())
            .set("print_claim_at", Value::Time(None));
    }
    bump
}

/// The audit line of a reprint: which badge, by whom, why, and the office's template
/// version it was printed with (when printed, not only recorded).
#[allow(clippy::too_many_arguments)]
async fn audit_reprint(
    conn: &mut Conn,
    request: &Request,
    badge: &Badge,
    op: &str,
    reason: &str,
    template_version: Option<i64>,
    at: DateTime<Utc>,
) -> Result<()> {
    append_audit(
        conn,
        at,
        Audit {
            operator: op,
            entity: AuditEntity::Request,
            entity_id: request.id.to_string(),
            request_id: Some(request.id),
            action: "reprint",
            before: Some(serde_json::json!({ "status": request.status })),
            after: Some(serde_json::json!({
                "badgeId": badge.id,
                "badgeNumber": badge.number,
                "badgeStatus": badge.status,
                "templateVersion": template_version,
            })),
            reason: Some(reason),
        },
    )
    .await
}

fn reason_required(reason: Option<&str>) -> Result<&str> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            DomainError::ReasonRequired {
                action: "reprint".into(),
            }
            .into()
        })
}

/// Prints in one write transaction: issues the badges of the approved requests,
/// marks them printed, audits the reprints (only with `reprint_reason`), then hands
/// the cards to `sink` in the order asked: all of them, then each with its photo,
/// read then. Commits only if every call of the sink succeeds; otherwise nothing is
/// written and the counter is untouched.
///
/// Rows are locked in id order before any number is taken, so desks printing
/// overlapping sets wait for each other instead of deadlocking; the loser finds
/// the requests printed and skips them.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn print_batch<S: PrintSink>(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
    ids: &[Uuid],
    operator: &str,
    reprint_reason: Option<&str>,
    template_version: Option<i64>,
    mut sink: S,
) -> std::result::Result<PrintBatchOutcome<S::Output>, S::Error> {
    require_operator(operator)?;
    let op = operator.trim();
    let reprint_reason = match reprint_reason {
        Some(r) => Some(reason_required(Some(r))?),
        None => None,
    };
    let now = Now::read(clock);
    let at = now.at;
    let order = unique_in_order(ids);
    let mut locking = order.clone();
    locking.sort();

    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let mut plans = HashMap::new();
    for id in locking {
        let planned = plan(
            &mut tx,
            &policy,
            id,
            op,
            now,
            reprint_reason.is_some(),
            true,
        )
        .await?;
        plans.insert(id, planned);
    }
    let batch_size = plans
        .values()
        .filter(|p| !matches!(p, Plan::Skip(_)))
        .count();

    let mut items = Vec::new();
    let mut printed = Vec::new();
    let mut skipped = Vec::new();
    for id in order {
        let (item, badge_id) = match plans.remove(&id) {
            None => continue,
            Some(Plan::Skip(s)) => {
                skipped.push(s);
                continue;
            }
            Some(Plan::First {
                request,
                holder,
                valid_from,
                valid_until,
            }) => {
                let badge = mark_printed(
                    &mut tx,
                    &policy,
                    &request,
                    &holder,
                    (valid_from, valid_until),
                    batch_size,
                    template_version,
                    op,
                    now,
                )
                .await?;
                let badge_id = badge.id;
                let item = PrintItem {
                    request,
                    holder,
                    badge_number: badge.number,
                    provisional_number: false,
                    badge_id: Some(badge.id),
                    valid_from,
                    valid_until,
                    reprint: false,
                    zones: badge.zones,
                    photo: None,
                };
                (item, badge_id)
            }
            Some(Plan::Reprint {
                request,
                holder,
                badge,
            }) => {
                // Only planned when a reason was given.
                let reason = reason_required(reprint_reason)?;
                audit_reprint(&mut tx, &request, &badge, op, reason, template_version, at).await?;
                let badge_id = badge.id;
                (reprint_item(request, holder, badge), badge_id)
            }
        };
        printed.push(printed_badge(&item, badge_id));
        items.push(item);
    }
    if items.is_empty() {
        // Nothing to print: the transaction wrote nothing and is dropped.
        return Ok(PrintBatchOutcome {
            printed,
            skipped,
            rendered: None,
        });
    }
    // Rendering happens while the rows stay locked; an error rolls everything back.
    hand_over(&mut tx, codec, items, &mut sink).await?;
    let rendered = sink.finish()?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(PrintBatchOutcome {
        printed,
        skipped,
        rendered: Some(rendered),
    })
}

/// Records, on its own, that a printed badge was printed again (e.g. on another
/// machine); the reason is required.
pub(crate) async fn record_reprint(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    operator: &str,
    reason: &str,
) -> Result<PrintedBadge> {
    require_operator(operator)?;
    let op = operator.trim();
    let reason = reason_required(Some(reason))?;
    let now = Now::read(clock);
    let at = now.at;
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    match plan(&mut tx, &policy, request_id, op, now, true, true).await? {
        Plan::Reprint {
            request,
            holder,
            badge,
        } => {
            audit_reprint(&mut tx, &request, &badge, op, reason, None, at).await?;
            let badge_id = badge.id;
            let printed = printed_badge(&reprint_item(request, holder, badge), badge_id);
            tx.commit().await?;
            Ok(printed)
        }
        Plan::First { request, .. } => Err(StoreError::NotReprintable {
            id: request_id.to_string(),
            reason: format!(
                "it was never printed (status '{}')",
                request.status.as_str()
            ),
        }),
        Plan::Skip(s) => Err(StoreError::NotReprintable {
            id: request_id.to_string(),
            reason: match s.detail {
                Some(detail) => format!("{} ({detail})", enum_str(&s.reason)),
                None => enum_str(&s.reason),
            },
        }),
    }
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

/// The ids each once, in one global order: rows are locked in that order, so two
/// desks working on overlapping sets cannot deadlock.
fn lock_order(ids: &[Uuid]) -> Vec<Uuid> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    ids
}

/// Takes approved requests to print for `operator`. Returns the ids actually taken:
/// a request another desk holds (claim younger than `PRINT_CLAIM_MINUTES`), or not
/// approved, is left out.
pub(crate) async fn claim_for_print(
    pool: &Pool,
    clock: &Clock,
    ids: &[Uuid],
    operator: &str,
) -> Result<Vec<Uuid>> {
    change_claims(pool, clock, ids, operator, true).await
}

/// Gives back requests `operator` took to print (e.g. the printer jammed).
pub(crate) async fn release_print_claims(
    pool: &Pool,
    clock: &Clock,
    ids: &[Uuid],
    operator: &str,
) -> Result<Vec<Uuid>> {
    change_claims(pool, clock, ids, operator, false).await
}

/// Takes (`take`) or gives back `operator`'s claims on `ids`, skipping the requests
/// where that does not apply; returns the ids changed.
async fn change_claims(
    pool: &Pool,
    clock: &Clock,
    ids: &[Uuid],
    operator: &str,
    take: bool,
) -> Result<Vec<Uuid>> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let op = operator.trim();
    let mut tx = begin_write(pool).await?;
    let mut changed = Vec::new();
    for id in lock_order(ids) {
        let (request, _) = match load_request(&mut tx, id, true).await {
            Ok(found) => found,
            Err(StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        let bump = Bump::new(Versioned::Request, id, request.version);
        let (bump, action, before, after) = if take {
            if request.status != RequestStatus::Approved
                || !request.details.kind.prints_a_card()
                || foreign_claim(&request, op, at).is_some()
            {
                continue;
            }
            let bump = bump
                .set("print_claim_by", op)
                .set("print_claim_at", at)
                .only_if("status", RequestStatus::Approved.as_str());
            let before = request
                .print_claim
                .as_ref()
                .and_then(|c| serde_json::to_value(c).ok());
            let after = Some(serde_json::json!({ "by": op, "at": at }));
            (bump, "claim_for_print", before, after)
        } else {
            if request
                .print_claim
                .as_ref()
                .is_none_or(|claim| claim.by != op)
            {
                continue;
            }
            let bump = bump
                .set("print_claim_by", Value::null())
                .set("print_claim_at", Value::Time(None));
            let before = Some(serde_json::json!({ "by": op }));
            (bump, "release_print_claim", before, None)
        };
        let audit = Audit {
            operator: op,
            entity: AuditEntity::Request,
            entity_id: id.to_string(),
            request_id: Some(id),
            action,
            before,
            after,
            reason: None,
        };
        bump_version(&mut tx, at, bump, audit).await?;
        changed.push(id);
    }
    tx.commit().await?;
    Ok(changed)
}
