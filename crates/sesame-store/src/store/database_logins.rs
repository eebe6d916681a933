//! PostgreSQL queues whose operators sign in with their own database login, so the
//! database, not the desk, has the last word on what they may do (the guards of
//! `migrations/postgres/0008_database_roles.sql`): the connection a desk holds, the
//! owner's `secure_database`, and the logins' creation, countersigns and checks.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};

use super::{Backend, Store, POSTGRES_MIGRATIONS};
use crate::error::{Result, StoreError};

/// A desk's link to PostgreSQL: one pool, or none while nobody is signed in on a queue
/// of per-operator logins. Shared by the clones of a `Store`, so a sign-in reaches
/// every part of the desk at once.
#[derive(Debug, Clone)]
pub(super) struct PgLink {
    /// Server, database and TLS; the user and password come from the sign-in when
    /// `per_operator`.
    options: Arc<PgConnectOptions>,
    per_operator: bool,
    pool: Arc<RwLock<Option<PgPool>>>,
}

impl PgLink {
    pub(super) fn connected(options: PgConnectOptions, pool: PgPool) -> PgLink {
        PgLink {
            options: Arc::new(options),
            per_operator: false,
            pool: Arc::new(RwLock::new(Some(pool))),
        }
    }

    pub(super) fn awaiting_sign_in(options: PgConnectOptions) -> PgLink {
        PgLink {
            options: Arc::new(options),
            per_operator: true,
            pool: Arc::new(RwLock::new(None)),
        }
    }

    /// The pool of whoever is signed in (`operator.sign_in_required` before).
    pub(super) fn pool(&self) -> Result<PgPool> {
        self.pool
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .ok_or(StoreError::SignedOut)
    }

    fn replace(&self, pool: Option<PgPool>) -> Option<PgPool> {
        let mut slot = self
            .pool
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::replace(&mut *slot, pool)
    }

    fn login(&self, name: &str, password: &str) -> PgConnectOptions {
        PgConnectOptions::clone(&self.options)
            .username(name)
            .password(password)
    }
}

/// Whether a PostgreSQL URL leaves the login to each operator: it names no user.
pub(super) fn names_no_user(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(parsed) => {
            parsed.username().is_empty() && !parsed.query_pairs().any(|(key, _)| key == "user")
        }
        Err(_) => false,
    }
}

pub(super) fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(15))
}

/// The desk's role for a login, as the database says: `supervisor`, `clerk` or
/// `housekeeping`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseLogin {
    pub name: String,
    pub role: String,
}

fn login_error(name: &str, url: &str, error: sqlx::Error) -> StoreError {
    match &error {
        // 28P01 invalid_password, 28000 invalid_authorization_specification (no such
        // role, not allowed to log in, no pg_hba line).
        sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("28P01" | "28000")) => {
            StoreError::LoginRefused {
                name: name.to_owned(),
            }
        }
        sqlx::Error::Tls(detail) => StoreError::TlsRefused {
            url: url.to_owned(),
            detail: detail.to_string(),
        },
        _ => StoreError::Open {
            url: url.to_owned(),
            source: error,
        },
    }
}

/// What `secure_database` runs as the queue's owner: the groups (created once per
/// server, shared by its queues), then this database's grants. Clerks read and write
/// the queue's tables but delete only what their work replaces; the audit log they
/// read and append to, never change (a purge blanks payloads through
/// `sesame_redact_audit`); the countersigns and the migrations' record are not theirs
/// to write; nobody else may connect.
const SECURE_GROUPS: &str = r#"
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sesame_clerk') THEN
        CREATE ROLE sesame_clerk NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sesame_supervisor') THEN
        CREATE ROLE sesame_supervisor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sesame_housekeeping') THEN
        CREATE ROLE sesame_housekeeping NOLOGIN;
    END IF;
    IF NOT pg_has_role('sesame_supervisor', 'sesame_clerk', 'MEMBER') THEN
        GRANT sesame_clerk TO sesame_supervisor;
    END IF;
    IF NOT pg_has_role('sesame_housekeeping', 'sesame_clerk', 'MEMBER') THEN
        GRANT sesame_clerk TO sesame_housekeeping;
    END IF;
END
$$
"#;

const SECURE_GRANTS: &str = r#"
DO $$
DECLARE
    schema_name TEXT := current_schema();
    database_name TEXT := current_database();
    deletable TEXT;
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM PUBLIC', schema_name);
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', schema_name);
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', database_name);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO sesame_clerk', database_name);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO sesame_clerk', schema_name);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM sesame_clerk', schema_name);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA %I TO sesame_clerk',
                   schema_name);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO sesame_clerk',
                   schema_name);
    FOREACH deletable IN ARRAY ARRAY['attachments', 'holder_mail_language', 'mail_outbox',
                                     'request_zones', 'search_terms', 'zone_decisions',
                                     'operators', 'settings', 'zones'] LOOP
        EXECUTE format('GRANT DELETE ON %I TO sesame_clerk', deletable);
    END LOOP;
    REVOKE UPDATE ON audit_log FROM sesame_clerk;
    REVOKE UPDATE ON template_versions, template_images FROM sesame_clerk;
    REVOKE UPDATE ON access_export_runs FROM sesame_clerk;
    REVOKE ALL ON countersigns FROM sesame_clerk;
    REVOKE INSERT, UPDATE ON _sqlx_migrations FROM sesame_clerk;
    GRANT EXECUTE ON FUNCTION sesame_countersign(TEXT, TEXT, TEXT) TO sesame_supervisor;
    GRANT EXECUTE ON FUNCTION sesame_create_login(TEXT, TEXT, TEXT, TEXT) TO sesame_supervisor;
    GRANT EXECUTE ON FUNCTION sesame_set_login_role(TEXT, TEXT) TO sesame_supervisor;
    GRANT EXECUTE ON FUNCTION sesame_set_login_active(TEXT, BOOLEAN) TO sesame_supervisor;
    GRANT EXECUTE ON FUNCTION sesame_refresh_queue_statistics() TO sesame_clerk;
END
$$
"#;

/// What `Store::secure_database` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecuredDatabase {
    /// The login that ran it (the queue's owner).
    pub owner: String,
    pub database: String,
}

impl Store {
    fn pg_link(&self) -> Result<&PgLink> {
        match &self.backend {
            Backend::Postgres(link) => Ok(link),
            Backend::Sqlite(_) => Err(StoreError::NoDatabaseLogins),
        }
    }

    fn per_operator_link(&self) -> Result<&PgLink> {
        self.pg_link()
            .ok()
            .filter(|link| link.per_operator)
            .ok_or(StoreError::NoDatabaseLogins)
    }

    /// Whether each operator signs in with their own PostgreSQL login (the queue's URL
    /// names no user): sign-in, unlock and countersign then check the database's
    /// password, and the database enforces the roles.
    pub fn uses_database_logins(&self) -> bool {
        self.per_operator_link().is_ok()
    }

    /// Signs in with `name`'s database login: from now on this store (and its clones)
    /// talks to the database as that login. Refused with `operator.login_refused` for a
    /// wrong password or a disabled login, `operator.not_an_operator_login` for a login
    /// outside Sésame's groups, `store.schema_behind` when the owner has not upgraded
    /// the database for this version.
    pub async fn sign_in_with_login(&self, name: &str, password: &str) -> Result<DatabaseLogin> {
        let link = self.per_operator_link()?;
        let pool = pool_options()
            .connect_with(link.login(name, password))
            .await
            .map_err(|e| login_error(name, &self.location, e))?;
        let login = match session_login(&pool).await {
            Ok(login) => login,
            Err(error) => {
                pool.close().await;
                return Err(error);
            }
        };
        if let Some(previous) = link.replace(Some(pool)) {
            previous.close().await;
        }
        Ok(login)
    }

    /// Drops the signed-in login's connections: nothing more reaches the database
    /// until the next sign-in.
    pub async fn sign_out_login(&self) {
        if let Ok(link) = self.per_operator_link() {
            if let Some(pool) = link.replace(None) {
                pool.close().await;
            }
        }
    }

    /// Checks `name`'s password with the database (the lock screen), without changing
    /// the desk's connection.
    pub async fn verify_login(&self, name: &str, password: &str) -> Result<DatabaseLogin> {
        let link = self.per_operator_link()?;
        let mut connection = link
            .login(name, password)
            .connect()
            .await
            .map_err(|e| login_error(name, &self.location, e))?;
        let role: Option<String> = sqlx::query_scalar("SELECT sesame_session_role()")
            .fetch_one(&mut connection)
            .await?;
        connection.close().await.ok();
        role.map(|role| DatabaseLogin {
            name: name.to_owned(),
            role,
        })
        .ok_or_else(|| StoreError::NotAnOperatorLogin {
            name: name.to_owned(),
        })
    }

    /// A supervisor countersigns `action` on `target` for `clerk`'s login, with the
    /// supervisor's own login and password: the database records it for five minutes
    /// and lets the clerk's next transaction that needs it pass.
    pub async fn countersign_with_login(
        &self,
        supervisor: &str,
        password: &str,
        clerk: &str,
        action: &str,
        target: &str,
    ) -> Result<()> {
        let link = self.per_operator_link()?;
        let mut connection = link
            .login(supervisor, password)
            .connect()
            .await
            .map_err(|e| login_error(supervisor, &self.location, e))?;
        let done = sqlx::query("SELECT sesame_countersign($1, $2, $3)")
            .bind(clerk)
            .bind(action)
            .bind(target)
            .execute(&mut connection)
            .await;
        connection.close().await.ok();
        done.map(drop).map_err(|error| match &error {
            // Only supervisors may run it: anyone else is refused by the database.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("42501") => {
                StoreError::DatabaseRefused {
                    action: "countersign".into(),
                }
            }
            _ => error.into(),
        })
    }

    /// Creates an operator's database login in the group of `role` (`clerk`,
    /// `supervisor`, or `housekeeping` for the unattended service account) and, for a
    /// person, their operator record. A supervisor's (or the owner's) act.
    pub async fn create_login(
        &self,
        name: &str,
        display_name: &str,
        role: &str,
        password: &str,
    ) -> Result<()> {
        let pool = self.pg_link()?.pool()?;
        sqlx::query("SELECT sesame_create_login($1, $2, $3, $4)")
            .bind(name)
            .bind(display_name)
            .bind(role)
            .bind(scram_verifier(password))
            .execute(&pool)
            .await
            .map(drop)
            .map_err(|error| match &error {
                sqlx::Error::Database(db) if db.code().as_deref() == Some("42710") => {
                    StoreError::OperatorExists {
                        name: name.to_owned(),
                    }
                }
                _ => error.into(),
            })
    }

    /// Gives `name`'s login a new password (their own, or anyone's for a supervisor).
    pub async fn set_login_password(&self, name: &str, password: &str) -> Result<()> {
        let pool = self.pg_link()?.pool()?;
        sqlx::query("SELECT sesame_set_login_password($1, $2)")
            .bind(name)
            .bind(scram_verifier(password))
            .execute(&pool)
            .await?;
        Ok(())
    }

    /// Moves `name`'s login to the group of `role` (`clerk` or `supervisor`); the last
    /// active supervisor stays one (`operator.last_supervisor`).
    pub async fn set_login_role(&self, name: &str, role: &str) -> Result<()> {
        let pool = self.pg_link()?.pool()?;
        sqlx::query("SELECT sesame_set_login_role($1, $2)")
            .bind(name)
            .bind(role)
            .execute(&pool)
            .await
            .map_err(|error| last_supervisor(name, error))?;
        Ok(())
    }

    /// Lets `name` log in and act again, or stops both (a session still open loses its
    /// group at once).
    pub async fn set_login_active(&self, name: &str, active: bool) -> Result<()> {
        let pool = self.pg_link()?.pool()?;
        sqlx::query("SELECT sesame_set_login_active($1, $2)")
            .bind(name)
            .bind(active)
            .execute(&pool)
            .await
            .map_err(|error| last_supervisor(name, error))?;
        Ok(())
    }

    /// Run once by the queue's owner (a login with CREATEROLE), and again after each
    /// upgrade: applies the migrations, creates the groups `sesame_clerk`,
    /// `sesame_supervisor` and `sesame_housekeeping` if the server lacks them, and gives
    /// them this database's tables as the guards expect. Idempotent.
    pub async fn secure_database(&self) -> Result<SecuredDatabase> {
        let pool = self.pg_link()?.pool()?;
        let (owner, database, can_create_roles): (String, String, bool) = sqlx::query_as(
            "SELECT current_user::TEXT, current_database()::TEXT,
                    (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user)",
        )
        .fetch_one(&pool)
        .await?;
        if !can_create_roles {
            return Err(StoreError::CannotCreateRoles {
                login: owner,
                detail: "the login lacks CREATEROLE".into(),
            });
        }
        POSTGRES_MIGRATIONS.run(&pool).await?;
        // Two queues of one server secured at once race on the shared groups: the loser
        // of a race retries.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let done = async {
                let mut tx = pool.begin().await?;
                sqlx::raw_sql(SECURE_GROUPS).execute(&mut *tx).await?;
                sqlx::raw_sql(SECURE_GRANTS).execute(&mut *tx).await?;
                tx.commit().await
            }
            .await;
            match done {
                Ok(()) => break,
                Err(sqlx::Error::Database(db))
                    if attempt < 10
                        && matches!(db.code().as_deref(), Some("23505" | "42710" | "XX000")) =>
                {
                    tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        Ok(SecuredDatabase { owner, database })
    }
}

/// The SCRAM-SHA-256 verifier PostgreSQL keeps for `password` (RFC 5802 and 7677, in
/// `pg_authid`'s form). The desk sends this to `CREATE ROLE … PASSWORD`, never the
/// password itself, so no server log of statements or of their parameters holds it.
fn scram_verifier(password: &str) -> String {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::{Digest, Sha256};

    const ITERATIONS: u32 = 4096;
    let mac = |key: &[u8], data: &[u8]| {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(data);
        mac.finalize().into_bytes()
    };
    // PostgreSQL normalises with SASLprep, and keeps a password it cannot prepare as is.
    let prepared = stringprep::saslprep(password)
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| password.to_owned());
    let salt = uuid::Uuid::new_v4().into_bytes();
    // Hi(password, salt, i): PBKDF2 with HMAC-SHA-256, one block.
    let mut block = mac(
        prepared.as_bytes(),
        &[&salt[..], &1u32.to_be_bytes()].concat(),
    );
    let mut salted = block;
    for _ in 1..ITERATIONS {
        block = mac(prepared.as_bytes(), &block);
        for (acc, byte) in salted.iter_mut().zip(block.iter()) {
            *acc ^= byte;
        }
    }
    let client_key = mac(&salted, b"Client Key");
    let stored_key = Sha256::digest(client_key);
    let server_key = mac(&salted, b"Server Key");
    format!(
        "SCRAM-SHA-256${ITERATIONS}:{}${}:{}",
        STANDARD.encode(salt),
        STANDARD.encode(stored_key),
        STANDARD.encode(server_key)
    )
}

/// The guards' refusal to leave the queue without an active supervisor.
fn last_supervisor(name: &str, error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.message().starts_with("sesame:last_supervisor:") => {
            StoreError::LastSupervisor {
                name: name.to_owned(),
            }
        }
        _ => error.into(),
    }
}

/// The signed-in login and its role, once the schema is known to be this version's.
async fn session_login(pool: &PgPool) -> Result<DatabaseLogin> {
    let latest = POSTGRES_MIGRATIONS
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(|_| StoreError::SchemaBehind)?;
    if applied.unwrap_or(0) < latest {
        return Err(StoreError::SchemaBehind);
    }
    let (name, role): (String, Option<String>) =
        sqlx::query_as("SELECT session_user::TEXT, sesame_session_role()")
            .fetch_one(pool)
            .await?;
    match role {
        Some(role) => Ok(DatabaseLogin { name, role }),
        None => Err(StoreError::NotAnOperatorLogin { name }),
    }
}

#[cfg(test)]
mod tests {
    /// A verifier has PostgreSQL's form and a salt of its own, and does not hold the
    /// password (that PostgreSQL takes it is what the login tests prove).
    #[test]
    fn verifiers_have_postgresql_form_and_a_fresh_salt() {
        let a = super::scram_verifier("pencil");
        let b = super::scram_verifier("pencil");
        assert!(a.starts_with("SCRAM-SHA-256$4096:"), "{a}");
        assert_ne!(a, b, "each verifier has its own salt");
        let (_, keys) = a.split_once('$').unwrap().1.split_once('$').unwrap();
        let (stored, server) = keys.split_once(':').unwrap();
        assert_eq!(stored.len(), 44);
        assert_eq!(server.len(), 44);
        assert!(!a.contains("pencil"));
    }
}
