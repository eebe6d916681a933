//! Starts the real app under a private Xvfb, through tauri-driver and
//! WebKitWebDriver, and ends every process it started when dropped.
//!
//! Each [`AppSession`] has its own display, driver ports and data directory
//! (`SESAME_DATA_DIR`, `XDG_*`), so tests run in parallel and never touch the
//! developer's own database.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;

/// A child process started in its own process group, ended with the group.
pub struct ProcessGroup {
    child: Child,
    name: &'static str,
}

impl ProcessGroup {
    fn spawn(name: &'static str, command: &mut Command) -> ProcessGroup {
        let child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {name}: {e} (run scripts/setup.sh --test to install it)")
            });
        ProcessGroup { child, name }
    }

    fn ensure_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited early with {status}", self.name);
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // tauri-driver starts WebKitWebDriver, which starts the app: ending the
        // whole group ends all three (killing tauri-driver alone leaves the rest).
        let pgid = self.child.id() as libc::pid_t;
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

/// Starts Xvfb on the first free display number and waits for its socket.
pub fn start_xvfb() -> (ProcessGroup, String) {
    for number in 40..400 {
        if Path::new(&format!("/tmp/.X{number}-lock")).exists()
            || Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
        {
            continue;
        }
        let display = format!(":{number}");
        let mut xvfb = ProcessGroup::spawn(
            "Xvfb",
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stderr(Stdio::null()),
        );
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if socket.exists() {
                return (xvfb, display);
            }
            if let Ok(Some(_)) = xvfb.child.try_wait() {
                break; // lost a race for this display number: try the next
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("could not start Xvfb on any display");
}

/// Where the app under test saves PDFs and exports (`SESAME_PRINT_DIR`).
pub fn print_dir(home: &Path) -> PathBuf {
    home.join("prints")
}

/// The PDFs the desk wrote into its print folder.
pub fn printed_pdfs(home: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(print_dir(home))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect()
        })
        .unwrap_or_default()
}

/// A folder for the file-backed camera (`SESAME_CAMERA_FOLDER`): an acceptable ID
/// portrait (made from one fetched by scripts/fetch-portraits.sh) as three 1280 × 720
/// webcam frames.
pub fn camera_frames() -> tempfile::TempDir {
    let frames = tempfile::tempdir().unwrap();
    let frame = sesame_test_support::portraits::acceptable_webcam_frame();
    for n in 0..3 {
        frame
            .save(frames.path().join(format!("frame-{n}.png")))
            .unwrap();
    }
    frames
}

/// Where tests write screenshots and other artifacts a reviewer can look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("cannot create test-artifacts/e2e");
    dir
}

pub struct AppSession {
    pub client: Client,
    pub data_dir: PathBuf,
    // Dropped after the client is closed: driver (and app) first, then Xvfb.
    _driver: ProcessGroup,
    _xvfb: ProcessGroup,
    _home: Option<tempfile::TempDir>,
}

/// The operator every end-to-end run signs in as (the first supervisor of its queue).
pub const E2E_OPERATOR: &str = "guichet";
pub const E2E_DISPLAY_NAME: &str = "Agent du guichet";
pub const E2E_PIN: &str = "246810";
/// The office every end-to-end queue is set up for.
pub const E2E_OFFICE: &str = "Bureau des badges — essais";

impl AppSession {
    /// Starts the app on a fresh, empty data directory.
    pub async fn start() -> AppSession {
        let home = tempfile::tempdir().expect("temp dir");
        let data_dir = home.path().join("data");
        let mut session = Self::start_in(home.path(), &data_dir).await;
        session._home = Some(home);
        session
    }

    /// Starts the app with `home` as its XDG home and `data_dir` as its data.
    pub async fn start_in(home: &Path, data_dir: &Path) -> AppSession {
        Self::start_with_env(home, data_dir, &[]).await
    }

    /// [`AppSession::start_in`] with extra environment variables for the app, e.g.
    /// `SESAME_CAMERA_FOLDER` for the file-backed camera.
    pub async fn start_with_env(
        home: &Path,
        data_dir: &Path,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> AppSession {
        let session = Self::launch(home, data_dir, env).await;
        session.sign_in().await;
        session
    }

    /// Starts the app and leaves its window as it opens (the first start's setup, or
    /// the sign-in form), for tests that walk those themselves.
    pub async fn launch(
        home: &Path,
        data_dir: &Path,
        env: &[(&str, &std::ffi::OsStr)],
    ) -> AppSession {
        let binary = env!("CARGO_BIN_EXE_sesame");
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = free_port();
        let mut driver = ProcessGroup::spawn(
            "tauri-driver",
            Command::new("tauri-driver")
                .args(["--port", &port.to_string()])
                .args(["--native-port", &native_port.to_string()])
                .env("DISPLAY", &display)
                .env("SESAME_DATA_DIR", data_dir)
                // Each app's data key in its own keyring entry, kept across restarts of
                // the same data folder (crash tests reopen it).
                .env(
                    "SESAME_KEYRING_SERVICE",
                    format!("fr.sesame.e2e:{}", data_dir.display()),
                )
                .env("SESAME_PRINT_DIR", print_dir(home))
                .env_remove("SESAME_DATABASE_URL")
                .env("XDG_DATA_HOME", home.join("share"))
                .env("XDG_CONFIG_HOME", home.join("config"))
                .env("XDG_CACHE_HOME", home.join("cache"))
                .env("TAURI_WEBVIEW_AUTOMATION", "true")
                .env("RUST_LOG", "warn")
                .envs(env.iter().copied())
                .stderr(Stdio::null()),
        );

        let capabilities = json!({ "tauri:options": { "application": binary } });
        let capabilities = capabilities.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            driver.ensure_running();
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    panic!("WebDriver session could not start on {url}: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        AppSession {
            client,
            data_dir: data_dir.to_path_buf(),
            _driver: driver,
            _xvfb: xvfb,
            _home: None,
        }
    }

    /// Signs in as the desk's operator, as a person at the desk would: a new queue
    /// opens on the first start's setup (the office named [`E2E_OFFICE`], every
    /// category kept, the folder the test set, and the operator as first supervisor),
    /// any other on the sign-in form.
    async fn sign_in(&self) {
        let form = self
            .wait_long("[data-testid=setup-form], [data-testid=sign-in-form]")
            .await;
        let setup = form.attr("data-testid").await.ok().flatten().as_deref() == Some("setup-form");
        if setup {
            self.type_into("[data-testid=setup-office-name]", E2E_OFFICE)
                .await;
            for step in ["categories", "folder", "supervisor"] {
                self.click("[data-testid=setup-next]").await;
                self.wait_for(&format!("[data-testid=setup-form][data-step={step}]"))
                    .await;
            }
        }
        let name = self.wait_for("[data-testid=sign-in-name]").await;
        name.clear().await.expect("clear the name");
        name.send_keys(E2E_OPERATOR).await.expect("type the name");
        if setup {
            self.type_into("[data-testid=sign-in-display-name]", E2E_DISPLAY_NAME)
                .await;
        }
        self.type_into("[data-testid=sign-in-pin]", E2E_PIN).await;
        if setup {
            self.type_into("[data-testid=sign-in-confirm-pin]", E2E_PIN)
                .await;
            self.click("[data-testid=setup-submit]").await;
        } else {
            self.click("[data-testid=sign-in-submit]").await;
        }
        self.wait_long("[data-testid=signed-in-as]").await;
    }

    /// Waits for an element by CSS selector (the UI loads asynchronously).
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_at_most(css, Duration::from_secs(15)).await
    }

    /// Waits for an element up to `limit`; on a timeout, the screen is kept beside
    /// the failure.
    async fn wait_at_most(&self, css: &str, limit: Duration) -> Element {
        match self
            .client
            .wait()
            .at_most(limit)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let shot = self.screenshot("failed-wait").await;
                panic!(
                    "element {css} never appeared: {e} (screen: {})",
                    shot.display()
                )
            }
        }
    }

    /// Waits until the element's text contains `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        self.wait_for_text_within(css, expected, Duration::from_secs(15))
            .await
    }

    /// [`AppSession::wait_for_text`] for what takes longer (a large import).
    pub async fn wait_for_text_within(&self, css: &str, expected: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(expected) {
                return text;
            }
            if Instant::now() > deadline {
                let shot = self.screenshot("failed-wait").await;
                panic!(
                    "{css} never showed {expected:?}; last text: {text:?} (screen: {})",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element, then clicks it. A click refused because the element was
    /// drawn again in between (Svelte replaces nodes when their block re-renders) is
    /// tried again on the new node, within the same 15 s as `wait_for`.
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let error = match self.wait_for(css).await.click().await {
                Ok(()) => return,
                Err(e) => e,
            };
            if Instant::now() > deadline {
                let shot = self.screenshot("failed-click").await;
                panic!("cannot click {css}: {error:?} (screen: {})", shot.display());
            }
            // WebKit's driver scrolls an element only to the edge of a scrolled dialog,
            // where it may count as hidden: bring it to the middle, as a user would.
            let _ = self
                .client
                .execute(
                    "document.querySelector(arguments[0])?.scrollIntoView({block: 'center'})",
                    vec![css.into()],
                )
                .await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element, then types into it (a path, for a file input).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
    }

    /// [`AppSession::wait_for`] for up to a minute: photo checks and PDF renders
    /// share the CPU with whatever else the machine runs.
    pub async fn wait_long(&self, css: &str) -> Element {
        self.wait_at_most(css, Duration::from_secs(60)).await
    }

    /// Waits until no element matches (a dialog closed).
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(Instant::now() < deadline, "{css} is still there");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens the intake form and types `fields` by input name; the caller adds what
    /// else it needs, then submits.
    pub async fn open_intake(&self, fields: &[(&str, &str)]) {
        self.click("[data-testid=new-request]").await;
        let form = self.wait_for("[data-testid=intake-form]").await;
        for (name, value) in fields {
            form.find(Locator::Css(&format!("[name={name}]")))
                .await
                .unwrap_or_else(|e| panic!("no field {name}: {e}"))
                .send_keys(value)
                .await
                .unwrap();
        }
    }

    /// In the open photo station, picks the camera playing `folder` and starts it.
    pub async fn start_folder_camera(&self, folder: &Path) {
        let camera_id = format!("file:{}", folder.display());
        self.wait_for("[data-testid=camera-select]")
            .await
            .select_by_value(&camera_id)
            .await
            .unwrap();
        self.click("[data-testid=camera-start]").await;
    }

    /// Saves a PNG of the window under test-artifacts/e2e/ and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // A frame can lag a DOM change by a few hundred ms under Xvfb.
        tokio::time::sleep(Duration::from_millis(500)).await;
        // WebKitGTK takes the screenshot after the next frame it draws, and a page
        // drawn without GL compositing (as the app ships) draws only what changed:
        // a still page would never answer. A pixel nearly transparent in the corner
        // changes for two seconds, long enough for one frame.
        let _ = self
            .client
            .execute(
                r#"const dot = document.createElement("div");
                dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;" +
                    "pointer-events:none;background:#000;opacity:0.01;z-index:2147483647";
                document.body.appendChild(dot);
                let beat = 0;
                const timer = setInterval(() => {
                    dot.style.opacity = beat++ % 2 ? "0.01" : "0.02";
                    if (beat > 40) { clearInterval(timer); dot.remove(); }
                }, 50);"#,
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Closes the WebDriver session, then ends the app, driver and display.
    pub async fn close(self) {
        let AppSession { client, .. } = self;
        let _ = client.close().await;
    }
}
