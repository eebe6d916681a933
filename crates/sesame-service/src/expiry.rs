//! Badges whose validity ends soon: the desk's list (renewals to prepare) and the
//! reminders housekeeping sends.

use sesame_store::ExpiringBadge;

use crate::lifecycle_error::check_days;
use crate::{Desk, ServiceError};

/// Live badges expiring within each category's notice (default 30 days), or within
/// `days` for every category; the soonest first, with whether the holder was reminded
/// and whether a renewal is already in the queue.
pub async fn expiring_badges(
    desk: &Desk,
    days: Option<u32>,
) -> Result<Vec<ExpiringBadge>, ServiceError> {
    let days = check_days(days)?;
    let today = chrono::Local::now().date_naive();
    Ok(desk.store.expiring_badges(days, today).await?)
}
