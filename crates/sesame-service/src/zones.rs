//! Secured zones: the zone table (settings), zone-access requests and their approvers'
//! decisions, the zones on a badge, and the rights export for the access-control system.

use serde::{Deserialize, Serialize};
use sesame_core::{
    BadgeStatus, DomainError, RequestDetails, RequestKind, RequestStatus, Zone, ZoneDecision,
    ZoneDetails, ZoneVerdict,
};
use sesame_store::{
    BadgeZone, CsvOptions, NewRequest, QueueQuery, QueueSortField, RequestDetail, SortDirection,
    ZoneApprovals,
};
use ts_rs::TS;
use uuid::Uuid;

use crate::output_folder::{write_new_file, Destination};
use crate::{BadgeId, Desk, ExportedFile, RequestId, SensitiveAction, ServiceError};

/// Every zone, by key.
pub async fn list_zones(desk: &Desk) -> Result<Vec<Zone>, ServiceError> {
    Ok(desk.store.list_zones().await?)
}

/// A zone to create (`expectedVersion` absent) or to change at the version seen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveZoneInput {
    pub zone: ZoneDetails,
    #[ts(type = "number | null")]
    pub expected_version: Option<i64>,
}

/// Creates or changes a zone and its approver (supervisor only: the approver named
/// here decides who enters the zone).
pub async fn save_zone(desk: &Desk, input: SaveZoneInput) -> Result<Zone, ServiceError> {
    desk.require_supervisor(
        SensitiveAction::ChangeZones,
        &format!("zone:{}", input.zone.key.trim()),
    )?;
    Ok(desk
        .store
        .save_zone(input.zone, input.expected_version, &desk.actor()?)
        .await?)
}

/// Access to more zones on a holder's existing badge.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneAccessInput {
    pub badge_id: BadgeId,
    pub zones: Vec<String>,
    pub notes: Option<String>,
}

/// Opens a zone-access request on a working badge. Each zone must exist and be open;
/// its approver decides before the zone joins the badge (at activation).
pub async fn request_zone_access(
    desk: &Desk,
    input: ZoneAccessInput,
) -> Result<RequestDetail, ServiceError> {
    let badge = desk.store.get_badge(input.badge_id.0).await?;
    if !matches!(
        badge.status,
        BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended
    ) {
        return Err(
            sesame_store::StoreError::from(DomainError::IllegalBadgeTransition {
                status: badge.status.as_str().to_owned(),
                action: "request_zone_access".to_owned(),
            })
            .into(),
        );
    }
    let details = RequestDetails {
        zones: input.zones,
        previous_badge_id: Some(badge.id),
        notes: input.notes,
        ..RequestDetails::new(RequestKind::ZoneAccess)
    }
    .normalised();
    if details.zones.is_empty() {
        return Err(sesame_store::StoreError::from(DomainError::FieldRequired {
            field: "zones".to_owned(),
        })
        .into());
    }
    desk.store.check_requestable_zones(&details.zones).await?;
    let holder = desk.store.get_holder(badge.holder_id).await?;
    let new = NewRequest {
        holder_id: Some(holder.id),
        holder: holder.details,
        request: details,
    };
    Ok(desk.store.create_request(new, &desk.actor()?).await?)
}

/// Where a zone-access request stands with its approvers.
pub async fn zone_approvals(
    desk: &Desk,
    request_id: RequestId,
) -> Result<ZoneApprovals, ServiceError> {
    Ok(desk.store.zone_approvals(request_id.0).await?)
}

/// A zone decision. Who decides is never sent: it is this desk's operator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneDecisionInput {
    pub request_id: RequestId,
    pub zone: String,
    pub verdict: ZoneVerdict,
    /// Required for a refusal.
    pub reason: Option<String>,
}

/// Records the decision on one zone of a zone-access request, as this desk's operator
/// (the record's `recordedBy` and the audit line name them). Only the zone's approver
/// decides, or a supervisor (or a supervisor's countersign) in their stead.
pub async fn record_zone_decision(
    desk: &Desk,
    input: ZoneDecisionInput,
) -> Result<ZoneApprovals, ServiceError> {
    if !is_zone_approver(desk, input.zone.trim()).await? {
        desk.require_supervisor(
            SensitiveAction::DecideZoneAccess,
            &format!("zone-decision:{}:{}", input.request_id.0, input.zone.trim()),
        )?;
    }
    Ok(desk
        .store
        .record_zone_decision(
            input.request_id.0,
            &input.zone,
            input.verdict,
            input.reason.as_deref(),
            &desk.actor()?,
        )
        .await?)
}

/// Whether this desk's operator is the approver the zone names. Zones name their
/// approver as a person ("Claire Martin"): it matches the operator's login name or
/// display name, whatever the case. An unknown zone has no approver: only a supervisor
/// gets as far as the store, which refuses it with its own code.
async fn is_zone_approver(desk: &Desk, zone: &str) -> Result<bool, ServiceError> {
    let zones = desk.store.list_zones().await?;
    let Some(zone) = zones.iter().find(|z| z.details.key == zone) else {
        return Ok(false);
    };
    let approver = zone.details.approver_name.trim().to_lowercase();
    if approver.is_empty() {
        return Ok(false);
    }
    let Some(record) = desk.store.operator(&desk.actor()?).await? else {
        return Ok(false);
    };
    let operator = &record.operator;
    Ok(operator.active
        && [&operator.name, &operator.display_name]
            .iter()
            .any(|name| name.trim().to_lowercase() == approver))
}

/// The zones on a badge, described from the zone table.
pub async fn badge_zones(desk: &Desk, badge_id: BadgeId) -> Result<Vec<BadgeZone>, ServiceError> {
    Ok(desk.store.badge_zones(badge_id.0).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoneRightsFormat {
    Csv,
    Json,
}

/// The rights file to write, and where.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneRightsExportInput {
    pub format: ZoneRightsFormat,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// Writes the badge ↔ zone rights for the access-control system: active badges
/// granted, opposed and suspended ones blocked.
pub async fn export_zone_rights(
    desk: &Desk,
    input: ZoneRightsExportInput,
) -> Result<ExportedFile, ServiceError> {
    let (bytes, ext) = match input.format {
        ZoneRightsFormat::Csv => (
            desk.store
                .export_zone_rights_csv(CsvOptions::default())
                .await?,
            "csv",
        ),
        ZoneRightsFormat::Json => (desk.store.export_zone_rights_json().await?, "json"),
    };
    write_new_file(desk, &input.destination, "droits-zones", ext, &bytes)
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

/// How many zone-access requests the approvals list reads at most (oldest first).
const MAX_PENDING_REQUESTS: u32 = 500;

/// Zone-access requests still being decided (open or approved) with at least one zone
/// awaiting its approver, oldest first.
pub async fn pending_zone_approvals(desk: &Desk) -> Result<Vec<PendingZoneRequest>, ServiceError> {
    let page = desk
        .store
        .look_up_requests(&QueueQuery {
            kinds: vec![RequestKind::ZoneAccess],
            statuses: vec![
                RequestStatus::Submitted,
                RequestStatus::Incomplete,
                RequestStatus::AwaitingPhoto,
                RequestStatus::ReadyForReview,
                RequestStatus::Approved,
            ],
            sort: QueueSortField::Submitted,
            direction: SortDirection::Asc,
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
