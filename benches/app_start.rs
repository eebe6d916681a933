//! The app itself, release build, real window under Xvfb through WebDriver, on a
//! queue of 100 000 requests (`--rows N` for another size): how long from the
//! process's start to the sign-in form, from "Sign in" to the queue drawn with its
//! rows and counts, and how much memory the app and its web view hold at rest.
//! Prints the figures beside their targets; run by `scripts/bench-app.sh`, which
//! also builds the `.deb` and prints its size.
//!
//! Beside the app it measures an empty WebKitGTK view with the app's web view
//! settings (this benchmark started again as `--empty-web-view`): the memory any
//! page shown through WebKitGTK starts from, so the app's own share is read apart
//! from its web view's. Linux only, like the end-to-end tests (WebKitGTK, /proc).
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

const EMPTY_WEB_VIEW: &str = "--empty-web-view";

fn main() {
    if std::env::args().nth(1).as_deref() == Some(EMPTY_WEB_VIEW) {
        show_empty_web_view();
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(measure_the_app());
}

async fn measure_the_app() {
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
    shown(&app, "[data-testid=sign-in-form]", "").await;
    let (pid, since_start) = app_process().expect("the app's process");
    app.type_into("[data-testid=sign-in-name]", E2E_OPERATOR)
        .await;
    app.type_into("[data-testid=sign-in-pin]", E2E_PIN).await;
    let signed = Instant::now();
    app.click("[data-testid=sign-in-submit]").await;
    shown(&app, "[data-testid=queue-row]", "").await;
    shown(&app, "[data-testid=count-all]", &rows.to_string()).await;
    let to_queue = signed.elapsed();

    tokio::time::sleep(AT_REST).await;
    let memory = process_tree_memory(pid);
    app.close().await;
    let empty_view = empty_web_view_memory().await;

    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("Sésame, {build} build, {rows} requests on SQLite ({cache}):");
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
    println!("  memory at rest, 10 s after drawing the queue (MB):");
    println!(
        "    {:<18} {:>7} {:>7}   {:>14}   {:>12}",
        "process", "RSS", "PSS", "system libs", "the app's own"
    );
    let together = print_processes(&memory);
    println!(
        "    target ≤ 150 MB at rest: PSS {:.0} MB {}; the app's own {:.0} MB {}",
        together.pss_mb,
        verdict(together.pss_mb),
        together.own_mb(),
        verdict(together.own_mb())
    );
    println!("  an empty WebKitGTK view with the same settings, at rest (MB):");
    let floor = print_processes(&empty_view);
    println!(
        "    the app above the empty view: PSS {:.0} MB (the desk's code, data, screens and their scripts)",
        together.pss_mb - floor.pss_mb
    );
    println!(
        "    (PSS = the system's libraries under /usr/lib — WebKit, JavaScriptCore, GTK, and
     Mesa's software OpenGL under Xvfb — plus the app's own pages: its binary, heaps,
     the JavaScript heap and code)"
    );
}

/// Prints each process's line, then their sum's, and returns the sum.
fn print_processes(processes: &[ProcessMemory]) -> ProcessMemory {
    let mut together = ProcessMemory::default();
    for process in processes {
        process.print();
        together.add(process);
    }
    together.print();
    together
}

/// How long the app or the empty view is left alone before its memory is read.
const AT_REST: Duration = Duration::from_secs(10);

/// Starts this benchmark again as an empty WebKitGTK view on a private Xvfb and
/// reads its memory at rest, as the app's.
async fn empty_web_view_memory() -> Vec<ProcessMemory> {
    let (_xvfb, display) = harness::start_xvfb();
    let mut view = std::process::Command::new(std::env::current_exe().expect("this benchmark"))
        .arg(EMPTY_WEB_VIEW)
        .env("DISPLAY", &display)
        .spawn()
        .expect("start the empty web view");
    // Loading takes well under a second; the rest is the same wait as the app's.
    tokio::time::sleep(Duration::from_secs(2) + AT_REST).await;
    let memory = process_tree_memory(view.id());
    let _ = view.kill();
    let _ = view.wait();
    assert!(
        memory.iter().any(|p| p.name.starts_with("WebKitWebProces")),
        "the empty view started no web process: {memory:?}"
    );
    memory
}

/// A window holding a WebKitGTK view with the app's settings and a one-line page.
fn show_empty_web_view() {
    use gtk::prelude::*;
    use webkit2gtk::WebViewExt;
    gtk::init().expect("GTK (is DISPLAY set?)");
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_default_size(1280, 800);
    let view = webkit2gtk::WebView::new();
    sesame_app::web_view::lighten_web_view(&view);
    view.load_html(
        "<!doctype html><meta charset=utf-8><title>Sésame</title><p>Sésame</p>",
        None,
    );
    window.add(&view);
    window.show_all();
    gtk::main();
}

fn verdict(mb: f64) -> &'static str {
    if mb <= 150.0 {
        "ok"
    } else {
        "OVER"
    }
}

/// Waits until `css` is in the page (holding `text` when not empty), watching from
/// inside the page, so the moment it appears is not rounded up to a polling step.
async fn shown(app: &AppSession, css: &str, text: &str) {
    let script = r#"
        const [css, text, done] = arguments;
        const there = () => {
            const element = document.querySelector(css);
            return element !== null && element.textContent.includes(text);
        };
        if (there()) { done(true); return; }
        const watch = new MutationObserver(() => {
            if (there()) { watch.disconnect(); done(true); }
        });
        watch.observe(document, { childList: true, subtree: true, characterData: true });
    "#;
    let seen = app
        .client
        .execute_async(script, vec![css.into(), text.into()])
        .await
        .unwrap_or_else(|e| panic!("{css} never showed {text:?}: {e}"));
    assert_eq!(seen, serde_json::Value::Bool(true), "{css}");
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

#[derive(Debug, Default)]
struct ProcessMemory {
    name: String,
    rss_mb: f64,
    pss_mb: f64,
    /// The part of the PSS in the mappings of the system's libraries (/usr/lib).
    system_libs_mb: f64,
}

impl ProcessMemory {
    /// The rest of the PSS: the app's binary, heaps and anonymous memory.
    fn own_mb(&self) -> f64 {
        self.pss_mb - self.system_libs_mb
    }

    fn add(&mut self, other: &ProcessMemory) {
        self.name = "together".into();
        self.rss_mb += other.rss_mb;
        self.pss_mb += other.pss_mb;
        self.system_libs_mb += other.system_libs_mb;
    }

    fn print(&self) {
        println!(
            "    {:<18} {:>7.1} {:>7.1}   {:>14.1}   {:>12.1}",
            self.name,
            self.rss_mb,
            self.pss_mb,
            self.system_libs_mb,
            self.own_mb()
        );
    }
}

/// Sums a process's /proc/PID/smaps: its totals, and the PSS of the mappings of
/// files under /usr/lib.
fn smaps_memory(pid: u32) -> Option<ProcessMemory> {
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).ok()?;
    let mut memory = ProcessMemory {
        name: name.trim().to_owned(),
        ..ProcessMemory::default()
    };
    let mut in_system_lib = false;
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let (Some(first), Some(second)) = (words.next(), words.next()) else {
            continue;
        };
        if !first.ends_with(':') {
            // A mapping's header: "start-end perms offset dev inode [path]".
            in_system_lib = line
                .split_whitespace()
                .nth(5)
                .is_some_and(|path| path.starts_with("/usr/lib"));
            continue;
        }
        let mb = second.parse::<f64>().unwrap_or(0.0) / 1024.0;
        match first {
            "Rss:" => memory.rss_mb += mb,
            "Pss:" => {
                memory.pss_mb += mb;
                if in_system_lib {
                    memory.system_libs_mb += mb;
                }
            }
            _ => {}
        }
    }
    Some(memory)
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
    tree.into_iter().filter_map(smaps_memory).collect()
}
