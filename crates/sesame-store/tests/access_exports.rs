//! The access-control exports' part of the store, on SQLite and on PostgreSQL: the
//! office's profiles as a shared setting, the badges a run selects (by status, zone
//! and category, or every badge changed since a given instant: the badge, its holder
//! or its photo), and the runs, recorded for good.

use chrono::{Duration, SubsecRound};
use sesame_core::{BadgeAction, BadgeStatus, ReplacementCause};
use sesame_store::{access_export, AccessExportRun, ExportSelection};
use sesame_test_support::fixtures::printed_staff_badge;
use sesame_test_support::{on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn numbers(rows: &[sesame_store::BadgeRow]) -> Vec<&str> {
    rows.iter().map(|r| r.badge.number.as_str()).collect()
}

async fn runs_select_by_status_or_by_change_and_are_kept_for_good(db: &TestDb) {
    let store = &db.store;
    let clock = store.clock().clone();
    assert!(store.access_export_profiles().await.unwrap().is_empty());
    let profiles = access_export::formats();
    store
        .save_access_export_profiles(&profiles, ALICE)
        .await
        .unwrap();
    assert_eq!(store.access_export_profiles().await.unwrap(), profiles);

    let one = printed_staff_badge(store, "Export", "Un", ALICE, BOB).await;
    let two = printed_staff_badge(store, "Export", "Deux", ALICE, BOB).await;
    let (b1, b2) = (one.badge.clone().unwrap(), two.badge.clone().unwrap());
    let b1 = store
        .badge_transition(b1.id, b1.version, BadgeAction::Activate, ALICE, None)
        .await
        .unwrap();
    let active = ExportSelection {
        statuses: vec![BadgeStatus::Active],
        ..ExportSelection::default()
    };
    let rows = store.access_export_badges(&active, None).await.unwrap();
    assert_eq!(numbers(&rows), [b1.number.as_str()]);
    let every = store
        .access_export_badges(&ExportSelection::default(), None)
        .await
        .unwrap();
    assert_eq!(numbers(&every), [b1.number.as_str(), b2.number.as_str()]);
    let other_category = ExportSelection {
        categories: vec!["visitor".into()],
        ..ExportSelection::default()
    };
    assert!(store
        .access_export_badges(&other_category, None)
        .await
        .unwrap()
        .is_empty());

    // Nothing changed after `mark`; then a badge does.
    clock.advance(Duration::minutes(1));
    let mark = clock.now().trunc_subsecs(6);
    clock.advance(Duration::minutes(1));
    assert!(store
        .access_export_badges(&active, Some(mark))
        .await
        .unwrap()
        .is_empty());
    store
        .badge_transition(
            b1.id,
            b1.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Stolen,
            },
            ALICE,
            Some("stolen"),
        )
        .await
        .unwrap();
    let changed = store
        .access_export_badges(&active, Some(mark))
        .await
        .unwrap();
    assert_eq!(
        numbers(&changed),
        [b1.number.as_str()],
        "opposed, still written"
    );
    assert_eq!(changed[0].badge.status, BadgeStatus::Opposed);
    // The photo a run writes beside its file: the request's, opened.
    let photo = store.request_photo(two.request.id).await.unwrap();
    assert!(photo.is_some_and(|p| p.bytes.starts_with(&[0xFF, 0xD8])));

    let run = AccessExportRun {
        id: Uuid::now_v7(),
        profile_id: "sesame".into(),
        started_at: clock.now().trunc_subsecs(6),
        since: Some(mark),
        badges: 1,
        photos: 0,
        file: "/tmp/sesame-1.csv".into(),
        operator: ALICE.into(),
        scheduled: true,
    };
    store.record_access_export_run(&run).await.unwrap();
    assert_eq!(
        store.last_access_export_run("sesame").await.unwrap(),
        Some(run.clone())
    );
    assert_eq!(store.access_export_runs("sesame").await.unwrap(), [run]);
    assert!(store
        .last_access_export_run("other")
        .await
        .unwrap()
        .is_none());
    assert!(db
        .raw_execute("UPDATE access_export_runs SET started_at = since")
        .await
        .is_err());
    assert!(db
        .raw_execute("DELETE FROM access_export_runs")
        .await
        .is_err());
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM access_export_runs")
            .await,
        1
    );
}
on_both!(runs_select_by_status_or_by_change_and_are_kept_for_good);
