//! `Store` methods for printing: print claims, the preview, print runs and reprints.

use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::{Result, StoreError};
use crate::{
    PrintBatchOutcome, PrintItem, PrintSelection, PrintSink, PrintedBadge, SelectionOutcome,
    WholeBatch,
};

impl Store {
    /// Takes approved requests to print; returns those this desk now holds.
    pub async fn claim_for_print(&self, ids: &[Uuid], operator: &str) -> Result<Vec<Uuid>> {
        dispatch!(self, printing::claim_for_print(&self.clock, ids, operator))
    }

    pub async fn release_print_claims(&self, ids: &[Uuid], operator: &str) -> Result<Vec<Uuid>> {
        dispatch!(
            self,
            printing::release_print_claims(&self.clock, ids, operator)
        )
    }

    // --- printing -----------------------------------------------------------------

    /// What printing `ids` would do now, without writing anything (the preview):
    /// approved requests with the numbers they would get (flagged provisional),
    /// printed ones as reprints of their badge, the rest skipped with why.
    /// `with_photos: false` leaves the photos out (a quick check before printing).
    pub async fn print_selection(
        &self,
        ids: &[Uuid],
        operator: &str,
        with_photos: bool,
    ) -> Result<PrintSelection> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            printing::print_selection(&self.clock, codec, ids, operator, with_photos)
        )
    }

    /// [`Store::print_selection`] handing the items to `sink` as a print run does
    /// ([`Store::print_batch_into`]): all of them without photos, then each with its
    /// photo, read as it is handed over (the preview of any number of badges).
    pub async fn print_selection_into<S: PrintSink>(
        &self,
        ids: &[Uuid],
        operator: &str,
        sink: S,
    ) -> std::result::Result<SelectionOutcome<S::Output>, S::Error> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            printing::print_selection_into(&self.clock, codec, ids, operator, sink)
        )
    }

    /// Prints `ids` in one write transaction: approved requests get their badge
    /// (number and validity) and are marked printed; printed ones are reprinted with
    /// their own number only when `reprint_reason` is given (audited `reprint`).
    /// `render` receives the cards in the order asked, theirs to keep (their photos
    /// can go into the PDF without a copy), and the transaction commits only if it
    /// returns `Ok`: on an error nothing is written and no number is used.
    /// Requests another desk holds (`claim_for_print`) are skipped, not waited for.
    /// `render` is not called when nothing is printable (`rendered` is `None`).
    pub async fn print_batch<T, E>(
        &self,
        ids: &[Uuid],
        operator: &str,
        reprint_reason: Option<&str>,
        render: impl FnOnce(Vec<PrintItem>) -> std::result::Result<T, E>,
    ) -> std::result::Result<PrintBatchOutcome<T>, E>
    where
        E: From<StoreError>,
    {
        self.print_batch_with_templates(ids, operator, reprint_reason, None, render)
            .await
    }

    /// [`Store::print_batch`] recording, in each printed request's audit line, the
    /// version of the office's template set the cards were rendered with.
    pub async fn print_batch_with_templates<T, E>(
        &self,
        ids: &[Uuid],
        operator: &str,
        reprint_reason: Option<&str>,
        template_version: Option<i64>,
        render: impl FnOnce(Vec<PrintItem>) -> std::result::Result<T, E>,
    ) -> std::result::Result<PrintBatchOutcome<T>, E>
    where
        E: From<StoreError>,
    {
        let sink = WholeBatch::new(render);
        self.print_batch_into(ids, operator, reprint_reason, template_version, sink)
            .await
    }

    /// [`Store::print_batch_with_templates`] handing the cards to `sink` one by one,
    /// each photo read as its card is handed over (the store holds one at a time):
    /// what a print run of any size uses.
    pub async fn print_batch_into<S: PrintSink>(
        &self,
        ids: &[Uuid],
        operator: &str,
        reprint_reason: Option<&str>,
        template_version: Option<i64>,
        sink: S,
    ) -> std::result::Result<PrintBatchOutcome<S::Output>, S::Error> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            printing::print_batch(
                &self.clock,
                codec,
                ids,
                operator,
                reprint_reason,
                template_version,
                sink
            )
        )
    }

    /// Records that a printed request's badge was printed again, with why.
    pub async fn record_reprint(
        &self,
        request_id: Uuid,
        operator: &str,
        reason: &str,
    ) -> Result<PrintedBadge> {
        dispatch!(
            self,
            printing::record_reprint(&self.clock, request_id, operator, reason)
        )
    }
}
