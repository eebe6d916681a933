//! The store's behaviour, each test run on SQLite and on PostgreSQL (see `sesame_test_support::on_both!`).

use sesame_core::{
    AttachmentKind, AuditEntity, BadgeAction, BadgeStatus, DispatchMethod, ErrorCode, MissingItem,
    Policy, ReplacementCause, RequestAction, RequestKind, RequestStatus,
};
use sesame_store::{QueueQuery, RequestDetail, Store, StoreError};
use sesame_test_support::fixtures::{fake_jpeg, new_request, pdf, walk, with_photo, TO_APPROVAL};
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

async fn approved(store: &Store, family: &str, given: &str) -> RequestDetail {
    let d = ready(store, family, given).await;
    walk(store, d.request.id, BOB, &[RequestAction::Approve]).await
}

/// Approved, then marked printed (which issues the badge).
async fn printed(store: &Store, family: &str, given: &str) -> RequestDetail {
    let d = approved(store, family, given).await;
    assert!(d.badge.is_none(), "approval issues no badge");
    walk(store, d.request.id, ALICE, &[RequestAction::MarkPrinted]).await
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

async fn concurrent_print_claims_are_disjoint(db: &TestDb) {
    let store = &db.store;
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(approved(store, "Print", &format!("P{i}")).await.request.id);
    }
    let (a, b) = tokio::join!(
        {
            let store = store.clone();
            let ids = ids.clone();
            async move { store.claim_for_print(&ids, "desk-a").await }
        },
        {
            // the other desk lists them in the opposite order (a deadlock on PostgreSQL if
            // rows were locked in list order)
            let store = store.clone();
            let mut ids = ids.clone();
            ids.reverse();
            async move { store.claim_for_print(&ids, "desk-b").await }
        }
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.len() + b.len(),
        ids.len(),
        "every request claimed once: {a:?} {b:?}"
    );
    assert!(a.iter().all(|id| !b.contains(id)));
    // the loser cannot print what the winner holds
    let (winner, loser, first) = if a.is_empty() {
        ("desk-b", "desk-a", b[0])
    } else {
        ("desk-a", "desk-b", a[0])
    };
    let v = store.get_request(first).await.unwrap().request.version;
    assert_eq!(
        store
            .transition(first, v, RequestAction::MarkPrinted, loser, None)
            .await
            .unwrap_err()
            .code(),
        "request.claimed_by_other"
    );
    let released = store.release_print_claims(&[first], winner).await.unwrap();
    assert_eq!(released, vec![first]);
    let v = store.get_request(first).await.unwrap().request.version;
    store
        .transition(first, v, RequestAction::MarkPrinted, loser, None)
        .await
        .unwrap();
    let rows = store
        .list_requests(&QueueQuery {
            statuses: vec![RequestStatus::Approved],
            ..Default::default()
        })
        .await
        .unwrap()
        .rows;
    assert_eq!(
        rows.iter().filter(|r| r.print_claimed_by.is_some()).count(),
        ids.len() - 1
    );
}
on_both!(concurrent_print_claims_are_disjoint);

async fn badge_numbers_are_unique_under_concurrency(db: &TestDb) {
    let store = &db.store;
    let mut ready_ones = Vec::new();
    for i in 0..12 {
        ready_ones.push(approved(store, "Numero", &format!("N{i}")).await);
    }
    let mut tasks = Vec::new();
    for (i, r) in ready_ones.into_iter().enumerate() {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .transition(
                    r.request.id,
                    r.request.version,
                    RequestAction::MarkPrinted,
                    &format!("desk{}", i % 3),
                    None,
                )
                .await
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap().unwrap().badge.unwrap().number);
    }
    numbers.sort();
    let expected: Vec<String> = (1..=12).map(|n| format!("B{n:06}")).collect();
    assert_eq!(numbers, expected);
    // a number can never be inserted twice, even by hand
    assert!(db
        .raw_execute("INSERT INTO issued_badge_numbers (number, issued_at) VALUES ('B000001', '2026-01-01T00:00:00Z')")
        .await
        .is_err());
}
on_both!(badge_numbers_are_unique_under_concurrency);

async fn numbers_are_never_reused_when_the_format_changes(db: &TestDb) {
    let store = &db.store;
    let first = printed(store, "Format", "Un").await.badge.unwrap().number;
    assert_eq!(first, "B000001");
    let mut policy = store.policy().await.unwrap();
    // a format whose first numbers collide with the old ones
    policy.badge_number_format = sesame_core::BadgeNumberFormat::new("B{seq:6}").unwrap();
    store.set_policy(&policy, "admin").await.unwrap();
    db.raw_execute("UPDATE counters SET next_value = 1 WHERE name = 'badge_number'")
        .await
        .unwrap();
    let second = printed(store, "Format", "Deux").await.badge.unwrap().number;
    assert_eq!(second, "B000002", "B000001 was skipped, never reused");
    policy.badge_number_format = sesame_core::BadgeNumberFormat::new("SES-{year}-{seq:4}").unwrap();
    store.set_policy(&policy, "admin").await.unwrap();
    let third = printed(store, "Format", "Trois")
        .await
        .badge
        .unwrap()
        .number;
    assert_eq!(
        third,
        format!("SES-{}-0003", chrono::Datelike::year(&day(0)))
    );
}
on_both!(numbers_are_never_reused_when_the_format_changes);

async fn search_ignores_case_and_accents(db: &TestDb) {
    let store = &db.store;
    let zoe = store
        .create_request(new_request("Martin", "Zoé"), ALICE)
        .await
        .unwrap();
    let zoe2 = store
        .create_request(new_request("DUPONT", "ZOE"), ALICE)
        .await
        .unwrap();
    store
        .create_request(new_request("Éloïse", "Çelik"), ALICE)
        .await
        .unwrap();
    let search = |s: &str| QueueQuery {
        search: Some(s.into()),
        ..Default::default()
    };
    let ids = |page: sesame_store::QueuePage| page.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    let found = ids(store.list_requests(&search("zoe")).await.unwrap());
    assert_eq!(found.len(), 2);
    assert!(found.contains(&zoe.request.id) && found.contains(&zoe2.request.id));
    assert_eq!(
        ids(store.list_requests(&search("ZOÉ mar")).await.unwrap()),
        vec![zoe.request.id]
    );
    assert_eq!(
        store
            .list_requests(&search("eloise"))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        store
            .list_requests(&search("celi"))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        ids(store
            .list_requests(&search("zoe.martin@example.fr"))
            .await
            .unwrap()),
        vec![zoe.request.id]
    );
    assert_eq!(
        store
            .list_requests(&search("nobody"))
            .await
            .unwrap()
            .rows
            .len(),
        0
    );
    // badge numbers become searchable once issued
    let a = printed(store, "Badge", "Holder").await;
    let number = a.badge.unwrap().number;
    assert_eq!(
        ids(store
            .list_requests(&search(&number.to_lowercase()))
            .await
            .unwrap()),
        vec![a.request.id]
    );
    assert_eq!(
        ids(store.list_requests(&search("b00000")).await.unwrap()),
        vec![a.request.id]
    );
    // renaming the holder updates the search words of their requests
    let mut details = zoe.holder.details.clone();
    details.family_name = "Lefèvre".into();
    details.email = Some("zoe.lefevre@example.fr".into());
    let holder = store
        .update_holder(zoe.holder.id, zoe.holder.version, details.clone(), BOB)
        .await
        .unwrap();
    assert_eq!(holder.version, zoe.holder.version + 1);
    assert_eq!(
        ids(store.list_requests(&search("lefevre")).await.unwrap()),
        vec![zoe.request.id]
    );
    assert!(ids(store.list_requests(&search("martin")).await.unwrap()).is_empty());
    let stale = store
        .update_holder(zoe.holder.id, zoe.holder.version, details, BOB)
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(search_ignores_case_and_accents);

async fn queue_filters_and_counts(db: &TestDb) {
    let store = &db.store;
    let mut visitor = new_request("Visit", "Or");
    visitor.holder.category = "visitor".into();
    visitor.request.kind = RequestKind::DayPass;
    visitor.request.zones = vec!["Parking".into()];
    visitor.request.wanted_from = Some(day(2));
    visitor.request.wanted_until = Some(day(3));
    visitor.holder.mission_end = Some(day(10));
    let v = store.create_request(visitor, ALICE).await.unwrap();
    let staff = store
        .create_request(new_request("Staff", "One"), ALICE)
        .await
        .unwrap();
    let approved_one = printed(store, "Staff", "Two").await;
    store
        .transition(
            staff.request.id,
            1,
            RequestAction::Refuse,
            BOB,
            Some("duplicate"),
        )
        .await
        .unwrap();

    let q = |f: fn(&mut QueueQuery)| {
        let mut query = QueueQuery::default();
        f(&mut query);
        query
    };
    let count = |page: sesame_store::QueuePage| page.rows.len();
    assert_eq!(
        count(store.list_requests(&QueueQuery::default()).await.unwrap()),
        3
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.statuses = vec![RequestStatus::Refused]))
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(
                    |q| q.statuses = vec![RequestStatus::Refused, RequestStatus::Printed]
                ))
                .await
                .unwrap()
        ),
        2
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.kinds = vec![RequestKind::DayPass]))
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.categories = vec!["visitor".into()]))
                .await
                .unwrap()
        ),
        1
    );
    let by_zone = store
        .list_requests(&q(|q| q.zone = Some("Parking".into())))
        .await
        .unwrap();
    assert_eq!(by_zone.rows[0].id, v.request.id);
    assert_eq!(by_zone.rows[0].zones, vec!["Parking"]);
    let expiring = store
        .list_requests(&QueueQuery {
            badge_expiring_before: Some(day(500)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        expiring.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![approved_one.request.id]
    );
    let mission = store
        .list_requests(&QueueQuery {
            mission_end_before: Some(day(30)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mission.rows.len(), 1);
    let submitted_today = store
        .list_requests(&QueueQuery {
            submitted_from: Some(day(0)),
            submitted_until: Some(day(0)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(submitted_today.rows.len(), 3);
    let none = store
        .list_requests(&QueueQuery {
            submitted_until: Some(d(2000, 1, 1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.rows.is_empty());

    let counts = store.count_by_status().await.unwrap();
    assert_eq!(counts.len(), RequestStatus::ALL.len());
    let get = |s: RequestStatus| counts.iter().find(|c| c.status == s).unwrap().count;
    assert_eq!(get(RequestStatus::Submitted), 1);
    assert_eq!(get(RequestStatus::Refused), 1);
    assert_eq!(get(RequestStatus::Approved), 0);
    assert_eq!(get(RequestStatus::Printed), 1);
    // the trigger-kept counters agree with a scan of the queue
    let scanned = store
        .count_by_status_filtered(&QueueQuery {
            submitted_from: Some(d(2000, 1, 1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(scanned, counts);
    let visitors = store
        .count_by_status_filtered(&QueueQuery {
            categories: vec!["visitor".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(visitors.iter().map(|c| c.count).sum::<i64>(), 1);
    let bad = store
        .list_requests(&QueueQuery {
            limit: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "store.invalid_query");
    let bad = store
        .list_requests(&QueueQuery {
            cursor: Some("garbage".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "store.invalid_query");
}
on_both!(queue_filters_and_counts);

async fn keyset_pagination_walks_every_row_once(db: &TestDb) {
    let store = &db.store;
    let names = [
        "Zola", "Abel", "Émile", "Martin", "martin", "Bé", "Yves", "Ödön", "Lu", "Kim", "Ng", "Oz",
        "Al",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut req = new_request(name, &format!("G{i}"));
        if i % 3 == 0 {
            req.holder.mission_end = None;
        }
        store.create_request(req, ALICE).await.unwrap();
    }
    use sesame_store::{QueueSortField as F, SortDirection as D};
    for (sort, direction) in [
        (F::HolderName, D::Asc),
        (F::HolderName, D::Desc),
        (F::Submitted, D::Asc),
        (F::Submitted, D::Desc),
        (F::MissionEnd, D::Asc),
        (F::MissionEnd, D::Desc),
    ] {
        let all = store
            .list_requests(&QueueQuery {
                sort,
                direction,
                limit: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.rows.len(), names.len());
        assert!(all.next_cursor.is_none());
        let mut walked = Vec::new();
        let mut query = QueueQuery {
            sort,
            direction,
            limit: Some(4),
            ..Default::default()
        };
        loop {
            let page = store.list_requests(&query).await.unwrap();
            assert!(page.rows.len() <= 4);
            walked.extend(page.rows.iter().map(|r| r.id));
            match page.next_cursor {
                Some(c) => query.cursor = Some(c),
                None => break,
            }
        }
        let expected: Vec<Uuid> = all.rows.iter().map(|r| r.id).collect();
        assert_eq!(walked, expected, "{sort:?} {direction:?}");
    }
    let by_name = store
        .list_requests(&QueueQuery {
            sort: F::HolderName,
            limit: Some(3),
            ..Default::default()
        })
        .await
        .unwrap();
    let firsts: Vec<&str> = by_name
        .rows
        .iter()
        .map(|r| r.family_name.as_str())
        .collect();
    assert_eq!(firsts, vec!["Abel", "Al", "Bé"]);
}
on_both!(keyset_pagination_walks_every_row_once);

async fn attachments_are_stored_in_the_database(db: &TestDb) {
    let store = &db.store;
    let d = store
        .create_request(new_request("Photo", "Graphe"), ALICE)
        .await
        .unwrap();
    let id = d.request.id;
    let photo = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(7), ALICE)
        .await
        .unwrap();
    assert_eq!(photo.media_type, sesame_core::MediaType::Jpeg);
    let back = store.get_attachment(photo.id).await.unwrap();
    assert_eq!(back.bytes, fake_jpeg(7));
    assert_eq!(back.meta, photo);
    let front = store
        .put_attachment(id, AttachmentKind::IdDocumentFront, &pdf(), ALICE)
        .await
        .unwrap();
    assert_eq!(store.get_attachment(front.id).await.unwrap().bytes, pdf());
    // a PDF is no photo; random bytes are nothing
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Photo, &pdf(), ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.unsupported_type"
    );
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Other, b"GIF89a....", ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.unsupported_type"
    );
    let huge = {
        let mut b = fake_jpeg(0);
        b.resize(sesame_store::MAX_ATTACHMENT_BYTES + 1, 0);
        b
    };
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Photo, &huge, ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.too_large"
    );
    // certifying, then replacing the photo, clears the certification
    let v = store.get_request(id).await.unwrap().request.version;
    let certified = store
        .transition(id, v, RequestAction::CertifyPhoto, ALICE, None)
        .await
        .unwrap();
    assert!(certified.request.photo_certified.is_some());
    let new_photo = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(8), BOB)
        .await
        .unwrap();
    let after = store.get_request(id).await.unwrap();
    assert!(after.request.photo_certified.is_none());
    assert_eq!(after.attachments.len(), 3);
    assert!(after.attachments.iter().any(|a| a.id == new_photo.id));
    // The replaced photo stays, as a previous photo, until retention removes it.
    let previous = store.get_attachment(photo.id).await.unwrap();
    assert_eq!(previous.meta.kind, AttachmentKind::PreviousPhoto);
    assert!(previous.meta.replaced_at.is_some());
    assert_eq!(previous.bytes, fake_jpeg(7));
    assert_eq!(
        store.get_attachment(new_photo.id).await.unwrap().bytes,
        fake_jpeg(8)
    );
    store
        .delete_attachment(front.id, ALICE, Some("wrong person"))
        .await
        .unwrap();
    let actions: Vec<String> = store
        .audit_for_request(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.ends_with(&[
        "add".into(),
        "add".into(),
        "certify_photo".into(),
        "replace".into(),
        "delete".into()
    ]));
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM attachment_blobs").await,
        2
    );
}
on_both!(attachments_are_stored_in_the_database);

async fn previous_photos_can_be_restored(db: &TestDb) {
    let store = &db.store;
    let id = store
        .create_request(new_request("Retour", "Photo"), ALICE)
        .await
        .unwrap()
        .request
        .id;
    let first = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(1), ALICE)
        .await
        .unwrap();
    let second = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(2), ALICE)
        .await
        .unwrap();
    let third = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(3), ALICE)
        .await
        .unwrap();
    let kinds = |detail: &RequestDetail| {
        let mut kinds: Vec<(Uuid, AttachmentKind)> =
            detail.attachments.iter().map(|a| (a.id, a.kind)).collect();
        kinds.sort_by_key(|(id, _)| *id);
        kinds
    };
    let detail = store.get_request(id).await.unwrap();
    assert_eq!(
        kinds(&detail),
        vec![
            (first.id, AttachmentKind::PreviousPhoto),
            (second.id, AttachmentKind::PreviousPhoto),
            (third.id, AttachmentKind::Photo)
        ]
    );
    // The first photo is the badge photo again; the current one is put aside.
    let stale = detail.request.version;
    let restored = store.restore_photo(id, first.id, stale, BOB).await.unwrap();
    assert_eq!(restored.kind, AttachmentKind::Photo);
    let detail = store.get_request(id).await.unwrap();
    assert_eq!(
        kinds(&detail),
        vec![
            (first.id, AttachmentKind::Photo),
            (second.id, AttachmentKind::PreviousPhoto),
            (third.id, AttachmentKind::PreviousPhoto)
        ]
    );
    assert_eq!(
        store
            .restore_photo(id, second.id, stale, BOB)
            .await
            .unwrap_err()
            .code(),
        "store.version_conflict",
        "a restore is made on the version the operator saw"
    );
    assert_eq!(
        store
            .restore_photo(id, first.id, detail.request.version, BOB)
            .await
            .unwrap_err()
            .code(),
        "store.not_found",
        "only a previous photo can be restored"
    );
    let history = store.audit_for_request(id).await.unwrap();
    assert_eq!(history.last().unwrap().action, "restore");
    assert_eq!(history.last().unwrap().operator, BOB);
}
on_both!(previous_photos_can_be_restored);

async fn photo_reviews_give_the_override_rate_per_check(db: &TestDb) {
    use sesame_store::{CheckOutcome, PhotoCheckOutcome, PhotoOverride, PhotoReview};
    let store = &db.store;
    let outcome = |check: &str, outcome: CheckOutcome, overridden: bool| PhotoCheckOutcome {
        check: check.into(),
        outcome,
        overridden,
    };
    let mut saved = Vec::new();
    for (i, review) in [
        PhotoReview::default(),
        PhotoReview {
            outcomes: vec![outcome("head_covering", CheckOutcome::Warn, true)],
            overridden: Some(PhotoOverride {
                reason: "religious head covering".into(),
                countersigned_by: None,
            }),
        },
        PhotoReview {
            outcomes: vec![
                outcome("background", CheckOutcome::Fail, true),
                outcome("eyes_open", CheckOutcome::Warn, true),
            ],
            overridden: Some(PhotoOverride {
                reason: "hair taken for the background".into(),
                countersigned_by: Some("superviseur".into()),
            }),
        },
        PhotoReview {
            outcomes: vec![outcome("background", CheckOutcome::Warn, false)],
            overridden: None,
        },
    ]
    .into_iter()
    .enumerate()
    {
        let id = store
            .create_request(new_request("Revue", &format!("N{i}")), ALICE)
            .await
            .unwrap()
            .request
            .id;
        let meta = store
            .put_badge_photo(
                id,
                &fake_jpeg(i as u8),
                ALICE,
                serde_json::json!({}),
                &review,
            )
            .await
            .unwrap();
        saved.push((id, meta));
    }
    let stats = store.photo_check_stats().await.unwrap();
    assert_eq!(stats.photos_saved, 4);
    assert_eq!(stats.photos_overridden, 2);
    let background = stats
        .checks
        .iter()
        .find(|c| c.check == "background")
        .unwrap();
    assert_eq!(
        (
            background.refused,
            background.refusals_overridden,
            background.warned,
            background.warnings_overridden
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(stats.checks.len(), 3);
    // The override's reason is in the photo's audit entry, with who countersigned.
    let (id, meta) = &saved[2];
    let entry = store
        .audit_for_request(*id)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.entity_id == meta.id.to_string())
        .unwrap();
    assert_eq!(
        entry.reason.as_deref(),
        Some("hair taken for the background")
    );
    assert_eq!(
        entry.after.unwrap()["override"]["countersignedBy"],
        "superviseur"
    );
}
on_both!(photo_reviews_give_the_override_rate_per_check);

/// A toy codec standing in for encryption: proves the store hands bytes through it
/// and refuses blobs it cannot read without destroying them.
#[derive(Debug)]
struct XorCodec;

impl sesame_store::BlobCodec for XorCodec {
    fn name(&self) -> &str {
        "xor-test"
    }
    fn seal(&self, _: Uuid, plain: &[u8]) -> Result<Vec<u8>, sesame_store::CodecError> {
        Ok(plain.iter().map(|b| b ^ 0x5A).collect())
    }
    fn open(
        &self,
        codec: &str,
        _: Uuid,
        stored: &[u8],
    ) -> Result<Vec<u8>, sesame_store::CodecError> {
        match codec {
            "xor-test" => Ok(stored.iter().map(|b| b ^ 0x5A).collect()),
            "plain" => Ok(stored.to_vec()),
            other => Err(sesame_store::CodecError(format!("unknown codec {other}"))),
        }
    }
}

async fn attachment_codec_wraps_the_bytes(db: &TestDb) {
    let plain_store = db.store.clone();
    let coded_store = db.store.clone().with_codec(std::sync::Arc::new(XorCodec));
    let d = plain_store
        .create_request(new_request("Codec", "Test"), ALICE)
        .await
        .unwrap();
    let old = plain_store
        .put_attachment(d.request.id, AttachmentKind::IdDocumentBack, &pdf(), ALICE)
        .await
        .unwrap();
    let new = coded_store
        .put_attachment(d.request.id, AttachmentKind::Photo, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    assert_eq!(
        coded_store.get_attachment(new.id).await.unwrap().bytes,
        fake_jpeg(9)
    );
    assert_eq!(
        coded_store.get_attachment(old.id).await.unwrap().bytes,
        pdf(),
        "older plain blobs stay readable"
    );
    let err = plain_store.get_attachment(new.id).await.unwrap_err();
    assert_eq!(err.code(), "attachment.codec_failed");
    assert_eq!(
        coded_store.get_attachment(new.id).await.unwrap().bytes,
        fake_jpeg(9),
        "nothing destroyed"
    );
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM attachment_blobs WHERE codec = 'xor-test'")
            .await,
        1
    );
}
on_both!(attachment_codec_wraps_the_bytes);

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

async fn badge_lifecycle_and_replacement(db: &TestDb) {
    let store = &db.store;
    let mut req = new_request("Badge", "Life");
    req.request.zones = vec!["Bât A".into(), "Labo 3".into()];
    let created = store.create_request(req, ALICE).await.unwrap();
    let id = created.request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(1), ALICE)
        .await
        .unwrap();
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
        RequestAction::MarkPrinted,
        RequestAction::Dispatch {
            method: DispatchMethod::HandedOver,
        },
    ] {
        v = store
            .transition(id, v, action, ALICE, None)
            .await
            .unwrap()
            .request
            .version;
    }
    let badge = store.get_request(id).await.unwrap().badge.unwrap();
    // activating from the badge screen closes the request too
    let badge = store
        .badge_transition(badge.id, badge.version, BadgeAction::Activate, BOB, None)
        .await
        .unwrap();
    assert_eq!(badge.status, BadgeStatus::Active);
    assert_eq!(
        store.get_request(id).await.unwrap().request.status,
        RequestStatus::Activated
    );
    assert_eq!(store.find_badge(&badge.number).await.unwrap().id, badge.id);

    let card = store
        .set_card_serial(badge.id, badge.version, Some("04:A2:19:FF"), BOB)
        .await
        .unwrap();
    assert_eq!(card.card_serial.as_deref(), Some("04:A2:19:FF"));
    let mission_end = created.holder.details.mission_end.unwrap();
    let err = store
        .badge_transition(
            card.id,
            card.version,
            BadgeAction::Renew {
                valid_until: mission_end + chrono::Days::new(1),
            },
            BOB,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_beyond_mission_end");
    let err = store
        .badge_transition(card.id, card.version, BadgeAction::Deactivate, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let err = store
        .badge_transition(card.id, card.version, BadgeAction::Resume, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.illegal_transition");
    let opposed = store
        .badge_transition(
            card.id,
            card.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Stolen,
            },
            BOB,
            Some("stolen on the train"),
        )
        .await
        .unwrap();
    assert_eq!(opposed.status, BadgeStatus::Opposed);
    let replacement = store
        .replace_badge(
            opposed.id,
            opposed.version,
            ReplacementCause::Stolen,
            BOB,
            None,
        )
        .await
        .unwrap();
    assert_eq!(replacement.request.details.kind, RequestKind::Replacement);
    assert_eq!(replacement.request.details.zones, vec!["Bât A", "Labo 3"]);
    assert_eq!(
        replacement.request.details.previous_badge_id,
        Some(opposed.id)
    );
    assert_eq!(replacement.holder.id, created.holder.id);
    assert_eq!(
        store.get_badge(opposed.id).await.unwrap().status,
        BadgeStatus::Opposed
    );
    let exported = String::from_utf8(
        store
            .export_badges_csv(
                &sesame_store::BadgeQuery {
                    statuses: vec![BadgeStatus::Opposed],
                    ..Default::default()
                },
                sesame_store::CsvOptions {
                    delimiter: ',',
                    bom: false,
                },
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        exported.contains(&format!("{},04:A2:19:FF,opposed", badge.number)),
        "{exported}"
    );
    let stale = store
        .badge_transition(opposed.id, opposed.version, BadgeAction::Return, BOB, None)
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(badge_lifecycle_and_replacement);

async fn csv_import_reports_and_exports_neutralise(db: &TestDb) {
    let store = &db.store;
    // Missions that end after the pinned day, written as a French spreadsheet would.
    let zoe_end = day(300);
    let jean_pierre_end = day(20);
    let file = format!(
        "\u{feff}Nom;Prénom;Courriel;Catégorie;Matricule;Jours de présence;Fin mission;Zones\r\n\
                Martin;Zoé;zoe@example.fr;Personnel;HR1;3;{};\"Bât A|Parking\"\r\n\
                =HYPERLINK(\"http://x\");Eve;eve@example.fr;staff;HR2;5;;\r\n\
                Faux;Mail;pas-un-mail;staff;HR3;5;;\r\n\
                Durand;Léo;;Martien;HR4;5;;\r\n\
                Lebrun;\"Jean\nPierre\";;visiteur;HR5;1;{};\r\n",
        zoe_end.format("%d/%m/%Y"),
        jean_pierre_end.format("%d/%m/%Y"),
    );
    let dry = store
        .import_csv(file.as_bytes(), "import", true)
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(dry.accepted, 3);
    assert!(dry.created.is_empty());
    assert_eq!(store.info().await.unwrap().requests, 0);

    let report = store
        .import_csv(file.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(report.encoding, "utf-8");
    assert_eq!(report.delimiter, ";");
    assert_eq!(report.rows_read, 5);
    assert_eq!(report.created.len(), 3);
    let refused: Vec<(u64, &str)> = report
        .refused
        .iter()
        .map(|r| (r.row, r.code.as_str()))
        .collect();
    assert_eq!(
        refused,
        vec![(3, "holder.invalid_email"), (4, "holder.unknown_category")]
    );
    assert_eq!(store.info().await.unwrap().requests, 3);
    let zoe = store
        .list_requests(&QueueQuery {
            search: Some("zoe".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(zoe.rows[0].zones, vec!["Bât A", "Parking"]);
    assert_eq!(zoe.rows[0].mission_end, Some(zoe_end));

    // importing again reuses the holders found by HR number
    let again = store
        .import_csv(file.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(again.created.len(), 3);
    assert_eq!(store.info().await.unwrap().holders, 3);

    // Windows-1252 with commas
    let cp1252 = b"family_name,given_names,category\r\nL\xe9vy,No\xebl,visitor\r\n";
    let report = store.import_csv(cp1252, "import", false).await.unwrap();
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!(
        store
            .list_requests(&QueueQuery {
                search: Some("noel levy".into()),
                ..Default::default()
            })
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    let err = store
        .import_csv(b"nom;prenom\nA;B\n", "import", false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "import.missing_columns");

    let csv = String::from_utf8(
        store
            .export_queue_csv(
                &QueueQuery {
                    sort: sesame_store::QueueSortField::HolderName,
                    ..Default::default()
                },
                Default::default(),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(csv.starts_with("\u{feff}request_id;status;kind;family_name"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(!csv.contains(";=HYPERLINK"));
    assert!(csv.contains("\"Jean\nPierre\""));
    assert_eq!(csv.lines().filter(|l| l.contains(";submitted;")).count(), 7);
}
on_both!(csv_import_reports_and_exports_neutralise);

#[tokio::test]
async fn sqlite_open_creates_folders_and_reports_info() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c/sesame.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert!(path.exists());
    assert_eq!(store.backend_name(), "sqlite");
    let info = store.info().await.unwrap();
    // The newest migration of this build (one file per version in migrations/sqlite).
    let newest = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .split('_')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap();
    assert_eq!(info.schema_version, newest);
    assert_eq!(info.requests, 0);
    store.close().await;
    // reopening runs no migration twice and keeps data
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store
        .create_request(new_request("Re", "Open"), ALICE)
        .await
        .unwrap();
    assert_eq!(store.info().await.unwrap().requests, 1);
    let memory = Store::open("sqlite::memory:").await.unwrap();
    assert_eq!(
        memory
            .count_by_status()
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum::<i64>(),
        0
    );
    assert_eq!(
        Store::open("mysql://x/y").await.unwrap_err().code(),
        "store.unsupported_url"
    );
}

#[tokio::test]
async fn postgres_url_is_required_unless_skipped() {
    // The suite must not pass silently without PostgreSQL.
    if std::env::var(sesame_test_support::db::PG_SKIP_VAR).as_deref() != Ok("1") {
        assert!(
            std::env::var(sesame_test_support::db::PG_URL_VAR).is_ok(),
            "{} is not set: run `eval \"$(scripts/pg-test-server.sh start)\"` first",
            sesame_test_support::db::PG_URL_VAR
        );
    }
}

async fn import_updates_holders_across_rows_and_chunks(db: &TestDb) {
    let store = &db.store;
    // 900 rows cross two insert chunks; HR7 comes back in a later chunk with a new unit
    // and another kind, and must update the same holder, not create a second one.
    let mut csv = String::from("nom,prenom,categorie,matricule,service,type\n");
    for i in 0..900 {
        csv.push_str(&format!("Nom{i},Prénom{i},staff,HR{i},Unit A,nouveau\n"));
    }
    csv.push_str("Nom7,Prénom7,staff,HR7,Unit B,renouvellement\n");
    let report = store
        .import_csv(csv.as_bytes(), "import", false)
        .await
        .unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.created.len(), 901);
    let info = store.info().await.unwrap();
    assert_eq!((info.requests, info.holders), (901, 900));
    let hr7 = store
        .list_requests(&QueueQuery {
            search: Some("hr7".into()),
            limit: Some(500),
            ..Default::default()
        })
        .await
        .unwrap()
        .rows
        .into_iter()
        .filter(|r| r.external_id.as_deref() == Some("HR7"))
        .collect::<Vec<_>>();
    assert_eq!(hr7.len(), 2);
    assert_eq!(hr7[0].holder_id, hr7[1].holder_id);
    assert!(hr7.iter().all(|r| r.unit.as_deref() == Some("Unit B")));
    let holder_audit = store
        .audit_for(AuditEntity::Holder, &hr7[0].holder_id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = holder_audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "update"]);
    let counts = store.count_by_status().await.unwrap();
    assert_eq!(
        counts
            .iter()
            .find(|c| c.status == RequestStatus::Submitted)
            .unwrap()
            .count,
        901
    );
}
on_both!(import_updates_holders_across_rows_and_chunks);

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
