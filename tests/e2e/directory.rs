//! The office's directory on the real app, against a real slapd: the supervisor
//! types the service account's password in Settings › Directory (kept in the
//! keyring) and the test finds the 420 people; the intake form fills the holder
//! from the person picked in the directory search; Badges › Leavers lists the badge
//! of a holder the directory does not know, and deactivates it after review.

use sesame_core::BadgeStatus;
use sesame_service::DirectorySecurity;
use sesame_store::Store;
use sesame_test_support::fixtures::active_badge;
use sesame_test_support::ldap_server::{LdapServer, PEOPLE, SERVICE_PASSWORD};

use crate::harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_fills_intake_and_its_leavers_are_deactivated() {
    let server = LdapServer::start();
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let gone = active_badge(&store, "Parti", &[], "e2e").await;
    // Plain LDAP to the loopback server, so the form needs no certificate pasted.
    let mut settings = server.settings();
    settings.security = DirectorySecurity::None;
    settings.ca_certificate = None;
    store
        .save_setting(
            "directory",
            &serde_json::to_value(&settings).unwrap(),
            "e2e",
        )
        .await
        .unwrap();
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-tab-directory]").await;
    app.wait_for("[data-testid=directory-settings]").await;
    app.type_into("[data-testid=directory-password]", SERVICE_PASSWORD)
        .await;
    app.click("[data-testid=directory-save]").await;
    // The page's buttons wait while the save runs: a click meanwhile would be lost.
    app.wait_for_text("[data-testid=directory-notice]", "Enregistré")
        .await;
    app.click("[data-testid=directory-test]").await;
    app.wait_for_text("[data-testid=directory-test-result]", &PEOPLE.to_string())
        .await;

    // Intake: the person picked in the directory fills the holder.
    app.click("[data-testid=nav-queue]").await;
    app.click("[data-testid=new-request]").await;
    app.type_into("[data-testid=directory-search]", "dupont marie")
        .await;
    app.wait_for_text(
        "[data-testid=directory-result]",
        "marie.dupont@univ.example",
    )
    .await;
    app.click("[data-testid=directory-result]").await;
    app.wait_for("[data-testid=directory-picked]").await;
    for (field, expected) in [
        ("familyName", "Dupont"),
        ("givenNames", "Marie"),
        ("email", "marie.dupont@univ.example"),
        ("unit", "Physique"),
        ("externalId", "E00000"),
    ] {
        let input = app
            .wait_for(&format!("[data-testid=intake-form] [name={field}]"))
            .await;
        assert_eq!(
            input.prop("value").await.unwrap().as_deref(),
            Some(expected),
            "{field}"
        );
    }
    app.screenshot("directory-intake").await;
    app.click("[data-testid=intake-cancel]").await;

    // Leavers: the badge of a staff holder the directory does not know.
    app.click("[data-testid=nav-badges]").await;
    app.click("[data-testid=badges-tab-leavers]").await;
    app.click("[data-testid=leavers-check]").await;
    app.wait_for_text("[data-testid=leaver-row]", &gone.number)
        .await;
    app.wait_for_text("[data-testid=leaver-row]", "Absent de l’annuaire")
        .await;
    app.click(&format!("[data-testid=leaver-select-{}]", gone.number))
        .await;
    app.type_into("[data-testid=leavers-reason]", "a quitté l’université")
        .await;
    app.click("[data-testid=leavers-deactivate]").await;
    app.wait_for("[data-testid=leavers-none]").await;
    app.screenshot("directory-leavers").await;

    // The directory down: named in French, nothing lost.
    drop(server);
    app.click("[data-testid=leavers-check]").await;
    app.wait_for_text("[data-testid=error-banner]", "L’annuaire ne répond pas")
        .await;
    app.close().await;

    let store = Store::open(&url).await.unwrap();
    let after = store.get_badge(gone.id).await.unwrap();
    assert_eq!(after.status, BadgeStatus::Deactivated);
    assert_eq!(
        after.status_reason.as_deref(),
        Some("a quitté l’université")
    );
    store.close().await;
}
