//! The queue's filters and its search: each word weighed by how many search terms it
//! prefixes against the queue's size (the per-status counters' total), which decides
//! how its matches are found.

use sesame_core::{text, RequestStatus};
use sqlx::Row;
use std::collections::HashMap;

use super::queue_sql::{bind_all, Sql};
use super::search::{initial_decides, initials_of};
use super::{Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::{QueryValue, QueueQuery, QueueSortField, StatusCount};

/// Greatest code point: `term <= prefix || MAX` bounds a prefix range in bytewise order
/// (SQLite BINARY, PostgreSQL COLLATE "C").
const PREFIX_END: char = '\u{10FFFF}';

/// How many search terms a word prefixes, against the queue's size, decides how its
/// matches are found (`push_search`). The cost of reading a word's matches grows
/// with their number; the cost of checking the word on the rows a page walks shrinks
/// as they get denser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Density {
    /// Under 1 % of the requests' count (a name, a number): its matches are read
    /// whole and intersected with the other words'.
    Few,
    /// Under 10 %: read whole only when no word has fewer.
    Some,
    /// 10 % or more ("m", "ma"): checked on each candidate the other words gave, or
    /// on each row a page walks.
    Many,
}

/// The search's words, each with how densely it matches.
#[derive(Default)]
pub(super) struct SearchWords {
    words: Vec<(String, Density)>,
    /// The per-status counters they were weighed against (none without a search).
    counters: Vec<StatusCount>,
}

impl SearchWords {
    /// The density of the rarest word (`None` without a search).
    fn lowest(&self) -> Option<Density> {
        self.words.iter().map(|(_, density)| *density).min()
    }

    /// The words, in the search's order.
    pub(super) fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|(word, _)| word.as_str())
    }

    /// Whether the search has words and every one is dense ("m", "ma j").
    pub(super) fn all_dense(&self) -> bool {
        self.lowest() == Some(Density::Many)
    }

    /// The per-status counters read to weigh the words (empty without a search).
    pub(super) fn counters(&self) -> &[StatusCount] {
        &self.counters
    }
}

/// How a query finds the search's matches: by walking the sort's order and checking
/// the words on each row, when they are all dense and it stops after a few matches
/// (a page, or a jump's rows from a position mark: `queue_walk::rows_in_order` bounds the walk);
/// or by reading every match, as a count or an offset needs.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum SearchUse {
    Walk,
    EveryMatch,
    /// The matches after a bounded walk that found too few, in the sort's order: they
    /// may sit far down the order ("ma j" by name). On SQLite the walk goes on, its
    /// initials tested on the index entries alone; PostgreSQL reads each entry's row
    /// from the table (until autovacuum marks its pages visible: "ma j" 1.2 s), so
    /// there the matches are read whole by id and sorted (0.3 s).
    AfterWalk,
    /// Every match, in no order: the counts per status (and the totals taken from
    /// them).
    Count,
}

/// Each word's terms are counted in the terms' index, stopping at the `Many` bound,
/// against the per-status counters' total (small queues stay `Few`: below these
/// floors every way takes a few milliseconds). A query weighs its words once: what
/// it reads after (a page, a position, marks, counts) takes them from here.
pub(super) async fn search_words(pool: &Pool, query: &QueueQuery) -> Result<SearchWords> {
    let mut words = SearchWords::default();
    let Some(search) = &query.search else {
        return Ok(words);
    };
    words.counters = counts_from_table(pool).await?;
    let requests: i64 = words.counters.iter().map(|c| c.count).sum();
    let some_from = (requests / 100).max(100);
    let many_from = (requests / 10).max(1000);
    for word in text::search_terms(search) {
        let mut sql = Sql::default();
        let (low, high) = prefix_range(&mut sql, &word);
        let limit = sql.bind(QueryValue::Int(many_from));
        sql.text = format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_terms \
             WHERE term >= {low} AND term <= {high} LIMIT {limit}) AS t"
        );
        let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
        let terms: i64 = q.fetch_one(pool).await?.try_get("n")?;
        let density = match terms {
            t if t < some_from => Density::Few,
            t if t < many_from => Density::Some,
            _ => Density::Many,
        };
        words.words.push((word, density));
    }
    Ok(words)
}

/// The counters the triggers keep (see migrations): instant at any queue size.
pub(super) async fn counts_from_table(pool: &Pool) -> Result<Vec<StatusCount>> {
    let rows = sqlx::query("SELECT status, n FROM request_status_counts")
        .fetch_all(pool)
        .await?;
    every_status(&rows)
}

/// Rows of `status` and `n` as counts of every status, zeros included.
pub(super) fn every_status(rows: &[super::DbRow]) -> Result<Vec<StatusCount>> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    for row in rows {
        counts.insert(row.try_get("status")?, row.try_get("n")?);
    }
    Ok(RequestStatus::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            count: counts.get(status.as_str()).copied().unwrap_or(0),
        })
        .collect())
}

/// Builds the WHERE clause shared by the queue, its export and its counts
/// (`statuses` stands for the query's own, so branches can take one each; `words`
/// are its search's, from `search_words`).
pub(super) fn push_filters(
    sql: &mut Sql,
    query: &QueueQuery,
    statuses: &[RequestStatus],
    words: &SearchWords,
    purpose: SearchUse,
) {
    let lists = [
        (
            "r.status",
            statuses.iter().map(|s| s.as_str().to_owned()).collect(),
        ),
        (
            "r.kind",
            query.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
        ),
        (
            "r.category",
            query
                .categories
                .iter()
                .map(|c| c.trim().to_lowercase())
                .collect::<Vec<String>>(),
        ),
    ];
    for (column, values) in lists {
        if !values.is_empty() {
            let marks = sql.bind_list(values.into_iter().map(QueryValue::Text));
            sql.text.push_str(&format!(" AND {column} IN ({marks})"));
        }
    }
    if let Some(zone) = query
        .zone
        .as_deref()
        .map(str::trim)
        .filter(|z| !z.is_empty())
    {
        let mark = sql.bind(QueryValue::Text(zone.to_owned()));
        sql.text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM request_zones z WHERE z.request_id = r.id AND z.zone = {mark})"
        ));
    }
    // The sort keys' indexes serve the "ends before" filters: a key is its date where
    // there is one (no index of the dates themselves is kept, to spare every import).
    let dates = [
        (query.submitted_from, "r.submitted_on >="),
        (query.submitted_until, "r.submitted_on <="),
        (
            query.mission_end_before,
            "r.mission_end IS NOT NULL AND r.mission_end_key <=",
        ),
        (
            query.badge_expiring_before,
            "r.badge_valid_until IS NOT NULL AND r.badge_valid_until_key <=",
        ),
    ];
    for (date, condition) in dates {
        if let Some(date) = date {
            let mark = sql.bind(QueryValue::Date(date));
            sql.text.push_str(&format!(" AND {condition} {mark}"));
        }
    }
    if let Some(holder) = query.holder_id {
        let mark = sql.bind(QueryValue::Text(holder.to_string()));
        sql.text.push_str(&format!(" AND r.holder_id = {mark}"));
    }
    push_search(sql, words, purpose, query.sort);
}

/// Every word of the search must prefix some search term of the request.
///
/// The words of the lowest density give the candidates: one INTERSECT of index range
/// scans, so the planner never joins each word separately. Denser words are checked
/// on each candidate through its few terms: intersected, they would read a large
/// share of the table's terms ("ma j" at 1 000 000 requests: 0.2–0.3 s; "j" checked
/// on the matches of "ma", 45 ms). When every word is `Many`, the request's initials
/// decide first (`dense_search`) where a walk checks each row it reads, and where a
/// count or an offset, which needs every match, finds few requests left to check:
/// every word one letter ("m"), or words of two initials or more ("ma j"). A single
/// longer word ("ma") is read whole there: its words' range (0.3 s on either backend
/// at 1 000 000 requests) is cheaper than checking it on the fifth of the queue whose
/// initials hold "m" (0.4–0.7 s).
fn push_search(sql: &mut Sql, words: &SearchWords, purpose: SearchUse, sort: QueueSortField) {
    let Some(lowest) = words.lowest() else {
        return;
    };
    let initials_first = match purpose {
        SearchUse::Walk => true,
        SearchUse::EveryMatch | SearchUse::Count => initials_narrow(words),
        SearchUse::AfterWalk => DIALECT == Dialect::Sqlite,
    };
    if lowest == Density::Many && initials_first {
        dense_search(sql, words);
        return;
    }
    let (candidates, others): (Vec<_>, Vec<_>) = words
        .words
        .iter()
        .partition(|(_, density)| *density == lowest);
    let intersected: Vec<&String> = candidates.into_iter().map(|(word, _)| word).collect();
    let checked: Vec<&String> = others.into_iter().map(|(word, _)| word).collect();
    let several = intersected.len() > 1;
    let matches = if several && lowest == Density::Many && DIALECT == Dialect::Postgres {
        // PostgreSQL intersects by sorting every word's matches, which spills to disk
        // when they are many ("ma j": 560 000 terms, 0.85 s at 1 000 000 requests);
        // the first word's matches semi-joined to the others' are hashed (0.19 s). A
        // request with two terms under the first word is listed twice: harmless in
        // the array below, whose index scan reads each id once.
        let mut words = intersected.iter();
        let first = words.next().expect("several words");
        let (low, high) = prefix_range(sql, first);
        let mut matches = format!(
            "SELECT s.request_id FROM search_terms s WHERE s.term >= {low} AND s.term <= {high}"
        );
        for word in words {
            let has = has_term(sql, word, "s.request_id");
            matches.push_str(&format!(" AND {has}"));
        }
        matches
    } else {
        let mut selects = Vec::new();
        for word in intersected {
            let (low, high) = prefix_range(sql, word);
            selects.push(format!(
                "SELECT s.request_id FROM search_terms s WHERE s.term >= {low} AND s.term <= {high}"
            ));
        }
        selects.join(" INTERSECT ")
    };
    // PostgreSQL may walk the sort's index looking for the candidates, which can be a
    // long walk; computed first, as an array, they are read by id instead. It guesses
    // that an intersection of several words keeps a large share of its inputs (14 000
    // rows where 272 matched, at 1 000 000 requests: 60 ms → 12 ms). By name, a
    // surname's requests all sit in one stretch of the order, which a walk from the
    // top meets only after reading everything that sorts before it, whatever its
    // estimates: "dupont" 2.6 s, "lefevre" 5.5 s → 0.2 s at 1 000 000 requests. In the
    // other orders the walk finds a page's matches early (1–10 ms, where the array
    // takes 20–70 ms). A count reads every match in no order: for a word of the
    // `Some` density, the planner's guess of a few thousand rows has it scan the
    // whole table to join them ("zoe", 28 000 requests at 1 000 000: 0.13 s, where
    // the array takes 77 ms; "lefevre", 11 000 requests, is joined without the scan
    // and loses 10 ms to the array, 37 → 47 ms). A single dense word keeps the join:
    // its matches are too many to list.
    let by_name = sort == QueueSortField::HolderName && lowest != Density::Many;
    let counted = purpose == SearchUse::Count && lowest == Density::Some;
    let read_by_id = several || by_name || counted;
    if read_by_id && DIALECT == Dialect::Postgres {
        sql.text
            .push_str(&format!(" AND r.id = ANY(ARRAY({matches}))"));
    } else if !matches.is_empty() {
        sql.text.push_str(&format!(" AND r.id IN ({matches})"));
    }
    for word in checked {
        let has = has_term(sql, word, "r.id");
        sql.text.push_str(&format!(" AND {has}"));
    }
}

/// Whether the initials of a search's words leave few requests whose words must still
/// be read: none to read (every word one letter or digit), or two initials or more
/// to hold.
fn initials_narrow(words: &SearchWords) -> bool {
    words.words().all(initial_decides) || initials_of(words.words()).count_ones() > 1
}

/// The condition of a search whose every word is dense: the request's initials hold
/// each word's first character, and each word longer than one letter or digit
/// prefixes one of its terms. The initials are tested on the sort index's entries
/// (`*_search_initials.sql`): "m" at 1 000 000 requests is counted in 60–70 ms on
/// SQLite and 150 ms on PostgreSQL (0.4–0.7 s through its 470 000 words), and "ma j"
/// reads the words of "ma" only for the 2 % of requests whose initials hold both "m"
/// and "j".
fn dense_search(sql: &mut Sql, words: &SearchWords) {
    let bits = sql.bind(QueryValue::Int(initials_of(words.words())));
    sql.text
        .push_str(&format!(" AND (r.search_initials & {bits}) = {bits}"));
    for word in words.words().filter(|word| !initial_decides(word)) {
        let has = has_term(sql, word, "r.id");
        sql.text.push_str(&format!(" AND {has}"));
    }
}

/// Whether the request whose id is `request` has a search term `word` prefixes: its
/// few terms read through the terms' index by request (on PostgreSQL by request and
/// term, so the index alone answers: `postgres/0019_search_terms_by_request_and_term.sql`).
pub(super) fn has_term(sql: &mut Sql, word: &str, request: &str) -> String {
    let (low, high) = prefix_range(sql, word);
    format!(
        "EXISTS (SELECT 1 FROM search_terms t WHERE t.request_id = {request} \
         AND t.term >= {low} AND t.term <= {high})"
    )
}

/// Binds the bounds of the terms `word` prefixes, in bytewise order.
fn prefix_range(sql: &mut Sql, word: &str) -> (String, String) {
    let mut end = word.to_owned();
    end.push(PREFIX_END);
    let low = sql.bind(QueryValue::Text(word.to_owned()));
    let high = sql.bind(QueryValue::Text(end));
    (low, high)
}
