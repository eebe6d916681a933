//! The real `sesamectl` binary on a throwaway desk, as an administrator or cron runs
//! it: a private data folder holding the SQLite queue, its own keyring entry, output
//! folder and operator, and `--today` set to the pinned day so the command line's
//! clock is pinned too.
//!
//! The binary's path comes from the test (`env!("CARGO_BIN_EXE_sesamectl")` exists
//! only in sesamectl's own tests). Fixtures are written by a desk on the same
//! database, keyring entry and operator ([`Sesamectl::desk`], [`Sesamectl::store`]),
//! whose clock starts at midnight of the pinned day: what they leave (a message due,
//! a request refused) is there before any run of that day, whose clock is the
//! machine's time of day on that day (later than the fixtures' few seconds past
//! midnight; only a test crossing midnight could see them the other way round).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use chrono::NaiveDate;
use sesame_service::{Desk, DeskOptions, KeyVault};
use sesame_store::Store;
use uuid::Uuid;

use crate::clock::{pinned_day, start_of};
use crate::desk::{desk_store, keyring_entry, open_desk};

/// A desk as `sesamectl` sees it from its environment.
pub struct Sesamectl {
    bin: PathBuf,
    dir: Arc<tempfile::TempDir>,
    keyring: String,
    operator: String,
    env: Vec<(String, String)>,
    /// A PostgreSQL queue instead of the SQLite file ([`Sesamectl::on_database`]).
    database: Option<String>,
    /// Set once the operator exists with [`TEST_PIN`].
    signed_up: std::sync::OnceLock<()>,
}

/// The PIN every test operator signs in with.
pub const TEST_PIN: &str = "246810";

impl Sesamectl {
    /// A new desk for the binary at `bin`, working as `operator`: the first to open
    /// its queue, so its supervisor.
    pub fn new(bin: impl Into<PathBuf>, operator: &str) -> Sesamectl {
        Sesamectl {
            bin: bin.into(),
            dir: Arc::new(tempfile::tempdir().expect("temp dir")),
            keyring: new_keyring_service(),
            operator: operator.to_owned(),
            env: Vec::new(),
            database: None,
            signed_up: std::sync::OnceLock::new(),
        }
    }

    /// Another desk on the same data folder and queue, with a keyring entry of its
    /// own (a desk that does not hold the first one's data key).
    pub fn second_desk(&self, operator: &str) -> Sesamectl {
        Sesamectl {
            bin: self.bin.clone(),
            dir: Arc::clone(&self.dir),
            keyring: new_keyring_service(),
            operator: operator.to_owned(),
            env: self.env.clone(),
            database: self.database.clone(),
            signed_up: std::sync::OnceLock::new(),
        }
    }

    /// Sets `key=value` for every run of this desk (after the desk's own variables,
    /// so it may replace them).
    pub fn env(mut self, key: &str, value: &str) -> Sesamectl {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The data folder (`SESAME_DATA_DIR`), which holds the queue's SQLite file.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A file in the data folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The queue's SQLite file.
    pub fn db_file(&self) -> PathBuf {
        self.file("queue.sqlite3")
    }

    /// The queue's URL (`SESAME_DATABASE_URL`): the SQLite file in the data folder
    /// unless [`Sesamectl::on_database`] named another.
    pub fn url(&self) -> String {
        self.database
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.db_file().display()))
    }

    /// The same desk on the queue at `url` (a throwaway PostgreSQL database), as
    /// desks sharing a server run it.
    pub fn on_database(mut self, url: &str) -> Sesamectl {
        self.database = Some(url.to_owned());
        self
    }

    /// The output folder (`SESAME_PRINT_DIR`), created by the first file written.
    pub fn out_dir(&self) -> PathBuf {
        self.file("out")
    }

    /// The files in the output folder, sorted (none when it does not exist yet).
    pub fn output_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.out_dir())
            .map(|entries| entries.map(|e| e.expect("a folder entry").path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// The keyring service (`SESAME_KEYRING_SERVICE`) holding this desk's data key.
    pub fn keyring_service(&self) -> &str {
        &self.keyring
    }

    /// This desk's keyring entry.
    pub fn vault(&self) -> KeyVault {
        keyring_entry(&self.keyring)
    }

    /// The operator every run signs in as (`--operator`, PIN [`TEST_PIN`] on stdin).
    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// Makes sure the operator exists (registered like a desk opening: the first one
    /// supervises) with [`TEST_PIN`], and that the file runs read it from exists.
    fn sign_up(&self) {
        self.signed_up.get_or_init(|| {
            let options = self.desk_options();
            // Commands are built outside async code as often as inside it: a thread of
            // its own gets a runtime of its own.
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async {
                    let desk = open_desk(options).await;
                    let session = sesame_service::desk_session(&desk)
                        .await
                        .expect("the test operator's session");
                    if !session.has_pin {
                        sesame_service::set_own_pin(
                            &desk,
                            sesame_service::SetPinInput {
                                current_pin: None,
                                new_pin: TEST_PIN.to_owned(),
                            },
                        )
                        .await
                        .expect("the test operator's PIN");
                    }
                    desk.close().await;
                });
            })
            .join()
            .expect("the test operator signs up");
            std::fs::write(self.pin_file(), format!("{TEST_PIN}\n")).expect("the PIN file");
        });
    }

    /// What the runs read on stdin: the operator's PIN (`--pin-stdin`).
    fn pin_file(&self) -> PathBuf {
        self.dir.path().join(".test-pin")
    }

    /// `sesamectl --today <pinned day> args…` in this desk's environment, to spawn.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_on(pinned_day(), args)
    }

    /// `sesamectl --today <day> args…`: the command line acting for `day`.
    pub fn command_on(&self, day: NaiveDate, args: &[&str]) -> Command {
        self.command_with_today(&day.to_string(), args)
    }

    /// `sesamectl --today <today> args…` with `today` as typed (to try what the
    /// command line makes of a date it cannot read).
    pub fn command_with_today(&self, today: &str, args: &[&str]) -> Command {
        self.command_for(today, &self.operator, args)
    }

    /// `sesamectl args…` on the pinned day signing in as `operator` (whose PIN the
    /// caller gives on stdin; the desk's own operator's is there by default).
    pub fn command_as(&self, operator: &str, args: &[&str]) -> Command {
        self.command_for(&pinned_day().to_string(), operator, args)
    }

    fn command_for(&self, today: &str, operator: &str, args: &[&str]) -> Command {
        self.sign_up();
        let pin = std::fs::File::open(self.pin_file()).expect("the PIN file");
        let mut command = Command::new(&self.bin);
        command
            .arg("--today")
            .arg(today)
            .arg("--operator")
            .arg(operator)
            .arg("--pin-stdin")
            .args(args)
            .env("SESAME_DATA_DIR", self.dir.path())
            .env("SESAME_DATABASE_URL", self.url())
            .env("SESAME_KEYRING_SERVICE", &self.keyring)
            .env("SESAME_PRINT_DIR", self.out_dir())
            .env_remove("SESAME_KEY_PASSPHRASE")
            .stdin(pin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command
    }

    /// Runs `sesamectl args…` on the pinned day and waits for it.
    pub fn run(&self, args: &[&str]) -> CliRun {
        CliRun::of(&mut self.command(args))
    }

    /// Runs `sesamectl args…` acting for `day`.
    pub fn run_on(&self, day: NaiveDate, args: &[&str]) -> CliRun {
        CliRun::of(&mut self.command_on(day, args))
    }

    /// What a desk on this queue opens with: the same data folder, keyring entry and
    /// operator as the binary, and a clock pinned to the start of the pinned day.
    pub fn desk_options(&self) -> DeskOptions {
        DeskOptions::new(self.dir.path(), &self.url())
            .keyring(self.vault())
            .operator(&self.operator)
            .clock(start_of(pinned_day()))
    }

    /// A desk on this queue (for fixtures and for what the binary does not print);
    /// close it before a run that must have the file alone.
    pub async fn desk(&self) -> Desk {
        open_desk(self.desk_options()).await
    }

    /// The queue below the desk, sealing attachments with this desk's data key.
    pub async fn store(&self) -> Store {
        desk_store(&self.url(), &self.vault(), start_of(pinned_day())).await
    }
}

impl Drop for Sesamectl {
    fn drop(&mut self) {
        let _ = KeyVault::open(&self.keyring, sesame_vault::DEFAULT_ACCOUNT).map(|v| v.remove());
    }
}

fn new_keyring_service() -> String {
    format!("sesame-test-cli-{}", Uuid::now_v7().simple())
}

/// A finished run of the binary.
#[derive(Debug)]
pub struct CliRun {
    pub output: Output,
}

impl CliRun {
    /// Runs `command` to its end.
    pub fn of(command: &mut Command) -> CliRun {
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("sesamectl runs ({command:?}): {e}"));
        CliRun { output }
    }

    /// Runs `command` to its end with `stdin` as its standard input (PINs and
    /// passwords for `--pin-stdin`, one per line).
    pub fn feeding(command: &mut Command, stdin: &str) -> CliRun {
        use std::io::Write;
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("sesamectl starts ({command:?}): {e}"));
        child
            .stdin
            .take()
            .expect("a pipe")
            .write_all(stdin.as_bytes())
            .expect("sesamectl reads its standard input");
        CliRun {
            output: child.wait_with_output().expect("sesamectl ends"),
        }
    }

    /// The exit status (`None` when killed by a signal).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn success(&self) -> bool {
        self.output.status.success()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Standard output, then standard error.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr())
    }

    /// Panics, showing both outputs, unless the run exited with `code`.
    pub fn assert_exit(&self, code: i32) -> &CliRun {
        assert_eq!(
            self.code(),
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Panics, showing both outputs, unless the run succeeded.
    pub fn assert_success(&self) -> &CliRun {
        self.assert_exit(0)
    }

    /// Standard output read as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.text()))
    }
}
