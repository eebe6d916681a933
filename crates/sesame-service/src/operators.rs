//! Operators and roles at the desk: registration when the desk opens,
//! the settings screen's operator management, PINs, the supervisor countersign
//! and the idle lock.
//!
//! PINs are 4 to 12 digits, stored only as Argon2id PHC strings. Five wrong PINs
//! in a row lock that PIN for five minutes (recorded in the database, so
//! restarting the app does not reset it).

use std::time::Instant;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{Operator, OperatorRole};
use sesame_store::{NewOperator, OperatorChange, OperatorRecord, PinAttempt};
use ts_rs::TS;

use crate::session::{Elevation, ELEVATION_WINDOW};
use crate::{Desk, SensitiveAction, ServiceError};

pub const MIN_PIN_DIGITS: usize = 4;
pub const MAX_PIN_DIGITS: usize = 12;

/// What the UI needs to know about who is at this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskSession {
    pub operator: String,
    pub display_name: String,
    pub role: OperatorRole,
    pub has_pin: bool,
    /// The supervisor whose countersign is in force, and until when.
    pub countersigned_by: Option<String>,
    pub countersign_action: Option<SensitiveAction>,
    pub countersign_until: Option<DateTime<Utc>>,
    /// The desk is locked: only `unlock_desk` with the operator's PIN opens it.
    pub locked: bool,
    /// The office's idle lock delay (0: off). The UI locks after this long without
    /// input, and only when the operator has a PIN (else there is no way back in).
    pub lock_after_minutes: u32,
}

/// A supervisor's countersign for a sensitive action at this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CountersignInput {
    pub supervisor: String,
    pub pin: String,
    /// The action the clerk is about to do; the countersign then covers only it.
    /// `None` covers any sensitive action for the window.
    pub action: Option<SensitiveAction>,
}

/// Setting or changing one's own PIN: the current PIN is needed once one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetPinInput {
    pub current_pin: Option<String>,
    pub new_pin: String,
}

/// An operator added from the settings screen, with an optional first PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddOperatorInput {
    pub name: String,
    pub display_name: String,
    pub role: OperatorRole,
    pub pin: Option<String>,
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

/// Argon2id with the crate's defaults (19 MiB, 2 passes): tens of milliseconds
/// per check, which makes trying all PINs offline slow and online pointless
/// (the lockout stops it long before).
fn hash_pin(pin: &str) -> Result<String, ServiceError> {
    check_pin_format(pin)?;
    Argon2::default()
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
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// Checks `pin` against `name`'s PIN, honouring and updating the lockout.
async fn verify_pin(
    desk: &Desk,
    name: &str,
    pin: &str,
    purpose: &str,
) -> Result<OperatorRecord, ServiceError> {
    let record = desk
        .store
        .operator(name)
        .await?
        .ok_or_else(|| ServiceError::PinWrong {
            // An unknown name answers like a wrong PIN: the screen must not tell
            // a curious colleague which names exist.
            name: name.trim().to_owned(),
        })?;
    let operator_name = record.operator.name.clone();
    if let Some(until) = record
        .pin_locked_until
        .filter(|until| *until > desk.clock.now())
    {
        return Err(ServiceError::PinLocked {
            name: operator_name,
            until,
        });
    }
    let Some(hash) = record.pin_hash.as_deref() else {
        return Err(ServiceError::PinNotSet {
            name: operator_name,
        });
    };
    let right = {
        let pin = pin.to_owned();
        let hash = hash.to_owned();
        // Argon2 is deliberately slow: keep it off the async workers.
        tokio::task::spawn_blocking(move || pin_matches(&pin, &hash))
            .await
            .map_err(|e| ServiceError::PinHash {
                detail: e.to_string(),
            })??
    };
    let attempt = if right {
        PinAttempt::Right
    } else {
        PinAttempt::Wrong
    };
    let after = desk
        .store
        .record_pin_attempt(&operator_name, attempt, purpose)
        .await?;
    if !right {
        return Err(match after.pin_locked_until {
            Some(until) if until > desk.clock.now() => ServiceError::PinLocked {
                name: operator_name,
                until,
            },
            _ => ServiceError::PinWrong {
                name: operator_name,
            },
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
    tokio::task::spawn_blocking(move || hash_pin(&pin))
        .await
        .map_err(|e| ServiceError::PinHash {
            detail: e.to_string(),
        })?
}

/// Who is at this desk, their role (re-read from the database, so a role changed
/// at another desk applies here), countersign and lock state.
pub async fn desk_session(desk: &Desk) -> Result<DeskSession, ServiceError> {
    let record = desk.store.operator(&desk.operator).await?.ok_or_else(|| {
        ServiceError::Store(sesame_store::StoreError::NotFound {
            entity: "operator",
            id: desk.operator.clone(),
        })
    })?;
    let policy = desk.store.policy().await?;
    let mut session = desk.session();
    session.role = if record.operator.active {
        record.operator.role
    } else {
        // Deactivated while the desk was open: no sensitive action from here on.
        OperatorRole::Clerk
    };
    let now = Instant::now();
    let elevation = session
        .elevation
        .as_ref()
        .filter(|e| now < e.until)
        .cloned();
    Ok(DeskSession {
        operator: record.operator.name,
        display_name: record.operator.display_name,
        role: session.role,
        has_pin: record.pin_hash.is_some(),
        countersigned_by: elevation.as_ref().map(|e| e.supervisor.clone()),
        countersign_action: elevation.as_ref().and_then(|e| e.action),
        countersign_until: elevation.as_ref().map(|e| e.until_utc),
        locked: session.locked,
        lock_after_minutes: policy.lock_after_minutes,
    })
}

/// A supervisor countersigns at this desk: their name and PIN let this desk do
/// `input.action` (or any sensitive action) for [`ELEVATION_WINDOW`]. Audited
/// under the supervisor's name, naming the desk's operator.
pub async fn countersign(
    desk: &Desk,
    input: CountersignInput,
) -> Result<DeskSession, ServiceError> {
    let record = verify_pin(desk, &input.supervisor, &input.pin, "countersign").await?;
    let supervisor = record.operator.name.clone();
    if record.operator.role != OperatorRole::Supervisor {
        return Err(ServiceError::NotASupervisor { name: supervisor });
    }
    let window =
        chrono::Duration::from_std(ELEVATION_WINDOW).unwrap_or(chrono::Duration::minutes(5));
    let until_utc = desk.clock.now() + window;
    desk.store
        .audit_operator_event(
            &supervisor,
            &desk.operator,
            "countersign",
            serde_json::json!({
                "deskOperator": desk.operator,
                "action": input.action.map(SensitiveAction::as_str),
                "until": until_utc,
            }),
            None,
        )
        .await?;
    desk.session().elevation = Some(Elevation {
        supervisor,
        action: input.action,
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

/// Locks the desk (the UI's idle timer, or the operator stepping away). Refused
/// without a PIN: a locked desk opens only with the operator's PIN.
pub async fn lock_desk(desk: &Desk) -> Result<DeskSession, ServiceError> {
    let record = desk.store.operator(&desk.operator).await?;
    if record.as_ref().and_then(|r| r.pin_hash.as_ref()).is_none() {
        return Err(ServiceError::PinNotSet {
            name: desk.operator.clone(),
        });
    }
    {
        let mut session = desk.session();
        session.locked = true;
        // A countersign does not survive the supervisor's absence.
        session.elevation = None;
    }
    desk_session(desk).await
}

/// Unlocks the desk with its operator's own PIN.
pub async fn unlock_desk(desk: &Desk, pin: String) -> Result<DeskSession, ServiceError> {
    verify_pin(desk, &desk.operator, &pin, "unlock").await?;
    desk.session().locked = false;
    desk_session(desk).await
}

/// Sets or changes the desk operator's own PIN (the current one is needed to change it).
pub async fn set_own_pin(desk: &Desk, input: SetPinInput) -> Result<DeskSession, ServiceError> {
    check_pin_format(&input.new_pin)?;
    let record = desk.store.operator(&desk.operator).await?;
    if record.as_ref().is_some_and(|r| r.pin_hash.is_some()) {
        let current = input.current_pin.unwrap_or_default();
        verify_pin(desk, &desk.operator, &current, "change_pin").await?;
    }
    let hash = hash_pin_blocking(input.new_pin).await?;
    desk.store
        .change_operator(
            &desk.operator,
            OperatorChange::PinHash(Some(hash)),
            &desk.operator,
        )
        .await?;
    desk_session(desk).await
}

/// Every operator, for the settings screen.
pub async fn list_operators(desk: &Desk) -> Result<Vec<Operator>, ServiceError> {
    Ok(desk.store.list_operators().await?)
}

/// Adds an operator (supervisor action).
pub async fn add_operator(desk: &Desk, input: AddOperatorInput) -> Result<Operator, ServiceError> {
    desk.require_supervisor(SensitiveAction::ManageOperators)?;
    let hash = match input.pin {
        Some(pin) => Some(hash_pin_blocking(pin).await?),
        None => None,
    };
    let added = desk
        .store
        .add_operator(
            NewOperator {
                name: input.name,
                display_name: input.display_name,
                role: input.role,
            },
            &desk.operator,
        )
        .await?;
    match hash {
        Some(hash) => Ok(desk
            .store
            .change_operator(
                &added.name,
                OperatorChange::PinHash(Some(hash)),
                &desk.operator,
            )
            .await?),
        None => Ok(added),
    }
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

/// Clears an operator's forgotten PIN so they can set a new one (supervisor action).
pub async fn reset_operator_pin(desk: &Desk, name: String) -> Result<Operator, ServiceError> {
    operator_change(desk, &name, OperatorChange::PinHash(None)).await
}

async fn operator_change(
    desk: &Desk,
    name: &str,
    change: OperatorChange,
) -> Result<Operator, ServiceError> {
    desk.require_supervisor(SensitiveAction::ManageOperators)?;
    let changed = desk
        .store
        .change_operator(name, change, &desk.operator)
        .await?;
    if changed.name == desk.operator {
        // This desk's own role or status changed: apply it now.
        desk_session(desk).await?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_four_to_twelve_digits() {
        for good in ["0000", "1234", "123456789012"] {
            assert!(check_pin_format(good).is_ok(), "{good}");
        }
        for bad in ["", "123", "1234567890123", "12a4", "١٢٣٤", "12 34", "-1234"] {
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
        let hash = hash_pin("4821").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("4821"));
        assert!(pin_matches("4821", &hash).unwrap());
        assert!(!pin_matches("4822", &hash).unwrap());
        // Salted: the same PIN hashes differently each time.
        assert_ne!(hash, hash_pin("4821").unwrap());
    }
}
