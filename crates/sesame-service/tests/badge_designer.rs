//! The badge designer on a real desk: a template opened as a design, its preview
//! rendered by the print engine, and a save that moves the photo, shares the design
//! with students behind a conditional band, and changes what the next print run
//! draws. A refused design leaves the office's folder as it was.

use sesame_core::ErrorCode;
use sesame_print::{Categories, Condition, DesignElement, ElementType, Field, TemplateDesign};
use sesame_service::{
    add_template_image, list_templates, open_template_design, preview_template_design,
    print_badges, save_template_design, DesignPreviewInput, DesignSaveInput, FileBytes, Locale,
    PreviewHolder, PrintWarningCode, RequestId, TemplateImageUpload,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::{holder, photo_jpeg, request_for};
use sesame_test_support::pdf;

const BAND_RGB: &str = "0.9098 0.349 0.0471 rg";

fn band() -> DesignElement {
    DesignElement {
        x: Some(0.0),
        y: Some(44.0),
        width: Some(85.6),
        height: Some(9.98),
        colour: Some("#E8590C".into()),
        when: Some(Condition {
            field: Field::Category,
            is: Some(vec!["student".into()]),
            is_not: None,
        }),
        ..DesignElement::of(ElementType::Rect)
    }
}

/// A 10 mm picture at the card's right.
fn picture(file: &str) -> DesignElement {
    DesignElement {
        x: Some(70.0),
        y: Some(20.0),
        width: Some(10.0),
        height: Some(10.0),
        file: Some(file.into()),
        ..DesignElement::of(ElementType::Image)
    }
}

fn photo_x(design: &TemplateDesign) -> f64 {
    design
        .front
        .iter()
        .find(|e| e.kind == ElementType::Photo)
        .and_then(|e| e.x)
        .unwrap()
}

async fn approved(desk: &TestDesk, family: &str, category: &str) -> RequestId {
    let mut details = holder(family, "Anne");
    details.category = category.into();
    details.mission_end = Some(sesame_test_support::day(200));
    desk.approved_with_photo(request_for(details), &photo_jpeg(90))
        .await
        .request
        .id
        .into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_design_moves_the_photo_and_bands_only_the_students_card() {
    let desk = TestDesk::sqlite().await;
    let opened = open_template_design(&desk, "staff.toml".into())
        .await
        .unwrap();
    assert!(opened.text.contains("[template]"));
    let before_x = photo_x(&opened.design);

    let mut design = opened.design.clone();
    design.template.category = Categories::Many(vec!["staff".into(), "student".into()]);
    for element in &mut design.front {
        if element.kind == ElementType::Photo {
            element.x = Some(before_x + 5.0);
        }
    }
    design.front.push(band());

    // The preview draws the band for a sample student, not for a sample staff member.
    for (category, banded) in [("student", true), ("staff", false)] {
        let preview = preview_template_design(
            &desk,
            DesignPreviewInput {
                file: "staff.toml".into(),
                design: design.clone(),
                holder: PreviewHolder::Sample {
                    category: category.into(),
                },
                locale: Locale::Fr,
            },
        )
        .await
        .unwrap();
        let bytes = base64_decode(&preview.pdf_base64);
        let file = desk.file(&format!("preview-{category}.pdf"));
        std::fs::write(&file, bytes).unwrap();
        let pages = pdf::page_contents(&file);
        assert_eq!(pages[0].contains(BAND_RGB), banded, "{category}");
    }
    // Nothing is saved by a preview.
    assert!(!list_templates(&desk).await.unwrap().office_templates);

    let list = save_template_design(
        &desk,
        DesignSaveInput {
            file: "staff.toml".into(),
            design: design.clone(),
        },
    )
    .await
    .unwrap();
    let staff = list
        .templates
        .iter()
        .find(|t| t.file == "staff.toml")
        .unwrap();
    assert_eq!(staff.categories, ["staff", "student"]);
    assert!(!list.templates.iter().any(|t| t.file == "student.toml"));
    assert_eq!(list.version, Some(1));
    // The students' own template left the set; it stays in the built-in one.
    let reopened = open_template_design(&desk, "staff.toml".into())
        .await
        .unwrap();
    assert_eq!(reopened.design, design);

    // The next print run: staff then student, one card each.
    let staff_id = approved(&desk, "Martin", "staff").await;
    let student_id = approved(&desk, "Durand", "student").await;
    let out = desk.file("run.pdf");
    let mut job = a4_print_job(&[staff_id, student_id], None);
    job.layout = sesame_service::Layout::CardPrinter;
    print_badges(&desk, print_to_file(job, &out)).await.unwrap();
    let (text, _) = pdf::check(&out);
    assert!(
        text.contains("ÉTUDIANT"),
        "a shared design prints the card's own category: {text}"
    );
    let pages = pdf::page_contents(&out);
    // Card printer: front and back of the staff card, then the student's.
    let fronts = [&pages[0], &pages[2]];
    assert!(!fronts[0].contains(BAND_RGB));
    assert!(fronts[1].contains(BAND_RGB));
    // Each front's largest image is the photo (the other is the logo): 5 mm right of
    // the built-in template's.
    for front in fronts {
        let (left, ..) = pdf::image_boxes(front)
            .into_iter()
            .max_by(|a, b| (a.2 * a.3).total_cmp(&(b.2 * b.3)))
            .unwrap();
        let moved_mm = left * 25.4 / 72.0;
        assert!(
            (moved_mm - (before_x + 5.0)).abs() < 0.6,
            "photo at {moved_mm} mm"
        );
    }

    // The audit log has the save, with what it took from the students' template; the
    // print run recorded the version it printed with.
    let store = desk.store().await;
    let history = store
        .audit_for(sesame_core::AuditEntity::Settings, "templates")
        .await
        .unwrap();
    let saved = history
        .iter()
        .find(|e| e.action == "template_version")
        .unwrap();
    let after = saved.after.as_ref().unwrap();
    assert_eq!(after["removed"][0], "student.toml");
    assert_eq!(after["note"], "designer: staff.toml");
    let printed = store.audit_for_request(student_id.0).await.unwrap();
    assert!(
        printed
            .iter()
            .any(|e| e.after.as_ref().is_some_and(|a| a["templateVersion"] == 1)),
        "{printed:?}"
    );
}

#[tokio::test]
async fn a_refused_design_leaves_the_folder_as_it_was() {
    let desk = TestDesk::sqlite().await;
    let mut design = open_template_design(&desk, "visitor.toml".into())
        .await
        .unwrap()
        .design;
    design.front[0].width = Some(185.6);
    let error = save_template_design(
        &desk,
        DesignSaveInput {
            file: "visitor.toml".into(),
            design,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "print.template_invalid");
    assert!(!list_templates(&desk).await.unwrap().office_templates);

    // A design taking a category from a template and then refused by the whole set's
    // check saves nothing: the set in use stays as it was.
    let mut staff = open_template_design(&desk, "staff.toml".into())
        .await
        .unwrap()
        .design;
    staff.template.category = Categories::Many(vec!["staff".into(), "student".into()]);
    save_template_design(
        &desk,
        DesignSaveInput {
            file: "staff.toml".into(),
            design: staff.clone(),
        },
    )
    .await
    .unwrap();
    let store = desk.store().await;
    let before = store.latest_templates().await.unwrap().unwrap();
    let mut broken = staff;
    broken.template.category = Categories::Many(vec!["staff".into(), "visitor".into()]);
    broken.front.push(picture("missing.png"));
    let error = save_template_design(
        &desk,
        DesignSaveInput {
            file: "staff.toml".into(),
            design: broken,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "print.template_image");
    assert!(error.to_string().contains("missing.png"), "{error}");
    assert_eq!(store.latest_templates().await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn a_request_that_cannot_be_previewed_shows_the_sample_and_says_why() {
    let desk = TestDesk::sqlite().await;
    let design = open_template_design(&desk, "staff.toml".into())
        .await
        .unwrap()
        .design;
    let registered = desk.registered(request_for(holder("Petit", "Léa"))).await;
    let preview = preview_template_design(
        &desk,
        DesignPreviewInput {
            file: "staff.toml".into(),
            design,
            holder: PreviewHolder::Request { id: registered },
            locale: Locale::En,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        preview.request_left_out,
        Some(PrintWarningCode::NotApproved)
    );
    assert!(!preview.pdf_base64.is_empty());
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[tokio::test]
async fn a_picture_added_in_the_designer_is_drawn_by_every_desk() {
    let desk = TestDesk::sqlite().await;
    let mut design = open_template_design(&desk, "staff.toml".into())
        .await
        .unwrap()
        .design;
    design.front.push(picture("parking.png"));
    let save = |design: TemplateDesign| DesignSaveInput {
        file: "staff.toml".into(),
        design,
    };
    // Not there yet: refused with the picture's name.
    let error = save_template_design(&desk, save(design.clone()))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "print.template_image");
    assert!(error.to_string().contains("parking.png"), "{error}");

    let logo = include_bytes!("../../sesame-print/templates/logo.png").to_vec();
    let images = add_template_image(
        &desk,
        TemplateImageUpload {
            name: "Parking.PNG".into(),
            content: FileBytes::from(logo),
        },
    )
    .await
    .unwrap();
    assert_eq!(images[0].name, "Parking.png");
    design.front.last_mut().unwrap().file = Some("Parking.png".into());
    save_template_design(&desk, save(design)).await.unwrap();

    // Another desk on the same queue (its own data folder) prints with it.
    let other = desk.another_desk("bob").await;
    let set = sesame_service::desk_templates(&other).await.unwrap();
    assert!(set
        .find("staff", sesame_print::TemplateKind::Card)
        .is_some());

    let not_a_picture = add_template_image(
        &desk,
        TemplateImageUpload {
            name: "notes.png".into(),
            content: FileBytes::from(b"hello".to_vec()),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(not_a_picture.code(), "print.template_image");
}
