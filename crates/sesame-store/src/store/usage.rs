//! `Store` methods for inactivity: the access-control usage log and the badges unused
//! for too long.

use chrono::NaiveDate;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::usage_import;
use crate::{BadgeBatchOutcome, BadgeRef, InactiveBadge, UsageImportReport};

impl Store {
    /// Imports the access-control system's usage log (CSV: badge, timestamp, door).
    pub async fn import_usage_csv(
        &self,
        bytes: &[u8],
        operator: &str,
        dry_run: bool,
    ) -> Result<UsageImportReport> {
        let parsed = usage_import::parse(bytes)?;
        dispatch!(
            self,
            usage::import_usage(&self.clock, parsed, operator, dry_run)
        )
    }

    /// Active badges unused for the category's inactivity delay (or `days`).
    pub async fn inactive_badges(
        &self,
        days: Option<u32>,
        today: NaiveDate,
    ) -> Result<Vec<InactiveBadge>> {
        dispatch!(self, usage::inactive_badges(days, today))
    }

    /// Deactivates the reviewed unused badges with one reason.
    pub async fn deactivate_unused(
        &self,
        selection: &[BadgeRef],
        reason: &str,
        days: Option<u32>,
        today: NaiveDate,
        operator: &str,
    ) -> Result<BadgeBatchOutcome> {
        dispatch!(
            self,
            usage::deactivate_unused(&self.clock, selection, reason, days, today, operator)
        )
    }
}
