//! Printing on a real SQLite desk: the preview, the print run that issues numbers in
//! the PDF's transaction, reprints. Every PDF is checked with qpdf and pdftotext
//! (Debian packages qpdf and poppler-utils).

use std::path::Path;
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sesame_core::{
    AttachmentKind, ErrorCode, HolderDetails, RequestAction, RequestDetails, RequestKind,
    RequestStatus,
};
use sesame_service::{
    preview_print, print_to_file, Desk, Layout, Locale, PrintJob, PrintWarningCode, PrinterProfile,
    SheetLayout,
};
use sesame_store::NewRequest;
use uuid::Uuid;

async fn desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    Desk::open(dir.path(), &url).await.unwrap()
}

/// A real photo file: a 300 × 400 gradient, as JPEG or PNG.
fn photo(format: image::ImageFormat, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, shade])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// A staff request with its photo, approved; returns its id.
async fn approved(desk: &Desk, family: &str, given: &str, png: bool) -> Uuid {
    let store = desk.store();
    let op = desk.operator().to_string();
    let new = NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: family.into(),
            given_names: given.into(),
            email: Some(format!("h{}@example.org", Uuid::now_v7().simple())),
            phone: None,
            organisation: Some("Université".into()),
            unit: Some("Laboratoire".into()),
            category: "staff".into(),
            external_id: None,
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: Some(chrono::Utc::now().date_naive() + chrono::Days::new(300)),
        },
        request: RequestDetails {
            zones: vec!["Bât A".into()],
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    let id = store.create_request(new, &op).await.unwrap().request.id;
    let format = if png {
        image::ImageFormat::Png
    } else {
        image::ImageFormat::Jpeg
    };
    store
        .put_attachment(id, AttachmentKind::Photo, &photo(format, 90), &op)
        .await
        .unwrap();
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
    ] {
        v = store
            .transition(id, v, action, &op, None)
            .await
            .unwrap()
            .request
            .version;
    }
    id
}

fn job(ids: &[Uuid], reprint_reason: Option<&str>) -> PrintJob {
    PrintJob {
        request_ids: ids.iter().map(Uuid::to_string).collect(),
        layout: Layout::A4Sheet(SheetLayout::default()),
        printer: PrinterProfile::default(),
        locale: Locale::Fr,
        reprint_reason: reprint_reason.map(str::to_owned),
    }
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is not installed ({e}): apt-get install qpdf poppler-utils")
        });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Checks the PDF with qpdf and returns its text and page count (pdftotext, pdfinfo).
fn check_pdf(path: &Path) -> (String, u32) {
    let file = path.to_str().unwrap();
    tool("qpdf", &["--check", file]);
    let text = tool("pdftotext", &[file, "-"]);
    let info = tool("pdfinfo", &[file]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|p| p.trim().parse().unwrap())
        .unwrap();
    (text, pages)
}

fn assert_names(text: &str, names: &[&str]) {
    let upper = text.to_uppercase();
    for name in names {
        assert!(
            upper.contains(&name.to_uppercase()),
            "{name} not found in the PDF text:\n{text}"
        );
    }
}

async fn status(desk: &Desk, id: Uuid) -> (RequestStatus, Option<String>) {
    let detail = desk.store().get_request(id).await.unwrap();
    (detail.request.status, detail.badge.map(|b| b.number))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printing_assigns_numbers_and_marks_printed_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let a = approved(&desk, "Þórsson", "Ægir", false).await;
    let b = approved(&desk, "Żółć", "Łukasz", true).await;
    let c = approved(&desk, "Œuvray-Lefèvre", "Éloïse", false).await;
    let ids = [a, b, c];

    // The preview is the real PDF, with the numbers printing would give, and changes nothing.
    let preview = preview_print(&desk, job(&ids, None)).await.unwrap();
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
    let pdf = STANDARD.decode(preview.pdf_base64.unwrap()).unwrap();
    let preview_file = dir.path().join("preview.pdf");
    std::fs::write(&preview_file, &pdf).unwrap();
    let (text, pages) = check_pdf(&preview_file);
    assert_eq!(pages, preview.page_count);
    assert_names(&text, &["Ægir", "Łukasz", "Éloïse", "Þórsson", "Żółć"]);
    for id in ids {
        assert_eq!(status(&desk, id).await, (RequestStatus::Approved, None));
    }

    let out = dir.path().join("run").join("badges.pdf");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let outcome = print_to_file(&desk, job(&ids, None), &out).await.unwrap();
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
    let (text, pages) = check_pdf(&out);
    assert_eq!(pages, outcome.page_count);
    assert_names(&text, &["Ægir", "Łukasz", "Éloïse", "B000002"]);
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
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let a = approved(&desk, "Martin", "Zoé", false).await;
    let out = dir.path().join("no-such-folder").join("badges.pdf");
    let err = print_to_file(&desk, job(&[a], None), &out)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "print.output_unwritable", "{err}");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    assert_eq!(status(&desk, a).await, (RequestStatus::Approved, None));
    let history = desk.store().audit_for_request(a).await.unwrap();
    assert!(history.iter().all(|e| e.action != "mark_printed"));

    // the number was not used up
    let out = dir.path().join("badges.pdf");
    let outcome = print_to_file(&desk, job(&[a], None), &out).await.unwrap();
    assert_eq!(outcome.printed[0].badge_number, "B000001");
    check_pdf(&out);

    // nothing printable is an error naming why, and writes no file
    let other = dir.path().join("nothing.pdf");
    let err = print_to_file(&desk, job(&[Uuid::now_v7()], None), &other)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "print.nothing_to_print");
    assert!(err.to_string().contains("not_found"), "{err}");
    assert!(!other.exists());
    let err = print_to_file(&desk, job(&[], None), &other)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "print.nothing_selected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reprint_needs_a_reason_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let a = approved(&desk, "Nguyễn", "Thị Minh Khai", false).await;
    let first = dir.path().join("first.pdf");
    print_to_file(&desk, job(&[a], None), &first).await.unwrap();
    let b = approved(&desk, "Dupont", "Jean", false).await;
    let waiting = desk
        .store()
        .create_request(
            NewRequest {
                holder_id: None,
                holder: desk.store().get_request(b).await.unwrap().holder.details,
                request: RequestDetails::new(RequestKind::NewBadge),
            },
            desk.operator(),
        )
        .await
        .unwrap()
        .request
        .id;

    // the preview warns before printing again
    let preview = preview_print(&desk, job(&[a, b, waiting], None))
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
    let out = dir.path().join("again.pdf");
    for reason in [None, Some("   ")] {
        let err = print_to_file(&desk, job(&[a, b], reason), &out)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "print.reprint_reason_required");
        assert!(err.to_string().contains("B000001"), "{err}");
    }
    assert!(!out.exists());
    assert_eq!(status(&desk, b).await, (RequestStatus::Approved, None));

    let outcome = print_to_file(&desk, job(&[a, b], Some("card jammed")), &out)
        .await
        .unwrap();
    let printed: Vec<_> = outcome
        .printed
        .iter()
        .map(|p| (p.badge_number.as_str(), p.reprint))
        .collect();
    assert_eq!(printed, [("B000001", true), ("B000002", false)]);
    let (text, _) = check_pdf(&out);
    assert_names(&text, &["Nguyễn", "Thị Minh Khai", "Jean"]);
    let reprint = desk
        .store()
        .audit_for_request(a)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "reprint")
        .expect("reprint audited");
    assert_eq!(reprint.reason.as_deref(), Some("card jammed"));
    assert_eq!(reprint.operator, desk.operator());
    assert_eq!(
        status(&desk, b).await,
        (RequestStatus::Printed, Some("B000002".into()))
    );
}
