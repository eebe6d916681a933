//! End-to-end tests of the assembled app: the real binary (UI embedded, built
//! with `--features embed-ui`), its real window under Xvfb, driven through
//! tauri-driver + WebKitWebDriver by fantoccini, on a real SQLite file.

mod big_queue;
mod harness;
mod journey;
mod photo;
mod print;

use harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_starts_on_the_queue_in_french_and_reports_its_database() {
    let app = AppSession::start().await;

    // The queue screen is the first screen, in French by default.
    let heading = app.wait_for("[data-testid=queue-screen] h1").await;
    assert_eq!(heading.text().await.unwrap(), "File des demandes");

    // app_info went through the real backend: it names the SQLite file the
    // desk created in this session's private data directory.
    let database = app
        .wait_for_text("[data-testid=status-database]", "sesame.sqlite3")
        .await;
    assert!(
        database.contains(&app.data_dir.display().to_string()),
        "status bar shows {database:?}, expected the session's data dir"
    );
    assert!(
        app.data_dir.join("sesame.sqlite3").is_file(),
        "the SQLite database was not created on first start"
    );

    let shot = app.screenshot("queue-fr").await;
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "blank screenshot?"
    );
    app.close().await;
}

/// The intake form's save goes through `create_request` into the SQLite file:
/// the row shows in the queue, is in the database when read back by the store
/// itself, and is still there after the app restarts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_saved_in_the_form_reaches_the_database_and_survives_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    let app = AppSession::start_in(home.path(), &data_dir).await;

    app.open_intake(&[
        ("familyName", "Œuvray-Lefèvre"),
        ("givenNames", "Éloïse"),
        ("email", "eloise.oeuvray@example.org"),
    ])
    .await;
    app.wait_for("[data-testid=intake-submit]")
        .await
        .click()
        .await
        .unwrap();

    app.wait_for_text("[data-testid=notice]", "Éloïse Œuvray-Lefèvre")
        .await;
    app.wait_for_text("[data-testid=queue-table]", "ŒUVRAY-LEFÈVRE")
        .await;
    app.wait_for_text("[data-testid=count-all]", "1").await;

    // Accent-insensitive search through the real backend: "eloise" finds "Éloïse".
    let search = app.wait_for("[data-testid=queue-search]").await;
    search.send_keys("oeuvray").await.unwrap();
    app.wait_for_text("[data-testid=queue-table]", "Éloïse")
        .await;
    app.screenshot("queue-after-intake").await;
    app.close().await;

    // Read back with the store, as another desk would.
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = sesame_store::Store::open(&url).await.unwrap();
    let page = store.list_requests(&Default::default()).await.unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].family_name, "Œuvray-Lefèvre");
    assert_eq!(page.rows[0].given_names, "Éloïse");
    store.close().await;

    // A restart opens the same database: the request is still in the queue.
    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.wait_for_text("[data-testid=queue-table]", "ŒUVRAY-LEFÈVRE")
        .await;
    app.close().await;
}

/// The language switch changes every text at once and is remembered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interface_switches_to_english() {
    let app = AppSession::start().await;
    app.wait_for_text("[data-testid=queue-screen] h1", "File des demandes")
        .await;
    let switch = app.wait_for("[data-testid=language-switch]").await;
    switch.select_by_value("en").await.unwrap();
    app.wait_for_text("[data-testid=queue-screen] h1", "Request queue")
        .await;
    app.wait_for_text("[data-testid=new-request]", "New request")
        .await;
    app.screenshot("queue-en").await;
    app.close().await;
}
