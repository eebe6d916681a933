//! Operators at real desks (SQLite, and PostgreSQL when `SESAME_TEST_PG_URL` is set):
//! the first desk supervises, clerks are refused sensitive actions until a
//! supervisor countersigns with their PIN, the idle lock opens only with the
//! operator's PIN, and a reprint needs a supervisor.

use sesame_core::{AuditEntity, ErrorCode, OperatorRole};
use sesame_service::{
    add_operator, countersign, desk_session, end_countersign, get_request, list_operators,
    lock_desk, print_badges, request_history, reset_operator_pin, set_operator_active,
    set_operator_role, set_own_pin, sign_in, unlock_desk, AddOperatorInput, CountersignInput,
    RequestId, SensitiveAction, SetPinInput, SignInInput,
};
use sesame_test_support::desk::{a4_print_job, print_to_file, TestDesk};
use sesame_test_support::fixtures::new_request;

fn sign_in_input(name: &str, pin: &str) -> SignInInput {
    SignInInput {
        name: name.to_owned(),
        pin: pin.to_owned(),
    }
}

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
        assert!(alice.require_supervisor(action, "any").is_ok());
        let err = bob.require_supervisor(action, "any").unwrap_err();
        assert_eq!(err.code(), "operator.supervisor_required");
        assert!(err.to_string().contains(action.as_str()), "{err}");
    }
    let err = add_operator(
        &bob,
        AddOperatorInput {
            name: "mallory".into(),
            display_name: "Mallory".into(),
            role: OperatorRole::Supervisor,
            pin: "999999".into(),
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
            pin: "123456".into(),
            action: SensitiveAction::Reprint,
            target: "badges:X".into(),
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
            action: SensitiveAction::ManageOperators,
            target: "operator:bob".into(),
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
            action: SensitiveAction::ManageOperators,
            target: "operator:bob".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    set_own_pin(&bob, pin_input(None, "555555")).await.unwrap();
    let err = countersign(
        &bob,
        CountersignInput {
            supervisor: "bob".into(),
            pin: "555555".into(),
            action: SensitiveAction::ManageOperators,
            target: "operator:bob".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.not_supervisor");
    assert!(bob
        .require_supervisor(SensitiveAction::Reprint, "any")
        .is_err());

    // Alice countersigns one reprint of one badge at Bob's desk: that action on that
    // target, once, audited.
    let session = countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "482194".into(),
            action: SensitiveAction::Reprint,
            target: "badges:B-1".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(session.countersigned_by.as_deref(), Some("alice"));
    assert_eq!(session.countersign_action, Some(SensitiveAction::Reprint));
    assert_eq!(session.countersign_target.as_deref(), Some("badges:B-1"));
    let until = session.countersign_until.unwrap();
    let left = (until - bob.clock().now()).num_seconds();
    assert!((290..=300).contains(&left), "{left}");
    // Another badge, or another action on the same one, is not covered.
    let err = bob
        .require_supervisor(SensitiveAction::Reprint, "badges:B-2")
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert_eq!(
        err.countersign_need(),
        Some(sesame_core::CountersignNeed {
            action: "reprint".into(),
            target: "badges:B-2".into()
        })
    );
    assert!(bob
        .require_supervisor(SensitiveAction::Purge, "badges:B-1")
        .is_err());
    // The countersigned one passes once, and only once.
    assert!(bob
        .require_supervisor(SensitiveAction::Reprint, "badges:B-1")
        .is_ok());
    assert!(bob
        .require_supervisor(SensitiveAction::Reprint, "badges:B-1")
        .is_err());
    assert_eq!(desk_session(&bob).await.unwrap().countersigned_by, None);
    // No desk screen shows an operator's own audit: read it below the desk.
    let store = alice.store().await;
    let audit = store.audit_for(AuditEntity::Operator, "bob").await.unwrap();
    store.close().await;
    let signed = audit.iter().find(|a| a.action == "countersign").unwrap();
    assert_eq!(signed.operator, "alice");
    assert_eq!(signed.after.as_ref().unwrap()["action"], "reprint");
    assert_eq!(signed.after.as_ref().unwrap()["target"], "badges:B-1");
    assert_eq!(signed.after.as_ref().unwrap()["deskOperator"], "bob");

    // A countersign for adding an operator does not let the clerk promote themself.
    countersign(
        &bob,
        CountersignInput {
            supervisor: "alice".into(),
            pin: "482194".into(),
            action: SensitiveAction::ManageOperators,
            target: "operator:newcomer".into(),
        },
    )
    .await
    .unwrap();
    let err = set_operator_role(&bob, "bob".into(), OperatorRole::Supervisor)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    end_countersign(&bob).await.unwrap();
    assert!(bob
        .require_supervisor(SensitiveAction::ManageOperators, "operator:newcomer")
        .is_err());

    // Idle lock: nothing is done until the operator's own PIN unlocks.
    let session = lock_desk(&alice).await.unwrap();
    assert!(session.locked);
    assert_eq!(
        alice
            .require_supervisor(SensitiveAction::Purge, "any")
            .unwrap_err()
            .code(),
        "operator.desk_locked"
    );
    assert_eq!(
        alice.require_signed_in().unwrap_err().code(),
        "operator.desk_locked"
    );
    let err = unlock_desk(&alice, "555555".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_wrong");
    assert!(desk_session(&alice).await.unwrap().locked);
    let session = unlock_desk(&alice, "482194".into()).await.unwrap();
    assert!(!session.locked);
    assert!(alice
        .require_supervisor(SensitiveAction::Purge, "any")
        .is_ok());

    // Alice manages operators: promote Bob; Bob's desk sees it on its next session read.
    let added = add_operator(
        &alice,
        AddOperatorInput {
            name: "cmartin".into(),
            display_name: "Claire Martin".into(),
            role: OperatorRole::Clerk,
            pin: "246813".into(),
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
        .require_supervisor(SensitiveAction::ManageOperators, "any")
        .is_ok());
    // A forgotten PIN is replaced by one the supervisor gives.
    let err = reset_operator_pin(&bob, "cmartin".into(), "12".into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.pin_invalid");
    reset_operator_pin(&bob, "cmartin".into(), "864200".into())
        .await
        .unwrap();
    let claire_desk = alice.signed_out_desk().await;
    sign_in(&claire_desk, sign_in_input("cmartin", "864200"))
        .await
        .unwrap();
    set_operator_active(&bob, "cmartin".into(), false)
        .await
        .unwrap();
    let listed = list_operators(&alice).await.unwrap();
    let claire = listed.iter().find(|o| o.name == "cmartin").unwrap();
    assert!(!claire.active && claire.has_pin);

    // A deactivated operator cannot sign in, and their open desk loses its rights.
    let other = alice.signed_out_desk().await;
    let err = sign_in(&other, sign_in_input("cmartin", "864200"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.inactive");
    assert_eq!(
        desk_session(&claire_desk).await.unwrap().role,
        OperatorRole::Clerk
    );
    other.close().await;
    claire_desk.close().await;

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
    set_own_pin(&alice, pin_input(None, "739104"))
        .await
        .unwrap();
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
            pin: "739104".into(),
            action: SensitiveAction::Reprint,
            target: format!("badges:{number}"),
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
    set_own_pin(&alice, pin_input(None, "864200"))
        .await
        .unwrap();
    lock_desk(&alice).await.unwrap();
    for _ in 0..4 {
        let err = unlock_desk(&alice, "000000".into()).await.unwrap_err();
        assert_eq!(err.code(), "operator.pin_wrong");
    }
    let err = unlock_desk(&alice, "000000".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    alice.close().await;

    // Reopening the app does not reset the lock, and the right PIN waits too.
    let reopened = alice.another_desk("alice").await;
    lock_desk(&reopened).await.unwrap();
    let err = unlock_desk(&reopened, "864200".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    assert!(reopened
        .require_supervisor(SensitiveAction::Purge, "any")
        .is_err());
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
