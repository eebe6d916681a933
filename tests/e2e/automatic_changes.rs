//! What housekeeping changed, on the real app: a badge its category's rule
//! deactivated after 90 days unused shows in Badges › Automatic changes with the
//! rule in words, in French.

use chrono::Days;
use sesame_service::HousekeepingReport;
use sesame_store::Store;
use sesame_test_support::fixtures::active_badge;

use crate::harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_badge_ended_by_its_categorys_rule_shows_in_automatic_changes() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    let store = Store::open(&url).await.unwrap();
    let mut policy = store.policy().await.unwrap();
    for category in &mut policy.categories {
        category.deactivate_unused_days = category.inactivity_days;
    }
    store.set_policy(&policy, "e2e").await.unwrap();
    let badge = active_badge(&store, "Dormant", &[], "e2e").await;
    let unused = u64::from(policy.categories[0].inactivity_days);
    // Housekeeping as it runs that many days after the activation, on the store's clock.
    let later = store.clock().today() + Days::new(unused);
    let rule_changes = store
        .apply_expiry_rules(later, "housekeeping", false)
        .await
        .unwrap();
    assert_eq!(rule_changes.len(), 1);
    let report = HousekeepingReport {
        run_on: later,
        operator: "housekeeping".into(),
        rule_changes,
        ..HousekeepingReport::default()
    };
    store
        .record_housekeeping_run(
            later,
            "housekeeping",
            &serde_json::to_value(&report).unwrap(),
        )
        .await
        .unwrap();
    store.close().await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    app.click("[data-testid=nav-badges]").await;
    app.click("[data-testid=badges-tab-automatic]").await;
    let row = app
        .wait_for_text("[data-testid=rule-change]", &badge.number)
        .await;
    assert!(row.contains("DORMANT Zoé"), "{row}");
    assert!(row.contains("actif → désactivé"), "{row}");
    assert!(row.contains("inutilisé depuis le"), "{row}");
    app.screenshot("automatic-changes").await;
    app.close().await;
}
