//! A real SMTP server on loopback (`scripts/smtp-test-server.sh`, aiosmtpd) that
//! keeps every message it accepts, decoded, for the e-mail tests.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One message the server accepted, decoded by Python's `email` package.
#[derive(Debug, serde::Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub login: Option<String>,
    pub from: String,
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub message_id: Option<String>,
    pub content_type: String,
    pub charset: Option<String>,
    pub body: String,
    pub raw: String,
}

/// aiosmtpd on 127.0.0.1:`port`, stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        Self::start_on(free_port(), None)
    }

    /// With `login`, the server requires AUTH with that user and password.
    pub fn start_on(port: u16, login: Option<(&str, &str)>) -> SmtpServer {
        let script = repo_root().join("scripts/smtp-test-server.sh");
        let maildir = tempfile::tempdir().expect("maildir");
        let mut command = Command::new(&script);
        command
            .arg("run")
            .arg("--port")
            .arg(port.to_string())
            .arg("--maildir")
            .arg(maildir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if let Some((user, password)) = login {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e} (the e-mail tests need it: it installs aiosmtpd from PyPI into .cache/)",
                script.display()
            )
        });
        // The first run installs aiosmtpd into its venv: allow for that.
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "scripts/smtp-test-server.sh exited ({status}) before listening on port {port}: \
                     run `scripts/smtp-test-server.sh install` to see why"
                );
            }
            assert!(
                Instant::now() < deadline,
                "scripts/smtp-test-server.sh did not listen on port {port} within 3 minutes"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpServer {
            port,
            child,
            maildir,
        }
    }

    /// The messages received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.maildir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                let mut mail: Received =
                    serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
                // SMTP carries CRLF line ends; the templates are written with LF.
                mail.body = mail.body.replace("\r\n", "\n");
                mail
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
