//! Operators at real desks (SQLite, and PostgreSQL when `SESAME_TEST_PG_URL` is set):
//! the first desk supervises, clerks are refused sensitive actions until a
//! supervisor countersigns with their PIN, the idle lock opens only with the
//! operator's PIN, and a reprint needs a supervisor.
//!
//! Desks need a reachable keyring: run under `scripts/with-keyring.sh`.

use std::path::Path;

use sesame_core::{
    AttachmentKind, AuditEntity, ErrorCode, HolderDetails, OperatorRole, RequestAction,
    RequestDetails, RequestKind,
};
use sesame_service::{
    add_operator, countersign, desk_session, end_countersign, list_operators, lock_desk,
    print_to_file, reset_operator_pin, set_operator_active, set_operator_role, set_own_pin,
    unlock_desk, AddOperatorInput, CountersignInput, Desk, Layout, Locale, PrintJob,
    PrinterProfile, SensitiveAction, SetPinInput, SheetLayout,
};
use sesame_store::NewRequest;
use uuid::Uuid;

fn vault() -> sesame_vault::KeyVault {
    let service = format!("sesame-test-operators-{}", Uuid::now_v7().simple());
    sesame_vault::KeyVault::open(&service, "desk").unwrap()
}

async fn desk_as(dir: &Path, url: &str, operator: &str) -> Desk {
    Desk::open_as(dir, url, vault(), operator)
        .await
        .unwrap_or_else(|e| {
            panic!("open desk as {operator}: {e} (run under scripts/with-keyring.sh)")
        })
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("desk.sqlite3").display())
}

fn pin_input(current: Option<&str>, new: &str) -> SetPinInput {
    SetPinInput {
        current_pin: current.map(str::to_owned),
        new_pin: new.to_owned(),
    }
}

/// The whole operator story on one queue, as two desks see it.
async fn roles_countersign_and_lock(dir: &Path, url: &str) {
    let alice = desk_as(dir, url, "alice").await;
    let bob = desk_as(dir, url, "bob").await;
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
    let left = (until - chrono::Utc::now()).num_seconds();
    assert!((290..=300).contains(&left), "{left}");
    assert!(bob.require_supervisor(SensitiveAction::Reprint).is_ok());
    assert_eq!(
        bob.require_supervisor(SensitiveAction::Purge)
            .unwrap_err()
            .code(),
        "operator.supervisor_required"
    );
    let audit = bob
        .store()
        .audit_for(AuditEntity::Operator, "bob")
        .await
        .unwrap();
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
    let err = Desk::open_as(dir, url, vault(), "cmartin")
        .await
        .err()
        .expect("deactivated operator refused");
    assert_eq!(err.code(), "operator.inactive");

    alice.store().close().await;
    bob.store().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_roles_countersign_and_lock() {
    let dir = tempfile::tempdir().unwrap();
    roles_countersign_and_lock(dir.path(), &sqlite_url(&dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_roles_countersign_and_lock() {
    let Some(url) = pg_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    roles_countersign_and_lock(dir.path(), &url).await;
}

/// A fresh database on the test server (`scripts/pg-test-server.sh start`);
/// `None` only when SESAME_TEST_SKIP_PG=1 says to skip PostgreSQL.
async fn pg_database() -> Option<String> {
    use sqlx::Connection;
    let admin = match std::env::var("SESAME_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ if std::env::var("SESAME_TEST_SKIP_PG").as_deref() == Ok("1") => return None,
        _ => panic!(
            "SESAME_TEST_PG_URL is not set: start a test server with \
             `eval \"$(scripts/pg-test-server.sh start)\"` (or SESAME_TEST_SKIP_PG=1)"
        ),
    };
    let name = format!("sesame_op_{}", Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
    let host = &base[..base.rfind('/').unwrap()];
    Some(if query.is_empty() {
        format!("{host}/{name}")
    } else {
        format!("{host}/{name}?{query}")
    })
}

/// A real photo file: a 300 × 400 gradient.
fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
    bytes.into_inner()
}

async fn approved(desk: &Desk) -> Uuid {
    let store = desk.store();
    let op = desk.operator().to_string();
    let new = NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: "Moreau".into(),
            given_names: "Inès".into(),
            email: None,
            phone: None,
            organisation: None,
            unit: None,
            category: "staff".into(),
            external_id: None,
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: Some(chrono::Utc::now().date_naive() + chrono::Days::new(300)),
        },
        request: RequestDetails::new(RequestKind::NewBadge),
    };
    let id = store.create_request(new, &op).await.unwrap().request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &photo(), &op)
        .await
        .unwrap();
    let mut v = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
    ] {
        v = store
            .transition(id, v, action, &op, None)
            .await
            .unwrap()
            .request
            .version;
    }
    id
}

fn job(id: Uuid, reason: Option<&str>) -> PrintJob {
    PrintJob {
        request_ids: vec![id.to_string()],
        layout: Layout::A4Sheet(SheetLayout::default()),
        printer: PrinterProfile::default(),
        locale: Locale::Fr,
        reprint_reason: reason.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_prints_but_reprints_only_with_a_countersign() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let alice = desk_as(dir.path(), &url, "alice").await;
    set_own_pin(&alice, pin_input(None, "7391")).await.unwrap();
    let bob = desk_as(dir.path(), &url, "bob").await;
    let id = approved(&bob).await;

    // A first print is everyday work.
    let first = dir.path().join("first.pdf");
    print_to_file(&bob, job(id, None), &first).await.unwrap();
    let number = bob
        .store()
        .get_request(id)
        .await
        .unwrap()
        .badge
        .unwrap()
        .number;

    // A reprint is not, even with a reason; nothing is written when refused.
    let again = dir.path().join("again.pdf");
    let err = print_to_file(&bob, job(id, Some("card damaged")), &again)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("reprint"));
    assert!(!again.exists());
    let history = bob.store().audit_for_request(id).await.unwrap();
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
    let outcome = print_to_file(&bob, job(id, Some("card damaged")), &again)
        .await
        .unwrap();
    assert!(again.exists());
    assert_eq!(outcome.printed.len(), 1);
    assert!(outcome.printed[0].reprint);
    assert_eq!(outcome.printed[0].badge_number, number);
    let history = bob.store().audit_for_request(id).await.unwrap();
    let reprint = history.iter().find(|a| a.action == "reprint").unwrap();
    assert_eq!(reprint.operator, "bob");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_pins_lock_the_pin_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let alice = desk_as(dir.path(), &url, "alice").await;
    set_own_pin(&alice, pin_input(None, "8642")).await.unwrap();
    lock_desk(&alice).await.unwrap();
    for _ in 0..4 {
        let err = unlock_desk(&alice, "0000".into()).await.unwrap_err();
        assert_eq!(err.code(), "operator.pin_wrong");
    }
    let err = unlock_desk(&alice, "0000".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    alice.store().close().await;
    drop(alice);

    // Reopening the app does not reset the lock, and the right PIN waits too.
    let alice = desk_as(dir.path(), &url, "alice").await;
    lock_desk(&alice).await.unwrap();
    let err = unlock_desk(&alice, "8642".into()).await.unwrap_err();
    assert_eq!(err.code(), "operator.pin_locked");
    assert!(alice.require_supervisor(SensitiveAction::Purge).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_needs_a_pin_and_policy_carries_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let alice = desk_as(dir.path(), &url, "alice").await;
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
    let bob = desk_as(dir.path(), &url, "bob").await;
    let mut policy = sesame_service::get_policy(&bob).await.unwrap();
    policy.lock_after_minutes = 0;
    let err = sesame_service::save_policy(&bob, policy).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
}
