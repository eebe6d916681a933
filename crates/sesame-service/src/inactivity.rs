//! Inactivity: the access-control usage log comes in, badges unused for too long are
//! listed, and the operator deactivates the ones they reviewed, with a reason.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sesame_store::{BadgeBatchOutcome, BadgeRef, InactiveBadge, UsageImportReport};
use ts_rs::TS;

use crate::lifecycle_error::{check_days, LifecycleError};
use crate::{CsvImportInput, Desk, ServiceError};

/// Imports the access-control system's usage log (CSV: badge number or card serial,
/// time, door; `,` or `;`; UTF-8 or Windows-1252; with or without header). Each badge's
/// last passage moves forward; refused rows are reported one by one.
pub async fn import_usage_log(
    desk: &Desk,
    input: CsvImportInput,
) -> Result<UsageImportReport, ServiceError> {
    let bytes =
        STANDARD
            .decode(input.content_base64.trim())
            .map_err(|e| ServiceError::FileEncoding {
                detail: e.to_string(),
            })?;
    import_usage_bytes(desk, &bytes, input.dry_run).await
}

/// [`import_usage_log`] from the file's bytes (the command line reads the file itself).
pub async fn import_usage_bytes(
    desk: &Desk,
    bytes: &[u8],
    dry_run: bool,
) -> Result<UsageImportReport, ServiceError> {
    Ok(desk
        .store
        .import_usage_csv(bytes, &desk.operator, dry_run)
        .await?)
}

/// Active badges not seen at a door for each category's delay (default 90 days), or
/// for `days`; badges never seen count from their activation, else their issue.
pub async fn inactive_badges(
    desk: &Desk,
    days: Option<u32>,
) -> Result<Vec<InactiveBadge>, ServiceError> {
    let days = check_days(days)?;
    let today = chrono::Local::now().date_naive();
    Ok(desk.store.inactive_badges(days, today).await?)
}

/// The badges the operator reviewed on the inactivity list, and why they go.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeactivateUnusedInput {
    /// Each badge with the version the operator saw.
    pub badges: Vec<BadgeRef>,
    pub reason: String,
    /// The delay the list was drawn with (`None`: each category's own).
    pub days: Option<u32>,
}

/// Deactivates the reviewed badges with the reason, each audited. Badges changed since
/// the review, or seen at a door since, are left alone and reported.
pub async fn deactivate_unused_badges(
    desk: &Desk,
    input: DeactivateUnusedInput,
) -> Result<BadgeBatchOutcome, ServiceError> {
    if input.badges.is_empty() {
        return Err(LifecycleError::NothingSelected.into());
    }
    if input.reason.trim().is_empty() {
        return Err(LifecycleError::ReasonRequired.into());
    }
    let days = check_days(input.days)?;
    let today = chrono::Local::now().date_naive();
    Ok(desk
        .store
        .deactivate_unused(&input.badges, &input.reason, days, today, &desk.operator)
        .await?)
}
