//! Crash safety: a real process is killed with SIGKILL in the middle of a large CSV
//! import (on SQLite and on PostgreSQL), a batch print and a run of photo saves; the
//! database is then reopened and must be intact (`PRAGMA integrity_check` and
//! foreign keys on SQLite; on both, no request without its audit entry, no printed
//! request without its badge), its status counts must match its rows, everything
//! committed before the kill must still be there, and a print batch must be either
//! recorded with its own PDF or not at all.
//!
//! Unix only (SIGKILL).

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sesame_core::{AttachmentKind, RequestStatus};
use sesame_service::{
    database_info, get_attachment_content, get_request, list_requests, queue_counts, QueueQuery,
    RequestId,
};
use sesame_test_support::cli::Sesamectl;
use sesame_test_support::desk::{desk_store, keyring_entry};
use sesame_test_support::fixtures::{approved_request, new_request, photo_jpeg};
use sesame_test_support::{pdf, pinned_day, start_of};
use sqlx::Connection;
use uuid::Uuid;

const OPERATOR: &str = "alice";

fn site() -> Sesamectl {
    Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), OPERATOR)
}

/// Kills `child` with SIGKILL after `delay` (unless it ended first); true if the
/// kill is what ended it. A child that ended by itself must have succeeded.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let killed = output.status.signal() == Some(9);
    assert!(
        killed || output.status.success(),
        "the command failed on its own: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    killed
}

/// Rows that may not exist after any crash (every request was written with its
/// audit entry, every printed one with its badge…), as SQL both backends run.
const ROW_CHECKS: [(&str, &str); 4] = [
        (
            "requests without an audit entry",
            "SELECT COUNT(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.request_id = r.id)",
        ),
        (
            "printed requests without a badge",
            "SELECT COUNT(*) FROM requests WHERE status = 'printed' AND badge_id IS NULL",
        ),
        (
            "badges issued beyond the number counter",
            "SELECT COUNT(*) FROM badges b, counters c WHERE c.name = 'badge_number' AND (SELECT COUNT(*) FROM badges) >= c.next_value",
        ),
        (
            "attachments of unknown requests",
            "SELECT COUNT(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = a.request_id)",
        ),
];

/// Counts the rows of each of [`ROW_CHECKS`] on an open connection of either backend.
macro_rules! assert_no_broken_rows {
    ($conn:expr) => {
        for (what, sql) in ROW_CHECKS {
            let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut $conn)
                .await
                .unwrap();
            assert_eq!(count, 0, "{what}");
        }
    };
}

/// What any reopened database must satisfy, whatever was killed.
async fn assert_consistent(site: &Sesamectl) {
    let url = site.url();
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(integrity, ["ok"], "integrity_check");
        let broken_keys: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        assert!(
            broken_keys.is_empty(),
            "foreign keys broken in {broken_keys:?}"
        );
        assert_no_broken_rows!(conn);
        conn.close().await.unwrap();
    } else {
        // PostgreSQL keeps its foreign keys and pages itself: the rows are checked.
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        assert_no_broken_rows!(conn);
        conn.close().await.unwrap();
    }
    // The queue's status counts add up to its rows.
    let desk = site.desk().await;
    let info = database_info(&desk).await.unwrap();
    let counted: i64 = queue_counts(&desk)
        .await
        .unwrap()
        .iter()
        .map(|c| c.count)
        .sum();
    assert_eq!(counted, info.requests, "status counts vs rows");
    desk.close().await;
}

async fn request_count(site: &Sesamectl) -> i64 {
    let desk = site.desk().await;
    let n = database_info(&desk).await.unwrap().requests;
    desk.close().await;
    n
}

fn csv(rows: usize, tag: &str) -> String {
    let mut out = String::from("nom;prenom;email;categorie;organisation\n");
    for i in 0..rows {
        out.push_str(&format!(
            "Nom{tag}{i};Prénom{i};p{tag}{i}@example.org;staff;Université\n"
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_csv_import_is_all_or_nothing() {
    killed_csv_import_leaves_all_or_nothing(site()).await;
}

/// The same on a PostgreSQL queue, as desks sharing a server have it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_csv_import_is_all_or_nothing_on_postgres() {
    let Some(db) = sesame_test_support::db::PgDatabase::create("crash").await else {
        return;
    };
    killed_csv_import_leaves_all_or_nothing(site().on_database(&db.url)).await;
    db.drop_database().await;
}

async fn killed_csv_import_leaves_all_or_nothing(site: Sesamectl) {
    // Committed before any kill: five requests that must survive everything.
    let small = site.file("small.csv");
    std::fs::write(&small, csv(5, "keep")).unwrap();
    site.run(&["requests", "import", small.to_str().unwrap()])
        .assert_success();
    assert_eq!(request_count(&site).await, 5);

    const BIG: i64 = 20_000;
    let big_file = |run: usize| {
        let path = site.file(&format!("big{run}.csv"));
        std::fs::write(&path, csv(BIG as usize, &format!("r{run}x"))).unwrap();
        path
    };
    // How long the process takes to start, and to import the whole file: the kills
    // below fall inside the import itself, not in the start-up.
    let started = Instant::now();
    site.run(&["info"]).assert_success();
    let startup = started.elapsed();
    let first = big_file(0);
    let started = Instant::now();
    site.run(&["requests", "import", first.to_str().unwrap()])
        .assert_success();
    let whole = started.elapsed();
    let mut expected = 5 + BIG;
    assert_eq!(request_count(&site).await, expected);

    let mut killed_mid_import = 0;
    for (run, fraction) in [0.3, 0.5, 0.7, 0.9].into_iter().enumerate() {
        let big = big_file(run + 1);
        let child = site
            .command(&["requests", "import", big.to_str().unwrap()])
            .spawn()
            .unwrap();
        let delay = startup + (whole.saturating_sub(startup)).mul_f64(fraction);
        let killed = kill_after(child, delay);
        assert_consistent(&site).await;
        let now = request_count(&site).await;
        assert!(
            now == expected || now == expected + BIG,
            "run {run}: {now} requests, expected {expected} or {} (all or nothing)",
            expected + BIG
        );
        if killed && now == expected {
            killed_mid_import += 1;
        }
        expected = now;
    }
    assert!(
        killed_mid_import > 0,
        "no kill landed during an import (start-up {startup:?}, import {whole:?}): the test proved nothing"
    );

    // The five committed first are all there, whole.
    let desk = site.desk().await;
    let page = list_requests(
        &desk,
        QueueQuery {
            search: Some("Nomkeep".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 5);
    desk.close().await;
}

/// The hidden `.part` files a run writing `pdf` left beside it (another run's do not
/// count: each names its target).
fn pdf_parts_of(pdf: &Path) -> Vec<PathBuf> {
    let prefix = format!(".sesame-{}-", pdf.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".part")
        })
        .collect()
}

/// Enough cards that the batch outlasts start-up noise, so a kill can land inside it.
const CARDS: usize = 64;

/// A desk with [`CARDS`] approved requests with photos, ready to print.
async fn print_site() -> (Sesamectl, Vec<Uuid>) {
    let site = site();
    let store = site.store().await;
    let mut ids = Vec::new();
    for i in 0..CARDS {
        let new = new_request(&format!("Imprimé{i}"), "Camille");
        let photo = photo_jpeg(i as u32);
        let approved = approved_request(&store, new, &photo, OPERATOR, OPERATOR).await;
        ids.push(approved.request.id);
    }
    store.close().await;
    (site, ids)
}

fn print_command(site: &Sesamectl, pdf: &Path) -> Command {
    site.command(&[
        "print",
        "--status",
        "approved",
        "--layout",
        "a4",
        "--out",
        pdf.to_str().unwrap(),
    ])
}

/// The badge numbers of the requests printed so far.
async fn printed_numbers(site: &Sesamectl, ids: &[Uuid]) -> Vec<String> {
    let desk = site.desk().await;
    let mut numbers = Vec::new();
    for id in ids {
        let detail = get_request(&desk, RequestId(*id)).await.unwrap();
        if detail.request.status == RequestStatus::Printed {
            numbers.push(
                detail
                    .badge
                    .expect("a printed request has its badge")
                    .number,
            );
        }
    }
    desk.close().await;
    numbers
}

async fn printed_count(site: &Sesamectl, ids: &[Uuid]) -> usize {
    printed_numbers(site, ids).await.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_batch_print_is_recorded_with_its_pdf_or_not_at_all() {
    // A twin desk measures how long start-up and the whole batch take, so the
    // kills below fall inside the batch.
    let (twin, twin_ids) = print_site().await;
    // The fastest of three start-ups: the first one also loads the binary from disk.
    let startup = (0..3)
        .map(|_| {
            let started = Instant::now();
            twin.run(&["info"]).assert_success();
            started.elapsed()
        })
        .min()
        .unwrap();
    let started = Instant::now();
    let twin_pdf = twin.file("twin.pdf");
    let out = print_command(&twin, &twin_pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    assert_eq!(printed_count(&twin, &twin_ids).await, CARDS);

    let (site, ids) = print_site().await;
    let out_dir = site.file("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut killed_before_commit = 0;
    let mut printed_run = None;
    let fractions = [0.2, 0.4, 0.6, 0.8, 0.95, 1000.0];
    for (run, fraction) in fractions.into_iter().enumerate() {
        let pdf = out_dir.join(format!("run{run}.pdf"));
        let child = print_command(&site, &pdf).spawn().unwrap();
        let delay = startup + whole.saturating_sub(startup).mul_f64(fraction);
        let killed = kill_after(child, delay);
        assert_consistent(&site).await;
        let numbers = printed_numbers(&site, &ids).await;
        match numbers.len() {
            0 => {
                // Not recorded: no PDF under the asked name (a hidden .part may be left).
                assert!(!pdf.exists(), "run {run}: PDF written but nothing recorded");
                if killed {
                    killed_before_commit += 1;
                }
            }
            n if n == CARDS => {
                // Recorded: this run's complete PDF is there, holding the very badges
                // recorded — under its name, or, when the kill fell between the commit
                // and the rename, as this run's synced .part file.
                let holds_the_batch = |file: &PathBuf| {
                    pdf::is_valid(file) && {
                        let text = pdf::text(file);
                        numbers.iter().all(|number| text.contains(number.as_str()))
                    }
                };
                let complete = if pdf.exists() {
                    holds_the_batch(&pdf)
                } else {
                    pdf_parts_of(&pdf).iter().any(holds_the_batch)
                };
                assert!(complete, "run {run}: batch recorded without its own PDF");
                printed_run = Some(run);
                break;
            }
            n => panic!("run {run}: {n} of {CARDS} requests printed: a batch was half recorded"),
        }
    }
    assert!(
        printed_run.is_some(),
        "the last, unkilled run should have printed the batch"
    );
    assert!(
        killed_before_commit > 0,
        "no kill landed during a print (start-up {startup:?}, batch {whole:?}): the test proved nothing"
    );
}

const CHILD_URL: &str = "SESAME_CRASH_CHILD_URL";
const CHILD_KEYRING: &str = "SESAME_CRASH_CHILD_KEYRING";

/// The child side of `killed_photo_saves_keep_every_committed_photo`: saves photos in
/// a loop, printing `saved <request id> <seed>` once each save has committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by killed_photo_saves_keep_every_committed_photo as a child process"]
async fn photo_save_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let keyring = std::env::var(CHILD_KEYRING).unwrap();
    let store = desk_store(&url, &keyring_entry(&keyring), start_of(pinned_day())).await;
    for seed in 0u32.. {
        let id = store
            .create_request(new_request(&format!("Photo{seed}"), "Camille"), OPERATOR)
            .await
            .unwrap()
            .request
            .id;
        store
            .put_attachment(id, AttachmentKind::Photo, &photo_jpeg(seed), OPERATOR)
            .await
            .unwrap();
        println!("saved {id} {seed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_photo_saves_keep_every_committed_photo() {
    let site = site();
    // Create the database and its key before the child starts saving.
    site.desk().await.close().await;
    // The child's name as the test binary knows it: its module path below the crate.
    let module = module_path!()
        .split_once("::")
        .map_or("", |(_, below)| below);
    let child_test_name = format!("{module}::photo_save_child");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            child_test_name.as_str(),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, site.url())
        .env(CHILD_KEYRING, site.keyring_service())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut saved = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("saved ") {
            let (id, seed) = rest.split_once(' ').unwrap();
            saved.push((Uuid::parse_str(id).unwrap(), seed.parse::<u32>().unwrap()));
            if saved.len() == 25 {
                // Kill mid-loop: the 26th save is under way.
                child.kill().unwrap();
                break;
            }
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(9),
        "the child must be killed, not end: {status:?}"
    );
    assert_eq!(saved.len(), 25, "the child stopped early");

    assert_consistent(&site).await;
    let desk = site.desk().await;
    for (id, seed) in &saved {
        let detail = get_request(&desk, RequestId(*id)).await.unwrap();
        let meta = detail
            .attachments
            .iter()
            .find(|a| a.kind == AttachmentKind::Photo)
            .unwrap_or_else(|| panic!("photo of {id} (seed {seed}) lost"));
        let attachment = get_attachment_content(&desk, meta.id.into()).await.unwrap();
        assert_eq!(
            attachment.data.into_bytes().unwrap(),
            photo_jpeg(*seed),
            "photo of {id} changed"
        );
    }
    desk.close().await;
}
