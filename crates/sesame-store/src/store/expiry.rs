//! `Store` methods for expiry: badges near or past the end of their validity, the
//! reminders sent and the housekeeping runs.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{BadgeRow, ExpiringBadge, HousekeepingRun, RuleChange};

impl Store {
    /// Live badges whose validity ends within the category's notice (or `days`).
    pub async fn expiring_badges(
        &self,
        days: Option<u32>,
        today: NaiveDate,
    ) -> Result<Vec<ExpiringBadge>> {
        dispatch!(self, expiry::expiring_badges(days, today))
    }

    /// Expires live badges past their validity (`dry_run` only lists them).
    pub async fn expire_past_validity(
        &self,
        today: NaiveDate,
        operator: &str,
        dry_run: bool,
    ) -> Result<Vec<BadgeRow>> {
        dispatch!(
            self,
            expiry::expire_past_validity(&self.clock, today, operator, dry_run)
        )
    }

    /// Applies the categories' rules that end badges on their own (mission end, N days
    /// after first use, N days unused); `dry_run` only lists them.
    pub async fn apply_expiry_rules(
        &self,
        today: NaiveDate,
        operator: &str,
        dry_run: bool,
    ) -> Result<Vec<RuleChange>> {
        dispatch!(
            self,
            expiry_rules::apply_expiry_rules(&self.clock, today, operator, dry_run)
        )
    }

    /// The housekeeping runs recorded on or after `since`, newest first.
    pub async fn housekeeping_runs_since(&self, since: NaiveDate) -> Result<Vec<HousekeepingRun>> {
        dispatch!(self, expiry::housekeeping_runs_since(since))
    }

    /// Records a reminder once per badge, kind and end of validity; false if already done.
    pub async fn record_reminder(
        &self,
        badge_id: Uuid,
        kind: &str,
        valid_until: NaiveDate,
        operator: &str,
    ) -> Result<bool> {
        dispatch!(
            self,
            expiry::record_reminder(&self.clock, badge_id, kind, valid_until, operator)
        )
    }

    pub async fn record_housekeeping_run(
        &self,
        run_on: NaiveDate,
        operator: &str,
        report: &serde_json::Value,
    ) -> Result<()> {
        dispatch!(
            self,
            expiry::record_housekeeping_run(&self.clock, run_on, operator, report)
        )
    }

    pub async fn last_housekeeping_run(&self) -> Result<Option<HousekeepingRun>> {
        dispatch!(self, expiry::last_housekeeping_run())
    }
}
