//! The request queue: what the queue screen and the intake form do.

use serde::{Deserialize, Serialize};
use sesame_core::{AuditEntry, RequestAction};
use sesame_store::{NewRequest, QueuePage, QueueQuery, RequestDetail, StatusCount};
use ts_rs::TS;

use crate::{Desk, RequestId, ServiceError};

/// One page of the queue screen, filtered and sorted (keyset pagination, or a jump
/// to a position).
pub async fn list_requests(desk: &Desk, query: QueueQuery) -> Result<QueuePage, ServiceError> {
    Ok(desk.store.list_requests(&query).await?)
}

/// The same rows for a list that is not the queue screen and never jumps through
/// them (a picker, the print station's approved requests, the dispatch list): no
/// position marks are taken ahead for it, and the queue screen's are left alone.
pub async fn look_up_requests(desk: &Desk, query: QueueQuery) -> Result<QueuePage, ServiceError> {
    Ok(desk.store.look_up_requests(&query).await?)
}

/// How many requests are in each status (the queue's chips).
pub async fn queue_counts(desk: &Desk) -> Result<Vec<StatusCount>, ServiceError> {
    Ok(desk.store.count_by_status().await?)
}

/// How many requests of each status match the queue's other filters (search, kind,
/// category, zone, dates): the chips' counts while the operator narrows the queue.
/// Without filters it reads the trigger-kept counters, so it stays instant at any size.
pub async fn queue_counts_filtered(
    desk: &Desk,
    query: QueueQuery,
) -> Result<Vec<StatusCount>, ServiceError> {
    Ok(desk.store.count_by_status_filtered(&query).await?)
}

/// The chips' counts for a search of dense words only (a letter or two at office
/// scale), estimated while `queue_counts_filtered` counts every match; `None` when
/// the exact counts are quick anyway.
pub async fn queue_counts_estimate(
    desk: &Desk,
    query: QueueQuery,
) -> Result<Option<Vec<StatusCount>>, ServiceError> {
    Ok(desk.store.estimate_counts_by_status(&query).await?)
}

/// Registers a new request from the intake form, by this desk's operator.
pub async fn create_request(desk: &Desk, new: NewRequest) -> Result<RequestDetail, ServiceError> {
    crate::visits::refuse_if_listed(desk, &new.holder).await?;
    let detail = desk.store.create_request(new, &desk.actor()?).await?;
    // The holder's "request received" e-mail; never fails the registration.
    crate::mail::notify(
        desk,
        detail.request.id,
        sesame_mail::MailTemplate::RequestReceived,
    )
    .await;
    Ok(detail)
}

/// Everything about one request, with the actions its status allows now.
pub async fn get_request(desk: &Desk, id: RequestId) -> Result<RequestDetail, ServiceError> {
    Ok(desk.store.get_request(id.0).await?)
}

/// The request's history from the audit log, oldest first.
pub async fn request_history(desk: &Desk, id: RequestId) -> Result<Vec<AuditEntry>, ServiceError> {
    Ok(desk.store.audit_for_request(id.0).await?)
}

/// A lifecycle step asked by the operator on the version of the request they saw.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionInput {
    pub id: RequestId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub action: RequestAction,
    pub reason: Option<String>,
}

/// Applies a lifecycle step; an illegal one or a stale version changes nothing.
pub async fn transition_request(
    desk: &Desk,
    input: TransitionInput,
) -> Result<RequestDetail, ServiceError> {
    let id = input.id.0;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let template = crate::mail::template_for(&input.action);
    let detail = desk
        .store
        .transition(
            id,
            input.expected_version,
            input.action,
            &desk.actor()?,
            reason,
        )
        .await?;
    // Refused, printed or dispatched: the holder's e-mail; never fails the step.
    if let Some(template) = template {
        crate::mail::notify(desk, id, template).await;
    }
    Ok(detail)
}

/// One row of a bulk action: the request and the version the operator saw.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkTarget {
    pub id: RequestId,
    #[ts(type = "number")]
    pub expected_version: i64,
}

/// The same lifecycle step on several selected requests (approve, mark dispatched…).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkTransitionInput {
    pub targets: Vec<BulkTarget>,
    pub action: RequestAction,
    pub reason: Option<String>,
}

/// What a bulk step did to each request: each one is its own transaction, so a
/// refused request (wrong status, changed by another desk) leaves the others done.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    pub done: Vec<RequestId>,
    pub refused: Vec<BulkRefusal>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkRefusal {
    pub id: RequestId,
    pub code: String,
    pub message: String,
}

/// The most requests one bulk step may touch (a screenful of selections, not the database).
pub const MAX_BULK_TARGETS: usize = 1000;

/// Applies one step to every selected request, reporting per request.
pub async fn transition_many(
    desk: &Desk,
    input: BulkTransitionInput,
) -> Result<BulkOutcome, ServiceError> {
    if input.targets.len() > MAX_BULK_TARGETS {
        return Err(ServiceError::TooManyTargets {
            count: input.targets.len(),
            max: MAX_BULK_TARGETS,
        });
    }
    let mut outcome = BulkOutcome {
        done: Vec::new(),
        refused: Vec::new(),
    };
    for target in input.targets {
        let step = TransitionInput {
            id: target.id,
            expected_version: target.expected_version,
            action: input.action.clone(),
            reason: input.reason.clone(),
        };
        match transition_request(desk, step).await {
            Ok(_) => outcome.done.push(target.id),
            Err(error) => outcome.refused.push(BulkRefusal {
                id: target.id,
                code: sesame_core::ErrorCode::code(&error).to_string(),
                message: error.to_string(),
            }),
        }
    }
    Ok(outcome)
}
