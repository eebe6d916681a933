//! `Store` methods for operators and roles: who works at the desks, their role and PIN.

use sesame_core::Operator;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{NewOperator, OperatorChange, OperatorRecord, PinAttempt, RegisteredOperator};

impl Store {
    /// Every operator, active ones first.
    pub async fn list_operators(&self) -> Result<Vec<Operator>> {
        dispatch!(self, operators::list_operators())
    }

    /// One operator with their PIN hash, or `None` if the name is unknown.
    pub async fn operator(&self, name: &str) -> Result<Option<OperatorRecord>> {
        dispatch!(self, operators::get_operator(name))
    }

    /// The operator opening a desk, created if unknown: as supervisor when the
    /// queue has no active supervisor yet (audited as such), else as clerk.
    pub async fn register_operator(&self, name: &str) -> Result<RegisteredOperator> {
        dispatch!(self, operators::register_operator(&self.clock, name))
    }

    /// True while no active supervisor has a PIN (a new queue): the desk opens on
    /// the first supervisor's setup instead of the sign-in.
    pub async fn needs_first_supervisor(&self) -> Result<bool> {
        dispatch!(self, operators::needs_first_supervisor())
    }

    /// Sets up the first supervisor with their PIN hash (`operator.setup_done` once
    /// a supervisor can sign in).
    pub async fn set_up_first_supervisor(
        &self,
        new: NewOperator,
        pin_hash: &str,
    ) -> Result<Operator> {
        dispatch!(
            self,
            operators::set_up_first_supervisor(&self.clock, new, pin_hash)
        )
    }

    /// Adds an operator (`operator.exists` if the name is taken).
    pub async fn add_operator(&self, new: NewOperator, by: &str) -> Result<Operator> {
        dispatch!(self, operators::add_operator(&self.clock, new, by))
    }

    /// Changes an operator's role, active flag, display name or PIN hash; refused
    /// (`operator.last_supervisor`) if it would leave no active supervisor.
    pub async fn change_operator(
        &self,
        name: &str,
        change: OperatorChange,
        by: &str,
    ) -> Result<Operator> {
        dispatch!(
            self,
            operators::change_operator(&self.clock, name, change, by)
        )
    }

    /// Records the outcome of a PIN check (wrong PINs in a row lock the PIN).
    pub async fn record_pin_attempt(
        &self,
        name: &str,
        attempt: PinAttempt,
        purpose: &str,
    ) -> Result<OperatorRecord> {
        dispatch!(
            self,
            operators::record_pin_attempt(&self.clock, name, attempt, purpose)
        )
    }

    /// Writes an operator event that changes no row (countersign, unlock).
    pub async fn audit_operator_event(
        &self,
        operator: &str,
        subject: &str,
        action: &str,
        details: serde_json::Value,
        reason: Option<&str>,
    ) -> Result<()> {
        dispatch!(
            self,
            operators::audit_operator_event(
                &self.clock,
                operator,
                subject,
                action,
                details,
                reason
            )
        )
    }
}
