//! Visitors at the desk: their host told by e-mail when they arrive, their departure
//! and the badge back (or, when nobody checked them out, housekeeping closes the
//! visit after its day), and the refused visitors' list that intake checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::HolderDetails;
use sesame_mail::QueueOutcome;
use sesame_store::{NewRefusedVisitor, RefusedVisitor, Visit};
use ts_rs::TS;

use crate::{Desk, RefusedVisitorId, RequestId, ServiceError};

/// Refuses intake for a person on the refused visitors' list, naming the entry.
pub(crate) async fn refuse_if_listed(
    desk: &Desk,
    holder: &HolderDetails,
) -> Result<(), ServiceError> {
    desk.store
        .refuse_if_listed(&holder.family_name, &holder.given_names)
        .await?;
    Ok(())
}

/// A visitor arriving or leaving: their day pass and the day (`None`: today at the desk).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckInInput {
    pub request_id: RequestId,
    #[serde(default)]
    pub day: Option<NaiveDate>,
}

/// What the arrival did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckedIn {
    pub visit: Visit,
    /// The host's e-mail was queued (or had been already for this visit).
    pub host_told: bool,
}

/// Records the visitor's arrival and tells their host by e-mail (when the host has an
/// address and e-mail is on; the arrival is recorded whatever the e-mail does).
pub async fn check_in_visitor(desk: &Desk, input: CheckInInput) -> Result<CheckedIn, ServiceError> {
    let day = input.day.unwrap_or_else(|| desk.clock.today());
    let actor = desk.actor()?;
    let visit = desk.store.check_in(input.request_id.0, day, &actor).await?;
    let host_told =
        match sesame_mail::queue_host_mail(&desk.store, input.request_id.0, day, &actor).await {
            Ok(QueueOutcome::Queued(_) | QueueOutcome::AlreadyQueued) => true,
            Ok(QueueOutcome::Skipped(_)) => false,
            Err(error) => {
                tracing::warn!("the host of visit {} was not told: {error}", visit.id);
                false
            }
        };
    Ok(CheckedIn { visit, host_told })
}

/// A visitor leaving, and whether they gave the badge back.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutInput {
    pub request_id: RequestId,
    #[serde(default)]
    pub day: Option<NaiveDate>,
    pub badge_returned: bool,
}

/// Records the visitor's departure and whether the badge came back.
pub async fn check_out_visitor(desk: &Desk, input: CheckOutInput) -> Result<Visit, ServiceError> {
    let day = input.day.unwrap_or_else(|| desk.clock.today());
    Ok(desk
        .store
        .check_out(
            input.request_id.0,
            day,
            input.badge_returned,
            &desk.actor()?,
        )
        .await?)
}

/// The refused visitors' list.
pub async fn refused_visitors(desk: &Desk) -> Result<Vec<RefusedVisitor>, ServiceError> {
    Ok(desk.store.refused_visitors().await?)
}

/// Adds a person to the refused visitors' list (a supervisor's action).
pub async fn add_refused_visitor(
    desk: &Desk,
    input: NewRefusedVisitor,
) -> Result<RefusedVisitor, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "refused_visitors")?;
    Ok(desk
        .store
        .add_refused_visitor(&input, &desk.actor()?)
        .await?)
}

/// Takes a person off the refused visitors' list (a supervisor's action).
pub async fn remove_refused_visitor(desk: &Desk, id: RefusedVisitorId) -> Result<(), ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "refused_visitors")?;
    Ok(desk
        .store
        .remove_refused_visitor(id.0, &desk.actor()?)
        .await?)
}
