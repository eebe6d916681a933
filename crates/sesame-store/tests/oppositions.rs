//! Oppositions, each test on SQLite and on PostgreSQL: declaring one (with a temporary
//! badge), the replacement request whose carried-over accreditations must be confirmed,
//! and lifting it, which cancels the replacement.

use sesame_core::{
    AttachmentKind, AuditEntity, BadgeStatus, ErrorCode, ReplacementCause, RequestAction,
    RequestKind, RequestStatus,
};
use sesame_store::OppositionInput;
use sesame_test_support::fixtures::{active_badge, fake_jpeg, walk};
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn opposition_replaces_with_confirmed_accreditations(db: &TestDb) {
    let store = &db.store;
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].temporary_badge_days = 10; // staff
    store.set_policy(&policy, ALICE).await.unwrap();
    let badge = active_badge(store, "Perdu", &["Bât A", "Labo 3"], ALICE).await;

    // a date in the future is refused and nothing changes
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(1),
                circumstances: "tomorrow".into(),
                temporary_badge: false,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.date_in_future");
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(0),
                circumstances: "   ".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Active
    );
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM oppositions").await, 0);

    let outcome = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(-1),
                circumstances: "bag stolen on the tram".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap();
    assert_eq!(outcome.badge.status, BadgeStatus::Opposed);
    assert_eq!(
        outcome.badge.status_reason.as_deref(),
        Some("bag stolen on the tram")
    );
    let replacement = &outcome.replacement;
    assert_eq!(replacement.request.details.kind, RequestKind::Replacement);
    assert_eq!(replacement.request.details.zones, vec!["Bât A", "Labo 3"]);
    assert_eq!(replacement.request.details.services, vec!["restaurant"]);
    assert_eq!(
        replacement.request.details.previous_badge_id,
        Some(badge.id)
    );
    assert_eq!(
        replacement.request.details.replacement_cause,
        Some(ReplacementCause::Stolen)
    );
    assert!(replacement
        .request
        .details
        .notes
        .as_deref()
        .unwrap()
        .contains("bag stolen on the tram"));
    let temporary = outcome.temporary_badge.clone().unwrap();
    assert_eq!(temporary.status, BadgeStatus::Active);
    assert_ne!(temporary.number, badge.number);
    assert_eq!(temporary.zones, badge.zones);
    assert_eq!(temporary.valid_from, day(0));
    assert_eq!(temporary.valid_until, day(9));
    assert_eq!(outcome.opposition.temporary_badge_id, Some(temporary.id));
    assert_eq!(store.oppositions(badge.id).await.unwrap().len(), 1);
    let badge_history: Vec<String> = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        badge_history.contains(&"oppose".to_owned()),
        "{badge_history:?}"
    );
    assert!(badge_history.contains(&"declare_opposition".to_owned()));

    // the carried-over list must be confirmed before approval
    let id = replacement.request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    let current = walk(
        store,
        id,
        ALICE,
        &[
            RequestAction::RecordImageRightsConsent,
            RequestAction::CertifyPhoto,
            RequestAction::Evaluate,
        ],
    )
    .await;
    assert_eq!(current.request.status, RequestStatus::ReadyForReview);
    let err = store
        .transition(
            id,
            current.request.version,
            RequestAction::Approve,
            BOB,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "replacement.unconfirmed");
    let carried = store.carried_over(id).await.unwrap();
    assert_eq!(carried.previous_badge_number, badge.number);
    assert_eq!(carried.old_zones, vec!["Bât A", "Labo 3"]);
    assert!(carried.confirmed.is_none());
    let err = store
        .confirm_carried_over(
            id,
            current.request.version,
            vec!["Bât Z".into()],
            vec![],
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "replacement.not_carried_over");
    let confirmed = store
        .confirm_carried_over(
            id,
            current.request.version,
            vec!["Labo 3".into()],
            vec!["restaurant".into()],
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(confirmed.request.details.zones, vec!["Labo 3"]);
    assert_eq!(
        store
            .carried_over(id)
            .await
            .unwrap()
            .confirmed
            .map(|s| s.by),
        Some(BOB.to_owned())
    );
    let printed = walk(
        store,
        confirmed.request.id,
        ALICE,
        &[RequestAction::Approve, RequestAction::MarkPrinted],
    )
    .await;
    let new_badge = printed.badge.unwrap();
    assert_ne!(
        new_badge.number, badge.number,
        "a replacement gets a new number"
    );
    assert_ne!(new_badge.number, temporary.number);
    assert_eq!(new_badge.zones, vec!["Labo 3"]);
    // once the new card exists, the opposition can no longer be lifted
    let old = store.get_badge(badge.id).await.unwrap();
    let err = store
        .lift_opposition(old.id, old.version, "found it", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.replacement_printed");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Opposed
    );
}
on_both!(opposition_replaces_with_confirmed_accreditations);

async fn lifting_an_opposition_cancels_the_replacement(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Retrouve", &["Bât A"], ALICE).await;
    // staff offers no temporary badge by default
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.no_temporary_badge");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Active
    );
    let outcome = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost at lunch".into(),
                temporary_badge: false,
            },
            ALICE,
        )
        .await
        .unwrap();
    let err = store
        .lift_opposition(badge.id, outcome.badge.version, " ", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let lifted = store
        .lift_opposition(badge.id, outcome.badge.version, "found in the canteen", BOB)
        .await
        .unwrap();
    assert_eq!(lifted.status, BadgeStatus::Active);
    let replacement = store
        .get_request(outcome.replacement.request.id)
        .await
        .unwrap();
    assert_eq!(replacement.request.status, RequestStatus::Cancelled);
    assert!(replacement
        .request
        .status_reason
        .unwrap()
        .contains("found in the canteen"));
    let oppositions = store.oppositions(badge.id).await.unwrap();
    assert_eq!(
        oppositions[0].lifted.as_ref().map(|s| s.by.as_str()),
        Some(BOB)
    );
    let history = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    let lift = history
        .iter()
        .find(|e| e.action == "lift_opposition")
        .unwrap();
    assert_eq!(lift.reason.as_deref(), Some("found in the canteen"));
    // an active badge has nothing to lift
    let err = store
        .lift_opposition(badge.id, lifted.version, "again", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.illegal_transition");
}
on_both!(lifting_an_opposition_cancels_the_replacement);
