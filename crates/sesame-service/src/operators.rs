//! Operators and roles at the desk: registration when the desk opens,
//! the settings screen's operator management, PINs, the supervisor countersign
//! and the idle lock.
//!
//! The desk opens with nobody signed in: an operator signs in with their name and
//! PIN (a new queue first sets up its first supervisor), and only then does the
//! desk read or write anything (`Desk::require_signed_in`). The unattended
//! housekeeping run signs in with a token a supervisor set up.
//!
//! PINs are 6 to 12 digits, stored only as Argon2id PHC strings at 64 MiB, so an
//! offline search of the stored hashes costs a long time per PIN. Five wrong PINs
//! in a row lock that PIN for five minutes, each further one doubles the lock
//! (recorded in the database, so restarting the app does not reset it); the lock
//! is decided after the hash, so parallel tries cannot slip past it.

use std::time::Instant;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{Operator, OperatorRole};
use sesame_store::{NewOperator, OperatorChange, OperatorRecord, PinAttempt};
use ts_rs::TS;

use crate::blocking::Blocking;
use crate::database_logins;
use crate::session::{Account, Elevation, SignedIn, ELEVATION_WINDOW};
use crate::{Desk, SensitiveAction, ServiceError};

pub const MIN_PIN_DIGITS: usize = 6;
pub const MAX_PIN_DIGITS: usize = 12;

/// What the UI needs to know about who is at this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskSession {
    pub operator: String,
    pub display_name: String,
    pub role: OperatorRole,
    pub has_pin: bool,
    /// The supervisor whose countersign is in force, for which action on which
    /// target, and until when.
    pub countersigned_by: Option<String>,
    pub countersign_action: Option<SensitiveAction>,
    pub countersign_target: Option<String>,
    pub countersign_until: Option<DateTime<Utc>>,
    /// The desk is locked: only `unlock_desk` with the operator's PIN opens it.
    pub locked: bool,
    /// The office's idle lock delay (0: off). The UI locks after this long without
    /// input, and only when the operator has a PIN (else there is no way back in).
    pub lock_after_minutes: u32,
    /// Operators prove who they are with their database login's password, not a PIN
    /// (the sign-in, lock, countersign and operator forms ask for a password).
    pub database_login: bool,
}

/// A supervisor's countersign for one sensitive action on one target at this
/// desk, as the refusal named them (`AppError::countersign`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CountersignInput {
    pub supervisor: String,
    pub pin: String,
    pub action: SensitiveAction,
    pub target: String,
}

/// Setting or changing one's own PIN: the current PIN is needed once one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetPinInput {
    pub current_pin: Option<String>,
    pub new_pin: String,
}

/// An operator added from the settings screen, with the first PIN they sign in
/// with (given to them by the supervisor; they change it from their settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddOperatorInput {
    pub name: String,
    pub display_name: String,
    pub role: OperatorRole,
    pub pin: String,
}

/// Registers the desk's operator (see `Store::register_operator`) and returns
/// their record; a deactivated operator cannot open a desk.
pub(crate) async fn register_desk_operator(
    store: &sesame_store::Store,
    name: &str,
) -> Result<OperatorRecord, ServiceError> {
    let registered = store.register_operator(name).await?;
    if !registered.record.operator.active {
        return Err(ServiceError::OperatorInactive {
            name: registered.record.operator.name,
        });
    }
    if registered.created {
        tracing::info!(
            operator = %registered.record.operator.name,
            role = registered.record.operator.role.as_str(),
            "new operator registered"
        );
    }
    Ok(registered.record)
}

fn check_pin_format(pin: &str) -> Result<(), ServiceError> {
    let digits = pin.chars().count();
    if !(MIN_PIN_DIGITS..=MAX_PIN_DIGITS).contains(&digits)
        || !pin.chars().all(|c| c.is_ascii_digit())
    {
        return Err(ServiceError::PinInvalid {
            min: MIN_PIN_DIGITS,
            max: MAX_PIN_DIGITS,
        });
    }
    Ok(())
}

/// Argon2id memory cost for new PINs, in KiB: 64 MiB per try makes an offline
/// search of a million PINs take days on a graphics card's memory budget, while a
/// sign-in stays under a second.
const PIN_HASH_MEMORY_KIB: u32 = 64 * 1024;
const PIN_HASH_PASSES: u32 = 3;

fn pin_hasher() -> Argon2<'static> {
    let params = Params::new(PIN_HASH_MEMORY_KIB, PIN_HASH_PASSES, 1, None)
        .expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_pin(pin: &str) -> Result<String, ServiceError> {
    check_pin_format(pin)?;
    pin_hasher()
        .hash_password(pin.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::PinHash {
            detail: e.to_string(),
        })
}

fn pin_matches(pin: &str, phc: &str) -> Result<bool, ServiceError> {
    let parsed = PasswordHash::new(phc).map_err(|e| ServiceError::PinHash {
        detail: format!("stored PIN hash is unreadable: {e}"),
    })?;
    // The parameters come from the stored hash: a PIN hashed under older, cheaper
    // parameters still verifies (and is re-hashed when its owner changes it).
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// A hash no PIN matches, checked for unknown names so that they cost the same
/// time as known ones.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_pin("000000").unwrap_or_default())
}

/// Checks `pin` against `name`'s PIN: the hash first, always, then the attempt is
/// recorded and the lockout decided by the store on the locked row (a right PIN
/// during a lock is refused too).
async fn verify_pin(
    desk: &Desk,
    name: &str,
    pin: &str,
    purpose: &str,
) -> Result<OperatorRecord, ServiceError> {
    let record = desk.store.operator(name).await?;
    let stored = record.as_ref().and_then(|r| r.pin_hash.clone());
    let right = {
        let pin = pin.to_owned();
        let hash = stored.clone();
        // Argon2 is deliberately slow: keep it off the async workers.
        Blocking::PinHash
            .run(move || match hash {
                Some(hash) => pin_matches(&pin, &hash),
                None => pin_matches(&pin, decoy_hash()).map(|_| false),
            })
            .await?
    };
    let Some(record) = record else {
        // An unknown name answers like a wrong PIN: the screen must not tell a
        // curious colleague which names exist.
        return Err(ServiceError::PinWrong {
            name: name.trim().to_owned(),
        });
    };
    let operator_name = record.operator.name.clone();
    if stored.is_none() {
        return Err(ServiceError::PinNotSet {
            name: operator_name,
        });
    }
    let attempt = if right {
        PinAttempt::Right
    } else {
        PinAttempt::Wrong
    };
    let after = desk
        .store
        .record_pin_attempt(&operator_name, attempt, purpose)
        .await?;
    if let Some(until) = after
        .pin_locked_until
        .filter(|until| *until > desk.clock.now())
    {
        return Err(ServiceError::PinLocked {
            name: operator_name,
            until,
        });
    }
    if !right {
        return Err(ServiceError::PinWrong {
            name: operator_name,
        });
    }
    if !after.operator.active {
        return Err(ServiceError::OperatorInactive {
            name: operator_name,
        });
    }
    Ok(after)
}

async fn hash_pin_blocking(pin: String) -> Result<String, ServiceError> {
    Blocking::PinHash.run(move || hash_pin(&pin)).await
}

/// The operator signed in at this desk, locked or not (`operator.sign_in_required`
/// when nobody is).
fn signed_in_name(desk: &Desk) -> Result<String, ServiceError> {
    desk.operator().ok_or(ServiceError::SignInRequired)
}

/// Who is at this desk, their role (re-read from the database, so a role changed
/// at another desk applies here), countersign and lock state. Answers while the
/// desk is locked (the lock screen names whose desk it is), not when signed out.
pub async fn desk_session(desk: &Desk) -> Result<DeskSession, ServiceError> {
    let name = signed_in_name(desk)?;
    let record = desk.store.operator(&name).await?.ok_or_else(|| {
        ServiceError::Store(sesame_store::StoreError::NotFound {
            entity: "operator",
            id: name.clone(),
        })
    })?;
    let policy = desk.store.policy().await?;
    let mut session = desk.session();
    let Some(signed_in) = session.signed_in.as_mut() else {
        return Err(ServiceError::SignInRequired);
    };
    signed_in.role = if record.operator.active {
        record.operator.role
    } else {
        // Deactivated while the desk was open: no sensitive action from here on.
        OperatorRole::Clerk
    };
    let role = signed_in.role;
    let now = Instant::now();
    let elevation = session
        .elevation
        .as_ref()
        .filter(|e| now < e.until)
        .cloned();
    Ok(DeskSession {
        operator: record.operator.name,
        display_name: record.operator.display_name,
        role,
        // A database login's password locks and unlocks like a PIN.
        has_pin: record.pin_hash.is_some() || database_logins::in_use(desk),
        countersigned_by: elevation.as_ref().map(|e| e.supervisor.clone()),
        countersign_action: elevation.as_ref().map(|e| e.action),
        countersign_target: elevation.as_ref().map(|e| e.target.clone()),
        countersign_until: elevation.as_ref().map(|e| e.until_utc),
        locked: session.locked,
        lock_after_minutes: policy.lock_after_minutes,
        database_login: database_logins::in_use(desk),
    })
}

/// The session of the unattended housekeeping login (no operator record, no lock).
fn housekeeping_session(name: String) -> DeskSession {
    DeskSession {
        display_name: name.clone(),
        operator: name,
        role: OperatorRole::Clerk,
        has_pin: true,
        countersigned_by: None,
        countersign_action: None,
        countersign_target: None,
        countersign_until: None,
        locked: false,
        lock_after_minutes: 0,
        database_login: true,
    }
}

/// What the window shows before anyone works at it: the first supervisor's setup
/// (a new queue), the sign-in form, or the lock screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInState {
    /// No supervisor can sign in yet: the desk opens on the first supervisor's setup.
    pub setup_needed: bool,
    /// The name the sign-in form starts with (the OS account; a suggestion only).
    pub suggested_operator: String,
    /// The operator signed in (locked or not), if anyone is.
    pub signed_in: Option<String>,
    pub locked: bool,
    /// Operators sign in with their own database login and password (a PostgreSQL
    /// queue whose roles the database enforces), not a PIN.
    pub database_login: bool,
}

/// An operator signing in: their name and PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInInput {
    pub name: String,
    pub pin: String,
}

/// A new queue's first supervisor: who they are and their PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirstSupervisorInput {
    pub name: String,
    pub display_name: String,
    pub pin: String,
}

/// Whether the desk needs its first supervisor, a sign-in, or its PIN to unlock.
pub async fn sign_in_state(desk: &Desk) -> Result<SignInState, ServiceError> {
    let database_login = database_logins::in_use(desk);
    // With database logins the queue's owner sets up the first supervisor's login
    // (`sesamectl db secure`), and nothing is read before someone signs in.
    let setup_needed = !database_login && desk.store.needs_first_supervisor().await?;
    let session = desk.session();
    Ok(SignInState {
        setup_needed,
        suggested_operator: crate::paths::suggested_operator_name(),
        signed_in: session.signed_in.as_ref().map(|s| s.name.clone()),
        locked: session.locked,
        database_login,
    })
}

fn begin_session(desk: &Desk, signed_in: SignedIn) {
    let mut session = desk.session();
    session.signed_in = Some(signed_in);
    session.locked = false;
    session.elevation = None;
    session.intake_draft = None;
}

/// Signs an operator in with their PIN; whoever was signed in before is signed
/// out (a countersign ends with them). Audited.
pub async fn sign_in(desk: &Desk, input: SignInInput) -> Result<DeskSession, ServiceError> {
    let signed_in = if database_logins::in_use(desk) {
        database_logins::sign_in(desk, &input.name, &input.pin).await?
    } else {
        let record = verify_pin(desk, &input.name, &input.pin, "sign_in").await?;
        SignedIn {
            name: record.operator.name,
            role: record.operator.role,
            account: Account::Person,
        }
    };
    let name = signed_in.name.clone();
    let account = signed_in.account;
    desk.store
        .audit_operator_event(&name, &name, "sign_in", serde_json::json!({}), None)
        .await?;
    begin_session(desk, signed_in);
    if account == Account::Housekeeping {
        // The service account (a database login) is no operator: it has no record to read.
        return Ok(housekeeping_session(name));
    }
    desk_session(desk).await
}

/// Signs the operator out: the desk reads and writes nothing until the next sign-in.
/// The sign-in form then suggests the name that just signed out.
pub async fn sign_out(desk: &Desk) -> Result<SignInState, ServiceError> {
    let was = {
        let mut session = desk.session();
        session.locked = false;
        session.elevation = None;
        session.intake_draft = None;
        session.signed_in.take()
    };
    crate::camera_close(desk).await?;
    // Nothing reaches the database until the next operator signs in with their login.
    desk.store.sign_out_login().await;
    let mut state = sign_in_state(desk).await?;
    if let Some(was) = was.filter(|w| w.account == Account::Person) {
        state.suggested_operator = was.name;
    }
    Ok(state)
}

/// Sets up a new queue's first supervisor with their PIN, and signs them in.
/// Refused (`operator.setup_done`) once any supervisor can sign in.
pub async fn set_up_first_supervisor(
    desk: &Desk,
    input: FirstSupervisorInput,
) -> Result<DeskSession, ServiceError> {
    let hash = hash_pin_blocking(input.pin).await?;
    let operator = desk
        .store
        .set_up_first_supervisor(
            NewOperator {
                name: input.name,
                display_name: input.display_name,
                role: OperatorRole::Supervisor,
            },
            &hash,
        )
        .await?;
    begin_session(
        desk,
        SignedIn {
            name: operator.name,
            role: operator.role,
            account: Account::Person,
        },
    );
    desk_session(desk).await
}

/// The name the housekeeping account signs in (and is audited) under.
pub const HOUSEKEEPING_ACCOUNT: &str = "housekeeping";
/// What a countersign for the housekeeping token names.
const HOUSEKEEPING_TARGET: &str = "housekeeping-token";

/// What a countersign for a change to operator `name` names.
pub fn operator_target(name: &str) -> String {
    format!("operator:{}", name.trim())
}
const HOUSEKEEPING_TOKEN_SETTING: &str = "housekeeping.tokenHash";

/// A supervisor sets up (or replaces) the housekeeping account's token: returned
/// once, for `sesamectl housekeeping --service-account` to read from a file only
/// the account running it can read. The database keeps its Argon2 hash.
pub async fn set_up_housekeeping_token(desk: &Desk) -> Result<String, ServiceError> {
    desk.require_supervisor(SensitiveAction::ManageOperators, HOUSEKEEPING_TARGET)?;
    let actor = desk.actor()?;
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let hash = {
        let token = token.clone();
        Blocking::PinHash
            .run(move || {
                Argon2::default()
                    .hash_password(token.as_bytes())
                    .map(|h| h.to_string())
                    .map_err(|e| ServiceError::PinHash {
                        detail: e.to_string(),
                    })
            })
            .await?
    };
    desk.store
        .save_setting(
            HOUSEKEEPING_TOKEN_SETTING,
            &serde_json::Value::String(hash),
            &actor,
        )
        .await?;
    Ok(token)
}

/// Signs the unattended housekeeping run in with its token: the account may run
/// housekeeping (and its retention purge) and no other sensitive action.
pub async fn sign_in_housekeeping(desk: &Desk, token: &str) -> Result<(), ServiceError> {
    let invalid = |detail: &str| ServiceError::HousekeepingTokenInvalid {
        detail: detail.to_owned(),
    };
    let stored = desk
        .store
        .setting(HOUSEKEEPING_TOKEN_SETTING)
        .await?
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| {
            invalid("no housekeeping token is set up (sesamectl operator housekeeping-token)")
        })?;
    let token = token.trim().to_owned();
    let right = Blocking::PinHash
        .run(move || pin_matches(&token, &stored))
        .await?;
    if !right {
        return Err(invalid("the token does not match the one set up"));
    }
    begin_session(
        desk,
        SignedIn {
            name: HOUSEKEEPING_ACCOUNT.to_owned(),
            role: OperatorRole::Clerk,
            account: Account::Housekeeping,
        },
    );
    Ok(())
}

/// A supervisor's countersign at this desk: their name and PIN let this desk do
/// `input.action` on `input.target` once, within [`ELEVATION_WINDOW`]. Audited
/// under the supervisor's name, naming the desk's operator, the action and target.
pub async fn countersign(
    desk: &Desk,
    input: CountersignInput,
) -> Result<DeskSession, ServiceError> {
    let operator = desk.actor()?;
    let window =
        chrono::Duration::from_std(ELEVATION_WINDOW).unwrap_or(chrono::Duration::minutes(5));
    let until_utc = desk.clock.now() + window;
    let supervisor = if database_logins::in_use(desk) {
        // Checked and recorded (audit line included) by the database, for the clerk's login.
        database_logins::countersign(
            desk,
            &input.supervisor,
            &input.pin,
            &operator,
            input.action,
            &input.target,
        )
        .await?
    } else {
        let record = verify_pin(desk, &input.supervisor, &input.pin, "countersign").await?;
        let supervisor = record.operator.name.clone();
        if record.operator.role != OperatorRole::Supervisor {
            return Err(ServiceError::NotASupervisor { name: supervisor });
        }
        desk.store
            .audit_operator_event(
                &supervisor,
                &operator,
                "countersign",
                serde_json::json!({
                    "deskOperator": operator,
                    "action": input.action.as_str(),
                    "target": input.target,
                    "until": until_utc,
                }),
                None,
            )
            .await?;
        supervisor
    };
    desk.session().elevation = Some(Elevation {
        supervisor,
        action: input.action,
        target: input.target,
        until: Instant::now() + ELEVATION_WINDOW,
        until_utc,
    });
    desk_session(desk).await
}

/// Ends a countersign before its window runs out (the supervisor walks away).
pub async fn end_countersign(desk: &Desk) -> Result<DeskSession, ServiceError> {
    desk.session().elevation = None;
    desk_session(desk).await
}

/// Locks the desk (the UI's idle timer, or the operator stepping away): nothing
/// but the operator's PIN opens it again, and a countersign ends.
pub async fn lock_desk(desk: &Desk) -> Result<DeskSession, ServiceError> {
    let name = signed_in_name(desk)?;
    // A database login's password unlocks; a PIN desk needs the operator's PIN set.
    if !database_logins::in_use(desk)
        && desk
            .store
            .operator(&name)
            .await?
            .and_then(|r| r.pin_hash)
            .is_none()
    {
        return Err(ServiceError::PinNotSet { name });
    }
    {
        let mut session = desk.session();
        session.locked = true;
        // A countersign does not survive the supervisor's absence, nor a half-typed
        // holder the operator's.
        session.elevation = None;
        session.intake_draft = None;
    }
    crate::camera_close(desk).await?;
    desk_session(desk).await
}

/// Unlocks the desk with its operator's own PIN.
pub async fn unlock_desk(desk: &Desk, pin: String) -> Result<DeskSession, ServiceError> {
    let name = signed_in_name(desk)?;
    if database_logins::in_use(desk) {
        database_logins::verify(desk, &name, &pin).await?;
    } else {
        verify_pin(desk, &name, &pin, "unlock").await?;
    }
    desk.session().locked = false;
    desk_session(desk).await
}

/// Sets or changes the desk operator's own PIN (the current one is needed to change it).
pub async fn set_own_pin(desk: &Desk, input: SetPinInput) -> Result<DeskSession, ServiceError> {
    let name = desk.actor()?;
    if database_logins::in_use(desk) {
        database_logins::verify(
            desk,
            &name,
            input.current_pin.as_deref().unwrap_or_default(),
        )
        .await?;
        database_logins::set_password(desk, &name, &input.new_pin).await?;
        return desk_session(desk).await;
    }
    check_pin_format(&input.new_pin)?;
    let record = desk.store.operator(&name).await?;
    if record.as_ref().is_some_and(|r| r.pin_hash.is_some()) {
        let current = input.current_pin.unwrap_or_default();
        verify_pin(desk, &name, &current, "change_pin").await?;
    }
    let hash = hash_pin_blocking(input.new_pin).await?;
    desk.store
        .change_operator(&name, OperatorChange::PinHash(Some(hash)), &name)
        .await?;
    desk_session(desk).await
}

/// Every operator, for the settings screen.
pub async fn list_operators(desk: &Desk) -> Result<Vec<Operator>, ServiceError> {
    Ok(desk.store.list_operators().await?)
}

/// Adds an operator with their first PIN (supervisor action).
pub async fn add_operator(desk: &Desk, input: AddOperatorInput) -> Result<Operator, ServiceError> {
    desk.require_supervisor(
        SensitiveAction::ManageOperators,
        &operator_target(&input.name),
    )?;
    let actor = desk.actor()?;
    if database_logins::in_use(desk) {
        return database_logins::add(
            desk,
            &input.name,
            &input.display_name,
            input.role,
            &input.pin,
        )
        .await;
    }
    let hash = hash_pin_blocking(input.pin).await?;
    let added = desk
        .store
        .add_operator(
            NewOperator {
                name: input.name,
                display_name: input.display_name,
                role: input.role,
            },
            &actor,
        )
        .await?;
    Ok(desk
        .store
        .change_operator(&added.name, OperatorChange::PinHash(Some(hash)), &actor)
        .await?)
}

/// Makes an operator clerk or supervisor (supervisor action; the last active
/// supervisor cannot be demoted).
pub async fn set_operator_role(
    desk: &Desk,
    name: String,
    role: OperatorRole,
) -> Result<Operator, ServiceError> {
    operator_change(desk, &name, OperatorChange::Role(role)).await
}

/// Deactivates (or reactivates) an operator; their history stays.
pub async fn set_operator_active(
    desk: &Desk,
    name: String,
    active: bool,
) -> Result<Operator, ServiceError> {
    operator_change(desk, &name, OperatorChange::Active(active)).await
}

/// Changes the name shown for an operator.
pub async fn rename_operator(
    desk: &Desk,
    name: String,
    display_name: String,
) -> Result<Operator, ServiceError> {
    operator_change(desk, &name, OperatorChange::DisplayName(display_name)).await
}

/// Replaces an operator's forgotten PIN with one the supervisor gives them (they
/// change it from their settings once signed in); clears their lockout.
pub async fn reset_operator_pin(
    desk: &Desk,
    name: String,
    pin: String,
) -> Result<Operator, ServiceError> {
    if database_logins::in_use(desk) {
        desk.require_supervisor(SensitiveAction::ManageOperators, &operator_target(&name))?;
        return database_logins::set_password(desk, &name, &pin).await;
    }
    // The hash first: the supervisor's check below uses up a countersign.
    let hash = hash_pin_blocking(pin).await?;
    operator_change(desk, &name, OperatorChange::PinHash(Some(hash))).await
}

async fn operator_change(
    desk: &Desk,
    name: &str,
    change: OperatorChange,
) -> Result<Operator, ServiceError> {
    desk.require_supervisor(SensitiveAction::ManageOperators, &operator_target(name))?;
    let actor = desk.actor()?;
    let changed = match (database_logins::in_use(desk), change) {
        (true, OperatorChange::Role(role)) => database_logins::set_role(desk, name, role).await?,
        (true, OperatorChange::Active(active)) => {
            database_logins::set_active(desk, name, active).await?
        }
        (_, change) => desk.store.change_operator(name, change, &actor).await?,
    };
    if changed.name == actor {
        // This desk's own role or status changed: apply it now.
        desk_session(desk).await?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_to_twelve_digits() {
        for good in ["000000", "123456", "123456789012"] {
            assert!(check_pin_format(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "123",
            "1234",
            "12345",
            "1234567890123",
            "12a4",
            "١٢٣٤",
            "12 34",
            "-1234",
        ] {
            let err = check_pin_format(bad).unwrap_err();
            assert_eq!(
                sesame_core::ErrorCode::code(&err),
                "operator.pin_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn pin_hash_is_argon2id_and_verifies_only_the_right_pin() {
        let hash = hash_pin("482193").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("482193"));
        assert!(pin_matches("482193", &hash).unwrap());
        assert!(!pin_matches("482194", &hash).unwrap());
        // Salted: the same PIN hashes differently each time.
        assert_ne!(hash, hash_pin("482193").unwrap());
    }
}
