//! The physical card on the real app: the desk's contactless reader (a real pcscd
//! with a virtual reader and card) reads the card laid on it into the badge of the
//! request open in the panel, the history says so and the database holds it; with
//! the smart-card service stopped, the panel says so in French and the badge keeps
//! its card. A loan card read on the reader stands in for a forgotten badge until
//! it is returned from Badges › Loan cards.

use sesame_core::RequestAction;
use sesame_store::Store;
use sesame_test_support::card_reader::{VirtualReaders, READER_A};
use sesame_test_support::fixtures::{active_badge, walk};

use crate::harness::AppSession;
use crate::print::approved_request;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_laid_on_the_reader_is_bound_to_the_badge_in_the_panel() {
    let mut pcsc = VirtualReaders::start();
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let id = approved_request(&store, "Martin", "Anne").await;
    let printed = walk(
        &store,
        id.parse().unwrap(),
        "e2e",
        &[RequestAction::MarkPrinted],
    )
    .await;
    let badge = printed.badge.expect("a badge number");
    store.close().await;

    let socket = pcsc.socket();
    let app = AppSession::start_with_env(
        home.path(),
        &data_dir,
        &[("PCSCLITE_CSOCK_NAME", socket.as_os_str())],
    )
    .await;
    app.click("[data-testid=queue-row] td.holder button").await;
    app.wait_for_text("[data-testid=badge-card-none]", "Aucune carte liée")
        .await;
    let card = pcsc.lay_card(READER_A, "04A224B2C35E80");
    app.click("[data-testid=badge-card-read]").await;
    app.wait_for_text(
        "[data-testid=badge-card-notice]",
        &format!("Carte 04:A2:24:B2:C3:5E:80 liée au badge {}.", badge.number),
    )
    .await;
    app.wait_for_text("[data-testid=badge-card-uid]", "04:A2:24:B2:C3:5E:80")
        .await;
    app.wait_for_text("[data-testid=request-history]", "N° de carte enregistré")
        .await;
    card.take_off();

    // The service stopped: named, and the card stays bound.
    pcsc.stop();
    app.click("[data-testid=badge-card-read]").await;
    app.wait_for_text(
        "[data-testid=badge-card] [data-testid=error-banner]",
        "Le service des cartes à puce ne tourne pas",
    )
    .await;
    app.close().await;

    let store = Store::open(&url).await.unwrap();
    let kept = store.get_badge(badge.id).await.unwrap();
    assert_eq!(kept.card_serial.as_deref(), Some("04A224B2C35E80"));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loan_card_read_on_the_reader_stands_in_for_a_forgotten_badge_until_returned() {
    let pcsc = VirtualReaders::start();
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let mut policy = store.policy().await.unwrap();
    for category in &mut policy.categories {
        category.temporary_badge_days = 3;
    }
    store.set_policy(&policy, "e2e").await.unwrap();
    let badge = active_badge(&store, "Oublieuse", &[], "e2e").await;
    store.close().await;

    let socket = pcsc.socket();
    let app = AppSession::start_with_env(
        home.path(),
        &data_dir,
        &[("PCSCLITE_CSOCK_NAME", socket.as_os_str())],
    )
    .await;
    app.click("[data-testid=nav-badges]").await;
    app.click("[data-testid=badges-tab-loans]").await;
    app.wait_for_text("[data-testid=loans-none]", "Aucune carte prêtée")
        .await;
    app.type_into("[data-testid=loan-search]", &badge.number)
        .await;
    app.click("[data-testid=loan-find]").await;
    app.wait_for("[data-testid=loan-form]").await;
    app.type_into("[data-testid=loan-reason]", "badge oublié")
        .await;
    let card = pcsc.lay_card(READER_A, "0A0B0C0D");
    app.click("[data-testid=loan-lend]").await;
    let notice = app
        .wait_for_text("[data-testid=loan-notice]", "est suspendu pendant le prêt")
        .await;
    assert!(notice.contains(&badge.number), "{notice}");
    app.wait_for_text("[data-testid=loan-row]", "0A0B0C0D")
        .await;
    card.take_off();

    let store = Store::open(&url).await.unwrap();
    let loans = store.open_loans().await.unwrap();
    assert_eq!(loans.len(), 1);
    assert_eq!(
        loans[0].original.status,
        sesame_core::BadgeStatus::Suspended
    );
    let loan_number = loans[0].loan_badge.number.clone();
    store.close().await;

    app.click(&format!("[data-testid=loan-return-{loan_number}]"))
        .await;
    app.wait_for_text("[data-testid=loan-notice]", "fonctionne de nouveau")
        .await;
    app.wait_for("[data-testid=loans-none]").await;
    app.close().await;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        sesame_core::BadgeStatus::Active
    );
    store.close().await;
}
