//! `sesamectl visit`: the day's visitors with their host, arrival and departure on
//! the day of the pass, and the refused visitors' list.

use sesame_service::VisitHost;
use sesame_test_support::cli::Sesamectl;
use sesame_test_support::day;
use sesame_test_support::fixtures::{day_pass_request, visitor};

#[tokio::test]
async fn a_visitor_is_listed_arrives_and_leaves_and_the_refused_list_is_kept() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    let pass = store
        .create_request(
            day_pass_request(visitor("Leroy", "Zoé"), day(3), day(3)),
            "alice",
        )
        .await
        .unwrap();
    let id = pass.request.id.to_string();
    let host = VisitHost {
        name: "Anne Martin".into(),
        email: None,
    };
    store
        .set_visit_host(pass.request.id, Some(&host), "alice")
        .await
        .unwrap();
    store.close().await;

    let listed = site.run(&["visit", "list", "--day", &day(3).to_string()]);
    listed.assert_success();
    assert!(
        listed
            .stdout()
            .contains(&format!("{id}\tZoé Leroy\thost: Anne Martin\texpected")),
        "{}",
        listed.stdout()
    );
    let early = site.run(&["visit", "in", &id]);
    early.assert_exit(2);
    assert!(
        early.stderr().contains("visit.not_expected"),
        "{}",
        early.stderr()
    );
    let arrived = site.run_on(day(3), &["visit", "in", &id]);
    arrived.assert_success();
    assert!(arrived.stdout().contains(&format!("arrived on {}", day(3))));
    let left = site.run_on(day(3), &["visit", "out", &id, "--badge-not-returned"]);
    left.assert_success();
    assert!(
        left.stdout().contains("badge not back"),
        "{}",
        left.stdout()
    );

    let refused = site.run(&[
        "visit",
        "refuse",
        "--family-name",
        "Indésirable",
        "--given-names",
        "Jean",
        "--reason",
        "interdit de site",
    ]);
    refused.assert_success();
    let list = site.run(&["visit", "refused", "--json"]);
    let entries = list.json();
    assert_eq!(entries.as_array().unwrap().len(), 1);
    let entry_id = entries[0]["id"].as_str().unwrap().to_owned();
    site.run(&["visit", "unrefuse", &entry_id]).assert_success();
    assert!(site.run(&["visit", "refused"]).stdout().trim().is_empty());
}
