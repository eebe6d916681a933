//! The badge designer on the real app: a supervisor opens the staff template, shares
//! it with contractors, moves the photo 5 mm right with the keyboard and adds a band
//! printed only for contractors, then saves (a new version of the office's set). The
//! next print run's PDF has the photo at its new place on both cards and the band on
//! the contractor's card only.

use fantoccini::key::Key;
use sesame_store::Store;
use sesame_test_support::pdf;

use crate::harness::{printed_pdfs, AppSession};
use crate::print::approved_request_in;

/// The band's colour as the PDF sets it (`#C0392B`, the designer's new band).
const BAND_RGB: &str = "0.7529 0.2235 0.1686 rg";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_design_saved_on_screen_is_what_the_next_badges_print() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    approved_request_in(&store, "Martin", "Anne", "staff").await;
    approved_request_in(&store, "Durand", "Paul", "contractor").await;
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-tab-templates]").await;
    app.click("[data-testid=template-design][data-file='staff.toml']")
        .await;
    app.wait_for("[data-testid=designer-canvas]").await;
    app.click("[data-testid=designer-serves-contractor]").await;

    // The photo: picked in the list of elements (the card takes the focus), then
    // Shift+→ five times (1 mm each).
    let photo = "[data-testid=designer-element][data-type=photo]";
    let x: f64 = app
        .wait_for(photo)
        .await
        .attr("data-x")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    app.click("[data-testid=designer-layer][data-type=photo]")
        .await;
    let keys = format!("{}{}", Key::Shift, Key::Right.to_string().repeat(5));
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys(&keys)
        .await
        .unwrap();
    let moved = format!("{photo}[data-x='{}']", x + 5.0);
    app.wait_for(&moved).await;

    // A red band, printed only when the category is "contractor".
    app.click("[data-testid=designer-add-rect]").await;
    app.click("[data-testid=prop-conditional]").await;
    app.click("[data-testid=prop-when-contractor]").await;
    // The preview is the real PDF of the design being edited.
    app.wait_long("[data-testid=designer-preview] [data-testid=pdf-page]")
        .await;
    app.screenshot("designer").await;
    app.click("[data-testid=designer-save]").await;
    app.wait_for_text("[data-testid=designer-saved]", "staff.toml")
        .await;
    app.click("[data-testid=designer-close]").await;
    app.wait_for_text("[data-testid=settings-templates]", "staff, contractor")
        .await;
    // The save is the first version of the office's set, kept in the queue's database.
    app.wait_for_text("[data-testid=template-versions]", "concepteur : staff.toml")
        .await;

    // The next print run, on the card printer: one page per side, card by card.
    app.click("[data-testid=nav-print]").await;
    app.wait_for_text("[data-testid=print-rows]", "DURAND")
        .await;
    app.click("[data-testid=print-layout] option[value=card]")
        .await;
    app.click("[data-testid=print-preview]").await;
    app.wait_long("[data-testid=pdf-page]").await;
    app.click("[data-testid=print-go]").await;
    app.wait_for_text("[data-testid=print-result]", ".pdf")
        .await;
    app.close().await;

    let pdfs = printed_pdfs(home.path());
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let (text, pages) = pdf::check(&pdfs[0]);
    assert_eq!(pages, 4, "front and back of two cards:\n{text}");
    let contents = pdf::page_contents(&pdfs[0]);
    let mut contractors = 0;
    for front in [1usize, 3] {
        let page_text = pdf::page_text(&pdfs[0], front);
        let contractor = page_text.to_uppercase().contains("DURAND");
        contractors += usize::from(contractor);
        let content = &contents[front - 1];
        assert_eq!(
            content.contains(BAND_RGB),
            contractor,
            "page {front}: the band is on the contractor's card only\n{page_text}"
        );
        // The photo is the largest image; the card's page starts at the card's edge.
        // It is drawn to cover its frame, so its left edge is the frame's less at
        // most half a millimetre of overflow.
        let (left, ..) = pdf::image_boxes(content)
            .into_iter()
            .max_by(|a, b| (a.2 * a.3).total_cmp(&(b.2 * b.3)))
            .unwrap();
        let left_mm = left * 25.4 / 72.0;
        assert!(
            (x + 5.0 - 0.6..=x + 5.0 + 0.05).contains(&left_mm),
            "page {front}: photo at {left_mm} mm, its frame at {} mm",
            x + 5.0
        );
    }
    assert_eq!(contractors, 1);
}
