//! Day passes: requests for given days (refused when asked too late for the first day)
//! and the list of a day's expected visitors.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::RequestKind;
use sesame_store::{NewRequest, RequestDetail, VisitorRow};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// Registers a day pass; refused (`day_pass.too_late`) when asked less than the
/// category's notice (24 h by default) before its first day.
pub async fn create_day_pass(
    desk: &Desk,
    mut request: NewRequest,
) -> Result<RequestDetail, ServiceError> {
    request.request.kind = RequestKind::DayPass;
    Ok(desk.store.create_request(request, &desk.actor()?).await?)
}

/// The day whose expected visitors the desk lists (`None`: today at the desk).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitorsDayInput {
    pub day: Option<NaiveDate>,
}

/// The day passes covering the day, by holder name.
pub async fn visitors_of_day(
    desk: &Desk,
    input: VisitorsDayInput,
) -> Result<Vec<VisitorRow>, ServiceError> {
    let day = input.day.unwrap_or_else(|| desk.clock.today());
    Ok(desk.store.expected_visitors(day).await?)
}
