//! The categories' rules that end badges on their own, as housekeeping applies them:
//! at the holder's mission end (validity cut to it), N days after the first passage
//! at a door (the usage log's earliest line, even imported late), after N days
//! unused (deactivated). Each on SQLite and on PostgreSQL.

use chrono::Duration;
use sesame_core::{AuditEntity, BadgeAction, BadgeStatus};
use sesame_store::{ExpiryRule, RequestDetail, Store};
use sesame_test_support::fixtures::printed_staff_badge;
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn active(store: &Store, family: &str) -> RequestDetail {
    let detail = printed_staff_badge(store, family, "Zoé", ALICE, BOB).await;
    let badge = detail.badge.as_ref().unwrap();
    store
        .badge_transition(badge.id, badge.version, BadgeAction::Activate, ALICE, None)
        .await
        .unwrap();
    detail
}

fn seen(store: &Store, number: &str, days_ago: i64) -> String {
    format!(
        "{number};{};Hall A\n",
        (store.clock().now() - Duration::days(days_ago)).to_rfc3339()
    )
}

async fn rules_end_badges_at_mission_end_after_first_use_and_unused(db: &TestDb) {
    let store = &db.store;
    let mut policy = store.policy().await.unwrap();
    let staff = policy
        .categories
        .iter_mut()
        .find(|c| c.key == "staff")
        .unwrap();
    staff.expire_at_mission_end = true;
    staff.expire_days_after_first_use = 10;
    staff.deactivate_unused_days = 120;
    store.set_policy(&policy, ALICE).await.unwrap();

    let ended = active(store, "Finie").await;
    let visitor = active(store, "Passage").await;
    let idle = active(store, "Dormant").await;
    let recent = active(store, "Récent").await;
    let number = |d: &RequestDetail| d.badge.as_ref().unwrap().number.clone();
    let id = |d: &RequestDetail| d.badge.as_ref().unwrap().id;

    // The mission was cut short: it ends in ten days, before the badge's validity.
    let holder = store.get_holder(ended.holder.id).await.unwrap();
    let mut details = holder.details.clone();
    details.mission_end = Some(day(10));
    store
        .update_holder(holder.id, holder.version, details, ALICE)
        .await
        .unwrap();
    // First seen 15 days ago (a late log brings its first passage to 20 days ago);
    // the recent one 2 days ago.
    let log = format!(
        "badge;horodatage;porte\n{}{}{}",
        seen(store, &number(&visitor), 15),
        seen(store, &number(&visitor), 1),
        seen(store, &number(&recent), 2)
    );
    store
        .import_usage_csv(log.as_bytes(), ALICE, false)
        .await
        .unwrap();
    let late = format!(
        "badge;horodatage;porte\n{}",
        seen(store, &number(&visitor), 20)
    );
    let report = store
        .import_usage_csv(late.as_bytes(), ALICE, false)
        .await
        .unwrap();
    assert_eq!(report.badges_updated, 1, "an earlier first passage is news");

    // Five days on, only the visitor's ten days from its first passage are over.
    let preview = store.apply_expiry_rules(day(5), ALICE, true).await.unwrap();
    assert_eq!(preview.len(), 1, "{preview:?}");
    assert_eq!(
        store.get_badge(id(&visitor)).await.unwrap().status,
        BadgeStatus::Active,
        "a dry run changes nothing"
    );
    let changes = store
        .apply_expiry_rules(day(5), ALICE, false)
        .await
        .unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].rule, ExpiryRule::AfterFirstUse);
    assert_eq!(changes[0].since, day(-20));
    assert_eq!(changes[0].previous_status, BadgeStatus::Active);
    let badge = store.get_badge(id(&visitor)).await.unwrap();
    assert_eq!(badge.status, BadgeStatus::Expired);
    // Ten days from day -20 end on day -11, before the badge's first valid day: its
    // validity cannot end before it starts.
    assert_eq!(badge.valid_until, day(0));
    let request = store.get_request(visitor.request.id).await.unwrap();
    assert_eq!(request.badge.unwrap().valid_until, day(0));
    let history = store
        .audit_for(AuditEntity::Badge, &id(&visitor).to_string())
        .await
        .unwrap();
    let entry = history.iter().find(|e| e.action == "expire").unwrap();
    assert_eq!(entry.after.as_ref().unwrap()["rule"], "after_first_use");
    // A second run the same day finds nothing more.
    assert!(store
        .apply_expiry_rules(day(5), ALICE, false)
        .await
        .unwrap()
        .is_empty());

    // Day 12: the mission ended on day 10; the recent one's ten days ended on day 7.
    let changes = store
        .apply_expiry_rules(day(12), ALICE, false)
        .await
        .unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let by_number = |n: &str| changes.iter().find(|c| c.row.badge.number == n).unwrap();
    let mission = by_number(&number(&ended));
    assert_eq!(mission.rule, ExpiryRule::MissionEnded);
    assert_eq!(mission.since, day(10));
    assert_eq!(
        store.get_badge(id(&ended)).await.unwrap().valid_until,
        day(10)
    );
    assert_eq!(by_number(&number(&recent)).rule, ExpiryRule::AfterFirstUse);
    assert_eq!(
        store.get_badge(id(&recent)).await.unwrap().valid_until,
        day(7)
    );

    // Day 125: the one never seen since its activation is deactivated.
    let later = store
        .apply_expiry_rules(day(125), ALICE, false)
        .await
        .unwrap();
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0].rule, ExpiryRule::Unused);
    assert_eq!(later[0].since, day(0));
    let badge = store.get_badge(id(&idle)).await.unwrap();
    assert_eq!(badge.status, BadgeStatus::Deactivated);
    assert_eq!(
        badge.status_reason.as_deref(),
        Some("inutilisé depuis 125 jours / unused for 125 days")
    );
}
on_both!(rules_end_badges_at_mission_end_after_first_use_and_unused);

async fn no_rule_no_change(db: &TestDb) {
    let store = &db.store;
    let badge = active(store, "Tranquille").await;
    let id = badge.badge.as_ref().unwrap().id;
    let holder = store.get_holder(badge.holder.id).await.unwrap();
    let mut details = holder.details.clone();
    details.mission_end = Some(day(-2));
    store
        .update_holder(holder.id, holder.version, details, ALICE)
        .await
        .unwrap();
    assert!(store
        .apply_expiry_rules(day(500), ALICE, false)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.get_badge(id).await.unwrap().status,
        BadgeStatus::Active
    );
}
on_both!(no_rule_no_change);
