//! `Store` methods for secured zones: the zone table, the approvers' decisions, the
//! zones on badges and the badge ↔ zone rights export.

use sesame_core::{Zone, ZoneDetails, ZoneVerdict};
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::csv_export;
use crate::error::{Result, StoreError};
use crate::{BadgeZone, CsvOptions, ZoneAccessState, ZoneApprovals, ZoneRight, ZoneRightsExport};

/// Columns of the badge ↔ zone rights CSV, in order.
pub(crate) const ZONE_RIGHTS_HEADER: &[&str] = &[
    "badge_number",
    "card_serial",
    "badge_status",
    "access",
    "zone",
    "zone_kind",
    "family_name",
    "given_names",
    "external_id",
    "valid_from",
    "valid_until",
];

fn zone_right_cells(right: &ZoneRight) -> Vec<String> {
    vec![
        right.badge_number.clone(),
        right.card_serial.clone().unwrap_or_default(),
        right.badge_status.as_str().to_owned(),
        match right.access {
            ZoneAccessState::Granted => "granted".to_owned(),
            ZoneAccessState::Blocked => "blocked".to_owned(),
        },
        right.zone.clone(),
        right
            .zone_kind
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        right.family_name.clone(),
        right.given_names.clone(),
        right.external_id.clone().unwrap_or_default(),
        right.valid_from.to_string(),
        right.valid_until.to_string(),
    ]
}

impl Store {
    // --- zones --------------------------------------------------------------------

    /// Every zone, by key.
    pub async fn list_zones(&self) -> Result<Vec<Zone>> {
        dispatch!(self, zones::list_zones())
    }

    /// Creates a zone (`expected_version` `None`) or updates it at the version seen.
    pub async fn save_zone(
        &self,
        details: ZoneDetails,
        expected_version: Option<i64>,
        operator: &str,
    ) -> Result<Zone> {
        dispatch!(
            self,
            zones::save_zone(&self.clock, details, expected_version, operator)
        )
    }

    /// Fails with `zone.unknown` or `zone.inactive` unless every zone takes requests.
    pub async fn check_requestable_zones(&self, zones: &[String]) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlite::ops::zones::check_requestable(&mut *pool.acquire().await?, zones).await
            }
            Backend::Postgres(pool) => {
                postgres::ops::zones::check_requestable(&mut *pool.pool()?.acquire().await?, zones)
                    .await
            }
        }
    }

    /// The approvers' decisions on a zone-access request, and what is still pending.
    pub async fn zone_approvals(&self, request_id: Uuid) -> Result<ZoneApprovals> {
        dispatch!(self, zones::zone_approvals(request_id))
    }

    /// Records a zone approver's answer (a refusal needs a reason). The zones granted
    /// join the badge when the request is activated.
    pub async fn record_zone_decision(
        &self,
        request_id: Uuid,
        zone: &str,
        verdict: ZoneVerdict,
        reason: Option<&str>,
        operator: &str,
    ) -> Result<ZoneApprovals> {
        dispatch!(
            self,
            zones::record_zone_decision(&self.clock, request_id, zone, verdict, reason, operator)
        )
    }

    /// The zones on a badge, described; `active` when the badge works.
    pub async fn badge_zones(&self, badge_id: Uuid) -> Result<Vec<BadgeZone>> {
        dispatch!(self, zones::badge_zones(badge_id))
    }

    /// Badge ↔ zone rights for the access-control system (active badges granted,
    /// opposed and suspended ones blocked).
    pub async fn zone_rights(&self) -> Result<Vec<ZoneRight>> {
        dispatch!(self, zones::zone_rights())
    }

    pub async fn export_zone_rights_csv(&self, options: CsvOptions) -> Result<Vec<u8>> {
        let rights = self.zone_rights().await?;
        csv_export::write_csv(
            ZONE_RIGHTS_HEADER,
            rights.iter().map(zone_right_cells),
            options,
        )
    }

    pub async fn export_zone_rights_json(&self) -> Result<Vec<u8>> {
        let export = ZoneRightsExport {
            generated_at: self.clock.now(),
            rights: self.zone_rights().await?,
        };
        serde_json::to_vec_pretty(&export).map_err(|e| StoreError::Export(e.to_string()))
    }
}
