//! A preview is not a print: the preview of a badge already printed is stamped
//! "APERÇU / PREVIEW" and carries neither its number nor a code that would scan as it
//! (so printing the preview does not make a second badge), and it is in the audit log.
//! A reprint reason for a selection that reprints nothing is refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sesame_core::{ErrorCode, RequestStatus};
use sesame_service::{
    get_request, preview_print, print_badges, request_history, PrintPreview, RequestId,
    REPRINT_PREVIEWED,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::new_request;
use sesame_test_support::pdf;

/// The preview's PDF, written to `path`.
fn save(preview: &PrintPreview, path: &Path) -> PathBuf {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(preview.pdf_base64.as_ref().expect("a PDF"))
        .unwrap();
    std::fs::write(path, bytes).unwrap();
    path.to_path_buf()
}

/// Every QR code and barcode zbarimg reads on the PDF's pages, rendered at 300 dpi.
fn scanned_codes(pdf: &Path) -> Vec<String> {
    let stem = pdf.with_extension("page");
    let rendered = Command::new("pdftoppm")
        .args(["-r", "300", "-png"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(rendered.success());
    let dir = pdf.parent().unwrap();
    let prefix = stem.file_name().unwrap().to_string_lossy().into_owned();
    let pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .collect();
    assert!(!pages.is_empty());
    let output = Command::new("zbarimg")
        .arg("--quiet")
        .args(&pages)
        .output()
        .expect("zbarimg (zbar-tools)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

async fn previewing_a_printed_badge_gives_no_usable_card(alice: TestDesk) {
    let bob = alice.another_desk("bob").await;
    let printed = alice.printed(new_request("Fontaine", "Hugo")).await;
    let printed_id = RequestId(printed.request.id);
    let number = printed.badge.expect("a badge").number;
    let approved = alice.approved(new_request("Rivière", "Léa")).await;
    let approved_id = RequestId(approved.request.id);
    let previewed = || async {
        request_history(&alice, printed_id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == REPRINT_PREVIEWED)
            .collect::<Vec<_>>()
    };

    // A first print's preview is the card as it will be: its codes scan, no stamp.
    let first = preview_print(&bob, a4_print_job(&[approved_id], None))
        .await
        .unwrap();
    let first_pdf = save(&first, &alice.file("first-preview.pdf"));
    let (text, _) = pdf::check(&first_pdf);
    assert!(!text.contains("PREVIEW"), "{text}");
    let codes = scanned_codes(&first_pdf);
    assert!(
        codes
            .iter()
            .any(|c| c.contains(&first.cards[0].badge_number)),
        "the control card's codes scan: {codes:?}"
    );
    assert!(previewed().await.is_empty());

    // The printed badge's preview: stamped, numberless, codes blank.
    let preview = preview_print(&bob, a4_print_job(&[printed_id], None))
        .await
        .unwrap();
    assert!(preview.cards[0].reprint && preview.needs_reprint_reason);
    let preview_pdf = save(&preview, &alice.file("reprint-preview.pdf"));
    let (text, _) = pdf::check(&preview_pdf);
    assert!(text.contains("PREVIEW"), "no watermark in:\n{text}");
    pdf::assert_contains_names(&text, &["Fontaine", "Hugo"]);
    assert!(
        !text.contains(&number),
        "the real number {number} in:\n{text}"
    );
    let codes = scanned_codes(&preview_pdf);
    assert!(codes.is_empty(), "codes on a preview: {codes:?}");

    // And the preview is on the request's record, as bob's, naming the badge.
    let seen = previewed().await;
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!(seen[0].operator, "bob");
    assert_eq!(
        seen[0].after.as_ref().unwrap()["badgeNumber"],
        number.as_str()
    );

    // A reprint reason on a first print is refused: nothing printed, nothing issued.
    let out = alice.file("not-a-reprint.pdf");
    let err = print_badges(
        &alice,
        print_to_file(a4_print_job(&[approved_id], Some("card damaged")), &out),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "print.reprint_reason_without_reprint");
    assert!(!out.exists());
    let after = get_request(&alice, approved_id).await.unwrap();
    assert_eq!(after.request.status, RequestStatus::Approved);
    assert!(after.badge.is_none());

    bob.close().await;
    alice.finish().await;
}
on_both_desks!(previewing_a_printed_badge_gives_no_usable_card);
