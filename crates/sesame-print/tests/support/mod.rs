//! Shared helpers for the PDF tests: test photos, badges, and the command-line
//! PDF tools (poppler-utils, qpdf, zbar-tools: installed by `scripts/setup.sh --test`).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SETUP_SCRIPT: &str = "scripts/setup.sh --test";

#[allow(unused_imports)]
pub use sesame_print::samples::{sample_card as card, sample_cards, sample_photo as test_photo};

pub fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
        "`{name}` is not installed: run {SETUP_SCRIPT} (installs poppler-utils, qpdf, zbar-tools, zxing-cpp-tools)"
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
    pdftoppm(pdf, page, dpi, &[], out_stem)
}

/// pdftoppm on one page, with `extra` arguments (a crop), to `out_stem`.png.
fn pdftoppm(pdf: &Path, page: usize, dpi: u32, extra: &[String], out_stem: &Path) -> PathBuf {
    let p = page.to_string();
    let d = dpi.to_string();
    let mut args = vec!["-f", &p, "-l", &p, "-r", &d];
    args.extend(extra.iter().map(String::as_str));
    args.extend([
        "-png",
        "-singlefile",
        pdf.to_str().unwrap(),
        out_stem.to_str().unwrap(),
    ]);
    run("pdftoppm", &args);
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

/// Renders the part of a page at (`x`, `y`) mm from its top-left corner, `size` mm
/// square, to PNG (one code at a time: ZXing's reader reports one per image).
pub fn render_square(
    pdf: &Path,
    page: usize,
    dpi: u32,
    at: (f64, f64),
    size: f64,
    out_stem: &Path,
) -> PathBuf {
    let px = |mm: f64| ((mm / 25.4) * f64::from(dpi)).round().to_string();
    let crop = [
        "-x".into(),
        px(at.0),
        "-y".into(),
        px(at.1),
        "-W".into(),
        px(size),
        "-H".into(),
        px(size),
    ];
    pdftoppm(pdf, page, dpi, &crop, out_stem)
}

/// Codes found by ZXing's reader (Debian `zxing-cpp-tools`): (format, text) pairs,
/// e.g. ("DataMatrix", "B-1;Martin"). It reads the Data Matrix codes zbar cannot.
pub fn zxing(png: &Path) -> Vec<(String, String)> {
    let output = tool("ZXingReader").arg(png).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("Text:") {
            let value = value.trim();
            current = Some(value.trim_matches('"').to_string());
        } else if let Some(format) = line.strip_prefix("Format:") {
            if let Some(text) = current.take() {
                found.push((format.trim().to_string(), text));
            }
        }
    }
    found
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
