//! Shared helpers for the PDF tests: test photos, badges, and the command-line
//! PDF tools (poppler-utils, qpdf, zbar-tools: installed by `scripts/setup.sh --test`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::NaiveDate;
use image::{Rgb, RgbImage};
use sesame_print::BadgeCard;

pub const SETUP_SCRIPT: &str = "scripts/setup.sh --test";

/// A face-like ID photo (background, shoulders, face, hair, eyes), as a JPEG.
pub fn test_photo(width: u32, height: u32, seed: u32, quality: u8) -> Vec<u8> {
    let mut img = RgbImage::new(width, height);
    let (w, h) = (width as f32, height as f32);
    let hue = (seed * 53 % 255) as f32 / 255.0;
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        // Soft background gradient, tinted per seed.
        let mut c = [
            180.0 + 50.0 * fy + 20.0 * hue,
            190.0 + 40.0 * fy,
            205.0 + 30.0 * (1.0 - fy) - 30.0 * hue,
        ];
        let face = ((fx - 0.5) / 0.24).powi(2) + ((fy - 0.42) / 0.26).powi(2);
        let hair = ((fx - 0.5) / 0.27).powi(2) + ((fy - 0.33) / 0.22).powi(2);
        let shoulders = ((fx - 0.5) / 0.5).powi(2) + ((fy - 1.05) / 0.3).powi(2);
        if shoulders < 1.0 {
            c = [40.0 + 120.0 * hue, 60.0, 110.0 - 60.0 * hue];
        }
        if hair < 1.0 && fy < 0.36 {
            c = [70.0 + 60.0 * hue, 45.0, 30.0];
        }
        if face < 1.0 && !(hair < 1.0 && fy < 0.3) {
            let shade = 1.0 - 0.25 * face;
            c = [225.0 * shade, 185.0 * shade, 160.0 * shade];
            for eye_x in [0.41, 0.59] {
                if ((fx - eye_x) / 0.03).powi(2) + ((fy - 0.4) / 0.018).powi(2) < 1.0 {
                    c = [40.0, 40.0, 50.0];
                }
            }
            if ((fx - 0.5) / 0.07).powi(2) + ((fy - 0.53) / 0.015).powi(2) < 1.0 {
                c = [170.0, 80.0, 80.0];
            }
        }
        // A little deterministic texture so the JPEG is not trivially small.
        let noise = (((x * 7919 + y * 104_729 + seed * 31) % 97) as f32 - 48.0) * 0.25;
        *px = Rgb(c.map(|v| (v + noise).clamp(0.0, 255.0) as u8));
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .expect("encode test photo");
    out
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn card(
    number: &str,
    family: &str,
    given: &str,
    category: &str,
    photo: Option<Vec<u8>>,
) -> BadgeCard {
    BadgeCard {
        badge_number: number.to_string(),
        family_name: family.to_string(),
        given_names: given.to_string(),
        role: Some("Ingénieure système".to_string()),
        organisation: Some("Direction des systèmes d’information".to_string()),
        category: category.to_string(),
        valid_from: date(2026, 11, 21),
        valid_until: date(2027, 12, 31),
        host: Some("Amélie Durand".to_string()),
        photo_jpeg: photo.map(Arc::from),
    }
}

/// The four names the issue asks to print right, with photos, one per category.
pub fn sample_cards() -> Vec<BadgeCard> {
    vec![
        card(
            "B-2026-0001",
            "Þórsson",
            "Ægir",
            "staff",
            Some(test_photo(300, 400, 1, 85)),
        ),
        card(
            "B-2026-0002",
            "Żółć",
            "Łukasz",
            "contractor",
            Some(test_photo(300, 400, 2, 85)),
        ),
        card(
            "B-2026-0003",
            "Nguyễn",
            "Thị Minh Khai",
            "student",
            Some(test_photo(300, 400, 3, 85)),
        ),
        card(
            "B-2026-0004",
            "Œuvray-Lefèvre de la Roche-Guyon",
            "Éloïse Marie-Thérèse",
            "visitor",
            None,
        ),
    ]
}

fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is not installed: run {SETUP_SCRIPT} (installs poppler-utils, qpdf, zbar-tools)"
    );
    Command::new(name)
}

/// Runs a tool and returns its stdout, failing the test with its stderr.
pub fn run(name: &str, args: &[&str]) -> String {
    let output = tool(name).args(args).output().expect("run tool");
    assert!(
        output.status.success(),
        "{name} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn write_pdf(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn qpdf_check(pdf: &Path) {
    let out = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

/// Page sizes in points, from pdfinfo.
pub fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let out = run("pdfinfo", &["-f", "1", "-l", "9999", pdf.to_str().unwrap()]);
    out.lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size: "))
        .map(|l| {
            let dims = l.split(" size: ").nth(1).unwrap();
            let mut parts = dims.split_whitespace();
            let w: f64 = parts.next().unwrap().parse().unwrap();
            parts.next();
            let h: f64 = parts.next().unwrap().parse().unwrap();
            (w, h)
        })
        .collect()
}

pub fn mm_to_pt(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

pub fn pdftotext(pdf: &Path) -> String {
    run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Renders one page to PNG at `dpi`; returns the PNG path.
pub fn render_page(pdf: &Path, page: usize, dpi: u32, out_stem: &Path) -> PathBuf {
    let p = page.to_string();
    let d = dpi.to_string();
    run(
        "pdftoppm",
        &[
            "-f",
            &p,
            "-l",
            &p,
            "-r",
            &d,
            "-png",
            "-singlefile",
            pdf.to_str().unwrap(),
            out_stem.to_str().unwrap(),
        ],
    );
    out_stem.with_extension("png")
}

/// Decoded symbols ("QR-Code:..." / "CODE-128:...") found by zbarimg.
pub fn zbar(png: &Path) -> Vec<String> {
    let output = tool("zbarimg")
        .args(["--quiet", png.to_str().unwrap()])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Compares a render with the reviewed reference under tests/reference/. With
/// SESAME_UPDATE_REFERENCES=1 the reference is (re)written instead.
pub fn compare_with_reference(png: &Path, reference_name: &str) {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(reference_name);
    if std::env::var("SESAME_UPDATE_REFERENCES").as_deref() == Ok("1") {
        std::fs::copy(png, &reference).unwrap();
        return;
    }
    assert!(
        reference.exists(),
        "missing reference render {}: review the output and run with SESAME_UPDATE_REFERENCES=1",
        reference.display()
    );
    let actual = image::open(png).unwrap().to_rgb8();
    let expected = image::open(&reference).unwrap().to_rgb8();
    assert_eq!(
        actual.dimensions(),
        expected.dimensions(),
        "{reference_name}: size differs"
    );
    let mut total = 0u64;
    let mut far = 0usize;
    for (a, e) in actual.pixels().zip(expected.pixels()) {
        let d: u32 = (0..3)
            .map(|i| (a.0[i] as i32 - e.0[i] as i32).unsigned_abs())
            .max()
            .unwrap();
        total += u64::from(d);
        if d > 64 {
            far += 1;
        }
    }
    let pixels = (actual.width() * actual.height()) as f64;
    let mean = total as f64 / pixels;
    let far_share = far as f64 / pixels;
    assert!(
        mean < 2.0 && far_share < 0.005,
        "{reference_name}: render differs from the reference (mean diff {mean:.2}, {:.2} % of pixels far off); \
         look at {} and update the reference if the change is intended",
        far_share * 100.0,
        png.display()
    );
}
