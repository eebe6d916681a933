//! Prints every check's value for the scikit-image test photographs and the tests'
//! degraded variants. The default thresholds in `PhotoRules` were calibrated on the
//! accuracy set instead: `cargo bench -p sesame-photo --bench accuracy -- --values
//! pitch,yaw,…` prints chosen checks' values for each of its pictures.
//! `cargo run --release -p sesame-photo --example calibrate` (after scripts/fetch-test-photos.sh).
use sesame_test_support::photos as common;

use sesame_photo::image::RgbImage;
use sesame_photo::{PhotoEngine, PhotoRules, Verdict};

fn main() {
    let engine = PhotoEngine::global().expect("embedded models load");
    let rules = PhotoRules::default();
    let small = common::astronaut();
    let large = common::astronaut_large();
    let mut cases: Vec<(String, RgbImage)> = vec![
        ("astronaut".into(), small.clone()),
        ("astronaut x3".into(), large.clone()),
        ("blurred 1".into(), common::blurred(&large, 3.0)),
        ("blurred 2".into(), common::blurred(&large, 6.0)),
        ("dark".into(), common::dark(&large)),
        ("over-exposed".into(), common::over_exposed(&large)),
        ("greyscale".into(), common::greyscale(&large)),
        (
            "rotated +20".into(),
            common::rotated(&large, 20.0, 675.0, 330.0),
        ),
        (
            "rotated -20".into(),
            common::rotated(&large, -20.0, 675.0, 330.0),
        ),
        ("off-centre".into(), common::off_centre(&large, 500)),
        ("too close".into(), common::too_close(&large)),
        (
            "sideways".into(),
            sesame_photo::image::imageops::rotate90(&large),
        ),
        ("two faces".into(), common::side_by_side(&small)),
        (
            "busy background".into(),
            common::busy_background(
                &large,
                &common::photo("rocket.jpg"),
                (675.0, 300.0),
                (255.0, 300.0),
                600,
            ),
        ),
    ];
    for name in [
        "camera.png",
        "chelsea.png",
        "coffee.png",
        "horse.png",
        "rocket.jpg",
    ] {
        cases.push((name.into(), common::photo(name)));
    }
    for (name, img) in &cases {
        let report = engine.check_image(img, &rules).expect("checks run");
        println!(
            "{name:<16} {:?}, {} face(s)",
            report.verdict,
            report.faces.len()
        );
        let line: Vec<String> = report
            .checks
            .iter()
            .map(|c| {
                let mark = match c.verdict {
                    Verdict::Pass => "",
                    Verdict::Warn => "~",
                    Verdict::Fail => "!",
                    Verdict::Skipped => "-",
                };
                let value = c.value.map(|v| format!("{v:.2}")).unwrap_or_default();
                format!("{mark}{}={value}", c.id.name())
            })
            .collect();
        println!("    {}", line.join(" "));
    }
}
