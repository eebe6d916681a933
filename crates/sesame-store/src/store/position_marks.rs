//! The position marks of the last query jumped through under a search of dense words
//! (`ops/queue.rs::position_marks`), kept for the jumps that follow it: dragging the
//! scrollbar through the 200 000 matches of "m" at 1 000 000 requests sorts them once,
//! not on every move.
//!
//! Marks are positions as they were when taken. They are taken again when the
//! per-status counters have changed (a request added, removed or moved on: by this
//! desk or another sharing the queue) and after `MARKS_LIFETIME` in any case (a
//! holder renamed moves a row without changing a counter). The rows a jump shows are
//! always read fresh, from the mark's key on.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{PositionMarks, QueueQuery};

/// How long marks serve when no counter has changed.
const MARKS_LIFETIME: Duration = Duration::from_secs(60);

/// The last marks taken, shared by a store's clones.
#[derive(Debug, Default)]
pub(crate) struct MarksCache(Mutex<Option<Kept>>);

#[derive(Debug)]
struct Kept {
    /// The query they are of, paging aside.
    query: String,
    /// The per-status counters when they were taken.
    counters: Vec<i64>,
    taken: Instant,
    marks: Arc<PositionMarks>,
}

/// What identifies a query's order and matches: everything but where a page starts
/// and how long it is.
fn order_of(query: &QueueQuery) -> String {
    format!(
        "{:?}",
        QueueQuery {
            start: None,
            cursor: None,
            limit: None,
            ..query.clone()
        }
    )
}

impl Store {
    /// The marks for a jump of `query`: kept ones while they hold, else taken now;
    /// `None` when its search has a word that is not dense (an offset is quick then).
    pub(crate) async fn position_marks(
        &self,
        query: &QueueQuery,
    ) -> Result<Option<Arc<PositionMarks>>> {
        let order = order_of(query);
        let counters: Vec<i64> = self
            .count_by_status()
            .await?
            .iter()
            .map(|c| c.count)
            .collect();
        if let Some(kept) = self.marks.0.lock().expect("marks lock").as_ref() {
            if kept.query == order
                && kept.counters == counters
                && kept.taken.elapsed() < MARKS_LIFETIME
            {
                return Ok(Some(Arc::clone(&kept.marks)));
            }
        }
        let Some(marks) = dispatch!(self, queue::position_marks(query))? else {
            return Ok(None);
        };
        let marks = Arc::new(marks);
        *self.marks.0.lock().expect("marks lock") = Some(Kept {
            query: order,
            counters,
            taken: Instant::now(),
            marks: Arc::clone(&marks),
        });
        Ok(Some(marks))
    }
}
