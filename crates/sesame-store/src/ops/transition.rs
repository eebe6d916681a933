//! Moving a request through its lifecycle: the state machine in `sesame-core` decides,
//! this applies the move, its stamps, its side effects on the badge and its audit
//! line in one transaction.

use sesame_core::{next_status, BadgeStatus, Clock, RequestAction};
use uuid::Uuid;

use super::badges::{issue_badge, set_status_from};
use super::opposition::check_approvable;
use super::printing::{foreign_claim, print_validity, stamped};
use super::rows::{
    eligibility_on, enum_str, load_attachments, load_holder, load_request, missing_for,
    request_detail,
};
use super::search::write_search_terms;
use super::versioned::{bump_version, Bump, Versioned};
use super::zones::grant_decided_zones;
use super::{begin_write, load_policy, move_audit, require_operator, Now, Pool};
use crate::error::{Result, StoreError};
use crate::RequestDetail;

/// Moves a request through its lifecycle. Refused moves write nothing.
pub(crate) async fn transition(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    expected_version: i64,
    action: RequestAction,
    operator: &str,
    reason: Option<&str>,
) -> Result<RequestDetail> {
    require_operator(operator)?;
    let now = Now::read(clock);
    let at = now.at;
    let mut tx = begin_write(pool).await?;
    let (request, badge_id) = load_request(&mut tx, id, true).await?;
    if request.version != expected_version {
        return Err(StoreError::VersionConflict {
            entity: "request",
            id: id.to_string(),
            expected: expected_version,
            actual: request.version,
        });
    }
    let holder = load_holder(&mut tx, request.holder_id).await?;
    let attachments = load_attachments(&mut tx, id).await?;
    let policy = load_policy(&mut tx).await?;
    let missing = missing_for(&policy, &holder, &request, &attachments);
    let eligibility = eligibility_on(&policy, &holder, &request, now.today);
    let target = next_status(
        request.status,
        request.details.kind,
        &action,
        reason,
        &missing,
        &eligibility,
    )?;
    if action == RequestAction::Approve {
        check_approvable(&mut tx, &request).await?;
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

    // Side effects on the badge first (they audit themselves), in the same transaction.
    let mut badge_after = None;
    match &action {
        // The badge (number and validity) is issued when the card is printed, not at
        // approval: numbers follow the cards that exist, and a request cancelled
        // after approval never consumed one.
        RequestAction::MarkPrinted if request.details.kind.prints_a_card() => {
            let (from, until) = print_validity(&eligibility)?;
            let badge =
                issue_badge(&mut tx, &policy, &request, &holder, from, until, op, now).await?;
            write_search_terms(&mut tx, id, &holder.details, Some(&badge.number)).await?;
            badge_after = Some(badge);
        }
        RequestAction::Activate => {
            if let Some(badge_id) = badge_id {
                set_status_from(
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
                grant_decided_zones(&mut tx, &request, previous, op, at).await?;
            }
        }
        RequestAction::Cancel => {
            if let Some(badge_id) = badge_id {
                set_status_from(
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

    // Each action sets its own stamp columns; the rest of the row is untouched.
    let status_reason = if action.needs_reason() {
        reason
    } else {
        request.status_reason.as_deref()
    };
    let mut bump = stamped(
        Bump::new(Versioned::Request, id, expected_version)
            .set("status", target.as_str())
            .set("status_reason", status_reason),
        &action,
        op,
        at,
    );
    if let RequestAction::Dispatch { method } = &action {
        bump = bump.set("dispatch_method", enum_str(method).as_str());
    }
    let audit = move_audit(
        op,
        &request,
        target,
        &action,
        serde_json::json!({ "badgeNumber": badge_after.as_ref().map(|b| b.number.clone()) }),
        reason,
    );
    bump_version(&mut tx, at, bump, audit).await?;
    let detail = request_detail(&mut tx, id, now.today).await?;
    tx.commit().await?;
    Ok(detail)
}
