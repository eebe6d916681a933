//! The print station on the real app: an approved request is previewed as real
//! PDF pages, then printed to a PDF that holds the holder's name, with a badge
//! number assigned and the request marked printed in the database.

use std::process::Command;

use sesame_core::{AttachmentKind, HolderDetails, RequestAction, RequestDetails, RequestKind};
use sesame_store::{NewRequest, Store};

use crate::harness::{printed_pdfs, AppSession};

/// A plain colour JPEG standing in for a validated badge photo.
fn badge_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(413, 531, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 160])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .unwrap();
    out
}

/// Registers a staff request and moves it to `approved` as the desk would.
pub(crate) async fn approved_request(store: &Store, family: &str, given: &str) -> String {
    approved_request_in(store, family, given, "staff").await
}

/// [`approved_request`] in `category`. A contractor comes with what the office asks
/// of one: a mission end (in 100 days) and the front of an ID document.
pub(crate) async fn approved_request_in(
    store: &Store,
    family: &str,
    given: &str,
    category: &str,
) -> String {
    let contractor = category == "contractor";
    // The app under test runs on the machine's clock.
    let mission_end =
        contractor.then(|| sesame_core::Clock::system().today() + chrono::Days::new(100));
    let holder = HolderDetails {
        family_name: family.into(),
        given_names: given.into(),
        email: None,
        phone: None,
        organisation: Some("Université".into()),
        unit: None,
        category: category.into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end,
    };
    let new = NewRequest {
        holder_id: None,
        holder,
        request: RequestDetails::new(RequestKind::NewBadge),
    };
    let detail = store.create_request(new, "e2e").await.unwrap();
    let id = detail.request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &badge_jpeg(), "e2e")
        .await
        .unwrap();
    if contractor {
        store
            .put_attachment(id, AttachmentKind::IdDocumentFront, &badge_jpeg(), "e2e")
            .await
            .unwrap();
    }
    let mut version = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
    ] {
        let detail = store
            .transition(id, version, action.clone(), "e2e", None)
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        version = detail.request.version;
    }
    id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_request_is_previewed_then_printed_to_a_pdf_with_its_name() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let id = approved_request(&store, "Þórsson", "Ægir").await;
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.wait_for("[data-testid=nav-print]")
        .await
        .click()
        .await
        .unwrap();
    app.wait_for_text("[data-testid=print-rows]", "ÞÓRSSON")
        .await;

    app.wait_for("[data-testid=print-preview]")
        .await
        .click()
        .await
        .unwrap();
    // pdf.js drew the real pages of the PDF the backend rendered.
    app.wait_for("[data-testid=pdf-page]").await;
    app.wait_for_text("[data-testid=pdf-page-count]", "2").await; // front and back sheets
    app.screenshot("print-preview").await;

    app.wait_for("[data-testid=print-go]")
        .await
        .click()
        .await
        .unwrap();
    let result = app
        .wait_for_text("[data-testid=print-result]", ".pdf")
        .await;
    app.screenshot("print-done").await;
    app.close().await;

    // The PDF is in the print folder, valid, and holds the name with its accents.
    let pdfs = printed_pdfs(home.path());
    assert_eq!(pdfs.len(), 1, "expected one PDF, found {pdfs:?}");
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&pdfs[0])
        .output()
        .unwrap();
    assert!(qpdf.status.success(), "qpdf --check failed: {qpdf:?}");
    let text = Command::new("pdftotext")
        .arg(&pdfs[0])
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Ægir"),
        "pdftotext did not find the given name: {text}"
    );

    // Printing assigned the badge number and marked the request printed.
    let store = Store::open(&url).await.unwrap();
    let detail = store.get_request(id.parse().unwrap()).await.unwrap();
    assert_eq!(detail.request.status, sesame_core::RequestStatus::Printed);
    let badge = detail.badge.expect("printing issues the badge");
    assert!(
        result.contains(&badge.number),
        "result {result:?} lacks {}",
        badge.number
    );
    assert!(
        text.contains(&badge.number),
        "the PDF lacks the badge number {}",
        badge.number
    );
    store.close().await;
}
