//! A real SMTP server on loopback (scripts/smtp-test-server.sh: aiosmtpd) and a
//! throwaway SQLite queue for the mail tests.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sesame_core::{AttachmentKind, HolderDetails, RequestAction, RequestDetails, RequestKind};
use sesame_mail::{MailSettings, SmtpSecurity};
use sesame_store::{NewRequest, RequestDetail, Store};

pub const DESK: &str = "desk-1";

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

    /// Settings that send to this server (plain: it is on loopback).
    pub fn settings(&self) -> MailSettings {
        settings_for_port(self.port)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn settings_for_port(port: u16) -> MailSettings {
    MailSettings {
        enabled: true,
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        from_address: "badges@univ.example".into(),
        from_name: "Bureau des badges — Campus Nord".into(),
        reply_to: Some("accueil@univ.example".into()),
        timeout_seconds: 10,
        ..MailSettings::default()
    }
}

pub struct TestQueue {
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub async fn sqlite_queue() -> TestQueue {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/queue.db", dir.path().display());
    let store = Store::open(&url).await.expect("open sqlite store");
    TestQueue { store, _dir: dir }
}

pub fn holder(family: &str, given: &str, email: Option<&str>) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: given.into(),
        email: email.map(str::to_owned),
        phone: None,
        organisation: Some("Labo".into()),
        unit: Some("Unit 1".into()),
        category: "staff".into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: Some(chrono::Utc::now().date_naive() + chrono::Days::new(400)),
    }
}

pub async fn create(
    store: &Store,
    family: &str,
    given: &str,
    email: Option<&str>,
) -> RequestDetail {
    store
        .create_request(
            NewRequest {
                holder_id: None,
                holder: holder(family, given, email),
                request: RequestDetails::new(RequestKind::NewBadge),
            },
            DESK,
        )
        .await
        .unwrap()
}

fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    bytes.extend(std::iter::repeat_n(7u8, 64));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// Takes a created request through photo, consent, certification and approval.
pub async fn approve(store: &Store, id: uuid::Uuid) -> RequestDetail {
    store
        .put_attachment(id, AttachmentKind::Photo, &jpeg(), DESK)
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
            .transition(id, v, action, DESK, None)
            .await
            .unwrap()
            .request
            .version;
    }
    store.get_request(id).await.unwrap()
}

/// Approves and prints the request: it gets its badge.
pub async fn printed(store: &Store, id: uuid::Uuid) -> RequestDetail {
    approve(store, id).await;
    let outcome = store
        .print_batch(&[id], DESK, None, |_| Ok::<_, sesame_store::StoreError>(()))
        .await
        .unwrap();
    assert_eq!(outcome.printed.len(), 1, "{outcome:?}");
    store.get_request(id).await.unwrap()
}
