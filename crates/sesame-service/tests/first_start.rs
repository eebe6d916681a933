//! A new queue's first start, as the window's setup submits it: the office's name and
//! logo, the categories it keeps, where this desk's files go and the first supervisor,
//! checked as a whole before anything is written, then printed on the badges.

use base64::Engine as _;
use sesame_core::{ErrorCode, OperatorRole};
use sesame_service::{
    first_start_defaults, get_policy, office_settings, print_badges, save_office_settings,
    set_up_desk, sign_in_state, FirstStartInput, FirstSupervisorInput, OfficeInput, RequestId,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::{new_request, photo_jpeg};
use sesame_test_support::pdf;

const OFFICE: &str = "Bureau des badges du campus Sud";

/// A small JPEG logo, distinct from anything else a badge embeds (JPEGs go in byte for byte).
fn logo_jpeg() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_fn(64, 32, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 8) as u8, 140])
    })
    .write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    bytes
}

fn input(name: &str, categories: &[&str], folder: Option<&str>) -> FirstStartInput {
    FirstStartInput {
        office: OfficeInput {
            name: name.into(),
            logo_base64: Some(base64::engine::general_purpose::STANDARD.encode(logo_jpeg())),
            output_folder: folder.map(str::to_owned),
        },
        categories: categories.iter().map(|c| c.to_string()).collect(),
        supervisor: FirstSupervisorInput {
            name: "claire".into(),
            display_name: "Claire Martin".into(),
            pin: "975310".into(),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_sets_up_the_office_and_its_badges_show_it() {
    // The helper desk registered itself without a PIN: nobody can sign in yet.
    let site = TestDesk::sqlite_as("setup-helper").await;
    let desk = site.signed_out_desk().await;
    let defaults = first_start_defaults(&desk).await.unwrap();
    let keys: Vec<_> = defaults.categories.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["staff", "contractor", "student", "visitor"]);
    assert!(defaults.categories.iter().all(|c| !c.label_fr.is_empty()));

    // Each refusal names its field and leaves the queue as new as it was.
    let folder = tempfile::tempdir().unwrap();
    let chosen = folder.path().join("badges imprimés");
    let chosen_text = chosen.to_str().unwrap();
    for (bad, code) in [
        (
            input("  ", &["staff"], Some(chosen_text)),
            "office.name_invalid",
        ),
        (
            input(OFFICE, &[], Some(chosen_text)),
            "setup.categories_invalid",
        ),
        (
            input(OFFICE, &["staff", "pilot"], Some(chosen_text)),
            "setup.categories_invalid",
        ),
        (
            input(OFFICE, &["staff"], Some("relative/folder")),
            "office.output_folder_invalid",
        ),
    ] {
        let error = set_up_desk(&desk, bad).await.unwrap_err();
        assert_eq!(error.code(), code);
        assert!(sign_in_state(&desk).await.unwrap().setup_needed, "{code}");
    }
    let mut no_logo = input(OFFICE, &["staff"], None);
    no_logo.office.logo_base64 = Some(base64::engine::general_purpose::STANDARD.encode("GIF89a"));
    assert_eq!(
        set_up_desk(&desk, no_logo).await.unwrap_err().code(),
        "office.logo_unreadable"
    );
    assert!(!chosen.exists(), "a refused setup created no folder");

    let session = set_up_desk(
        &desk,
        input(OFFICE, &["staff", "visitor"], Some(chosen_text)),
    )
    .await
    .unwrap();
    assert_eq!(session.operator, "claire");
    assert_eq!(session.role, OperatorRole::Supervisor);
    assert!(!sign_in_state(&desk).await.unwrap().setup_needed);
    assert_eq!(
        first_start_defaults(&desk).await.unwrap_err().code(),
        "operator.setup_done"
    );
    let policy = get_policy(&desk).await.unwrap();
    assert_eq!(policy.category_keys(), ["staff", "visitor"]);
    let office = office_settings(&desk).await.unwrap();
    assert_eq!(office.name, OFFICE);
    assert!(office.logo_base64.is_some());
    assert!(chosen.is_dir());
    let config = std::fs::read_to_string(site.file("desk.json")).unwrap();
    assert!(config.contains("badges imprimés"), "{config}");

    // The badges carry the office's name and its logo (embedded as given).
    let id: RequestId = site
        .approved_with_photo(new_request("Nakamura", "Aiko"), &photo_jpeg(90))
        .await
        .request
        .id
        .into();
    let out = folder.path().join("badges.pdf");
    print_badges(&desk, print_to_file(a4_print_job(&[id], None), &out))
        .await
        .unwrap();
    assert!(pdf::is_valid(&out));
    let text = pdf::text(&out);
    assert!(text.contains(OFFICE), "{text}");
    assert!(!text.contains("Sésame"), "{text}");
    let bytes = std::fs::read(&out).unwrap();
    let logo = logo_jpeg();
    assert!(
        bytes.windows(logo.len()).any(|w| w == logo.as_slice()),
        "the office's logo is not in the PDF"
    );

    // A supervisor renames the office later; a clerk may not.
    let renamed = save_office_settings(
        &desk,
        OfficeInput {
            name: "Service des cartes".into(),
            logo_base64: None,
            output_folder: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(renamed.name, "Service des cartes");
    assert!(renamed.logo_base64.is_none());
    assert!(config.contains("badges imprimés"), "the folder is kept");
    let clerk = site.another_desk("marc").await;
    let error = save_office_settings(
        &clerk,
        OfficeInput {
            name: "Autre".into(),
            logo_base64: None,
            output_folder: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "operator.supervisor_required");
    clerk.close().await;
    desk.close().await;
    site.finish().await;
}
