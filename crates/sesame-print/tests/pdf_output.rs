//! Real PDFs, checked with the tools a print shop would use: qpdf, poppler, zbar.

use crate::support;

use std::path::Path;

use sesame_print::{
    render_calibration_pdf, render_pdf, DayPassLayout, DayPassPaper, Layout, Locale,
    PrinterProfile, SheetLayout, TemplateSet,
};
use support::*;

fn grey_photo(width: u32, height: u32) -> Vec<u8> {
    let rgb = image::load_from_memory(&test_photo(width, height, 9, 85)).unwrap();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb.to_luma8())
        .unwrap();
    out
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn card_printer_pdf_is_valid_exact_size_and_extractable() {
    let dir = out_dir();
    let cards = sample_cards();
    let bytes = render_pdf(
        &cards,
        &TemplateSet::builtin(),
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "cards.pdf", &bytes);
    qpdf_check(&pdf);

    let sizes = page_sizes(&pdf);
    assert_eq!(sizes.len(), 8, "front and back per card");
    for (w, h) in sizes {
        assert!(
            (w - mm_to_pt(85.60)).abs() < 0.01 && (h - mm_to_pt(53.98)).abs() < 0.01,
            "{w} x {h}"
        );
    }

    let text = pdftotext(&pdf);
    for expected in [
        "Ægir",
        "ÞÓRSSON",
        "Łukasz",
        "ŻÓŁĆ",
        "Thị Minh Khai",
        "NGUYỄN",
        "Éloïse Marie-Thérèse",
        "ŒUVRAY-",
        "Valide jusqu’au 31/12/2027",
        "B-2026-0003",
        "PRESTATAIRE",
        "Ingénieure système",
    ] {
        assert!(
            text.contains(expected),
            "pdftotext lacks {expected:?}:\n{text}"
        );
    }

    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "subset tag: {row}"
        );
        // name type encoding emb sub uni object ID
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "emb/sub/uni: {row}"
        );
    }
}

#[test]
fn photos_are_embedded_as_their_original_jpeg_bytes() {
    let dir = out_dir();
    let mut cards = sample_cards();
    cards[3].photo_jpeg = Some(grey_photo(240, 320).into());
    let bytes = render_pdf(
        &cards,
        &TemplateSet::builtin(),
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::En,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "photos.pdf", &bytes);

    let list = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let photos: Vec<Vec<&str>> = list
        .lines()
        .filter(|l| l.contains(" jpeg "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(photos.len(), 4, "four cards have photos:\n{list}");
    // page num type width height color comp bpc enc ...
    for cols in &photos[..3] {
        assert_eq!(
            (cols[3], cols[4], cols[5], cols[6]),
            ("300", "400", "rgb", "3"),
            "{cols:?}"
        );
    }
    let grey = &photos[3];
    assert_eq!(
        (grey[3], grey[4], grey[5], grey[6]),
        ("240", "320", "gray", "1"),
        "{grey:?}"
    );

    // Extracted JPEG streams are byte-identical to the inputs.
    let stem = dir.path().join("img");
    run(
        "pdfimages",
        &["-j", pdf.to_str().unwrap(), stem.to_str().unwrap()],
    );
    let mut extracted: Vec<Vec<u8>> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let mut originals: Vec<Vec<u8>> = cards
        .iter()
        .filter_map(|c| c.photo_jpeg.as_ref().map(|p| p.to_vec()))
        .collect();
    extracted.sort();
    originals.sort();
    assert_eq!(extracted, originals);
}

#[test]
fn qr_code_and_barcode_decode_to_the_badge_number() {
    let dir = out_dir();
    let cards = sample_cards();
    let bytes = render_pdf(
        &cards[..2],
        &TemplateSet::builtin(),
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "codes.pdf", &bytes);
    let front = render_page(&pdf, 3, 300, &dir.path().join("front"));
    assert_eq!(zbar(&front), vec!["QR-Code:B-2026-0002".to_string()]);
    let back = render_page(&pdf, 4, 300, &dir.path().join("back"));
    assert_eq!(zbar(&back), vec!["CODE-128:B-2026-0002".to_string()]);
}

#[test]
fn card_renders_match_the_reviewed_references() {
    let dir = out_dir();
    let cards = sample_cards();
    let bytes = render_pdf(
        &cards,
        &TemplateSet::builtin(),
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "cards.pdf", &bytes);
    for (page, name) in [
        (1, "card-staff-front.png"),
        (2, "card-staff-back.png"),
        (5, "card-student-front.png"),
        (7, "card-visitor-no-photo-front.png"),
    ] {
        let png = render_page(&pdf, page, 100, &dir.path().join(format!("p{page}")));
        compare_with_reference(&png, name);
    }
}

#[test]
fn a4_sheets_put_ten_cards_per_page_with_backs_mirrored() {
    let dir = out_dir();
    let base = sample_cards();
    let cards: Vec<_> = (0..12)
        .map(|i| {
            let mut c = base[i % 4].clone();
            c.badge_number = format!("B-2026-{:04}", 100 + i);
            c
        })
        .collect();
    let layout = Layout::A4Sheet(SheetLayout::default());
    let bytes = render_pdf(
        &cards,
        &TemplateSet::builtin(),
        &layout,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "sheets.pdf", &bytes);
    qpdf_check(&pdf);
    let sizes = page_sizes(&pdf);
    assert_eq!(sizes.len(), 4, "two sheets, each front then back");
    for (w, h) in sizes {
        assert!((w - mm_to_pt(210.0)).abs() < 0.01 && (h - mm_to_pt(297.0)).abs() < 0.01);
    }
    // Photos are shared between cards that use the same file: embedded once each.
    let list = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let uses: Vec<&str> = list
        .lines()
        .filter(|l| l.contains(" jpeg "))
        .map(|l| l.split_whitespace().nth(10).unwrap())
        .collect();
    let objects: std::collections::BTreeSet<&&str> = uses.iter().collect();
    assert_eq!(uses.len(), 9, "12 cards, 3 of 4 with a photo:\n{list}");
    assert_eq!(
        objects.len(),
        3,
        "cloned cards share their photo's Arc: one object each:\n{list}"
    );

    let front = render_page(&pdf, 1, 50, &dir.path().join("sheet-front"));
    compare_with_reference(&front, "a4-sheet-front.png");
    let back = render_page(&pdf, 2, 50, &dir.path().join("sheet-back"));
    compare_with_reference(&back, "a4-sheet-back.png");
}

#[test]
fn printer_offset_moves_the_whole_print() {
    let dir = out_dir();
    let cards = sample_cards();
    let shifted = PrinterProfile {
        offset_x_mm: 2.0,
        offset_y_mm: -1.5,
        ..PrinterProfile::default()
    };
    let layout = Layout::A4Sheet(SheetLayout::default());
    let plain = render_pdf(
        &cards[..1],
        &TemplateSet::builtin(),
        &layout,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let moved = render_pdf(
        &cards[..1],
        &TemplateSet::builtin(),
        &layout,
        &shifted,
        Locale::Fr,
    )
    .unwrap();
    let a = render_page(
        &write_pdf(dir.path(), "a.pdf", &plain),
        1,
        254,
        &dir.path().join("a"),
    );
    let b = render_page(
        &write_pdf(dir.path(), "b.pdf", &moved),
        1,
        254,
        &dir.path().join("b"),
    );
    // At 254 dpi one pixel is 0.1 mm: the band's top-left corner moves 20 px right, 15 px up.
    let corner = |p: &Path| {
        let img = image::open(p).unwrap().to_rgb8();
        let blue = |x: u32, y: u32| {
            let px = img.get_pixel(x, y).0;
            px[2] > 150 && px[0] < 80
        };
        let y = (0..img.height())
            .find(|y| (0..img.width()).any(|x| blue(x, *y)))
            .unwrap();
        let x = (0..img.width()).find(|x| blue(*x, y)).unwrap();
        (x as i64, y as i64)
    };
    let (ax, ay) = corner(&a);
    let (bx, by) = corner(&b);
    assert!(
        ((bx - ax) - 20).abs() <= 1 && ((by - ay) + 15).abs() <= 1,
        "{:?} -> {:?}",
        (ax, ay),
        (bx, by)
    );
}

#[test]
fn day_pass_prints_on_a6_and_on_labels() {
    let dir = out_dir();
    let cards = sample_cards();
    let visitor = vec![cards[3].clone(), cards[0].clone()];
    let mut visitor = visitor;
    visitor[1].category = "visitor".into();
    let a6 = Layout::DayPass(DayPassLayout {
        paper: DayPassPaper::A6,
    });
    let bytes = render_pdf(
        &visitor,
        &TemplateSet::builtin(),
        &a6,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "daypass.pdf", &bytes);
    qpdf_check(&pdf);
    let sizes = page_sizes(&pdf);
    assert_eq!(sizes.len(), 2);
    assert!(
        (sizes[0].0 - mm_to_pt(105.0)).abs() < 0.01 && (sizes[0].1 - mm_to_pt(148.0)).abs() < 0.01
    );
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Reçu par Amélie Durand") && text.contains("Valable le 21 novembre 2026"),
        "{text}"
    );
    let png = render_page(&pdf, 2, 50, &dir.path().join("daypass"));
    compare_with_reference(&png, "day-pass-a6.png");
    let qr = render_page(&pdf, 1, 200, &dir.path().join("daypass-qr"));
    assert_eq!(zbar(&qr), vec!["QR-Code:B-2026-0004".to_string()]);

    let label = Layout::DayPass(DayPassLayout {
        paper: DayPassPaper::Label {
            width_mm: 62.0,
            height_mm: 100.0,
        },
    });
    let bytes = render_pdf(
        &visitor[..1],
        &TemplateSet::builtin(),
        &label,
        &PrinterProfile::default(),
        Locale::En,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "label.pdf", &bytes);
    qpdf_check(&pdf);
    let sizes = page_sizes(&pdf);
    assert!(
        (sizes[0].0 - mm_to_pt(62.0)).abs() < 0.01 && (sizes[0].1 - mm_to_pt(100.0)).abs() < 0.01
    );
    assert!(pdftotext(&pdf).contains("Visiting Amélie Durand"));
}

#[test]
fn calibration_pages_are_valid_and_explain_the_measure() {
    let dir = out_dir();
    let profile = PrinterProfile {
        offset_x_mm: 1.5,
        offset_y_mm: -0.5,
        ..PrinterProfile::default()
    };
    let bytes = render_calibration_pdf(
        &Layout::A4Sheet(SheetLayout::default()),
        &profile,
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "calibration.pdf", &bytes);
    qpdf_check(&pdf);
    assert_eq!(page_sizes(&pdf).len(), 2);
    let text = pdftotext(&pdf);
    assert!(
        text.contains("X = 1,5 mm, Y = -0,5 mm") && text.contains("verso"),
        "{text}"
    );
    let png = render_page(&pdf, 1, 50, &dir.path().join("calibration"));
    compare_with_reference(&png, "calibration-a4.png");

    let bytes =
        render_calibration_pdf(&Layout::CardPrinter, &PrinterProfile::default(), Locale::En)
            .unwrap();
    let pdf = write_pdf(dir.path(), "calibration-card.pdf", &bytes);
    qpdf_check(&pdf);
    assert!(pdftotext(&pdf).contains("Printer calibration"));
}

fn portrait_templates() -> TemplateSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let text = std::fs::read_to_string(dir.join("extra/staff-portrait.toml")).unwrap();
    let portrait = TemplateSet::parse_one("staff-portrait.toml", &text, Some(&dir)).unwrap();
    TemplateSet::from_templates(vec![portrait]).unwrap()
}

#[test]
fn portrait_cards_print_turned_on_cards_and_sheets() {
    let dir = out_dir();
    let templates = portrait_templates();
    let mut cards = sample_cards();
    cards.iter_mut().for_each(|c| c.category = "staff".into());

    let bytes = render_pdf(
        &cards[..2],
        &templates,
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "portrait-cards.pdf", &bytes);
    qpdf_check(&pdf);
    for (w, h) in page_sizes(&pdf) {
        assert!(
            (w - mm_to_pt(85.60)).abs() < 0.01 && (h - mm_to_pt(53.98)).abs() < 0.01,
            "{w} x {h}"
        );
    }
    let text = pdftotext(&pdf);
    assert!(
        text.contains("ÞÓRSSON") && text.contains("Łukasz"),
        "{text}"
    );
    let back = render_page(&pdf, 2, 300, &dir.path().join("portrait-back"));
    let mut codes = zbar(&back);
    codes.sort();
    assert_eq!(
        codes,
        vec![
            "CODE-128:B-2026-0001".to_string(),
            "QR-Code:B-2026-0001".to_string()
        ]
    );
    let front = render_page(&pdf, 1, 100, &dir.path().join("portrait-front"));
    compare_with_reference(&front, "card-portrait-front.png");

    let sheet = Layout::A4Sheet(SheetLayout::default());
    let bytes = render_pdf(
        &cards,
        &templates,
        &sheet,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    let pdf = write_pdf(dir.path(), "portrait-sheet.pdf", &bytes);
    qpdf_check(&pdf);
    let front = render_page(&pdf, 1, 50, &dir.path().join("portrait-sheet-front"));
    compare_with_reference(&front, "a4-portrait-front.png");
    let back = render_page(&pdf, 2, 50, &dir.path().join("portrait-sheet-back"));
    compare_with_reference(&back, "a4-portrait-back.png");
}
