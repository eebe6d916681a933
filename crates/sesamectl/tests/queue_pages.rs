//! `sesamectl requests list` pages the queue by cursor or by position: a script can
//! read the end of a long queue without walking it.

use sesame_test_support::cli::Sesamectl;
use sesame_test_support::fixtures::new_request;

fn names(json: &str) -> Vec<String> {
    let page: serde_json::Value = serde_json::from_str(json).unwrap();
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["familyName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_page_is_read_at_a_position_as_by_its_cursor() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    for name in ["Ada", "Bea", "Cyd", "Dan", "Eve", "Fox", "Gus"] {
        store
            .create_request(new_request(name, "Test"), "clerk")
            .await
            .unwrap();
    }
    store.close().await;

    let by_name = [
        "requests", "list", "--sort", "name", "--limit", "3", "--json",
    ];
    let first = site.run(&by_name);
    first.assert_success();
    assert_eq!(names(&first.stdout()), ["Ada", "Bea", "Cyd"]);

    let at = |start: &str| {
        let out = site.run(&[&by_name[..], &["--start", start]].concat());
        out.assert_success();
        names(&out.stdout())
    };
    assert_eq!(at("3"), ["Dan", "Eve", "Fox"]);
    assert_eq!(at("5"), ["Fox", "Gus"]);
    assert!(at("7").is_empty(), "past the end: an empty page");

    // The same page by the first page's cursor.
    let cursor = serde_json::from_str::<serde_json::Value>(&first.stdout()).unwrap()["nextCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = site.run(&[&by_name[..], &["--cursor", &cursor]].concat());
    next.assert_success();
    assert_eq!(names(&next.stdout()), ["Dan", "Eve", "Fox"]);

    let both = site.run(&[&by_name[..], &["--cursor", &cursor, "--start", "3"]].concat());
    assert!(
        !both.output.status.success(),
        "a cursor and a position together"
    );
}
