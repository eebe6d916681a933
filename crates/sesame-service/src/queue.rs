//! The request queue: what the queue screen and the intake form do.

use serde::{Deserialize, Serialize};
use sesame_core::{AuditEntry, RequestAction};
use sesame_store::{NewRequest, QueuePage, QueueQuery, RequestDetail, StatusCount};
use ts_rs::TS;
use uuid::Uuid;

use crate::{Desk, ServiceError};

fn parse_id(value: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(value.trim()).map_err(|_| ServiceError::BadId {
        value: value.to_string(),
    })
}

/// One page of the queue, filtered and sorted (keyset pagination).
pub async fn list_requests(desk: &Desk, query: QueueQuery) -> Result<QueuePage, ServiceError> {
    Ok(desk.store.list_requests(&query).await?)
}

/// How many requests are in each status (the queue's chips).
pub async fn queue_counts(desk: &Desk) -> Result<Vec<StatusCount>, ServiceError> {
    Ok(desk.store.count_by_status().await?)
}

/// Registers a new request from the intake form, by this desk's operator.
pub async fn create_request(desk: &Desk, new: NewRequest) -> Result<RequestDetail, ServiceError> {
    Ok(desk.store.create_request(new, &desk.operator).await?)
}

/// Everything about one request, with the actions its status allows now.
pub async fn get_request(desk: &Desk, id: String) -> Result<RequestDetail, ServiceError> {
    Ok(desk.store.get_request(parse_id(&id)?).await?)
}

/// The request's history from the audit log, oldest first.
pub async fn request_history(desk: &Desk, id: String) -> Result<Vec<AuditEntry>, ServiceError> {
    Ok(desk.store.audit_for_request(parse_id(&id)?).await?)
}

/// A lifecycle step asked by the operator on the version of the request they saw.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionInput {
    pub id: String,
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
    let id = parse_id(&input.id)?;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    Ok(desk
        .store
        .transition(
            id,
            input.expected_version,
            input.action,
            &desk.operator,
            reason,
        )
        .await?)
}

/// The categories and their rules, as the intake form shows and checks them.
pub async fn get_policy(desk: &Desk) -> Result<sesame_core::Policy, ServiceError> {
    Ok(desk.store.policy().await?)
}
