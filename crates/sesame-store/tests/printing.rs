//! Printing: numbers are issued and requests marked printed in the transaction that
//! renders the cards, and desks claiming the same requests get disjoint sets; each test
//! runs on SQLite and on PostgreSQL.

use sesame_core::{BadgeStatus, ErrorCode, RequestAction, RequestKind, RequestStatus};
use sesame_store::{PrintItem, PrintSink, PrintSkipReason, QueueQuery, Store, StoreError};
use sesame_test_support::fixtures::{
    approved_request, approved_staff_request, fake_jpeg, new_request,
};
use sesame_test_support::{day, on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

/// A render step that only records what it was given.
fn summary(items: &[PrintItem]) -> Result<Vec<(String, String, usize)>, StoreError> {
    Ok(items
        .iter()
        .map(|i| {
            (
                i.holder.details.family_name.clone(),
                i.badge_number.clone(),
                i.photo.as_ref().map_or(0, |p| p.bytes.len()),
            )
        })
        .collect())
}

async fn status(store: &Store, id: Uuid) -> RequestStatus {
    store.get_request(id).await.unwrap().request.status
}

async fn printing_issues_numbers_and_marks_printed(db: &TestDb) {
    let store = &db.store;
    let a = approved_request(
        store,
        new_request("Ærøe", "Ægir"),
        &fake_jpeg(7),
        ALICE,
        BOB,
    )
    .await;
    let b = approved_staff_request(store, "Łukasz", "Żółć", ALICE, BOB).await;
    let c = approved_staff_request(store, "Nguyễn", "Minh", ALICE, BOB).await;
    let waiting = store
        .create_request(new_request("Pas", "Prêt"), ALICE)
        .await
        .unwrap();
    let missing = Uuid::now_v7();
    // asked in this order: the cards follow it, and so do the numbers
    let ids = [
        c.request.id,
        waiting.request.id,
        a.request.id,
        missing,
        b.request.id,
        a.request.id,
    ];
    let mut seen = Vec::new();
    let outcome = store
        .print_batch(&ids, ALICE, None, |items| {
            for item in &items {
                assert!(!item.provisional_number && !item.reprint);
                assert_eq!(item.valid_from, day(0));
                assert_eq!(item.valid_until, day(400));
                assert!(item.badge_id.is_some());
            }
            seen = items.to_vec();
            summary(&items)
        })
        .await
        .unwrap();
    let rendered = outcome.rendered.unwrap();
    assert_eq!(
        rendered,
        vec![
            ("Nguyễn".to_string(), "B000001".to_string(), 76),
            ("Ærøe".to_string(), "B000002".to_string(), 76),
            ("Łukasz".to_string(), "B000003".to_string(), 76),
        ]
    );
    assert_eq!(seen[1].photo.as_ref().unwrap().bytes, fake_jpeg(7));
    assert_eq!(outcome.printed.len(), 3);
    assert_eq!(outcome.printed[1].badge_number, "B000002");
    assert_eq!(outcome.printed[1].given_names, "Ægir");
    let skipped: Vec<_> = outcome
        .skipped
        .iter()
        .map(|s| (s.request_id, s.reason, s.detail.clone()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (
                waiting.request.id,
                PrintSkipReason::NotApproved,
                Some("submitted".into())
            ),
            (missing, PrintSkipReason::NotFound, None),
        ]
    );
    for (detail, number) in [(&c, "B000001"), (&a, "B000002"), (&b, "B000003")] {
        let now = store.get_request(detail.request.id).await.unwrap();
        assert_eq!(now.request.status, RequestStatus::Printed);
        assert_eq!(now.request.printed.as_ref().unwrap().by, ALICE);
        let badge = now.badge.unwrap();
        assert_eq!(badge.number, number);
        assert_eq!(badge.status, BadgeStatus::Issued);
        assert_eq!(badge.zones, vec!["Bât A"]);
        let actions: Vec<String> = store
            .audit_for_request(detail.request.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(&actions[actions.len() - 2..], ["issue", "mark_printed"]);
    }
    // printing the same again without a reason prints nothing
    let again = store
        .print_batch(
            &[a.request.id],
            ALICE,
            None,
            |_| -> Result<(), StoreError> { panic!("nothing to render") },
        )
        .await
        .unwrap();
    assert!(again.rendered.is_none() && again.printed.is_empty());
    assert_eq!(again.skipped[0].reason, PrintSkipReason::AlreadyPrinted);
    assert_eq!(again.skipped[0].detail.as_deref(), Some("B000002"));
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 3);
}
on_both!(printing_issues_numbers_and_marks_printed);

async fn a_failed_render_writes_nothing(db: &TestDb) {
    let store = &db.store;
    let a = approved_staff_request(store, "Echec", "Un", ALICE, BOB).await;
    let b = approved_staff_request(store, "Echec", "Deux", ALICE, BOB).await;
    let audit_before = db.raw_count("SELECT COUNT(*) FROM audit_log").await;
    let err = store
        .print_batch(&[a.request.id, b.request.id], ALICE, None, |items| {
            assert_eq!(items[0].badge_number, "B000001");
            Err::<(), _>(StoreError::Export("printer on fire".into()))
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("printer on fire"));
    for d in [&a, &b] {
        let now = store.get_request(d.request.id).await.unwrap();
        assert_eq!(now.request.status, RequestStatus::Approved);
        assert_eq!(now.request.version, d.request.version);
        assert!(now.badge.is_none());
    }
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 0);
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM issued_badge_numbers")
            .await,
        0
    );
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    // the numbers were not used up
    let outcome = store
        .print_batch(&[b.request.id], ALICE, None, |items| summary(&items))
        .await
        .unwrap();
    assert_eq!(outcome.rendered.unwrap()[0].1, "B000001");
}
on_both!(a_failed_render_writes_nothing);

/// Records how a print run's cards are handed over, and can fail on one of them.
#[derive(Default)]
struct Recorder {
    started: Vec<(String, bool)>,
    handed: Vec<(String, Option<Vec<u8>>)>,
    fail_on: Option<usize>,
}

impl PrintSink for Recorder {
    type Output = Vec<(String, Option<Vec<u8>>)>;
    type Error = StoreError;

    fn start(&mut self, items: &[PrintItem]) -> Result<(), StoreError> {
        assert!(self.started.is_empty(), "started once");
        self.started = items
            .iter()
            .map(|i| (i.badge_number.clone(), i.photo.is_some()))
            .collect();
        Ok(())
    }

    fn item(&mut self, item: PrintItem) -> Result<(), StoreError> {
        if self.fail_on == Some(self.handed.len()) {
            return Err(StoreError::Export("card jammed".into()));
        }
        self.handed
            .push((item.badge_number, item.photo.map(|p| p.bytes.to_vec())));
        Ok(())
    }

    fn finish(self) -> Result<Self::Output, StoreError> {
        assert_eq!(
            self.handed.len(),
            self.started.len(),
            "every card handed over"
        );
        assert!(
            self.started.iter().all(|(_, photo)| !photo),
            "no photo is read before its card is handed over"
        );
        Ok(self.handed)
    }
}

async fn a_sink_gets_the_cards_first_then_each_with_its_photo(db: &TestDb) {
    let store = &db.store;
    let a = approved_request(store, new_request("Un", "A"), &fake_jpeg(3), ALICE, BOB).await;
    let b = approved_staff_request(store, "Deux", "B", ALICE, BOB).await;
    let c = approved_request(store, new_request("Trois", "C"), &fake_jpeg(5), ALICE, BOB).await;
    let ids = [a.request.id, b.request.id, c.request.id];

    // A card that fails part-way through rolls the whole run back.
    let failing = Recorder {
        fail_on: Some(2),
        ..Default::default()
    };
    let err = store
        .print_batch_into(&ids, ALICE, None, None, failing)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("card jammed"), "{err}");
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 0);
    assert_eq!(status(store, c.request.id).await, RequestStatus::Approved);

    let outcome = store
        .print_batch_into(&ids, ALICE, None, None, Recorder::default())
        .await
        .unwrap();
    let handed = outcome.rendered.unwrap();
    assert_eq!(
        handed,
        vec![
            ("B000001".to_string(), Some(fake_jpeg(3))),
            ("B000002".to_string(), Some(fake_jpeg(1))),
            ("B000003".to_string(), Some(fake_jpeg(5))),
        ]
    );
    for id in ids {
        assert_eq!(status(store, id).await, RequestStatus::Printed);
    }
}
on_both!(a_sink_gets_the_cards_first_then_each_with_its_photo);

/// The preview's selection reaches a sink as a print run's cards do (all first
/// without photos, then each with its photo) and changes nothing: numbers stay
/// provisional, statuses and the counter as they were, a request that would not
/// print is reported beside the sink's output, and none at all leaves it uncalled.
async fn a_selection_reaches_a_sink_card_by_card_and_changes_nothing(db: &TestDb) {
    let store = &db.store;
    let a = approved_request(store, new_request("Un", "A"), &fake_jpeg(3), ALICE, BOB).await;
    let b = approved_staff_request(store, "Deux", "B", ALICE, BOB).await;
    let pending = store
        .create_request(new_request("Pas", "Prêt"), ALICE)
        .await
        .unwrap();
    let ids = [a.request.id, pending.request.id, b.request.id];

    let failing = Recorder {
        fail_on: Some(1),
        ..Default::default()
    };
    let err = store
        .print_selection_into(&ids, ALICE, failing)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("card jammed"), "{err}");

    let outcome = store
        .print_selection_into(&ids, ALICE, Recorder::default())
        .await
        .unwrap();
    assert_eq!(
        outcome.rendered.unwrap(),
        vec![
            ("B000001".to_string(), Some(fake_jpeg(3))),
            ("B000002".to_string(), Some(fake_jpeg(1))),
        ]
    );
    assert_eq!(outcome.skipped.len(), 1);
    assert_eq!(outcome.skipped[0].request_id, pending.request.id);
    assert_eq!(outcome.skipped[0].reason, PrintSkipReason::NotApproved);
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 0);
    assert_eq!(status(store, a.request.id).await, RequestStatus::Approved);

    let nothing = store
        .print_selection_into(&[pending.request.id], ALICE, Recorder::default())
        .await
        .unwrap();
    assert_eq!(nothing.rendered, None, "the sink is not called");
    assert_eq!(nothing.skipped.len(), 1);

    // The numbers a print run gives are the ones the preview showed.
    let printed = store
        .print_batch_into(&ids, ALICE, None, None, Recorder::default())
        .await
        .unwrap();
    assert_eq!(printed.rendered.unwrap()[0].0, "B000001");
}
on_both!(a_selection_reaches_a_sink_card_by_card_and_changes_nothing);

async fn reprints_need_a_reason_and_are_audited(db: &TestDb) {
    let store = &db.store;
    let a = approved_staff_request(store, "Réimpression", "Zoé", ALICE, BOB).await;
    let id = a.request.id;
    store
        .print_batch(&[id], ALICE, None, |items| summary(&items))
        .await
        .unwrap();
    let printed = store.get_request(id).await.unwrap();
    let number = printed.badge.as_ref().unwrap().number.clone();

    // blank reasons are refused before anything happens
    let err = store
        .print_batch(&[id], ALICE, Some("  "), |items| summary(&items))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");

    let outcome = store
        .print_batch(&[id], BOB, Some("card jammed in the printer"), |items| {
            assert!(items[0].reprint);
            summary(&items)
        })
        .await
        .unwrap();
    assert_eq!(outcome.rendered.unwrap()[0].1, number, "same number again");
    assert!(outcome.printed[0].reprint);
    let after = store.get_request(id).await.unwrap();
    assert_eq!(
        after.request, printed.request,
        "a reprint changes no status"
    );
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 1);
    let audit = store.audit_for_request(id).await.unwrap();
    let reprint = audit.last().unwrap();
    assert_eq!(reprint.action, "reprint");
    assert_eq!(reprint.operator, BOB);
    assert_eq!(
        reprint.reason.as_deref(),
        Some("card jammed in the printer")
    );
    assert_eq!(reprint.after.as_ref().unwrap()["badgeNumber"], number);

    // recorded on its own (printed elsewhere)
    let err = store.record_reprint(id, ALICE, "").await.unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let recorded = store
        .record_reprint(id, ALICE, "second copy for the safe")
        .await
        .unwrap();
    assert_eq!(recorded.badge_number, number);
    let reprints = store
        .audit_for_request(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "reprint")
        .count();
    assert_eq!(reprints, 2);
    let other = approved_staff_request(store, "Jamais", "Imprimé", ALICE, BOB).await;
    let err = store
        .record_reprint(other.request.id, ALICE, "why not")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "print.not_reprintable");

    // a badge that no longer works is not reprinted
    let badge = after.badge.unwrap();
    store
        .badge_transition(
            badge.id,
            badge.version,
            sesame_core::BadgeAction::Oppose {
                cause: sesame_core::ReplacementCause::Lost,
            },
            BOB,
            Some("lost"),
        )
        .await
        .unwrap();
    let outcome = store
        .print_batch(&[id], ALICE, Some("again"), |items| summary(&items))
        .await
        .unwrap();
    assert!(outcome.rendered.is_none());
    assert_eq!(outcome.skipped[0].reason, PrintSkipReason::BadgeNotUsable);
    assert_eq!(outcome.skipped[0].detail.as_deref(), Some("opposed"));
}
on_both!(reprints_need_a_reason_and_are_audited);

async fn claims_zones_and_eligibility_are_respected(db: &TestDb) {
    let store = &db.store;
    let held = approved_staff_request(store, "Tenu", "Ailleurs", ALICE, BOB).await;
    let mine = approved_staff_request(store, "Tenu", "Ici", ALICE, BOB).await;
    let ended = approved_staff_request(store, "Fin", "Mission", ALICE, BOB).await;
    // another desk holds one; this desk holds the other (its own claim is fine)
    store
        .claim_for_print(&[held.request.id], BOB)
        .await
        .unwrap();
    store
        .claim_for_print(&[mine.request.id], ALICE)
        .await
        .unwrap();
    // the mission ended after approval
    let holder = store.get_holder(ended.holder.id).await.unwrap();
    let mut details = holder.details.clone();
    details.mission_end = Some(day(-1));
    store
        .update_holder(holder.id, holder.version, details, ALICE)
        .await
        .unwrap();
    // a zone-access request has no card
    let mut zone = new_request("Zone", "Only");
    zone.request = sesame_core::RequestDetails {
        zones: vec!["Labo 3".into()],
        previous_badge_id: None,
        ..sesame_core::RequestDetails::new(RequestKind::ZoneAccess)
    };
    let zone_id = store.create_request(zone, ALICE).await.unwrap().request.id;
    let mut v = store.get_request(zone_id).await.unwrap().request.version;
    for action in [RequestAction::Evaluate, RequestAction::Approve] {
        v = store
            .transition(zone_id, v, action, BOB, None)
            .await
            .unwrap()
            .request
            .version;
    }

    let ids = [held.request.id, mine.request.id, ended.request.id, zone_id];
    let preview = store.print_selection(&ids, ALICE, true).await.unwrap();
    assert_eq!(preview.items.len(), 1);
    assert!(preview.items[0].provisional_number);
    assert_eq!(preview.items[0].badge_number, "B000001");
    let outcome = store
        .print_batch(&ids, ALICE, None, |items| summary(&items))
        .await
        .unwrap();
    assert_eq!(outcome.rendered.unwrap().len(), 1);
    assert_eq!(outcome.printed[0].request_id, mine.request.id);
    let reasons: Vec<_> = outcome
        .skipped
        .iter()
        .map(|s| (s.request_id, s.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (held.request.id, PrintSkipReason::ClaimedByOther),
            (ended.request.id, PrintSkipReason::NotEligible),
            (zone_id, PrintSkipReason::NoCard),
        ]
    );
    assert_eq!(outcome.skipped[0].detail.as_deref(), Some(BOB));
    assert!(store
        .get_request(mine.request.id)
        .await
        .unwrap()
        .request
        .print_claim
        .is_none());
    assert_eq!(
        status(store, held.request.id).await,
        RequestStatus::Approved
    );
    assert_eq!(
        status(store, ended.request.id).await,
        RequestStatus::Approved
    );
    assert_eq!(status(store, zone_id).await, RequestStatus::Approved);
}
on_both!(claims_zones_and_eligibility_are_respected);

async fn preview_writes_nothing(db: &TestDb) {
    let store = &db.store;
    let a = approved_request(
        store,
        new_request("Aperçu", "Un"),
        &fake_jpeg(3),
        ALICE,
        BOB,
    )
    .await;
    let b = approved_staff_request(store, "Aperçu", "Deux", ALICE, BOB).await;
    store
        .print_batch(&[b.request.id], ALICE, None, |items| summary(&items))
        .await
        .unwrap();
    let audit_before = db.raw_count("SELECT COUNT(*) FROM audit_log").await;
    let selection = store
        .print_selection(&[a.request.id, b.request.id], ALICE, true)
        .await
        .unwrap();
    assert_eq!(selection.items.len(), 2);
    let (first, again) = (&selection.items[0], &selection.items[1]);
    assert!(first.provisional_number && first.badge_id.is_none() && !first.reprint);
    assert_eq!(first.badge_number, "B000002");
    assert_eq!(first.photo.as_ref().unwrap().bytes, fake_jpeg(3));
    assert!(again.reprint && !again.provisional_number);
    assert_eq!(again.badge_number, "B000001");
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    assert_eq!(status(store, a.request.id).await, RequestStatus::Approved);
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM badges").await, 1);
}
on_both!(preview_writes_nothing);

async fn two_desks_printing_overlapping_sets(db: &TestDb) {
    let store = &db.store;
    for round in 0..3 {
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(
                approved_staff_request(store, "Bureau", &format!("R{round}N{i}"), ALICE, BOB)
                    .await
                    .request
                    .id,
            );
        }
        let desk = |name: &'static str, mut ids: Vec<Uuid>, reverse: bool| {
            let store = store.clone();
            if reverse {
                ids.reverse();
            }
            tokio::spawn(async move {
                store
                    .print_batch(&ids, name, None, |items| {
                        // a slow printer widens the window where the other desk waits
                        std::thread::sleep(std::time::Duration::from_millis(30));
                        summary(&items)
                    })
                    .await
            })
        };
        let a = desk("desk-a", ids[..7].to_vec(), false);
        let b = desk("desk-b", ids[3..].to_vec(), true);
        let (a, b) = (a.await.unwrap().unwrap(), b.await.unwrap().unwrap());
        let mut printed: Vec<Uuid> = a
            .printed
            .iter()
            .chain(&b.printed)
            .map(|p| p.request_id)
            .collect();
        printed.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(printed, expected, "every request printed exactly once");
        // what one desk skipped, the other printed
        for (outcome, other) in [(&a, &b), (&b, &a)] {
            for s in &outcome.skipped {
                assert_eq!(s.reason, PrintSkipReason::AlreadyPrinted, "{s:?}");
                assert!(other.printed.iter().any(|p| p.request_id == s.request_id));
            }
        }
    }
    let mut numbers: Vec<String> = store
        .list_badges(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.badge.number)
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=30).map(|n| format!("B{n:06}")).collect();
    assert_eq!(numbers, expected, "no number given twice, none skipped");
}
on_both!(two_desks_printing_overlapping_sets);

async fn concurrent_print_claims_are_disjoint(db: &TestDb) {
    let store = &db.store;
    let mut ids = Vec::new();
    for i in 0..8 {
        ids.push(
            approved_staff_request(store, "Print", &format!("P{i}"), ALICE, BOB)
                .await
                .request
                .id,
        );
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
