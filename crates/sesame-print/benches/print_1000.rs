//! 1 000 badges on A4 10-up, front and back, with ~77 KB 600×800 JPEG photos.
//! Prints the time, the peak memory (VmHWM) and the PDF size against its photos.
//!
//! Run: cargo bench -p sesame-print --bench print_1000

use std::sync::Arc;
use std::time::Instant;

use sesame_print::{
    render_pdf, samples, write_pdf, BadgeCard, Layout, Locale, PrinterProfile, SheetLayout,
    TemplateSet,
};

const CARDS: usize = 1000;
const TARGET_PHOTO_BYTES: usize = 77 * 1024;

fn vm_hwm_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn vm_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Resets VmHWM to the current RSS (Linux), so each run's peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A 600×800 photo near 77 KB: the quality is searched once, then each card gets
/// its own copy, made distinct by a JPEG comment, so nothing is shared.
fn photos() -> Vec<Arc<[u8]>> {
    let mut best = (usize::MAX, Vec::new());
    for quality in 40..=95 {
        let jpeg = samples::sample_photo(600, 800, 7, quality);
        let distance = jpeg.len().abs_diff(TARGET_PHOTO_BYTES);
        if distance < best.0 {
            best = (distance, jpeg);
        }
    }
    let base = best.1;
    (0..CARDS)
        .map(|i| {
            let comment = format!("card {i:04}");
            let mut jpeg = Vec::with_capacity(base.len() + 16);
            jpeg.extend_from_slice(&base[..2]);
            jpeg.extend_from_slice(&[0xFF, 0xFE]);
            jpeg.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
            jpeg.extend_from_slice(comment.as_bytes());
            jpeg.extend_from_slice(&base[2..]);
            Arc::from(jpeg)
        })
        .collect()
}

fn main() {
    let names = [
        ("Þórsson", "Ægir"),
        ("Żółć", "Łukasz"),
        ("Nguyễn", "Thị Minh Khai"),
        ("Œuvray-Lefèvre de la Roche-Guyon", "Éloïse Marie-Thérèse"),
    ];
    let categories = ["staff", "contractor", "student", "visitor"];
    let photos = photos();
    let cards: Vec<BadgeCard> = photos
        .iter()
        .enumerate()
        .map(|(i, photo)| {
            let (family, given) = names[i % names.len()];
            let mut card = samples::sample_card(
                &format!("B-2026-{i:05}"),
                family,
                given,
                categories[i % 4],
                None,
            );
            card.photo_jpeg = Some(photo.clone());
            card
        })
        .collect();
    let photo_bytes: usize = photos.iter().map(|p| p.len()).sum();
    let templates = TemplateSet::builtin();
    let layout = Layout::A4Sheet(SheetLayout::default());
    let printer = PrinterProfile::default();
    println!(
        "input: {CARDS} cards, photos 600x800 avg {:.1} KB, total {:.1} MB; RSS before rendering {:.0} MB",
        photo_bytes as f64 / CARDS as f64 / 1024.0,
        photo_bytes as f64 / 1e6,
        vm_rss_mb()
    );

    // Warm-up (font parsing, page faults) on a few cards, not measured.
    render_pdf(&cards[..10], &templates, &layout, &printer, Locale::Fr).expect("warm-up");

    reset_peak();
    let start = Instant::now();
    let pdf = render_pdf(&cards, &templates, &layout, &printer, Locale::Fr).expect("render");
    let elapsed = start.elapsed();
    let peak = vm_hwm_mb();
    let ratio = pdf.len() as f64 / photo_bytes as f64;
    println!(
        "render_pdf (in memory): {:.2} s, peak memory (VmHWM) {:.0} MB, PDF {:.1} MB = {:.2} % of its photos ({:+.2} %)",
        elapsed.as_secs_f64(),
        peak,
        pdf.len() as f64 / 1e6,
        ratio * 100.0,
        (ratio - 1.0) * 100.0
    );
    let out_path = std::env::temp_dir().join("sesame-print-bench.pdf");
    std::fs::write(&out_path, &pdf).expect("write PDF");
    drop(pdf);

    reset_peak();
    let start = Instant::now();
    let file = std::fs::File::create(&out_path).expect("create PDF file");
    let mut writer = std::io::BufWriter::new(file);
    write_pdf(
        &cards,
        &templates,
        &layout,
        &printer,
        Locale::Fr,
        &mut writer,
    )
    .expect("write");
    drop(writer);
    println!(
        "write_pdf (to a file):  {:.2} s, peak memory (VmHWM) {:.0} MB",
        start.elapsed().as_secs_f64(),
        vm_hwm_mb()
    );
    println!(
        "targets: < 2 s, < 300 MB, PDF within 5 % of its photos; PDF kept at {}",
        out_path.display()
    );
}
