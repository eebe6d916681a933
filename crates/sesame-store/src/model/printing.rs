//! Print runs: the cards to lay out, what was printed and what was skipped.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{Holder, Request};
use ts_rs::TS;
use uuid::Uuid;

use crate::Attachment;

/// One card to lay out, with everything the printer needs: the request, its holder,
/// the badge number and validity, and the ID photo (decoded through the store's codec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintItem {
    pub request: Request,
    pub holder: Holder,
    /// In [`crate::Store::print_batch`] the number just issued (or, for a reprint,
    /// the badge's own). In [`crate::Store::print_selection`] the number a first print
    /// would get if no other desk printed meanwhile (see `provisional_number`).
    pub badge_number: String,
    /// True when `badge_number` is only a forecast (preview of a first print).
    pub provisional_number: bool,
    /// `None` until the badge exists (preview of a first print).
    pub badge_id: Option<Uuid>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// True when the card was printed before (a reprint).
    pub reprint: bool,
    /// The zones the badge opens (a first print's: those the request asks for, which
    /// the new badge gets).
    pub zones: Vec<String>,
    pub photo: Option<Attachment>,
}

/// Why a request was left out of a print run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintSkipReason {
    NotFound,
    /// Not approved (and not printed before either): `detail` is its status.
    NotApproved,
    /// Printed before and no reprint reason was given.
    AlreadyPrinted,
    /// The request grants zones on an existing badge; there is no card to print.
    NoCard,
    /// Another desk holds the request to print: `detail` names it.
    ClaimedByOther,
    /// The holder no longer qualifies on the print day: `detail` lists why.
    NotEligible,
    /// A reprint of a badge that no longer works (opposed, returned…): `detail` is its status.
    BadgeNotUsable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintSkip {
    pub request_id: Uuid,
    pub reason: PrintSkipReason,
    pub detail: Option<String>,
}

/// A card that went into the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedBadge {
    pub request_id: Uuid,
    pub badge_id: Uuid,
    pub badge_number: String,
    pub family_name: String,
    pub given_names: String,
    pub reprint: bool,
}

/// What [`crate::Store::print_batch`] did. `rendered` is what the render step returned,
/// `None` when nothing was printable (render was not called, nothing was written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintBatchOutcome<T> {
    pub printed: Vec<PrintedBadge>,
    pub skipped: Vec<PrintSkip>,
    pub rendered: Option<T>,
}

/// What [`crate::Store::print_selection_into`] read: the requests a print run would
/// leave out, and what the sink made of the others (`None` when no request would
/// print: the sink was not called).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionOutcome<T> {
    pub skipped: Vec<PrintSkip>,
    pub rendered: Option<T>,
}

/// Receives a print run's cards while the transaction holding their rows is open
/// ([`crate::Store::print_batch_into`]): all of them first, without their photos,
/// then each again with its photo, read and decoded as it is handed over: the store
/// holds one photo at a time, however many badges the run prints, and the sink
/// keeps each as long as it needs (a sheet's worth, for the PDF).
pub trait PrintSink {
    type Output;
    type Error: From<crate::StoreError>;
    /// The run's items in print order, before any photo is read (`photo` is `None`).
    fn start(&mut self, items: &[PrintItem]) -> Result<(), Self::Error>;
    /// Each item again, in the same order, with its photo.
    fn item(&mut self, item: PrintItem) -> Result<(), Self::Error>;
    /// After the last item; the transaction commits only if this returns `Ok`.
    fn finish(self) -> Result<Self::Output, Self::Error>;
}

/// A render step that needs the whole batch at once, as one sink: it gets the items,
/// photos and all, after the last one is read.
pub(crate) struct WholeBatch<F> {
    render: F,
    items: Vec<PrintItem>,
}

impl<F> WholeBatch<F> {
    pub(crate) fn new(render: F) -> Self {
        Self {
            render,
            items: Vec::new(),
        }
    }
}

impl<T, E, F> PrintSink for WholeBatch<F>
where
    E: From<crate::StoreError>,
    F: FnOnce(Vec<PrintItem>) -> Result<T, E>,
{
    type Output = T;
    type Error = E;

    fn start(&mut self, items: &[PrintItem]) -> Result<(), E> {
        self.items.reserve_exact(items.len());
        Ok(())
    }

    fn item(&mut self, item: PrintItem) -> Result<(), E> {
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<T, E> {
        (self.render)(self.items)
    }
}

/// What a print run would do now, read without changing anything (the preview).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintSelection {
    /// In the order asked; first prints carry provisional numbers.
    pub items: Vec<PrintItem>,
    pub skipped: Vec<PrintSkip>,
}
