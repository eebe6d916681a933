//! The position marks of the last query jumped through under a search of dense words
//! (taken by `ops/queue_positions.rs::position_marks`), kept for the jumps that follow
//! it: dragging the scrollbar through the 200 000 matches of "m" at 1 000 000 requests
//! sorts them once, not on every move. `queue_positions::marks_for` asks this cache.
//! It lives with the store, which holds it, not in `ops/`: that folder is compiled
//! once per backend, and a cache defined there would be two types.
//!
//! Marks are positions as they were when taken. They are taken again when the
//! per-status counters have changed (a request added, removed or moved on: by this
//! desk or another sharing the queue) and after `MARKS_LIFETIME` in any case (a
//! holder renamed moves a row without changing a counter). The rows a jump shows are
//! always read fresh, from the mark's key on.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{PositionMarks, QueueQuery, StatusCount};

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
fn identity_of(query: &QueueQuery) -> String {
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

impl MarksCache {
    /// The marks kept for `query` while they hold: taken of the same query, the
    /// per-status counters unchanged since (`counts`), less than `MARKS_LIFETIME` ago.
    pub(crate) fn kept(
        &self,
        query: &QueueQuery,
        counts: &[StatusCount],
    ) -> Option<Arc<PositionMarks>> {
        let kept = self.0.lock().expect("marks lock");
        let kept = kept.as_ref()?;
        let holds = kept.query == identity_of(query)
            && kept.counters == counters_of(counts)
            && kept.taken.elapsed() < MARKS_LIFETIME;
        holds.then(|| Arc::clone(&kept.marks))
    }

    /// Keeps `marks`, just taken of `query` when the counters were `counts`.
    pub(crate) fn keep(
        &self,
        query: &QueueQuery,
        counts: &[StatusCount],
        marks: Arc<PositionMarks>,
    ) {
        // Without counters, marks would hold until their lifetime whatever happened.
        debug_assert!(!counts.is_empty(), "marks kept without the counters");
        *self.0.lock().expect("marks lock") = Some(Kept {
            query: identity_of(query),
            counters: counters_of(counts),
            taken: Instant::now(),
            marks,
        });
    }
}

fn counters_of(counts: &[StatusCount]) -> Vec<i64> {
    counts.iter().map(|c| c.count).collect()
}
