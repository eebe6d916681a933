//! The app itself, release build, real window under Xvfb through WebDriver, on a
//! queue of 100 000 requests (`--rows N` for another size): how long from the
//! process's start to the sign-in form, from "Sign in" to the queue drawn with its
//! rows and counts, and how much memory the app and its web view hold at rest.
//! Prints the figures beside their targets; run by `scripts/bench-app.sh`, which
//! also builds the `.deb` and prints its size.
//!
//! `scripts/with-keyring.sh cargo bench -p sesame --features embed-ui --bench app_start`

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)] // the end-to-end tests use the rest
mod harness;
#[path = "../tests/e2e/seed.rs"]
mod seed;

use harness::{AppSession, E2E_OPERATOR, E2E_PIN};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rows = rows_argument();
    let home = tempfile::tempdir().expect("temp dir");
    let data_dir = home.path().join("data");
    seed::seed_queue(&data_dir, rows).await;

    // The first start sets the desk up (office, first supervisor): not measured.
    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.wait_long("[data-testid=queue-row]").await;
    app.close().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cache = if drop_file_cache() {
        "file cache dropped first"
    } else {
        "file cache warm (dropping it needs root)"
    };

    // The start a desk sees every morning.
    let app = AppSession::launch(home.path(), &data_dir, &[]).await;
    app.wait_long("[data-testid=sign-in-form]").await;
    let (pid, since_start) = app_process().expect("the app's process");
    app.type_into("[data-testid=sign-in-name]", E2E_OPERATOR)
        .await;
    app.type_into("[data-testid=sign-in-pin]", E2E_PIN).await;
    let signed = Instant::now();
    app.click("[data-testid=sign-in-submit]").await;
    app.wait_long("[data-testid=queue-row]").await;
    app.wait_for_text_within(
        "[data-testid=count-all]",
        &rows.to_string(),
        Duration::from_secs(60),
    )
    .await;
    let to_queue = signed.elapsed();

    tokio::time::sleep(Duration::from_secs(10)).await;
    let memory = process_tree_memory(pid);
    app.close().await;

    println!("Sésame, release build, {rows} requests on SQLite ({cache}):");
    println!(
        "  start to the sign-in form            {:>7.0} ms",
        since_start.as_secs_f64() * 1e3
    );
    println!(
        "  sign-in to the queue drawn           {:>7.0} ms   (the PIN's Argon2id check included)",
        to_queue.as_secs_f64() * 1e3
    );
    let total = since_start + to_queue;
    println!(
        "  start to the queue, typing aside     {:>7.0} ms   target ≤ 1000 ms   {}",
        total.as_secs_f64() * 1e3,
        if total <= Duration::from_secs(1) {
            "ok"
        } else {
            "SLOW"
        }
    );
    println!("  memory at rest, 10 s after drawing the queue:");
    let (mut rss, mut pss) = (0.0, 0.0);
    for process in &memory {
        println!(
            "    {:<24} RSS {:>6.1} MB   PSS {:>6.1} MB",
            process.name, process.rss_mb, process.pss_mb
        );
        rss += process.rss_mb;
        pss += process.pss_mb;
    }
    println!(
        "    {:<24} RSS {rss:>6.1} MB   PSS {pss:>6.1} MB   target ≤ 150 MB (PSS)   {}",
        "together",
        if pss <= 150.0 { "ok" } else { "OVER" }
    );
}

fn rows_argument() -> u32 {
    let mut args = std::env::args().skip(1);
    let mut rows = 100_000;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rows" => rows = args.next().and_then(|v| v.parse().ok()).expect("--rows N"),
            "--bench" => {} // what `cargo bench` passes
            other => panic!("unknown argument {other} (use --rows N)"),
        }
    }
    rows
}

/// Asks the kernel to forget cached files, so the start reads the binary and the
/// database from disk as after a reboot; false when not allowed.
fn drop_file_cache() -> bool {
    let _ = std::process::Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

/// The app's process (the binary the harness launches) and how long ago it started.
fn app_process() -> Option<(u32, Duration)> {
    let binary = Path::new(env!("CARGO_BIN_EXE_sesame"))
        .canonicalize()
        .ok()?;
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    pids()
        .into_iter()
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .filter_map(|pid| {
            let started = stat_fields(pid)?.get(19)?.parse::<f64>().ok()? / ticks;
            Some((pid, Duration::from_secs_f64((uptime - started).max(0.0))))
        })
        .min_by_key(|(_, age)| *age) // the newest, should an older one linger
}

/// Every process's id (the numbered folders of /proc).
fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .collect()
}

/// The fields of /proc/PID/stat after the command's name (state is index 0).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    Some(after_name.split_whitespace().map(str::to_owned).collect())
}

struct ProcessMemory {
    name: String,
    rss_mb: f64,
    pss_mb: f64,
}

/// The memory of `root` and every process under it (WebKit's web and network
/// processes are the app's children).
fn process_tree_memory(root: u32) -> Vec<ProcessMemory> {
    let parents: Vec<(u32, u32)> = pids()
        .into_iter()
        .filter_map(|pid| Some((pid, stat_fields(pid)?.get(1)?.parse().ok()?)))
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    tree.into_iter()
        .filter_map(|pid| {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let field = |key: &str| {
                rollup
                    .lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
                    .map_or(0.0, |kb| kb / 1024.0)
            };
            Some(ProcessMemory {
                name: name.trim().to_owned(),
                rss_mb: field("Rss:"),
                pss_mb: field("Pss:"),
            })
        })
        .collect()
}
