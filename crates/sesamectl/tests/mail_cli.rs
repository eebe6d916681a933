//! `sesamectl mail`: the binary sends what the desk queued to a real SMTP server on
//! loopback (scripts/smtp-test-server.sh), lists the outbox and retries a message.
//! The desk opens its data key from the keyring: run under `scripts/with-keyring.sh`.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sesame_core::{HolderDetails, RequestDetails, RequestKind};
use sesame_store::{NewRequest, Store};

struct Site {
    dir: tempfile::TempDir,
    keyring: String,
}

impl Site {
    fn url(&self) -> String {
        format!(
            "sqlite://{}",
            self.dir.path().join("sesame.sqlite3").display()
        )
    }

    fn sesamectl(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sesamectl"))
            .args(args)
            .env("SESAME_DATA_DIR", self.dir.path())
            .env("SESAME_DATABASE_URL", self.url())
            .env("SESAME_KEYRING_SERVICE", &self.keyring)
            .env("SESAME_OPERATOR", "alice")
            .output()
            .expect("run sesamectl")
    }
}

struct Server {
    child: Child,
    maildir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(port: u16) -> Server {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp-test-server.sh");
    let maildir = tempfile::tempdir().unwrap();
    let mut child = Command::new(&script)
        .args(["run", "--port", &port.to_string(), "--maildir"])
        .arg(maildir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let deadline = Instant::now() + Duration::from_secs(180);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("scripts/smtp-test-server.sh exited ({status}): run `scripts/smtp-test-server.sh install` to see why");
        }
        assert!(
            Instant::now() < deadline,
            "the SMTP test server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Server { child, maildir }
}

fn received(server: &Server) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(server.maildir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn mail_send_outbox_and_retry_from_the_command_line() {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
        keyring: format!("sesame-test-mail-cli-{}", uuid::Uuid::now_v7().simple()),
    };
    let port = free_port();
    // The office's settings and one queued message, as the app would leave them.
    {
        let store = Store::open(&site.url()).await.unwrap();
        store
            .save_mail_settings_json(
                &serde_json::json!({
                    "enabled": true, "host": "127.0.0.1", "port": port, "security": "none",
                    "fromAddress": "badges@univ.example", "fromName": "Bureau des badges",
                    "timeoutSeconds": 10
                }),
                "alice",
            )
            .await
            .unwrap();
        store.close().await;
    }
    // A request registered through the service queues its "received" message.
    let desk = sesame_service::Desk::open_as(
        site.dir.path(),
        &site.url(),
        sesame_vault::KeyVault::open(&site.keyring, "data-key").unwrap(),
        "alice",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}: run under scripts/with-keyring.sh"));
    sesame_service::create_request(
        &desk,
        NewRequest {
            holder_id: None,
            holder: HolderDetails {
                family_name: "Lefèvre".into(),
                given_names: "Zoé".into(),
                email: Some("zoe@univ.example".into()),
                phone: None,
                organisation: None,
                unit: None,
                category: "staff".into(),
                external_id: None,
                presence_days_per_week: 5,
                mission_start: None,
                mission_end: None,
            },
            request: RequestDetails::new(RequestKind::NewBadge),
        },
    )
    .await
    .unwrap();
    desk.store().close().await;

    // Server down: exit status 1, the message waits.
    let down = site.sesamectl(&["mail", "send"]);
    assert_eq!(down.status.code(), Some(1), "{}", text(&down));
    assert!(text(&down).contains("to retry later 1"), "{}", text(&down));
    let outbox = site.sesamectl(&["mail", "outbox", "--json"]);
    assert!(outbox.status.success(), "{}", text(&outbox));
    let messages: Vec<serde_json::Value> = serde_json::from_slice(&outbox.stdout).unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["status"], "queued");
    assert_eq!(messages[0]["attempts"], 1);
    let id = messages[0]["id"].as_str().unwrap().to_owned();

    // Cancel, then retry: due again at once, and sent now that the server is up.
    let server = start_server(port);
    let cancel = site.sesamectl(&["mail", "cancel", &id, "--reason", "test"]);
    assert!(cancel.status.success(), "{}", text(&cancel));
    let retry = site.sesamectl(&["mail", "retry", &id]);
    assert!(retry.status.success(), "{}", text(&retry));
    let sent = site.sesamectl(&["mail", "send"]);
    assert!(sent.status.success(), "{}", text(&sent));
    assert!(text(&sent).contains("sent 1"), "{}", text(&sent));
    let mails = received(&server);
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0]["subject"],
        "Votre demande de badge a bien été reçue"
    );
    assert_eq!(mails[0]["to"], "zoe@univ.example");

    let listing = site.sesamectl(&["mail", "outbox", "--status", "sent"]);
    assert!(text(&listing).contains("sent 1"), "{}", text(&listing));
    assert!(
        text(&listing).contains("zoe@univ.example"),
        "{}",
        text(&listing)
    );
    let bad = site.sesamectl(&["mail", "retry", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("error[mail.bad_id]"), "{}", text(&bad));
}
