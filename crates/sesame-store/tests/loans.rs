//! Loan cards, each test on SQLite and on PostgreSQL: lent in place of an active
//! badge (suspended meanwhile), refused when the category offers none, for too many
//! days or a second time; the card comes back (the original works again) or its
//! last day passes (housekeeping ends it); the loan card's UID follows the card rules.

use sesame_core::{AuditEntity, BadgeStatus, ErrorCode};
use sesame_store::{LoanEnd, LoanInput};
use sesame_test_support::fixtures::active_badge;
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn loan_of(badge: &sesame_core::Badge, days: u32, card: Option<&str>) -> LoanInput {
    LoanInput {
        original_badge_id: badge.id,
        expected_version: badge.version,
        days,
        reason: "badge oublié".into(),
        card_serial: card.map(str::to_owned),
    }
}

async fn a_loan_card_stands_in_until_it_comes_back(db: &TestDb) {
    let store = &db.store;
    let zoe = active_badge(store, "Oubli", &["Bât A"], ALICE).await;
    // The category offers no temporary badge yet: no loan either.
    let refused = store.lend_card(&loan_of(&zoe, 1, None), ALICE).await;
    assert_eq!(refused.unwrap_err().code(), "opposition.no_temporary_badge");
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].temporary_badge_days = 5; // staff
    store.set_policy(&policy, ALICE).await.unwrap();
    let too_long = store.lend_card(&loan_of(&zoe, 6, None), ALICE).await;
    assert_eq!(too_long.unwrap_err().code(), "loan.bad_days");
    assert_eq!(
        store.get_badge(zoe.id).await.unwrap().status,
        BadgeStatus::Active
    );

    let loan = store
        .lend_card(&loan_of(&zoe, 2, Some("04A224B2C35E80")), ALICE)
        .await
        .unwrap();
    assert_eq!(loan.original.status, BadgeStatus::Suspended);
    assert_eq!(loan.loan_badge.status, BadgeStatus::Active);
    assert_ne!(loan.loan_badge.number, zoe.number);
    assert_eq!(loan.loan_badge.zones, ["Bât A"]);
    assert_eq!(loan.loan_badge.valid_from, day(0));
    assert_eq!(
        (loan.loan_badge.valid_until, loan.loan.due_on),
        (day(1), day(1))
    );
    assert_eq!(
        loan.loan_badge.card_serial.as_deref(),
        Some("04A224B2C35E80")
    );
    assert_eq!(
        (loan.family_name.as_str(), loan.given_names.as_str()),
        ("Oubli", "Zoé")
    );
    assert_eq!(
        store.open_loans().await.unwrap(),
        std::slice::from_ref(&loan)
    );
    // One loan out at a time, and only for an active badge.
    let again = store
        .lend_card(&loan_of(&loan.original, 1, None), ALICE)
        .await
        .unwrap_err();
    assert_eq!(again.code(), "loan.badge_not_active");
    // Nor in place of the loan card itself (the holder would get two cards).
    let nested = store
        .lend_card(&loan_of(&loan.loan_badge, 1, None), ALICE)
        .await
        .unwrap_err();
    assert_eq!(nested.code(), "loan.of_loan_card");
    let history = store
        .audit_for(AuditEntity::Badge, &loan.loan_badge.id.to_string())
        .await
        .unwrap();
    assert!(history
        .iter()
        .any(|e| e.action == "lend_card" && e.reason.as_deref() == Some("badge oublié")));

    // Back at the desk: returned, the original works again, the card is free.
    let back = store
        .return_loan_card(loan.loan_badge.id, BOB)
        .await
        .unwrap();
    assert_eq!(back.loan.ended_how, Some(LoanEnd::Returned));
    assert_eq!(back.loan.ended_by.as_deref(), Some(BOB));
    assert_eq!(back.loan_badge.status, BadgeStatus::Returned);
    assert_eq!(back.original.status, BadgeStatus::Active);
    assert!(store.open_loans().await.unwrap().is_empty());
    let twice = store.return_loan_card(loan.loan_badge.id, BOB).await;
    assert_eq!(twice.unwrap_err().code(), "loan.not_a_loan");

    // The same loan card, lent again to someone else the next time.
    let anne = active_badge(store, "Autre", &[], ALICE).await;
    let next = store
        .lend_card(&loan_of(&anne, 1, Some("04A224B2C35E80")), ALICE)
        .await
        .unwrap();
    assert_eq!(
        next.loan_badge.card_serial.as_deref(),
        Some("04A224B2C35E80")
    );
    // While it is out, no other badge may take that card.
    let paul = active_badge(store, "Troisieme", &[], ALICE).await;
    let taken = store
        .lend_card(&loan_of(&paul, 1, Some("04A224B2C35E80")), ALICE)
        .await
        .unwrap_err();
    assert_eq!(taken.code(), "badge.card_serial_taken");
    assert_eq!(
        store.get_badge(paul.id).await.unwrap().status,
        BadgeStatus::Active
    );
}
on_both!(a_loan_card_stands_in_until_it_comes_back);

async fn housekeeping_ends_the_loans_past_their_last_day(db: &TestDb) {
    let store = &db.store;
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].temporary_badge_days = 5;
    store.set_policy(&policy, ALICE).await.unwrap();
    let zoe = active_badge(store, "Echeance", &[], ALICE).await;
    let loan = store
        .lend_card(&loan_of(&zoe, 2, None), ALICE)
        .await
        .unwrap();
    // A second loan whose card was declared lost: it stays blocked, the loan ends.
    let paul = active_badge(store, "Perdue", &[], ALICE).await;
    let lost = store
        .lend_card(&loan_of(&paul, 2, None), ALICE)
        .await
        .unwrap();
    store
        .badge_transition(
            lost.loan_badge.id,
            lost.loan_badge.version,
            sesame_core::BadgeAction::Oppose {
                cause: sesame_core::ReplacementCause::Lost,
            },
            ALICE,
            Some("carte de prêt perdue"),
        )
        .await
        .unwrap();

    // On its last day the loan still stands.
    assert!(store
        .end_due_loans(day(1), "housekeeping", false)
        .await
        .unwrap()
        .is_empty());
    let planned = store
        .end_due_loans(day(2), "housekeeping", true)
        .await
        .unwrap();
    assert_eq!(planned.len(), 2);
    assert_eq!(
        store.open_loans().await.unwrap().len(),
        2,
        "a dry run changes nothing"
    );
    let ended = store
        .end_due_loans(day(2), "housekeeping", false)
        .await
        .unwrap();
    assert_eq!(ended.len(), 2);
    let ended_of = |id| ended.iter().find(|l| l.original.id == id).unwrap();
    let zoe_loan = ended_of(loan.original.id);
    assert_eq!(zoe_loan.loan.ended_how, Some(LoanEnd::Expired));
    assert_eq!(zoe_loan.loan_badge.status, BadgeStatus::Expired);
    assert_eq!(zoe_loan.original.status, BadgeStatus::Active);
    let paul_loan = ended_of(paul.id);
    assert_eq!(paul_loan.loan_badge.status, BadgeStatus::Opposed);
    assert_eq!(paul_loan.original.status, BadgeStatus::Active);
    let history = store
        .audit_for(AuditEntity::Badge, &zoe.id.to_string())
        .await
        .unwrap();
    let resumed = history
        .iter()
        .find(|e| e.action == "resume")
        .expect("resumed");
    assert_eq!(resumed.reason.as_deref(), Some("loan card expired"));
    assert!(store
        .end_due_loans(day(3), "housekeeping", false)
        .await
        .unwrap()
        .is_empty());
}
on_both!(housekeeping_ends_the_loans_past_their_last_day);
