//! Day passes: requests for given days (refused when asked too late for the first day)
//! and the list of a day's expected visitors.

use chrono::NaiveDate;
use sesame_core::RequestKind;
use sesame_store::{NewRequest, RequestDetail, VisitorRow};

use crate::{Desk, ServiceError};

/// Registers a day pass; refused (`day_pass.too_late`) when asked less than the
/// category's notice (24 h by default) before its first day.
pub async fn create_day_pass(
    desk: &Desk,
    mut new: NewRequest,
) -> Result<RequestDetail, ServiceError> {
    new.request.kind = RequestKind::DayPass;
    Ok(desk.store.create_request(new, &desk.operator).await?)
}

/// The day passes covering `day` (default: today at the desk), by holder name.
pub async fn expected_visitors(
    desk: &Desk,
    day: Option<NaiveDate>,
) -> Result<Vec<VisitorRow>, ServiceError> {
    let day = day.unwrap_or_else(|| chrono::Local::now().date_naive());
    Ok(desk.store.expected_visitors(day).await?)
}
