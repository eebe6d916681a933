//! File names from the UI or the CLI cannot reach outside their folder (issue 8):
//! output files are always made directly in their folder whatever name part they
//! get, and the folder camera plays only the folder configured for it, whatever
//! id the webview sends (`..`, absolute paths, symbolic links).
//!
//! One test per concern; the camera test sets SESAME_CAMERA_FOLDER, so this file
//! has a single test touching the environment. Desks need a keyring: run under
//! `scripts/with-keyring.sh`.

use std::path::Path;

use sesame_core::ErrorCode;
use sesame_service::printers::unique_path;
use sesame_service::{camera_open, CameraOpenInput, Desk, CAMERA_FOLDER_ENV};

#[test]
fn output_files_stay_in_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "",
        "a/b",
        "a\\b",
        "C:\\Windows\\x",
        "nul\0byte",
        "~/.ssh/id",
        "%2e%2e%2f",
        "badges-a4",
        "holder-0193ab",
        &"x".repeat(500),
    ];
    for stem in hostile {
        for ext in ["pdf", "../pdf", "/x", "", "p.d.f"] {
            let path = unique_path(dir.path(), stem, ext);
            assert_eq!(
                path.parent(),
                Some(dir.path()),
                "{stem:?} / {ext:?} gave {path:?}"
            );
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(!name.starts_with('.'), "{name}");
            assert!(!name.contains(".."), "{name}");
            assert!(name.len() < 120, "{name}");
            // Creating it really lands in the folder.
            std::fs::write(&path, b"x").unwrap();
            assert!(dir.path().join(&name).exists());
        }
    }
    // The usual stems keep their name.
    let path = unique_path(dir.path(), "badges-a4", "pdf");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("badges-a4-") && name.ends_with(".pdf"),
        "{name}"
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

    let data = root.path().join("data");
    let url = format!("sqlite://{}", data.join("desk.sqlite3").display());
    let service = format!("sesame-test-paths-{}", uuid::Uuid::now_v7().simple());
    let vault = sesame_vault::KeyVault::open(&service, sesame_vault::DEFAULT_ACCOUNT).unwrap();
    let desk = Desk::open_as(&data, &url, vault, "alice")
        .await
        .unwrap_or_else(|e| panic!("open desk: {e} (run under scripts/with-keyring.sh)"));

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
    desk.store().close().await;
}
