//! The follow-up lists of the Badges screen and `sesamectl lists`: badges expiring
//! soon (renewals to prepare), dispatched badges not activated, and badges unused
//! for too long. Each takes each category's own delay, or one delay for all.

use sesame_store::{ExpiringBadge, InactiveBadge, NotActivatedRow};

use crate::{Desk, ServiceError};

/// The longest delay a list accepts (ten years), so a typo cannot ask for the whole history.
pub const MAX_LIST_DAYS: u32 = 3650;

/// Checks a delay given by the operator (`None`: each category's own).
pub(crate) fn check_days(days: Option<u32>) -> Result<Option<u32>, ServiceError> {
    match days {
        Some(days) if days == 0 || days > MAX_LIST_DAYS => Err(ServiceError::InvalidDays {
            days,
            max: MAX_LIST_DAYS,
        }),
        other => Ok(other),
    }
}

/// Live badges expiring within each category's notice (default 30 days), or within
/// `days` for every category; the soonest first, with whether the holder was reminded
/// and whether a renewal is already in the queue.
pub async fn expiring_badges(
    desk: &Desk,
    days: Option<u32>,
) -> Result<Vec<ExpiringBadge>, ServiceError> {
    let days = check_days(days)?;
    Ok(desk.store.expiring_badges(days, desk.clock.today()).await?)
}

/// Dispatched badges not activated after each category's delay (default 14 days), or
/// after `days` for every category; the longest waiting first.
pub async fn not_activated_badges(
    desk: &Desk,
    days: Option<u32>,
) -> Result<Vec<NotActivatedRow>, ServiceError> {
    let days = check_days(days)?;
    Ok(desk.store.not_activated(days, desk.clock.today()).await?)
}

/// Active badges not seen at a door for each category's delay (default 90 days), or
/// for `days`; badges never seen count from their activation, else their issue.
pub async fn inactive_badges(
    desk: &Desk,
    days: Option<u32>,
) -> Result<Vec<InactiveBadge>, ServiceError> {
    let days = check_days(days)?;
    Ok(desk.store.inactive_badges(days, desk.clock.today()).await?)
}
