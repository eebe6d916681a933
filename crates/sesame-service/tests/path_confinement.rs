//! Files the desk writes cannot land outside their folder: everything written to the
//! output folder is made directly in it, under a name the desk chooses, and the
//! folder camera plays only the folder configured for it, whatever id the webview
//! sends (`..`, absolute paths, symbolic links).
//!
//! Each test sets one process-wide variable (SESAME_PRINT_DIR, SESAME_CAMERA_FOLDER);
//! nextest runs each test in its own process.

use std::path::{Path, PathBuf};

use sesame_core::ErrorCode;
use sesame_service::{
    camera_open, export_badges_csv, export_holder_archive, export_key_file, export_queue_csv,
    export_zone_rights, print_badges, print_calibration, BadgeExportInput, CalibrationInput,
    CameraOpenInput, Destination, KeyExportInput, Layout, Locale, PrintRunInput, PrinterProfile,
    QueueExportInput, RequestId, SheetLayout, ZoneRightsExportInput, ZoneRightsFormat,
    CAMERA_FOLDER_ENV, PRINT_DIR_ENV,
};
use sesame_test_support::desk::{a4_print_job, TestDesk};
use sesame_test_support::fixtures::new_request;

/// Panics unless `path` is a file directly in `dir` whose name cannot hide or climb.
fn assert_confined(dir: &Path, path: &str) -> String {
    let path = PathBuf::from(path);
    assert_eq!(
        path.parent(),
        Some(dir),
        "{path:?} is not directly in {dir:?}"
    );
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(!name.starts_with('.'), "{name}");
    assert!(!name.contains(".."), "{name}");
    assert!(name.len() < 120, "{name}");
    assert!(dir.join(&name).is_file(), "{name} was not written there");
    name
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_files_stay_in_their_folder() {
    let out = tempfile::tempdir().unwrap();
    std::env::set_var(PRINT_DIR_ENV, out.path());
    let desk = TestDesk::sqlite().await;
    let approved = desk.approved(new_request("Martin", "Zoé")).await;
    let holder = approved.holder.id.into();

    let run = print_badges(
        &desk,
        PrintRunInput {
            job: a4_print_job(&[RequestId(approved.request.id)], None),
            printer_name: None,
            destination: Destination::OutputFolder,
        },
    )
    .await
    .unwrap();
    let name = assert_confined(out.path(), &run.outcome.file);
    // The usual stems keep their name.
    assert!(
        name.starts_with("badges-a4-") && name.ends_with(".pdf"),
        "{name}"
    );

    let mut written = vec![
        print_calibration(
            &desk,
            CalibrationInput {
                layout: Layout::A4Sheet(SheetLayout::default()),
                printer: PrinterProfile::default(),
                locale: Locale::Fr,
                destination: Destination::OutputFolder,
            },
        )
        .await
        .unwrap()
        .path,
        export_queue_csv(&desk, QueueExportInput::default())
            .await
            .unwrap()
            .path,
        export_badges_csv(&desk, BadgeExportInput::default())
            .await
            .unwrap()
            .path,
        export_holder_archive(&desk, holder).await.unwrap().path,
    ];
    for format in [ZoneRightsFormat::Csv, ZoneRightsFormat::Json] {
        let input = ZoneRightsExportInput {
            format,
            destination: Destination::OutputFolder,
        };
        written.push(export_zone_rights(&desk, input).await.unwrap().path);
    }
    // Two exports in the same second never overwrite each other.
    for _ in 0..2 {
        let input = KeyExportInput {
            passphrase: "passphrase of the badge office".into(),
            destination: Destination::OutputFolder,
        };
        written.push(export_key_file(&desk, input).await.unwrap().path);
    }
    let mut names: Vec<String> = written
        .iter()
        .map(|path| assert_confined(out.path(), path))
        .collect();
    names.push(name);
    names.sort();
    names.dedup();
    assert_eq!(names.len(), written.len() + 1, "{names:?}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        names.len(),
        "nothing else (no .part file) is left in the folder"
    );
}

fn write_frame(dir: &Path) {
    let img = image::RgbImage::from_fn(320, 240, |x, y| image::Rgb([x as u8, y as u8, 128]));
    img.save(dir.join("frame.jpg")).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_folder_camera_opens_only_its_configured_folder() {
    let root = tempfile::tempdir().unwrap();
    let allowed = root.path().join("camera");
    let elsewhere = root.path().join("private");
    for dir in [&allowed, &elsewhere] {
        std::fs::create_dir_all(dir).unwrap();
        write_frame(dir);
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, root.path().join("link")).unwrap();
    std::env::set_var(CAMERA_FOLDER_ENV, &allowed);

    let desk = TestDesk::sqlite_as("alice").await;

    let hostile = [
        format!("file:{}", elsewhere.display()),
        format!("file:{}/../private", allowed.display()),
        format!("file:{}", root.path().join("link").display()),
        "file:../private".to_owned(),
        "file:/".to_owned(),
        "file:".to_owned(),
        format!("file:{}", allowed.join("frame.jpg").display()),
    ];
    for id in hostile {
        let err = camera_open(
            &desk,
            CameraOpenInput {
                camera_id: id.clone(),
                mode: None,
                auto_capture: false,
            },
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("{id} was opened"));
        assert_eq!(err.code(), "photo.camera_not_found", "{id}: {err}");
    }
    desk.finish().await;
}
