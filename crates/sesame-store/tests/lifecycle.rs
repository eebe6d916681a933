//! The badge's life after printing: dispatch, activation and its follow-up
//! list, expiry, usage log and inactivity. Each test runs on SQLite and on PostgreSQL
//! and moves real records through the store.

use chrono::{Days, Duration};
use sesame_core::{AuditEntity, BadgeAction, BadgeStatus, DispatchMethod, RequestStatus};
use sesame_store::{BadgeRef, DispatchSkipReason, RequestDetail, Store, StoreError};
use sesame_test_support::fixtures::{approved_staff_request, printed_staff_badge};
use sesame_test_support::{day, on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn dispatch(store: &Store, ids: &[Uuid], method: DispatchMethod) {
    let outcome = store
        .dispatch_batch(ids, method, BOB, |_, _| Ok::<_, StoreError>(()))
        .await
        .unwrap();
    assert_eq!(outcome.dispatched.len(), ids.len(), "{:?}", outcome.skipped);
}

async fn activate_badge(store: &Store, detail: &RequestDetail) {
    let badge = detail.badge.as_ref().unwrap();
    let current = store.get_badge(badge.id).await.unwrap();
    store
        .badge_transition(
            current.id,
            current.version,
            BadgeAction::Activate,
            ALICE,
            None,
        )
        .await
        .unwrap();
}

async fn dispatch_marks_printed_badges_and_skips_the_rest(db: &TestDb) {
    let store = &db.store;
    let a = printed_staff_badge(store, "Œuvray", "Zoé", ALICE, BOB).await;
    let b = printed_staff_badge(store, "Nguyễn", "Minh", ALICE, BOB).await;
    let not_printed = approved_staff_request(store, "Pas", "Imprimé", ALICE, BOB).await;
    let missing = Uuid::now_v7();
    let ids = [
        b.request.id,
        not_printed.request.id,
        a.request.id,
        missing,
        b.request.id,
    ];

    // A failed render (the dispatch list) writes nothing.
    let failed = store
        .dispatch_batch(&ids, DispatchMethod::InternalMail, BOB, |_, _| {
            Err::<(), _>(StoreError::Export("disk full".into()))
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(
        store
            .get_request(a.request.id)
            .await
            .unwrap()
            .request
            .status,
        RequestStatus::Printed
    );

    let mut seen_batch = None;
    let outcome = store
        .dispatch_batch(&ids, DispatchMethod::InternalMail, BOB, |batch, badges| {
            seen_batch = Some(batch);
            Ok::<_, StoreError>(
                badges
                    .iter()
                    .map(|b| {
                        (
                            b.family_name.clone(),
                            b.badge_number.clone(),
                            b.unit.clone(),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await
        .unwrap();
    assert_eq!(seen_batch, Some(outcome.batch));
    let rendered = outcome.rendered.unwrap();
    // In the order asked, each once.
    assert_eq!(
        rendered,
        vec![
            (
                "Nguyễn".to_owned(),
                b.badge.as_ref().unwrap().number.clone(),
                Some("Unit 1".to_owned())
            ),
            (
                "Œuvray".to_owned(),
                a.badge.as_ref().unwrap().number.clone(),
                Some("Unit 1".to_owned())
            ),
        ]
    );
    let skipped: Vec<(Uuid, DispatchSkipReason, Option<String>)> = outcome
        .skipped
        .iter()
        .map(|s| (s.request_id, s.reason, s.detail.clone()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                not_printed.request.id,
                DispatchSkipReason::NotPrinted,
                Some("approved".into())
            ),
            (missing, DispatchSkipReason::NotFound, None),
        ]
    );
    let after = store.get_request(a.request.id).await.unwrap().request;
    assert_eq!(after.status, RequestStatus::Dispatched);
    assert_eq!(after.dispatch_method, Some(DispatchMethod::InternalMail));
    assert_eq!(after.dispatched.as_ref().unwrap().by, BOB);
    assert_eq!(after.version, a.request.version + 1);
    let history = store.audit_for_request(a.request.id).await.unwrap();
    let entry = history
        .iter()
        .rev()
        .find(|e| e.action == "dispatch")
        .unwrap();
    assert_eq!(entry.operator, BOB);
    assert_eq!(
        entry.after.as_ref().unwrap()["batch"],
        outcome.batch.to_string()
    );
    assert_eq!(entry.after.as_ref().unwrap()["status"], "dispatched");

    // Again: all already dispatched, nothing rendered, nothing written.
    let again = store
        .dispatch_batch(&[a.request.id], DispatchMethod::HandedOver, BOB, |_, _| {
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    assert!(again.rendered.is_none());
    assert_eq!(again.skipped[0].detail.as_deref(), Some("dispatched"));

    // A badge declared lost between print and dispatch does not go out.
    let c = printed_staff_badge(store, "Perdu", "Avant", ALICE, BOB).await;
    let badge = c.badge.as_ref().unwrap();
    store
        .badge_transition(
            badge.id,
            badge.version,
            BadgeAction::Oppose {
                cause: sesame_core::ReplacementCause::Lost,
            },
            ALICE,
            Some("lost at the desk"),
        )
        .await
        .unwrap();
    let lost = store
        .dispatch_batch(&[c.request.id], DispatchMethod::HandedOver, BOB, |_, _| {
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(lost.skipped[0].reason, DispatchSkipReason::BadgeNotUsable);
    assert_eq!(lost.skipped[0].detail.as_deref(), Some("opposed"));
}
on_both!(dispatch_marks_printed_badges_and_skips_the_rest);

async fn not_activated_list_follows_the_delay(db: &TestDb) {
    let store = &db.store;
    let a = printed_staff_badge(store, "Attend", "Anne", ALICE, BOB).await;
    let b = printed_staff_badge(store, "Active", "Bruno", ALICE, BOB).await;
    let c = printed_staff_badge(store, "Garde", "Chloé", ALICE, BOB).await; // printed, never dispatched
    dispatch(
        store,
        &[a.request.id, b.request.id],
        DispatchMethod::InternalMail,
    )
    .await;
    let day = |n: u64| day(n as i64);

    assert!(store.not_activated(None, day(0)).await.unwrap().is_empty());
    assert!(store.not_activated(None, day(13)).await.unwrap().is_empty());
    let listed = store.not_activated(None, day(14)).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|r| r.family_name.as_str()).collect();
    assert_eq!(names, vec!["Attend", "Active"]);
    assert_eq!(listed[0].days_waiting, 14);
    assert_eq!(listed[0].threshold_days, 14);
    assert_eq!(
        listed[0].dispatch_method,
        Some(DispatchMethod::InternalMail)
    );
    assert_eq!(
        listed[0].badge_number,
        a.badge.as_ref().map(|b| b.number.clone())
    );
    // an explicit delay replaces the categories'
    assert!(store
        .not_activated(Some(30), day(14))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.not_activated(Some(2), day(2)).await.unwrap().len(), 2);

    // the holder activates: off the list, request closed
    activate_badge(store, &b).await;
    let listed = store.not_activated(None, day(20)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].request_id, a.request.id);
    assert_eq!(
        store
            .get_request(b.request.id)
            .await
            .unwrap()
            .request
            .status,
        RequestStatus::Activated
    );
    assert!(!listed.iter().any(|r| r.request_id == c.request.id));

    // the delay is per category
    let mut policy = store.policy().await.unwrap();
    policy
        .categories
        .iter_mut()
        .find(|c| c.key == "staff")
        .unwrap()
        .activation_days = 3;
    store.set_policy(&policy, ALICE).await.unwrap();
    let listed = store.not_activated(None, day(3)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].threshold_days, 3);
}
on_both!(not_activated_list_follows_the_delay);

async fn expiring_list_reminders_and_expiry(db: &TestDb) {
    let store = &db.store;
    let a = printed_staff_badge(store, "Bientôt", "Anna", ALICE, BOB).await;
    activate_badge(store, &a).await;
    let until = store
        .get_badge(a.badge.as_ref().unwrap().id)
        .await
        .unwrap()
        .valid_until;
    let before = |n: u64| until - Days::new(n);

    assert!(store
        .expiring_badges(None, before(31))
        .await
        .unwrap()
        .is_empty());
    let listed = store.expiring_badges(None, before(30)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].days_left, 30);
    assert_eq!(listed[0].notice_days, 30);
    assert_eq!(listed[0].reminded_at, None);
    assert!(!listed[0].renewal_pending);
    assert!(store
        .expiring_badges(Some(10), before(30))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .expiring_badges(Some(10), before(10))
            .await
            .unwrap()
            .len(),
        1
    );

    // a reminder is recorded once per end of validity, audited
    let id = listed[0].row.badge.id;
    assert!(store
        .record_reminder(id, "expiry", until, BOB)
        .await
        .unwrap());
    assert!(!store
        .record_reminder(id, "expiry", until, BOB)
        .await
        .unwrap());
    let listed = store.expiring_badges(None, before(5)).await.unwrap();
    assert!(listed[0].reminded_at.is_some());
    let audit = store
        .audit_for(AuditEntity::Badge, &id.to_string())
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "reminder_queued")
            .count(),
        1
    );

    // the last valid day is still valid; the day after, housekeeping expires it
    let day_after = until + Days::new(1);
    assert!(store
        .expire_past_validity(until, BOB, false)
        .await
        .unwrap()
        .is_empty());
    let would = store
        .expire_past_validity(day_after, BOB, true)
        .await
        .unwrap();
    assert_eq!(would.len(), 1);
    assert_eq!(
        store.get_badge(id).await.unwrap().status,
        BadgeStatus::Active
    );
    let expired = store
        .expire_past_validity(day_after, BOB, false)
        .await
        .unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].badge.status, BadgeStatus::Expired);
    let badge = store.get_badge(id).await.unwrap();
    assert_eq!(badge.status, BadgeStatus::Expired);
    assert_eq!(badge.version, expired[0].badge.version);
    let audit = store
        .audit_for(AuditEntity::Badge, &id.to_string())
        .await
        .unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.operator.as_str()),
        ("expire", BOB)
    );
    // a second run the same day does nothing more
    assert!(store
        .expire_past_validity(day_after, BOB, false)
        .await
        .unwrap()
        .is_empty());
    assert!(store.expiring_badges(None, until).await.unwrap().is_empty());

    // housekeeping runs are kept
    assert!(store.last_housekeeping_run().await.unwrap().is_none());
    store
        .record_housekeeping_run(day_after, BOB, &serde_json::json!({"expired": 1}))
        .await
        .unwrap();
    let run = store.last_housekeeping_run().await.unwrap().unwrap();
    assert_eq!(
        (run.run_on, run.report["expired"].as_i64()),
        (day_after, Some(1))
    );
}
on_both!(expiring_list_reminders_and_expiry);

/// A passage `days_ago` days before the store's now.
fn at(store: &Store, days_ago: i64) -> String {
    (store.clock().now() - Duration::days(days_ago)).to_rfc3339()
}

async fn usage_log_inactivity_and_reviewed_deactivation(db: &TestDb) {
    let store = &db.store;
    let a = printed_staff_badge(store, "Vue", "Alice", ALICE, BOB).await;
    let b = printed_staff_badge(store, "Jamais", "Bernard", ALICE, BOB).await;
    let c = printed_staff_badge(store, "Série", "Claire", ALICE, BOB).await;
    for d in [&a, &b, &c] {
        activate_badge(store, d).await;
    }
    let number = |d: &RequestDetail| d.badge.as_ref().unwrap().number.clone();
    let c_badge = store.get_badge(c.badge.as_ref().unwrap().id).await.unwrap();
    store
        .set_card_serial(c_badge.id, c_badge.version, Some("04A1B2C3"), ALICE)
        .await
        .unwrap();

    let log = format!(
        "badge;horodatage;porte\n{};{};Hall A\n{};{};Parking\nB999999;{};Hall A\n{};{};Hall B\n04a1b2c3;{};Labo\n{};pas une date;Hall A\n",
        number(&a),
        at(store, 12),
        number(&a),
        at(store, 10),
        at(store, 1),
        number(&a),
        (store.clock().now() + Duration::days(3)).to_rfc3339(),
        at(store, 11),
        number(&b),
    );
    // dry run: the report, nothing written
    let dry = store
        .import_usage_csv(log.as_bytes(), ALICE, true)
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(dry.badges_updated, 2);
    let far = day(200);
    let inactive = store.inactive_badges(Some(90), far).await.unwrap();
    assert!(inactive.iter().all(|i| i.last_seen_at.is_none()));

    let report = store
        .import_usage_csv(log.as_bytes(), ALICE, false)
        .await
        .unwrap();
    assert_eq!(report.rows_read, 6);
    assert_eq!(report.accepted, 3);
    assert_eq!(report.badges_updated, 2);
    let refused: Vec<(u64, &str)> = report
        .refused
        .iter()
        .map(|r| (r.row, r.code.as_str()))
        .collect();
    assert_eq!(
        refused,
        vec![
            (3, "usage.unknown_badge"),
            (4, "usage.future_timestamp"),
            (6, "usage.invalid_timestamp")
        ]
    );
    // importing the same log again moves nothing
    let again = store
        .import_usage_csv(log.as_bytes(), ALICE, false)
        .await
        .unwrap();
    assert_eq!(again.badges_updated, 0);

    // a is last seen 10 days ago (Parking), c 11 days ago (by its card serial), b never
    let list = store.inactive_badges(Some(90), day(85)).await.unwrap();
    let names: Vec<(&str, i64)> = list
        .iter()
        .map(|i| (i.row.family_name.as_str(), i.days_unused))
        .collect();
    assert_eq!(names, vec![("Série", 96), ("Vue", 95)]);
    assert_eq!(list[1].last_door.as_deref(), Some("Parking"));
    assert!(store
        .inactive_badges(None, day(89))
        .await
        .unwrap()
        .iter()
        .all(|i| i.row.family_name != "Jamais"));
    // never seen: counted from its activation (today), 90 days by default
    let list = store.inactive_badges(None, day(90)).await.unwrap();
    let jamais = list.iter().find(|i| i.row.family_name == "Jamais").unwrap();
    assert_eq!((jamais.last_seen_at, jamais.days_unused), (None, 90));
    assert_eq!(jamais.threshold_days, 90);

    // the reviewed selection: a seen since the review, c changed since, b goes
    let review = store.inactive_badges(Some(90), day(85)).await.unwrap();
    let refs: Vec<BadgeRef> = review
        .iter()
        .map(|i| BadgeRef {
            id: i.row.badge.id,
            version: i.row.badge.version,
        })
        .collect();
    let newer = format!(
        "badge,timestamp,door\n{},{},Hall A\n",
        number(&a),
        at(store, 1)
    );
    store
        .import_usage_csv(newer.as_bytes(), ALICE, false)
        .await
        .unwrap();
    let c_now = store.get_badge(c_badge.id).await.unwrap();
    store
        .badge_transition(
            c_now.id,
            c_now.version,
            BadgeAction::Suspend,
            ALICE,
            Some("on leave"),
        )
        .await
        .unwrap();
    let review_day = day(85);
    assert!(store
        .deactivate_unused(&refs, "  ", Some(90), review_day, ALICE)
        .await
        .is_err());
    let outcome = store
        .deactivate_unused(&refs, "unused for 3 months", Some(90), review_day, ALICE)
        .await
        .unwrap();
    assert!(outcome.changed.is_empty());
    let mut skipped: Vec<(String, &str)> = outcome
        .skipped
        .iter()
        .map(|s| (s.badge_number.clone().unwrap(), s.code.as_str()))
        .collect();
    skipped.sort();
    let mut expected = vec![
        (number(&a), "usage.used_since_review"),
        (number(&c), "usage.not_active"),
    ];
    expected.sort();
    assert_eq!(skipped, expected);

    // b, never seen, is unused 90 days after its activation
    let b_badge = store.get_badge(b.badge.as_ref().unwrap().id).await.unwrap();
    let outcome = store
        .deactivate_unused(
            &[BadgeRef {
                id: b_badge.id,
                version: b_badge.version,
            }],
            "unused for 3 months",
            None,
            day(90),
            ALICE,
        )
        .await
        .unwrap();
    let changed: Vec<&str> = outcome
        .changed
        .iter()
        .map(|r| r.family_name.as_str())
        .collect();
    assert_eq!(changed, vec!["Jamais"]);
    assert_eq!(outcome.changed[0].badge.status, BadgeStatus::Deactivated);
    let b_after = store.get_badge(b_badge.id).await.unwrap();
    assert_eq!(b_after.status, BadgeStatus::Deactivated);
    assert_eq!(
        b_after.status_reason.as_deref(),
        Some("unused for 3 months")
    );
    let audit = store
        .audit_for(AuditEntity::Badge, &b_badge.id.to_string())
        .await
        .unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "deactivate");
    assert_eq!(last.reason.as_deref(), Some("unused for 3 months"));
    assert_eq!(last.after.as_ref().unwrap()["inactivity"]["daysUnused"], 90);
    assert_eq!(
        store
            .get_badge(a.badge.as_ref().unwrap().id)
            .await
            .unwrap()
            .status,
        BadgeStatus::Active
    );

    // a stale version is refused for that badge only
    let a_badge = store.get_badge(a.badge.as_ref().unwrap().id).await.unwrap();
    let stale = store
        .deactivate_unused(
            &[BadgeRef {
                id: a_badge.id,
                version: a_badge.version - 1,
            }],
            "unused",
            Some(30),
            day(95),
            ALICE,
        )
        .await
        .unwrap();
    assert_eq!(stale.skipped[0].code, "store.version_conflict");
    assert!(stale.changed.is_empty());
}
on_both!(usage_log_inactivity_and_reviewed_deactivation);
