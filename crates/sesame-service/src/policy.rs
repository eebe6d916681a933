//! The categories and their rules: what the intake form checks as the operator types,
//! and the settings screen's editor.

use sesame_core::Policy;

use crate::{Desk, ServiceError};

/// The categories and their rules, as the intake form shows and checks them.
pub async fn get_policy(desk: &Desk) -> Result<Policy, ServiceError> {
    Ok(desk.store.policy().await?)
}

/// Saves the categories and rules edited on the settings screen (a supervisor's
/// action; validated as a whole, audited with before and after).
pub async fn save_policy(desk: &Desk, policy: Policy) -> Result<Policy, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "policy")?;
    desk.store.set_policy(&policy, &desk.actor()?).await?;
    Ok(desk.store.policy().await?)
}
