//! `sesamectl housekeeping|dispatch|activate|usage|lists` run as the real binary on a
//! throwaway SQLite desk, as cron or an administrator would.

use chrono::{Days, NaiveDate};
use sesame_core::{AuditEntity, BadgeStatus, HolderDetails};
use sesame_service::badge_by_number;
use sesame_test_support::cli::{CliRun, Sesamectl};
use sesame_test_support::day;
use sesame_test_support::fixtures::{holder_with_email, photo_jpeg, printed_badge, request_for};

/// Two printed staff badges of the chemistry unit; returns (request id, badge number,
/// valid until) for each.
async fn printed_badges(site: &Sesamectl) -> Vec<(String, String, NaiveDate)> {
    let store = site.store().await;
    let mut out = Vec::new();
    for (seed, family) in ["Lefèvre", "Nguyễn"].into_iter().enumerate() {
        let holder = HolderDetails {
            unit: Some("Chimie".into()),
            ..holder_with_email(family, "Zoé", None)
        };
        let photo = photo_jpeg(seed as u32);
        let detail = printed_badge(&store, request_for(holder), &photo, "setup", "setup").await;
        let badge = detail.badge.unwrap();
        out.push((
            detail.request.id.to_string(),
            badge.number,
            badge.valid_until,
        ));
    }
    store.close().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn dispatch_activate_lists_and_daily_housekeeping() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "cron");
    let badges = printed_badges(&site).await;
    let (ids, numbers): (Vec<String>, Vec<String>) = badges
        .iter()
        .map(|(id, number, _)| (id.clone(), number.clone()))
        .unzip();
    let until = badges[0].2;

    let out = site.run(&["dispatch", "--method", "internal-mail", &ids[0], &ids[1]]);
    out.assert_success();
    assert!(out.stdout().contains("dispatch list: "), "{}", out.stdout());
    let files = site.output_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("bordereau-envoi-") && name.ends_with(".pdf"));

    // Dispatching again: nothing to do is an error (exit 2, coded).
    let out = site.run(&["dispatch", "--method", "handed-over", &ids[0]]);
    out.assert_exit(2);
    assert!(
        out.stderr().contains("error[dispatch.nothing_to_dispatch]"),
        "{}",
        out.stderr()
    );

    // One activation recorded, one unknown number: partly done.
    let out = site.run(&["activate", &numbers[0], "B999999"]);
    out.assert_exit(1);
    assert!(
        out.stdout()
            .contains(&format!("activated   {}", numbers[0])),
        "{}",
        out.stdout()
    );
    assert!(out.stdout().contains("store.not_found"), "{}", out.stdout());

    let out = site.run(&["lists", "expiring", "--days", "3650", "--json"]);
    out.assert_success();
    let listed = out.json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        listed[0]["badge"]["number"],
        numbers[0].as_str(),
        "{listed}"
    );

    let out = site.run(&["lists", "not-activated", "--days", "1", "--json"]);
    out.assert_success();
    assert_eq!(out.stdout().trim(), "[]");
    let out = site.run(&["lists", "inactive", "--days", "0"]);
    out.assert_exit(2);
    assert!(
        out.stderr().contains("error[lifecycle.invalid_days]"),
        "{}",
        out.stderr()
    );

    // The usage log: one known badge, one unknown (exit 1: some rows refused).
    let log = site.file("usage.csv");
    let seen = day(-30).format("%Y-%m-%d");
    std::fs::write(
        &log,
        format!(
            "{},{seen} 08:00:00,Hall\nB999999,{seen} 08:01:00,Hall\n",
            numbers[0]
        ),
    )
    .unwrap();
    let out = site.run(&["usage", "import", log.to_str().unwrap()]);
    out.assert_exit(1);
    assert!(
        out.stdout().contains("1 accepted, 1 badges updated"),
        "{}",
        out.stdout()
    );
    assert!(
        out.stdout().contains("row 2 (line 2): usage.unknown_badge"),
        "{}",
        out.stdout()
    );

    // Housekeeping the day after the end of validity: a dry run first.
    let day_after = until + Days::new(1);
    let out = site.run_on(day_after, &["housekeeping", "--dry-run"]);
    out.assert_success();
    assert!(out.stdout().contains("would expire: 2"), "{}", out.stdout());
    let out = site.run(&["lists", "expiring", "--days", "3650", "--json"]);
    assert_eq!(
        out.json().as_array().unwrap().len(),
        2,
        "the dry run changed nothing"
    );

    let out = site.run_on(day_after, &["housekeeping", "--json"]);
    out.assert_success();
    let report = out.json();
    assert_eq!(report["expired"].as_array().unwrap().len(), 2);
    assert_eq!(report["expired"][0]["status"], "expired");
    assert_eq!(report["operator"], "cron");
    assert_eq!(report["reminders"]["disabled"], true);
    assert!(report["failures"].as_array().unwrap().is_empty());

    // Twice the same day: nothing more.
    let out = site.run_on(day_after, &["housekeeping"]);
    out.assert_success();
    assert!(out.stdout().contains("expired: 0"), "{}", out.stdout());

    let desk = site.desk().await;
    let badge = badge_by_number(&desk, numbers[1].clone()).await.unwrap();
    assert_eq!(badge.status, BadgeStatus::Expired);
    desk.close().await;
    // No desk screen shows a badge's own audit: read it below the desk.
    let store = site.store().await;
    let history = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    store.close().await;
    let expire = history.iter().find(|e| e.action == "expire").unwrap();
    assert_eq!(expire.operator, "cron");
    assert_eq!(history.iter().filter(|e| e.action == "expire").count(), 1);

    // A date clap cannot read is refused before anything runs.
    let out = CliRun::of(&mut site.command_with_today("2026-13-01", &["housekeeping"]));
    out.assert_exit(2);
}

#[tokio::test]
async fn housekeeping_says_which_badges_their_categorys_rules_ended() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "cron");
    let store = site.store().await;
    let mut policy = store.policy().await.unwrap();
    for category in &mut policy.categories {
        category.deactivate_unused_days = 150;
    }
    store.set_policy(&policy, "cron").await.unwrap();
    let badge = sesame_test_support::fixtures::active_badge(&store, "Dormant", &[], "cron").await;
    store.close().await;

    let out = site.run_on(day(151), &["housekeeping"]);
    out.assert_success();
    let text = out.stdout();
    assert!(
        text.contains("ended by their category's rules: 1"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}  Dormant Zoé  (unused since {}; now deactivated)",
            badge.number,
            day(0)
        )),
        "{text}"
    );
}
