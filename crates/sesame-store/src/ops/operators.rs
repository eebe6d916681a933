//! Operators and roles: registration when a desk opens, the settings screen's
//! changes, PIN hashes and their lockout. Every change is audited (entity
//! `operator`) in the same transaction; PIN hashes never reach the audit log.

use chrono::{DateTime, Duration, Utc};
use sesame_core::{AuditEntity, Clock, DomainError, Operator, OperatorRole};
use sqlx::Row;

use super::rows::row_by_key;
use super::{append_audit, begin_write, require_operator, Audit, Conn, DbRow, Now, Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::{is_unique_violation, Result, StoreError};
use crate::{
    pin_lock_minutes, NewOperator, OperatorChange, OperatorRecord, PinAttempt, RegisteredOperator,
};

const OPERATOR_COLUMNS: &str = "name, display_name, role, pin_hash, failed_pins, pin_locked_until, active, created_at, created_by, updated_at";

/// Longest operator name or display name kept (an account name, a person's name).
const MAX_NAME_CHARS: usize = 120;

fn record_from_row(row: &DbRow) -> Result<OperatorRecord> {
    let role: String = row.try_get("role")?;
    let pin_hash: Option<String> = row.try_get("pin_hash")?;
    Ok(OperatorRecord {
        operator: Operator {
            name: row.try_get("name")?,
            display_name: row.try_get("display_name")?,
            role: OperatorRole::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown operator role '{role}'")))?,
            has_pin: pin_hash.is_some(),
            active: row.try_get("active")?,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            updated_at: row.try_get("updated_at")?,
        },
        pin_hash,
        failed_pins: row.try_get("failed_pins")?,
        pin_locked_until: row.try_get("pin_locked_until")?,
    })
}

fn checked_name(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::FieldRequired {
            field: field.into(),
        }
        .into());
    }
    if value.chars().count() > MAX_NAME_CHARS || value.chars().any(char::is_control) {
        return Err(StoreError::OperatorNameInvalid {
            name: value.chars().take(MAX_NAME_CHARS).collect(),
        });
    }
    Ok(value.to_owned())
}

async fn load(conn: &mut Conn, name: &str, lock: bool) -> Result<Option<OperatorRecord>> {
    let row = row_by_key(
        conn,
        OPERATOR_COLUMNS,
        "operators",
        "name",
        name.trim(),
        lock,
    )
    .await?;
    row.as_ref().map(record_from_row).transpose()
}

async fn load_existing(conn: &mut Conn, name: &str) -> Result<OperatorRecord> {
    load(conn, name, true)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "operator",
            id: name.trim().to_owned(),
        })
}

/// Serialises changes that depend on who the supervisors are (bootstrap, demotion):
/// SQLite's `BEGIN IMMEDIATE` already does; PostgreSQL needs the table locked
/// against concurrent writers (readers still pass).
async fn lock_operators(conn: &mut Conn) -> Result<()> {
    if DIALECT == Dialect::Postgres {
        sqlx::query("LOCK TABLE operators IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn active_supervisors(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM operators WHERE role = 'supervisor' AND active = TRUE",
    )
    .fetch_one(&mut *conn)
    .await?)
}

fn public_json(operator: &Operator) -> serde_json::Value {
    serde_json::json!({
        "name": operator.name,
        "displayName": operator.display_name,
        "role": operator.role.as_str(),
        "hasPin": operator.has_pin,
        "active": operator.active,
    })
}

async fn insert(
    conn: &mut Conn,
    at: DateTime<Utc>,
    name: &str,
    display_name: &str,
    role: OperatorRole,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO operators (name, display_name, role, active, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, TRUE, $4, $5, $4)",
    )
    .bind(name)
    .bind(display_name)
    .bind(role.as_str())
    .bind(at)
    .bind(by.trim())
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            StoreError::OperatorExists {
                name: name.to_owned(),
            }
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Appends the audit line of a change to operator `name`.
#[allow(clippy::too_many_arguments)]
async fn audit_operator(
    conn: &mut Conn,
    at: DateTime<Utc>,
    by: &str,
    name: String,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    reason: Option<&str>,
) -> Result<()> {
    let audit = Audit {
        operator: by,
        entity: AuditEntity::Operator,
        entity_id: name,
        request_id: None,
        action,
        before,
        after,
        reason,
    };
    append_audit(conn, at, audit).await
}

pub(crate) async fn list_operators(pool: &Pool) -> Result<Vec<Operator>> {
    let sql = format!(
        "SELECT {OPERATOR_COLUMNS} FROM operators ORDER BY active DESC, LOWER(display_name), name"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| record_from_row(row).map(|r| r.operator))
        .collect()
}

pub(crate) async fn get_operator(pool: &Pool, name: &str) -> Result<Option<OperatorRecord>> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, name, false).await
}

/// The operator opening a desk: found, or created — as supervisor when the queue
/// has no active supervisor yet (a fresh install must not lock itself out), else as clerk.
pub(crate) async fn register_operator(
    pool: &Pool,
    clock: &Clock,
    name: &str,
) -> Result<RegisteredOperator> {
    let name = checked_name("operator", name)?;
    if let Some(record) = get_operator(pool, &name).await? {
        return Ok(RegisteredOperator {
            record,
            created: false,
        });
    }
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    lock_operators(&mut tx).await?;
    // Another desk may have registered the same name since the read above.
    if let Some(record) = load(&mut tx, &name, true).await? {
        return Ok(RegisteredOperator {
            record,
            created: false,
        });
    }
    let bootstrap = active_supervisors(&mut tx).await? == 0;
    let role = if bootstrap {
        OperatorRole::Supervisor
    } else {
        OperatorRole::Clerk
    };
    insert(&mut tx, at, &name, &name, role, &name).await?;
    let record = load_existing(&mut tx, &name).await?;
    audit_operator(
        &mut tx,
        at,
        &name,
        name.clone(),
        if bootstrap {
            "register_first_supervisor"
        } else {
            "register"
        },
        None,
        Some(public_json(&record.operator)),
        bootstrap.then_some("no supervisor yet: the first operator supervises"),
    )
    .await?;
    tx.commit().await?;
    Ok(RegisteredOperator {
        record,
        created: true,
    })
}

/// True while no active supervisor has a PIN: a new queue, or one from before
/// operators signed in. Only then may [`set_up_first_supervisor`] run.
pub(crate) async fn needs_first_supervisor(pool: &Pool) -> Result<bool> {
    let mut conn = pool.acquire().await?;
    Ok(signed_in_supervisors(&mut conn).await? == 0)
}

async fn signed_in_supervisors(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM operators WHERE role = 'supervisor' AND active = TRUE AND pin_hash IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The desk's first supervisor, with their PIN: a new operator, or an existing
/// one (from before sign-in) made an active supervisor with this PIN. Refused
/// (`operator.setup_done`) once any active supervisor has a PIN, checked under the
/// operators' lock so two desks setting up at once cannot both succeed.
pub(crate) async fn set_up_first_supervisor(
    pool: &Pool,
    clock: &Clock,
    new: NewOperator,
    pin_hash: &str,
) -> Result<Operator> {
    let name = checked_name("name", &new.name)?;
    let display_name = checked_name("displayName", &new.display_name)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    lock_operators(&mut tx).await?;
    if signed_in_supervisors(&mut tx).await? > 0 {
        return Err(StoreError::SetupDone);
    }
    let before = load(&mut tx, &name, true).await?;
    if before.is_none() {
        insert(
            &mut tx,
            at,
            &name,
            &display_name,
            OperatorRole::Supervisor,
            &name,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE operators SET role = 'supervisor', active = TRUE, display_name = $1, pin_hash = $2,
                failed_pins = 0, pin_locked_until = NULL, updated_at = $3 WHERE name = $4",
    )
    .bind(&display_name)
    .bind(pin_hash)
    .bind(at)
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    let after = load_existing(&mut tx, &name).await?;
    audit_operator(
        &mut tx,
        at,
        &name,
        name.clone(),
        "first_supervisor",
        before.as_ref().map(|r| public_json(&r.operator)),
        Some(public_json(&after.operator)),
        Some("no supervisor could sign in yet: the desk was set up"),
    )
    .await?;
    tx.commit().await?;
    Ok(after.operator)
}

pub(crate) async fn add_operator(
    pool: &Pool,
    clock: &Clock,
    new: NewOperator,
    by: &str,
) -> Result<Operator> {
    require_operator(by)?;
    let name = checked_name("name", &new.name)?;
    let display_name = checked_name("displayName", &new.display_name)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    insert(&mut tx, at, &name, &display_name, new.role, by).await?;
    let record = load_existing(&mut tx, &name).await?;
    audit_operator(
        &mut tx,
        at,
        by,
        name,
        "add",
        None,
        Some(public_json(&record.operator)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(record.operator)
}

/// Applies one change; refuses to leave the queue without an active supervisor.
pub(crate) async fn change_operator(
    pool: &Pool,
    clock: &Clock,
    name: &str,
    change: OperatorChange,
    by: &str,
) -> Result<Operator> {
    require_operator(by)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    lock_operators(&mut tx).await?;
    let before = load_existing(&mut tx, name).await?;
    let name = before.operator.name.clone();
    let (sql, action): (&str, &str) = match &change {
        OperatorChange::Role(_) => ("UPDATE operators SET role = $1, updated_at = $2 WHERE name = $3", "change_role"),
        OperatorChange::Active(true) => ("UPDATE operators SET active = $1, updated_at = $2 WHERE name = $3", "reactivate"),
        OperatorChange::Active(false) => ("UPDATE operators SET active = $1, updated_at = $2 WHERE name = $3", "deactivate"),
        OperatorChange::DisplayName(_) => ("UPDATE operators SET display_name = $1, updated_at = $2 WHERE name = $3", "rename"),
        OperatorChange::PinHash(Some(_)) => ("UPDATE operators SET pin_hash = $1, failed_pins = 0, pin_locked_until = NULL, updated_at = $2 WHERE name = $3", "set_pin"),
        OperatorChange::PinHash(None) => ("UPDATE operators SET pin_hash = $1, failed_pins = 0, pin_locked_until = NULL, updated_at = $2 WHERE name = $3", "clear_pin"),
    };
    let query = sqlx::query(sql);
    let query = match &change {
        OperatorChange::Role(role) => query.bind(role.as_str().to_owned()),
        OperatorChange::Active(active) => query.bind(*active),
        OperatorChange::DisplayName(display) => query.bind(checked_name("displayName", display)?),
        OperatorChange::PinHash(hash) => query.bind(hash.clone()),
    };
    query.bind(at).bind(&name).execute(&mut *tx).await?;
    let after = load_existing(&mut tx, &name).await?;
    let was_supervising =
        before.operator.active && before.operator.role == OperatorRole::Supervisor;
    let still_supervising =
        after.operator.active && after.operator.role == OperatorRole::Supervisor;
    if was_supervising && !still_supervising && active_supervisors(&mut tx).await? == 0 {
        // Dropping the transaction rolls the change back.
        return Err(StoreError::LastSupervisor { name });
    }
    audit_operator(
        &mut tx,
        at,
        by,
        name,
        action,
        Some(public_json(&before.operator)),
        Some(public_json(&after.operator)),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(after.operator)
}

/// Records a PIN check, after the hash was computed, and decides the lockout
/// here, in one write transaction on the locked row: the
/// [`PIN_ATTEMPTS_BEFORE_LOCK`]th wrong PIN in a row locks the PIN for
/// [`PIN_LOCK_MINUTES`], each further one doubles the lock (audited); a right PIN
/// while the lock holds is refused like a wrong one but does not extend it, and
/// clears the count once the lock is over. Because the decision is taken here
/// rather than before hashing, parallel tries cannot slip past a lock another
/// try set meanwhile. Returns the record as it now stands: the PIN is accepted
/// only when the attempt was right and `pin_locked_until` is not in the future.
pub(crate) async fn record_pin_attempt(
    pool: &Pool,
    clock: &Clock,
    name: &str,
    attempt: PinAttempt,
    purpose: &str,
) -> Result<OperatorRecord> {
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let before = load_existing(&mut tx, name).await?;
    let name = before.operator.name.clone();
    let locked_now = before.pin_locked_until.is_some_and(|until| until > at);
    match attempt {
        PinAttempt::Right if locked_now => return Ok(before),
        PinAttempt::Right => {
            if before.failed_pins == 0 && before.pin_locked_until.is_none() {
                return Ok(before);
            }
            sqlx::query(
                "UPDATE operators SET failed_pins = 0, pin_locked_until = NULL WHERE name = $1",
            )
            .bind(&name)
            .execute(&mut *tx)
            .await?;
        }
        PinAttempt::Wrong => {
            let failed = before.failed_pins + 1;
            let lock = pin_lock_minutes(failed).map(|minutes| at + Duration::minutes(minutes));
            let until = lock.or(before.pin_locked_until);
            sqlx::query(
                "UPDATE operators SET failed_pins = $1, pin_locked_until = $2 WHERE name = $3",
            )
            .bind(failed)
            .bind(until)
            .bind(&name)
            .execute(&mut *tx)
            .await?;
            if lock.is_some() {
                audit_operator(
                    &mut tx,
                    at,
                    &name,
                    name.clone(),
                    "pin_locked",
                    None,
                    Some(serde_json::json!({
                        "lockedUntil": until,
                        "failedInARow": failed,
                        "purpose": purpose,
                    })),
                    Some("too many wrong PINs in a row"),
                )
                .await?;
            }
        }
    }
    let after = load_existing(&mut tx, &name).await?;
    tx.commit().await?;
    Ok(after)
}

/// An operator event that changes no row but must be in the audit log
/// (a supervisor's countersign, an unlock).
pub(crate) async fn audit_operator_event(
    pool: &Pool,
    clock: &Clock,
    operator: &str,
    subject: &str,
    action: &str,
    details: serde_json::Value,
    reason: Option<&str>,
) -> Result<()> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Operator,
            entity_id: subject.trim().to_owned(),
            request_id: None,
            action,
            before: None,
            after: Some(details),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
