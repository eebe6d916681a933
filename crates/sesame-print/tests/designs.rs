//! What the badge designer saves: a design is a template file (TOML), every built-in
//! one survives being read and written back, conditional elements print only on the
//! badges they name, and any design the designer can produce loads and renders.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sesame_core::ErrorCode;
use sesame_print::{
    render_pdf, Categories, Condition, DesignElement, DesignHeader, ElementType, Field, FontFamily,
    Layout, LocalText, Locale, Office, PrintError, PrinterProfile, TemplateDesign, TemplateKind,
    TemplateSet, CARD_HEIGHT_MM, CARD_WIDTH_MM,
};

use crate::support::{
    card, pdftotext, render_page, render_square, run, test_photo, write_pdf, zxing,
};

const BUILTIN: [&str; 6] = [
    "staff.toml",
    "contractor.toml",
    "visitor.toml",
    "student.toml",
    "default.toml",
    "visitor-day-pass.toml",
];

fn element(kind: ElementType) -> DesignElement {
    DesignElement::of(kind)
}

fn rect(x: f64, y: f64, width: f64, height: f64, colour: &str) -> DesignElement {
    DesignElement {
        x: Some(x),
        y: Some(y),
        width: Some(width),
        height: Some(height),
        colour: Some(colour.into()),
        ..element(ElementType::Rect)
    }
}

/// The cards printed with `design` alone, one page per side (card printer), in French,
/// written to `dir`.
fn card_printer_pdf(
    design: &TemplateDesign,
    office: &Office,
    cards: &[sesame_print::BadgeCard],
    dir: &std::path::Path,
) -> std::path::PathBuf {
    let template = TemplateSet::parse_design("design.toml", design, None, office).unwrap();
    let set = TemplateSet::from_templates(vec![template]).unwrap();
    let pdf = render_pdf(
        cards,
        &set,
        &Layout::CardPrinter,
        &PrinterProfile::default(),
        Locale::Fr,
    )
    .unwrap();
    write_pdf(dir, "design.pdf", &pdf)
}

/// Why `design` is refused.
fn refusal(design: &TemplateDesign) -> PrintError {
    TemplateSet::parse_design("design.toml", design, None, &Office::default()).unwrap_err()
}

#[test]
fn every_builtin_template_survives_the_designer_round_trip() {
    for file in BUILTIN {
        let text = TemplateSet::builtin_text(file).unwrap();
        let design = TemplateDesign::from_toml(file, text).unwrap();
        let written = design.to_toml();
        assert_eq!(
            TemplateDesign::from_toml(file, &written).unwrap(),
            design,
            "{file}:\n{written}"
        );
        let original = TemplateSet::parse_one(file, text, None).unwrap();
        let saved = TemplateSet::parse_one(file, &written, None).unwrap();
        assert_eq!(
            (saved.category.as_str(), saved.kind, saved.has_back()),
            (
                original.category.as_str(),
                original.kind,
                original.has_back()
            ),
            "{file}"
        );
        assert!(written.starts_with("# Saved by Sésame's badge designer"));
    }
}

#[test]
fn nudged_lengths_are_written_to_the_hundredth_of_a_millimetre() {
    let mut design = TemplateDesign::from_toml(
        "staff.toml",
        TemplateSet::builtin_text("staff.toml").unwrap(),
    )
    .unwrap();
    let photo = design
        .front
        .iter_mut()
        .find(|e| e.kind == ElementType::Photo)
        .unwrap();
    photo.x = Some(4.0 + 0.1 + 0.1 + 0.1);
    let written = design.to_toml();
    assert!(written.contains("x = 4.3\n"), "{written}");
}

/// One design for staff and contractors; the orange band only on contractors' cards.
fn shared_design() -> TemplateDesign {
    let mut band = rect(0.0, 44.0, CARD_WIDTH_MM, 9.98, "#E8590C");
    band.when = Some(Condition {
        field: Field::Category,
        is: Some(vec!["Contractor ".into()]),
        is_not: None,
    });
    let category = DesignElement {
        x: Some(40.0),
        y: Some(5.0),
        width: Some(40.0),
        height: Some(8.0),
        field: Some(Field::Category),
        font_size: Some(10.0),
        ..element(ElementType::Text)
    };
    let photo = DesignElement {
        x: Some(4.0),
        y: Some(5.0),
        width: Some(22.0),
        height: Some(29.33),
        ..element(ElementType::Photo)
    };
    TemplateDesign {
        template: DesignHeader {
            category: Categories::Many(vec!["staff".into(), "contractor".into()]),
            kind: None,
            orientation: None,
            label: Some(LocalText::Same("Badge".into())),
            colour: Some("#1F5FAD".into()),
            width_mm: None,
            height_mm: None,
        },
        front: vec![photo, category, band],
        back: vec![],
    }
}

#[test]
fn a_conditional_band_prints_only_on_the_cards_it_names() {
    let office = Office {
        category_labels: BTreeMap::from([
            ("staff".into(), LocalText::Same("Personnel".into())),
            ("contractor".into(), LocalText::Same("Prestataire".into())),
        ]),
        ..Office::default()
    };
    let template =
        TemplateSet::parse_design("shared.toml", &shared_design(), None, &office).unwrap();
    assert_eq!(template.categories, ["staff", "contractor"]);
    let set = TemplateSet::from_templates(vec![template]).unwrap();
    assert!(set.find("contractor", TemplateKind::Card).is_some());
    let dir = tempfile::tempdir().unwrap();
    let cards = [
        card(
            "B-1",
            "Martin",
            "Anne",
            "staff",
            Some(test_photo(300, 400, 1, 85)),
        ),
        card(
            "B-2",
            "Durand",
            "Paul",
            "contractor",
            Some(test_photo(300, 400, 2, 85)),
        ),
    ];
    let path = card_printer_pdf(&shared_design(), &office, &cards, dir.path());
    // A shared design prints each card's own category's name.
    let text = pdftotext(&path);
    assert!(
        text.contains("Personnel") && text.contains("Prestataire"),
        "{text}"
    );
    // At 254 dpi a pixel is 0.1 mm: the band's middle is (42.8 mm, 49 mm).
    let orange = |page: usize| {
        let png = render_page(&path, page, 254, &dir.path().join(format!("p{page}")));
        let img = image::open(png).unwrap().to_rgb8();
        let px = img.get_pixel(428, 490).0;
        px[0] > 200 && px[1] < 120 && px[2] < 60
    };
    assert!(!orange(1), "the staff card has no band");
    assert!(orange(2), "the contractor's card has its band");
}

#[test]
fn a_car_park_mark_prints_only_on_badges_that_open_the_car_park() {
    let mut design = shared_design();
    let mut mark = rect(70.0, 2.0, 10.0, 10.0, "#1E8449");
    mark.when = Some(Condition {
        field: Field::Zones,
        is: Some(vec!["parking".into()]),
        is_not: None,
    });
    design.front = vec![design.front[0].clone(), mark];
    let mut parked = card("B-1", "Martin", "Anne", "staff", None);
    parked.zones = vec!["Bât A".into(), "Parking".into()];
    let walker = card("B-2", "Durand", "Paul", "staff", None);
    let dir = tempfile::tempdir().unwrap();
    let path = card_printer_pdf(&design, &Office::default(), &[parked, walker], dir.path());
    let green = |page: usize| {
        let png = render_page(&path, page, 254, &dir.path().join(format!("z{page}")));
        let img = image::open(png).unwrap().to_rgb8();
        let px = img.get_pixel(750, 70).0;
        px[1] > 110 && px[0] < 60 && px[2] < 100
    };
    assert!(green(1), "the badge opening the car park has the mark");
    assert!(!green(2), "the other has none");
}

#[test]
fn codes_carry_several_fields_and_data_matrix_and_pdf417_scan() {
    let mut design = shared_design();
    let datamatrix = DesignElement {
        x: Some(5.0),
        y: Some(5.0),
        size: Some(20.0),
        fields: Some(vec![Field::BadgeNumber, Field::FamilyName]),
        separator: Some("|".into()),
        ..element(ElementType::Datamatrix)
    };
    let qr = DesignElement {
        x: Some(50.0),
        y: Some(5.0),
        size: Some(25.0),
        fields: Some(vec![Field::BadgeNumber, Field::GivenNames]),
        ..element(ElementType::Qr)
    };
    let pdf417 = DesignElement {
        x: Some(5.0),
        y: Some(32.0),
        width: Some(75.0),
        height: Some(18.0),
        fields: Some(vec![Field::BadgeNumber, Field::FullName, Field::ValidUntil]),
        separator: Some("|".into()),
        ..element(ElementType::Pdf417)
    };
    design.front = vec![datamatrix, qr, pdf417];
    let dir = tempfile::tempdir().unwrap();
    let cards = [card("B-2026-0042", "Martin", "Anne", "staff", None)];
    let path = card_printer_pdf(&design, &Office::default(), &cards, dir.path());
    let datamatrix = render_square(&path, 1, 300, (2.0, 2.0), 26.0, &dir.path().join("dm"));
    assert_eq!(
        zxing(&datamatrix),
        [("DataMatrix".to_string(), "B-2026-0042|Martin".to_string())]
    );
    let qr = render_square(&path, 1, 300, (47.0, 2.0), 31.0, &dir.path().join("qr"));
    assert_eq!(
        zxing(&qr),
        [("QRCode".to_string(), "B-2026-0042;Anne".to_string())]
    );
    let stacked = render_square(&path, 1, 300, (3.0, 30.0), 80.0, &dir.path().join("pdf417"));
    assert_eq!(
        zxing(&stacked),
        [(
            "PDF417".to_string(),
            "B-2026-0042|Anne Martin|31/12/2027".to_string()
        )]
    );

    // `field` and `fields` together, or an empty list, are refused by name.
    design.front[1].field = Some(Field::BadgeNumber);
    let err = refusal(&design);
    assert!(err.to_string().contains("not both"), "{err}");
    design.front[1].field = None;
    design.front[0].size = Some(4.0);
    let err = refusal(&design);
    assert!(err.to_string().contains("6 mm"), "{err}");
}

#[test]
fn a_photo_frame_is_drawn_inside_the_photo_s_box() {
    let mut design = shared_design();
    design.front[0].border_width = Some(1.0);
    design.front[0].border_colour = Some("#E8590C".into());
    let photo = test_photo(300, 400, 1, 85);
    let dir = tempfile::tempdir().unwrap();
    let cards = [card("B-1", "Martin", "Anne", "staff", Some(photo))];
    let path = card_printer_pdf(&design, &Office::default(), &cards, dir.path());
    let png = render_page(&path, 1, 254, &dir.path().join("frame"));
    let img = image::open(png).unwrap().to_rgb8();
    let orange = |x: u32, y: u32| {
        let px = img.get_pixel(x, y).0;
        px[0] > 200 && px[1] < 120 && px[2] < 60
    };
    // The photo's box starts at (4, 5) mm: the frame is its first millimetre.
    assert!(orange(45, 200), "left edge");
    assert!(orange(150, 55), "top edge");
    assert!(!orange(150, 200), "the photo inside");

    design.front[0].border_width = Some(9.0);
    let err = refusal(&design);
    assert!(err.to_string().contains("border_width"), "{err}");
}

#[test]
fn a_text_can_be_set_in_the_serif_face() {
    let mut design = shared_design();
    design.front[1].font = Some(FontFamily::Serif);
    design.front[1].bold = Some(true);
    let written = design.to_toml();
    assert!(written.contains("font = \"serif\""), "{written}");
    let dir = tempfile::tempdir().unwrap();
    let cards = [card("B-1", "Nguyễn", "Thị", "staff", None)];
    let path = card_printer_pdf(&design, &Office::default(), &cards, dir.path());
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.contains("+DejaVuSerif-Bold"), "{fonts}");
    // Without the office's category names, a shared design prints its own label.
    assert!(pdftotext(&path).contains("Badge"));
}

#[test]
fn conditions_say_what_they_compare_with() {
    let mut design = shared_design();
    let both = Condition {
        field: Field::Category,
        is: Some(vec!["staff".into()]),
        is_not: Some(vec!["contractor".into()]),
    };
    design.front[2].when = Some(both);
    let err = refusal(&design);
    assert_eq!(err.code(), "print.template_invalid");
    assert!(err.to_string().contains("not both"), "{err}");

    design.front[2].when = Some(Condition {
        field: Field::Category,
        is: Some(vec![]),
        is_not: None,
    });
    let err = refusal(&design);
    assert!(err.to_string().contains("front[3] (rect)"), "{err}");

    let mut twice = shared_design();
    twice.template.category = Categories::Many(vec!["staff".into(), "Staff".into()]);
    let err = refusal(&twice);
    assert!(err.to_string().contains("'staff' twice"), "{err}");
}

#[test]
fn two_designs_claiming_one_category_are_refused() {
    let shared =
        TemplateSet::parse_design("shared.toml", &shared_design(), None, &Office::default())
            .unwrap();
    let contractor = TemplateSet::parse_one(
        "contractor.toml",
        TemplateSet::builtin_text("contractor.toml").unwrap(),
        None,
    )
    .unwrap();
    let err = TemplateSet::from_templates(vec![shared, contractor]).unwrap_err();
    assert_eq!(err.code(), "print.duplicate_template");
}

/// Any element the designer can place: inside the card, at a size it allows.
fn placed_element() -> impl Strategy<Value = DesignElement> {
    (
        0usize..5,
        0.0f64..1.0,
        0.0f64..1.0,
        0.1f64..1.0,
        0.1f64..1.0,
        any::<bool>(),
    )
        .prop_map(|(kind, fx, fy, fw, fh, conditional)| {
            let (min_w, min_h) = match kind {
                3 => (8.0, 8.0),
                4 => (20.0, 4.0),
                _ => (1.0, 1.0),
            };
            let width = (min_w + fw * (CARD_WIDTH_MM - min_w)).min(CARD_WIDTH_MM);
            let height = (min_h + fh * (CARD_HEIGHT_MM - min_h)).min(CARD_HEIGHT_MM);
            let x = fx * (CARD_WIDTH_MM - width);
            let y = fy * (CARD_HEIGHT_MM - height);
            let mut e = match kind {
                0 => rect(x, y, width, height, "#336699"),
                1 => DesignElement {
                    x: Some(x),
                    y: Some(y),
                    width: Some(width),
                    height: Some(height),
                    field: Some(Field::FullName),
                    font_size: Some(4.0 + fh * 12.0),
                    min_font_size: Some(2.0),
                    max_lines: Some(2),
                    ..element(ElementType::Text)
                },
                2 => DesignElement {
                    x: Some(x),
                    y: Some(y),
                    width: Some(width),
                    height: Some(height),
                    corner_radius: Some(width.min(height) / 4.0),
                    ..element(ElementType::Photo)
                },
                3 => {
                    let size = width.min(height);
                    DesignElement {
                        x: Some(x),
                        y: Some(y),
                        size: Some(size),
                        field: Some(Field::BadgeNumber),
                        ..element(ElementType::Qr)
                    }
                }
                _ => DesignElement {
                    x: Some(x),
                    y: Some(y),
                    width: Some(width),
                    height: Some(height),
                    field: Some(Field::BadgeNumber),
                    ..element(ElementType::Barcode)
                },
            };
            if conditional {
                e.when = Some(Condition {
                    field: Field::Category,
                    is_not: Some(vec!["visitor".into()]),
                    is: None,
                });
            }
            e
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_design_the_designer_can_save_loads_and_renders(
        front in prop::collection::vec(placed_element(), 1..8),
        back in prop::collection::vec(placed_element(), 0..4),
    ) {
        let design = TemplateDesign {
            template: DesignHeader {
                category: Categories::One("staff".into()),
                kind: None,
                orientation: None,
                label: None,
                colour: None,
                width_mm: None,
                height_mm: None,
            },
            front,
            back,
        };
        let text = design.to_toml();
        let template = TemplateSet::parse_one("any.toml", &text, None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let set = TemplateSet::from_templates(vec![template]).unwrap();
        let cards = [card("B-2026-0042", "Martin", "Anne", "staff", Some(test_photo(60, 80, 1, 80)))];
        let pdf = render_pdf(&cards, &set, &Layout::CardPrinter, &PrinterProfile::default(), Locale::En)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(pdf.starts_with(b"%PDF"));
    }
}
