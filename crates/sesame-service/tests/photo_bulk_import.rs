//! Photos imported in bulk: a folder of photos named after their holders, or a list
//! naming each holder's file; each photo checked, cropped and saved only when nothing
//! needs the operator (scripts/fetch-test-photos.sh, scripts/fetch-portraits.sh).

use sesame_core::{AttachmentKind, HolderDetails};
use sesame_service::{
    get_request, import_request_photo, plan_photo_import, BulkPhotoInput, BulkPhotoOutcome,
    CheckId, FileBytes, HolderKey, PhotoImportPlanInput, RequestId,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder, request_for, test_photo};
use sesame_test_support::portraits::acceptable_portrait_jpeg;

fn with_hr_id(family: &str, given: &str, hr_id: &str) -> HolderDetails {
    HolderDetails {
        external_id: Some(hr_id.to_owned()),
        ..holder(family, given)
    }
}

async fn photo_of(desk: &TestDesk, id: RequestId) -> bool {
    get_request(desk, id)
        .await
        .unwrap()
        .attachments
        .iter()
        .any(|a| a.kind == AttachmentKind::Photo)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_photo_goes_to_its_holder_or_is_reported_with_why() {
    let desk = TestDesk::sqlite().await;
    let filippo = desk
        .registered(request_for(with_hr_id("Giunchedi", "Filippo", "A100")))
        .await;
    let eileen = desk
        .registered(request_for(with_hr_id("Collins", "Eileen", "A200")))
        .await;
    let cat_owner = desk
        .registered(request_for(with_hr_id("Chat", "Chelsea", "A300")))
        .await;
    // Two requests under way for one holder: the desk chooses.
    desk.registered(request_for(with_hr_id("Double", "Dora", "A400")))
        .await;
    desk.registered(request_for(with_hr_id("Double", "Dora", "A400")))
        .await;

    let files = [
        ("A100.jpg", acceptable_portrait_jpeg()),
        (
            "A200.png",
            std::fs::read(test_photo("astronaut.png")).unwrap(),
        ),
        (
            "A300.png",
            std::fs::read(test_photo("chelsea.png")).unwrap(),
        ),
        ("A400.jpg", acceptable_portrait_jpeg()),
        ("Z999.jpg", acceptable_portrait_jpeg()),
    ];
    let plan = plan_photo_import(
        &desk,
        PhotoImportPlanInput {
            key: HolderKey::HrId,
            list: None,
            file_names: files.iter().map(|(n, _)| n.to_string()).collect(),
        },
    )
    .await
    .unwrap();
    assert_eq!(plan.photos.len(), 5);
    assert_eq!(plan.photos[0].key, "A100");

    let mut rows = Vec::new();
    for (photo, (_, bytes)) in plan.photos.iter().zip(&files) {
        rows.push(
            import_request_photo(
                &desk,
                BulkPhotoInput {
                    file_name: photo.file_name.clone(),
                    key: photo.key.clone(),
                    key_kind: HolderKey::HrId,
                    image: FileBytes::from(bytes.clone()),
                    dry_run: false,
                },
            )
            .await
            .unwrap(),
        );
    }
    let outcome = |i: usize| (rows[i].outcome, rows[i].code.as_deref());
    assert_eq!(outcome(0), (BulkPhotoOutcome::Saved, None), "{:?}", rows[0]);
    assert_eq!(rows[0].request_id, Some(filippo));
    assert_eq!(rows[0].holder.as_deref(), Some("GIUNCHEDI Filippo"));
    assert_eq!(
        outcome(1),
        (
            BulkPhotoOutcome::NeedsDesk,
            Some("photo.override_reason_required")
        ),
        "a smile is for the operator to judge: {:?}",
        rows[1]
    );
    assert!(
        rows[1].checks.contains(&CheckId::Expression)
            || rows[1].checks.contains(&CheckId::MouthClosed)
    );
    assert_eq!(
        outcome(2),
        (BulkPhotoOutcome::Refused, Some("photo.refused"))
    );
    assert_eq!(rows[2].checks, vec![CheckId::FaceCount]);
    assert_eq!(
        outcome(3),
        (
            BulkPhotoOutcome::NeedsDesk,
            Some("photo.several_open_requests")
        )
    );
    assert_eq!(
        outcome(4),
        (BulkPhotoOutcome::Refused, Some("photo.no_open_request"))
    );

    // Only the photo nothing stopped was saved.
    assert!(photo_of(&desk, filippo).await);
    assert!(!photo_of(&desk, eileen).await);
    assert!(!photo_of(&desk, cat_owner).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_names_each_holders_file_and_a_dry_run_saves_nothing() {
    let desk = TestDesk::sqlite().await;
    let zoe = desk
        .registered(request_for(HolderDetails {
            email: Some("zoe.dupont@univ.example".into()),
            ..holder("Dupont", "Zoé")
        }))
        .await;
    let list = "Courriel;Photo\nzoe.dupont@univ.example;portrait-1.jpg\nleo@univ.example;absent.jpg\n;portrait-2.jpg\n";
    let plan = plan_photo_import(
        &desk,
        PhotoImportPlanInput {
            key: HolderKey::Email,
            list: Some(FileBytes::from(list.as_bytes())),
            file_names: vec!["portrait-1.jpg".into(), "extra.jpg".into()],
        },
    )
    .await
    .unwrap();
    assert_eq!(plan.photos.len(), 1);
    assert_eq!(plan.photos[0].key, "zoe.dupont@univ.example");
    assert_eq!(plan.missing_files, vec!["absent.jpg"]);
    assert_eq!(plan.unlisted_files, vec!["extra.jpg"]);
    assert_eq!(plan.refused_rows.len(), 1, "the row with no holder");

    let row = import_request_photo(
        &desk,
        BulkPhotoInput {
            file_name: plan.photos[0].file_name.clone(),
            key: plan.photos[0].key.clone(),
            key_kind: HolderKey::Email,
            image: acceptable_portrait_jpeg().into(),
            dry_run: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(row.outcome, BulkPhotoOutcome::Accepted, "{row:?}");
    assert!(!photo_of(&desk, zoe).await, "a dry run saves nothing");

    // By name, in any order, accents and case ignored.
    let by_name = import_request_photo(
        &desk,
        BulkPhotoInput {
            file_name: "ZOE_DUPONT.jpg".into(),
            key: "ZOE DUPONT".into(),
            key_kind: HolderKey::Name,
            image: acceptable_portrait_jpeg().into(),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(by_name.outcome, BulkPhotoOutcome::Saved, "{by_name:?}");
    assert!(photo_of(&desk, zoe).await);
}
