//! The run command on a new machine lands on the first start's setup: the office's
//! name and logo, the categories kept, the PDF folder and the first supervisor, each
//! step in French and in English, then the desk with the office's name in its top bar
//! and in Settings › General.

use std::ffi::OsStr;

use crate::audit::Audit;
use crate::harness::{artifacts_dir, AppSession, E2E_DISPLAY_NAME, E2E_OPERATOR, E2E_PIN};

async fn language(app: &AppSession, code: &str) {
    let switch = app.wait_for("[data-testid=language-switch]").await;
    switch.select_by_value(code).await.unwrap();
}

/// Checks the step in French and in English (axe-core, internal names, screenshot),
/// and leaves it in French.
async fn check_both(app: &AppSession, french: &mut Audit, english: &mut Audit, name: &str) {
    french.check(app, name).await;
    language(app, "en").await;
    app.wait_for_text("#setup-title", "First start").await;
    english.check(app, name).await;
    language(app, "fr").await;
    app.wait_for_text("#setup-title", "Premier démarrage").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_desk_opens_on_the_first_start_setup_and_keeps_what_it_was_given() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    let chosen = home.path().join("badges imprimés");
    let logo = artifacts_dir().join("first-start-logo.png");
    std::fs::write(
        &logo,
        include_bytes!("../../crates/sesame-print/templates/logo.png"),
    )
    .unwrap();
    // No folder fixed by the environment: the setup offers its own choice.
    let app = AppSession::launch(
        home.path(),
        &data_dir,
        &[("SESAME_PRINT_DIR", OsStr::new(""))],
    )
    .await;

    let (mut french, mut english) = (Audit::new("fr"), Audit::new("en"));
    app.wait_long("[data-testid=setup-form][data-step=office]")
        .await;
    app.wait_for_text("#setup-title", "Premier démarrage").await;
    check_both(&app, &mut french, &mut english, "setup-1-office").await;
    // The next step waits for the office's name.
    let next = app.wait_for("[data-testid=setup-next]").await;
    assert!(!next.is_enabled().await.unwrap());
    app.type_into(
        "[data-testid=setup-office-name]",
        "Bureau des badges — Campus Sud",
    )
    .await;
    app.type_into("[data-testid=setup-logo-file]", logo.to_str().unwrap())
        .await;
    app.wait_for("[data-testid=setup-logo-preview]").await;
    french.check(&app, "setup-1-office-filled").await;
    app.click("[data-testid=setup-next]").await;

    app.wait_for("[data-testid=setup-form][data-step=categories]")
        .await;
    check_both(&app, &mut french, &mut english, "setup-2-categories").await;
    language(&app, "en").await;
    app.wait_for_text("[data-testid=setup-form] h2", "Badge categories")
        .await;
    app.click("[data-testid=setup-category-student]").await;
    app.click("[data-testid=setup-next]").await;

    app.wait_for("[data-testid=setup-form][data-step=folder]")
        .await;
    let folder = app.wait_for("[data-testid=setup-folder]").await;
    folder.clear().await.unwrap();
    folder.send_keys(chosen.to_str().unwrap()).await.unwrap();
    english.check(&app, "setup-3-folder").await;
    app.click("[data-testid=setup-next]").await;

    app.wait_for("[data-testid=setup-form][data-step=supervisor]")
        .await;
    let name = app.wait_for("[data-testid=sign-in-name]").await;
    name.clear().await.unwrap();
    name.send_keys(E2E_OPERATOR).await.unwrap();
    app.type_into("[data-testid=sign-in-display-name]", E2E_DISPLAY_NAME)
        .await;
    app.type_into("[data-testid=sign-in-pin]", E2E_PIN).await;
    app.type_into("[data-testid=sign-in-confirm-pin]", E2E_PIN)
        .await;
    english.check(&app, "setup-4-supervisor").await;
    app.click("[data-testid=setup-submit]").await;

    // The desk, for this office, in the language chosen during the setup.
    app.wait_long("[data-testid=signed-in-as]").await;
    // The name is cut to fit the top bar (WebDriver reads no text from an ellipsis):
    // the whole name is its tooltip.
    let top_bar = app.wait_for("[data-testid=office-in-top-bar]").await;
    assert_eq!(
        top_bar.attr("title").await.unwrap().as_deref(),
        Some("Bureau des badges — Campus Sud")
    );
    app.wait_for_text("[data-testid=queue-screen] h1", "Request queue")
        .await;
    assert!(chosen.is_dir(), "the chosen folder was created");
    let config = std::fs::read_to_string(data_dir.join("desk.json")).unwrap();
    assert!(config.contains("badges imprimés"), "{config}");

    app.click("[data-testid=nav-settings]").await;
    let office_name = app.wait_for("[data-testid=office-name]").await;
    assert_eq!(
        office_name.prop("value").await.unwrap().as_deref(),
        Some("Bureau des badges — Campus Sud")
    );
    app.wait_for("[data-testid=office-logo-preview]").await;
    let folder = app.wait_for("[data-testid=office-folder]").await;
    assert_eq!(
        folder.prop("value").await.unwrap().as_deref(),
        chosen.to_str()
    );
    // The student category was left out.
    app.click("[data-testid=settings-tab-policy]").await;
    app.wait_for("[data-testid=category-staff]").await;
    assert!(app
        .client
        .find(fantoccini::Locator::Css("[data-testid=category-student]"))
        .await
        .is_err());
    app.close().await;
    french.finish();
    english.finish();
}
