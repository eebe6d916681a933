//! Bad input is refused with a coded error naming the badge, before any output.

use crate::support;

use std::sync::Arc;

use sesame_core::ErrorCode;
use sesame_print::{
    render_pdf, write_pdf, Layout, Locale, PrinterProfile, SheetLayout, TemplateSet,
};
use support::*;

fn render(cards: &[sesame_print::BadgeCard]) -> Result<Vec<u8>, sesame_print::PrintError> {
    render_pdf(
        cards,
        &TemplateSet::builtin(),
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
}

#[test]
fn a_photo_that_is_not_a_jpeg_is_refused() {
    let mut c = card("B-1", "Dupont", "Jean", "staff", None);
    c.photo_jpeg = Some(Arc::from(&b"\x89PNG\r\n\x1a\n0000"[..]));
    let err = render(&[c]).unwrap_err();
    assert_eq!(err.code(), "print.photo_not_jpeg");
    assert!(err.to_string().contains("B-1"));
}

#[test]
fn characters_outside_the_font_are_refused_not_dropped() {
    let c = card("B-2", "李", "小龍", "staff", None);
    let err = render(&[c]).unwrap_err();
    assert_eq!(err.code(), "print.unsupported_character");
    assert!(err.to_string().contains("U+674E"), "{err}");
}

#[test]
fn decomposed_accents_are_normalised_to_nfc() {
    // "Éloïse" typed with combining marks (E + U+0301, i + U+0308).
    let c = card(
        "B-3",
        "Lefe\u{300}vre",
        "E\u{301}loi\u{308}se",
        "staff",
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = support::write_pdf(dir.path(), "nfc.pdf", &render(&[c]).unwrap());
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Éloïse") && text.contains("LEFÈVRE"),
        "{text}"
    );
}

#[test]
fn a_category_without_template_is_reported() {
    let only_staff = TemplateSet::from_templates(vec![TemplateSet::parse_one(
        "staff.toml",
        include_str!("../templates/staff.toml"),
        None,
    )
    .unwrap()])
    .unwrap();
    let c = card("B-4", "Martin", "Lou", "contractor", None);
    let err = render_pdf(
        &[c],
        &only_staff,
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap_err();
    assert_eq!(err.code(), "print.no_template");
    assert!(err.to_string().contains("contractor") && err.to_string().contains("B-4"));
}

#[test]
fn badge_numbers_a_barcode_cannot_carry_are_reported() {
    let c = card("N°-Ž1", "Martin", "Lou", "staff", None);
    let err = render(&[c]).unwrap_err();
    assert_eq!(err.code(), "print.barcode_encoding");
}

#[test]
fn impossible_layouts_and_empty_runs_are_refused_without_output() {
    let c = card("B-5", "Martin", "Lou", "staff", None);
    let layout = Layout::A4Sheet(SheetLayout {
        columns: 3,
        ..SheetLayout::default()
    });
    let mut out = Vec::new();
    let err = write_pdf(
        &[c],
        &TemplateSet::builtin(),
        &layout,
        &PrinterProfile::default(),
        Locale::Fr,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(err.code(), "print.invalid_layout");
    assert!(out.is_empty());
    assert_eq!(render(&[]).unwrap_err().code(), "print.no_cards");
}
