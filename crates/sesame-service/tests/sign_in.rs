//! Operators prove who they are (SQLite, and PostgreSQL when `SESAME_TEST_PG_URL`
//! is set): a desk opens with nobody signed in and refuses everything until an
//! operator signs in with their PIN; a new queue first sets up its supervisor;
//! wrong PINs lock the PIN for longer and longer, decided after the hash so that
//! parallel tries cannot slip past; the housekeeping account runs housekeeping
//! and nothing else.

use sesame_core::{AuditEntity, ErrorCode, OperatorRole};
use sesame_service::{
    add_operator, create_request, desk_session, lock_desk, retention_plan, run_housekeeping,
    set_own_pin, set_up_first_supervisor, set_up_housekeeping_token, sign_in, sign_in_housekeeping,
    sign_in_state, sign_out, unlock_desk, AddOperatorInput, Desk, FirstSupervisorInput,
    HousekeepingOptions, SensitiveAction, SetPinInput, SignInInput, HOUSEKEEPING_ACCOUNT,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::new_request;

fn creds(name: &str, pin: &str) -> SignInInput {
    SignInInput {
        name: name.to_owned(),
        pin: pin.to_owned(),
    }
}

async fn with_pin(desk: &Desk, pin: &str) {
    set_own_pin(
        desk,
        SetPinInput {
            current_pin: None,
            new_pin: pin.to_owned(),
        },
    )
    .await
    .unwrap();
}

/// A desk opened as the app opens reads and writes nothing until someone signs in.
async fn nothing_before_sign_in(alice: TestDesk) {
    with_pin(&alice, "482193").await;
    let desk = alice.signed_out_desk().await;
    let state = sign_in_state(&desk).await.unwrap();
    assert!(!state.setup_needed);
    assert_eq!(state.signed_in, None);
    assert_eq!(
        desk.require_signed_in().unwrap_err().code(),
        "operator.sign_in_required"
    );
    assert_eq!(
        desk_session(&desk).await.unwrap_err().code(),
        "operator.sign_in_required"
    );
    let err = create_request(&desk, new_request("Moreau", "Inès"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.sign_in_required");
    for action in SensitiveAction::ALL {
        assert_eq!(
            desk.require_supervisor(action, "retention")
                .unwrap_err()
                .code(),
            "operator.sign_in_required"
        );
    }

    // A name alone is no proof; an unknown name answers like a wrong PIN.
    for (name, pin) in [("alice", "000000"), ("nobody", "482193"), ("alice", "")] {
        let err = sign_in(&desk, creds(name, pin)).await.unwrap_err();
        assert_eq!(err.code(), "operator.pin_wrong", "{name}");
    }
    assert!(desk.operator().is_none());

    let session = sign_in(&desk, creds("alice", "482193")).await.unwrap();
    assert_eq!(session.operator, "alice");
    assert_eq!(session.role, OperatorRole::Supervisor);
    assert_eq!(desk.require_signed_in().unwrap(), "alice");
    create_request(&desk, new_request("Moreau", "Inès"))
        .await
        .unwrap();
    let store = alice.store().await;
    let audit = store
        .audit_for(AuditEntity::Operator, "alice")
        .await
        .unwrap();
    store.close().await;
    assert!(audit.iter().any(|a| a.action == "sign_in"));

    // The lock holds for every command, and only the same PIN lifts it.
    lock_desk(&desk).await.unwrap();
    assert_eq!(
        desk.require_signed_in().unwrap_err().code(),
        "operator.desk_locked"
    );
    let err = create_request(&desk, new_request("Petit", "Jules"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.desk_locked");
    unlock_desk(&desk, "482193".into()).await.unwrap();

    // Signing out ends it; a clerk signing in next gets a clerk's rights.
    let state = sign_out(&desk).await.unwrap();
    assert_eq!(state.signed_in, None);
    assert_eq!(state.suggested_operator, "alice");
    assert_eq!(
        desk.require_signed_in().unwrap_err().code(),
        "operator.sign_in_required"
    );
    add_operator(
        &alice,
        AddOperatorInput {
            name: "bob".into(),
            display_name: "Bob".into(),
            role: OperatorRole::Clerk,
            pin: "135790".into(),
        },
    )
    .await
    .unwrap();
    sign_in(&desk, creds("bob", "135790")).await.unwrap();
    assert_eq!(
        desk.require_supervisor(SensitiveAction::Purge, "retention")
            .unwrap_err()
            .code(),
        "operator.supervisor_required"
    );
    desk.close().await;
    alice.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_nothing_before_sign_in() {
    nothing_before_sign_in(TestDesk::sqlite_as("alice").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_nothing_before_sign_in() {
    let Some(alice) = TestDesk::postgres_as("alice").await else {
        return;
    };
    nothing_before_sign_in(alice).await;
}

/// A new queue opens on its first supervisor's setup, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_queue_sets_up_its_first_supervisor_once() {
    let site = TestDesk::sqlite_as("setup-helper").await;
    // The helper desk registered itself without a PIN: nobody can sign in yet.
    let desk = site.signed_out_desk().await;
    assert!(sign_in_state(&desk).await.unwrap().setup_needed);
    let first = FirstSupervisorInput {
        name: "claire".into(),
        display_name: "Claire Martin".into(),
        pin: "1234".into(),
    };
    let err = set_up_first_supervisor(&desk, first.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.pin_invalid");
    let session = set_up_first_supervisor(
        &desk,
        FirstSupervisorInput {
            pin: "975310".into(),
            ..first.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(session.operator, "claire");
    assert_eq!(session.role, OperatorRole::Supervisor);
    assert!(!sign_in_state(&desk).await.unwrap().setup_needed);

    // Nobody else sets themself up afterwards, from this window or another.
    let other = site.signed_out_desk().await;
    let err = set_up_first_supervisor(
        &other,
        FirstSupervisorInput {
            name: "mallory".into(),
            display_name: "Mallory".into(),
            pin: "111111".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.setup_done");
    assert_eq!(
        other.require_signed_in().unwrap_err().code(),
        "operator.sign_in_required"
    );
    other.close().await;
    desk.close().await;
    site.finish().await;
}

/// Twelve wrong PINs sent at once: the lock set by the fifth holds for every try
/// recorded after it, and then for the right PIN too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_tries_do_not_slip_past_the_lock() {
    let alice = TestDesk::sqlite_as("alice").await;
    with_pin(&alice, "482193").await;
    let desk = std::sync::Arc::new(alice.signed_out_desk().await);
    let mut tries = Vec::new();
    for i in 0..12 {
        let desk = desk.clone();
        tries.push(tokio::spawn(async move {
            sign_in(&desk, creds("alice", &format!("{:06}", 100_000 + i)))
                .await
                .unwrap_err()
                .code()
        }));
    }
    let mut codes = Vec::new();
    for t in tries {
        codes.push(t.await.unwrap());
    }
    assert_eq!(
        codes.iter().filter(|c| **c == "operator.pin_wrong").count(),
        4,
        "{codes:?}"
    );
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "operator.pin_locked")
            .count(),
        8,
        "{codes:?}"
    );
    let err = sign_in(&desk, creds("alice", "482193")).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    assert!(desk.operator().is_none());

    // The lock grows with the failures: twelve wrong PINs lock for far more than
    // the first five minutes.
    let store = alice.store().await;
    let record = store.operator("alice").await.unwrap().unwrap();
    store.close().await;
    let minutes = (record.pin_locked_until.unwrap() - alice.clock().now()).num_minutes();
    assert!(minutes >= 5 * 2i64.pow(6), "{minutes}");
}

/// The unattended housekeeping run proves itself with its token, runs housekeeping
/// (its purge included) and nothing else sensitive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_housekeeping_account_runs_housekeeping_only() {
    let alice = TestDesk::sqlite_as("alice").await;
    let desk = alice.signed_out_desk().await;
    let err = sign_in_housekeeping(&desk, "anything").await.unwrap_err();
    assert_eq!(err.code(), "operator.housekeeping_token_invalid");

    let bob = alice.another_desk("bob").await;
    let err = set_up_housekeeping_token(&bob).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    let token = set_up_housekeeping_token(&alice).await.unwrap();
    assert!(token.len() >= 64);
    let err = sign_in_housekeeping(&desk, "0000").await.unwrap_err();
    assert_eq!(err.code(), "operator.housekeeping_token_invalid");

    sign_in_housekeeping(&desk, &format!("{token}\n"))
        .await
        .unwrap();
    assert_eq!(desk.operator().as_deref(), Some(HOUSEKEEPING_ACCOUNT));
    let report = run_housekeeping(&desk, HousekeepingOptions { dry_run: false })
        .await
        .unwrap();
    assert!(report.ok(), "{:?}", report.failures);
    assert_eq!(report.operator, HOUSEKEEPING_ACCOUNT);
    retention_plan(&desk).await.unwrap();
    for action in SensitiveAction::ALL {
        let allowed = desk.require_supervisor(action, "retention");
        if action == SensitiveAction::Purge {
            assert!(allowed.is_ok());
        } else {
            assert_eq!(allowed.unwrap_err().code(), "operator.housekeeping_only");
        }
    }
    // A new token replaces the old one.
    let newer = set_up_housekeeping_token(&alice).await.unwrap();
    assert_ne!(newer, token);
    let again = alice.signed_out_desk().await;
    let err = sign_in_housekeeping(&again, &token).await.unwrap_err();
    assert_eq!(err.code(), "operator.housekeeping_token_invalid");
    again.close().await;
    desk.close().await;
    bob.close().await;
}

/// The intake draft (a holder half typed) lives in the desk's memory for the
/// operator signed in: gone when the desk locks or they sign out, never another's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_draft_goes_with_the_session() {
    use sesame_service::{intake_draft, save_intake_draft, MAX_INTAKE_DRAFT_BYTES};
    let alice = TestDesk::sqlite_as("alice").await;
    with_pin(&alice, "482193").await;
    let desk = alice.signed_out_desk().await;
    assert_eq!(
        intake_draft(&desk).await.unwrap_err().code(),
        "operator.sign_in_required"
    );
    sign_in(&desk, creds("alice", "482193")).await.unwrap();
    let typed = r#"{"familyName":"Moreau","givenNames":"Inès"}"#.to_owned();
    save_intake_draft(&desk, Some(typed.clone())).await.unwrap();
    assert_eq!(intake_draft(&desk).await.unwrap(), Some(typed.clone()));
    let err = save_intake_draft(&desk, Some("x".repeat(MAX_INTAKE_DRAFT_BYTES + 1)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "intake.draft_too_large");
    assert_eq!(intake_draft(&desk).await.unwrap(), Some(typed.clone()));

    lock_desk(&desk).await.unwrap();
    unlock_desk(&desk, "482193".into()).await.unwrap();
    assert_eq!(
        intake_draft(&desk).await.unwrap(),
        None,
        "the lock clears it"
    );

    save_intake_draft(&desk, Some(typed)).await.unwrap();
    sign_out(&desk).await.unwrap();
    sign_in(&desk, creds("alice", "482193")).await.unwrap();
    assert_eq!(
        intake_draft(&desk).await.unwrap(),
        None,
        "signing out clears it"
    );
    desk.close().await;
}
