//! Badges, each test on SQLite and on PostgreSQL: numbers unique under concurrent
//! printing and never reused when the format changes, and the badge's own actions
//! (activation, card serial, refused renewal and deactivation, opposition with
//! replacement, CSV export).

use sesame_core::{
    AttachmentKind, BadgeAction, BadgeStatus, DispatchMethod, ErrorCode, ReplacementCause,
    RequestAction, RequestKind, RequestStatus,
};
use sesame_test_support::fixtures::{
    approved_staff_request, fake_jpeg, new_request, printed_staff_badge,
};
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn badge_numbers_are_unique_under_concurrency(db: &TestDb) {
    let store = &db.store;
    let mut ready_ones = Vec::new();
    for i in 0..12 {
        ready_ones
            .push(approved_staff_request(store, "Numero", &format!("N{i}"), ALICE, BOB).await);
    }
    let mut tasks = Vec::new();
    for (i, r) in ready_ones.into_iter().enumerate() {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .transition(
                    r.request.id,
                    r.request.version,
                    RequestAction::MarkPrinted,
                    &format!("desk{}", i % 3),
                    None,
                )
                .await
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap().unwrap().badge.unwrap().number);
    }
    numbers.sort();
    let expected: Vec<String> = (1..=12).map(|n| format!("B{n:06}")).collect();
    assert_eq!(numbers, expected);
    // a number can never be inserted twice, even by hand
    assert!(db
        .raw_execute("INSERT INTO issued_badge_numbers (number, issued_at) VALUES ('B000001', '2026-01-01T00:00:00Z')")
        .await
        .is_err());
}
on_both!(badge_numbers_are_unique_under_concurrency);

async fn numbers_are_never_reused_when_the_format_changes(db: &TestDb) {
    let store = &db.store;
    let first = printed_staff_badge(store, "Format", "Un", ALICE, BOB)
        .await
        .badge
        .unwrap()
        .number;
    assert_eq!(first, "B000001");
    let mut policy = store.policy().await.unwrap();
    // a format whose first numbers collide with the old ones
    policy.badge_number_format = sesame_core::BadgeNumberFormat::new("B{seq:6}").unwrap();
    store.set_policy(&policy, "admin").await.unwrap();
    db.raw_execute("UPDATE counters SET next_value = 1 WHERE name = 'badge_number'")
        .await
        .unwrap();
    let second = printed_staff_badge(store, "Format", "Deux", ALICE, BOB)
        .await
        .badge
        .unwrap()
        .number;
    assert_eq!(second, "B000002", "B000001 was skipped, never reused");
    policy.badge_number_format = sesame_core::BadgeNumberFormat::new("SES-{year}-{seq:4}").unwrap();
    store.set_policy(&policy, "admin").await.unwrap();
    let third = printed_staff_badge(store, "Format", "Trois", ALICE, BOB)
        .await
        .badge
        .unwrap()
        .number;
    assert_eq!(
        third,
        format!("SES-{}-0003", chrono::Datelike::year(&day(0)))
    );
}
on_both!(numbers_are_never_reused_when_the_format_changes);

async fn badge_lifecycle_and_replacement(db: &TestDb) {
    let store = &db.store;
    let mut req = new_request("Badge", "Life");
    req.request.zones = vec!["Bât A".into(), "Labo 3".into()];
    let created = store.create_request(req, ALICE).await.unwrap();
    let id = created.request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(1), ALICE)
        .await
        .unwrap();
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
        RequestAction::MarkPrinted,
        RequestAction::Dispatch {
            method: DispatchMethod::HandedOver,
        },
    ] {
        v = store
            .transition(id, v, action, ALICE, None)
            .await
            .unwrap()
            .request
            .version;
    }
    let badge = store.get_request(id).await.unwrap().badge.unwrap();
    // activating from the badge screen closes the request too
    let badge = store
        .badge_transition(badge.id, badge.version, BadgeAction::Activate, BOB, None)
        .await
        .unwrap();
    assert_eq!(badge.status, BadgeStatus::Active);
    assert_eq!(
        store.get_request(id).await.unwrap().request.status,
        RequestStatus::Activated
    );
    assert_eq!(store.find_badge(&badge.number).await.unwrap().id, badge.id);

    let card = store
        .set_card_serial(badge.id, badge.version, Some("04:A2:19:FF"), BOB)
        .await
        .unwrap();
    assert_eq!(card.card_serial.as_deref(), Some("04:A2:19:FF"));
    let mission_end = created.holder.details.mission_end.unwrap();
    let err = store
        .badge_transition(
            card.id,
            card.version,
            BadgeAction::Renew {
                valid_until: mission_end + chrono::Days::new(1),
            },
            BOB,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_beyond_mission_end");
    let err = store
        .badge_transition(card.id, card.version, BadgeAction::Deactivate, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let err = store
        .badge_transition(card.id, card.version, BadgeAction::Resume, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.illegal_transition");
    let opposed = store
        .badge_transition(
            card.id,
            card.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Stolen,
            },
            BOB,
            Some("stolen on the train"),
        )
        .await
        .unwrap();
    assert_eq!(opposed.status, BadgeStatus::Opposed);
    let replacement = store
        .replace_badge(
            opposed.id,
            opposed.version,
            ReplacementCause::Stolen,
            BOB,
            None,
        )
        .await
        .unwrap();
    assert_eq!(replacement.request.details.kind, RequestKind::Replacement);
    assert_eq!(replacement.request.details.zones, vec!["Bât A", "Labo 3"]);
    assert_eq!(
        replacement.request.details.previous_badge_id,
        Some(opposed.id)
    );
    assert_eq!(replacement.holder.id, created.holder.id);
    assert_eq!(
        store.get_badge(opposed.id).await.unwrap().status,
        BadgeStatus::Opposed
    );
    let exported = String::from_utf8(
        store
            .export_badges_csv(
                &sesame_store::BadgeQuery {
                    statuses: vec![BadgeStatus::Opposed],
                    ..Default::default()
                },
                sesame_store::CsvOptions {
                    delimiter: ',',
                    bom: false,
                },
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        exported.contains(&format!("{},04:A2:19:FF,opposed", badge.number)),
        "{exported}"
    );
    let stale = store
        .badge_transition(opposed.id, opposed.version, BadgeAction::Return, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(badge_lifecycle_and_replacement);

async fn a_card_moves_only_from_a_badge_that_ended(db: &TestDb) {
    let store = &db.store;
    let first = printed_staff_badge(store, "Ancien", "Paul", ALICE, BOB).await;
    let second = printed_staff_badge(store, "Nouveau", "Anne", ALICE, BOB).await;
    let first = first.badge.unwrap();
    let second = second.badge.unwrap();
    const CARD: &str = "04A224B2C35E80";
    let first = store
        .set_card_serial(first.id, first.version, Some(CARD), ALICE)
        .await
        .unwrap();
    assert_eq!(
        store.find_badge_by_card(CARD).await.unwrap().map(|b| b.id),
        Some(first.id)
    );

    // Still held by a live badge (issued, then opposed): refused, naming it.
    let refused = store
        .set_card_serial(second.id, second.version, Some(CARD), ALICE)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "badge.card_serial_taken");
    assert!(refused.to_string().contains(&first.number), "{refused}");
    let opposed = store
        .badge_transition(
            first.id,
            first.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Lost,
            },
            ALICE,
            Some("perdu"),
        )
        .await
        .unwrap();
    let refused = store
        .set_card_serial(second.id, second.version, Some(CARD), ALICE)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "badge.card_serial_taken");
    assert_eq!(store.get_badge(second.id).await.unwrap().card_serial, None);

    // Back from a badge that ended: it moves, and the old badge's history says where.
    let returned = store
        .badge_transition(
            opposed.id,
            opposed.version,
            BadgeAction::Return,
            ALICE,
            None,
        )
        .await
        .unwrap();
    let moved = store
        .set_card_serial(second.id, second.version, Some(CARD), BOB)
        .await
        .unwrap();
    assert_eq!(moved.card_serial.as_deref(), Some(CARD));
    let old = store.get_badge(returned.id).await.unwrap();
    assert_eq!(old.card_serial, None);
    assert_eq!(old.version, returned.version + 1);
    assert_eq!(
        store.find_badge_by_card(CARD).await.unwrap().map(|b| b.id),
        Some(second.id)
    );
    let history = store
        .audit_for(sesame_core::AuditEntity::Badge, &old.id.to_string())
        .await
        .unwrap();
    let released = history
        .iter()
        .find(|e| e.action == "set_card_serial" && e.operator == BOB)
        .expect("the old badge's line");
    assert_eq!(
        released.after,
        Some(serde_json::json!({ "cardSerial": null, "movedTo": second.number }))
    );
    assert_eq!(store.find_badge_by_card("FFFFFFFF").await.unwrap(), None);
}
on_both!(a_card_moves_only_from_a_badge_that_ended);
