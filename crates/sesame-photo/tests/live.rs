//! Live analysis of a camera preview: every frame is analysed, the segmentation and the
//! small-face search run on some frames only, and nothing shown is older than the limit.
use sesame_test_support::photos as common;

use std::time::{Duration, Instant};

use sesame_photo::image::{imageops, Rgb, RgbImage};
use sesame_photo::{CheckId, PhotoEngine, PhotoRules};

fn engine() -> &'static PhotoEngine {
    PhotoEngine::global().expect("embedded models load")
}

/// A 1280×720 frame with the astronaut centred.
fn frame() -> RgbImage {
    imageops::crop_imm(&common::astronaut_large(), 35, 0, 1280, 720).to_image()
}

#[test]
fn at_25_fps_the_slow_measures_run_on_some_frames_and_are_never_older_than_200_ms() {
    let frame = frame();
    let rules = PhotoRules::default();
    let mut live = engine().live(Duration::from_millis(200));
    let start = Instant::now();
    let (mut segmented, mut searched) = (0, 0);
    for i in 0..25u64 {
        let report = live
            .analyse(&frame, &rules, start + Duration::from_millis(40 * i))
            .unwrap();
        let background = report.check(CheckId::BackgroundUniformity).unwrap();
        let count = report.check(CheckId::FaceCount).unwrap();
        for check in &report.checks {
            assert!(check.age_ms.unwrap_or(0) <= 200, "frame {i}: {check:?}");
        }
        segmented += usize::from(background.age_ms.is_none());
        searched += usize::from(count.age_ms.is_none());
        assert_eq!(count.value, Some(1.0));
        assert!(report.landmarks.is_some() && report.eyes_open == Some(true));
        if i > 0 {
            // One eye is read per frame, the other carried from the frame before.
            assert_eq!(report.check(CheckId::EyesOpen).unwrap().age_ms, Some(40));
        }
    }
    // Each slow measure about once in five frames, never both on one frame.
    assert!(
        (5..=7).contains(&segmented),
        "segmentation on {segmented} frames"
    );
    assert!(
        (5..=7).contains(&searched),
        "small-face search on {searched} frames"
    );
}

#[test]
fn a_new_scene_starts_afresh() {
    let rules = PhotoRules::default();
    let mut live = engine().live(Duration::from_millis(200));
    let start = Instant::now();
    live.analyse(&frame(), &rules, start).unwrap();
    // Another size (another camera): nothing is carried over.
    let other = imageops::crop_imm(&common::astronaut_large(), 0, 0, 1024, 768).to_image();
    let report = live
        .analyse(&other, &rules, start + Duration::from_millis(40))
        .unwrap();
    assert_eq!(report.oldest_measure_ms(), None, "{:?}", report.checks);
    // An empty frame: no face, and the next face is measured from scratch.
    let empty = RgbImage::from_pixel(1024, 768, Rgb([90, 90, 90]));
    let report = live
        .analyse(&empty, &rules, start + Duration::from_millis(80))
        .unwrap();
    assert_eq!(report.failures(), vec![CheckId::FaceCount]);
    assert_eq!(report.eyes_open, None);
}

#[test]
fn a_second_face_behind_is_counted_within_the_limit() {
    // Someone smaller behind, at the frame's right: the front model in the centred
    // square sees only the person at the desk; the small-face search finds the other.
    let mut frame = frame();
    let behind = imageops::resize(
        &common::astronaut(),
        360,
        360,
        imageops::FilterType::Triangle,
    );
    imageops::replace(&mut frame, &behind, 920, 40);
    let rules = PhotoRules::default();
    let mut live = engine().live(Duration::from_millis(200));
    let start = Instant::now();
    for i in 0..6u64 {
        let report = live
            .analyse(&frame, &rules, start + Duration::from_millis(40 * i))
            .unwrap();
        assert_eq!(
            report.check(CheckId::FaceCount).unwrap().value,
            Some(2.0),
            "frame {i}"
        );
        assert!(report.is_blocked());
    }
}
