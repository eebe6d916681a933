//! The desk's main journey on the real app, one screen after the other, with a
//! screenshot of each: intake (with an ID scan and the consent) → photo from the
//! file-backed camera → a refused step shows its translated error → approval →
//! selection sent to the print station → PDF holding the name; then search,
//! settings and the keyboard map.

use std::process::Command;

use fantoccini::Locator;

use crate::harness::{camera_frames, printed_pdfs, AppSession};

/// Number of queue rows drawn for the current filters.
async fn row_count(app: &AppSession) -> usize {
    app.client
        .find_all(Locator::Css("[data-testid=queue-row]"))
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_photo_approval_and_print_on_the_real_app() {
    let frames = camera_frames();
    // A scanned ID card, as the desk's scanner gives it: a JPEG. Not in the camera's
    // folder, which plays every picture it holds as a frame.
    let scans = tempfile::tempdir().unwrap();
    let scan = scans.path().join("id-front.jpg");
    let img = image::RgbImage::from_fn(640, 400, |x, y| {
        image::Rgb([200, (x % 200) as u8 + 40, (y % 200) as u8 + 40])
    });
    img.save(&scan).unwrap();

    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    let app = AppSession::start_with_env(
        home.path(),
        &data_dir,
        &[("SESAME_CAMERA_FOLDER", frames.path().as_os_str())],
    )
    .await;
    app.wait_for("[data-testid=queue-table]").await;
    app.screenshot("screen-queue-empty").await;

    // Intake: a second holder first, to search among two.
    for (family, given, email) in [
        ("Durand", "Zoé", "zoe.durand@example.org"),
        ("Collins", "Eileen", "eileen.collins@example.org"),
    ] {
        app.open_intake(&[
            ("familyName", family),
            ("givenNames", given),
            ("email", email),
        ])
        .await;
        if family == "Collins" {
            app.click("[data-testid=consent]").await;
            app.type_into("[data-testid=doc-front-input]", &scan.display().to_string())
                .await;
            app.wait_for_text("[data-testid=doc-front-state]", "id-front.jpg")
                .await;
            app.screenshot("screen-intake").await;
        }
        app.click("[data-testid=intake-submit]").await;
        app.wait_for_text("[data-testid=notice]", given).await;
    }
    app.wait_for_text("[data-testid=count-all]", "2").await;

    // The detail of the request just saved opened by itself: its scan is there,
    // viewable, and its consent recorded.
    app.wait_for_text("[data-testid=request-panel]", "COLLINS")
        .await;
    app.wait_for_text("[data-testid=detail-doc-front-state]", "JPEG")
        .await;
    app.click("[data-testid=detail-doc-front-view]").await;
    app.wait_for("[data-testid=document-viewer] img").await;
    app.screenshot("screen-document-viewer").await;
    app.click("[data-testid=document-viewer] button").await;
    app.wait_gone("[data-testid=document-viewer]").await;
    let consent = app.wait_for("[data-testid=detail-consent]").await;
    assert_eq!(
        consent.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );

    // Photo from the folder camera, captured and saved.
    app.click("[data-testid=open-photo-station]").await;
    app.start_folder_camera(frames.path()).await;
    app.wait_for("[data-testid=camera-facebox]").await;
    app.wait_for_text("[data-testid=camera-overall]", "Photo conforme")
        .await;
    app.screenshot("screen-photo-station-live").await;
    app.click("[data-testid=camera-capture]").await;
    app.wait_long("[data-testid=photo-cropped]").await;
    app.click("[data-testid=photo-save]").await;
    app.wait_for_text("[data-testid=photo-saved]", "Photo enregistrée")
        .await;
    app.click("[data-testid=photo-close]").await;
    app.wait_gone("[data-testid=photo-station]").await;
    app.wait_for("[data-testid=request-photo-image]").await;

    // The holder certifies the photo; the request becomes ready for review.
    app.click("[data-testid=detail-certify]").await;
    app.wait_for_text("[data-testid=request-history]", "Certifier la photo")
        .await;
    if app
        .client
        .find(Locator::Css("[data-testid=action-evaluate]"))
        .await
        .is_ok()
    {
        app.click("[data-testid=action-evaluate]").await;
    }
    app.wait_for("[data-testid=action-approve]").await;
    app.screenshot("screen-request-detail").await;

    // A refused step: refusing needs a reason. The backend's code comes back
    // translated, and nothing changed.
    app.click("[data-testid=action-refuse]").await;
    let banner = app
        .wait_for_text(
            "[data-testid=request-panel] [data-testid=error-banner]",
            "motif",
        )
        .await;
    assert!(banner.contains("obligatoire"), "{banner}");
    let code = app
        .wait_for("[data-testid=request-panel] [data-testid=error-banner]")
        .await
        .attr("data-code")
        .await
        .unwrap();
    assert_eq!(code.as_deref(), Some("request.reason_required"));
    app.screenshot("screen-refused-transition").await;

    app.click("[data-testid=action-approve]").await;
    app.wait_for_text("[data-testid=request-panel]", "Approuvée")
        .await;

    // Search: accents and case ignored, only the matching holder is listed.
    app.type_into("[data-testid=queue-search]", "zoe").await;
    app.wait_for_text("[data-testid=queue-table]", "DURAND")
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while row_count(&app).await != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "search left {} rows",
            row_count(&app).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.screenshot("screen-queue-search").await;
    app.wait_for("[data-testid=queue-search]")
        .await
        .clear()
        .await
        .unwrap();
    app.type_into("[data-testid=queue-search]", "collins").await;
    app.wait_for_text("[data-testid=queue-table]", "COLLINS")
        .await;

    // Select the approved request and send the selection to the print station.
    app.click("[data-testid=queue-row] [data-testid=row-check]")
        .await;
    app.wait_for("[data-testid=bulk-bar]").await;
    app.screenshot("screen-queue-selection").await;
    app.click("[data-testid=bulk-print]").await;
    app.wait_for_text("[data-testid=print-rows]", "COLLINS")
        .await;
    app.click("[data-testid=print-preview]").await;
    app.wait_long("[data-testid=pdf-page]").await;
    app.screenshot("screen-print-station").await;
    app.click("[data-testid=print-go]").await;
    app.wait_for_text("[data-testid=print-result]", ".pdf")
        .await;

    // Back on the queue, the request is printed, with its badge number.
    app.click("[data-testid=nav-queue]").await;
    app.click("[data-testid=count-printed]").await;
    app.wait_for_text("[data-testid=queue-table]", "COLLINS")
        .await;

    // Settings and the keyboard map, for the record.
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-tab-policy]").await;
    app.wait_for("[data-testid=category-staff]").await;
    app.screenshot("screen-settings-rules").await;
    app.click("[data-testid=settings-tab-database]").await;
    app.wait_for_text("[data-testid=db-in-use]", "sesame.sqlite3")
        .await;
    app.screenshot("screen-settings-database").await;
    app.click("[data-testid=settings-tab-templates]").await;
    app.wait_for("[data-testid=template-row]").await;
    app.screenshot("screen-settings-templates").await;
    app.click("[data-testid=settings-tab-security]").await;
    app.wait_for("[data-testid=settings-security]").await;
    app.screenshot("screen-settings-security").await;
    app.click("[data-testid=nav-badges]").await;
    app.wait_for("[data-testid=badges-screen]").await;
    app.screenshot("screen-badges").await;
    app.click("[data-testid=open-keyboard-help]").await;
    app.wait_for("[data-testid=keyboard-help]").await;
    app.screenshot("screen-keyboard-help").await;
    app.close().await;

    // The PDF is in the print folder and holds the holder's name.
    let pdfs = printed_pdfs(home.path());
    assert_eq!(pdfs.len(), 1, "expected one PDF, found {pdfs:?}");
    let text = Command::new("pdftotext")
        .arg(&pdfs[0])
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("COLLINS"), "{text}");
    assert!(text.contains("Eileen"), "{text}");
}

/// Names are data, never markup: a holder named like a script is shown as text
/// and runs nothing (CSP and Svelte's escaping).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_html_and_script_is_shown_as_text_and_never_runs() {
    let app = AppSession::start().await;
    let hostile = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
    app.open_intake(&[("familyName", hostile), ("givenNames", "Mallory")])
        .await;
    app.click("[data-testid=intake-submit]").await;
    app.wait_for_text("[data-testid=queue-table]", "Mallory")
        .await;
    app.wait_for_text("[data-testid=request-panel]", "<SCRIPT>")
        .await;
    // Closed, the panel comes back by clicking the holder's name.
    app.wait_for("[data-testid=request-panel] header button")
        .await
        .click()
        .await
        .unwrap();
    app.wait_gone("[data-testid=request-panel]").await;
    app.click("[data-testid=queue-row] td.holder button").await;
    app.wait_for_text("[data-testid=request-panel]", "Mallory")
        .await;
    let state = app
        .client
        .execute(
            "return { pwned: window.__pwned ?? null, imgs: document.querySelectorAll('[data-testid=queue-table] img, [data-testid=request-panel] img[src=x]').length }",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(state["pwned"], serde_json::Value::Null, "{state}");
    assert_eq!(state["imgs"], 0, "{state}");
    app.screenshot("hostile-name-as-text").await;
    app.close().await;
}

/// The screen facing the holder: a second window (full screen on a second monitor
/// when there is one; Xvfb has one screen, so a window) that shows the live frame
/// and the guidance, and closes with the photo station.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_holder_view_shows_the_live_camera_in_its_own_window() {
    let frames = camera_frames();
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    let app = AppSession::start_with_env(
        home.path(),
        &data_dir,
        &[("SESAME_CAMERA_FOLDER", frames.path().as_os_str())],
    )
    .await;
    app.open_intake(&[("familyName", "Ride"), ("givenNames", "Sally")])
        .await;
    app.click("[data-testid=intake-submit]").await;
    app.click("[data-testid=open-photo-station]").await;
    app.start_folder_camera(frames.path()).await;
    app.wait_for("[data-testid=camera-facebox]").await;

    let main = app.client.window().await.unwrap();
    app.click("[data-testid=holder-view-toggle]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let holder = loop {
        let handles = app.client.windows().await.unwrap();
        if let Some(other) = handles.into_iter().find(|h| *h != main) {
            break other;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the holder's window never opened"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    app.client.switch_to_window(holder).await.unwrap();
    // The holder's window polls the same live frame as the desk's.
    app.wait_for("[data-testid=holder-view] img").await;
    app.screenshot("screen-holder-view").await;
    // It may read the camera and nothing else: the queue is refused by its capability.
    let refused = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             window.__TAURI_INTERNALS__.invoke('list_requests', { query: {} })\
               .then(() => done('allowed'), (e) => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert_ne!(refused, "allowed", "the holder's window reached the queue");
    app.client.switch_to_window(main).await.unwrap();
    app.click("[data-testid=photo-close]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while app.client.windows().await.unwrap().len() > 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the holder's window stayed open after the station closed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.close().await;
}
