//! The photo station's service calls on a real SQLite desk, with the real face models
//! and the scikit-image test photos (scripts/fetch-test-photos.sh).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sesame_core::{AuditEntity, ErrorCode, HolderDetails, RequestDetails, RequestKind};
use sesame_service::{
    camera_capture, camera_close, camera_frame, camera_list, camera_open, check_photo_bytes,
    create_request, get_request_photo, save_request_photo, CameraOpenInput, Desk, SavePhotoInput,
    CAMERA_FOLDER_ENV,
};
use sesame_store::NewRequest;

fn test_photo(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../.cache/test-photos")
        .join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-test-photos.sh",
        path.display()
    );
    path
}

async fn desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    Desk::open(dir.path(), &url).await.unwrap()
}

async fn new_request(desk: &Desk) -> String {
    let new = NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: "Collins".into(),
            given_names: "Eileen".into(),
            email: Some("eileen.collins@example.org".into()),
            phone: None,
            organisation: Some("NASA".into()),
            unit: None,
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
    create_request(desk, new)
        .await
        .unwrap()
        .request
        .id
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_photo_is_checked_cropped_and_saved_with_its_edits() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let id = new_request(&desk).await;
    assert!(get_request_photo(&desk, id.clone())
        .await
        .unwrap()
        .is_none());

    let bytes = std::fs::read(test_photo("astronaut.png")).unwrap();
    let outcome = check_photo_bytes(&desk, STANDARD.encode(&bytes))
        .await
        .unwrap();
    assert!(
        !outcome.report.is_refused(),
        "{:?}",
        outcome.report.failures()
    );
    assert!(outcome.report.face.is_some());
    let edits = outcome.edits.clone().expect("a face, so a crop");
    let cropped = outcome.cropped_jpeg_base64.clone().unwrap();
    assert!(!outcome.original_preview_jpeg_base64.is_empty());

    let detail = save_request_photo(
        &desk,
        SavePhotoInput {
            request_id: id.clone(),
            jpeg_base64: cropped.clone(),
            edits: edits.clone(),
        },
    )
    .await
    .unwrap();
    let photo_meta = detail
        .attachments
        .iter()
        .find(|a| a.kind == sesame_core::AttachmentKind::Photo)
        .expect("the request has its photo");

    let stored = desk.store().get_attachment(photo_meta.id).await.unwrap();
    assert_eq!(
        stored.bytes,
        STANDARD.decode(&cropped).unwrap(),
        "the checked bytes are stored as is"
    );
    let audit = desk
        .store()
        .audit_for(AuditEntity::Attachment, &photo_meta.id.to_string())
        .await
        .unwrap();
    let recorded = &audit.last().unwrap().after.as_ref().unwrap()["details"]["photoEdits"];
    assert_eq!(recorded["crop"]["width"], edits.crop.width);
    assert_eq!(recorded["outputHeight"], 531);

    // The report recorded is the one on the original: 512 px, so resolution warns.
    assert_eq!(
        audit.last().unwrap().after.as_ref().unwrap()["details"]["report"]["imageWidth"],
        512
    );
    let shown = get_request_photo(&desk, id).await.unwrap().unwrap();
    assert_eq!(shown.edits, Some(edits));
    assert_eq!(shown.report, outcome.report);
    assert_eq!(
        shown.report.verdict,
        sesame_photo::OverallVerdict::AcceptedWithWarnings
    );
}

#[tokio::test]
async fn bytes_from_the_ui_are_checked_again_before_saving() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let id = new_request(&desk).await;
    let astronaut = std::fs::read(test_photo("astronaut.png")).unwrap();
    let outcome = check_photo_bytes(&desk, STANDARD.encode(&astronaut))
        .await
        .unwrap();
    let edits = outcome.edits.unwrap();

    // Not an image at all.
    let err = check_photo_bytes(&desk, STANDARD.encode(b"%PDF-1.7 not a photo"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "photo.not_an_image");

    // The whole original instead of the badge photo: wrong size, refused.
    let err = save_request_photo(
        &desk,
        SavePhotoInput {
            request_id: id.clone(),
            jpeg_base64: STANDARD.encode(&astronaut),
            edits: edits.clone(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "photo.not_a_badge_photo", "{err}");

    // A badge-sized photo of a cat: no face, refused.
    let cat = sesame_photo::import_photo(
        &std::fs::read(test_photo("chelsea.png")).unwrap(),
        &Default::default(),
    )
    .unwrap();
    let cat = sesame_photo::image::imageops::resize(
        cat.image(),
        413,
        531,
        sesame_photo::image::imageops::FilterType::Triangle,
    );
    let cat = sesame_photo::ImportedPhoto::from_image(cat)
        .to_jpeg(90)
        .unwrap();
    let err = save_request_photo(
        &desk,
        SavePhotoInput {
            request_id: id.clone(),
            jpeg_base64: STANDARD.encode(&cat),
            edits,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "photo.refused", "{err}");
    assert!(
        get_request_photo(&desk, id.clone())
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );

    // The crop of a refused photo (too dark), exactly as this desk made it: not saved.
    let mut dark = sesame_photo::import_photo(&astronaut, &Default::default())
        .unwrap()
        .into_image();
    for p in dark.pixels_mut() {
        p.0 = p.0.map(|v| (f32::from(v) * 0.25) as u8);
    }
    let mut png = Vec::new();
    dark.write_to(
        &mut std::io::Cursor::new(&mut png),
        sesame_photo::image::ImageFormat::Png,
    )
    .unwrap();
    let refused = check_photo_bytes(&desk, STANDARD.encode(&png))
        .await
        .unwrap();
    assert!(refused.report.is_refused(), "{:?}", refused.report.verdict);
    let err = save_request_photo(
        &desk,
        SavePhotoInput {
            request_id: id.clone(),
            jpeg_base64: refused.cropped_jpeg_base64.unwrap(),
            edits: refused.edits.unwrap(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "photo.refused", "{err}");
    assert!(
        get_request_photo(&desk, id).await.unwrap().is_none(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_folder_camera_streams_analysed_frames_and_captures() {
    let frames = tempfile::tempdir().unwrap();
    for n in 0..3 {
        std::fs::copy(
            test_photo("astronaut.png"),
            frames.path().join(format!("frame-{n}.png")),
        )
        .unwrap();
    }
    // Only this test sets the variable in this process.
    std::env::set_var(CAMERA_FOLDER_ENV, frames.path());
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;

    let err = camera_frame(&desk).await.unwrap_err();
    assert_eq!(err.code(), "photo.camera_not_open");

    let cameras = camera_list(&desk).await.unwrap();
    let folder = cameras
        .iter()
        .find(|c| c.id.starts_with("file:"))
        .expect("the test folder camera is listed");
    assert_eq!(folder.name, "Dossier de test / Test folder");
    assert_eq!(folder.modes[0].width, 512);

    camera_open(
        &desk,
        CameraOpenInput {
            camera_id: folder.id.clone(),
            mode: None,
            auto_capture: false,
        },
    )
    .await
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut sequences = Vec::new();
    while sequences.len() < 10 {
        assert!(
            Instant::now() < deadline,
            "frames stopped after {sequences:?}"
        );
        if let Some(frame) = camera_frame(&desk).await.unwrap() {
            if sequences.last() != Some(&frame.sequence) {
                assert!(
                    frame.report.face.is_some(),
                    "frame {} has no face",
                    frame.sequence
                );
                assert!(!frame.jpeg_base64.is_empty());
                sequences.push(frame.sequence);
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let last = camera_frame(&desk).await.unwrap().unwrap();
    println!(
        "folder camera: {:.1} preview fps, {:.1} analyses/s",
        last.fps, last.analysis_fps
    );
    // The folder plays at 25 fps; the preview must keep up (>= 20 fps).
    assert!(last.fps >= 20.0, "preview at {:.1} fps", last.fps);
    let still = camera_capture(&desk).await.unwrap();
    assert_eq!(still.report.image_width, 512);
    assert!(still.cropped_jpeg_base64.is_some());
    assert!(camera_close(&desk).await.unwrap());
    assert!(!camera_close(&desk).await.unwrap());

    // A folder the configuration does not name cannot be opened, whatever id
    // the UI sends: the webview never chooses what the backend reads.
    let elsewhere = tempfile::tempdir().unwrap();
    let err = camera_open(
        &desk,
        CameraOpenInput {
            camera_id: format!("file:{}", elsewhere.path().display()),
            mode: None,
            auto_capture: false,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "photo.camera_not_found");

    // A folder without images: a coded error, and import still works.
    let empty = tempfile::tempdir().unwrap();
    std::env::set_var(CAMERA_FOLDER_ENV, empty.path());
    let err = camera_open(
        &desk,
        CameraOpenInput {
            camera_id: format!("file:{}", empty.path().display()),
            mode: None,
            auto_capture: true,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "photo.no_frames");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_capture_takes_the_still_once_every_check_passes_for_a_second() {
    // 1536 px frames: the astronaut with enough pixels passes every check.
    let big = sesame_photo::import_path(&test_photo("astronaut.png"), &Default::default()).unwrap();
    let big = sesame_photo::image::imageops::resize(
        big.image(),
        1536,
        1536,
        sesame_photo::image::imageops::FilterType::CatmullRom,
    );
    let frames = tempfile::tempdir().unwrap();
    big.save(frames.path().join("frame.png")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    // Only this test sets the variable in this process (nextest runs each test alone).
    std::env::set_var(CAMERA_FOLDER_ENV, frames.path());
    camera_open(
        &desk,
        CameraOpenInput {
            camera_id: format!("file:{}", frames.path().display()),
            mode: None,
            auto_capture: true,
        },
    )
    .await
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut progressed = false;
    loop {
        assert!(Instant::now() < deadline, "auto-capture never fired");
        if let Some(frame) = camera_frame(&desk).await.unwrap() {
            progressed |= frame.auto_capture_progress > 0.0;
            if frame.captured {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(progressed, "progress was reported before the capture");
    let still = camera_capture(&desk).await.unwrap();
    assert_eq!(still.report.image_width, 1536);
    assert_eq!(still.report.verdict, sesame_photo::OverallVerdict::Accepted);
    camera_close(&desk).await.unwrap();
}
