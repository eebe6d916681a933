//! Visitors' day passes on a real SQLite desk: the notice they need, and the visitors
//! expected on a chosen day. Dates are written relative to the pinned day.

use sesame_core::{ErrorCode, RequestDetails, RequestKind};
use sesame_service::{create_day_pass, visitors_of_day, NewRequest, VisitorsDayInput};
use sesame_test_support::day;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{day_pass_request, visitor};

async fn visitors_on(desk: &TestDesk, day: chrono::NaiveDate) -> Vec<sesame_service::VisitorRow> {
    visitors_of_day(desk, VisitorsDayInput { day: Some(day) })
        .await
        .unwrap()
}

#[tokio::test]
async fn day_passes_need_notice_and_are_listed_on_their_day() {
    let desk = TestDesk::sqlite().await;
    // Asked for as a new badge: the desk makes it a day pass.
    let asked_for = |first| NewRequest {
        holder_id: None,
        holder: visitor("Visite", "Zoé"),
        request: RequestDetails {
            wanted_from: Some(first),
            wanted_until: Some(first),
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    let err = create_day_pass(&desk, asked_for(day(0))).await.unwrap_err();
    assert_eq!(err.code(), "day_pass.too_late");
    let pass = create_day_pass(&desk, asked_for(day(5))).await.unwrap();
    assert_eq!(pass.request.details.kind, RequestKind::DayPass);
    assert!(visitors_of_day(&desk, VisitorsDayInput::default())
        .await
        .unwrap()
        .is_empty());
    let listed = visitors_on(&desk, day(5)).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].family_name, "Visite");
}

#[tokio::test]
async fn visitors_of_a_chosen_day_are_the_day_passes_covering_it() {
    let desk = TestDesk::sqlite().await;
    let (first, last) = (day(3), day(4));
    create_day_pass(
        &desk,
        day_pass_request(visitor("Leroy", "Zoé"), first, last),
    )
    .await
    .unwrap();
    for (day, expected) in [(first, 1), (last, 1), (day(5), 0)] {
        assert_eq!(visitors_on(&desk, day).await.len(), expected, "{day}");
    }
    let visitors = visitors_on(&desk, first).await;
    assert_eq!(visitors[0].family_name, "Leroy");
    assert_eq!(visitors[0].first_day, first);
    // No day: today at the desk, when nobody is expected.
    assert!(visitors_of_day(&desk, VisitorsDayInput::default())
        .await
        .unwrap()
        .is_empty());
}
