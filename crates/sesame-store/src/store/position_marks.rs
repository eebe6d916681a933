//! The position marks of the last query jumped through (or about to be) under a
//! search of dense words (taken by `ops/queue_positions.rs::position_marks`), kept
//! for the jumps that follow: dragging the scrollbar through the 200 000 matches of
//! "m" at 1 000 000 requests sorts them once, not on every move.
//! `queue_positions::marks_for` asks this cache. It also follows what the queue
//! screen reads (the query it last listed, its reads under way and ended), which
//! decides when marks are taken ahead.
//! It lives with the store, which holds it, not in `ops/`: that folder is compiled
//! once per backend, and a cache defined there would be two types.
//!
//! Marks are positions as they were when taken. They are taken again when the
//! per-status counters have changed (a request added, removed or moved on: by this
//! desk or another sharing the queue) and after `MARKS_LIFETIME` in any case (a
//! holder renamed moves a row without changing a counter). The rows a jump shows are
//! always read fresh, from the mark's key on.
//!
//! The first page of such a search has its marks taken ahead, in the background
//! (`queue_positions::take_marks_ahead`): 0.1–0.3 s at 1 000 000 requests, which the
//! operator spends reading the page before reaching for the scrollbar. A jump that
//! comes sooner waits for them rather than taking them again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

use crate::{PositionMarks, QueueQuery, StatusCount};

/// How long marks serve when no counter has changed.
const MARKS_LIFETIME: Duration = Duration::from_secs(60);

/// Who reads the queue's pages: the queue screen, which may jump through them next
/// (its first page of a dense search has the marks taken ahead), or a lookup (an
/// export, a picker, a search for a holder's open requests), which never jumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageReader {
    Screen,
    Lookup,
}

/// The marks of one query once taken, when they were.
#[derive(Debug)]
pub(crate) struct Taken {
    pub at: Instant,
    pub marks: Arc<PositionMarks>,
}

/// Where the marks of one query are, or will be once taken: whoever asks first takes
/// them, and whoever asks meanwhile (a jump while they are taken ahead) waits for them
/// instead of taking them a second time.
pub(crate) type MarksSlot = Arc<OnceCell<Taken>>;

/// The last marks taken (or being taken), shared by a store's clones, and what the
/// desk last read of the queue.
#[derive(Debug, Default)]
pub(crate) struct MarksCache(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    kept: Option<Kept>,
    /// The identity of the query the desk last read a page of: marks taken ahead for
    /// a query the desk has left (another letter typed) would be wasted.
    last_listed: String,
    /// Reads of the queue (pages, counts) that have ended, and those under way: marks
    /// are taken ahead when the desk's own queries are over, not beside them.
    reads_ended: u64,
    reads_under_way: u64,
}

/// What the desk has done since marks were to be taken ahead.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SinceAhead {
    /// Nothing: the marks may be taken.
    Idle,
    /// It still reads the same query (its counts, the next page), or reads are under
    /// way: wait some more.
    StillReading,
    /// It reads another query.
    Left,
}

#[derive(Debug)]
struct Kept {
    /// The query they are of, paging aside.
    query: String,
    /// The per-status counters when they were asked for.
    counters: Vec<i64>,
    slot: MarksSlot,
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
    /// The slot of `query`'s marks while it holds: asked for the same query, the
    /// per-status counters unchanged since (`counts`), its marks (if taken yet) less
    /// than `MARKS_LIFETIME` old. Otherwise a new, empty slot takes its place.
    pub(crate) fn slot(&self, query: &QueueQuery, counts: &[StatusCount]) -> MarksSlot {
        let mut state = self.0.lock().expect("marks lock");
        state.slot(identity_of(query), counts)
    }

    /// `slot`, for marks taken ahead: `None` when the queue screen has listed another
    /// query since (checked under the same lock, so that marks of a query it has left
    /// never push out those of the one it reads).
    pub(crate) fn slot_ahead(
        &self,
        query: &QueueQuery,
        counts: &[StatusCount],
    ) -> Option<MarksSlot> {
        let identity = identity_of(query);
        let mut state = self.0.lock().expect("marks lock");
        (state.last_listed == identity).then(|| state.slot(identity, counts))
    }

    /// Notes that the queue screen reads a page of `query`, until the guard is
    /// dropped.
    pub(crate) fn reading_page_of(&self, query: &QueueQuery) -> Reading<'_> {
        self.0.lock().expect("marks lock").last_listed = identity_of(query);
        self.reading_queue()
    }

    /// Notes that a read of the queue (a page, counts) is under way, until the guard
    /// is dropped.
    pub(crate) fn reading_queue(&self) -> Reading<'_> {
        self.0.lock().expect("marks lock").reads_under_way += 1;
        Reading(self)
    }

    /// The reads of the queue ended so far.
    pub(crate) fn reads_ended(&self) -> u64 {
        self.0.lock().expect("marks lock").reads_ended
    }

    /// What the desk has done since `reads_ended` were ended, marks of `query` to take.
    pub(crate) fn since(&self, reads_ended: u64, query: &QueueQuery) -> SinceAhead {
        let state = self.0.lock().expect("marks lock");
        if state.last_listed != identity_of(query) {
            SinceAhead::Left
        } else if state.reads_ended != reads_ended || state.reads_under_way > 0 {
            SinceAhead::StillReading
        } else {
            SinceAhead::Idle
        }
    }
}

impl State {
    /// See `MarksCache::slot`.
    fn slot(&mut self, identity: String, counts: &[StatusCount]) -> MarksSlot {
        // Without counters, marks would hold until their lifetime whatever happened.
        debug_assert!(!counts.is_empty(), "marks kept without the counters");
        let counters = counters_of(counts);
        if let Some(kept) = &self.kept {
            let holds = kept.query == identity
                && kept.counters == counters
                && kept
                    .slot
                    .get()
                    .is_none_or(|taken| taken.at.elapsed() < MARKS_LIFETIME);
            if holds {
                return Arc::clone(&kept.slot);
            }
        }
        let slot = MarksSlot::default();
        self.kept = Some(Kept {
            query: identity,
            counters,
            slot: Arc::clone(&slot),
        });
        slot
    }
}

/// A read of the queue under way (`MarksCache::reading_queue`): it ends when dropped.
#[must_use = "the read ends when the guard is dropped"]
pub(crate) struct Reading<'a>(&'a MarksCache);

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let mut state = self.0 .0.lock().expect("marks lock");
        state.reads_under_way -= 1;
        state.reads_ended += 1;
    }
}

fn counters_of(counts: &[StatusCount]) -> Vec<i64> {
    counts.iter().map(|c| c.count).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{QueueSortField, Store};

    fn search(words: &str) -> QueueQuery {
        QueueQuery {
            search: Some(words.into()),
            sort: QueueSortField::HolderName,
            ..QueueQuery::default()
        }
    }

    impl MarksCache {
        /// Whether marks of `query` are kept, taken.
        fn has_taken(&self, query: &QueueQuery) -> bool {
            let state = self.0.lock().expect("marks lock");
            state
                .kept
                .as_ref()
                .is_some_and(|kept| kept.query == identity_of(query) && kept.slot.initialized())
        }
    }

    #[test]
    fn marks_wait_for_the_desks_reads_of_their_query_and_not_for_a_query_it_left() {
        let cache = MarksCache::default();
        let m = search("m");
        let page = cache.reading_page_of(&m);
        drop(page);
        let reads = cache.reads_ended();
        assert_eq!(cache.since(reads, &m), SinceAhead::Idle);
        let counts = cache.reading_queue();
        assert_eq!(cache.since(reads, &m), SinceAhead::StillReading);
        drop(counts);
        assert_eq!(cache.since(reads, &m), SinceAhead::StillReading);
        assert_eq!(cache.since(cache.reads_ended(), &m), SinceAhead::Idle);
        // A page of another query, even a further page of it, is another query.
        drop(cache.reading_page_of(&search("ma")));
        assert_eq!(cache.since(cache.reads_ended(), &m), SinceAhead::Left);
        drop(cache.reading_page_of(&QueueQuery {
            start: Some(300),
            ..m.clone()
        }));
        assert_eq!(cache.since(cache.reads_ended(), &m), SinceAhead::Idle);
    }

    #[test]
    fn marks_taken_ahead_never_push_out_those_of_the_query_the_screen_reads() {
        let cache = MarksCache::default();
        let counts = [StatusCount {
            status: sesame_core::RequestStatus::Submitted,
            count: 1500,
        }];
        let (m, ma) = (search("m"), search("ma"));
        drop(cache.reading_page_of(&ma));
        let kept = cache.slot(&ma, &counts);
        assert!(cache.slot_ahead(&m, &counts).is_none());
        assert!(Arc::ptr_eq(&kept, &cache.slot(&ma, &counts)), "kept");
        drop(cache.reading_page_of(&m));
        let ahead = cache.slot_ahead(&m, &counts).expect("the query read");
        assert!(Arc::ptr_eq(&ahead, &cache.slot(&m, &counts)), "shared");
    }

    /// The first page of a search of dense words has its marks taken in the
    /// background once the desk pauses, without a jump; not when the desk has gone on
    /// to another query meanwhile.
    #[tokio::test]
    async fn the_first_page_of_a_dense_search_has_its_marks_taken_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/queue.sqlite3", dir.path().display());
        let store = Store::open(&url).await.unwrap();
        let mut csv = String::from("nom,prenom,categorie,matricule\n");
        for i in 0..1300 {
            csv.push_str(&format!("Martin,Prénom{i:04},staff,M{i}\n"));
        }
        for i in 0..200 {
            csv.push_str(&format!("Dupont,Anne,staff,D{i}\n"));
        }
        let report = store.import_csv(csv.as_bytes(), "import", false).await;
        assert!(report.unwrap().refused.is_empty());
        let m = search("m");

        store.list_requests(&m).await.unwrap();
        store.list_requests(&search("dupont")).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(!store.marks.has_taken(&m), "taken for a query left");

        store.list_requests(&m).await.unwrap();
        let mut waited = Duration::ZERO;
        while !store.marks.has_taken(&m) {
            assert!(waited < Duration::from_secs(20), "marks not taken ahead");
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += Duration::from_millis(50);
        }
        // The slot a jump asks for (the counters unchanged) holds them.
        let counters = store.count_by_status().await.unwrap();
        assert!(store.marks.slot(&m, &counters).initialized());
        store.close().await;
    }
}
