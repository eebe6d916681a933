//! Operators and roles: who works at the desks, their role and PIN.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{Operator, OperatorRole};
use ts_rs::TS;

/// An operator with what only the service may see: the PIN hash and its lockout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorRecord {
    pub operator: Operator,
    /// Argon2id PHC string, when a PIN is set.
    pub pin_hash: Option<String>,
    /// Wrong PINs in a row since the last right one.
    pub failed_pins: i64,
    /// No PIN is checked before this instant (after too many wrong ones).
    pub pin_locked_until: Option<DateTime<Utc>>,
}

/// An operator added from the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewOperator {
    pub name: String,
    pub display_name: String,
    pub role: OperatorRole,
}

/// What `register_operator` found or did when a desk opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredOperator {
    pub record: OperatorRecord,
    /// True when this opening created the operator.
    pub created: bool,
}

/// One change to an operator from the settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorChange {
    Role(OperatorRole),
    Active(bool),
    DisplayName(String),
    /// A new PIN hash, or `None` to clear the PIN (a supervisor's reset).
    PinHash(Option<String>),
}

/// The outcome of checking a PIN, recorded so that repeated wrong PINs lock it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinAttempt {
    Right,
    Wrong,
}

/// How many wrong PINs in a row lock the PIN, and for how long the first lock lasts.
pub const PIN_ATTEMPTS_BEFORE_LOCK: i64 = 5;

pub const PIN_LOCK_MINUTES: i64 = 5;

/// Each further wrong PIN doubles the lock, up to this: a day.
pub const PIN_LOCK_MAX_MINUTES: i64 = 24 * 60;

/// How long the PIN stays locked after `failed` wrong PINs in a row: nothing
/// below [`PIN_ATTEMPTS_BEFORE_LOCK`], then [`PIN_LOCK_MINUTES`] doubling with
/// each further wrong PIN, at most [`PIN_LOCK_MAX_MINUTES`].
pub fn pin_lock_minutes(failed: i64) -> Option<i64> {
    if failed < PIN_ATTEMPTS_BEFORE_LOCK {
        return None;
    }
    let doublings = (failed - PIN_ATTEMPTS_BEFORE_LOCK).min(20) as u32;
    Some(
        PIN_LOCK_MINUTES
            .saturating_mul(1 << doublings)
            .min(PIN_LOCK_MAX_MINUTES),
    )
}
