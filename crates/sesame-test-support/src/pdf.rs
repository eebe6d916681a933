//! What a PDF the desk wrote really holds, read by qpdf and poppler's tools (Debian
//! packages `qpdf` and `poppler-utils`, installed by `scripts/setup.sh`).

use std::path::Path;
use std::process::Command;

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is not installed ({e}): apt-get install qpdf poppler-utils")
        });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The PDF's text (pdftotext, UTF-8).
pub fn text(path: impl AsRef<Path>) -> String {
    tool(
        "pdftotext",
        &["-enc", "UTF-8", path_text(path.as_ref()), "-"],
    )
}

/// One page's text (pages count from 1).
pub fn page_text(path: impl AsRef<Path>, page: usize) -> String {
    let n = page.to_string();
    tool(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &n,
            "-l",
            &n,
            path_text(path.as_ref()),
            "-",
        ],
    )
}

/// Whether qpdf finds the file a whole, valid PDF.
pub fn is_valid(path: impl AsRef<Path>) -> bool {
    Command::new("qpdf")
        .args(["--check", path_text(path.as_ref())])
        .output()
        .unwrap_or_else(|e| panic!("qpdf is not installed ({e}): apt-get install qpdf"))
        .status
        .success()
}

/// Checks the PDF with qpdf (panics when it is not valid) and returns its text and
/// page count.
pub fn check(path: impl AsRef<Path>) -> (String, u32) {
    let path = path.as_ref();
    tool("qpdf", &["--check", path_text(path)]);
    let info = tool("pdfinfo", &[path_text(path)]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count from pdfinfo:\n{info}"));
    (text(path), pages)
}

/// Panics unless every one of `names` is in `text`, ignoring case (card templates may
/// print family names in capitals).
pub fn assert_contains_names(text: &str, names: &[&str]) {
    let upper = text.to_uppercase();
    for name in names {
        assert!(
            upper.contains(&name.to_uppercase()),
            "{name} not found in the PDF text:\n{text}"
        );
    }
}

/// Each page's content streams, as qpdf's QDF form writes them (uncompressed, one
/// `%% Contents for page N` section per page).
pub fn page_contents(path: impl AsRef<Path>) -> Vec<String> {
    let qdf = tempfile::NamedTempFile::new().expect("a temporary file");
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            path_text(path.as_ref()),
            path_text(qdf.path()),
        ],
    );
    let bytes = std::fs::read(qdf.path()).expect("qpdf wrote its copy");
    let text = String::from_utf8_lossy(&bytes);
    text.split("%% Contents for page ")
        .skip(1)
        .map(|page| page.split("endstream").next().unwrap_or(page).to_owned())
        .collect()
}

/// Where a page draws its images: for each `Do`, the image's box in points
/// `(left, bottom, width, height)`, from the last scaling `cm` before it (how
/// the print engine places an image).
pub fn image_boxes(content: &str) -> Vec<(f64, f64, f64, f64)> {
    let mut last = None;
    let mut boxes = Vec::new();
    for line in content.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 7 && words[6] == "cm" {
            let n: Vec<f64> = words[..6].iter().filter_map(|w| w.parse().ok()).collect();
            if n.len() == 6 && (n[0] != 1.0 || n[3] != 1.0) {
                last = Some((n[4], n[5], n[0], n[3]));
            }
        } else if words.len() == 2 && words[1] == "Do" {
            if let Some(b) = last.take() {
                boxes.push(b);
            }
        }
    }
    boxes
}
