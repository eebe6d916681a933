//! Retention purge and holder anonymisation, on SQLite and on PostgreSQL:
//! the dry run lists what would go, the purge removes exactly that, and the audit log
//! keeps its facts while losing its personal payloads.

use chrono::{Days, Months};
use sesame_core::{
    AttachmentKind, AuditEntity, BadgeAction, ErrorCode, RequestAction, RequestStatus,
    RetentionPolicy,
};
use sesame_store::{QueueQuery, RequestDetail, Store};
use sesame_test_support::fixtures::{fake_jpeg, new_request, print, walk, with_photo, TO_APPROVAL};
use sesame_test_support::{day, on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

/// A staff request with a photo and an ID scan, taken to review.
async fn reviewed(store: &Store, family: &str, given: &str) -> Uuid {
    let id = with_photo(store, new_request(family, given), &fake_jpeg(3), ALICE)
        .await
        .request
        .id;
    store
        .put_attachment(id, AttachmentKind::IdDocumentFront, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    walk(store, id, BOB, &TO_APPROVAL[..3]).await;
    id
}

async fn printed(store: &Store, family: &str, given: &str) -> RequestDetail {
    let id = reviewed(store, family, given).await;
    walk(store, id, BOB, &[RequestAction::Approve]).await;
    print(store, id, ALICE).await
}

async fn search(store: &Store, words: &str) -> usize {
    store
        .list_requests(&QueueQuery {
            search: Some(words.into()),
            ..QueueQuery::default()
        })
        .await
        .unwrap()
        .rows
        .len()
}

async fn purge_follows_the_retention_periods(db: &TestDb) {
    let store = &db.store;
    let policy = RetentionPolicy::default();
    let now = day(0);

    // A: printed now, badge still valid: only its ID scan goes, 30 days after printing.
    let a = printed(store, "Aubrac", "Anne").await;
    // B: refused with a personal reason; the holder has nothing else.
    let b = reviewed(store, "Bérard", "Basile").await;
    let v = store.get_request(b).await.unwrap().request.version;
    store
        .transition(
            b,
            v,
            RequestAction::Refuse,
            BOB,
            Some("casier judiciaire de Basile"),
        )
        .await
        .unwrap();
    // C: printed, then the badge was deactivated today.
    let c = printed(store, "Cazals", "Camille").await;
    let badge = c.badge.clone().expect("badge issued");
    store
        .badge_transition(
            badge.id,
            badge.version,
            BadgeAction::Deactivate,
            BOB,
            Some("left the lab"),
        )
        .await
        .unwrap();

    // Nothing is due today.
    assert!(store.purge_plan(now, policy).await.unwrap().is_empty());

    let in_31_days = now + Days::new(31);
    let plan = store.purge_plan(in_31_days, policy).await.unwrap();
    let scans: Vec<Uuid> = plan.id_documents.iter().map(|d| d.request_id).collect();
    assert_eq!(scans, vec![a.request.id, c.request.id], "{plan:?}");
    assert!(plan.holders.is_empty() && plan.closed_requests.is_empty());

    let later = now + Months::new(13);
    let plan = store.purge_plan(later, policy).await.unwrap();
    assert_eq!(
        plan.holders.iter().map(|h| h.holder_id).collect::<Vec<_>>(),
        vec![c.holder.id]
    );
    assert_eq!(plan.holders[0].last_badge_ended_on, now);
    assert_eq!(
        plan.closed_requests
            .iter()
            .map(|r| r.request_id)
            .collect::<Vec<_>>(),
        vec![b]
    );
    // The dry run wrote nothing.
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM attachments").await, 6);

    let audit_before = db.raw_count("SELECT COUNT(*) FROM audit_log").await;
    let report = store.purge(later, policy, "supervisor").await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.id_documents_deleted, 2);
    assert_eq!(
        report.holders_anonymised, 2,
        "C by badge end, B with its request"
    );
    assert_eq!(report.requests_purged, 1);
    // A keeps its photo; B and C lose everything.
    let left = store.get_request(a.request.id).await.unwrap().attachments;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, AttachmentKind::Photo);
    assert!(store.get_request(b).await.unwrap().attachments.is_empty());
    assert!(store
        .get_request(c.request.id)
        .await
        .unwrap()
        .attachments
        .is_empty());
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM attachment_blobs").await,
        1
    );

    // Names, e-mail and search words are gone; the badge and its number stay.
    let c_after = store.get_request(c.request.id).await.unwrap();
    assert_eq!(c_after.holder.details.family_name, "ANONYME");
    assert_eq!(c_after.holder.details.email, None);
    assert_eq!(c_after.badge.unwrap().number, badge.number);
    let b_after = store.get_request(b).await.unwrap();
    assert_eq!(b_after.request.status, RequestStatus::Refused);
    assert_eq!(b_after.holder.details.family_name, "ANONYME");
    assert_eq!(search(store, "Cazals").await, 0);
    assert_eq!(search(store, "Bérard").await, 0);
    assert_eq!(search(store, "Aubrac").await, 1);

    // The audit log kept every row (plus the purge's own), and its facts.
    let history = store.audit_for_request(b).await.unwrap();
    let refusal = history.iter().find(|e| e.action == "refuse").unwrap();
    assert!(refusal.redacted && refusal.reason.is_none() && refusal.after.is_none());
    assert_eq!(refusal.operator, BOB);
    let dump = db
        .raw_count("SELECT COUNT(*) FROM audit_log WHERE reason LIKE '%casier%' OR after_json LIKE '%Cazals%' OR before_json LIKE '%Cazals%' OR after_json LIKE '%rard%'")
        .await;
    assert_eq!(dump, 0, "personal payloads left in the audit log");
    assert!(db.raw_count("SELECT COUNT(*) FROM audit_log").await > audit_before);
    let holder_log = store
        .audit_for(AuditEntity::Holder, &c.holder.id.to_string())
        .await
        .unwrap();
    let last = holder_log.last().unwrap();
    assert_eq!(last.action, "purge");
    assert!(!last.redacted);
    assert!(holder_log[..holder_log.len() - 1]
        .iter()
        .all(|e| e.redacted));
    // Still append-only.
    assert!(db.raw_execute("DELETE FROM audit_log").await.is_err());

    // A second run finds nothing more.
    assert!(store.purge_plan(later, policy).await.unwrap().is_empty());
    let again = store.purge(later, policy, "supervisor").await.unwrap();
    assert_eq!(again.attachments_deleted, 0);
}
on_both!(purge_follows_the_retention_periods);

async fn a_purged_request_stays_out_of_searches_when_its_holder_is_renamed(db: &TestDb) {
    let store = &db.store;
    // Refused, then asked again: the refusal is purged after the retention period,
    // and its holder is kept for the live request.
    let refused = reviewed(store, "Bérard", "Basile").await;
    let v = store.get_request(refused).await.unwrap().request.version;
    store
        .transition(refused, v, RequestAction::Refuse, BOB, Some("doublon"))
        .await
        .unwrap();
    let holder = store.get_request(refused).await.unwrap().holder;
    let mut again = new_request("Bérard", "Basile");
    again.holder_id = Some(holder.id);
    again.holder = holder.details.clone();
    store.create_request(again, ALICE).await.unwrap();
    let later = day(0) + Months::new(13);
    let report = store
        .purge(later, RetentionPolicy::default(), "supervisor")
        .await
        .unwrap();
    assert_eq!(
        (report.requests_purged, report.holders_anonymised),
        (1, 0),
        "{report:?}"
    );
    assert_eq!(search(store, "berard").await, 1);

    let holder = store.get_holder(holder.id).await.unwrap();
    let mut details = holder.details.clone();
    details.family_name = "Bernard".into();
    details.email = Some("basile.bernard@example.fr".into());
    store
        .update_holder(holder.id, holder.version, details, BOB)
        .await
        .unwrap();
    assert_eq!(search(store, "bernard").await, 1, "the live request alone");
    assert_eq!(search(store, "berard").await, 0);
}
on_both!(a_purged_request_stays_out_of_searches_when_its_holder_is_renamed);

async fn a_replaced_photo_goes_with_the_id_scans(db: &TestDb) {
    let store = &db.store;
    let policy = RetentionPolicy::default();
    let id = with_photo(store, new_request("Durand", "Dora"), &fake_jpeg(3), ALICE)
        .await
        .request
        .id;
    store
        .put_attachment(id, AttachmentKind::IdDocumentFront, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    // A better photo: the first is kept as a previous photo.
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(4), ALICE)
        .await
        .unwrap();
    walk(store, id, BOB, &TO_APPROVAL).await;
    print(store, id, ALICE).await;
    let kinds = |attachments: &[sesame_store::AttachmentMeta]| {
        let mut kinds: Vec<&str> = attachments.iter().map(|a| a.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds
    };
    let plan = store.purge_plan(day(31), policy).await.unwrap();
    assert_eq!(
        plan.id_documents.len(),
        2,
        "the ID scan and the previous photo"
    );
    let report = store.purge(day(31), policy, "supervisor").await.unwrap();
    assert_eq!(report.id_documents_deleted, 2);
    let left = store.get_request(id).await.unwrap().attachments;
    assert_eq!(kinds(&left), vec!["photo"], "the badge photo stays");
}
on_both!(a_replaced_photo_goes_with_the_id_scans);

async fn anonymising_refuses_live_holders(db: &TestDb) {
    let store = &db.store;
    let a = printed(store, "Durand", "Dora").await;
    let err = store
        .anonymise_holder(a.holder.id, ALICE, "erase", Some("asked by mail"), day(0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "holder.still_active");
    let open = store
        .create_request(new_request("Estève", "Emma"), ALICE)
        .await
        .unwrap();
    let err = store
        .anonymise_holder(open.holder.id, ALICE, "erase", Some("asked"), day(0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "holder.still_active");
    // Nothing was touched.
    assert_eq!(
        store
            .get_request(a.request.id)
            .await
            .unwrap()
            .attachments
            .len(),
        2
    );
    assert_eq!(search(store, "Durand").await, 1);

    let badge = a.badge.unwrap();
    store
        .badge_transition(
            badge.id,
            badge.version,
            BadgeAction::Deactivate,
            ALICE,
            Some("left"),
        )
        .await
        .unwrap();
    let done = store
        .anonymise_holder(a.holder.id, ALICE, "erase", Some("asked by mail"), day(0))
        .await
        .unwrap();
    assert_eq!(
        (done.requests, done.badges, done.attachments_deleted),
        (1, 1, 2)
    );
    assert!(done.audit_entries_redacted > 3);
    let err = store
        .anonymise_holder(a.holder.id, ALICE, "erase", None, day(0))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "holder.already_anonymised");
    let records = store.holder_records(a.holder.id).await.unwrap();
    assert!(records.anonymised_at.is_some());
    let erase = records.audit.last().unwrap();
    assert_eq!(
        (erase.action.as_str(), erase.reason.as_deref()),
        ("erase", Some("asked by mail"))
    );
}
on_both!(anonymising_refuses_live_holders);
