//! Operators at real desks (SQLite, and PostgreSQL when `SESAME_TEST_PG_URL` is set):
//! the first desk supervises, clerks are refused sensitive actions until a
//! supervisor countersigns with their PIN, the idle lock opens only with the
//! operator's PIN, and a reprint needs a supervisor.

use sesame_core::{AuditEntity, ErrorCode, OperatorRole};
use sesame_service::{
    add_operator, countersign, desk_session, end_countersign, get_request, list_operators,
    lock_desk, print_badges, request_history, reset_operator_pin, set_operator_active,
    set_operator_role, set_own_pin, unlock_desk, AddOperatorInput, CountersignInput, Desk,
    RequestId, SensitiveAction, SetPinInput,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::new_request;

fn pin_input(current: Option<&str>, new: &str) -> SetPinInput {
    SetPinInput {
        current_pin: current.map(str::to_owned),
        new_pin: new.to_owned(),
    }
}

/// The whole operator story on one queue, as two desks see it.
async fn roles_countersign_and_lock(alice: TestDesk) {
    let bob = alice.another_desk("bob").await;
    assert_eq!(
        alice.role(),
        OperatorRole::Supervisor,
        "the first desk of a queue supervises"
    );
    assert_eq!(bob.role(), OperatorRole::Clerk);

    // Every sensitive action is refused to a clerk, with a code naming the action.
    for action in SensitiveAction::ALL {
        assert!(alice.require_supervisor(action).is_ok());
        let err = bob.require_supervisor(action).unwrap_err();
        assert_eq!(err.code(), "operator.supervisor_required");
        assert!(err.to_string().contains(action.as_str()), "{err}");
    }
    let err = add_operator(
        &bob,
        AddOperatorInput {
            name: "mallory".into(),
            display_name: "Mallory".into(),
            role: OperatorRole::Supervisor,
            pin: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");

    // A supervisor without a PIN cannot countersign.
    let err = countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "1234".into(),
            action: Some(SensitiveAction::Reprint),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.pin_not_set");

    let err = set_own_pin(&alice, pin_input(None, "12"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.pin_invalid");
    let session = set_own_pin(&alice, pin_input(None, "482193"))
        .await
        .unwrap();
    assert!(session.has_pin);
    // Changing it needs the current one.
    let err = set_own_pin(&alice, pin_input(Some("000000"), "111111"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    set_own_pin(&alice, pin_input(Some("482193"), "482194"))
        .await
        .unwrap();

    // Wrong PIN, unknown name and a clerk's own PIN do not countersign.
    let err = countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "482193".into(),
            action: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    let err = countersign(
        &bob,
        CountersignInput {
            supervisor: "nobody".into(),
            pin: "482194".into(),
            action: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    set_own_pin(&bob, pin_input(None, "5555")).await.unwrap();
    let err = countersign(
        &bob,
        CountersignInput {
            supervisor: "bob".into(),
            pin: "5555".into(),
            action: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.not_supervisor");
    assert!(bob.require_supervisor(SensitiveAction::Reprint).is_err());

    // Alice countersigns one reprint at Bob's desk: that action only, audited.
    let session = countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "482194".into(),
            action: Some(SensitiveAction::Reprint),
        },
    )
    .await
    .unwrap();
    assert_eq!(session.countersigned_by.as_deref(), Some("alice"));
    assert_eq!(session.countersign_action, Some(SensitiveAction::Reprint));
    let until = session.countersign_until.unwrap();
    let left = (until - bob.clock().now()).num_seconds();
    assert!((290..=300).contains(&left), "{left}");
    assert!(bob.require_supervisor(SensitiveAction::Reprint).is_ok());
    assert_eq!(
        bob.require_supervisor(SensitiveAction::Purge)
            .unwrap_err()
            .code(),
        "operator.supervisor_required"
    );
    // No desk screen shows an operator's own audit: read it below the desk.
    let store = alice.store().await;
    let audit = store.audit_for(AuditEntity::Operator, "bob").await.unwrap();
    store.close().await;
    let signed = audit.iter().find(|a| a.action == "countersign").unwrap();
    assert_eq!(signed.operator, "alice");
    assert_eq!(signed.after.as_ref().unwrap()["action"], "reprint");
    assert_eq!(signed.after.as_ref().unwrap()["deskOperator"], "bob");
    end_countersign(&bob).await.unwrap();
    assert!(bob.require_supervisor(SensitiveAction::Reprint).is_err());

    // Idle lock: sensitive actions wait; only the operator's own PIN unlocks.
    let session = lock_desk(&alice).await.unwrap();
    assert!(session.locked);
    assert_eq!(
        alice
            .require_supervisor(SensitiveAction::Purge)
            .unwrap_err()
            .code(),
        "operator.desk_locked"
    );
    let err = unlock_desk(&alice, "5555".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    assert!(desk_session(&alice).await.unwrap().locked);
    let session = unlock_desk(&alice, "482194".into()).await.unwrap();
    assert!(!session.locked);
    assert!(alice.require_supervisor(SensitiveAction::Purge).is_ok());

    // Alice manages operators: promote Bob; Bob's desk sees it on its next session read.
    let added = add_operator(
        &alice,
        AddOperatorInput {
            name: "cmartin".into(),
            display_name: "Claire Martin".into(),
            role: OperatorRole::Clerk,
            pin: Some("2468".into()),
        },
    )
    .await
    .unwrap();
    assert!(added.has_pin);
    set_operator_role(&alice, "bob".into(), OperatorRole::Supervisor)
        .await
        .unwrap();
    assert_eq!(
        desk_session(&bob).await.unwrap().role,
        OperatorRole::Supervisor
    );
    assert!(bob
        .require_supervisor(SensitiveAction::ManageOperators)
        .is_ok());
    reset_operator_pin(&bob, "cmartin".into()).await.unwrap();
    set_operator_active(&bob, "cmartin".into(), false)
        .await
        .unwrap();
    let listed = list_operators(&alice).await.unwrap();
    let claire = listed.iter().find(|o| o.name == "cmartin").unwrap();
    assert!(!claire.active && !claire.has_pin);

    // A deactivated operator cannot open a desk.
    let err = Desk::open_with(alice.options_as("cmartin"))
        .await
        .err()
        .expect("deactivated operator refused");
    assert_eq!(err.code(), "operator.inactive");

    bob.close().await;
    alice.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_roles_countersign_and_lock() {
    roles_countersign_and_lock(TestDesk::sqlite_as("alice").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_roles_countersign_and_lock() {
    let Some(alice) = TestDesk::postgres_as("alice").await else {
        return;
    };
    roles_countersign_and_lock(alice).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_prints_but_reprints_only_with_a_countersign() {
    let alice = TestDesk::sqlite_as("alice").await;
    set_own_pin(&alice, pin_input(None, "7391")).await.unwrap();
    let bob = alice.another_desk("bob").await;
    let id: RequestId = alice
        .approved(new_request("Moreau", "Inès"))
        .await
        .request
        .id
        .into();

    // A first print is everyday work.
    let first = alice.file("first.pdf");
    print_badges(&bob, print_to_file(a4_print_job(&[id], None), &first))
        .await
        .unwrap();
    let number = get_request(&bob, id).await.unwrap().badge.unwrap().number;

    // A reprint is not, even with a reason; nothing is written when refused.
    let again = alice.file("again.pdf");
    let reprint = || print_to_file(a4_print_job(&[id], Some("card damaged")), &again);
    let err = print_badges(&bob, reprint()).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("reprint"));
    assert!(!again.exists());
    let history = request_history(&bob, id).await.unwrap();
    assert!(!history.iter().any(|a| a.action == "reprint"));

    countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "7391".into(),
            action: Some(SensitiveAction::Reprint),
        },
    )
    .await
    .unwrap();
    let outcome = print_badges(&bob, reprint()).await.unwrap().outcome;
    assert!(again.exists());
    assert_eq!(outcome.printed.len(), 1);
    assert!(outcome.printed[0].reprint);
    assert_eq!(outcome.printed[0].badge_number, number);
    let history = request_history(&bob, id).await.unwrap();
    let reprint = history.iter().find(|a| a.action == "reprint").unwrap();
    assert_eq!(reprint.operator, "bob");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_pins_lock_the_pin_across_restarts() {
    let alice = TestDesk::sqlite_as("alice").await;
    set_own_pin(&alice, pin_input(None, "8642")).await.unwrap();
    lock_desk(&alice).await.unwrap();
    for _ in 0..4 {
        let err = unlock_desk(&alice, "0000".into()).await.unwrap_err();
        assert_eq!(err.code(), "operator.pin_wrong");
    }
    let err = unlock_desk(&alice, "0000".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    alice.close().await;

    // Reopening the app does not reset the lock, and the right PIN waits too.
    let reopened = alice.another_desk("alice").await;
    lock_desk(&reopened).await.unwrap();
    let err = unlock_desk(&reopened, "8642".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    assert!(reopened.require_supervisor(SensitiveAction::Purge).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_needs_a_pin_and_policy_carries_the_delay() {
    let alice = TestDesk::sqlite_as("alice").await;
    let err = lock_desk(&alice).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_not_set");
    assert_eq!(desk_session(&alice).await.unwrap().lock_after_minutes, 0);

    let mut policy = sesame_service::get_policy(&alice).await.unwrap();
    policy.lock_after_minutes = 10;
    sesame_service::save_policy(&alice, policy.clone())
        .await
        .unwrap();
    assert_eq!(desk_session(&alice).await.unwrap().lock_after_minutes, 10);
    policy.lock_after_minutes = 100_000;
    let err = sesame_service::save_policy(&alice, policy)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "settings.invalid_rules");

    // A clerk cannot change the settings.
    let bob = alice.another_desk("bob").await;
    let mut policy = sesame_service::get_policy(&bob).await.unwrap();
    policy.lock_after_minutes = 0;
    let err = sesame_service::save_policy(&bob, policy).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
}
