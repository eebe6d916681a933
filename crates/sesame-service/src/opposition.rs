//! Oppositions: declaring a badge lost, stolen or damaged (blocked at once, replacement
//! opened, optional temporary badge), confirming what the replacement carries over,
//! and lifting an opposition (supervisor).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{Badge, ReplacementCause};
use sesame_store::{CarriedOver, Opposition, OppositionInput, OppositionOutcome, RequestDetail};
use ts_rs::TS;

use crate::{BadgeId, Desk, RequestId, SensitiveAction, ServiceError};

/// A declaration of loss, theft or damage on the badge version the desk saw.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeclareOppositionInput {
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub cause: ReplacementCause,
    pub occurred_on: NaiveDate,
    pub circumstances: String,
    /// Hand out a temporary badge now (when the holder's category offers one).
    pub temporary_badge: bool,
}

/// Blocks the badge at once and opens its replacement, in one audited transaction.
pub async fn declare_opposition(
    desk: &Desk,
    input: DeclareOppositionInput,
) -> Result<OppositionOutcome, ServiceError> {
    Ok(desk
        .store
        .declare_opposition(
            input.badge_id.0,
            input.expected_version,
            OppositionInput {
                cause: input.cause,
                occurred_on: input.occurred_on,
                circumstances: input.circumstances,
                temporary_badge: input.temporary_badge,
            },
            &desk.actor()?,
        )
        .await?)
}

/// A badge's oppositions, oldest first.
pub async fn badge_oppositions(
    desk: &Desk,
    badge_id: BadgeId,
) -> Result<Vec<Opposition>, ServiceError> {
    Ok(desk.store.oppositions(badge_id.0).await?)
}

/// What a replacement request carries over from the old badge, for the operator to confirm.
pub async fn carried_over(desk: &Desk, request_id: RequestId) -> Result<CarriedOver, ServiceError> {
    Ok(desk.store.carried_over(request_id.0).await?)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmCarriedOverInput {
    pub request_id: RequestId,
    #[ts(type = "number")]
    pub expected_version: i64,
    /// The old badge's zones to keep (a subset of them).
    pub zones: Vec<String>,
    /// The old badge's services to keep (a subset of them).
    pub services: Vec<String>,
}

/// Confirms the accreditations the replacement keeps; needed before its approval.
pub async fn confirm_carried_over(
    desk: &Desk,
    input: ConfirmCarriedOverInput,
) -> Result<RequestDetail, ServiceError> {
    Ok(desk
        .store
        .confirm_carried_over(
            input.request_id.0,
            input.expected_version,
            input.zones,
            input.services,
            &desk.actor()?,
        )
        .await?)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiftOppositionInput {
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub reason: String,
}

/// The badge was found: it works again, its unprinted replacement is cancelled and the
/// temporary badge stopped. Supervisor only.
pub async fn lift_opposition(
    desk: &Desk,
    input: LiftOppositionInput,
) -> Result<Badge, ServiceError> {
    desk.require_supervisor(
        SensitiveAction::LiftOpposition,
        &format!("badge:{}", input.badge_id.0),
    )?;
    Ok(desk
        .store
        .lift_opposition(
            input.badge_id.0,
            input.expected_version,
            &input.reason,
            &desk.actor()?,
        )
        .await?)
}
