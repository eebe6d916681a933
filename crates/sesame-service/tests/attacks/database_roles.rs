//! A PostgreSQL queue whose operators sign in with their own database login: the
//! database, not the desk, decides. A clerk's login does the desk's daily work; what
//! needs a supervisor is refused to it from `psql` (the clerk's own password and the
//! keyring's contents in hand) as from the desk, unless a supervisor countersigned it
//! with their own login; the audit log names the real login and cannot be rewritten.

use std::str::FromStr;

use sesame_core::{ErrorCode, OperatorRole, ReplacementCause};
use sesame_service::{
    add_operator, app_info, countersign, create_request, declare_opposition, desk_session,
    erase_holder_data, key_status, lift_opposition, list_operators, lock_desk, operator_target,
    print_badges, rename_operator, reset_operator_pin, set_operator_active, sign_in, sign_in_state,
    sign_out, unlock_desk, AddOperatorInput, CountersignInput, DeclareOppositionInput, Desk,
    DeskOptions, EraseHolderInput, LiftOppositionInput, SensitiveAction, SignInInput,
};
use sesame_test_support::clock::day;
use sesame_test_support::db;
use sesame_test_support::desk::{a4_print_job, open_desk, print_to_file, TestDesk};
use sesame_test_support::fixtures::new_request;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

const PASSWORD: &str = "guichet-2026";

/// A queue secured by its owner, with a supervisor's and a clerk's login.
struct SecuredQueue {
    owner: TestDesk,
    login_url: String,
    clerk: String,
    chief: String,
}

impl SecuredQueue {
    async fn new() -> Option<SecuredQueue> {
        let owner = TestDesk::postgres_as("owner").await?;
        sesame_service::init_key(&owner)
            .await
            .expect("the data key");
        // Logins belong to the whole server: each test makes its own.
        let tag = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
        let clerk = format!("clerk_{tag}");
        let chief = format!("chief_{tag}");
        let store = owner.store().await;
        store.secure_database().await.expect("secured by its owner");
        // Idempotent: run again after an upgrade.
        store.secure_database().await.expect("secured again");
        store
            .create_login(&chief, "Cheffe Dupont", "supervisor", PASSWORD)
            .await
            .expect("the supervisor's login");
        store
            .create_login(&clerk, "Camille Guichet", "clerk", PASSWORD)
            .await
            .expect("the clerk's login");
        store.close().await;
        let login_url = db::without_user(&owner.url);
        Some(SecuredQueue {
            owner,
            login_url,
            clerk,
            chief,
        })
    }

    /// A desk on the queue as the app opens it: nobody signed in, no connection.
    async fn desk(&self) -> Desk {
        open_desk(
            DeskOptions::new(self.owner.data_dir(), &self.login_url)
                .keyring(self.owner.vault.clone())
                .clock(self.owner.clock.clone()),
        )
        .await
    }

    async fn signed_in(&self, name: &str) -> Desk {
        let desk = self.desk().await;
        sign_in(
            &desk,
            SignInInput {
                name: name.into(),
                pin: PASSWORD.into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{name} signs in: {e}"));
        desk
    }

    /// The supervisor countersigns, with their own login, what `refusal` asked for.
    async fn chief_countersigns(&self, desk: &Desk, refusal: &sesame_service::ServiceError) {
        let need = refusal
            .to_app_error()
            .countersign
            .expect("a countersign need");
        countersign(
            desk,
            CountersignInput {
                supervisor: self.chief.clone(),
                pin: PASSWORD.into(),
                action: serde_json::from_value(serde_json::Value::String(need.action)).unwrap(),
                target: need.target,
            },
        )
        .await
        .expect("the supervisor countersigns with their login");
    }

    /// `psql` as `name`: the login and password the operator has, and nothing else.
    async fn psql(&self, name: &str) -> PgConnection {
        PgConnectOptions::from_str(&self.login_url)
            .unwrap()
            .username(name)
            .password(PASSWORD)
            .connect()
            .await
            .unwrap_or_else(|e| panic!("{name} connects: {e}"))
    }

    async fn finish(self, logins: &[&str]) {
        self.owner.finish().await;
        let mine = [self.clerk.as_str(), self.chief.as_str()];
        db::drop_logins(&[&mine[..], logins].concat()).await;
    }
}

/// Runs `sql` and returns the database's refusal (SQLSTATE, message), panicking when
/// it passes.
async fn refused(connection: &mut PgConnection, sql: &str) -> (String, String) {
    match sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *connection)
        .await
    {
        Ok(_) => panic!("the database let this through: {sql}"),
        Err(sqlx::Error::Database(db)) => (
            db.code().map(|c| c.into_owned()).unwrap_or_default(),
            db.message().to_owned(),
        ),
        Err(other) => panic!("{sql}: {other}"),
    }
}

async fn passes(connection: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *connection)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_login_works_the_queue_and_cannot_do_a_supervisors_part_even_with_psql() {
    let Some(queue) = SecuredQueue::new().await else {
        return;
    };
    let opposed = {
        let badge = queue.owner.active_badge(new_request("Perdu", "Léo")).await;
        declare_opposition(
            &queue.owner,
            DeclareOppositionInput {
                badge_id: badge.id.into(),
                expected_version: badge.version,
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost on the bus".into(),
                temporary_badge: false,
            },
        )
        .await
        .unwrap()
        .badge
    };
    let approved = queue.owner.approved(new_request("Imprime", "Ana")).await;

    // The desk opens signed out, with nothing to read before a login.
    let desk = queue.desk().await;
    let state = sign_in_state(&desk).await.unwrap();
    assert!(state.database_login && !state.setup_needed, "{state:?}");
    let info = app_info(&desk)
        .await
        .expect("the status bar's facts, signed out");
    assert_eq!(info.backend, "postgres");
    assert!(!info.database.contains(PASSWORD), "{}", info.database);
    let wrong = sign_in(
        &desk,
        SignInInput {
            name: queue.clerk.clone(),
            pin: "not-the-password".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(wrong.code(), "operator.login_refused", "{wrong}");
    let outsider = sign_in(
        &desk,
        SignInInput {
            name: "sesame".into(),
            pin: PASSWORD.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        outsider.code(),
        "operator.not_an_operator_login",
        "the owner's login is not an operator's: {outsider}"
    );

    // The clerk's login does the daily work: intake and printing.
    let clerk_desk = queue.signed_in(&queue.clerk).await;
    let session = desk_session(&clerk_desk).await.unwrap();
    assert_eq!(session.role, OperatorRole::Clerk);
    assert!(session.database_login && session.has_pin, "{session:?}");
    let keys = key_status(&clerk_desk)
        .await
        .expect("the key status, with the login's connection");
    assert!(keys.healthy, "{keys:?}");
    create_request(&clerk_desk, new_request("Nouveau", "Jo"))
        .await
        .expect("a clerk registers a request");
    let pdf = queue.owner.file("clerk-batch.pdf");
    print_badges(
        &clerk_desk,
        print_to_file(a4_print_job(&[approved.request.id.into()], None), &pdf),
    )
    .await
    .expect("a clerk prints");

    // The planner's statistics, which the desk has refreshed after a large import,
    // may be asked for by a clerk's login (a definer function: ANALYZE is the owner's).
    let mut psql = queue.psql(&queue.clerk).await;
    passes(&mut psql, "SELECT sesame_refresh_queue_statistics()").await;

    // From psql, with the clerk's password: every supervisor's part is refused.
    let clerk = &queue.clerk;
    for (sql, refusal) in [
        (
            format!("UPDATE operators SET role = 'supervisor' WHERE name = '{clerk}'"),
            "manage_operators",
        ),
        (
            "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('policy', '{}', 'x', now())
             ON CONFLICT (key) DO UPDATE SET value = '{}'"
                .to_owned(),
            "change_settings",
        ),
        (
            "INSERT INTO template_versions (version, files, saved_by, saved_at)
             VALUES (999, '{}', 'x', now())"
                .to_owned(),
            "change_settings",
        ),
        (
            "INSERT INTO settings (key, value, updated_by, updated_at)
             VALUES ('access_export_profiles', '[]', 'x', now())
             ON CONFLICT (key) DO UPDATE SET value = '[]'"
                .to_owned(),
            "change_settings",
        ),
        (
            format!("UPDATE badges SET status = 'active' WHERE id = '{}'", opposed.id),
            "lift_opposition",
        ),
        (
            format!("UPDATE oppositions SET lifted_at = now(), lifted_by = '{clerk}'"),
            "lift_opposition",
        ),
        (
            format!(
                "UPDATE requests SET purged_at = now() WHERE id = '{}'",
                approved.request.id
            ),
            "purge",
        ),
        (
            format!(
                "DELETE FROM attachments WHERE request_id = '{}'",
                approved.request.id
            ),
            "purge",
        ),
        (
            "INSERT INTO zones (key, label_fr, label_en, kind, approver_name, approver_email, created_at, updated_at)
             VALUES ('Toit', 'Toit', 'Roof', 'building', 'x', 'x@example.org', now(), now())"
                .to_owned(),
            "change_zones",
        ),
        (
            format!(
                "INSERT INTO audit_log (at, operator, entity, entity_id, action)
                 VALUES (now(), 'owner', 'badge', '{}', 'reprint')",
                opposed.id
            ),
            "reprint",
        ),
        (
            "INSERT INTO audit_log (at, operator, entity, entity_id, action)
             VALUES (now(), 'owner', 'settings', 'data-key', 'key_export')"
                .to_owned(),
            "key_export",
        ),
        (
            format!(
                "SELECT sesame_redact_audit('request', '{}')",
                approved.request.id
            ),
            "purge",
        ),
    ] {
        let (code, message) = refused(&mut psql, &sql).await;
        assert_eq!(code, "42501", "{sql}: {message}");
        assert_eq!(
            message,
            format!("sesame:supervisor_required:{refusal}"),
            "{sql}"
        );
    }
    // And what no grant allows at all.
    for sql in [
        "DELETE FROM audit_log".to_owned(),
        "UPDATE audit_log SET operator = 'someone else'".to_owned(),
        "UPDATE audit_log SET before_json = NULL, after_json = NULL, reason = NULL, redacted = TRUE"
            .to_owned(),
        "DELETE FROM requests".to_owned(),
        "DELETE FROM attachment_blobs".to_owned(),
        "UPDATE template_versions SET files = '{}'".to_owned(),
        "DELETE FROM template_versions".to_owned(),
        // Moving a run back would hide a change from the access-control system.
        "UPDATE access_export_runs SET started_at = now() - interval '1 year'".to_owned(),
        "DELETE FROM access_export_runs".to_owned(),
        format!("SELECT sesame_countersign('{clerk}', 'manage_operators', 'operator:{clerk}')"),
        "SELECT sesame_create_login('intruder', 'I', 'supervisor', 'longpassword')".to_owned(),
        format!(
            "INSERT INTO countersigns (clerk, action, target, granted_by, expires_at)
             VALUES ('{clerk}', 'manage_operators', 'x', 'x', now() + interval '1 hour')"
        ),
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard".to_owned(),
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard_insert".to_owned(),
        "ALTER TABLE audit_log ALTER COLUMN db_role SET DEFAULT 'owner'".to_owned(),
        "CREATE TABLE mine (x int)".to_owned(),
    ] {
        let (code, message) = refused(&mut psql, &sql).await;
        assert!(
            code == "42501" || code == "42883",
            "{sql}: {code} {message}"
        );
    }
    // The audit log names the login that really wrote a line, whatever the line says.
    passes(
        &mut psql,
        "INSERT INTO audit_log (at, operator, entity, entity_id, action)
         VALUES (now(), 'owner', 'holder', 'x', 'forged_note')",
    )
    .await;
    // Naming another login, or none, changes nothing either.
    passes(
        &mut psql,
        "INSERT INTO audit_log (at, operator, entity, entity_id, action, db_role)
         VALUES (now(), 'owner', 'holder', 'x', 'forged_note', 'sesame'),
                (now(), 'owner', 'holder', 'x', 'forged_note', NULL)",
    )
    .await;
    let written_by: Vec<Option<String>> =
        sqlx::query_scalar("SELECT db_role FROM audit_log WHERE action = 'forged_note'")
            .fetch_all(&mut psql)
            .await
            .unwrap();
    assert_eq!(written_by, vec![Some(clerk.clone()); 3]);
    let printed_by: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT DISTINCT db_role FROM audit_log WHERE request_id = $1 AND action <> 'create'",
    )
    .bind(approved.request.id.to_string())
    .fetch_all(&mut psql)
    .await
    .unwrap();
    assert!(
        printed_by.contains(&Some(clerk.clone())),
        "the print is recorded under the clerk's login: {printed_by:?}"
    );
    psql.close().await.unwrap();

    // A supervisor's login may, but nobody deletes or rewrites the log.
    let mut chief = queue.psql(&queue.chief).await;
    passes(
        &mut chief,
        &format!("UPDATE operators SET display_name = 'Camille G.' WHERE name = '{clerk}'"),
    )
    .await;
    let (code, message) = refused(&mut chief, "DELETE FROM audit_log").await;
    assert_eq!(code, "42501", "{message}");
    chief.close().await.unwrap();

    // Through the desk: the supervisor countersigns with their own login, for one action.
    let lift = LiftOppositionInput {
        badge_id: opposed.id.into(),
        expected_version: opposed.version,
        reason: "found again".into(),
    };
    let err = lift_opposition(&clerk_desk, lift.clone())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required", "{err}");
    let not_a_chief = countersign(
        &clerk_desk,
        CountersignInput {
            supervisor: queue.clerk.clone(),
            pin: PASSWORD.into(),
            action: SensitiveAction::LiftOpposition,
            target: format!("badge:{}", opposed.id),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        not_a_chief.code(),
        "operator.not_supervisor",
        "{not_a_chief}"
    );
    let err = lift_opposition(&clerk_desk, lift.clone())
        .await
        .unwrap_err();
    queue.chief_countersigns(&clerk_desk, &err).await;
    lift_opposition(&clerk_desk, lift)
        .await
        .expect("the countersigned lift passes the database too");
    let mut psql = queue.psql(&queue.clerk).await;
    let (code, message) = refused(
        &mut psql,
        &format!("UPDATE operators SET role = 'supervisor' WHERE name = '{clerk}'"),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("42501", "sesame:supervisor_required:manage_operators"),
        "a countersign for one action opens no other"
    );
    let granted_by: String = sqlx::query_scalar(
        "SELECT db_role FROM audit_log WHERE action = 'countersign' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&mut psql)
    .await
    .unwrap();
    assert_eq!(granted_by, queue.chief);
    psql.close().await.unwrap();

    // The lock screen asks the database for the password; signing out drops the login.
    lock_desk(&clerk_desk).await.unwrap();
    let err = unlock_desk(&clerk_desk, "wrong-password".into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.login_refused", "{err}");
    unlock_desk(&clerk_desk, PASSWORD.into()).await.unwrap();
    sign_out(&clerk_desk).await.unwrap();
    let err = list_operators(&clerk_desk).await.unwrap_err();
    assert_eq!(err.code(), "operator.sign_in_required", "{err}");

    clerk_desk.close().await;
    desk.close().await;
    queue.finish(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_adds_and_disables_logins_from_the_desk() {
    let Some(queue) = SecuredQueue::new().await else {
        return;
    };
    let newcomer = format!("new_{}", &queue.clerk["clerk_".len()..]);
    let chief_desk = queue.signed_in(&queue.chief).await;
    assert_eq!(
        desk_session(&chief_desk).await.unwrap().role,
        OperatorRole::Supervisor
    );
    let short = add_operator(
        &chief_desk,
        AddOperatorInput {
            name: newcomer.clone(),
            display_name: "Nouvelle Recrue".into(),
            role: OperatorRole::Clerk,
            pin: "short".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(short.code(), "operator.password_too_short", "{short}");
    let bad_name = add_operator(
        &chief_desk,
        AddOperatorInput {
            name: "sesame_supervisor".into(),
            display_name: "Intrus".into(),
            role: OperatorRole::Clerk,
            pin: PASSWORD.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad_name.code(), "operator.login_name_invalid", "{bad_name}");
    add_operator(
        &chief_desk,
        AddOperatorInput {
            name: newcomer.clone(),
            display_name: "Nouvelle Recrue".into(),
            role: OperatorRole::Clerk,
            pin: PASSWORD.into(),
        },
    )
    .await
    .expect("a supervisor creates a login");
    let newcomer_desk = queue.signed_in(&newcomer).await;
    assert_eq!(
        desk_session(&newcomer_desk).await.unwrap().display_name,
        "Nouvelle Recrue"
    );
    create_request(&newcomer_desk, new_request("Premier", "Jour"))
        .await
        .expect("the new login works the queue");

    // A clerk's login cannot create one, even countersigned for something else.
    let clerk_desk = queue.signed_in(&queue.clerk).await;
    let err = rename_operator(&clerk_desk, newcomer.clone(), "Renamed".into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required", "{err}");
    assert_eq!(
        err.to_app_error().countersign.map(|c| c.target),
        Some(operator_target(&newcomer))
    );

    // A forgotten password: the supervisor gives a new one, the old one stops working.
    reset_operator_pin(
        &chief_desk,
        newcomer.clone(),
        "un-autre-mot-de-passe".into(),
    )
    .await
    .expect("a supervisor gives a new password");
    let desk = queue.desk().await;
    let old = sign_in(
        &desk,
        SignInInput {
            name: newcomer.clone(),
            pin: PASSWORD.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(old.code(), "operator.login_refused", "{old}");
    sign_in(
        &desk,
        SignInInput {
            name: newcomer.clone(),
            pin: "un-autre-mot-de-passe".into(),
        },
    )
    .await
    .expect("the new password signs in");
    desk.close().await;

    // Disabled: the database refuses the login itself, and the session still open
    // can do nothing more.
    set_operator_active(&chief_desk, newcomer.clone(), false)
        .await
        .expect("a supervisor disables a login");
    let err = create_request(&newcomer_desk, new_request("Trop", "Tard"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.database_refused", "{err}");
    newcomer_desk.close().await;
    let desk = queue.desk().await;
    let err = sign_in(
        &desk,
        SignInInput {
            name: newcomer.clone(),
            pin: PASSWORD.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.login_refused", "{err}");

    desk.close().await;
    clerk_desk.close().await;
    chief_desk.close().await;
    queue.finish(&[&newcomer]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_countersigned_erasure_passes_the_database_once() {
    let Some(queue) = SecuredQueue::new().await else {
        return;
    };
    let first = queue.owner.approved(new_request("Efface", "Iris")).await;
    let second = queue.owner.approved(new_request("Garde", "Noé")).await;
    let clerk_desk = queue.signed_in(&queue.clerk).await;
    let erase = |detail: &sesame_service::RequestDetail| EraseHolderInput {
        holder_id: detail.holder.id.into(),
        reason: "the holder's letter of 2026-11-20".into(),
    };

    let err = erase_holder_data(&clerk_desk, erase(&first))
        .await
        .unwrap_err();
    queue.chief_countersigns(&clerk_desk, &err).await;
    let erased = erase_holder_data(&clerk_desk, erase(&first))
        .await
        .expect("the countersigned erasure passes the database's guards");
    assert_eq!(erased.attachments_deleted, 1);

    // The database's countersign went with that erasure: the next one is refused there.
    let mut psql = queue.psql(&queue.clerk).await;
    let (code, message) = refused(
        &mut psql,
        &format!(
            "UPDATE holders SET anonymised_at = now() WHERE id = '{}'",
            second.holder.id
        ),
    )
    .await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("42501", "sesame:supervisor_required:erase_holder")
    );
    let redacted_by: Vec<Option<String>> =
        sqlx::query_scalar("SELECT DISTINCT db_role FROM audit_log WHERE action = 'erase'")
            .fetch_all(&mut psql)
            .await
            .unwrap();
    assert_eq!(redacted_by, vec![Some(queue.clerk.clone())]);
    psql.close().await.unwrap();

    clerk_desk.close().await;
    queue.finish(&[]).await;
}
