//! The badges' PDF written as the cards come (`BadgeWriter`): pages reach the output
//! as soon as their cards are in, and a card's photo is let go once its pages are.

use crate::support;

use std::sync::{Arc, Weak};

use sesame_core::ErrorCode;
use sesame_print::{
    render_pdf, BadgeCard, BadgeWriter, Layout, Locale, PrintError, PrinterProfile, SheetLayout,
    TemplateSet,
};
use support::*;

/// `count` cards of the sample categories, each with a photo of its own.
fn cards_with_own_photos(count: usize) -> Vec<BadgeCard> {
    let base = sample_cards();
    (0..count)
        .map(|i| {
            let mut card = base[i % base.len()].clone();
            card.badge_number = format!("B-2026-{:04}", 200 + i);
            card.photo_jpeg = Some(Arc::from(test_photo(120, 160, i as u32, 80)));
            card
        })
        .collect()
}

/// Each card's photo, watched without being held: freed once no one holds it.
fn watch_photos(cards: &[BadgeCard]) -> Vec<Weak<[u8]>> {
    cards
        .iter()
        .map(|c| Arc::downgrade(c.photo_jpeg.as_ref().unwrap()))
        .collect()
}

#[test]
fn each_sheet_is_written_and_its_photos_let_go_before_the_next_card_comes() {
    let cards = cards_with_own_photos(25);
    let templates = TemplateSet::builtin();
    let layout = Layout::A4Sheet(SheetLayout::default());
    let printer = PrinterProfile::default();
    let expected = render_pdf(&cards, &templates, &layout, &printer, Locale::Fr).unwrap();
    // Photos freed as their sheet is written: held by their cards only.

    let photos = watch_photos(&cards);
    let categories: Vec<String> = cards.iter().map(|c| c.category.clone()).collect();
    let mut out = Vec::new();
    let mut writer = BadgeWriter::start(
        categories.iter().map(String::as_str),
        &templates,
        &layout,
        &printer,
        Locale::Fr,
        &mut out,
    )
    .unwrap();
    let mut written_after = Vec::new();
    for (i, card) in cards.into_iter().enumerate() {
        writer.add(card).unwrap();
        let held: Vec<usize> = (0..=i).filter(|j| photos[*j].strong_count() > 0).collect();
        written_after.push(held);
    }
    // Ten cards a sheet: the tenth card completes the first sheet (front and back).
    assert_eq!(written_after[8], (0..=8).collect::<Vec<_>>());
    assert!(written_after[9].is_empty(), "{:?}", written_after[9]);
    assert_eq!(written_after[12], vec![10, 11, 12]);
    assert!(written_after[19].is_empty(), "{:?}", written_after[19]);
    let written = writer.finish().unwrap();
    assert_eq!(written.pages, 6, "three sheets, fronts and backs");
    assert_eq!(written.bytes as usize, out.len());
    // The same file as the whole-batch call, byte for byte.
    assert!(out == expected, "the streamed PDF differs");

    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "streamed.pdf", &out);
    qpdf_check(&pdf);
    assert_eq!(page_sizes(&pdf).len(), 6);
    let text = pdftotext(&pdf);
    for i in 0..25 {
        let number = format!("B-2026-{:04}", 200 + i);
        assert!(text.contains(&number), "{number} missing");
    }
    let images = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(images.lines().filter(|l| l.contains(" jpeg ")).count(), 25);
}

#[test]
fn card_printer_pages_go_out_card_by_card() {
    let cards = cards_with_own_photos(3);
    let templates = TemplateSet::builtin();
    let printer = PrinterProfile::default();
    let categories: Vec<String> = cards.iter().map(|c| c.category.clone()).collect();
    let mut out = Vec::new();
    let mut writer = BadgeWriter::start(
        categories.iter().map(String::as_str),
        &templates,
        &Layout::CardPrinter,
        &printer,
        Locale::En,
        &mut out,
    )
    .unwrap();
    let photos = watch_photos(&cards);
    for (i, card) in cards.into_iter().enumerate() {
        writer.add(card).unwrap();
        assert_eq!(photos[i].strong_count(), 0, "card {i}'s pages are out");
    }
    let written = writer.finish().unwrap();
    assert!(written.pages >= 3);
}

#[test]
fn a_run_must_bring_the_cards_it_announced() {
    let cards = cards_with_own_photos(2);
    let templates = TemplateSet::builtin();
    let printer = PrinterProfile::default();
    let start = |out: &mut Vec<u8>| {
        let categories = [cards[0].category.as_str(), cards[1].category.as_str()];
        BadgeWriter::start(
            categories,
            &templates,
            &Layout::CardPrinter,
            &printer,
            Locale::Fr,
            std::mem::take(out),
        )
    };
    let mut out = Vec::new();
    let writer = start(&mut out).unwrap();
    let fewer = writer.finish().err().expect("one card short");
    assert!(matches!(fewer, PrintError::InvalidLayout(_)), "{fewer}");

    let mut writer = start(&mut out).unwrap();
    for card in &cards {
        writer.add(card.clone()).unwrap();
    }
    let more = writer.add(cards[0].clone()).expect_err("one card too many");
    assert!(matches!(more, PrintError::InvalidLayout(_)), "{more}");

    let none: [&str; 0] = [];
    let empty = BadgeWriter::start(
        none,
        &templates,
        &Layout::CardPrinter,
        &printer,
        Locale::Fr,
        Vec::new(),
    );
    assert!(matches!(empty.err(), Some(PrintError::NoCards)));
}

#[test]
fn a_preview_writes_the_first_pages_from_the_cards_they_show() {
    let cards = cards_with_own_photos(25);
    let templates = TemplateSet::builtin();
    let layout = Layout::A4Sheet(SheetLayout::default());
    let printer = PrinterProfile::default();
    let categories: Vec<&str> = cards.iter().map(|c| c.category.as_str()).collect();
    let start = || {
        BadgeWriter::start(
            categories.iter().copied(),
            &templates,
            &layout,
            &printer,
            Locale::Fr,
            Vec::new(),
        )
        .unwrap()
    };
    let writer = start();
    assert_eq!(writer.page_count(), 6);
    assert_eq!(writer.cards_expected(), 25);
    // Three pages: the first sheet's front and back, the second sheet's front.
    let mut writer = writer.first_pages_only(3).unwrap();
    assert_eq!((writer.page_count(), writer.cards_expected()), (3, 20));
    for card in cards.iter().take(20) {
        writer.add(card.clone()).unwrap();
    }
    assert_eq!(writer.cards_expected(), 0);
    let written = writer.finish().unwrap();
    assert_eq!(written.pages, 3);
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "preview.pdf", &written.out);
    qpdf_check(&pdf);
    assert_eq!(page_sizes(&pdf).len(), 3);
    let text = pdftotext(&pdf);
    assert!(text.contains("B-2026-0219") && !text.contains("B-2026-0220"));

    // More pages than the run has: the whole run.
    let whole = start().first_pages_only(12).unwrap();
    assert_eq!((whole.page_count(), whole.cards_expected()), (6, 25));
    // Chosen before the first card only.
    let mut started = start();
    started.add(cards[0].clone()).unwrap();
    assert!(matches!(
        started.first_pages_only(2).err(),
        Some(PrintError::InvalidLayout(_))
    ));
}

#[test]
fn a_card_not_written_can_still_be_checked() {
    let templates = TemplateSet::builtin();
    let printer = PrinterProfile::default();
    let layout = Layout::A4Sheet(SheetLayout::default());
    let writer = BadgeWriter::start(
        ["staff"],
        &templates,
        &layout,
        &printer,
        Locale::Fr,
        Vec::new(),
    )
    .unwrap();
    let cards = cards_with_own_photos(1);
    writer.check(&cards[0]).unwrap();

    let mut unknown_character = cards[0].clone();
    unknown_character.family_name = "李".into();
    let err = writer.check(&unknown_character).unwrap_err();
    assert_eq!(err.code(), "print.unsupported_character");
    let mut not_a_jpeg = cards[0].clone();
    not_a_jpeg.photo_jpeg = Some(Arc::from(&b"not a photo"[..]));
    assert_eq!(
        writer.check(&not_a_jpeg).unwrap_err().code(),
        "print.photo_not_jpeg"
    );
}

#[test]
fn a_batch_with_a_card_that_cannot_be_drawn_writes_nothing() {
    let mut cards = cards_with_own_photos(12);
    cards[11].given_names = "小龍".into();
    let mut out = Vec::new();
    let err = sesame_print::write_pdf(
        &cards,
        &TemplateSet::builtin(),
        &Layout::A4Sheet(SheetLayout::default()),
        &PrinterProfile::default(),
        Locale::Fr,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(err.code(), "print.unsupported_character");
    assert!(out.is_empty(), "{} bytes written", out.len());
}
