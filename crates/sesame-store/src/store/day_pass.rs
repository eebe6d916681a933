//! `Store` methods for day passes.

use chrono::NaiveDate;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::VisitorRow;

impl Store {
    // --- day passes ---------------------------------------------------------------

    /// Day passes covering `day` (not refused nor cancelled), by holder name.
    pub async fn expected_visitors(&self, day: NaiveDate) -> Result<Vec<VisitorRow>> {
        dispatch!(self, day_pass::expected_visitors(day))
    }
}
