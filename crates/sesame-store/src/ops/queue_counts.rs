//! Requests per status under the queue's filters: counted, or, for a search of dense
//! words only, estimated from a fixed sample until the exact counts come. The
//! counters the triggers keep are read in `queue_search` (`counts_from_table`), which
//! weighs the search's words against them.

use sqlx::Row;
use std::collections::HashMap;

use super::queue_search::{
    counts_from_table, every_status, has_term, push_filters, search_words, SearchUse, SearchWords,
};
use super::queue_sql::{bind_all, fetch_all, Sql};
use super::{Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::{QueryValue, QueueQuery, QueueSortField, SortDirection, StatusCount};

/// Requests per status (every status listed, zeros included), optionally narrowed by
/// the same filters as the queue (statuses in the query are ignored here).
pub(crate) async fn count_by_status(pool: &Pool, query: &QueueQuery) -> Result<Vec<StatusCount>> {
    counts_with(pool, query, &search_words(pool, query).await?).await
}

/// What of `query` narrows its counts: neither its statuses (the counts list every
/// status) nor its order and page.
fn filters_of(query: &QueueQuery) -> QueueQuery {
    QueueQuery {
        statuses: Vec::new(),
        sort: QueueSortField::default(),
        direction: SortDirection::default(),
        limit: None,
        cursor: None,
        start: None,
        ..query.clone()
    }
}

/// `count_by_status` with the search's words already weighed.
async fn counts_with(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
) -> Result<Vec<StatusCount>> {
    let unfiltered = filters_of(query) == QueueQuery::default();
    if unfiltered {
        return counts_from_table(pool).await;
    }
    let narrowed = QueueQuery {
        statuses: Vec::new(),
        ..query.clone()
    };
    let mut sql = Sql {
        text: "SELECT r.status, COUNT(*) AS n FROM requests r WHERE 1 = 1".into(),
        values: Vec::new(),
    };
    push_filters(&mut sql, &narrowed, &[], words, SearchUse::Count);
    sql.text.push_str(" GROUP BY r.status");
    every_status(&fetch_all(pool, sql).await?)
}

/// How many requests match the query: from the per-status counters when it filters
/// by status alone, else counted.
pub(super) async fn matching_total(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
) -> Result<u64> {
    let counts = counts_with(pool, query, words).await?;
    let total: i64 = counts
        .iter()
        .filter(|c| query.statuses.is_empty() || query.statuses.contains(&c.status))
        .map(|c| c.count)
        .sum();
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Requests an estimate reads: at 1 000 000 requests the share of a dense word's
/// matches comes within ~1 point of the whole queue's (one standard deviation).
const ESTIMATE_SAMPLE: i64 = 2000;

/// Sampled requests of a status below which that status takes the whole sample's
/// share of matches rather than its own (too few to say).
const ESTIMATE_STATUS_FLOOR: i64 = 20;

/// The counts per status of a search whose every word is dense ("m", "ma j"),
/// estimated from a fixed sample of the queue: counted exactly, they need every match
/// read (~0.5 s at 1 000 000 requests). `None` where the exact counts are quick (no
/// search, a rarer word) or the query has other filters: the estimate scales the
/// sample by the per-status counters, which only count the whole queue.
pub(crate) async fn estimate_counts(
    pool: &Pool,
    query: &QueueQuery,
) -> Result<Option<Vec<StatusCount>>> {
    let search_only = QueueQuery {
        search: None,
        ..filters_of(query)
    } == QueueQuery::default();
    if !search_only {
        return Ok(None);
    }
    let words = search_words(pool, query).await?;
    if !words.all_dense() {
        return Ok(None);
    }
    let totals = words.counters();
    let requests: i64 = totals.iter().map(|c| c.count).sum();
    let mut sql = Sql::default();
    let mut matched = Vec::new();
    for word in words.words() {
        matched.push(has_term(&mut sql, word, "r.id"));
    }
    let sample = match DIALECT {
        // Rows at fixed pseudo-random rowids.
        Dialect::Sqlite => {
            let last: Option<i64> = sqlx::query_scalar("SELECT MAX(rowid) FROM requests")
                .fetch_one(pool)
                .await?;
            let rowids = sample_rowids(last.unwrap_or(0), ESTIMATE_SAMPLE);
            let list: Vec<String> = rowids.iter().map(i64::to_string).collect();
            format!("requests r WHERE r.rowid IN ({})", list.join(", "))
        }
        // Rows at fixed pseudo-random places (page, slot) of the table. Whole pages
        // (TABLESAMPLE SYSTEM) hold requests imported together, alike in name: "m"
        // came out 16 % low at 1 000 000 requests.
        Dialect::Postgres => {
            let pages: i64 = sqlx::query_scalar(
                "SELECT pg_relation_size('requests') / current_setting('block_size')::bigint",
            )
            .fetch_one(pool)
            .await?;
            // The counters give the rows; the table's size, the pages that hold them.
            let per_page = requests.max(1) as f64 / pages.max(1) as f64;
            // Twice the rows a page holds on average: about every other slot is empty.
            let slots = (2.0 * per_page).ceil().max(4.0) as i64;
            let tids: Vec<String> = sample_places(pages.max(1), slots, 2 * ESTIMATE_SAMPLE)
                .into_iter()
                .map(|(page, slot)| format!("\"({page},{slot})\""))
                .collect();
            format!(
                "requests r WHERE r.ctid = ANY('{{{}}}'::tid[])",
                tids.join(",")
            )
        }
    };
    sql.text = format!(
        "SELECT r.status, COUNT(*) AS n, SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS m FROM {sample} \
         GROUP BY r.status",
        matched.join(" AND ")
    );
    let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
    let mut sampled: HashMap<String, (i64, i64)> = HashMap::new();
    for row in q.fetch_all(pool).await? {
        sampled.insert(
            row.try_get("status")?,
            (row.try_get("n")?, row.try_get("m")?),
        );
    }
    let (all, all_matched) = sampled
        .values()
        .fold((0, 0), |(n, m), (sn, sm)| (n + sn, m + sm));
    if all == 0 {
        return Ok(None);
    }
    let overall = all_matched as f64 / all as f64;
    Ok(Some(
        totals
            .iter()
            .map(|total| {
                let share = match sampled.get(total.status.as_str()) {
                    Some((n, m)) if *n >= ESTIMATE_STATUS_FLOOR => *m as f64 / *n as f64,
                    _ => overall,
                };
                StatusCount {
                    status: total.status,
                    count: (total.count as f64 * share).round() as i64,
                }
            })
            .collect(),
    ))
}

/// `count` distinct rowids in 1..=`last` (all of them when there are fewer): rowids
/// a request no longer holds are simply not in the sample.
fn sample_rowids(last: i64, count: i64) -> Vec<i64> {
    if last <= count {
        return (1..=last).collect();
    }
    let mut random = FixedRandom::default();
    let mut picked = std::collections::BTreeSet::new();
    while (picked.len() as i64) < count {
        picked.insert(1 + random.below(last));
    }
    picked.into_iter().collect()
}

/// Up to `count` distinct (page, slot) places among `pages` pages of `slots` slots
/// (all of them when there are fewer): an empty slot gives no row.
fn sample_places(pages: i64, slots: i64, count: i64) -> Vec<(i64, i64)> {
    let mut picked = std::collections::BTreeSet::new();
    if pages.saturating_mul(slots) <= count {
        for page in 0..pages {
            picked.extend((1..=slots).map(|slot| (page, slot)));
        }
        return picked.into_iter().collect();
    }
    let mut random = FixedRandom::default();
    while (picked.len() as i64) < count {
        picked.insert((random.below(pages), 1 + random.below(slots)));
    }
    picked.into_iter().collect()
}

/// xorshift64* from a fixed seed: an estimate reads the same sample of the same
/// queue, so its figures do not change from one keystroke to the next.
struct FixedRandom(u64);

impl Default for FixedRandom {
    fn default() -> Self {
        FixedRandom(0x9E37_79B9_7F4A_7C15)
    }
}

impl FixedRandom {
    /// A number in 0..`bound` (`bound` > 0).
    fn below(&mut self, bound: i64) -> i64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound as u64) as i64
    }
}
