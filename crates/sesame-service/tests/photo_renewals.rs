//! A renewal's new photo beside the previous badge's, the operator's confirmation that
//! it is the same person, and the request's previous photos, on a real SQLite desk
//! with the real face models (scripts/fetch-portraits.sh).

use sesame_core::{AttachmentKind, ErrorCode};
use sesame_service::{
    check_photo_bytes, compare_with_previous_photo, renew_badge, restore_request_photo,
    save_request_photo, PhotoCheckInput, PhotoComparisonInput, RenewBadgeInput, RestorePhotoInput,
    SavePhotoInput,
};
use sesame_test_support::desk::{walk, TestDesk, TO_ACTIVATION};
use sesame_test_support::fixtures::{self, new_request};
use sesame_test_support::portraits::acceptable_portrait_jpeg;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_photo_is_saved_once_the_operator_confirms_the_same_person() {
    let desk = TestDesk::sqlite().await;
    // A badge printed with the holder's portrait, then activated.
    let portrait = acceptable_portrait_jpeg();
    let approved = desk
        .approved_with_photo(new_request("Giunchedi", "Filippo"), &portrait)
        .await;
    let store = desk.store().await;
    fixtures::print(&store, approved.request.id, &desk.operator().unwrap()).await;
    store.close().await;
    let badge = walk(&desk, approved.request.id, &TO_ACTIVATION)
        .await
        .badge
        .expect("an active badge");

    // The renewal reuses the recent photo; the operator takes a new one anyway.
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
    let id = renewal.request.request.id;
    let reused = renewal
        .request
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Photo)
        .map(|a| a.id);
    let new = check_photo_bytes(
        &desk,
        PhotoCheckInput {
            image: portrait.clone().into(),
            rules: None,
        },
    )
    .await
    .unwrap();
    let cropped = new.cropped_jpeg_base64.clone().unwrap();

    // Beside the new photo: the previous badge's, and the descriptor's hint.
    let shown = compare_with_previous_photo(
        &desk,
        PhotoComparisonInput {
            request_id: id.into(),
            jpeg_base64: cropped.clone(),
        },
    )
    .await
    .unwrap()
    .expect("a renewal shows the previous badge's photo");
    assert_eq!(shown.previous.badge_number, badge.number);
    let comparison = shown.comparison.expect("a face on both photos");
    assert!(
        comparison.same_person_likely,
        "the same portrait: {}",
        comparison.distance
    );
    assert!(!comparison.hint.fr.is_empty() && !comparison.hint.en.is_empty());

    let input = |confirmed: bool| SavePhotoInput {
        request_id: id.into(),
        jpeg_base64: cropped.clone(),
        edits: new.edits.clone().unwrap(),
        override_reason: None,
        same_person_confirmed: confirmed,
    };
    let err = save_request_photo(&desk, input(false)).await.unwrap_err();
    assert_eq!(err.code(), "photo.same_person_unconfirmed", "{err}");
    let saved = save_request_photo(&desk, input(true)).await.unwrap();

    // The reused photo is kept as a previous photo and can be made current again.
    let previous = saved
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::PreviousPhoto)
        .expect("the replaced photo is kept");
    if let Some(reused) = reused {
        assert_eq!(previous.id, reused);
    }
    let restored = restore_request_photo(
        &desk,
        RestorePhotoInput {
            request_id: id.into(),
            attachment_id: previous.id.into(),
            expected_version: saved.request.version,
        },
    )
    .await
    .unwrap();
    let current = restored
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Photo)
        .unwrap();
    assert_eq!(current.id, previous.id);
    assert!(restored.request.photo_certified.is_none());

    // A new badge's request has no previous badge photo to compare with.
    assert!(compare_with_previous_photo(
        &desk,
        PhotoComparisonInput {
            request_id: approved.request.id.into(),
            jpeg_base64: cropped,
        },
    )
    .await
    .unwrap()
    .is_none());
}
