//! The audit log, on SQLite and on PostgreSQL: append-only (no delete, no rewrite of
//! its facts), only its payload may be redacted.

use sesame_test_support::fixtures::new_request;
use sesame_test_support::{on_both, TestDb};

const ALICE: &str = "alice";

async fn audit_log_is_append_only(db: &TestDb) {
    let store = &db.store;
    store
        .create_request(new_request("Audit", "Trail"), ALICE)
        .await
        .unwrap();
    let before = db.raw_count("SELECT COUNT(*) FROM audit_log").await;
    assert!(before >= 2);
    assert!(db.raw_execute("DELETE FROM audit_log").await.is_err());
    assert!(db
        .raw_execute("UPDATE audit_log SET operator = 'mallory'")
        .await
        .is_err());
    assert!(db
        .raw_execute("UPDATE audit_log SET action = 'nothing'")
        .await
        .is_err());
    // the payload may be redacted by a retention purge, the facts stay
    assert_eq!(
        db.raw_execute(
            "UPDATE audit_log SET after_json = NULL, redacted = TRUE WHERE entity = 'holder'"
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM audit_log").await, before);
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM audit_log WHERE operator = 'mallory'")
            .await,
        0
    );
}
on_both!(audit_log_is_append_only);
