//! Printing: the badge number is issued and the request marked printed in the same
//! transaction that lays the cards out, so a PDF exists if and only if its requests
//! are recorded as printed, and no number is ever given twice.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sesame_core::{
    AttachmentKind, AuditEntity, Badge, BadgeStatus, DomainError, Holder, Policy, Request,
    RequestAction, RequestStatus,
};
use sqlx::Row;
use uuid::Uuid;

use super::badges::{issue_badge, load_badge};
use super::requests::{
    eligibility_on, foreign_claim, load_holder, load_request, print_validity, write_search_terms,
};
use super::{append_audit, begin_write, load_policy, now, Audit, Conn, Pool};
use crate::codec::BlobCodec;
use crate::error::{Result, StoreError};
use crate::types::{
    Attachment, PrintBatchOutcome, PrintItem, PrintSelection, PrintSkip, PrintSkipReason,
    PrintedBadge,
};

/// What a print run does with one request.
enum Plan {
    /// Approved: gets its badge now, valid over these dates.
    First {
        request: Request,
        holder: Holder,
        valid_from: chrono::NaiveDate,
        valid_until: chrono::NaiveDate,
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

/// The ids in the order asked, each once.
fn unique_in_order(ids: &[Uuid]) -> Vec<Uuid> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// Decides what to do with one request; `lock` takes PostgreSQL's row lock.
async fn plan(
    conn: &mut Conn,
    policy: &Policy,
    id: Uuid,
    operator: &str,
    at: DateTime<Utc>,
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
        if let Some(claim) = foreign_claim(&request, operator, at) {
            let by = claim.by.clone();
            return Ok(skip(id, PrintSkipReason::ClaimedByOther, Some(by)));
        }
        let holder = load_holder(conn, request.holder_id).await?;
        let eligibility = eligibility_on(policy, &holder, &request, at.date_naive());
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
    let row = sqlx::query(
        "SELECT a.id, a.request_id, a.kind, a.media_type, a.byte_size, a.created_by, a.created_at, b.codec, b.data
         FROM attachments a JOIN attachment_blobs b ON b.attachment_id = a.id
         WHERE a.request_id = $1 AND a.kind = $2",
    )
    .bind(request_id.to_string())
    .bind(AttachmentKind::Photo.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let meta = super::attachments::meta_from_row(&row)?;
    let codec_name: String = row.try_get("codec")?;
    let stored: Vec<u8> = row.try_get("data")?;
    let bytes = codec
        .open(&codec_name, meta.id, &stored)
        .map_err(|e| StoreError::Codec {
            id: meta.id.to_string(),
            reason: e.0,
        })?;
    Ok(Some(Attachment { meta, bytes }))
}

/// What a print run would do now, without writing anything (the preview). First
/// prints get the numbers the counter would give next, flagged provisional.
pub(crate) async fn print_selection(
    pool: &Pool,
    codec: &dyn BlobCodec,
    ids: &[Uuid],
    operator: &str,
    with_photos: bool,
) -> Result<PrintSelection> {
    super::require_operator(operator)?;
    let op = operator.trim();
    let at = now();
    let mut conn = pool.acquire().await?;
    let policy = load_policy(&mut conn).await?;
    let mut next_seq: i64 =
        sqlx::query_scalar("SELECT next_value FROM counters WHERE name = 'badge_number'")
            .fetch_one(&mut *conn)
            .await?;
    let mut selection = PrintSelection::default();
    for id in unique_in_order(ids) {
        let item = match plan(&mut conn, &policy, id, op, at, true, false).await? {
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
                    .render(u64::try_from(next_seq).unwrap_or(0), at.date_naive());
                next_seq += 1;
                PrintItem {
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
        let photo = if with_photos {
            load_photo(&mut conn, codec, id).await?
        } else {
            None
        };
        selection.items.push(PrintItem { photo, ..item });
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
    validity: (chrono::NaiveDate, chrono::NaiveDate),
    batch_size: usize,
    op: &str,
    at: DateTime<Utc>,
) -> Result<Badge> {
    let badge = issue_badge(
        conn, policy, request, holder, validity.0, validity.1, op, at,
    )
    .await?;
    let done = sqlx::query(
        "UPDATE requests SET status = $1, version = version + 1, updated_at = $2, printed_by = $3, printed_at = $2,
             print_claim_by = NULL, print_claim_at = NULL
         WHERE id = $4 AND version = $5 AND status = $6",
    )
    .bind(RequestStatus::Printed.as_str())
    .bind(at)
    .bind(op)
    .bind(request.id.to_string())
    .bind(request.version)
    .bind(RequestStatus::Approved.as_str())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            entity: "request",
            id: request.id.to_string(),
            expected: request.version,
            actual: request.version + 1,
        });
    }
    write_search_terms(conn, request.id, &holder.details, Some(&badge.number)).await?;
    append_audit(
        conn,
        at,
        Audit {
            operator: op,
            entity: AuditEntity::Request,
            entity_id: request.id.to_string(),
            request_id: Some(request.id),
            action: RequestAction::MarkPrinted.name(),
            before: Some(
                serde_json::json!({ "status": request.status, "version": request.version }),
            ),
            after: Some(serde_json::json!({
                "status": RequestStatus::Printed,
                "version": request.version + 1,
                "action": RequestAction::MarkPrinted,
                "badgeNumber": badge.number,
                "batchSize": batch_size,
            })),
            reason: None,
        },
    )
    .await?;
    Ok(badge)
}

/// The audit line of a reprint: which badge, by whom, why.
async fn audit_reprint(
    conn: &mut Conn,
    request: &Request,
    badge: &Badge,
    op: &str,
    reason: &str,
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
/// marks them printed, audits the reprints (only with `reprint_reason`), then calls
/// `render` with the cards in the order asked. Commits only if `render` succeeds;
/// otherwise nothing is written and the counter is untouched.
///
/// Rows are locked in id order before any number is taken, so desks printing
/// overlapping sets wait for each other instead of deadlocking; the loser finds
/// the requests printed and skips them.
pub(crate) async fn print_batch<T, E, F>(
    pool: &Pool,
    codec: &dyn BlobCodec,
    ids: &[Uuid],
    operator: &str,
    reprint_reason: Option<&str>,
    render: F,
) -> std::result::Result<PrintBatchOutcome<T>, E>
where
    E: From<StoreError>,
    F: FnOnce(&[PrintItem]) -> std::result::Result<T, E>,
{
    super::require_operator(operator)?;
    let op = operator.trim();
    let reprint_reason = match reprint_reason {
        Some(r) => Some(reason_required(Some(r))?),
        None => None,
    };
    let at = now();
    let order = unique_in_order(ids);
    let mut locking = order.clone();
    locking.sort();

    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    let mut plans = HashMap::new();
    for id in locking {
        let planned = plan(&mut tx, &policy, id, op, at, reprint_reason.is_some(), true).await?;
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
                    op,
                    at,
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
                audit_reprint(&mut tx, &request, &badge, op, reason, at).await?;
                let badge_id = badge.id;
                (reprint_item(request, holder, badge), badge_id)
            }
        };
        let photo = load_photo(&mut tx, codec, id).await?;
        printed.push(printed_badge(&item, badge_id));
        items.push(PrintItem { photo, ..item });
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
    let rendered = render(&items)?;
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
    request_id: Uuid,
    operator: &str,
    reason: &str,
) -> Result<PrintedBadge> {
    super::require_operator(operator)?;
    let op = operator.trim();
    let reason = reason_required(Some(reason))?;
    let at = now();
    let mut tx = begin_write(pool).await?;
    let policy = load_policy(&mut tx).await?;
    match plan(&mut tx, &policy, request_id, op, at, true, true).await? {
        Plan::Reprint {
            request,
            holder,
            badge,
        } => {
            audit_reprint(&mut tx, &request, &badge, op, reason, at).await?;
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
                Some(detail) => format!("{} ({detail})", super::requests::enum_str(&s.reason)),
                None => super::requests::enum_str(&s.reason),
            },
        }),
    }
}
