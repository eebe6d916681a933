//! Scheduled housekeeping, run daily from cron or a Windows scheduled task through
//! `sesamectl housekeeping`: expire badges past their validity, end the loan cards
//! past their last day (resuming the badges they stood in for), queue the expiry
//! reminders, purge what the retention rules say, run the access-control exports
//! due. Every step is idempotent, so a
//! second run the same day does nothing more; a step that fails is reported and the
//! others still run.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{AppError, BadgeStatus};
use sesame_store::{BadgeRow, HousekeepingRun, LoanRow};
use ts_rs::TS;
use uuid::Uuid;

use crate::access_export::{run_scheduled_exports, AccessExportOutcome};
use crate::{Desk, ServiceError};

/// How to run housekeeping. It acts for the desk's today: a desk opened with a
/// pinned clock catches up a missed day (`sesamectl --today`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HousekeepingOptions {
    /// Lists what would be done, changing nothing.
    pub dry_run: bool,
}

/// A badge housekeeping acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HousekeepingBadge {
    pub badge_id: Uuid,
    pub badge_number: String,
    pub family_name: String,
    pub given_names: String,
    pub valid_until: NaiveDate,
    pub status: BadgeStatus,
}

impl From<&BadgeRow> for HousekeepingBadge {
    fn from(row: &BadgeRow) -> Self {
        Self {
            badge_id: row.badge.id,
            badge_number: row.badge.number.clone(),
            family_name: row.family_name.clone(),
            given_names: row.given_names.clone(),
            valid_until: row.badge.valid_until,
            status: row.badge.status,
        }
    }
}

/// What the expiry reminders step did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSummary {
    /// Working badges in the reminder window.
    pub badges: u32,
    pub queued: u32,
    /// Reminded before for the same end of validity.
    pub already_queued: u32,
    pub without_email: u32,
    /// E-mail or expiry reminders are switched off in the mail settings.
    pub disabled: bool,
    /// The window used: the widest of the categories' expiry notices.
    pub notice_days: u32,
}

/// A step that failed; the others ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HousekeepingFailure {
    /// `expire`, `rules`, `visits`, `loans`, `reminders`, `purge`, `directory` or `exports` (then
    /// `profile` names the export).
    pub step: String,
    pub profile: Option<String>,
    pub error: AppError,
}

/// What a housekeeping run did (or, on a dry run, would do). Reports recorded by an
/// older desk read with the steps it did not have left empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct HousekeepingReport {
    pub run_on: NaiveDate,
    pub dry_run: bool,
    pub operator: String,
    /// Badges expired now (or due to be, on a dry run).
    pub expired: Vec<HousekeepingBadge>,
    /// Badges ended by their category's rules: mission ended, N days after first use
    /// (expired), N days unused (deactivated).
    pub rule_changes: Vec<sesame_store::RuleChange>,
    /// Visits of past days nobody checked out, closed now (the badge not seen back).
    pub visits_closed: Vec<sesame_store::ClosedVisit>,
    /// Loans ended because their last day passed, their originals resumed (or due
    /// to be, on a dry run).
    pub loans_ended: Vec<LoanRow>,
    /// `None` on a dry run (nothing is queued).
    pub reminders: Option<ReminderSummary>,
    /// Badges whose holders a reminder is due for (listed on a dry run).
    pub reminders_due: Vec<HousekeepingBadge>,
    /// The retention purge's report (its plan on a dry run); `None` when it failed.
    #[ts(type = "unknown")]
    pub purge: Option<serde_json::Value>,
    /// Holders updated from the directory, and leavers counted, when the office syncs
    /// with its directory in housekeeping; `None` otherwise or when it failed.
    pub directory: Option<crate::DirectorySyncReport>,
    /// The access-control exports run by their schedule.
    pub exports: Vec<AccessExportOutcome>,
    /// On a dry run: the export profiles that would run.
    pub exports_due: Vec<String>,
    pub failures: Vec<HousekeepingFailure>,
}

impl HousekeepingReport {
    /// True when every step ran (the exit status of `sesamectl housekeeping`).
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

fn failure(step: &str, error: &ServiceError) -> HousekeepingFailure {
    HousekeepingFailure {
        step: step.to_owned(),
        profile: None,
        error: AppError::from_error(error),
    }
}

/// The reminder window: the widest expiry notice among the categories (default 30 days).
async fn reminder_notice_days(desk: &Desk) -> Result<u32, ServiceError> {
    let policy = desk.store.policy().await?;
    Ok(policy
        .categories
        .iter()
        .map(|c| c.expiry_notice_days)
        .max()
        .unwrap_or(30))
}

/// Queues the "badge about to expire" message for each working badge in the window,
/// once per badge and end of validity (the mail outbox refuses a second one), and
/// records the reminder on the badge for the desk's expiring list.
async fn queue_expiry_reminders(desk: &Desk) -> Result<ReminderSummary, ServiceError> {
    let today = desk.clock.today();
    let notice_days = reminder_notice_days(desk).await?;
    let report =
        sesame_mail::queue_expiry_reminders(&desk.store, today, notice_days, &desk.actor()?)
            .await?;
    if !report.disabled {
        // The same selection as the mail step: working badges with an address.
        for badge in desk.store.expiring_badges(Some(notice_days), today).await? {
            let row = &badge.row;
            let working = matches!(row.badge.status, BadgeStatus::Issued | BadgeStatus::Active);
            if working && row.email.is_some() && badge.reminded_at.is_none() {
                desk.store
                    .record_reminder(
                        row.badge.id,
                        sesame_store::EXPIRY_REMINDER,
                        row.badge.valid_until,
                        &desk.actor()?,
                    )
                    .await?;
            }
        }
    }
    Ok(ReminderSummary {
        badges: report.badges,
        queued: report.queued,
        already_queued: report.already_queued,
        without_email: report.without_email,
        disabled: report.disabled,
        notice_days,
    })
}

/// The retention purge: its plan on a dry run, else the purge itself (a supervisor's
/// action: the desk running housekeeping must be one), as JSON.
async fn run_retention_purge(
    desk: &Desk,
    dry_run: bool,
) -> Result<Option<serde_json::Value>, ServiceError> {
    let report = if dry_run {
        serde_json::to_value(crate::retention_plan(desk).await?)
    } else {
        serde_json::to_value(crate::retention_purge(desk).await?)
    };
    Ok(Some(report.unwrap_or(serde_json::Value::Null)))
}

async fn sync_directory_if_asked(
    desk: &Desk,
    dry_run: bool,
) -> Result<Option<crate::DirectorySyncReport>, ServiceError> {
    let settings = crate::directory::load_settings(desk).await?;
    if !(settings.enabled && settings.sync_in_housekeeping) {
        return Ok(None);
    }
    Ok(Some(crate::sync_from_directory(desk, dry_run).await?))
}

/// Runs housekeeping for the desk's today. Each step is idempotent and runs even when
/// another failed; the report says what was done and what failed. A real run is
/// recorded (see [`last_housekeeping_run`]).
pub async fn run_housekeeping(
    desk: &Desk,
    options: HousekeepingOptions,
) -> Result<HousekeepingReport, ServiceError> {
    let today = desk.clock.today();
    let dry_run = options.dry_run;
    let mut failures = Vec::new();

    let expired = match desk
        .store
        .expire_past_validity(today, &desk.actor()?, dry_run)
        .await
    {
        Ok(rows) => rows.iter().map(HousekeepingBadge::from).collect(),
        Err(e) => {
            failures.push(failure("expire", &e.into()));
            Vec::new()
        }
    };

    let rule_changes = match desk
        .store
        .apply_expiry_rules(today, &desk.actor()?, dry_run)
        .await
    {
        Ok(changes) => changes,
        Err(e) => {
            failures.push(failure("rules", &e.into()));
            Vec::new()
        }
    };

    let visits_closed = match desk
        .store
        .close_open_visits(today, &desk.actor()?, dry_run)
        .await
    {
        Ok(closed) => closed,
        Err(e) => {
            failures.push(failure("visits", &e.into()));
            Vec::new()
        }
    };

    let loans_ended = match desk
        .store
        .end_due_loans(today, &desk.actor()?, dry_run)
        .await
    {
        Ok(rows) => rows,
        Err(e) => {
            failures.push(failure("loans", &e.into()));
            Vec::new()
        }
    };

    let mut reminders = None;
    let mut reminders_due = Vec::new();
    match reminder_notice_days(desk).await {
        Ok(notice_days) => match desk.store.expiring_badges(Some(notice_days), today).await {
            Ok(list) => {
                reminders_due = list
                    .iter()
                    .filter(|b| {
                        b.reminded_at.is_none()
                            && b.row.email.is_some()
                            && matches!(
                                b.row.badge.status,
                                BadgeStatus::Issued | BadgeStatus::Active
                            )
                    })
                    .map(|b| HousekeepingBadge::from(&b.row))
                    .collect();
            }
            Err(e) => failures.push(failure("reminders", &e.into())),
        },
        Err(e) => failures.push(failure("reminders", &e)),
    }
    if !dry_run {
        match queue_expiry_reminders(desk).await {
            Ok(summary) => reminders = Some(summary),
            Err(e) => failures.push(failure("reminders", &e)),
        }
    }

    let purge = match run_retention_purge(desk, dry_run).await {
        Ok(report) => report,
        Err(e) => {
            failures.push(failure("purge", &e));
            None
        }
    };

    // Before the exports, so that they carry the directory's names.
    let directory = match sync_directory_if_asked(desk, dry_run).await {
        Ok(report) => report,
        Err(e) => {
            failures.push(failure("directory", &e));
            None
        }
    };

    let mut exports = Vec::new();
    let mut exports_due = Vec::new();
    match run_scheduled_exports(desk, dry_run).await {
        Ok(done) => {
            exports = done.ran;
            exports_due = done.due;
            for (profile, error) in done.failed {
                failures.push(HousekeepingFailure {
                    profile: Some(profile),
                    ..failure("exports", &error)
                });
            }
        }
        Err(e) => failures.push(failure("exports", &e)),
    }

    let report = HousekeepingReport {
        run_on: today,
        dry_run,
        operator: desk.actor()?,
        expired,
        rule_changes,
        visits_closed,
        loans_ended,
        reminders,
        reminders_due,
        purge,
        directory,
        exports,
        exports_due,
        failures,
    };
    if !dry_run {
        let json = serde_json::to_value(&report).unwrap_or(serde_json::Value::Null);
        desk.store
            .record_housekeeping_run(today, &desk.actor()?, &json)
            .await?;
    }
    Ok(report)
}

/// A housekeeping run as recorded, its report read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordedHousekeeping {
    #[ts(type = "number")]
    pub id: i64,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub report: HousekeepingReport,
}

/// What housekeeping changed over the last `days` days, newest run first:
/// the badges screen's view of the changes nobody made by hand.
pub async fn housekeeping_history(
    desk: &Desk,
    days: u32,
) -> Result<Vec<RecordedHousekeeping>, ServiceError> {
    let days = crate::follow_up::check_days(Some(days))?.unwrap_or(30);
    let since = desk
        .clock
        .today()
        .checked_sub_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN);
    let runs = desk.store.housekeeping_runs_since(since).await?;
    Ok(runs
        .into_iter()
        .filter_map(|run| {
            let report = serde_json::from_value(run.report).ok()?;
            Some(RecordedHousekeeping {
                id: run.id,
                started_at: run.started_at,
                report,
            })
        })
        .collect())
}

/// The latest housekeeping run recorded, for the desk's status line.
pub async fn last_housekeeping_run(desk: &Desk) -> Result<Option<HousekeepingRun>, ServiceError> {
    Ok(desk.store.last_housekeeping_run().await?)
}
