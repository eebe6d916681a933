//! Renewals and extensions of an active badge, each test on SQLite and on PostgreSQL:
//! a renewal reuses a photo only while it is recent enough, an extension follows the
//! mission end within the category's longest validity.

use chrono::Days;
use sesame_core::{
    AttachmentKind, AuditEntity, BadgeAction, ErrorCode, MissingItem, ReplacementCause,
    RequestAction, RequestKind, RequestStatus,
};
use sesame_store::{ExtensionInput, RenewalInput};
use sesame_test_support::fixtures::{active_badge, fake_jpeg, walk};
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn renewal_reuses_a_recent_photo_only(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Renouvel", &["Bât A"], ALICE).await;
    let outcome = store
        .create_renewal(badge.id, RenewalInput::default(), ALICE)
        .await
        .unwrap();
    assert!(outcome.photo_reused);
    assert_eq!(outcome.photo_age_days, Some(0));
    let renewal = &outcome.request;
    assert_eq!(renewal.request.details.kind, RequestKind::Renewal);
    assert_eq!(renewal.holder.id, badge.holder_id);
    assert_eq!(renewal.request.details.zones, vec!["Bât A"]);
    assert_eq!(renewal.request.details.services, vec!["restaurant"]);
    assert!(renewal.missing.is_empty(), "{:?}", renewal.missing);
    let photo = renewal
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Photo)
        .unwrap();
    assert_eq!(
        store.get_attachment(photo.id).await.unwrap().bytes,
        fake_jpeg(3)
    );
    let ready = walk(store, renewal.request.id, ALICE, &[RequestAction::Evaluate]).await;
    assert_eq!(ready.request.status, RequestStatus::ReadyForReview);
    let history = store.audit_for_request(renewal.request.id).await.unwrap();
    assert!(history.iter().any(|e| e.action == "reuse_photo"));

    // the same photo, now years too old for the category: the renewal asks for a new one
    db.raw_execute(&format!(
        "UPDATE attachments SET created_at = '{}T10:00:00+00:00'",
        day(-6 * 365)
    ))
    .await
    .unwrap();
    let outcome = store
        .create_renewal(badge.id, RenewalInput::default(), ALICE)
        .await
        .unwrap();
    assert!(!outcome.photo_reused);
    assert!(outcome.photo_age_days.unwrap() > i64::from(outcome.photo_max_age_days));
    assert!(outcome.request.missing.contains(&MissingItem::Photo));
    let evaluated = walk(
        store,
        outcome.request.request.id,
        ALICE,
        &[RequestAction::Evaluate],
    )
    .await;
    assert_eq!(evaluated.request.status, RequestStatus::Incomplete);
    assert!(evaluated.missing.contains(&MissingItem::Photo));

    // an opposed badge is not renewed (it is replaced)
    let current = store.get_badge(badge.id).await.unwrap();
    let opposed = store
        .badge_transition(
            current.id,
            current.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Damaged,
            },
            ALICE,
            Some("broken"),
        )
        .await
        .unwrap();
    let err = store
        .create_renewal(opposed.id, RenewalInput::default(), ALICE)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "renewal.badge_not_renewable");
}
on_both!(renewal_reuses_a_recent_photo_only);

async fn extension_follows_the_mission_within_the_category(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Prolonge", &[], ALICE).await;
    let holder = store.get_holder(badge.holder_id).await.unwrap();
    assert_eq!(badge.valid_until, holder.details.mission_end.unwrap());
    let new_end = day(600);
    let extended = store
        .extend_badge(
            badge.id,
            badge.version,
            ExtensionInput {
                mission_end: Some(new_end),
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(extended.valid_until, new_end);
    assert_eq!(
        store
            .get_holder(holder.id)
            .await
            .unwrap()
            .details
            .mission_end,
        Some(new_end)
    );
    // never beyond the mission end: refused, and the mission end stays as it was
    let err = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: None,
                valid_until: Some(new_end + Days::new(1)),
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_beyond_mission_end");
    // nor beyond the category's longest validity
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].max_validity_days = 700;
    store.set_policy(&policy, ALICE).await.unwrap();
    let err = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: Some(day(900)),
                valid_until: Some(day(800)),
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_too_long");
    assert_eq!(
        store
            .get_holder(holder.id)
            .await
            .unwrap()
            .details
            .mission_end,
        Some(new_end),
        "a refused extension records nothing"
    );
    let capped = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: Some(day(900)),
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(capped.valid_until, day(699));
    let history = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    assert_eq!(history.iter().filter(|e| e.action == "renew").count(), 2);
    let stale = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: None,
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(extension_follows_the_mission_within_the_category);
