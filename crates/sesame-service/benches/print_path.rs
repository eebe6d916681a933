//! The print path as a desk takes it: approved requests whose 600×800 JPEG photos are
//! sealed in the database (SQLite, and PostgreSQL when the test server's URL is set)
//! are printed through `print_badges`, as the print station does: read, open the
//! photos, number the badges, render, write and sync the file, mark them printed.
//! Prints, per backend and layout, the time, the peak memory (VmHWM) and the PDF's
//! size against its photos' bytes; and the same for the preview asked first.
//!
//! Run (it needs a Secret Service for the data key):
//!   scripts/with-keyring.sh cargo bench -p sesame-service --bench print_path
//! `--cards N` changes the batch (default 1 000); `--no-pg` skips PostgreSQL.

use std::time::Instant;

use sesame_print::{samples, Layout, SheetLayout};
use sesame_service::RequestId;
use sesame_service::{preview_print, print_badges, PREVIEW_PAGES};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::{approve, new_request, with_photo};

const TARGET_PHOTO_BYTES: usize = 77 * 1024;
const CLERK: &str = "clerk";

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Resets VmHWM to the current RSS (Linux), so each print's peak is its own: what
/// the previous print freed is handed back to the system first, or the allocator would
/// keep it resident and the next print's peak would start from it.
fn reset_peak() {
    // SAFETY: malloc_trim only releases free memory of glibc's heaps.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0)
    };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A 600×800 photo near 77 KB, made distinct per card by a JPEG comment.
fn photo_maker() -> impl Fn(usize) -> Vec<u8> {
    let base = (40..=95)
        .map(|quality| samples::sample_photo(600, 800, 7, quality))
        .min_by_key(|jpeg| jpeg.len().abs_diff(TARGET_PHOTO_BYTES))
        .expect("a photo");
    move |i| {
        let comment = format!("card {i:05}");
        let mut jpeg = Vec::with_capacity(base.len() + 16);
        jpeg.extend_from_slice(&base[..2]);
        jpeg.extend_from_slice(&[0xFF, 0xFE]);
        jpeg.extend_from_slice(&((comment.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(comment.as_bytes());
        jpeg.extend_from_slice(&base[2..]);
        jpeg
    }
}

struct Args {
    cards: usize,
    pg: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        cards: 1000,
        pg: std::env::var("SESAME_TEST_PG_URL").is_ok_and(|u| !u.is_empty()),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--cards" => args.cards = it.next().and_then(|v| v.parse().ok()).expect("--cards N"),
            "--no-pg" => args.pg = false,
            // What `cargo bench` passes to every bench binary.
            "--bench" => {}
            other => panic!("unknown argument {other} (use --cards N, --no-pg)"),
        }
    }
    args
}

/// `count` approved requests with sealed photos; returns their ids and the photos' bytes.
async fn seed(desk: &TestDesk, count: usize, first: usize) -> (Vec<RequestId>, usize) {
    let store = desk.store().await;
    let reviewer = desk.operator().expect("signed in");
    let photo = photo_maker();
    let names = [
        ("Þórsson", "Ægir"),
        ("Żółć", "Łukasz"),
        ("Nguyễn", "Thị Minh Khai"),
        ("Œuvray-Lefèvre de la Roche-Guyon", "Éloïse Marie-Thérèse"),
    ];
    let mut ids = Vec::with_capacity(count);
    let mut bytes = 0;
    for i in first..first + count {
        let (family, given) = names[i % names.len()];
        let jpeg = photo(i);
        bytes += jpeg.len();
        let created = with_photo(
            &store,
            new_request(&format!("{family} {i}"), given),
            &jpeg,
            CLERK,
        )
        .await;
        approve(&store, created.request.id, &reviewer).await;
        ids.push(created.request.id.into());
    }
    store.close().await;
    (ids, bytes)
}

async fn bench(backend: &str, desk: TestDesk, cards: usize) {
    let layouts = [
        (
            "A4 10-up, fronts and backs",
            Layout::A4Sheet(SheetLayout::default()),
        ),
        ("CR80 card printer", Layout::CardPrinter),
    ];
    let started = Instant::now();
    let mut batches = Vec::new();
    for (i, _) in layouts.iter().enumerate() {
        batches.push(seed(&desk, cards, i * cards).await);
    }
    println!(
        "{backend:<9} seeded {} approved requests with sealed 600x800 photos in {:.1} s",
        cards * layouts.len(),
        started.elapsed().as_secs_f64()
    );
    for ((label, layout), (ids, photo_bytes)) in layouts.into_iter().zip(batches) {
        let mut job = a4_print_job(&ids, None);
        job.layout = layout;
        let path = desk.file(&format!("bench-{}.pdf", backend));

        // The preview the print station asks for first: its first pages only.
        reset_peak();
        let rss_before = status_mb("VmRSS:");
        let start = Instant::now();
        let preview = preview_print(&desk, job.clone()).await.expect("preview");
        let elapsed = start.elapsed();
        let peak = status_mb("VmHWM:");
        println!(
            "{backend:<9} {label:<28} preview of {cards} in {:.2} s, peak memory {:.0} MB ({:+.0} MB over {:.0} MB before), \
             {} of {} pages sent, {:.1} MB of base64",
            elapsed.as_secs_f64(),
            peak,
            peak - rss_before,
            rss_before,
            (preview.page_count as usize).min(PREVIEW_PAGES),
            preview.page_count,
            preview.pdf_base64.as_ref().map_or(0, String::len) as f64 / 1e6,
        );
        drop(preview);

        reset_peak();
        let rss_before = status_mb("VmRSS:");
        let start = Instant::now();
        let run = print_badges(&desk, print_to_file(job, &path))
            .await
            .expect("print");
        let elapsed = start.elapsed();
        let peak = status_mb("VmHWM:");
        let outcome = run.outcome;
        assert_eq!(
            outcome.printed.len(),
            cards,
            "{:?}",
            outcome.skipped.first()
        );
        let ratio = outcome.file_bytes as f64 / photo_bytes as f64;
        println!(
            "{backend:<9} {label:<28} {cards} badges in {:.2} s, peak memory {:.0} MB ({:+.0} MB over {:.0} MB before), \
             PDF {:.1} MB = {:.3} x its photos, {} pages",
            elapsed.as_secs_f64(),
            peak,
            peak - rss_before,
            rss_before,
            outcome.file_bytes as f64 / 1e6,
            ratio,
            outcome.page_count,
        );
        std::fs::remove_file(&path).ok();
    }
    desk.finish().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = parse_args();
    println!("targets (SQLite): 1 000 badges in < 2 s, < 300 MB peak, PDF < 1.05 x its photos");
    bench("sqlite", TestDesk::sqlite().await, args.cards).await;
    if args.pg {
        match TestDesk::postgres_as(sesame_test_support::desk::OPERATOR).await {
            Some(desk) => {
                // The first desk of a PostgreSQL queue creates the data key (SQLite: on opening).
                sesame_service::init_key(&desk)
                    .await
                    .expect("the queue's data key");
                bench("postgres", desk, args.cards).await
            }
            None => println!("postgres  skipped (PostgreSQL tests are skipped)"),
        }
    } else {
        println!(
            "postgres  skipped: --no-pg, or no SESAME_TEST_PG_URL (scripts/pg-test-server.sh start)"
        );
    }
}
