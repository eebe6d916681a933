//! `sesamectl housekeeping|dispatch|activate|usage|lists` run as a real binary on a
//! throwaway SQLite desk (run under `scripts/with-keyring.sh`: the desk opens its
//! keyring entry), as cron or an administrator would.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{Days, NaiveDate};
use sesame_core::{HolderDetails, RequestAction, RequestDetails, RequestKind};
use sesame_store::{NewRequest, Store};
use uuid::Uuid;

struct Desk {
    dir: tempfile::TempDir,
    url: String,
    keyring: String,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
        Desk {
            dir,
            url,
            keyring: format!("sesame-test-ctl-housekeeping-{}", Uuid::now_v7().simple()),
        }
    }

    fn prints(&self) -> std::path::PathBuf {
        self.dir.path().join("prints")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sesamectl"))
            .args(args)
            .env("SESAME_DATA_DIR", self.dir.path())
            .env("SESAME_DATABASE_URL", &self.url)
            .env("SESAME_KEYRING_SERVICE", &self.keyring)
            .env("SESAME_PRINT_DIR", self.prints())
            .env("SESAME_OPERATOR", "cron")
            .output()
            .expect("sesamectl runs")
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Two printed staff badges (no photo needed under this policy); returns
/// (request id, badge number, valid until) for each.
async fn printed_badges(url: &str) -> Vec<(Uuid, String, NaiveDate)> {
    let store = Store::open(url).await.unwrap();
    let mut policy = store.policy().await.unwrap();
    policy
        .categories
        .iter_mut()
        .find(|c| c.key == "staff")
        .unwrap()
        .require_photo = false;
    store.set_policy(&policy, "setup").await.unwrap();
    let mut out = Vec::new();
    for family in ["Lefèvre", "Nguyễn"] {
        let new = NewRequest {
            holder_id: None,
            holder: HolderDetails {
                family_name: family.into(),
                given_names: "Zoé".into(),
                email: None,
                phone: None,
                organisation: None,
                unit: Some("Chimie".into()),
                category: "staff".into(),
                external_id: None,
                presence_days_per_week: 5,
                mission_start: None,
                mission_end: Some(chrono::Local::now().date_naive() + Days::new(200)),
            },
            request: RequestDetails::new(RequestKind::NewBadge),
        };
        let detail = store.create_request(new, "setup").await.unwrap();
        let id = detail.request.id;
        let mut version = detail.request.version;
        let mut last = detail;
        for action in [
            RequestAction::Evaluate,
            RequestAction::Approve,
            RequestAction::MarkPrinted,
        ] {
            last = store
                .transition(id, version, action, "setup", None)
                .await
                .unwrap();
            version = last.request.version;
        }
        let badge = last.badge.unwrap();
        out.push((id, badge.number, badge.valid_until));
    }
    store.close().await;
    out
}

fn read_dir_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn dispatch_activate_lists_and_daily_housekeeping() {
    let desk = Desk::new();
    let badges = printed_badges(&desk.url).await;
    let (ids, numbers): (Vec<String>, Vec<String>) = badges
        .iter()
        .map(|(id, number, _)| (id.to_string(), number.clone()))
        .unzip();
    let until = badges[0].2;

    let out = desk.run(&["dispatch", "--method", "internal-mail", &ids[0], &ids[1]]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("dispatch list: "), "{}", stdout(&out));
    let files = read_dir_names(&desk.prints());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("bordereau-envoi-") && files[0].ends_with(".pdf"));

    // Dispatching again: nothing to do is an error (exit 2, coded).
    let out = desk.run(&["dispatch", "--method", "handed-over", &ids[0]]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("error[dispatch.nothing_to_dispatch]"),
        "{}",
        stderr(&out)
    );

    // One activation recorded, one unknown number: partly done.
    let out = desk.run(&["activate", &numbers[0], "B999999"]);
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains(&format!("activated   {}", numbers[0])),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("store.not_found"), "{}", stdout(&out));

    let out = desk.run(&["lists", "expiring", "--days", "3650", "--json"]);
    assert_exit(&out, 0);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        listed[0]["badge"]["number"],
        numbers[0].as_str(),
        "{listed}"
    );

    let out = desk.run(&["lists", "not-activated", "--days", "1", "--json"]);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out).trim(), "[]");
    let out = desk.run(&["lists", "inactive", "--days", "0"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("error[lifecycle.invalid_days]"),
        "{}",
        stderr(&out)
    );

    // The usage log: one known badge, one unknown (exit 1: some rows refused).
    let log = desk.dir.path().join("usage.csv");
    std::fs::write(
        &log,
        format!(
            "{},2026-01-05 08:00:00,Hall\nB999999,2026-01-05 08:01:00,Hall\n",
            numbers[0]
        ),
    )
    .unwrap();
    let out = desk.run(&["usage", "import", log.to_str().unwrap()]);
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("1 accepted, 1 badges updated"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("row 2 (line 2): usage.unknown_badge"),
        "{}",
        stdout(&out)
    );

    // Housekeeping the day after the end of validity: a dry run first.
    let day_after = (until + Days::new(1)).to_string();
    let out = desk.run(&["housekeeping", "--dry-run", "--today", &day_after]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("would expire: 2"), "{}", stdout(&out));
    let out = desk.run(&["lists", "expiring", "--days", "3650", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "the dry run changed nothing"
    );

    let out = desk.run(&["housekeeping", "--today", &day_after, "--json"]);
    assert_exit(&out, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["expired"].as_array().unwrap().len(), 2);
    assert_eq!(report["expired"][0]["status"], "expired");
    assert_eq!(report["operator"], "cron");
    assert_eq!(report["reminders"]["disabled"], true);
    assert!(report["failures"].as_array().unwrap().is_empty());

    // Twice the same day: nothing more.
    let out = desk.run(&["housekeeping", "--today", &day_after]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("expired: 0"), "{}", stdout(&out));

    let store = Store::open(&desk.url).await.unwrap();
    let badge = store.find_badge(&numbers[1]).await.unwrap();
    assert_eq!(badge.status, sesame_core::BadgeStatus::Expired);
    let history = store
        .audit_for(sesame_core::AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    let expire = history.iter().find(|e| e.action == "expire").unwrap();
    assert_eq!(expire.operator, "cron");
    assert_eq!(history.iter().filter(|e| e.action == "expire").count(), 1);
    store.close().await;

    // A date clap cannot read is refused before anything runs.
    let out = desk.run(&["housekeeping", "--today", "2026-13-01"]);
    assert_exit(&out, 2);
}
