//! Names are data, never markup, on every screen that shows one: a holder named like
//! a script appears as typed in the queue, the request panel, the print station and
//! the badges screen, and nothing of it runs (Svelte's escaping
//! and the CSP). The test can fail: each screen must show the payload's text.

use sesame_store::Store;
use sesame_test_support::fixtures;

use crate::harness::AppSession;

const PAYLOAD: &str = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

/// Whether anything of the payload ran or became an element, anywhere in the page.
async fn assert_inert(app: &AppSession, screen: &str) {
    let state = app
        .client
        .execute(
            "return { pwned: window.__pwned ?? null, imgs: document.querySelectorAll('img[src=x], script:not([src])').length }",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(state["pwned"], serde_json::Value::Null, "{screen}: {state}");
    assert_eq!(state["imgs"], 0, "{screen}: {state}");
}

/// The payload's text is in `css`, as typed (family names are shown in capitals).
async fn assert_shown_as_text(app: &AppSession, css: &str, screen: &str) {
    let text = app.wait_for_text(css, "Mallory").await;
    assert!(
        text.to_uppercase()
            .contains("<IMG SRC=X ONERROR=\"WINDOW.__PWNED=1\">"),
        "{screen} does not show the name as typed: {text}"
    );
    assert_inert(app, screen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_name_is_text_on_every_screen_that_shows_it() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let photo = fixtures::photo_jpeg(7);
    fixtures::approved_request(
        &store,
        fixtures::new_request(PAYLOAD, "Mallory"),
        &photo,
        "e2e",
        "e2e",
    )
    .await;
    fixtures::printed_badge(
        &store,
        fixtures::new_request(&format!("{PAYLOAD} Bis"), "Mallory"),
        &photo,
        "e2e",
        "e2e",
    )
    .await;
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    assert_shown_as_text(&app, "[data-testid=queue-table]", "the queue").await;

    app.click("[data-testid=queue-row] td.holder button").await;
    assert_shown_as_text(&app, "[data-testid=request-panel]", "the request panel").await;

    app.click("[data-testid=nav-print]").await;
    assert_shown_as_text(&app, "[data-testid=print-rows]", "the print station").await;

    app.click("[data-testid=nav-badges]").await;
    app.click("#badges-tab-dispatch").await;
    assert_shown_as_text(&app, "[data-testid=dispatch-tab]", "the badges screen").await;
    app.screenshot("hostile-name-badges").await;
    app.close().await;
}
