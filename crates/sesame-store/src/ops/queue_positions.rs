//! Where a jump lands: the sort key of the row at a position, by one offset over the
//! sort's index from the nearer end, or, under a search of dense words, from position
//! marks taken once (`position_marks`, kept by `store/position_marks.rs`). The offset
//! itself is `queue_walk::key_at_offset`, which a walk also uses to know where to stop.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::queue_counts::matching_total;
use super::queue_search::{push_filters, search_words, SearchUse, SearchWords};
use super::queue_sql::{fetch_all, order_of, sort_expression, sort_key_of, Side, SortKey, Sql};
use super::queue_walk::{key_at_offset, rows_in_order, Columns};
use super::{Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::store::{MarksCache, MarksSlot, SinceAhead, Taken};
use crate::{PositionMarks, QueryValue, QueueQuery, QueueSortField, SortDirection};

/// The sort key and id of the row at `position` in the query's order, or `None` past
/// the last row. The offset runs from the nearer end, over the requests table alone
/// (every filter is on it), so the index of the sort carries it; with `marks`, from
/// the mark before the position.
pub(super) async fn key_at(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    position: u64,
    marks: Option<&PositionMarks>,
) -> Result<Option<SortKey>> {
    if let Some(marks) = marks {
        return key_after_mark(pool, query, words, position, marks).await;
    }
    let total = matching_total(pool, query, words).await?;
    if position >= total {
        return Ok(None);
    }
    let from_end = position > total / 2;
    let (offset, direction) = match (from_end, query.direction) {
        (false, direction) => (position, direction),
        (true, SortDirection::Asc) => (total - 1 - position, SortDirection::Desc),
        (true, SortDirection::Desc) => (total - 1 - position, SortDirection::Asc),
    };
    // `None` here means rows went away between the count and the offset.
    key_at_offset(pool, query, words, direction, None, offset).await
}

/// Rows between two position marks. A jump reads at most this many matches from its
/// mark (`queue_walk::rows_in_order`: a few ms where they lie close together in the order); the
/// marks of 1 000 000 matches are ~4 000 keys.
const MARK_EVERY: u64 = 256;

/// The marks for a jump of `query` when every word of its search is dense (`None`
/// otherwise: an offset over the matches is quick then): kept ones while they hold,
/// the ones being taken ahead once they are, else taken now and kept.
pub(super) async fn marks_for(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    cache: &MarksCache,
) -> Result<Option<Arc<PositionMarks>>> {
    if !words.all_dense() {
        return Ok(None);
    }
    let slot = cache.slot(query, words.counters());
    Ok(Some(marks_in(&slot, pool, query, words).await?))
}

/// The marks `slot` holds, taken first if nobody has (or waited for while another
/// caller takes them).
async fn marks_in(
    slot: &MarksSlot,
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
) -> Result<Arc<PositionMarks>> {
    let taken = slot
        .get_or_try_init(|| async {
            let marks = position_marks(pool, query, words).await?;
            Ok::<_, StoreError>(Taken {
                at: Instant::now(),
                marks: Arc::new(marks),
            })
        })
        .await?;
    Ok(Arc::clone(&taken.marks))
}

/// How long the desk's reads of the queue must have paused before the marks of a
/// search of dense words are taken ahead: the page of "m" is read 150 ms after the
/// key is pressed (the queue screen's pause), its counts beside it; a letter typed
/// within this time leaves "m" before its marks cost the database 0.2–0.3 s. The
/// pause is looked at every `MARKS_AHEAD_AFTER` (no read ended since the last look,
/// none under way), so the marks start 400–800 ms after the desk's last read.
const MARKS_AHEAD_AFTER: Duration = Duration::from_millis(400);

/// Takes the marks of `query` in the background when every word of its search is
/// dense, once the desk's reads of the queue have paused (`MARKS_AHEAD_AFTER`),
/// unless the queue screen has listed another query by then: the first jump through
/// its matches then finds them taken. Once started they are taken whole.
pub(super) fn take_marks_ahead(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    cache: &Arc<MarksCache>,
) {
    if !words.all_dense() {
        return;
    }
    let mut reads_ended = cache.reads_ended();
    let (pool, query, cache) = (pool.clone(), query.clone(), Arc::clone(cache));
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(MARKS_AHEAD_AFTER).await;
            match cache.since(reads_ended, &query) {
                SinceAhead::Idle => break,
                SinceAhead::StillReading => reads_ended = cache.reads_ended(),
                SinceAhead::Left => return,
            }
        }
        let taken = async {
            // Weighed again: the counters may have moved since the page.
            let words = search_words(&pool, &query).await?;
            if !words.all_dense() {
                return Ok(());
            }
            match cache.slot_ahead(&query, words.counters()) {
                Some(slot) => marks_in(&slot, &pool, &query, &words).await.map(drop),
                None => Ok(()),
            }
        };
        if let Err(error) = taken.await {
            // A jump takes them itself then.
            tracing::debug!(%error, "position marks not taken ahead");
        }
    });
}

/// The marks of `query`'s order: every `MARK_EVERY`th match's key (`stepped_marks_sql`
/// where it applies, else `marks_sql`), and their total, from the matches after the
/// last mark. A total counted over a window too (`COUNT(*) OVER ()`) had SQLite keep
/// and sort every match again (0.4 s).
async fn position_marks(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
) -> Result<PositionMarks> {
    let sql = stepped_marks_sql(query, words).unwrap_or_else(|| marks_sql(query, words));
    let marks = fetch_all(pool, sql)
        .await?
        .iter()
        .map(|row| sort_key_of(row, query.sort))
        .collect::<Result<Vec<_>>>()?;
    let Some(last) = marks.last() else {
        return Ok(PositionMarks {
            total: 0,
            every: MARK_EVERY,
            marks,
        });
    };
    // The last mark and the matches after it: at most `MARK_EVERY`, unless rows came
    // in meanwhile; then they are counted whole.
    let from = Some((last, Side::From));
    let tail = rows_in_order(pool, query, words, Columns::Key, from, MARK_EVERY + 1).await?;
    let total = match tail.len() as u64 {
        n if n <= MARK_EVERY => (marks.len() as u64 - 1) * MARK_EVERY + n,
        _ => matching_total(pool, query, words).await?,
    };
    Ok(PositionMarks {
        total,
        every: MARK_EVERY,
        marks,
    })
}

/// The marks numbered by a window over the matches in the sort's order. The matches
/// of "m" are the requests whose initials hold it (`queue_search::dense_search`):
/// 0.2 s on SQLite (in order from the sort's index) and 0.3 s on PostgreSQL (a
/// parallel scan and a sort) at 1 000 000 requests.
fn marks_sql(query: &QueueQuery, words: &SearchWords) -> Sql {
    let key = sort_expression(query.sort);
    let order = order_of(query.sort, query.direction, key, "r.id");
    let mut sql = Sql {
        text: format!(
            "SELECT {key} AS sort_key, r.id AS id, ROW_NUMBER() OVER (ORDER BY {order}) - 1 AS n \
             FROM requests r WHERE 1 = 1"
        ),
        ..Sql::default()
    };
    push_filters(
        &mut sql,
        query,
        &query.statuses,
        words,
        SearchUse::EveryMatch,
    );
    let every = sql.bind(QueryValue::Int(MARK_EVERY as i64));
    sql.text = format!(
        "SELECT sort_key, id FROM ({}) AS m WHERE n % {every} = 0 ORDER BY n",
        sql.text
    );
    sql
}

/// The marks stepped from one to the next, each an offset of `MARK_EVERY` along the
/// sort's index from the one before, in one recursive query: SQLite reads the index
/// entries in order without numbering or keeping them (the first jump right after
/// typing "m", at 1 110 000 requests: 0.22–0.25 s with the window, 0.15 s stepped).
/// `None` on PostgreSQL, where such steps are no quicker than its parallel scan (0.3
/// s either way), and where the filters hold a subquery (a word longer than one
/// letter, checked or read through its terms; a zone): SQLite 3.51 returned a wrong
/// row for an OFFSET with EXISTS and a row value together (see `key_after_mark`).
fn stepped_marks_sql(query: &QueueQuery, words: &SearchWords) -> Option<Sql> {
    if DIALECT != Dialect::Sqlite {
        return None;
    }
    let push_filters_to =
        |sql: &mut Sql| push_filters(sql, query, &query.statuses, words, SearchUse::EveryMatch);
    // The first mark's filters, bound first: the steps' are bound after them.
    let mut sql = Sql::default();
    push_filters_to(&mut sql);
    // A subquery among the filters (EXISTS) keeps the window.
    if sql.text.contains("SELECT") {
        return None;
    }
    let key = sort_expression(query.sort);
    let order = order_of(query.sort, query.direction, key, "r.id");
    let first = format!(
        "SELECT {key} AS sort_key, r.id AS id FROM requests r WHERE 1 = 1{}",
        sql.text
    );
    sql.text = "SELECT r.id FROM requests r WHERE 1 = 1".into();
    push_filters_to(&mut sql);
    let after = match query.direction {
        SortDirection::Asc => ">",
        SortDirection::Desc => "<",
    };
    let past_mark = if query.sort == QueueSortField::Submitted {
        format!("r.id {after} m.id")
    } else {
        format!("({key}, r.id) {after} (m.sort_key, m.id)")
    };
    let skip = sql.bind(QueryValue::Int(MARK_EVERY as i64 - 1));
    let next = std::mem::take(&mut sql.text)
        + &format!(" AND {past_mark} ORDER BY {order} LIMIT 1 OFFSET {skip}");
    // The step's own `r` is the subquery's; the join's `r` is the row it names.
    sql.text = format!(
        "WITH RECURSIVE marks(n, sort_key, id) AS (\
         SELECT 0, sort_key, id FROM ({first} ORDER BY {order} LIMIT 1) \
         UNION ALL \
         SELECT m.n + 1, {key}, r.id FROM marks m JOIN requests r ON r.id = ({next})) \
         SELECT sort_key, id FROM marks ORDER BY n"
    );
    Some(sql)
}

/// `key_at` from the mark before `position`: the rows from the mark to the position,
/// fewer than `marks.every` matches, read in the sort's order.
async fn key_after_mark(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    position: u64,
    marks: &PositionMarks,
) -> Result<Option<SortKey>> {
    let mark = usize::try_from(position / marks.every).unwrap_or(usize::MAX);
    let (Some(mark), true) = (marks.marks.get(mark), position < marks.total) else {
        return Ok(None);
    };
    // The last of them is kept (not an OFFSET: SQLite 3.51 returned the mark's own row
    // for `LIMIT 1 OFFSET 1` in this query, EXISTS and row value together).
    let step = position % marks.every;
    let from = Some((mark, Side::From));
    let rows = rows_in_order(pool, query, words, Columns::Key, from, step + 1).await?;
    match rows.get(usize::try_from(step).unwrap_or(usize::MAX)) {
        Some(row) => Ok(Some(sort_key_of(row, query.sort)?)),
        // Rows went away since the marks were taken.
        None => Ok(None),
    }
}
