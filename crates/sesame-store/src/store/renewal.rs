//! `Store` methods for renewals (a new card) and extensions (the same card, valid longer).

use sesame_core::Badge;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{ExtensionInput, RenewalInput, RenewalOutcome};

impl Store {
    // --- renewal and extension ----------------------------------------------------

    /// Opens a renewal for a badge's holder, reusing their last photo if recent enough.
    pub async fn create_renewal(
        &self,
        badge_id: Uuid,
        input: RenewalInput,
        operator: &str,
    ) -> Result<RenewalOutcome> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            renewal::create_renewal(&self.clock, codec, badge_id, input, operator)
        )
    }

    /// Extends a badge's validity after its holder's mission end moved.
    pub async fn extend_badge(
        &self,
        badge_id: Uuid,
        expected_version: i64,
        input: ExtensionInput,
        operator: &str,
    ) -> Result<Badge> {
        dispatch!(
            self,
            renewal::extend_badge(&self.clock, badge_id, expected_version, input, operator)
        )
    }
}
