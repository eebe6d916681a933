//! Secured zones: the zone table (settings), zone-access requests and their approvers'
//! decisions, the zones on a badge, and the rights export for the access-control system.

use serde::{Deserialize, Serialize};
use sesame_core::{
    BadgeStatus, DomainError, RequestDetails, RequestKind, Zone, ZoneDetails, ZoneVerdict,
};
use sesame_store::{BadgeZone, CsvOptions, NewRequest, RequestDetail, ZoneApprovals};
use ts_rs::TS;

use crate::lifecycle_ids::parse_id;
use crate::{printers, Desk, ExportedFile, SensitiveAction, ServiceError};

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

/// Creates or changes a zone and its approver (a setting: supervisor only).
pub async fn save_zone(desk: &Desk, input: SaveZoneInput) -> Result<Zone, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings)?;
    Ok(desk
        .store
        .save_zone(input.zone, input.expected_version, &desk.operator)
        .await?)
}

/// Access to more zones on a holder's existing badge.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneAccessInput {
    pub badge_id: String,
    pub zones: Vec<String>,
    pub notes: Option<String>,
}

/// Opens a zone-access request on a working badge. Each zone must exist and be open;
/// its approver decides before the zone joins the badge (at activation).
pub async fn request_zone_access(
    desk: &Desk,
    input: ZoneAccessInput,
) -> Result<RequestDetail, ServiceError> {
    let badge = desk.store.get_badge(parse_id(&input.badge_id)?).await?;
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
    Ok(desk.store.create_request(new, &desk.operator).await?)
}

/// Where a zone-access request stands with its approvers.
pub async fn zone_approvals(
    desk: &Desk,
    request_id: String,
) -> Result<ZoneApprovals, ServiceError> {
    Ok(desk.store.zone_approvals(parse_id(&request_id)?).await?)
}

/// A zone approver's answer, as the operator records it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ZoneDecisionInput {
    pub request_id: String,
    pub zone: String,
    pub verdict: ZoneVerdict,
    /// Required for a refusal.
    pub reason: Option<String>,
}

pub async fn record_zone_decision(
    desk: &Desk,
    input: ZoneDecisionInput,
) -> Result<ZoneApprovals, ServiceError> {
    Ok(desk
        .store
        .record_zone_decision(
            parse_id(&input.request_id)?,
            &input.zone,
            input.verdict,
            input.reason.as_deref(),
            &desk.operator,
        )
        .await?)
}

/// The zones on a badge, described from the zone table.
pub async fn badge_zones(desk: &Desk, badge_id: String) -> Result<Vec<BadgeZone>, ServiceError> {
    Ok(desk.store.badge_zones(parse_id(&badge_id)?).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ZoneRightsFormat {
    Csv,
    Json,
}

/// Writes the badge ↔ zone rights for the access-control system into the desk's output
/// folder: active badges granted, opposed and suspended ones blocked.
pub async fn export_zone_rights(
    desk: &Desk,
    format: ZoneRightsFormat,
) -> Result<ExportedFile, ServiceError> {
    let (bytes, ext) = match format {
        ZoneRightsFormat::Csv => (
            desk.store
                .export_zone_rights_csv(CsvOptions::default())
                .await?,
            "csv",
        ),
        ZoneRightsFormat::Json => (desk.store.export_zone_rights_json().await?, "json"),
    };
    let dir = printers::print_dir(desk)?;
    let path = printers::unique_path(&dir, "droits-zones", ext);
    let write_error = |source| ServiceError::ExportWrite {
        path: path.display().to_string(),
        source,
    };
    // Moved into place whole, never over a file another export wrote meanwhile.
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(write_error)?;
    std::io::Write::write_all(&mut temp, &bytes).map_err(write_error)?;
    temp.persist_noclobber(&path)
        .map_err(|e| write_error(e.error))?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        bytes: bytes.len() as u64,
    })
}
