//! How long personal data is kept: the office-wide retention periods that
//! the purge applies. Stored inside `Policy`, so every desk of a queue purges alike.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain_error::DomainError;

/// Retention periods; each default is what a badge office usually declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPolicy {
    /// ID document scans, and the photos replaced by newer ones, are deleted this many
    /// days after the badge was printed.
    #[serde(default = "default_id_document_days")]
    pub id_document_days_after_print: u32,
    /// Photos and personal data of a holder are removed this many months after their
    /// last badge ended (expired, deactivated, returned or opposed), when nothing is open.
    #[serde(default = "default_holder_months")]
    pub holder_months_after_badge_end: u32,
    /// Refused and cancelled requests lose their personal data after this many days.
    #[serde(default = "default_closed_request_days")]
    pub closed_request_days: u32,
    /// Files the desks wrote to their output folders (printed PDFs, CSV exports,
    /// holders' archives) are deleted this many days after they were written: they hold
    /// personal data outside the database.
    #[serde(default = "default_output_files_days")]
    pub output_files_days: u32,
}

fn default_id_document_days() -> u32 {
    30
}

fn default_holder_months() -> u32 {
    12
}

fn default_closed_request_days() -> u32 {
    90
}

fn default_output_files_days() -> u32 {
    30
}

/// Longest period accepted for each setting: ten years, far past any legal need.
pub const MAX_RETENTION_DAYS: u32 = 3650;
pub const MAX_RETENTION_MONTHS: u32 = 120;

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            id_document_days_after_print: default_id_document_days(),
            holder_months_after_badge_end: default_holder_months(),
            closed_request_days: default_closed_request_days(),
            output_files_days: default_output_files_days(),
        }
    }
}

/// The day limits a purge on `today` applies: what happened on or before each goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionCutoffs {
    pub id_documents_printed_on_or_before: NaiveDate,
    pub badges_ended_on_or_before: NaiveDate,
    pub requests_closed_on_or_before: NaiveDate,
}

impl RetentionPolicy {
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, value, max) in [
            (
                "retention.idDocumentDaysAfterPrint",
                self.id_document_days_after_print,
                MAX_RETENTION_DAYS,
            ),
            (
                "retention.holderMonthsAfterBadgeEnd",
                self.holder_months_after_badge_end,
                MAX_RETENTION_MONTHS,
            ),
            (
                "retention.closedRequestDays",
                self.closed_request_days,
                MAX_RETENTION_DAYS,
            ),
            (
                "retention.outputFilesDays",
                self.output_files_days,
                MAX_RETENTION_DAYS,
            ),
        ] {
            if value > max {
                return Err(DomainError::InvalidRules {
                    reason: format!(
                        "{field} is {value}, above the longest period accepted ({max})"
                    ),
                });
            }
        }
        Ok(())
    }

    pub fn cutoffs(&self, today: NaiveDate) -> RetentionCutoffs {
        let back_days = |days: u32| {
            today
                .checked_sub_days(Days::new(u64::from(days)))
                .unwrap_or(NaiveDate::MIN)
        };
        RetentionCutoffs {
            id_documents_printed_on_or_before: back_days(self.id_document_days_after_print),
            badges_ended_on_or_before: today
                .checked_sub_months(Months::new(self.holder_months_after_badge_end))
                .unwrap_or(NaiveDate::MIN),
            requests_closed_on_or_before: back_days(self.closed_request_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_cutoffs() {
        let policy = RetentionPolicy::default();
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let cut = policy.cutoffs(today);
        assert_eq!(
            cut.id_documents_printed_on_or_before,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(
            cut.badges_ended_on_or_before,
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        );
        assert_eq!(
            cut.requests_closed_on_or_before,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
    }

    #[test]
    fn stored_policies_without_retention_get_the_defaults() {
        let read: RetentionPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(read, RetentionPolicy::default());
        let read: RetentionPolicy = serde_json::from_str(r#"{"closedRequestDays": 10}"#).unwrap();
        assert_eq!(read.closed_request_days, 10);
        assert_eq!(read.id_document_days_after_print, 30);
        assert_eq!(read.output_files_days, 30);
    }

    #[test]
    fn absurd_periods_are_refused() {
        let policy = RetentionPolicy {
            closed_request_days: 100_000,
            ..RetentionPolicy::default()
        };
        assert_eq!(
            crate::ErrorCode::code(&policy.validate().unwrap_err()),
            "settings.invalid_rules"
        );
    }
}
