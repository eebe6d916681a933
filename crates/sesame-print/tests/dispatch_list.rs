//! The dispatch list PDF, read back with poppler and checked with qpdf.

use crate::support;

use sesame_core::DispatchMethod;
use sesame_print::{
    render_dispatch_list, DispatchList, DispatchListRow, Locale, PrintError, DISPATCH_ROWS_PER_PAGE,
};
use support::*;

fn row(holder: &str, unit: &str, number: &str) -> DispatchListRow {
    DispatchListRow {
        holder: holder.into(),
        unit: unit.into(),
        badge_number: number.into(),
    }
}

fn list(method: DispatchMethod, rows: Vec<DispatchListRow>) -> DispatchList {
    DispatchList {
        reference: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        method,
        date: date(2026, 11, 21),
        operator: "Élodie".into(),
        rows,
    }
}

#[test]
fn internal_mail_list_in_french_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        row("ŒUVRAY-LEFÈVRE Zoé", "Laboratoire de physique", "B000042"),
        row(
            "NGUYỄN Thị Minh Khai",
            "Direction des ressources humaines",
            "B000043",
        ),
        row("DUPONT Jean", "", "B000044"),
    ];
    let pdf = render_dispatch_list(&list(DispatchMethod::InternalMail, rows), Locale::Fr).unwrap();
    let path = write_pdf(dir.path(), "bordereau.pdf", &pdf);
    qpdf_check(&path);
    let sizes = page_sizes(&path);
    assert_eq!(sizes.len(), 1);
    assert!(
        (sizes[0].0 - mm_to_pt(210.0)).abs() < 0.5 && (sizes[0].1 - mm_to_pt(297.0)).abs() < 0.5
    );
    let text = pdftotext(&path);
    for expected in [
        "Bordereau d’envoi de badges — courrier interne",
        "Titulaire",
        "Unité",
        "N° de badge",
        "Signature",
        "ŒUVRAY-LEFÈVRE Zoé",
        "NGUYỄN Thị Minh Khai",
        "Laboratoire de physique",
        "B000042",
        "B000044",
        "21/11/2026",
        "Élodie",
        "3 badges",
        "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "Page 1 / 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // one date per row, plus the header's
    assert_eq!(text.matches("21/11/2026").count(), 4, "{text}");
}

#[test]
fn hand_over_list_in_english_spans_pages_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let count = DISPATCH_ROWS_PER_PAGE + 5;
    let rows = (1..=count)
        .map(|i| row(&format!("HOLDER{i:03} Given"), "Unit", &format!("B{i:06}")))
        .collect();
    let pdf = render_dispatch_list(&list(DispatchMethod::HandedOver, rows), Locale::En).unwrap();
    let path = write_pdf(dir.path(), "handover.pdf", &pdf);
    qpdf_check(&path);
    assert_eq!(page_sizes(&path).len(), 2);
    let text = pdftotext(&path);
    assert!(text.contains("Badge hand-over list"), "{text}");
    assert!(
        text.contains("Holder") && text.contains("Badge no."),
        "{text}"
    );
    assert!(
        text.contains("Page 1 of 2") && text.contains("Page 2 of 2"),
        "{text}"
    );
    assert!(text.contains(&format!("{count} badges")), "{text}");
    let positions: Vec<usize> = (1..=count)
        .map(|i| {
            text.find(&format!("B{i:06}"))
                .unwrap_or_else(|| panic!("B{i:06} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "rows out of order"
    );
    // the second page starts with the row after the last of the first
    let second = text.split('\u{c}').nth(1).unwrap();
    assert!(second.contains(&format!("B{:06}", DISPATCH_ROWS_PER_PAGE + 1)));
    assert!(!second.contains(&format!("B{:06}", DISPATCH_ROWS_PER_PAGE)));
}

#[test]
fn an_empty_list_is_refused() {
    assert!(matches!(
        render_dispatch_list(&list(DispatchMethod::HandedOver, vec![]), Locale::Fr),
        Err(PrintError::NoCards)
    ));
}
