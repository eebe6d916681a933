//! Printing on a real SQLite desk: the preview, the print run that issues numbers in
//! the PDF's transaction, reprints. Every PDF is checked with qpdf and pdftotext.

use std::path::Path;

use sesame_core::{ErrorCode, RequestDetails, RequestKind, RequestStatus};
use sesame_service::{
    get_request, preview_print, print_badges, request_history, FileBytes, NewRequest, PrintOutcome,
    PrintWarningCode, RequestId, ServiceError,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::{new_request, photo_jpeg, photo_png};
use sesame_test_support::pdf;

/// Prints `ids` on A4 to the PDF at `out`, as the print station does.
async fn print(
    desk: &TestDesk,
    ids: &[RequestId],
    reprint_reason: Option<&str>,
    out: &Path,
) -> Result<PrintOutcome, ServiceError> {
    let input = print_to_file(a4_print_job(ids, reprint_reason), out);
    print_badges(desk, input).await.map(|run| run.outcome)
}

async fn status(desk: &TestDesk, id: RequestId) -> (RequestStatus, Option<String>) {
    let detail = get_request(desk, id).await.unwrap();
    (detail.request.status, detail.badge.map(|b| b.number))
}

/// An approved request with a real photo, as JPEG or as PNG.
async fn approved(desk: &TestDesk, family: &str, given: &str, png: bool) -> RequestId {
    let photo = if png { photo_png(90) } else { photo_jpeg(90) };
    desk.approved_with_photo(new_request(family, given), &photo)
        .await
        .request
        .id
        .into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printing_assigns_numbers_and_marks_printed_in_one_go() {
    let desk = TestDesk::sqlite().await;
    let a = approved(&desk, "Þórsson", "Ægir", false).await;
    let b = approved(&desk, "Żółć", "Łukasz", true).await;
    let c = approved(&desk, "Œuvray-Lefèvre", "Éloïse", false).await;
    let ids = [a, b, c];

    // The preview is the real PDF, with the numbers printing would give, and changes nothing.
    let preview = preview_print(&desk, a4_print_job(&ids, None))
        .await
        .unwrap();
    assert_eq!(preview.card_count, 3);
    assert!(preview.warnings.is_empty(), "{:?}", preview.warnings);
    assert!(!preview.needs_reprint_reason);
    let numbers: Vec<_> = preview
        .cards
        .iter()
        .map(|c| c.badge_number.as_str())
        .collect();
    assert_eq!(numbers, ["B000001", "B000002", "B000003"]);
    assert!(preview.cards.iter().all(|c| c.provisional_number));
    let bytes = FileBytes::from_base64(preview.pdf_base64.unwrap())
        .into_bytes()
        .unwrap();
    let preview_file = desk.file("preview.pdf");
    std::fs::write(&preview_file, &bytes).unwrap();
    let (text, pages) = pdf::check(&preview_file);
    assert_eq!(pages, preview.page_count);
    pdf::assert_contains_names(&text, &["Ægir", "Łukasz", "Éloïse", "Þórsson", "Żółć"]);
    for id in ids {
        assert_eq!(status(&desk, id).await, (RequestStatus::Approved, None));
    }

    let out = desk.file("run").join("badges.pdf");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let outcome = print(&desk, &ids, None, &out).await.unwrap();
    let printed: Vec<_> = outcome
        .printed
        .iter()
        .map(|p| (p.holder_name.as_str(), p.badge_number.as_str(), p.reprint))
        .collect();
    assert_eq!(
        printed,
        [
            ("Ægir Þórsson", "B000001", false),
            ("Łukasz Żółć", "B000002", false),
            ("Éloïse Œuvray-Lefèvre", "B000003", false),
        ]
    );
    assert!(outcome.skipped.is_empty() && outcome.warnings.is_empty());
    assert_eq!(outcome.file, out.display().to_string());
    assert_eq!(outcome.file_bytes, std::fs::metadata(&out).unwrap().len());
    let (text, pages) = pdf::check(&out);
    assert_eq!(pages, outcome.page_count);
    pdf::assert_contains_names(&text, &["Ægir", "Łukasz", "Éloïse", "B000002"]);
    for (id, number) in ids.iter().zip(["B000001", "B000002", "B000003"]) {
        assert_eq!(
            status(&desk, *id).await,
            (RequestStatus::Printed, Some(number.to_string()))
        );
    }
    // no temporary file left beside the PDF
    let names: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("badges.pdf")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_write_leaves_requests_approved_and_numbers_unused() {
    let desk = TestDesk::sqlite().await;
    let a = approved(&desk, "Martin", "Zoé", false).await;
    let out = desk.file("no-such-folder").join("badges.pdf");
    let err = print(&desk, &[a], None, &out).await.unwrap_err();
    assert_eq!(err.code(), "print.output_unwritable", "{err}");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    assert_eq!(status(&desk, a).await, (RequestStatus::Approved, None));
    let history = request_history(&desk, a).await.unwrap();
    assert!(history.iter().all(|e| e.action != "mark_printed"));

    // the number was not used up
    let out = desk.file("badges.pdf");
    let outcome = print(&desk, &[a], None, &out).await.unwrap();
    assert_eq!(outcome.printed[0].badge_number, "B000001");
    pdf::check(&out);

    // nothing printable is an error naming why, and writes no file
    let other = desk.file("nothing.pdf");
    let unknown = RequestId(uuid::Uuid::now_v7());
    let err = print(&desk, &[unknown], None, &other).await.unwrap_err();
    assert_eq!(err.code(), "print.nothing_to_print");
    assert!(err.to_string().contains("not_found"), "{err}");
    assert!(!other.exists());
    let err = print(&desk, &[], None, &other).await.unwrap_err();
    assert_eq!(err.code(), "print.nothing_selected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reprint_needs_a_reason_and_is_audited() {
    let desk = TestDesk::sqlite().await;
    let a = approved(&desk, "Nguyễn", "Thị Minh Khai", false).await;
    let first = desk.file("first.pdf");
    print(&desk, &[a], None, &first).await.unwrap();
    let b = approved(&desk, "Dupont", "Jean", false).await;
    let waiting: RequestId = sesame_service::create_request(
        &desk,
        NewRequest {
            holder_id: None,
            holder: get_request(&desk, b).await.unwrap().holder.details,
            request: RequestDetails::new(RequestKind::NewBadge),
        },
    )
    .await
    .unwrap()
    .request
    .id
    .into();

    // the preview warns before printing again
    let preview = preview_print(&desk, a4_print_job(&[a, b, waiting], None))
        .await
        .unwrap();
    assert!(preview.needs_reprint_reason);
    let codes: Vec<_> = preview
        .warnings
        .iter()
        .map(|w| (w.code, w.skipped, w.detail.clone()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                PrintWarningCode::NotApproved,
                true,
                Some("submitted".into())
            ),
            (
                PrintWarningCode::AlreadyPrinted,
                false,
                Some("B000001".into())
            ),
        ]
    );
    assert_eq!(preview.cards[0].badge_number, "B000001");
    assert!(!preview.cards[0].provisional_number && preview.cards[0].reprint);
    assert_eq!(preview.cards[1].badge_number, "B000002");

    // without a reason nothing is printed, the new one included
    let out = desk.file("again.pdf");
    for reason in [None, Some("   ")] {
        let err = print(&desk, &[a, b], reason, &out).await.unwrap_err();
        assert_eq!(err.code(), "print.reprint_reason_required");
        assert!(err.to_string().contains("B000001"), "{err}");
    }
    assert!(!out.exists());
    assert_eq!(status(&desk, b).await, (RequestStatus::Approved, None));

    let outcome = print(&desk, &[a, b], Some("card jammed"), &out)
        .await
        .unwrap();
    let printed: Vec<_> = outcome
        .printed
        .iter()
        .map(|p| (p.badge_number.as_str(), p.reprint))
        .collect();
    assert_eq!(printed, [("B000001", true), ("B000002", false)]);
    let (text, _) = pdf::check(&out);
    pdf::assert_contains_names(&text, &["Nguyễn", "Thị Minh Khai", "Jean"]);
    let reprint = request_history(&desk, a)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "reprint")
        .expect("reprint audited");
    assert_eq!(reprint.reason.as_deref(), Some("card jammed"));
    assert_eq!(Some(reprint.operator.clone()), desk.operator());
    assert_eq!(
        status(&desk, b).await,
        (RequestStatus::Printed, Some("B000002".into()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_preview_shows_its_first_pages_and_counts_them_all() {
    let desk = TestDesk::sqlite().await;
    let mut ids: Vec<RequestId> = Vec::new();
    for i in 0..12 {
        let family = format!("Aperçu{i:02}");
        ids.push(
            desk.approved(new_request(&family, "Long"))
                .await
                .request
                .id
                .into(),
        );
    }
    // The last card reprints a badge: beyond the pages shown, it is not previewed.
    let printed: RequestId = desk
        .printed(new_request("Déjà", "Imprimé"))
        .await
        .request
        .id
        .into();
    ids.push(printed);
    let card_printer_job = |ids: &[RequestId]| sesame_service::PrintJob {
        layout: sesame_service::Layout::CardPrinter,
        ..a4_print_job(ids, None)
    };
    let preview = preview_print(&desk, card_printer_job(&ids)).await.unwrap();
    assert_eq!(preview.card_count, 13);
    assert_eq!(preview.cards.len(), 13);
    let sides = preview.page_count / 13;
    assert!(
        preview.page_count % 13 == 0 && (1..=2).contains(&sides),
        "{}",
        preview.page_count
    );
    assert!(preview.needs_reprint_reason);
    assert!(preview.warnings.iter().any(
        |w| w.code == PrintWarningCode::AlreadyPrinted && w.request_id == printed.0.to_string()
    ));

    let file = desk.file("long-preview.pdf");
    let bytes = FileBytes::from_base64(preview.pdf_base64.unwrap())
        .into_bytes()
        .unwrap();
    std::fs::write(&file, &bytes).unwrap();
    let (text, pages) = pdf::check(&file);
    assert_eq!(pages as usize, sesame_service::PREVIEW_PAGES);
    let shown = sesame_service::PREVIEW_PAGES / sides as usize;
    for (i, card) in preview.cards[..12].iter().enumerate() {
        assert_eq!(
            text.contains(&card.badge_number),
            i < shown,
            "card {i}: {}",
            card.badge_number
        );
    }
    let history = request_history(&desk, printed).await.unwrap();
    assert!(history.iter().all(|e| e.action != "preview_reprint"));

    // A card beyond the pages shown is still checked: what would stop the print run
    // stops its preview.
    let unprintable: RequestId = desk
        .approved(new_request("李", "小龍"))
        .await
        .request
        .id
        .into();
    ids.push(unprintable);
    let err = preview_print(&desk, card_printer_job(&ids))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "print.unsupported_character", "{err}");
}
