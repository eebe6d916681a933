//! What the Badges screen needs beyond the lifecycle services themselves: finding a
//! badge by its number or its holder (to declare an opposition on it), and the
//! zone-access requests still waiting for an approver's answer.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use sesame_core::{RequestKind, RequestStatus, ZoneDecision};
use sesame_store::{BadgeQuery, BadgeRow, QueueQuery, StoreError};
use ts_rs::TS;
use uuid::Uuid;

use crate::{Desk, ServiceError};

/// At most this many holders are looked at for one search: the operator narrows a
/// search that matches more people than fit on a screen.
const MAX_SEARCH_HOLDERS: u32 = 50;

/// How many zone-access requests the approvals list reads at most (oldest first).
const MAX_PENDING_REQUESTS: u32 = 500;

/// Badges whose number is `text`, then the badges of holders whose name, e-mail or
/// HR number starts with the words of `text` (accents and case ignored), by number.
pub async fn find_badges(desk: &Desk, text: String) -> Result<Vec<BadgeRow>, ServiceError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut holders: Vec<Uuid> = Vec::new();
    match desk.store.find_badge(&text).await {
        Ok(badge) => holders.push(badge.holder_id),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let page = desk
        .store
        .list_requests(&QueueQuery {
            search: Some(text.clone()),
            limit: Some(MAX_SEARCH_HOLDERS),
            ..QueueQuery::default()
        })
        .await?;
    for row in page.rows {
        if !holders.contains(&row.holder_id) {
            holders.push(row.holder_id);
        }
    }
    let mut seen = BTreeSet::new();
    let mut badges = Vec::new();
    for holder_id in holders {
        let rows = desk
            .store
            .list_badges(&BadgeQuery {
                holder_id: Some(holder_id),
                ..BadgeQuery::default()
            })
            .await?;
        for row in rows {
            if seen.insert(row.badge.id) {
                badges.push(row);
            }
        }
    }
    // The exact number first, then by number, as the desk reads them.
    badges.sort_by(|a, b| {
        (a.badge.number != text, &a.badge.number).cmp(&(b.badge.number != text, &b.badge.number))
    });
    Ok(badges)
}

/// A zone-access request with zones still awaiting their approver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingZoneRequest {
    pub request_id: Uuid,
    pub status: RequestStatus,
    pub family_name: String,
    pub given_names: String,
    pub organisation: Option<String>,
    pub badge_number: Option<String>,
    pub submitted_on: chrono::NaiveDate,
    pub requested: Vec<String>,
    pub decisions: Vec<ZoneDecision>,
    pub pending: Vec<String>,
}

/// Zone-access requests still being decided (open or approved) with at least one zone
/// awaiting its approver, oldest first.
pub async fn pending_zone_approvals(desk: &Desk) -> Result<Vec<PendingZoneRequest>, ServiceError> {
    let page = desk
        .store
        .list_requests(&QueueQuery {
            kinds: vec![RequestKind::ZoneAccess],
            statuses: vec![
                RequestStatus::Submitted,
                RequestStatus::Incomplete,
                RequestStatus::AwaitingPhoto,
                RequestStatus::ReadyForReview,
                RequestStatus::Approved,
            ],
            sort: sesame_store::QueueSortField::Submitted,
            direction: sesame_store::SortDirection::Asc,
            limit: Some(MAX_PENDING_REQUESTS),
            ..QueueQuery::default()
        })
        .await?;
    let mut pending = Vec::new();
    for row in page.rows {
        let approvals = desk.store.zone_approvals(row.id).await?;
        if approvals.pending.is_empty() {
            continue;
        }
        pending.push(PendingZoneRequest {
            request_id: row.id,
            status: row.status,
            family_name: row.family_name,
            given_names: row.given_names,
            organisation: row.organisation,
            badge_number: row.badge_number,
            submitted_on: row.submitted_on,
            requested: approvals.requested,
            decisions: approvals.decisions,
            pending: approvals.pending,
        });
    }
    Ok(pending)
}

/// The day whose expected visitors the desk lists (`None`: today at the desk).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitorsDayInput {
    pub day: Option<chrono::NaiveDate>,
}

/// [`crate::expected_visitors`] for the screen, whose shell takes no date type.
pub async fn visitors_of_day(
    desk: &Desk,
    input: VisitorsDayInput,
) -> Result<Vec<sesame_store::VisitorRow>, ServiceError> {
    crate::expected_visitors(desk, input.day).await
}
