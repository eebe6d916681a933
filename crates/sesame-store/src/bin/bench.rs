//! Queue benchmark: seeds N requests (default 100 000) through the CSV import and
//! prints how long the desk's common queries take, on SQLite and, when a URL is
//! given, on PostgreSQL: pages, searches, counts, jumps to a position (the
//! scrollbar dragged to 10 %, 50 %, 90 %, End) and CSV imports of 10 000 and
//! 100 000 rows (with the memory the larger one takes).
//!
//!   cargo run --release -p sesame-store --bin sesame-store-bench -- [--rows N] [--pg URL]
//!
//! `--rows 1000000` is the office-scale run (seeding takes a few minutes).
//!
//! `--pg` defaults to `SESAME_BENCH_PG_URL`, then `SESAME_TEST_PG_URL`; a fresh database
//! is created on that server for the run and dropped afterwards.
//!
//! To time one part again without seeding again: `SESAME_BENCH_KEEP=1` keeps the seeded
//! databases and prints where; `--seeded-sqlite FILE` and `--seeded-pg DATABASE` start
//! from a copy of them, and `--imports-only` times the imports alone.

use std::time::{Duration, Instant};

use sesame_core::{RequestKind, RequestStatus};
use sesame_store::{QueueQuery, QueueSortField, SortDirection, Store};
use sqlx::Connection;

const FAMILY: &[&str] = &[
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martínez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "López",
    "Jean",
    "Dupuy",
];
const GIVEN: &[&str] = &[
    "Zoé",
    "Léa",
    "Emma",
    "Chloé",
    "Inès",
    "Jade",
    "Louise",
    "Lina",
    "Léna",
    "Manon",
    "Camille",
    "Sarah",
    "Éloïse",
    "Anaïs",
    "Noémie",
    "Océane",
    "Maëlle",
    "Hélène",
    "Agnès",
    "Cécile",
    "Lucas",
    "Hugo",
    "Théo",
    "Nathan",
    "Louis",
    "Jules",
    "Gabriel",
    "Raphaël",
    "Léo",
    "Arthur",
    "Noé",
    "Maël",
    "Gaël",
    "Jérôme",
    "Stéphane",
    "Frédéric",
    "François",
    "Benoît",
    "Joël",
    "Loïc",
];
const CATEGORIES: &[&str] = &[
    "staff",
    "staff",
    "staff",
    "contractor",
    "student",
    "visitor",
];
const ZONES: &[&str] = &["Bât A", "Bât B", "Parking", "Labo 3", "Serveurs"];

struct Args {
    sqlite: bool,
    rows: usize,
    pg: Option<String>,
    /// A kept SQLite database already holding `rows` requests, copied for the run.
    seeded_sqlite: Option<String>,
    /// A kept PostgreSQL database already holding `rows` requests, the run's template.
    seeded_pg: Option<String>,
    imports_only: bool,
    /// Only the timings whose section names this (a search's words, a jump's view).
    only: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        sqlite: true,
        rows: 100_000,
        pg: std::env::var("SESAME_BENCH_PG_URL")
            .or_else(|_| std::env::var("SESAME_TEST_PG_URL"))
            .ok()
            .filter(|u| !u.is_empty()),
        seeded_sqlite: None,
        seeded_pg: None,
        imports_only: false,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rows" => args.rows = it.next().and_then(|v| v.parse().ok()).expect("--rows N"),
            "--pg" => args.pg = it.next(),
            "--no-pg" => args.pg = None,
            "--no-sqlite" => args.sqlite = false,
            "--seeded-sqlite" => args.seeded_sqlite = it.next(),
            "--seeded-pg" => args.seeded_pg = it.next(),
            "--imports-only" => args.imports_only = true,
            "--only" => args.only = Some(it.next().expect("--only TEXT")),
            other => panic!(
                "unknown argument {other} (use --rows N, --pg URL, --no-pg, --no-sqlite, \
                 --seeded-sqlite FILE, --seeded-pg DATABASE, --imports-only, --only TEXT)"
            ),
        }
    }
    args
}

/// A deterministic CSV of `count` rows starting at `offset` (HR numbers unique per row).
fn csv_rows(offset: usize, count: usize) -> Vec<u8> {
    let mut out = String::from(
        "nom;prenom;courriel;categorie;matricule;jours_presence;fin_mission;zones;type\n",
    );
    for i in offset..offset + count {
        let family = FAMILY[i % FAMILY.len()];
        let given = GIVEN[(i / FAMILY.len()) % GIVEN.len()];
        let category = CATEGORIES[i % CATEGORIES.len()];
        let zones = format!(
            "{}|{}",
            ZONES[i % ZONES.len()],
            ZONES[(i / 7) % ZONES.len()]
        );
        let kind = if i % 11 == 0 {
            "renouvellement"
        } else {
            "nouveau"
        };
        let end = 2027 + (i % 4);
        let month = 1 + (i % 12);
        out.push_str(&format!(
            "{family};{given};{}.{}{i}@example.fr;{category};HR{i:07};{};28/{month:02}/{end};{zones};{kind}\n",
            sesame_core::text::fold(given),
            sesame_core::text::fold(family).replace(' ', ""),
            2 + i % 4,
        ));
    }
    out.into_bytes()
}

/// Imports `file` (rows from `csv_rows`), printing its time and the memory it took.
async fn timed_import(backend: &str, url: &str, store: &Store, file: Vec<u8>, target: Duration) {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_mb("VmRSS:");
    let start = Instant::now();
    let imported = store
        .import_csv(&file, "bench", false)
        .await
        .expect("import");
    let elapsed = start.elapsed();
    let rows = imported.created.len();
    assert_eq!(rows, bytecount_lines(&file) - 1, "every row imported");
    report(
        backend,
        &format!("import {rows} CSV rows"),
        vec![elapsed],
        target,
    );
    println!(
        "{backend:<9}   memory up to {:.0} MB during the import, {:+.0} MB ({:.1} MB file)",
        status_mb("VmHWM:"),
        status_mb("VmHWM:") - rss_before,
        file.len() as f64 / 1e6
    );
    if url.starts_with("sqlite") {
        // The import leaves its pages in the WAL for a checkpoint in the background:
        // how long until the database file holds them (waiting for that checkpoint).
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rw"))
            .await
            .expect("sqlite connect");
        let start = Instant::now();
        sqlx::query("PRAGMA busy_timeout = 60000")
            .execute(&mut conn)
            .await
            .expect("busy timeout");
        let wal = std::fs::metadata(format!("{}-wal", url.trim_start_matches("sqlite://")))
            .map_or(0, |m| m.len());
        // Another checkpoint running (the background one) makes this one return busy
        // at once, whatever the timeout: asked again until it has run.
        loop {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut conn)
                .await
                .expect("checkpoint");
            if busy == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        println!(
            "{backend:<9}   its WAL ({:.0} MB) in the database file {:.1} s after the report (in the background)",
            wal as f64 / 1e6,
            start.elapsed().as_secs_f64()
        );
    }
}

fn bytecount_lines(file: &[u8]) -> usize {
    file.iter().filter(|b| **b == b'\n').count()
}

/// A memory figure of this process from /proc/self/status (Linux), in MB.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median_p95(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median, p95)
}

fn report(backend: &str, what: &str, samples: Vec<Duration>, target: Duration) {
    let (median, p95) = median_p95(samples);
    let verdict = if median <= target { "ok" } else { "SLOW" };
    println!(
        "{backend:<9} {what:<44} median {:>9.2} ms   p95 {:>9.2} ms   target < {:>6.0} ms   {verdict}",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        target.as_secs_f64() * 1e3,
    );
}

async fn time<F, Fut, T>(runs: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    // one warm-up run: prepared statements and page cache, as on a desk that is in use
    f().await;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        samples.push(start.elapsed());
    }
    samples
}

/// Spreads the seeded requests over the statuses (bulk SQL: the lifecycle is not what is measured).
async fn spread_statuses(url: &str) {
    let statements = [
        ("ready_for_review", "('0','1','2')"),
        ("approved", "('3','4')"),
        ("printed", "('5')"),
        ("activated", "('6','7','8','9')"),
        ("refused", "('a')"),
        ("incomplete", "('b')"),
        ("awaiting_photo", "('c')"),
    ];
    let sqls: Vec<String> = statements
        .iter()
        .map(|(status, chars)| {
            format!("UPDATE requests SET status = '{status}' WHERE substr(id, 36, 1) IN {chars}")
        })
        .collect();
    if url.starts_with("sqlite") {
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .expect("sqlite connect");
        for sql in &sqls {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut conn)
                .await
                .expect("spread");
        }
        sqlx::query("ANALYZE")
            .execute(&mut conn)
            .await
            .expect("analyze");
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("pg connect");
        for sql in &sqls {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut conn)
                .await
                .expect("spread");
        }
        // What autovacuum does on a desk in use: visibility map and statistics.
        sqlx::query("VACUUM ANALYZE")
            .execute(&mut conn)
            .await
            .expect("vacuum analyze");
        conn.close().await.ok();
    }
}

/// What one backend's run does: seed (unless the database comes seeded), then time.
struct Run<'a> {
    backend: &'a str,
    url: &'a str,
    rows: usize,
    seeded: bool,
    imports_only: bool,
    only: Option<&'a str>,
}

async fn bench(run: Run<'_>) {
    let Run {
        backend, url, rows, ..
    } = run;
    let store = Store::open(url).await.expect("open store");
    if !run.seeded {
        seed(backend, url, &store, rows).await;
    }
    if !run.imports_only {
        queries(backend, url, &store, rows, run.only).await;
    }
    if run.only.is_none() {
        imports(backend, url, &store, rows).await;
    }
    store.close().await;
}

async fn seed(backend: &str, url: &str, store: &Store, rows: usize) {
    let chunk = 10_000;
    let start = Instant::now();
    let mut seeded = 0;
    while seeded < rows {
        let n = chunk.min(rows - seeded);
        let chunk_start = Instant::now();
        let report = store
            .import_csv(&csv_rows(seeded, n), "bench", false)
            .await
            .expect("seed import");
        assert_eq!(report.created.len(), n, "{:?}", report.refused.first());
        seeded += n;
        if std::env::var_os("SESAME_BENCH_VERBOSE").is_some() {
            println!(
                "{backend:<9}   {seeded} rows, last chunk {:.2} s",
                chunk_start.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "{backend:<9} seeded {rows} requests through CSV import in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    spread_statuses(url).await;
}

/// Times reading `query`'s page `runs` times and prints the figures as `what`.
async fn time_page(
    backend: &str,
    store: &Store,
    query: &QueueQuery,
    runs: usize,
    what: &str,
    target: Duration,
) {
    let samples = time(runs, || async {
        store.list_requests(query).await.expect(what);
    })
    .await;
    report(backend, what, samples, target);
}

/// Whether a section of the timings is run: all of them without `--only`.
fn wanted(only: Option<&str>, section: &str) -> bool {
    only.is_none_or(|only| section.contains(only))
}

async fn queries(backend: &str, url: &str, store: &Store, rows: usize, only: Option<&str>) {
    if wanted(only, "pages") {
        pages(backend, store).await;
    }
    for term in ["zoe", "lefevre", "jerome mull", "hr000012", "ma j", "m"] {
        if wanted(only, &format!("name search '{term}'")) {
            searched(backend, store, term).await;
        }
    }
    jumps(backend, url, store, rows, only).await;
    if wanted(only, "counts per status") {
        let samples = time(30, || async {
            store.count_by_status().await.expect("counts");
        })
        .await;
        report(
            backend,
            "counts per status",
            samples,
            Duration::from_millis(10),
        );
    }
}

/// Pages of the queue without a search: filtered, the next one, by zone.
async fn pages(backend: &str, store: &Store) {
    let filtered = QueueQuery {
        statuses: vec![RequestStatus::ReadyForReview, RequestStatus::Submitted],
        categories: vec!["staff".into()],
        sort: QueueSortField::HolderName,
        direction: SortDirection::Asc,
        limit: Some(50),
        ..QueueQuery::default()
    };
    let samples = time(30, || async {
        let page = store.list_requests(&filtered).await.expect("page");
        assert_eq!(page.rows.len(), 50);
    })
    .await;
    report(
        backend,
        "page of 50: 2 statuses + category, by name",
        samples,
        Duration::from_millis(10),
    );

    let second = QueueQuery {
        cursor: store
            .list_requests(&filtered)
            .await
            .expect("page")
            .next_cursor,
        ..filtered.clone()
    };
    time_page(
        backend,
        store,
        &second,
        30,
        "next page (keyset cursor)",
        Duration::from_millis(10),
    )
    .await;

    let by_zone = QueueQuery {
        statuses: vec![RequestStatus::Approved],
        kinds: vec![RequestKind::NewBadge],
        zone: Some("Parking".into()),
        sort: QueueSortField::Submitted,
        direction: SortDirection::Desc,
        limit: Some(50),
        ..QueueQuery::default()
    };
    time_page(
        backend,
        store,
        &by_zone,
        30,
        "page of 50: status + kind + zone, newest",
        Duration::from_millis(10),
    )
    .await;
}

/// A search's first page, newest first and by name, and its counts.
async fn searched(backend: &str, store: &Store, term: &str) {
    let search = QueueQuery {
        search: Some(term.into()),
        limit: Some(50),
        ..QueueQuery::default()
    };
    time_page(
        backend,
        store,
        &search,
        30,
        &format!("name search '{term}'"),
        Duration::from_millis(20),
    )
    .await;
    // By name, a surname's matches are all in one stretch of the order: a walk
    // of the sort's index from the top would meet them only there.
    let by_name = QueueQuery {
        sort: QueueSortField::HolderName,
        ..search.clone()
    };
    time_page(
        backend,
        store,
        &by_name,
        10,
        "  the same, by name",
        Duration::from_millis(50),
    )
    .await;
    let samples = time(10, || async {
        store
            .count_by_status_filtered(&search)
            .await
            .expect("search counts");
    })
    .await;
    report(
        backend,
        "  its counts per status",
        samples,
        Duration::from_millis(50),
    );
    // Dense words only: what the chips show until those counts are in.
    if let Some(estimate) = store
        .estimate_counts_by_status(&search)
        .await
        .expect("estimate")
    {
        let exact = store
            .count_by_status_filtered(&search)
            .await
            .expect("search counts");
        let samples = time(10, || async {
            store
                .estimate_counts_by_status(&search)
                .await
                .expect("estimate");
        })
        .await;
        report(
            backend,
            "  its counts estimated from a sample",
            samples,
            Duration::from_millis(50),
        );
        let total =
            |counts: &[sesame_store::StatusCount]| -> i64 { counts.iter().map(|c| c.count).sum() };
        println!(
            "{backend:<9}     {} estimated, {} counted",
            total(&estimate),
            total(&exact)
        );
    }
}

async fn imports(backend: &str, url: &str, store: &Store, rows: usize) {
    let file = csv_rows(rows, 10_000);
    if std::env::var_os("SESAME_BENCH_VERBOSE").is_some() {
        let policy = store.policy().await.expect("policy");
        let start = Instant::now();
        sesame_store::csv_import::parse(&file, &policy).expect("parse");
        println!(
            "{backend:<9}   parse only: {:.0} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
        let start = Instant::now();
        store
            .import_csv(&file, "bench", true)
            .await
            .expect("dry run");
        println!(
            "{backend:<9}   dry run: {:.0} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
    timed_import(backend, url, store, file, Duration::from_secs(2)).await;
    // An HR export of a large office, in one file.
    timed_import(
        backend,
        url,
        store,
        csv_rows(rows + 10_000, 100_000),
        Duration::from_secs(15),
    )
    .await;
}

/// A page of 200 at 10 %, 50 %, 90 % of the matching rows and at the end, in the
/// default sort, by name and by mission end, with and without filters: what the queue
/// asks for when its scrollbar is dragged or End is pressed.
async fn jumps(backend: &str, url: &str, store: &Store, rows: usize, only: Option<&str>) {
    let target = if rows >= 1_000_000 {
        Duration::from_millis(250)
    } else {
        Duration::from_millis(100)
    };
    let views = [
        ("newest first", QueueQuery::default()),
        (
            "by name",
            QueueQuery {
                sort: QueueSortField::HolderName,
                ..QueueQuery::default()
            },
        ),
        (
            "by mission end, latest",
            QueueQuery {
                sort: QueueSortField::MissionEnd,
                direction: SortDirection::Desc,
                ..QueueQuery::default()
            },
        ),
        (
            "2 statuses, by name",
            QueueQuery {
                statuses: vec![RequestStatus::ReadyForReview, RequestStatus::Activated],
                sort: QueueSortField::HolderName,
                ..QueueQuery::default()
            },
        ),
        (
            "2 statuses, newest first",
            QueueQuery {
                statuses: vec![RequestStatus::ReadyForReview, RequestStatus::Activated],
                direction: SortDirection::Desc,
                ..QueueQuery::default()
            },
        ),
        (
            "category staff, newest",
            QueueQuery {
                categories: vec!["staff".into()],
                direction: SortDirection::Desc,
                ..QueueQuery::default()
            },
        ),
        (
            "search 'm' (a fifth of the queue), by name",
            QueueQuery {
                search: Some("m".into()),
                sort: QueueSortField::HolderName,
                ..QueueQuery::default()
            },
        ),
    ];
    for (name, view) in views {
        if !wanted(only, name) {
            continue;
        }
        let total: i64 = store
            .count_by_status_filtered(&view)
            .await
            .expect("counts")
            .iter()
            .filter(|c| view.statuses.is_empty() || view.statuses.contains(&c.status))
            .map(|c| c.count)
            .sum();
        let total = u64::try_from(total).expect("count");
        if view.search.is_some() {
            // Under dense words the first jump needs the position marks the next ones
            // use. The first page has them taken in the background once the desk's
            // reads pause: timed for a jump right after that page (it takes them
            // itself), and for one after the operator has read the page for a moment.
            // Each from a store of its own, whose marks no earlier query took, once
            // the marks the bench's store takes ahead of the pages timed above are
            // taken (not beside these timings).
            tokio::time::sleep(Duration::from_secs(3)).await;
            let jump = QueueQuery {
                start: Some(total / 3),
                limit: Some(200),
                ..view.clone()
            };
            for (when, pause) in [
                ("right after the first page", Duration::ZERO),
                ("2 s after the first page", Duration::from_secs(2)),
            ] {
                let fresh = Store::open(url).await.expect("open another store");
                fresh.list_requests(&view).await.expect("first page");
                tokio::time::sleep(pause).await;
                let started = Instant::now();
                fresh.list_requests(&jump).await.expect("first jump");
                println!(
                    "{backend:<9} first jump: {name}, {when} {:>10.2} ms",
                    started.elapsed().as_secs_f64() * 1000.0
                );
                fresh.close().await;
            }
        }
        for (label, start) in [
            ("10 %", total / 10),
            ("50 %", total / 2),
            ("90 %", total * 9 / 10),
            ("end", total.saturating_sub(200)),
        ] {
            let query = QueueQuery {
                start: Some(start),
                limit: Some(200),
                ..view.clone()
            };
            let samples = time(10, || async {
                let page = store.list_requests(&query).await.expect("jump");
                assert!(!page.rows.is_empty(), "nothing at {start} of {total}");
            })
            .await;
            report(
                backend,
                &format!("jump to {label}: {name}"),
                samples,
                target,
            );
        }
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let dir = tempfile_dir();
    let sqlite_url = format!("sqlite://{}/bench.sqlite3", dir.display());
    if args.sqlite {
        if let Some(seeded) = &args.seeded_sqlite {
            let copy = dir.join("bench.sqlite3");
            std::fs::copy(seeded, &copy).expect("copy the seeded database");
            // On disk before the timings start, not written back by the kernel during them.
            std::fs::File::open(&copy)
                .and_then(|f| f.sync_all())
                .expect("sync the copy");
        }
        bench(Run {
            backend: "sqlite",
            url: &sqlite_url,
            rows: args.rows,
            seeded: args.seeded_sqlite.is_some(),
            imports_only: args.imports_only,
            only: args.only.as_deref(),
        })
        .await;
    }
    if args.sqlite && std::env::var_os("SESAME_BENCH_KEEP").is_some() {
        println!("sqlite    kept database {sqlite_url}");
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }

    match args.pg {
        None => println!(
            "postgres  skipped: no URL (--pg URL, SESAME_BENCH_PG_URL or SESAME_TEST_PG_URL)"
        ),
        Some(admin_url) => {
            let name = format!("sesame_bench_{}", uuid::Uuid::now_v7().simple());
            let mut admin = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            // Random index inserts at 1 000 000 requests depend on the server's buffer
            // cache (the search words' index alone is ~1 GB there): printed with the figures.
            let buffers: String = sqlx::query_scalar("SHOW shared_buffers")
                .fetch_one(&mut admin)
                .await
                .expect("read shared_buffers");
            println!("postgres  server: shared_buffers = {buffers}");
            let template = args
                .seeded_pg
                .as_ref()
                .map_or(String::new(), |t| format!(" TEMPLATE \"{t}\""));
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE \"{name}\"{template}"
            )))
            .execute(&mut admin)
            .await
            .expect("create bench database");
            if args.seeded_pg.is_some() {
                // The copy on disk before the timings start, as for SQLite's (same server).
                let _ = std::process::Command::new("sync").status();
            }
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let cut = base
                .rfind('/')
                .filter(|i| *i > base.find("://").map_or(0, |s| s + 2))
                .unwrap_or(base.len());
            let url = format!("{}/{name}", &base[..cut]);
            bench(Run {
                backend: "postgres",
                url: &url,
                rows: args.rows,
                seeded: args.seeded_pg.is_some(),
                imports_only: args.imports_only,
                only: args.only.as_deref(),
            })
            .await;
            if std::env::var_os("SESAME_BENCH_KEEP").is_some() {
                println!("postgres  kept database {url}");
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\""
            )))
            .execute(&mut admin)
            .await
            {
                println!("postgres  could not drop bench database {name}: {e}");
            }
        }
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sesame-bench-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
