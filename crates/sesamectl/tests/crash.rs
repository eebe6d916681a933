//! Crash safety (issue 8): a real process is killed with SIGKILL in the middle of
//! a large CSV import, a batch print and a run of photo saves; the database is then
//! reopened and must be intact (`PRAGMA integrity_check`, foreign keys), its status
//! counts must match its rows, everything committed before the kill must still be
//! there, and a print batch must be either recorded with its PDF or not at all.
//!
//! Unix only (SIGKILL). The desks need a keyring: run under `scripts/with-keyring.sh`.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sesame_core::{
    AttachmentKind, HolderDetails, RequestAction, RequestDetails, RequestKind, RequestStatus,
};
use sesame_service::Desk;
use sesame_store::{NewRequest, Store};
use sqlx::Connection;
use uuid::Uuid;

const OPERATOR: &str = "alice";

/// One throwaway desk: a data folder, its SQLite file and its own keyring entry.
struct Site {
    dir: tempfile::TempDir,
    keyring: String,
}

impl Site {
    fn new() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
            keyring: format!("sesame-test-crash-{}", Uuid::now_v7().simple()),
        }
    }

    fn db_file(&self) -> PathBuf {
        self.dir.path().join("sesame.sqlite3")
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.db_file().display())
    }

    fn sesamectl(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sesamectl"));
        command
            .args(args)
            .env("SESAME_DATA_DIR", self.dir.path())
            .env("SESAME_DATABASE_URL", self.url())
            .env("SESAME_KEYRING_SERVICE", &self.keyring)
            .env("SESAME_OPERATOR", OPERATOR)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    async fn desk(&self) -> Desk {
        let vault =
            sesame_vault::KeyVault::open(&self.keyring, sesame_vault::DEFAULT_ACCOUNT).unwrap();
        Desk::open_as(self.dir.path(), &self.url(), vault, OPERATOR)
            .await
            .unwrap_or_else(|e| panic!("open desk: {e} (run under scripts/with-keyring.sh)"))
    }
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

/// What any reopened database must satisfy, whatever was killed.
async fn assert_consistent(site: &Site) {
    let mut conn = sqlx::SqliteConnection::connect(&site.url()).await.unwrap();
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
    // Every request was written with its audit entry, every printed one with its badge.
    for (what, sql) in [
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
    ] {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(count, 0, "{what}");
    }
    conn.close().await.unwrap();
    // The queue's status counts add up to its rows.
    let store = Store::open(&site.url()).await.unwrap();
    let info = store.info().await.unwrap();
    let counted: i64 = store
        .count_by_status()
        .await
        .unwrap()
        .iter()
        .map(|c| c.count)
        .sum();
    assert_eq!(counted, info.requests, "status counts vs rows");
    store.close().await;
}

async fn request_count(site: &Site) -> i64 {
    let store = Store::open(&site.url()).await.unwrap();
    let n = store.info().await.unwrap().requests;
    store.close().await;
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
    let site = Site::new();
    // Committed before any kill: five requests that must survive everything.
    let small = site.dir.path().join("small.csv");
    std::fs::write(&small, csv(5, "keep")).unwrap();
    let out = site
        .sesamectl(&["requests", "import", small.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(request_count(&site).await, 5);

    const BIG: i64 = 20_000;
    let big_file = |run: usize| {
        let path = site.dir.path().join(format!("big{run}.csv"));
        std::fs::write(&path, csv(BIG as usize, &format!("r{run}x"))).unwrap();
        path
    };
    // How long the process takes to start, and to import the whole file: the kills
    // below fall inside the import itself, not in the start-up.
    let started = Instant::now();
    let out = site.sesamectl(&["info"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let startup = started.elapsed();
    let first = big_file(0);
    let started = Instant::now();
    let out = site
        .sesamectl(&["requests", "import", first.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    let mut expected = 5 + BIG;
    assert_eq!(request_count(&site).await, expected);

    let mut killed_mid_import = 0;
    for (run, fraction) in [0.3, 0.5, 0.7, 0.9].into_iter().enumerate() {
        let big = big_file(run + 1);
        let child = site
            .sesamectl(&["requests", "import", big.to_str().unwrap()])
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
    let store = Store::open(&site.url()).await.unwrap();
    let page = store
        .list_requests(&sesame_store::QueueQuery {
            search: Some("Nomkeep".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 5);
    store.close().await;
}

/// A 300 × 400 JPEG whose pixels depend on `seed`.
fn photo(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([
            ((x + seed) % 256) as u8,
            ((y * 3 + seed) % 256) as u8,
            (seed % 256) as u8,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
    bytes.into_inner()
}

fn new_request(family: &str) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: family.into(),
            given_names: "Camille".into(),
            email: None,
            phone: None,
            organisation: None,
            unit: None,
            category: "staff".into(),
            external_id: None,
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: Some(chrono::Utc::now().date_naive() + chrono::Days::new(300)),
        },
        request: RequestDetails::new(RequestKind::NewBadge),
    }
}

async fn approved(desk: &Desk, family: &str, seed: u32) -> Uuid {
    let store = desk.store();
    let id = store
        .create_request(new_request(family), OPERATOR)
        .await
        .unwrap()
        .request
        .id;
    store
        .put_attachment(id, AttachmentKind::Photo, &photo(seed), OPERATOR)
        .await
        .unwrap();
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
    ] {
        v = store
            .transition(id, v, action, OPERATOR, None)
            .await
            .unwrap()
            .request
            .version;
    }
    id
}

fn pdf_parts(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".pdf.part"))
        .collect()
}

fn qpdf_ok(path: &Path) -> bool {
    Command::new("qpdf")
        .args(["--check", path.to_str().unwrap()])
        .output()
        .unwrap_or_else(|e| panic!("qpdf is not installed ({e}): apt-get install qpdf"))
        .status
        .success()
}

const CARDS: usize = 24;

/// A desk with [`CARDS`] approved requests with photos, ready to print.
async fn print_site() -> (Site, Vec<Uuid>) {
    let site = Site::new();
    let desk = site.desk().await;
    let mut ids = Vec::new();
    for i in 0..CARDS {
        ids.push(approved(&desk, &format!("Imprimé{i}"), i as u32).await);
    }
    desk.store().close().await;
    drop(desk);
    (site, ids)
}

fn print_command(site: &Site, pdf: &Path) -> Command {
    site.sesamectl(&[
        "print",
        "--status",
        "approved",
        "--layout",
        "a4",
        "--out",
        pdf.to_str().unwrap(),
    ])
}

async fn printed_count(site: &Site, ids: &[Uuid]) -> usize {
    let store = Store::open(&site.url()).await.unwrap();
    let mut printed = 0;
    for id in ids {
        let detail = store.get_request(*id).await.unwrap();
        if detail.request.status == RequestStatus::Printed {
            assert!(detail.badge.is_some());
            printed += 1;
        }
    }
    store.close().await;
    printed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_batch_print_is_recorded_with_its_pdf_or_not_at_all() {
    // A twin desk measures how long start-up and the whole batch take, so the
    // kills below fall inside the batch.
    let (twin, twin_ids) = print_site().await;
    let started = Instant::now();
    let out = twin.sesamectl(&["info"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let startup = started.elapsed();
    let started = Instant::now();
    let out = print_command(&twin, &twin.dir.path().join("twin.pdf"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    assert_eq!(printed_count(&twin, &twin_ids).await, CARDS);

    let (site, ids) = print_site().await;
    let out_dir = site.dir.path().join("out");
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
        match printed_count(&site, &ids).await {
            0 => {
                // Not recorded: no PDF under the asked name (a hidden .part may be left).
                assert!(!pdf.exists(), "run {run}: PDF written but nothing recorded");
                if killed {
                    killed_before_commit += 1;
                }
            }
            n if n == CARDS => {
                // Recorded: the complete PDF is there — under its name, or, when the
                // kill fell between the commit and the rename, as the synced .part file.
                let complete = if pdf.exists() {
                    qpdf_ok(&pdf)
                } else {
                    pdf_parts(&out_dir).iter().any(|p| qpdf_ok(p))
                };
                assert!(complete, "run {run}: batch recorded without its PDF");
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

/// The child side of `killed_photo_saves_keep_every_committed_photo`: saves photos in
/// a loop, printing `saved <request id> <seed>` once each save has committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by killed_photo_saves_keep_every_committed_photo as a child process"]
async fn photo_save_child() {
    let Ok(dir) = std::env::var("SESAME_CRASH_CHILD_DIR") else {
        return;
    };
    let keyring = std::env::var("SESAME_CRASH_CHILD_KEYRING").unwrap();
    let url = format!("sqlite://{dir}/sesame.sqlite3");
    let vault = sesame_vault::KeyVault::open(&keyring, sesame_vault::DEFAULT_ACCOUNT).unwrap();
    let desk = Desk::open_as(Path::new(&dir), &url, vault, OPERATOR)
        .await
        .unwrap();
    let store = desk.store();
    for seed in 0u32.. {
        let id = store
            .create_request(new_request(&format!("Photo{seed}")), OPERATOR)
            .await
            .unwrap()
            .request
            .id;
        store
            .put_attachment(id, AttachmentKind::Photo, &photo(seed), OPERATOR)
            .await
            .unwrap();
        println!("saved {id} {seed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_photo_saves_keep_every_committed_photo() {
    let site = Site::new();
    // Create the database and its key before the child starts saving.
    let desk = site.desk().await;
    desk.store().close().await;
    drop(desk);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "photo_save_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SESAME_CRASH_CHILD_DIR", site.dir.path())
        .env("SESAME_CRASH_CHILD_KEYRING", &site.keyring)
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
        let detail = desk.store().get_request(*id).await.unwrap();
        let meta = detail
            .attachments
            .iter()
            .find(|a| a.kind == AttachmentKind::Photo)
            .unwrap_or_else(|| panic!("photo of {id} (seed {seed}) lost"));
        let attachment = desk.store().get_attachment(meta.id).await.unwrap();
        assert_eq!(attachment.bytes, photo(*seed), "photo of {id} changed");
    }
}
