//! Printed badges leave the office with their dispatch list, holders activate them,
//! and the follow-up list shows those still waiting; on a real SQLite desk.

use sesame_core::{BadgeStatus, DispatchMethod, ErrorCode, HolderDetails, RequestStatus};
use sesame_service::{
    dispatch_badges, get_request, not_activated_badges, record_activations, DispatchInput, Locale,
    RequestId, PRINT_DIR_ENV,
};
use sesame_test_support::day;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};
use sesame_test_support::pdf;

/// A printed badge of the optics lab; returns its request and number.
async fn printed(desk: &TestDesk, family: &str) -> (RequestId, String) {
    let holder = HolderDetails {
        unit: Some("Laboratoire d’optique".into()),
        ..holder_with_email(family, "Zoé", None)
    };
    let detail = desk.printed(request_for(holder)).await;
    (detail.request.id.into(), detail.badge.unwrap().number)
}

fn dispatch(ids: Vec<RequestId>, method: DispatchMethod, locale: Locale) -> DispatchInput {
    DispatchInput {
        request_ids: ids,
        method,
        locale,
    }
}

#[tokio::test]
async fn dispatch_writes_the_list_then_activation_closes_the_follow_up() {
    let desk = TestDesk::sqlite().await;
    let prints = desk.file("prints");
    // The only test in this process: the print folder is process-wide.
    std::env::set_var(PRINT_DIR_ENV, &prints);
    let (a, na) = printed(&desk, "Œuvray").await;
    let (b, nb) = printed(&desk, "Nguyễn").await;

    let err = dispatch_badges(
        &desk,
        dispatch(vec![], DispatchMethod::InternalMail, Locale::Fr),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "lifecycle.nothing_selected");
    // The ids the operator selected are parsed where the text comes in.
    let err = "not-an-id".parse::<RequestId>().unwrap_err();
    assert_eq!(err.code(), "request.bad_id");

    let run = dispatch_badges(
        &desk,
        dispatch(vec![a, b], DispatchMethod::InternalMail, Locale::Fr),
    )
    .await
    .unwrap();
    assert_eq!(run.dispatched.len(), 2);
    assert!(run.skipped.is_empty());
    assert!(
        run.list.path.starts_with(prints.to_str().unwrap()),
        "{}",
        run.list.path
    );
    assert!(
        run.list.path.contains("bordereau-envoi"),
        "{}",
        run.list.path
    );
    assert_eq!(
        std::fs::metadata(&run.list.path).unwrap().len(),
        run.list.bytes
    );
    let text = pdf::text(&run.list.path);
    for expected in [
        "ŒUVRAY Zoé",
        "NGUYỄN Zoé",
        "Laboratoire d’optique",
        na.as_str(),
        nb.as_str(),
        "courrier interne",
        &run.batch.to_string(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let status = get_request(&desk, a).await.unwrap().request.status;
    assert_eq!(status, RequestStatus::Dispatched);

    // Nothing left to dispatch: an error, and no new file.
    let err = dispatch_badges(
        &desk,
        dispatch(vec![a], DispatchMethod::HandedOver, Locale::En),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "dispatch.nothing_to_dispatch");
    assert_eq!(std::fs::read_dir(&prints).unwrap().count(), 1);

    // Follow-up: today nothing is late; the explicit delay is checked; two weeks on,
    // both are.
    assert!(not_activated_badges(&desk, None).await.unwrap().is_empty());
    assert_eq!(
        not_activated_badges(&desk, Some(0))
            .await
            .unwrap_err()
            .code(),
        "lifecycle.invalid_days"
    );
    let two_weeks_on = desk.desk_on(day(14)).await;
    assert_eq!(
        not_activated_badges(&two_weeks_on, None)
            .await
            .unwrap()
            .len(),
        2
    );

    // The holder of a activates; unknown numbers and repeats are reported.
    let outcome = record_activations(&desk, vec![na.clone(), "B999999".into(), na.clone()])
        .await
        .unwrap();
    assert_eq!(outcome.changed.len(), 1);
    assert_eq!(outcome.changed[0].badge.status, BadgeStatus::Active);
    let codes: Vec<&str> = outcome.skipped.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, vec!["store.not_found", "badge.illegal_transition"]);
    assert_eq!(
        get_request(&desk, a).await.unwrap().request.status,
        RequestStatus::Activated
    );
    let late = not_activated_badges(&two_weeks_on, None).await.unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].request_id, b.0);
}
