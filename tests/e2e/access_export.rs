//! The access-control export on the real app: a supervisor makes a profile from
//! Genetec's Import tool format in Settings › Access control, runs it, and the
//! desk's folder holds the CSV with the active badges and their photos beside it;
//! a badge without a usable photo is named; a profile the backend refuses keeps the
//! form and names the problem in French.

use sesame_core::{DispatchMethod, RequestAction};
use sesame_store::Store;
use sesame_test_support::fixtures::{active_badge, walk};

use crate::harness::{print_dir, AppSession};
use crate::print::approved_request;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_made_from_genetecs_format_writes_the_csv_and_photos_the_system_imports() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    // Anne's badge is active with a real photo; Zoé Sansphoto's photo cannot be read.
    let anne = approved_request(&store, "Martin", "Anne").await;
    let anne = walk(
        &store,
        anne.parse().unwrap(),
        "e2e",
        &[
            RequestAction::MarkPrinted,
            RequestAction::Dispatch {
                method: DispatchMethod::HandedOver,
            },
            RequestAction::Activate,
        ],
    )
    .await
    .badge
    .expect("Anne's badge");
    let zoe = active_badge(&store, "Sansphoto", &[], "e2e").await;
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-tab-access]").await;
    app.wait_for_text("[data-testid=access-empty]", "Aucun profil d’export")
        .await;
    app.wait_for("[data-testid=access-new-format]")
        .await
        .select_by_value("genetec-import-tool")
        .await
        .unwrap();
    app.click("[data-testid=access-create]").await;
    let name = app.wait_for("[data-testid=access-profile-name]").await;
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Genetec Security Center — outil d’importation")
    );
    app.type_into("[data-testid=access-facility-code]", "35")
        .await;

    // A column left with a blank header: refused, named, the form kept as typed.
    // (WebDriver's clear fires no input event: the space typed after it does.)
    let first_header = "[data-testid=access-column] td:nth-child(3) input";
    let header = app.wait_for(first_header).await;
    let kept = header.prop("value").await.unwrap().unwrap_or_default();
    header.clear().await.unwrap();
    header.send_keys(" ").await.unwrap();
    app.click("[data-testid=access-profile-save]").await;
    app.wait_for_text(
        "[data-testid=error-banner]",
        "Chaque colonne a besoin d’un en-tête.",
    )
    .await;
    assert!(app
        .wait_for("[data-testid=access-profile-form]")
        .await
        .is_displayed()
        .await
        .unwrap());
    header.clear().await.unwrap();
    header.send_keys(&kept).await.unwrap();
    app.click("[data-testid=access-profile-save]").await;
    app.wait_for("[data-testid=access-profile][data-profile=genetec-import-tool]")
        .await;
    app.wait_for_text("[data-testid=access-last-run]", "Jamais lancé")
        .await;

    app.click("[data-testid=access-run]").await;
    let outcome = app
        .wait_for_text("[data-testid=access-outcome]", "2 badge(s) et 1 photo(s)")
        .await;
    let folder = print_dir(home.path()).join("controle-acces/genetec-import-tool");
    assert!(outcome.contains(&folder.display().to_string()), "{outcome}");
    app.wait_for_text(
        "[data-testid=access-without-photo]",
        &format!("Sans photo utilisable : {}.", zoe.number),
    )
    .await;
    app.wait_for_text("[data-testid=access-last-run]", "2 badge(s), 1 photo(s)")
        .await;

    // The file Genetec's Import tool reads: its field names, one line per badge,
    // the picture as a path beside it.
    let csv: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert_eq!(csv.len(), 1, "{csv:?}");
    let text = std::fs::read_to_string(&csv[0]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Cardholder first name,Cardholder last name"),
        "{text}"
    );
    assert_eq!(lines.len(), 3, "{text}");
    let photo = folder.join(format!("{}.jpg", anne.number));
    let anne_line = lines
        .iter()
        .find(|l| l.contains("Martin"))
        .expect("Anne's line");
    assert!(anne_line.starts_with("Anne,Martin,"), "{anne_line}");
    assert!(
        anne_line.contains(&photo.display().to_string()),
        "{anne_line}"
    );
    assert!(anne_line.contains(",35,"), "{anne_line}");
    assert_eq!(image::image_dimensions(&photo).unwrap(), (300, 400));

    app.click("[data-testid=access-history]").await;
    app.wait_for("[data-testid=access-runs] [data-testid=access-run-row]")
        .await;
    app.close().await;
}
