//! The physical card on the real app: the desk's contactless reader (a real pcscd
//! with a virtual reader and card) reads the card laid on it into the badge of the
//! request open in the panel, the history says so and the database holds it; with
//! the smart-card service stopped, the panel says so in French and the badge keeps
//! its card.

use sesame_core::RequestAction;
use sesame_store::Store;
use sesame_test_support::card_reader::{VirtualReaders, READER_A};
use sesame_test_support::fixtures::walk;

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
