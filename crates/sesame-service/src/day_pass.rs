//! Day passes: requests for given days (refused when asked too late for the first day)
//! and the list of a day's expected visitors.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::RequestKind;
use sesame_store::{NewRequest, RequestDetail, VisitHost, VisitorRow};
use ts_rs::TS;

use crate::{Desk, ServiceError};

/// Registers a day pass with the host the visitor comes to see; refused
/// (`day_pass.too_late`) when asked less than the category's notice (24 h by default)
/// before its first day, and (`visit.refused_visitor`) for a person on the refused
/// visitors' list.
pub async fn create_day_pass(
    desk: &Desk,
    mut request: NewRequest,
    host: Option<VisitHost>,
) -> Result<RequestDetail, ServiceError> {
    request.request.kind = RequestKind::DayPass;
    crate::visits::refuse_if_listed(desk, &request.holder).await?;
    // Checked before the pass is created, so a bad host creates nothing.
    let host = host
        .map(|h| h.checked())
        .transpose()
        .map_err(sesame_store::StoreError::from)?;
    let actor = desk.actor()?;
    let detail = desk.store.create_request(request, &actor).await?;
    if let Some(host) = host {
        desk.store
            .set_visit_host(detail.request.id, Some(&host), &actor)
            .await?;
    }
    Ok(detail)
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
