//! Loan cards through the service, on a real desk and a real pcscd with a virtual
//! reader: the loan card read on the reader is lent in place of a forgotten badge
//! (suspended meanwhile), listed, returned; one not returned is ended by
//! housekeeping after its last day, which resumes the original.

use sesame_core::{BadgeStatus, ErrorCode};
use sesame_service::{
    get_policy, lend_card, open_loans, return_loan_card, run_housekeeping, save_policy,
    HousekeepingOptions, LendCardInput, LoanCardInput,
};
use sesame_test_support::card_reader::{VirtualReaders, READER_B};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};

fn lend(badge: &sesame_core::Badge, days: u32) -> LendCardInput {
    LendCardInput {
        badge_id: badge.id.into(),
        expected_version: badge.version,
        days,
        reason: "badge oublié à la maison".into(),
        typed_uid: None,
        read_card: false,
        reader: None,
    }
}

async fn desk_offering_loans() -> TestDesk {
    let desk = TestDesk::sqlite().await;
    let mut policy = get_policy(&desk).await.unwrap();
    for category in &mut policy.categories {
        category.temporary_badge_days = 3;
    }
    save_policy(&desk, policy).await.unwrap();
    desk
}

#[tokio::test]
async fn the_loan_card_on_the_reader_stands_in_until_it_comes_back() {
    let pcsc = VirtualReaders::start();
    let desk = desk_offering_loans().await;
    let zoe = desk
        .active_badge(request_for(holder_with_email("Oubli", "Zoé", None)))
        .await;
    let card = pcsc.lay_card(READER_B, "0A0B0C0D");
    let loan = lend_card(
        &desk,
        LendCardInput {
            read_card: true,
            ..lend(&zoe, 1)
        },
    )
    .await
    .unwrap();
    card.take_off();
    assert_eq!(loan.loan_badge.card_serial.as_deref(), Some("0A0B0C0D"));
    assert_eq!(loan.original.status, BadgeStatus::Suspended);
    assert_eq!(loan.loan.due_on, desk.clock.today());
    assert_eq!(
        open_loans(&desk).await.unwrap(),
        std::slice::from_ref(&loan)
    );

    let back = return_loan_card(
        &desk,
        LoanCardInput {
            loan_badge_id: loan.loan_badge.id.into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(back.original.status, BadgeStatus::Active);
    assert!(open_loans(&desk).await.unwrap().is_empty());
    desk.finish().await;
}

#[tokio::test]
async fn housekeeping_ends_a_loan_after_its_last_day_and_the_card_reading_can_fail_cleanly() {
    let desk = desk_offering_loans().await;
    let zoe = desk
        .active_badge(request_for(holder_with_email("Parti", "Zoé", None)))
        .await;
    // Typed UID checked first: a typo lends nothing.
    let typo = LendCardInput {
        typed_uid: Some("0A0B0C".into()),
        ..lend(&zoe, 2)
    };
    assert_eq!(
        lend_card(&desk, typo).await.unwrap_err().code(),
        "card.bad_uid"
    );
    assert!(open_loans(&desk).await.unwrap().is_empty());
    let loan = lend_card(&desk, lend(&zoe, 2)).await.unwrap();
    assert_eq!(loan.loan_badge.card_serial, None);

    let today = desk.clock.today();
    let last_day = desk.desk_on(today + chrono::Days::new(1)).await;
    let report = run_housekeeping(&last_day, HousekeepingOptions { dry_run: false })
        .await
        .unwrap();
    assert!(report.loans_ended.is_empty(), "still its last day");
    let after = desk.desk_on(today + chrono::Days::new(2)).await;
    let report = run_housekeeping(&after, HousekeepingOptions { dry_run: false })
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.failures);
    assert_eq!(report.loans_ended.len(), 1);
    assert_eq!(report.loans_ended[0].original.status, BadgeStatus::Active);
    // The loan badge went with the expiry step (its validity ended), the loan after it.
    assert!(report
        .expired
        .iter()
        .any(|b| b.badge_number == loan.loan_badge.number));
    desk.finish().await;
}
