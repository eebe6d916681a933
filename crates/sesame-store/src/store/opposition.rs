//! `Store` methods for oppositions: declaring a badge lost, stolen or damaged, the
//! accreditations its replacement carries over, and lifting it.

use sesame_core::Badge;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{CarriedOver, Opposition, OppositionInput, OppositionOutcome, RequestDetail};

impl Store {
    // --- oppositions --------------------------------------------------------------

    /// Declares a badge lost, stolen or damaged: opposed at once, replacement request
    /// opened with the old accreditations, optional temporary badge; one transaction.
    pub async fn declare_opposition(
        &self,
        badge_id: Uuid,
        expected_version: i64,
        input: OppositionInput,
        operator: &str,
    ) -> Result<OppositionOutcome> {
        dispatch!(
            self,
            opposition::declare_opposition(
                &self.clock,
                badge_id,
                expected_version,
                input,
                operator
            )
        )
    }

    pub async fn oppositions(&self, badge_id: Uuid) -> Result<Vec<Opposition>> {
        dispatch!(self, opposition::oppositions_of(badge_id))
    }

    /// What a replacement request carries over from the old badge, and its confirmation.
    pub async fn carried_over(&self, request_id: Uuid) -> Result<CarriedOver> {
        dispatch!(self, opposition::carried_over(request_id))
    }

    /// Confirms (possibly trimmed) carried-over zones and services; required before approval.
    pub async fn confirm_carried_over(
        &self,
        request_id: Uuid,
        expected_version: i64,
        zones: Vec<String>,
        services: Vec<String>,
        operator: &str,
    ) -> Result<RequestDetail> {
        dispatch!(
            self,
            opposition::confirm_carried_over(
                &self.clock,
                request_id,
                expected_version,
                zones,
                services,
                operator
            )
        )
    }

    /// The badge was found: it works again, an unprinted replacement is cancelled and the
    /// temporary badge stopped. Supervisor only (checked by the service).
    pub async fn lift_opposition(
        &self,
        badge_id: Uuid,
        expected_version: i64,
        reason: &str,
        operator: &str,
    ) -> Result<Badge> {
        dispatch!(
            self,
            opposition::lift_opposition(&self.clock, badge_id, expected_version, reason, operator)
        )
    }
}
