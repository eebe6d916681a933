//! The reception on the real app: today's visitor, expected with their host, is
//! checked in then out without the badge back, as Badges › Day passes shows; a
//! supervisor puts someone on the refused visitors' list.

use sesame_core::RequestDetails;
use sesame_service::{NewRequest, VisitHost};
use sesame_store::Store;
use sesame_test_support::fixtures::visitor;

use crate::harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todays_visitor_arrives_and_leaves_and_a_refusal_is_listed() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    // A pass for today, on the same clock as the app: registered without notice.
    let mut policy = store.policy().await.unwrap();
    for category in &mut policy.categories {
        category.day_pass_notice_hours = 0;
    }
    store.set_policy(&policy, "e2e").await.unwrap();
    let today = store.clock().today();
    let pass = store
        .create_request(
            NewRequest {
                holder_id: None,
                holder: visitor("Leroy", "Zoé"),
                request: RequestDetails {
                    wanted_from: Some(today),
                    wanted_until: Some(today),
                    ..RequestDetails::new(sesame_core::RequestKind::DayPass)
                },
            },
            "e2e",
        )
        .await
        .unwrap();
    let id = pass.request.id;
    store
        .set_visit_host(
            id,
            Some(&VisitHost {
                name: "Anne Martin".into(),
                email: None,
            }),
            "e2e",
        )
        .await
        .unwrap();
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.click("[data-testid=nav-badges]").await;
    app.click("[data-testid=badges-tab-dayPasses]").await;
    app.wait_for_text(&format!("[data-testid=visitor-host-{id}]"), "Anne Martin")
        .await;
    app.wait_for_text(
        &format!("[data-testid=visitor-state-{id}]"),
        "Pas encore arrivé",
    )
    .await;
    app.click(&format!("[data-testid=visitor-check-in-{id}]"))
        .await;
    app.wait_for_text("[data-testid=visitor-notice]", "Arrivée de")
        .await;
    app.wait_for_text(&format!("[data-testid=visitor-state-{id}]"), "Arrivée à")
        .await;
    app.click(&format!("[data-testid=visitor-badge-returned-{id}]"))
        .await;
    app.click(&format!("[data-testid=visitor-check-out-{id}]"))
        .await;
    app.wait_for_text(
        &format!("[data-testid=visitor-state-{id}]"),
        "badge non rendu",
    )
    .await;
    app.screenshot("visitors-reception").await;

    app.click("[data-testid=badges-tab-refused]").await;
    app.type_into("[data-testid=refused-family-name]", "Indésirable")
        .await;
    app.type_into("[data-testid=refused-given-names]", "Jean")
        .await;
    app.type_into("[data-testid=refused-reason]", "interdit de site")
        .await;
    app.click("[data-testid=refused-add]").await;
    app.wait_for_text("[data-testid=refused-visitor]", "INDÉSIRABLE Jean")
        .await;
    app.close().await;

    let store = Store::open(&url).await.unwrap();
    let listed = store.expected_visitors(today).await.unwrap();
    let visit = listed[0].visit.as_ref().expect("the visit");
    assert!(visit.checked_out_at.is_some());
    assert_eq!(visit.badge_returned, Some(false));
    assert!(store
        .find_refused_visitor("INDESIRABLE", "jean")
        .await
        .unwrap()
        .is_some());
    store.close().await;
}
