//! `Store` methods for badges: reading and listing them, their own lifecycle, the
//! card serial, and the export to the access-control system.

use sesame_core::{Badge, BadgeAction, ReplacementCause};
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::csv_export;
use crate::error::Result;
use crate::{BadgeQuery, BadgeRow, CsvOptions, RequestDetail};

impl Store {
    // --- badges -------------------------------------------------------------------

    pub async fn get_badge(&self, id: Uuid) -> Result<Badge> {
        dispatch!(self, badges::get_badge(id))
    }

    pub async fn find_badge(&self, number: &str) -> Result<Badge> {
        dispatch!(self, badges::find_badge_by_number(number))
    }

    /// The badge a card (its UID as recorded) is bound to, if any.
    pub async fn find_badge_by_card(&self, serial: &str) -> Result<Option<Badge>> {
        dispatch!(self, badges::find_badge_by_card(serial))
    }

    pub async fn list_badges(&self, query: &BadgeQuery) -> Result<Vec<BadgeRow>> {
        dispatch!(self, badges::list_badges(query))
    }

    /// Applies a badge action (activate, suspend, resume, renew, oppose, deactivate,
    /// return, expire). `Replace` goes through [`Store::replace_badge`].
    pub async fn badge_transition(
        &self,
        id: Uuid,
        expected_version: i64,
        action: BadgeAction,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<Badge> {
        if let BadgeAction::Replace { cause } = action {
            self.replace_badge(id, expected_version, cause, operator, reason)
                .await?;
            return self.get_badge(id).await;
        }
        dispatch!(
            self,
            badges::badge_transition(&self.clock, id, expected_version, action, operator, reason)
        )
    }

    /// Stops a badge and opens the replacement request (zones carried over).
    pub async fn replace_badge(
        &self,
        id: Uuid,
        expected_version: i64,
        cause: ReplacementCause,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<RequestDetail> {
        dispatch!(
            self,
            opposition::replace_badge(&self.clock, id, expected_version, cause, operator, reason)
        )
    }

    pub async fn set_card_serial(
        &self,
        id: Uuid,
        expected_version: i64,
        serial: Option<&str>,
        operator: &str,
    ) -> Result<Badge> {
        dispatch!(
            self,
            badges::set_card_serial(&self.clock, id, expected_version, serial, operator)
        )
    }

    /// Badges for the access-control system (by default the active ones).
    pub async fn export_badges_csv(
        &self,
        query: &BadgeQuery,
        options: CsvOptions,
    ) -> Result<Vec<u8>> {
        let query = if query.statuses.is_empty() {
            BadgeQuery {
                statuses: vec![sesame_core::BadgeStatus::Active],
                ..query.clone()
            }
        } else {
            query.clone()
        };
        let rows = self.list_badges(&query).await?;
        csv_export::write_csv(
            csv_export::BADGE_HEADER,
            rows.iter().map(csv_export::badge_cells),
            options,
        )
    }
}
