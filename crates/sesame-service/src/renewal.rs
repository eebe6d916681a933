//! Renewals (a new card for the same holder, reusing a recent photo) and extensions
//! (the same card valid longer when the mission end moves).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::Badge;
use sesame_store::{ExtensionInput, RenewalInput, RenewalOutcome};
use ts_rs::TS;

use crate::{BadgeId, Desk, ServiceError};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenewBadgeInput {
    pub badge_id: BadgeId,
    pub wanted_until: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Opens a renewal with the holder's data; their last photo comes along when it is
/// recent enough for the category, otherwise the request awaits a new one.
pub async fn renew_badge(
    desk: &Desk,
    input: RenewBadgeInput,
) -> Result<RenewalOutcome, ServiceError> {
    Ok(desk
        .store
        .create_renewal(
            input.badge_id.0,
            RenewalInput {
                wanted_until: input.wanted_until,
                notes: input.notes,
            },
            &desk.actor()?,
        )
        .await?)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExtendBadgeInput {
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    /// The holder's new mission end, recorded with the extension.
    pub mission_end: Option<NaiveDate>,
    /// The new last valid day; by default as far as the mission and category allow.
    pub valid_until: Option<NaiveDate>,
}

/// Extends a badge's validity, never beyond the mission end nor the category maximum.
pub async fn extend_badge(desk: &Desk, input: ExtendBadgeInput) -> Result<Badge, ServiceError> {
    Ok(desk
        .store
        .extend_badge(
            input.badge_id.0,
            input.expected_version,
            ExtensionInput {
                mission_end: input.mission_end,
                valid_until: input.valid_until,
            },
            &desk.actor()?,
        )
        .await?)
}
