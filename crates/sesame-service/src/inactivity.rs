//! Inactivity: the access-control usage log comes in, and the operator deactivates
//! the badges of the inactivity list they reviewed, with a reason.

use serde::{Deserialize, Serialize};
use sesame_core::ErrorCode;
use sesame_store::{BadgeBatchOutcome, BadgeRef, BadgeSkip, UsageImportReport};
use ts_rs::TS;

use crate::follow_up::check_days;
use crate::{CsvImportInput, Desk, ServiceError};

/// Imports the access-control system's usage log (CSV: badge number or card serial,
/// time, door; `,` or `;`; UTF-8 or Windows-1252; with or without header). Each badge's
/// last passage moves forward; refused rows are reported one by one.
pub async fn import_usage_log(
    desk: &Desk,
    input: CsvImportInput,
) -> Result<UsageImportReport, ServiceError> {
    let bytes = input
        .content
        .into_bytes()
        .map_err(|detail| ServiceError::FileEncoding { detail })?;
    Ok(desk
        .store
        .import_usage_csv(&bytes, &desk.actor()?, input.dry_run)
        .await?)
}

/// The badges the operator reviewed on the inactivity list, and why they go.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeactivateUnusedInput {
    /// Each badge with the version the operator saw on the list.
    pub badges: Vec<BadgeRef>,
    /// Badges named by their number instead (the command line): each is taken at the
    /// version the inactivity list shows now; a number not on the list is reported.
    #[serde(default)]
    pub badge_numbers: Vec<String>,
    pub reason: String,
    /// The delay the list was drawn with (`None`: each category's own).
    pub days: Option<u32>,
}

/// Deactivates the reviewed badges with the reason, each audited. Badges changed since
/// the review, seen at a door since, or not on the list are left alone and reported.
pub async fn deactivate_unused_badges(
    desk: &Desk,
    input: DeactivateUnusedInput,
) -> Result<BadgeBatchOutcome, ServiceError> {
    if input.badges.is_empty() && input.badge_numbers.iter().all(|n| n.trim().is_empty()) {
        return Err(ServiceError::NoBadgeSelected);
    }
    if input.reason.trim().is_empty() {
        return Err(ServiceError::DeactivationReasonRequired);
    }
    let days = check_days(input.days)?;
    let today = desk.clock.today();
    let mut badges = input.badges;
    let mut not_listed = Vec::new();
    let numbers: Vec<&str> = input
        .badge_numbers
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if !numbers.is_empty() {
        let listed = desk.store.inactive_badges(days, today).await?;
        for number in numbers {
            match listed.iter().find(|b| b.row.badge.number == number) {
                Some(b) => badges.push(BadgeRef {
                    id: b.row.badge.id,
                    version: b.row.badge.version,
                }),
                None => not_listed.push(number.to_owned()),
            }
        }
    }
    let mut outcome = if badges.is_empty() {
        BadgeBatchOutcome::default()
    } else {
        desk.store
            .deactivate_unused(&badges, &input.reason, days, today, &desk.actor()?)
            .await?
    };
    for number in not_listed {
        let refused = ServiceError::NotOnInactivityList {
            number: number.clone(),
        };
        outcome.skipped.push(BadgeSkip {
            badge_id: uuid::Uuid::nil(),
            message: refused.to_string(),
            badge_number: Some(number),
            code: refused.code().to_owned(),
        });
    }
    Ok(outcome)
}
