//! End-to-end tests of the assembled app: the real binary (UI embedded, built
//! with `--features embed-ui`), its real window under Xvfb, driven through
//! tauri-driver + WebKitWebDriver by fantoccini, on a real SQLite file.

mod access_export;
mod audit;
mod automatic_changes;
mod big_queue;
mod card_reader;
mod csv_import;
mod database_logins;
mod dates;
mod designer;
mod directory;
mod first_start;
mod harness;
mod hostile_names;
mod internal_names;
mod journey;
mod photo;
mod print;
mod seed;
mod tour;
mod visitors;

use harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_starts_on_the_queue_in_french_and_reports_its_database() {
    let app = AppSession::start().await;

    // The queue screen is the first screen, in French by default.
    let heading = app.wait_for("[data-testid=queue-screen] h1").await;
    assert_eq!(heading.text().await.unwrap(), "File des demandes");
    // A new queue says how to begin, not that nothing matches.
    app.wait_for_text("[data-testid=queue-empty-start]", "La file est vide")
        .await;

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

/// The window shows nothing of the queue before an operator signs in: signing out
/// leaves only the sign-in form (the queue's rows are gone from the page), a wrong
/// PIN is refused in French by its code, and the right one opens the desk again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_hides_the_queue_until_the_pin_is_given() {
    let app = AppSession::start().await;
    app.open_intake(&[("familyName", "Zéphyrin"), ("givenNames", "Odile")])
        .await;
    app.click("[data-testid=intake-submit]").await;
    app.wait_for_text("[data-testid=queue-table]", "ZÉPHYRIN")
        .await;

    app.click("[data-testid=sign-out]").await;
    app.wait_for("[data-testid=sign-in-form]").await;
    let page = app.client.source().await.unwrap();
    assert!(
        !page.contains("ZÉPHYRIN") && !page.contains("Zéphyrin"),
        "the queue is still in the page"
    );
    app.screenshot("sign-in").await;

    app.type_into("[data-testid=sign-in-pin]", "000000").await;
    app.click("[data-testid=sign-in-submit]").await;
    app.wait_for_text("[data-testid=error-banner]", "Nom ou code PIN incorrect")
        .await;
    app.type_into("[data-testid=sign-in-pin]", harness::E2E_PIN)
        .await;
    app.click("[data-testid=sign-in-submit]").await;
    app.wait_for_text("[data-testid=queue-table]", "ZÉPHYRIN")
        .await;
    app.close().await;
}
