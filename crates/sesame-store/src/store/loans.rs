//! `Store` methods for loan cards: lending one in place of a forgotten badge, its
//! return, the loans whose last day has passed, and the loans out.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{LoanInput, LoanRow};

impl Store {
    /// Lends a card in place of an active badge, which is suspended meanwhile; one
    /// transaction (the loan card's UID, when given, is checked as `set_card_serial`
    /// checks it).
    pub async fn lend_card(&self, input: &LoanInput, operator: &str) -> Result<LoanRow> {
        dispatch!(self, loans::lend_card(&self.clock, input, operator))
    }

    /// The loan card came back: returned, its original resumed.
    pub async fn return_loan_card(&self, loan_badge_id: Uuid, operator: &str) -> Result<LoanRow> {
        dispatch!(
            self,
            loans::return_loan_card(&self.clock, loan_badge_id, operator)
        )
    }

    /// Ends the loans whose last day is before `today` (housekeeping).
    pub async fn end_due_loans(
        &self,
        today: NaiveDate,
        operator: &str,
        dry_run: bool,
    ) -> Result<Vec<LoanRow>> {
        dispatch!(
            self,
            loans::end_due_loans(&self.clock, today, operator, dry_run)
        )
    }

    /// The loans out now, the soonest due first.
    pub async fn open_loans(&self) -> Result<Vec<LoanRow>> {
        dispatch!(self, loans::open_loans())
    }
}
