//! `Store` methods for visitors at the desk and the refused visitors' list.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{ClosedVisit, NewRefusedVisitor, RefusedVisitor, Visit, VisitHost};

impl Store {
    /// Sets (or with `None` removes) the host a day pass's visitor comes to see.
    pub async fn set_visit_host(
        &self,
        request_id: Uuid,
        host: Option<&VisitHost>,
        operator: &str,
    ) -> Result<Option<VisitHost>> {
        dispatch!(
            self,
            visits::set_visit_host(&self.clock, request_id, host, operator)
        )
    }

    /// The host a day pass's visitor comes to see, if one was given.
    pub async fn visit_host(&self, request_id: Uuid) -> Result<Option<VisitHost>> {
        dispatch!(self, visits::host_of(request_id))
    }

    /// Records the visitor's arrival on `day` (their day pass must cover it).
    pub async fn check_in(
        &self,
        request_id: Uuid,
        day: NaiveDate,
        operator: &str,
    ) -> Result<Visit> {
        dispatch!(
            self,
            visits::check_in(&self.clock, request_id, day, operator)
        )
    }

    /// Records the visitor's departure on `day`, and whether the badge came back.
    pub async fn check_out(
        &self,
        request_id: Uuid,
        day: NaiveDate,
        badge_returned: bool,
        operator: &str,
    ) -> Result<Visit> {
        dispatch!(
            self,
            visits::check_out(&self.clock, request_id, day, badge_returned, operator)
        )
    }

    /// Closes the visits of days before `today` nobody checked out (`dry_run`: lists them).
    pub async fn close_open_visits(
        &self,
        today: NaiveDate,
        operator: &str,
        dry_run: bool,
    ) -> Result<Vec<ClosedVisit>> {
        dispatch!(
            self,
            visits::close_open_visits(&self.clock, today, operator, dry_run)
        )
    }

    /// The refused visitors' list, by name.
    pub async fn refused_visitors(&self) -> Result<Vec<RefusedVisitor>> {
        dispatch!(self, visits::refused_visitors())
    }

    /// The list's entry in this name, if any (case, accents and spaces ignored).
    pub async fn find_refused_visitor(
        &self,
        family_name: &str,
        given_names: &str,
    ) -> Result<Option<RefusedVisitor>> {
        dispatch!(self, visits::find_refused_visitor(family_name, given_names))
    }

    /// `visit.refused_visitor`, naming the entry, for a person on the list.
    pub async fn refuse_if_listed(&self, family_name: &str, given_names: &str) -> Result<()> {
        match self.find_refused_visitor(family_name, given_names).await? {
            Some(entry) => Err(entry.refusal().into()),
            None => Ok(()),
        }
    }

    pub async fn add_refused_visitor(
        &self,
        new: &NewRefusedVisitor,
        operator: &str,
    ) -> Result<RefusedVisitor> {
        dispatch!(
            self,
            visits::add_refused_visitor(&self.clock, new, operator)
        )
    }

    pub async fn remove_refused_visitor(&self, id: Uuid, operator: &str) -> Result<()> {
        dispatch!(
            self,
            visits::remove_refused_visitor(&self.clock, id, operator)
        )
    }
}
