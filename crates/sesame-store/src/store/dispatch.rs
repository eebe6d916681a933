//! `Store` methods for the dispatch of printed badges and the follow-up of their activation.

use chrono::NaiveDate;
use sesame_core::DispatchMethod;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::{Result, StoreError};
use crate::{DispatchOutcome, DispatchedBadge, NotActivatedRow};

impl Store {
    /// Marks printed requests dispatched in one transaction, committed only if `render`
    /// (the dispatch list) succeeds; `render` gets the batch id and the badges.
    pub async fn dispatch_batch<T, E>(
        &self,
        ids: &[Uuid],
        method: DispatchMethod,
        operator: &str,
        render: impl FnOnce(Uuid, &[DispatchedBadge]) -> std::result::Result<T, E>,
    ) -> std::result::Result<DispatchOutcome<T>, E>
    where
        E: From<StoreError>,
    {
        dispatch!(
            self,
            dispatch::dispatch_batch(&self.clock, ids, method, operator, render)
        )
    }

    /// Dispatched badges not activated after the category's delay (or `days`).
    pub async fn not_activated(
        &self,
        days: Option<u32>,
        today: NaiveDate,
    ) -> Result<Vec<NotActivatedRow>> {
        dispatch!(self, dispatch::not_activated(days, today))
    }
}
