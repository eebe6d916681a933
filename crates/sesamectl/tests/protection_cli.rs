//! `sesamectl purge` and `sesamectl holder export|erase`, run as the real binary on a
//! real Secret Service (through scripts/with-keyring.sh), each run with its own keyring
//! entry, data folder and output folder.

use std::path::Path;
use std::process::{Command, Output};

use sesame_core::{AttachmentKind, HolderDetails, RequestAction, RequestDetails, RequestKind};
use sesame_store::NewRequest;

struct Env {
    dir: tempfile::TempDir,
    service: String,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            service: format!("fr.sesame.test.cli.{}", uuid::Uuid::now_v7().simple()),
        }
    }

    fn out_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("out")
    }

    fn sesamectl(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sesamectl"))
            .args(args)
            .env("SESAME_DATA_DIR", self.dir.path())
            .env_remove("SESAME_DATABASE_URL")
            .env("SESAME_KEYRING_SERVICE", &self.service)
            .env("SESAME_PRINT_DIR", self.out_dir())
            .env("SESAME_OPERATOR", "supervisor")
            .output()
            .unwrap()
    }

    fn vault(&self) -> sesame_vault::KeyVault {
        sesame_vault::KeyVault::open(&self.service, sesame_vault::DEFAULT_ACCOUNT).unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = self.vault().remove();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn holder(family: &str) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: "Ada".into(),
        email: Some(format!("{}@example.org", family.to_lowercase())),
        phone: None,
        organisation: None,
        unit: None,
        category: "staff".into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: None,
    }
}

/// Two holders through the desk (the same keyring entry as the binary): one with a
/// photo and an open request, one whose request was refused.
async fn seed(env: &Env) -> (String, String) {
    let url = format!(
        "sqlite://{}",
        env.dir.path().join("sesame.sqlite3").display()
    );
    let desk = sesame_service::Desk::open_with_keyring(env.dir.path(), &url, env.vault())
        .await
        .unwrap();
    let new = |family: &str| NewRequest {
        holder_id: None,
        holder: holder(family),
        request: RequestDetails::new(RequestKind::NewBadge),
    };
    let kept = desk
        .store()
        .create_request(new("Lovelace"), "clerk")
        .await
        .unwrap();
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend(b"portrait of Ada Lovelace ".repeat(20));
    jpeg.extend([0xFF, 0xD9]);
    desk.store()
        .put_attachment(kept.request.id, AttachmentKind::Photo, &jpeg, "clerk")
        .await
        .unwrap();
    let refused = desk
        .store()
        .create_request(new("Byron"), "clerk")
        .await
        .unwrap();
    desk.store()
        .transition(
            refused.request.id,
            refused.request.version,
            RequestAction::Refuse,
            "clerk",
            Some("no sponsor"),
        )
        .await
        .unwrap();
    desk.store().close().await;
    (kept.holder.id.to_string(), refused.request.id.to_string())
}

fn zip_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "zip"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_and_holder_rights_from_the_command_line() {
    let env = Env::new();
    // The first operator of a queue is its supervisor: the same name in the test's desk
    // and in the binary (each test runs in its own process under nextest).
    std::env::set_var("SESAME_OPERATOR", "supervisor");
    let (holder_id, refused_id) = seed(&env).await;

    let export = env.sesamectl(&["holder", "export", &holder_id, "--json"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let report: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(report["files"], 1);
    assert_eq!(zip_files(&env.out_dir()).len(), 1);

    // The dry run lists the refused request 91 days on, and changes nothing.
    let later = (chrono::Utc::now().date_naive() + chrono::Days::new(91)).to_string();
    let plan = env.sesamectl(&["purge", "--dry-run", "--today", &later, "--json"]);
    assert!(plan.status.success(), "{}", text(&plan.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(plan["closedRequests"][0]["requestId"], refused_id);
    let again = env.sesamectl(&["purge", "--dry-run", "--today", &later, "--json"]);
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again, plan);

    let purge = env.sesamectl(&["purge", "--today", &later]);
    assert!(purge.status.success(), "{}", text(&purge.stderr));
    assert!(
        text(&purge.stdout).contains("1 closed requests"),
        "{}",
        text(&purge.stdout)
    );

    let erase = env.sesamectl(&[
        "holder",
        "erase",
        &holder_id,
        "--reason",
        "letter of 2026-11-20",
    ]);
    assert!(erase.status.success(), "{}", text(&erase.stderr));
    let twice = env.sesamectl(&["holder", "erase", &holder_id, "--reason", "again"]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        text(&twice.stderr).contains("error[holder.already_anonymised]"),
        "{}",
        text(&twice.stderr)
    );
    let bad = env.sesamectl(&["holder", "export", "not-an-id"]);
    assert!(
        text(&bad.stderr).contains("error[request.bad_id]"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn an_unreachable_keyring_is_a_clear_error_and_changes_nothing() {
    let env = Env::new();
    let out = Command::new(env!("CARGO_BIN_EXE_sesamectl"))
        .args(["purge", "--dry-run"])
        .env("SESAME_DATA_DIR", env.dir.path())
        .env_remove("SESAME_DATABASE_URL")
        .env("SESAME_KEYRING_SERVICE", &env.service)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/sesame-bus",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[vault.keyring_unavailable]"),
        "{}",
        text(&out.stderr)
    );
}
