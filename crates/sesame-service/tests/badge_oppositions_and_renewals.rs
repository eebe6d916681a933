//! A badge's changes after printing, on a real SQLite desk: a lost or stolen badge is
//! opposed (a replacement opened) and found again, a renewal reuses the recent photo,
//! an extension follows the mission's new end.

use sesame_core::{BadgeStatus, ErrorCode, ReplacementCause, RequestStatus};
use sesame_service::{
    declare_opposition, extend_badge, get_request, lift_opposition, renew_badge, BadgeId,
    DeclareOppositionInput, ExtendBadgeInput, LiftOppositionInput, RenewBadgeInput,
};
use sesame_test_support::day;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::new_request;

#[tokio::test]
async fn opposition_is_declared_and_lifted_by_a_supervisor() {
    let desk = TestDesk::sqlite().await;
    let badge = desk.active_badge(new_request("Vol", "Zoé")).await;
    let outcome = declare_opposition(
        &desk,
        DeclareOppositionInput {
            badge_id: badge.id.into(),
            expected_version: badge.version,
            cause: ReplacementCause::Stolen,
            occurred_on: day(0),
            circumstances: "stolen from a locker".into(),
            temporary_badge: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.badge.status, BadgeStatus::Opposed);
    assert_eq!(outcome.replacement.request.details.zones, vec!["Bât A"]);
    // the desk's first operator is its supervisor
    let badge = lift_opposition(
        &desk,
        LiftOppositionInput {
            badge_id: badge.id.into(),
            expected_version: outcome.badge.version,
            reason: "returned by security".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(badge.status, BadgeStatus::Active);
    let replacement = get_request(&desk, outcome.replacement.request.id.into())
        .await
        .unwrap();
    assert_eq!(replacement.request.status, RequestStatus::Cancelled);
}

#[tokio::test]
async fn a_renewal_reuses_the_photo_and_an_extension_follows_the_mission() {
    let desk = TestDesk::sqlite().await;
    let badge = desk.active_badge(new_request("Renouvel", "Zoé")).await;
    let renewal = renew_badge(
        &desk,
        RenewBadgeInput {
            badge_id: badge.id.into(),
            wanted_until: None,
            notes: None,
        },
    )
    .await
    .unwrap();
    assert!(renewal.photo_reused);
    assert!(
        renewal.request.missing.is_empty(),
        "{:?}",
        renewal.request.missing
    );

    let mission_end = day(500);
    let extended = extend_badge(
        &desk,
        ExtendBadgeInput {
            badge_id: badge.id.into(),
            expected_version: badge.version,
            mission_end: Some(mission_end),
            valid_until: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(extended.valid_until, mission_end);
    // The badge screen's text becomes an id where it is parsed.
    let err = "not-an-id".parse::<BadgeId>().unwrap_err();
    assert_eq!(err.code(), "request.bad_id");
}
