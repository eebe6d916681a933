//! Auto-crop to the badge frame, live-frame analysis, the file-backed camera and auto-capture.
use sesame_test_support::photos as common;

use std::time::{Duration, Instant};

use sesame_core::ErrorCode;
use sesame_photo::image::{self, imageops, RgbImage};
use sesame_photo::{
    AutoCapture, BadgeFrame, CheckId, FileFrameSource, FrameSource, ImportLimits, ImportedPhoto,
    PhotoEngine, PhotoRules, Verdict,
};

fn engine() -> &'static PhotoEngine {
    PhotoEngine::global().expect("embedded models load")
}

/// What a webcam at the desk sees: 1280×720 with the person centred.
fn webcam_frame() -> RgbImage {
    imageops::crop_imm(&common::astronaut_large(), 35, 0, 1280, 720).to_image()
}

#[test]
fn auto_crop_cuts_a_35_by_45_badge_photo_with_the_head_at_three_quarters() {
    let photo = ImportedPhoto::from_image(common::astronaut_large());
    let rules = PhotoRules::default();
    let cropped = engine().auto_crop(&photo, &rules).unwrap();
    // Accepted before the mouth and expression checks; her smile fails them now (see
    // common::ASTRONAUT_SMILE), and a refused photo is cropped all the same.
    assert_eq!(cropped.report.failures(), common::ASTRONAUT_SMILE.to_vec());
    let out = image::load_from_memory(&cropped.jpeg).unwrap();
    assert_eq!((out.width(), out.height()), (413, 531));
    assert_eq!(&cropped.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
    assert!(!cropped.jpeg.windows(4).any(|w| w == b"Exif"));

    let edits = &cropped.edits;
    assert_eq!(Some(edits.crop), cropped.report.crop);
    assert_eq!((edits.source_width, edits.source_height), (1536, 1536));
    assert_eq!(
        (
            edits.rotation_degrees,
            edits.mirrored,
            edits.exif_orientation
        ),
        (0, false, 1)
    );
    let aspect = edits.crop.width as f64 / edits.crop.height as f64;
    assert!((aspect - 35.0 / 45.0).abs() < 0.01, "{edits:?}");
    let json = serde_json::to_value(edits).unwrap();
    assert!(json["crop"]["width"].is_number() && json["outputWidth"] == 413);

    // The badge photo itself passes the geometry checks: head 70-80 %, centred, eyes at 50-70 %.
    let again = engine().check_image(&out.into_rgb8(), &rules).unwrap();
    for id in [
        CheckId::FaceCount,
        CheckId::HeadHeight,
        CheckId::Centring,
        CheckId::EyeLine,
        CheckId::Roll,
    ] {
        assert_eq!(
            again.check(id).unwrap().verdict,
            Verdict::Pass,
            "{:?}",
            again.check(id)
        );
    }
}

#[test]
fn the_frame_size_and_ratio_are_configurable() {
    let rules = PhotoRules {
        frame: BadgeFrame::from_millimetres(30.0, 40.0, 200),
        ..PhotoRules::default()
    };
    assert_eq!((rules.frame.width_px, rules.frame.height_px), (236, 315));
    let cropped = engine()
        .auto_crop(
            &ImportedPhoto::from_image(common::astronaut_large()),
            &rules,
        )
        .unwrap();
    let out = image::load_from_memory(&cropped.jpeg).unwrap();
    assert_eq!((out.width(), out.height()), (236, 315));
}

#[test]
fn a_photo_without_a_face_cannot_be_cropped() {
    let err = engine()
        .auto_crop(
            &ImportedPhoto::from_image(common::photo("coffee.png")),
            &PhotoRules::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "photo.no_face");
}

#[test]
fn imported_phone_photo_crop_records_the_rotation() {
    // The astronaut stored sideways (rotated 90° counter-clockwise) with EXIF orientation 6.
    let sideways = imageops::rotate270(&common::astronaut_large());
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&sideways)
        .unwrap();
    let mut with_exif = jpeg[..2].to_vec();
    let tiff: &[u8] = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
    with_exif.extend([0xFF, 0xE1]);
    with_exif.extend(((tiff.len() + 8) as u16).to_be_bytes());
    with_exif.extend(b"Exif\0\0");
    with_exif.extend(tiff);
    with_exif.extend(&jpeg[2..]);
    let photo = sesame_photo::import_photo(&with_exif, &ImportLimits::default()).unwrap();
    let cropped = engine().auto_crop(&photo, &PhotoRules::default()).unwrap();
    assert_eq!(
        (
            cropped.edits.exif_orientation,
            cropped.edits.rotation_degrees
        ),
        (6, 90)
    );
    // Only her smile fails (see common::ASTRONAUT_SMILE): the rotation was applied.
    assert_eq!(cropped.report.failures(), common::ASTRONAUT_SMILE.to_vec());
}

#[test]
fn a_live_frame_gives_the_face_box_and_verdicts() {
    let report = engine()
        .analyse_frame(&webcam_frame(), &PhotoRules::default())
        .unwrap();
    // Accepted before the mouth and expression checks (see common::ASTRONAUT_SMILE).
    assert_eq!(
        report.failures(),
        common::ASTRONAUT_SMILE.to_vec(),
        "{:?}",
        report.checks
    );
    assert_eq!(report.fix_first.as_ref().unwrap().id, CheckId::MouthClosed);
    let marks = report.landmarks.as_ref().unwrap();
    assert!(marks.inner_lips.iter().all(|p| p.x > 400.0 && p.x < 900.0));
    let face = report.face.unwrap();
    assert!(face.x > 400.0 && face.x + face.width < 900.0, "{face:?}");
    let empty = engine()
        .analyse_frame(
            &RgbImage::from_pixel(1280, 720, image::Rgb([90, 90, 90])),
            &PhotoRules::default(),
        )
        .unwrap();
    assert_eq!(empty.failures(), vec![CheckId::FaceCount]);
}

#[test]
fn a_folder_of_images_plays_as_a_camera_and_auto_capture_fires_after_a_steady_second() {
    let dir = tempfile::tempdir().unwrap();
    let mut good = Vec::new();
    // An acceptable portrait (the astronaut smiles, see common::ASTRONAUT_SMILE).
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut good, 95)
        .encode_image(&sesame_test_support::portraits::acceptable_webcam_frame())
        .unwrap();
    let empty_room = imageops::resize(
        &common::photo("coffee.png"),
        1280,
        720,
        imageops::FilterType::Triangle,
    );
    empty_room.save(dir.path().join("00-empty.png")).unwrap();
    for i in 1..=30 {
        std::fs::write(dir.path().join(format!("{i:02}-person.jpg")), &good).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not a frame").unwrap();
    let mut source = FileFrameSource::open(dir.path()).unwrap();
    assert_eq!(source.frame_count(), 31);
    assert_eq!(source.frame_size(), (1280, 720));
    assert_eq!(source.info().modes[0].width, 1280);

    let rules = PhotoRules::default();
    let mut trigger = AutoCapture::new(Duration::from_secs(1));
    let mut live = engine().live(Duration::from_millis(200));
    let start = Instant::now();
    let mut fired_at = None;
    for frame_index in 0..31 {
        let frame = source.next_frame().unwrap();
        let at = start + Duration::from_millis(40 * frame_index); // 25 fps
        let report = live.analyse(&frame, &rules, at).unwrap();
        assert!(report.oldest_measure_ms().unwrap_or(0) <= 200);
        if frame_index == 0 {
            assert_eq!(report.failures(), vec![CheckId::FaceCount]);
        }
        if trigger.observe(&report, at) {
            fired_at = Some(frame_index);
            break;
        }
    }
    // Passing from frame 1 (t = 40 ms); one second later is frame 26.
    assert_eq!(fired_at, Some(26));
    // The source loops.
    let mut replay = FileFrameSource::open(dir.path()).unwrap();
    for _ in 0..31 {
        replay.next_frame().unwrap();
    }
    let again = replay.next_frame().unwrap();
    assert_eq!(again.dimensions(), (1280, 720));
}

#[test]
fn an_empty_frame_folder_is_a_coded_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = FileFrameSource::open(dir.path()).err().unwrap();
    assert_eq!(err.code(), "photo.no_frames");
}
