//! Loan cards at the desk: a holder who forgot their badge gets a short-lived card
//! (1 day to the category's temporary badge days), linked to the original, which is
//! suspended meanwhile; it is resumed when the loan card comes back, or by
//! housekeeping once the loan's last day has passed.

use serde::{Deserialize, Serialize};
use sesame_card::CardUid;
use sesame_core::{BadgeStatus, DomainError};
use sesame_store::{LoanInput, LoanRow, StoreError};
use ts_rs::TS;

use crate::card::read_card;
use crate::{BadgeId, Desk, ServiceError};

/// A card to lend in place of an active badge.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LendCardInput {
    /// The badge the holder forgot.
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    pub days: u32,
    /// Why (forgotten, left at home…): recorded on both badges.
    pub reason: String,
    /// The loan card's UID as typed.
    #[serde(default)]
    pub typed_uid: Option<String>,
    /// Reads the loan card's UID on the desk's reader (unless typed).
    #[serde(default)]
    pub read_card: bool,
    #[serde(default)]
    pub reader: Option<String>,
}

/// Lends a card: a new badge for the holder, active today until the loan's last
/// day, bound to the loan card's UID when read or typed; the original is suspended.
pub async fn lend_card(desk: &Desk, input: LendCardInput) -> Result<LoanRow, ServiceError> {
    let operator = desk.actor()?;
    // Checked before waiting for a card on the reader (the store checks it all again).
    let original = desk.store.get_badge(input.badge_id.into()).await?;
    if original.status != BadgeStatus::Active {
        let refusal = DomainError::LoanOfInactiveBadge {
            status: original.status.as_str().to_owned(),
        };
        return Err(StoreError::from(refusal).into());
    }
    let card_serial = match (input.typed_uid.as_deref(), input.read_card) {
        (Some(typed), _) if !typed.trim().is_empty() => Some(CardUid::parse(typed)?.to_string()),
        (_, true) => Some(read_card(input.reader).await?.uid.to_string()),
        _ => None,
    };
    let loan = LoanInput {
        original_badge_id: input.badge_id.into(),
        expected_version: input.expected_version,
        days: input.days,
        reason: input.reason,
        card_serial,
    };
    Ok(desk.store.lend_card(&loan, &operator).await?)
}

/// A loan card, by its badge.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoanCardInput {
    pub loan_badge_id: BadgeId,
}

/// The loan card came back to the desk: returned, the original resumed.
pub async fn return_loan_card(desk: &Desk, input: LoanCardInput) -> Result<LoanRow, ServiceError> {
    let operator = desk.actor()?;
    Ok(desk
        .store
        .return_loan_card(input.loan_badge_id.into(), &operator)
        .await?)
}

/// The loans out now, the soonest due first.
pub async fn open_loans(desk: &Desk) -> Result<Vec<LoanRow>, ServiceError> {
    desk.require_signed_in()?;
    Ok(desk.store.open_loans().await?)
}
