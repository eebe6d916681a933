//! Operators and roles in the store, each test on SQLite and on PostgreSQL:
//! registration (first operator supervises), changes that would leave no
//! supervisor, PIN hashes and their lockout, and the audit trail of each.

use sesame_core::{AuditEntity, ErrorCode, OperatorRole};
use sesame_store::{
    pin_lock_minutes, NewOperator, OperatorChange, PinAttempt, PIN_ATTEMPTS_BEFORE_LOCK,
    PIN_LOCK_MAX_MINUTES, PIN_LOCK_MINUTES,
};
use sesame_test_support::{on_both, TestDb};

async fn first_operator_supervises_then_clerks(db: &TestDb) {
    let store = &db.store;
    let first = store.register_operator("alice").await.unwrap();
    assert!(first.created);
    assert_eq!(first.record.operator.role, OperatorRole::Supervisor);
    assert!(first.record.operator.active);
    assert!(!first.record.operator.has_pin);

    let second = store.register_operator("bob").await.unwrap();
    assert!(second.created);
    assert_eq!(second.record.operator.role, OperatorRole::Clerk);

    // Opening again finds the same record and writes nothing new.
    let again = store.register_operator("  alice ").await.unwrap();
    assert!(!again.created);
    assert_eq!(again.record.operator.role, OperatorRole::Supervisor);

    let audit = store
        .audit_for(AuditEntity::Operator, "alice")
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].action, "register_first_supervisor");
    assert_eq!(audit[0].operator, "alice");
    let bob_audit = store.audit_for(AuditEntity::Operator, "bob").await.unwrap();
    assert_eq!(bob_audit[0].action, "register");

    let names: Vec<String> = store
        .list_operators()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
}
on_both!(first_operator_supervises_then_clerks);

async fn concurrent_first_openings_make_one_supervisor(db: &TestDb) {
    // Eight desks open at once on a fresh queue: exactly one becomes supervisor.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            store.register_operator(&format!("desk{i}")).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let supervisors = db
        .raw_count("SELECT COUNT(*) FROM operators WHERE role = 'supervisor'")
        .await;
    assert_eq!(supervisors, 1);
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM operators").await, 8);
}
on_both!(concurrent_first_openings_make_one_supervisor);

async fn the_last_supervisor_stays(db: &TestDb) {
    let store = &db.store;
    store.register_operator("alice").await.unwrap();
    store.register_operator("bob").await.unwrap();

    for change in [
        OperatorChange::Role(OperatorRole::Clerk),
        OperatorChange::Active(false),
    ] {
        let err = store
            .change_operator("alice", change, "alice")
            .await
            .unwrap_err();
        assert_eq!(err.code(), "operator.last_supervisor");
    }
    let alice = store.operator("alice").await.unwrap().unwrap().operator;
    assert_eq!(alice.role, OperatorRole::Supervisor);
    assert!(alice.active);

    // With a second supervisor, the first may step down.
    let bob = store
        .change_operator(
            "bob",
            OperatorChange::Role(OperatorRole::Supervisor),
            "alice",
        )
        .await
        .unwrap();
    assert_eq!(bob.role, OperatorRole::Supervisor);
    let alice = store
        .change_operator("alice", OperatorChange::Active(false), "bob")
        .await
        .unwrap();
    assert!(!alice.active);
    // A deactivated supervisor does not count: bob is now the last one.
    let err = store
        .change_operator("bob", OperatorChange::Role(OperatorRole::Clerk), "bob")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.last_supervisor");

    let audit = store
        .audit_for(AuditEntity::Operator, "alice")
        .await
        .unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "deactivate");
    assert_eq!(last.operator, "bob");
    assert_eq!(last.before.as_ref().unwrap()["active"], true);
    assert_eq!(last.after.as_ref().unwrap()["active"], false);
}
on_both!(the_last_supervisor_stays);

async fn add_rename_and_refusals(db: &TestDb) {
    let store = &db.store;
    store.register_operator("alice").await.unwrap();
    let claire = store
        .add_operator(
            NewOperator {
                name: "cmartin".into(),
                display_name: "Claire Martin".into(),
                role: OperatorRole::Clerk,
            },
            "alice",
        )
        .await
        .unwrap();
    assert_eq!(claire.display_name, "Claire Martin");
    assert_eq!(claire.created_by, "alice");

    let err = store
        .add_operator(
            NewOperator {
                name: "cmartin".into(),
                display_name: "Someone else".into(),
                role: OperatorRole::Supervisor,
            },
            "alice",
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.exists");

    for bad in ["", "   ", "tab\tname", &"x".repeat(121)] {
        let err = store
            .add_operator(
                NewOperator {
                    name: bad.to_string(),
                    display_name: "X".into(),
                    role: OperatorRole::Clerk,
                },
                "alice",
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                err.code(),
                "operator.name_invalid" | "holder.field_required"
            ),
            "{bad:?}: {}",
            err.code()
        );
    }

    let renamed = store
        .change_operator(
            "cmartin",
            OperatorChange::DisplayName("Claire Martin-Dupont".into()),
            "alice",
        )
        .await
        .unwrap();
    assert_eq!(renamed.display_name, "Claire Martin-Dupont");

    let err = store
        .change_operator("nobody", OperatorChange::Active(false), "alice")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "store.not_found");
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM operators").await, 2);
}
on_both!(add_rename_and_refusals);

async fn pin_hash_and_lockout(db: &TestDb) {
    let store = &db.store;
    store.register_operator("alice").await.unwrap();
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
    let alice = store
        .change_operator("alice", OperatorChange::PinHash(Some(hash.into())), "alice")
        .await
        .unwrap();
    assert!(alice.has_pin);
    let record = store.operator("alice").await.unwrap().unwrap();
    assert_eq!(record.pin_hash.as_deref(), Some(hash));

    // The hash never reaches the audit log.
    let audit = store
        .audit_for(AuditEntity::Operator, "alice")
        .await
        .unwrap();
    assert_eq!(audit.last().unwrap().action, "set_pin");
    assert!(audit
        .iter()
        .all(|a| !format!("{:?}{:?}", a.before, a.after).contains("argon2")));

    for i in 1..PIN_ATTEMPTS_BEFORE_LOCK {
        let r = store
            .record_pin_attempt("alice", PinAttempt::Wrong, "unlock")
            .await
            .unwrap();
        assert_eq!(r.failed_pins, i);
        assert!(r.pin_locked_until.is_none());
    }
    let locked = store
        .record_pin_attempt("alice", PinAttempt::Wrong, "unlock")
        .await
        .unwrap();
    let until = locked
        .pin_locked_until
        .expect("locked after the fifth wrong PIN");
    let minutes = (until - store.clock().now()).num_seconds() as f64 / 60.0;
    assert!(
        (PIN_LOCK_MINUTES as f64 - 0.2..=PIN_LOCK_MINUTES as f64).contains(&minutes),
        "{minutes}"
    );
    let audit = store
        .audit_for(AuditEntity::Operator, "alice")
        .await
        .unwrap();
    assert_eq!(audit.last().unwrap().action, "pin_locked");

    // A right PIN while the lock holds is refused (the record stays locked) and
    // does not reset the count: the lock is decided after the hash.
    let still = store
        .record_pin_attempt("alice", PinAttempt::Right, "unlock")
        .await
        .unwrap();
    assert_eq!(still.pin_locked_until, Some(until));
    assert_eq!(still.failed_pins, PIN_ATTEMPTS_BEFORE_LOCK);

    // Each further wrong PIN doubles the lock.
    let longer = store
        .record_pin_attempt("alice", PinAttempt::Wrong, "unlock")
        .await
        .unwrap();
    let minutes = (longer.pin_locked_until.unwrap() - store.clock().now()).num_seconds() / 60;
    assert!(
        (2 * PIN_LOCK_MINUTES - 1..=2 * PIN_LOCK_MINUTES).contains(&minutes),
        "{minutes}"
    );
    assert_eq!(
        pin_lock_minutes(PIN_ATTEMPTS_BEFORE_LOCK + 40),
        Some(PIN_LOCK_MAX_MINUTES)
    );
    assert_eq!(pin_lock_minutes(PIN_ATTEMPTS_BEFORE_LOCK - 1), None);

    // Once the lock is over, a right PIN clears the count and the lock.
    store
        .clock()
        .advance(chrono::Duration::minutes(2 * PIN_LOCK_MINUTES + 1));
    let cleared = store
        .record_pin_attempt("alice", PinAttempt::Right, "unlock")
        .await
        .unwrap();
    assert_eq!(cleared.failed_pins, 0);
    assert!(cleared.pin_locked_until.is_none());

    // A supervisor's reset clears the PIN.
    let reset = store
        .change_operator("alice", OperatorChange::PinHash(None), "alice")
        .await
        .unwrap();
    assert!(!reset.has_pin);
}
on_both!(pin_hash_and_lockout);

async fn events_are_audited(db: &TestDb) {
    let store = &db.store;
    store.register_operator("alice").await.unwrap();
    store
        .audit_operator_event(
            "alice",
            "bob",
            "countersign",
            serde_json::json!({"action": "reprint"}),
            None,
        )
        .await
        .unwrap();
    let audit = store.audit_for(AuditEntity::Operator, "bob").await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].operator, "alice");
    assert_eq!(audit[0].action, "countersign");
    assert_eq!(audit[0].after.as_ref().unwrap()["action"], "reprint");
}
on_both!(events_are_audited);

async fn first_supervisor_only_once(db: &TestDb) {
    let store = &db.store;
    let hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";
    assert!(store.needs_first_supervisor().await.unwrap());
    // An operator from before sign-in, still without a PIN, is claimed.
    store.register_operator("claire").await.unwrap();
    assert!(store.needs_first_supervisor().await.unwrap());
    let first = store
        .set_up_first_supervisor(
            NewOperator {
                name: "claire".into(),
                display_name: "Claire Martin".into(),
                role: OperatorRole::Clerk,
            },
            hash,
        )
        .await
        .unwrap();
    assert_eq!(first.role, OperatorRole::Supervisor);
    assert!(first.has_pin);
    assert_eq!(first.display_name, "Claire Martin");
    assert!(!store.needs_first_supervisor().await.unwrap());
    let audit = store
        .audit_for(AuditEntity::Operator, "claire")
        .await
        .unwrap();
    assert_eq!(audit.last().unwrap().action, "first_supervisor");

    // Once a supervisor can sign in, nobody else sets themself up.
    let err = store
        .set_up_first_supervisor(
            NewOperator {
                name: "mallory".into(),
                display_name: "Mallory".into(),
                role: OperatorRole::Supervisor,
            },
            hash,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.setup_done");
    assert!(store.operator("mallory").await.unwrap().is_none());
}
on_both!(first_supervisor_only_once);
