//! Requests from creation to activation, each test on SQLite and on PostgreSQL: holder
//! checks, the whole workflow with its audit trail, refused moves that change nothing,
//! eligibility rules, and concurrent approvals of which only one wins.

use sesame_core::{
    AttachmentKind, AuditEntity, BadgeStatus, DispatchMethod, ErrorCode, MissingItem, Policy,
    RequestAction, RequestStatus,
};
use sesame_store::{RequestDetail, Store, StoreError};
use sesame_test_support::fixtures::{fake_jpeg, new_request, walk, with_photo, TO_APPROVAL};
use sesame_test_support::{day, on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

/// A staff request with photo, consent and certification, moved to ready_for_review.
async fn ready(store: &Store, family: &str, given: &str) -> RequestDetail {
    let id = with_photo(store, new_request(family, given), &fake_jpeg(1), ALICE)
        .await
        .request
        .id;
    let d = walk(store, id, ALICE, &TO_APPROVAL[..3]).await;
    assert_eq!(
        d.request.status,
        RequestStatus::ReadyForReview,
        "{:?}",
        d.missing
    );
    d
}

async fn create_and_read(db: &TestDb) {
    let store = &db.store;
    let created = store
        .create_request(new_request("Martin", "Zoé"), ALICE)
        .await
        .unwrap();
    assert_eq!(created.request.status, RequestStatus::Submitted);
    assert_eq!(created.request.version, 1);
    assert_eq!(created.request.submitted.by, ALICE);
    assert_eq!(created.request.details.zones, vec!["Bât A"]);
    assert_eq!(created.holder.details.given_names, "Zoé");
    assert_eq!(
        created.missing,
        vec![
            MissingItem::Photo,
            MissingItem::PhotoCertification,
            MissingItem::ImageRightsConsent
        ]
    );
    assert!(created.allowed_actions.contains(&"evaluate".to_owned()));
    assert!(!created.allowed_actions.contains(&"approve".to_owned()));
    let read = store.get_request(created.request.id).await.unwrap();
    assert_eq!(read, created);
    let audit = store.audit_for_request(created.request.id).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "create");
    assert_eq!(audit[0].operator, ALICE);
    let holder_audit = store
        .audit_for(AuditEntity::Holder, &created.holder.id.to_string())
        .await
        .unwrap();
    assert_eq!(holder_audit[0].action, "create");
    let missing = store.get_request(Uuid::now_v7()).await.unwrap_err();
    assert_eq!(missing.code(), "store.not_found");
    // invalid holder data is refused and nothing is written
    let mut bad = new_request("", "X");
    bad.holder.family_name = "  ".into();
    assert_eq!(
        store.create_request(bad, ALICE).await.unwrap_err().code(),
        "holder.field_required"
    );
    let mut bad = new_request("A", "B");
    bad.holder.category = "alien".into();
    assert_eq!(
        store.create_request(bad, ALICE).await.unwrap_err().code(),
        "holder.unknown_category"
    );
    assert_eq!(store.info().await.unwrap().requests, 1);
    assert_eq!(
        store
            .create_request(new_request("A", "B"), " ")
            .await
            .unwrap_err()
            .code(),
        "holder.field_required"
    );
}
on_both!(create_and_read);

async fn full_lifecycle(db: &TestDb) {
    let store = &db.store;
    let d0 = store
        .create_request(new_request("Durand", "Léa"), ALICE)
        .await
        .unwrap();
    let id = d0.request.id;
    // nothing attached yet: evaluation says awaiting photo? no: consent and certification missing too
    let d1 = store
        .transition(id, 1, RequestAction::Evaluate, ALICE, None)
        .await
        .unwrap();
    assert_eq!(d1.request.status, RequestStatus::Incomplete);
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(2), ALICE)
        .await
        .unwrap();
    let v = store.get_request(id).await.unwrap().request.version;
    let d2 = store
        .transition(id, v, RequestAction::RecordImageRightsConsent, ALICE, None)
        .await
        .unwrap();
    let consent = d2.request.image_rights_consent.clone().unwrap();
    assert_eq!(consent.by, ALICE);
    let d3 = store
        .transition(
            id,
            d2.request.version,
            RequestAction::CertifyPhoto,
            BOB,
            None,
        )
        .await
        .unwrap();
    assert_eq!(d3.request.photo_certified.as_ref().unwrap().by, BOB);
    assert!(d3.missing.is_empty());
    let d4 = store
        .transition(
            id,
            d3.request.version,
            RequestAction::MarkReady,
            ALICE,
            None,
        )
        .await
        .unwrap();
    assert_eq!(d4.request.status, RequestStatus::ReadyForReview);
    let d5 = store
        .transition(id, d4.request.version, RequestAction::Approve, BOB, None)
        .await
        .unwrap();
    assert_eq!(d5.request.status, RequestStatus::Approved);
    assert_eq!(d5.request.reviewed.as_ref().unwrap().by, BOB);
    assert!(d5.badge.is_none(), "the number is given at printing");

    let claimed = store.claim_for_print(&[id], ALICE).await.unwrap();
    assert_eq!(claimed, vec![id]);
    let v = store.get_request(id).await.unwrap().request.version;
    let err = store
        .transition(id, v, RequestAction::MarkPrinted, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.claimed_by_other");
    let d6 = store
        .transition(id, v, RequestAction::MarkPrinted, ALICE, None)
        .await
        .unwrap();
    assert_eq!(d6.request.status, RequestStatus::Printed);
    assert!(d6.request.print_claim.is_none());
    let badge = d6.badge.clone().expect("badge issued when printed");
    assert_eq!(badge.number, "B000001");
    assert_eq!(badge.status, BadgeStatus::Issued);
    assert_eq!(badge.valid_from, day(0));
    // staff: 5 years, bounded by the mission end (today + 400 days)
    assert_eq!(badge.valid_until, day(400));
    assert_eq!(badge.zones, vec!["Bât A"]);
    let d7 = store
        .transition(
            id,
            d6.request.version,
            RequestAction::Dispatch {
                method: DispatchMethod::InternalMail,
            },
            ALICE,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        d7.request.dispatch_method,
        Some(DispatchMethod::InternalMail)
    );
    let d8 = store
        .transition(id, d7.request.version, RequestAction::Activate, ALICE, None)
        .await
        .unwrap();
    assert_eq!(d8.request.status, RequestStatus::Activated);
    assert_eq!(d8.badge.unwrap().status, BadgeStatus::Active);
    assert!(d8.allowed_actions.is_empty());

    let actions: Vec<String> = store
        .audit_for_request(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        vec![
            "create",
            "evaluate",
            "add",
            "record_image_rights_consent",
            "certify_photo",
            "mark_ready",
            "approve",
            "claim_for_print",
            "issue",
            "mark_printed",
            "dispatch",
            "activate",
            "activate"
        ]
    );
    let audit = store.audit_for_request(id).await.unwrap();
    let approve = audit.iter().find(|e| e.action == "approve").unwrap();
    assert_eq!(approve.operator, BOB);
    assert_eq!(
        approve.before.as_ref().unwrap()["status"],
        "ready_for_review"
    );
    assert_eq!(approve.after.as_ref().unwrap()["status"], "approved");
    assert!(approve.after.as_ref().unwrap()["badgeNumber"].is_null());
    let printed = audit.iter().find(|e| e.action == "mark_printed").unwrap();
    assert_eq!(printed.after.as_ref().unwrap()["badgeNumber"], "B000001");
}
on_both!(full_lifecycle);

async fn refused_moves_change_nothing(db: &TestDb) {
    let store = &db.store;
    let d = store
        .create_request(new_request("Petit", "Ana"), ALICE)
        .await
        .unwrap();
    let id = d.request.id;
    let before_audit = store.audit_for_request(id).await.unwrap().len();
    let err = store
        .transition(id, 1, RequestAction::Approve, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.illegal_transition");
    assert_eq!(
        err.to_string(),
        "action 'approve' is not allowed on a request in status 'submitted'"
    );
    let err = store
        .transition(id, 1, RequestAction::Refuse, BOB, Some("  "))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let err = store
        .transition(id, 1, RequestAction::MarkReady, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.incomplete");
    let err = store
        .transition(id, 7, RequestAction::Refuse, BOB, Some("x"))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::VersionConflict {
            expected: 7,
            actual: 1,
            ..
        }
    ));
    assert_eq!(err.code(), "store.version_conflict");
    let after = store.get_request(id).await.unwrap();
    assert_eq!(after, d);
    assert_eq!(
        store.audit_for_request(id).await.unwrap().len(),
        before_audit
    );

    // refusal with a reason is final
    let refused = store
        .transition(id, 1, RequestAction::Refuse, BOB, Some("no contract"))
        .await
        .unwrap();
    assert_eq!(refused.request.status, RequestStatus::Refused);
    assert_eq!(
        refused.request.status_reason.as_deref(),
        Some("no contract")
    );
    let audit = store.audit_for_request(id).await.unwrap();
    assert_eq!(audit.last().unwrap().reason.as_deref(), Some("no contract"));
    let err = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(1), ALICE)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "attachment.request_closed");
}
on_both!(refused_moves_change_nothing);

async fn eligibility_blocks_approval(db: &TestDb) {
    let store = &db.store;
    let mut policy = Policy::default();
    policy.categories[0].allowed_email_domains = vec!["univ.fr".into()];
    store.set_policy(&policy, "admin").await.unwrap();
    assert_eq!(store.policy().await.unwrap(), policy);
    let mut req = new_request("Roux", "Paul");
    req.holder.presence_days_per_week = 1;
    let created = store.create_request(req, ALICE).await.unwrap();
    assert!(
        !created.eligibility.propose_day_pass,
        "the e-mail domain problem rules out a day pass too"
    );
    assert_eq!(created.eligibility.problems.len(), 2);
    store
        .put_attachment(
            created.request.id,
            AttachmentKind::Photo,
            &fake_jpeg(3),
            ALICE,
        )
        .await
        .unwrap();
    let id = created.request.id;
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
    ] {
        v = store
            .transition(id, v, action, ALICE, None)
            .await
            .unwrap()
            .request
            .version;
    }
    let err = store
        .transition(id, v, RequestAction::Approve, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.not_eligible");
    assert!(
        err.to_string().contains("univ.fr") || err.to_string().contains("example.fr"),
        "{err}"
    );
    assert!(store.get_request(id).await.unwrap().badge.is_none());
    // invalid settings are refused
    let mut bad = Policy::default();
    bad.categories.clear();
    assert_eq!(
        store.set_policy(&bad, "admin").await.unwrap_err().code(),
        "settings.invalid_rules"
    );
    let settings_audit = store
        .audit_for(AuditEntity::Settings, "policy")
        .await
        .unwrap();
    assert_eq!(settings_audit.len(), 1);
}
on_both!(eligibility_blocks_approval);

async fn concurrent_approvals_only_one_wins(db: &TestDb) {
    let store = &db.store;
    for round in 0..5 {
        let r = ready(store, "Concurrent", &format!("Round{round}")).await;
        let id = r.request.id;
        let v = r.request.version;
        let mut tasks = Vec::new();
        for desk in 0..4 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .transition(id, v, RequestAction::Approve, &format!("desk{desk}"), None)
                    .await
            }));
        }
        let mut wins = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => wins += 1,
                Err(e) => assert_eq!(e.code(), "store.version_conflict", "{e}"),
            }
        }
        assert_eq!(wins, 1, "exactly one desk approves");
        let approvals = store
            .audit_for_request(id)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "approve")
            .count();
        assert_eq!(approvals, 1);
    }
    // numbers are given at printing, not at approval
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 0);
}
on_both!(concurrent_approvals_only_one_wins);
