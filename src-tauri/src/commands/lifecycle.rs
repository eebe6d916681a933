//! Commands of the Badges screen: the badge's life after printing (issue 7) —
//! expiry and renewal, dispatch and activation, oppositions, zones, day passes
//! inactivity and the e-mail outbox.

use super::service_command::service_commands;

service_commands! {
    fn expiring_badges(days: Option<u32>) -> Vec<sesame_store::ExpiringBadge>;
    fn extend_badge(input: sesame_service::ExtendBadgeInput) -> sesame_core::Badge;
    fn renew_badge(input: sesame_service::RenewBadgeInput) -> sesame_store::RenewalOutcome;
    fn dispatch_badges(input: sesame_service::DispatchInput) -> sesame_service::DispatchRun;
    fn record_activations(badge_numbers: Vec<String>) -> sesame_store::BadgeBatchOutcome;
    fn not_activated_badges(days: Option<u32>) -> Vec<sesame_store::NotActivatedRow>;
    fn find_badges(text: String) -> Vec<sesame_store::BadgeRow>;
    fn declare_opposition(input: sesame_service::DeclareOppositionInput) -> sesame_store::OppositionOutcome;
    fn badge_oppositions(badge_id: String) -> Vec<sesame_store::Opposition>;
    fn carried_over(request_id: String) -> sesame_store::CarriedOver;
    fn confirm_carried_over(input: sesame_service::ConfirmCarriedOverInput) -> sesame_store::RequestDetail;
    fn lift_opposition(input: sesame_service::LiftOppositionInput) -> sesame_core::Badge;
    fn list_zones() -> Vec<sesame_core::Zone>;
    fn badge_zones(badge_id: String) -> Vec<sesame_store::BadgeZone>;
    fn request_zone_access(input: sesame_service::ZoneAccessInput) -> sesame_store::RequestDetail;
    fn save_zone(input: sesame_service::SaveZoneInput) -> sesame_core::Zone;
    fn pending_zone_approvals() -> Vec<sesame_service::PendingZoneRequest>;
    fn record_zone_decision(input: sesame_service::ZoneDecisionInput) -> sesame_store::ZoneApprovals;
    fn export_zone_rights(format: sesame_service::ZoneRightsFormat) -> sesame_service::ExportedFile;
    fn create_day_pass(request: sesame_store::NewRequest) -> sesame_store::RequestDetail;
    fn visitors_of_day(input: sesame_service::VisitorsDayInput) -> Vec<sesame_store::VisitorRow>;
    fn import_usage_log(input: sesame_service::CsvImportInput) -> sesame_store::UsageImportReport;
    fn inactive_badges(days: Option<u32>) -> Vec<sesame_store::InactiveBadge>;
    fn deactivate_unused_badges(input: sesame_service::DeactivateUnusedInput) -> sesame_store::BadgeBatchOutcome;
    // The e-mail outbox (issue 7): what was sent to holders, what failed, retries.
    fn mail_outbox(query: sesame_store::OutboxQuery) -> Vec<sesame_store::OutboxMessage>;
    fn mail_outbox_counts() -> Vec<sesame_store::MailStatusCount>;
    fn retry_mail(id: String) -> sesame_store::OutboxMessage;
    fn cancel_mail(id: String, reason: Option<String>) -> sesame_store::OutboxMessage;
}
