//! What the store takes and gives: the shapes the service layer and the UI see,
//! grouped by domain. Everything is re-exported from the crate root.

mod access_export;
mod audit;
mod badges;
mod database;
mod day_pass;
mod dispatch;
mod expiry;
mod imports;
mod loans;
mod operators;
mod opposition;
mod outbox;
mod photos;
mod printing;
mod queue;
mod renewal;
mod requests;
mod retention;
mod templates;
mod usage;
mod zones;

pub use access_export::*;
pub use audit::*;
pub use badges::*;
pub use database::*;
pub use day_pass::*;
pub use dispatch::*;
pub use expiry::*;
pub use imports::*;
pub use loans::*;
pub use operators::*;
pub use opposition::*;
pub use outbox::*;
pub use photos::*;
pub use printing::*;
pub(crate) use queue::{PositionMarks, QueryValue};
pub use queue::{QueuePage, QueueQuery, QueueRow, QueueSortField, SortDirection, StatusCount};
pub use renewal::*;
pub use requests::*;
pub use retention::*;
pub use templates::*;
pub use usage::*;
pub use zones::*;

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::{Config, TS};

    /// The UI's TypeScript is generated from these types: declaring them must not panic
    /// (flattened fields, tagged enums) and must keep the camelCase names.
    #[test]
    fn typescript_declarations() {
        let cfg = Config::new();
        let detail = RequestDetail::decl(&cfg);
        assert!(detail.contains("allowedActions"), "{detail}");
        let request = sesame_core::Request::decl(&cfg);
        assert!(
            request.contains("holderId") && request.contains("kind"),
            "{request}"
        );
        let action = sesame_core::RequestAction::decl(&cfg);
        assert!(action.contains("\"dispatch\""), "{action}");
        for decl in [
            QueueQuery::decl(&cfg),
            QueuePage::decl(&cfg),
            ImportReport::decl(&cfg),
            BadgeRow::decl(&cfg),
            DbInfo::decl(&cfg),
            sesame_core::Policy::decl(&cfg),
            sesame_core::AuditEntry::decl(&cfg),
            sesame_core::BadgeAction::decl(&cfg),
        ] {
            assert!(!decl.is_empty());
        }
    }

    /// The UI's TypeScript is generated from these types; the lists flatten the badge row.
    #[test]
    fn typescript_declarations_and_flattened_rows() {
        let cfg = Config::new();
        for (decl, field) in [
            (ExpiringBadge::decl(&cfg), "daysLeft"),
            (InactiveBadge::decl(&cfg), "unusedSince"),
            (NotActivatedRow::decl(&cfg), "daysWaiting"),
            (UsageImportReport::decl(&cfg), "badgesUpdated"),
            (BadgeBatchOutcome::decl(&cfg), "skipped"),
            (HousekeepingRun::decl(&cfg), "runOn"),
            (DispatchedBadge::decl(&cfg), "badgeNumber"),
        ] {
            assert!(decl.contains(field), "{decl}");
        }
        let expiring = ExpiringBadge::decl(&cfg);
        assert!(
            expiring.contains("familyName") && !expiring.contains("row"),
            "{expiring}"
        );
    }
}
