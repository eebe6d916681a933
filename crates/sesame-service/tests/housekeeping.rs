//! The daily housekeeping through the service, on a real SQLite desk opened for the
//! day it acts for: badges past their validity expire once, expiry reminders are
//! queued once, a dry run changes nothing, and each real run is recorded.

use chrono::Days;
use sesame_core::BadgeStatus;
use sesame_service::{
    badge_by_number, expiring_badges, get_policy, housekeeping_history, last_housekeeping_run,
    mail_outbox, record_activations, run_housekeeping, save_mail_settings, save_policy, ExpiryRule,
    HousekeepingOptions, OutboxQuery, SaveMailSettingsInput,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};
use sesame_test_support::mail::settings_for_port;
use sesame_test_support::smtp::free_port;

async fn badge_number(desk: &TestDesk, family: &str, email: Option<&str>) -> String {
    let holder = holder_with_email(family, "Zoé", email);
    desk.printed(request_for(holder))
        .await
        .badge
        .unwrap()
        .number
}

const DRY_RUN: HousekeepingOptions = HousekeepingOptions { dry_run: true };
const REAL_RUN: HousekeepingOptions = HousekeepingOptions { dry_run: false };

#[tokio::test]
async fn housekeeping_expires_reminds_once_and_is_idempotent() {
    let desk = TestDesk::sqlite().await;
    // The purge also cleans the output folder: never the user's own.
    std::env::set_var(sesame_service::PRINT_DIR_ENV, desk.file("out"));
    // Reminders are queued in the outbox only when e-mail is on.
    save_mail_settings(
        &desk,
        SaveMailSettingsInput {
            settings: settings_for_port(free_port()),
            password: None,
        },
    )
    .await
    .unwrap();
    let na = badge_number(&desk, "Rappel", Some("rappel@example.org")).await;
    let nb = badge_number(&desk, "Sansmail", None).await;
    record_activations(&desk, vec![na.clone(), nb])
        .await
        .unwrap();
    let until = badge_by_number(&desk, na.clone())
        .await
        .unwrap()
        .valid_until;

    // Ten days before the end: a reminder is due for a (b has no address).
    let ten_before = desk.desk_on(until - Days::new(10)).await;
    let dry = run_housekeeping(&ten_before, DRY_RUN).await.unwrap();
    assert!(dry.ok() && dry.expired.is_empty() && dry.reminders.is_none());
    let due: Vec<&str> = dry
        .reminders_due
        .iter()
        .map(|b| b.badge_number.as_str())
        .collect();
    assert_eq!(due, vec![na.as_str()]);
    assert!(last_housekeeping_run(&desk).await.unwrap().is_none());

    let first = run_housekeeping(&ten_before, REAL_RUN).await.unwrap();
    assert!(first.ok(), "{:?}", first.failures);
    let reminders = first.reminders.clone().unwrap();
    assert_eq!((reminders.queued, reminders.without_email), (1, 1));
    assert_eq!(reminders.notice_days, 30);
    let listed = expiring_badges(&desk, Some(3650)).await.unwrap();
    let reminded = listed.iter().find(|e| e.row.badge.number == na).unwrap();
    assert!(reminded.reminded_at.is_some());
    let second = run_housekeeping(&ten_before, REAL_RUN).await.unwrap();
    let reminders = second.reminders.clone().unwrap();
    assert_eq!((reminders.queued, reminders.already_queued), (0, 1));
    assert!(second.reminders_due.is_empty());
    let outbox = mail_outbox(&desk, OutboxQuery::default()).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].recipient, "rappel@example.org");

    // The day after the end: both expire, once.
    let day_after = until + Days::new(1);
    let after = desk.desk_on(day_after).await;
    let run = run_housekeeping(&after, REAL_RUN).await.unwrap();
    assert_eq!(run.expired.len(), 2);
    assert!(run.expired.iter().all(|b| b.status == BadgeStatus::Expired));
    assert_eq!(
        badge_by_number(&desk, na).await.unwrap().status,
        BadgeStatus::Expired
    );
    let again = run_housekeeping(&after, REAL_RUN).await.unwrap();
    assert!(again.expired.is_empty() && again.ok());
    let last = last_housekeeping_run(&desk).await.unwrap().unwrap();
    assert_eq!(last.run_on, day_after);
    assert_eq!(last.report["expired"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_category_rule_ends_a_badge_and_the_history_shows_it() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(sesame_service::PRINT_DIR_ENV, desk.file("out"));
    let mut policy = get_policy(&desk).await.unwrap();
    for category in &mut policy.categories {
        category.deactivate_unused_days = 200;
        category.inactivity_days = 90;
    }
    save_policy(&desk, policy.clone()).await.unwrap();
    let badge = desk
        .active_badge(request_for(holder_with_email("Dormant", "Zoé", None)))
        .await;

    // A rule set below the inactivity list's delay is refused, the rules kept.
    let mut wrong = policy.clone();
    wrong.categories[0].deactivate_unused_days = 30;
    let refused = save_policy(&desk, wrong).await.unwrap_err();
    assert_eq!(
        sesame_core::ErrorCode::code(&refused),
        "settings.invalid_rules"
    );
    assert_eq!(get_policy(&desk).await.unwrap(), policy);

    let later = desk.desk_on(desk.clock.today() + Days::new(201)).await;
    let dry = run_housekeeping(&later, DRY_RUN).await.unwrap();
    assert_eq!(dry.rule_changes.len(), 1);
    let run = run_housekeeping(&later, REAL_RUN).await.unwrap();
    assert!(run.ok(), "{:?}", run.failures);
    assert_eq!(run.rule_changes.len(), 1);
    let change = &run.rule_changes[0];
    assert_eq!(change.row.badge.number, badge.number);
    assert_eq!(change.rule, ExpiryRule::Unused);
    assert_eq!(change.row.badge.status, BadgeStatus::Deactivated);

    let history = housekeeping_history(&later, 30).await.unwrap();
    assert_eq!(history.len(), 1, "the dry run is not recorded");
    assert_eq!(history[0].report.rule_changes, run.rule_changes);
    assert!(housekeeping_history(&later, 0).await.is_err());
    desk.finish().await;
}
