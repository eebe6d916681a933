//! The queue: filtered, sorted, keyset-paginated lists and counts per status.
//!
//! A page is reached from the previous one's cursor (scrolling), or by position
//! (a jump: the scrollbar dragged, End, a row number). A jump finds the sort key of
//! the row at that position with one offset over the sort's index, counted from
//! whichever end is nearer, then reads the page by keyset from that key: never more
//! than half the matching rows stepped over, and only in the index. Under a search
//! whose words are all dense ("m"), where that offset would sort every match again,
//! a jump starts from position marks taken once (`position_marks`, kept by
//! `store/position_marks.rs`) and walks fewer than `MARK_EVERY` matches from there.
//!
//! Under such a search, rows are found by walking the sort's order and checking the
//! words on each row, for at most `WALK_ROWS` rows; the matches that lie further are
//! read whole (`rows_in_order`).

use chrono::NaiveDate;
use sesame_core::{text, RequestKind, RequestStatus};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

use super::{get_uuid, parse_uuid, Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::store::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::{
    PositionMarks, QueryValue, QueuePage, QueueQuery, QueueRow, QueueSortField, SortDirection,
    StatusCount,
};

/// Greatest code point: `term <= prefix || MAX` bounds a prefix range in bytewise order
/// (SQLite BINARY, PostgreSQL COLLATE "C").
const PREFIX_END: char = '\u{10FFFF}';

/// SQL text with `$n` placeholders and the values to bind, in order.
#[derive(Default)]
struct Sql {
    text: String,
    values: Vec<QueryValue>,
}

impl Sql {
    fn bind(&mut self, value: QueryValue) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }
}

/// The column a sort orders by (then by id). The date sorts' keys put requests without
/// a date last (`*_key`, computed columns of migration `*_queue_positions.sql`).
fn sort_expression(field: QueueSortField) -> &'static str {
    match field {
        QueueSortField::Submitted => "r.id",
        QueueSortField::HolderName => "r.holder_sort",
        QueueSortField::MissionEnd => "r.mission_end_key",
        QueueSortField::BadgeValidUntil => "r.badge_valid_until_key",
    }
}

/// The cursor is the last row's sort key and id: `key|id` (opaque to the UI).
fn cursor_for(row: &QueueRow, holder_sort: &str, field: QueueSortField) -> String {
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date");
    let key = match field {
        QueueSortField::Submitted => String::new(),
        QueueSortField::HolderName => holder_sort.to_owned(),
        QueueSortField::MissionEnd => row.mission_end.unwrap_or(far).to_string(),
        QueueSortField::BadgeValidUntil => row.badge_valid_until.unwrap_or(far).to_string(),
    };
    format!("{key}|{}", row.id)
}

fn parse_cursor(cursor: &str, field: QueueSortField) -> Result<SortKey> {
    let invalid = || StoreError::InvalidQuery {
        reason: format!("cursor '{cursor}' does not come from this sort"),
    };
    let (key, id) = cursor.rsplit_once('|').ok_or_else(invalid)?;
    let id = parse_uuid(id).map_err(|_| invalid())?;
    let key = match field {
        QueueSortField::Submitted => None,
        QueueSortField::HolderName => Some(QueryValue::Text(key.to_owned())),
        QueueSortField::MissionEnd | QueueSortField::BadgeValidUntil => Some(QueryValue::Date(
            key.parse::<NaiveDate>().map_err(|_| invalid())?,
        )),
    };
    Ok((key, id))
}

macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut q = $query;
        for value in $values {
            q = match value {
                QueryValue::Text(t) => q.bind(t),
                QueryValue::Date(d) => q.bind(d),
                QueryValue::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

/// Builds the WHERE clause shared by the queue, its export and its counts
/// (`statuses` stands for the query's own, so branches can take one each; `words`
/// are its search's, from `search_words`).
fn push_filters(
    sql: &mut Sql,
    query: &QueueQuery,
    statuses: &[RequestStatus],
    words: &SearchWords,
    purpose: SearchUse,
) {
    if !statuses.is_empty() {
        let marks: Vec<String> = statuses
            .iter()
            .map(|s| sql.bind(QueryValue::Text(s.as_str().into())))
            .collect();
        sql.text
            .push_str(&format!(" AND r.status IN ({})", marks.join(", ")));
    }
    if !query.kinds.is_empty() {
        let marks: Vec<String> = query
            .kinds
            .iter()
            .map(|k| sql.bind(QueryValue::Text(k.as_str().into())))
            .collect();
        sql.text
            .push_str(&format!(" AND r.kind IN ({})", marks.join(", ")));
    }
    if !query.categories.is_empty() {
        let marks: Vec<String> = query
            .categories
            .iter()
            .map(|c| sql.bind(QueryValue::Text(c.trim().to_lowercase())))
            .collect();
        sql.text
            .push_str(&format!(" AND r.category IN ({})", marks.join(", ")));
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
struct SearchWords(Vec<(String, Density)>);

impl SearchWords {
    /// The density of the rarest word (`None` without a search).
    fn lowest(&self) -> Option<Density> {
        self.0.iter().map(|(_, density)| *density).min()
    }

    /// Whether the search has words and every one is dense ("m", "ma j").
    fn all_dense(&self) -> bool {
        self.lowest() == Some(Density::Many)
    }
}

/// How a query finds the search's matches: by walking the sort's order and checking
/// the words on each row, when they are all dense and it stops after a few matches
/// (a page, or a jump's rows from a position mark: `rows_in_order` bounds the walk);
/// or by reading every match, as a count or an offset needs.
#[derive(Clone, Copy, PartialEq)]
enum SearchUse {
    Walk,
    EveryMatch,
}

/// Each word's terms are counted in the terms' index, stopping at the `Many` bound,
/// against the per-status counters' total (small queues stay `Few`: below these
/// floors every way takes a few milliseconds).
async fn search_words(pool: &Pool, query: &QueueQuery) -> Result<SearchWords> {
    let mut words = SearchWords::default();
    let Some(search) = &query.search else {
        return Ok(words);
    };
    let requests: i64 = counts_from_table(pool).await?.iter().map(|c| c.count).sum();
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
        words.0.push((word, density));
    }
    Ok(words)
}

/// Every word of the search must prefix some search term of the request.
///
/// The words of the lowest density give the candidates: one INTERSECT of index range
/// scans, so the planner never joins each word separately. Denser words are checked
/// on each candidate through its few terms: intersected, they would read a large
/// share of the table's terms ("ma j" at 1 000 000 requests: 0.2–0.3 s; "j" checked
/// on the matches of "ma", 45 ms). When every word is `Many`, a walk checks them on
/// each row it reads in its order, where matches are many ("m": 0.3 s read whole on
/// SQLite, 10 ms walked); a count or an offset, which needs every match anyway,
/// intersects them (on PostgreSQL, by a semi-join).
fn push_search(sql: &mut Sql, words: &SearchWords, purpose: SearchUse, sort: QueueSortField) {
    let Some(lowest) = words.lowest() else {
        return;
    };
    let walked = lowest == Density::Many && purpose == SearchUse::Walk;
    let (intersected, checked): (Vec<&String>, Vec<&String>) = if walked {
        (Vec::new(), words.0.iter().map(|(word, _)| word).collect())
    } else {
        let (candidates, others): (Vec<_>, Vec<_>) =
            words.0.iter().partition(|(_, density)| *density == lowest);
        (
            candidates.into_iter().map(|(word, _)| word).collect(),
            others.into_iter().map(|(word, _)| word).collect(),
        )
    };
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
            let (low, high) = prefix_range(sql, word);
            matches.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM search_terms t WHERE t.request_id = s.request_id \
                 AND t.term >= {low} AND t.term <= {high})"
            ));
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
    // takes 20–70 ms). A single dense word keeps the join: its matches are too many
    // to list.
    let by_name = sort == QueueSortField::HolderName && lowest != Density::Many;
    let read_by_id = several || by_name;
    if read_by_id && DIALECT == Dialect::Postgres {
        sql.text
            .push_str(&format!(" AND r.id = ANY(ARRAY({matches}))"));
    } else if !matches.is_empty() {
        sql.text.push_str(&format!(" AND r.id IN ({matches})"));
    }
    for word in checked {
        let (low, high) = prefix_range(sql, word);
        sql.text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM search_terms s WHERE s.request_id = r.id \
             AND s.term >= {low} AND s.term <= {high})"
        ));
    }
}

/// Binds the bounds of the terms `word` prefixes, in bytewise order.
fn prefix_range(sql: &mut Sql, word: &str) -> (String, String) {
    let mut end = word.to_owned();
    end.push(PREFIX_END);
    let low = sql.bind(QueryValue::Text(word.to_owned()));
    let high = sql.bind(QueryValue::Text(end));
    (low, high)
}

const QUEUE_COLUMNS: &str = "r.id, r.version, r.kind, r.status, r.holder_id, h.family_name, h.given_names, h.email,
    h.organisation, h.unit, r.category, h.external_id, r.submitted_on, r.mission_end, r.badge_number,
    r.badge_valid_until, r.print_claim_by, r.updated_at, r.holder_sort";

/// The request's share of `QUEUE_COLUMNS`, with every sort's key: a page is chosen
/// from these, and its holders joined after.
const PAGE_REQUEST_COLUMNS: &str = "r.id, r.version, r.kind, r.status, r.holder_id, r.category,
    r.submitted_on, r.mission_end, r.badge_number, r.badge_valid_until, r.print_claim_by,
    r.updated_at, r.holder_sort, r.mission_end_key, r.badge_valid_until_key";

/// A page of the queue; a jump (`start`) under `marks` of the query's order starts its
/// walk from the mark before its position.
pub(crate) async fn list_requests(
    pool: &Pool,
    query: &QueueQuery,
    marks: Option<&PositionMarks>,
) -> Result<QueuePage> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(StoreError::InvalidQuery {
            reason: format!("page size {limit} is outside 1..={MAX_PAGE_SIZE}"),
        });
    }
    // The words are weighed once: the position's count and offset read them too.
    let words = search_words(pool, query).await?;
    // A cursor continues after its row; a position starts at (includes) its row.
    let from = match (query.cursor.as_deref(), query.start) {
        (Some(cursor), _) => Some((parse_cursor(cursor, query.sort)?, Side::After)),
        (None, Some(start)) if start > 0 => {
            match key_at(pool, query, &words, start, marks).await? {
                Some(anchor) => Some((anchor, Side::From)),
                None => {
                    return Ok(QueuePage {
                        rows: Vec::new(),
                        next_cursor: None,
                    })
                }
            }
        }
        (None, _) => None,
    };
    let from = from.as_ref().map(|(key, side)| (key, *side));
    let rows = rows_in_order(
        pool,
        query,
        &words,
        Columns::Queue,
        from,
        u64::from(limit) + 1,
    )
    .await?;
    let more = rows.len() > limit as usize;
    let mut out = Vec::with_capacity(rows.len().min(limit as usize));
    let mut last_sort = String::new();
    for row in rows.iter().take(limit as usize) {
        out.push(queue_row(row)?);
        last_sort = row.try_get("holder_sort")?;
    }
    // Zones for the page in one query.
    if !out.is_empty() {
        let mut zsql = Sql::default();
        let marks: Vec<String> = out
            .iter()
            .map(|r| zsql.bind(QueryValue::Text(r.id.to_string())))
            .collect();
        zsql.text = format!(
            "SELECT request_id, zone FROM request_zones WHERE request_id IN ({}) ORDER BY request_id, position",
            marks.join(", ")
        );
        let zq = bind_all!(sqlx::query(sqlx::AssertSqlSafe(zsql.text)), zsql.values);
        let mut zones: HashMap<Uuid, Vec<String>> = HashMap::new();
        for row in zq.fetch_all(pool).await? {
            zones
                .entry(get_uuid(&row, "request_id")?)
                .or_default()
                .push(row.try_get("zone")?);
        }
        for row in &mut out {
            row.zones = zones.remove(&row.id).unwrap_or_default();
        }
    }
    let next_cursor = match (more, out.last()) {
        (true, Some(last)) => Some(cursor_for(last, &last_sort, query.sort)),
        _ => None,
    };
    Ok(QueuePage {
        rows: out,
        next_cursor,
    })
}

/// Where a row stands in a sort's order: its sort key (none for the submission order,
/// which is the ids') and id. Cursors, position marks and the ends of walks are these.
type SortKey = (Option<QueryValue>, Uuid);

/// Which rows of the order a condition on a `SortKey` keeps.
#[derive(Clone, Copy)]
enum Side {
    /// The rows after it (a cursor continues after its row).
    After,
    /// It and the rows after it (a position starts at its row).
    From,
    /// It and the rows before it (where a walk stops).
    Through,
}

/// ` AND (key, id) <op> (…)`: one range of the sort's index, however many requests
/// share the key. `direction` is the order's, which decides what "after" means.
fn push_key_condition(
    sql: &mut Sql,
    sort: QueueSortField,
    direction: SortDirection,
    at: &SortKey,
    side: Side,
) {
    let op = match (side, direction) {
        (Side::After, SortDirection::Asc) => ">",
        (Side::After, SortDirection::Desc) => "<",
        (Side::From, SortDirection::Asc) | (Side::Through, SortDirection::Desc) => ">=",
        (Side::From, SortDirection::Desc) | (Side::Through, SortDirection::Asc) => "<=",
    };
    let (value, id) = at;
    match value {
        None => {
            let id = sql.bind(QueryValue::Text(id.to_string()));
            sql.text.push_str(&format!(" AND r.id {op} {id}"));
        }
        Some(value) => {
            let key = sort_expression(sort);
            let value = sql.bind(value.clone());
            let id = sql.bind(QueryValue::Text(id.to_string()));
            sql.text
                .push_str(&format!(" AND ({key}, r.id) {op} ({value}, {id})"));
        }
    }
}

/// What `rows_in_order` reads of each row.
#[derive(Clone, Copy, PartialEq)]
enum Columns {
    /// A queue row (`QUEUE_COLUMNS`: the holder joined to the page's rows).
    Queue,
    /// The row's `sort_key` and `id` (`sort_key_of`).
    Key,
}

/// Rows of the sort's order a walk under a search of dense words reads before it
/// stops: ~0.15 s at 1 000 000 requests on either backend. The first page of "m" by
/// name walks 7 700 rows (the names in "a" have few words in "m"); reading every
/// match of two dense words instead takes 0.2–0.5 s ("ma j").
const WALK_ROWS: u64 = 10_000;

/// Up to `fetch` rows of the query's order, from `from` (the start of the order
/// without it).
///
/// Under a search whose every word is dense, the matches are found by walking the
/// sort's order and checking the words on each row (`push_search`): a page of "m" is
/// met within a few hundred rows. The walk stops after `WALK_ROWS` rows of the query's
/// other filters; when it found fewer than `fetch` matches there, the rest are read
/// from every match of the words, after the walk's last row. The matches of several
/// dense words can all sit in one stretch of the order ("ma j" by name: the Martins
/// with a J, mid-alphabet), which an unbounded walk from the top reached after reading
/// half the queue (7–8 s at 1 000 000 requests).
async fn rows_in_order(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    columns: Columns,
    from: Option<(&SortKey, Side)>,
    fetch: u64,
) -> Result<Vec<super::DbRow>> {
    if !words.all_dense() {
        let sql = rows_sql(
            query,
            words,
            columns,
            from,
            None,
            SearchUse::EveryMatch,
            fetch,
        );
        return fetch_all(pool, sql).await;
    }
    // Where the walk stops only bounds its cost: the rows are right for any key after
    // the start, should the offset miss (SQLite 3.51 once returned a wrong row for an
    // OFFSET with EXISTS and a row value together: see `key_after_mark`).
    let no_search = SearchWords::default();
    let offset = WALK_ROWS - 1;
    let walk_end = key_at_offset(pool, query, &no_search, query.direction, from, offset).await?;
    let walk = rows_sql(
        query,
        words,
        columns,
        from,
        walk_end.as_ref(),
        SearchUse::Walk,
        fetch,
    );
    let mut rows = fetch_all(pool, walk).await?;
    let found = rows.len() as u64;
    if let (Some(walk_end), true) = (walk_end, found < fetch) {
        let after = Some((&walk_end, Side::After));
        let rest = rows_sql(
            query,
            words,
            columns,
            after,
            None,
            SearchUse::EveryMatch,
            fetch - found,
        );
        rows.extend(fetch_all(pool, rest).await?);
    }
    Ok(rows)
}

/// The SQL of `rows_in_order`: the rows from `from` through `through`, their matches
/// found as `purpose` says. Queue rows take one branch per status (`status_branches`).
fn rows_sql(
    query: &QueueQuery,
    words: &SearchWords,
    columns: Columns,
    from: Option<(&SortKey, Side)>,
    through: Option<&SortKey>,
    purpose: SearchUse,
    fetch: u64,
) -> Sql {
    let key = sort_expression(query.sort);
    let order = order_of(query.sort, query.direction, key, "r.id");
    let (select, branches) = match columns {
        Columns::Queue => (
            format!("SELECT {PAGE_REQUEST_COLUMNS} FROM requests r WHERE 1 = 1"),
            status_branches(query),
        ),
        Columns::Key => (
            format!("SELECT {key} AS sort_key, r.id AS id FROM requests r WHERE 1 = 1"),
            vec![query.statuses.clone()],
        ),
    };
    let fetch = QueryValue::Int(i64::try_from(fetch).unwrap_or(i64::MAX));
    let mut sql = Sql::default();
    let mut parts = Vec::with_capacity(branches.len());
    for statuses in &branches {
        let mut part = select.clone();
        std::mem::swap(&mut sql.text, &mut part);
        push_filters(&mut sql, query, statuses, words, purpose);
        if let Some((at, side)) = from {
            push_key_condition(&mut sql, query.sort, query.direction, at, side);
        }
        if let Some(at) = through {
            push_key_condition(&mut sql, query.sort, query.direction, at, Side::Through);
        }
        let limit = sql.bind(fetch.clone());
        sql.text
            .push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        std::mem::swap(&mut sql.text, &mut part);
        parts.push(part);
    }
    sql.text = if parts.len() == 1 {
        parts.remove(0)
    } else {
        // Several branches only where the sort is the submission order or the name.
        let outer_order = order_of(query.sort, query.direction, "u.holder_sort", "u.id");
        let union: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, part)| format!("SELECT * FROM ({part}) AS b{i}"))
            .collect();
        let limit = sql.bind(fetch);
        format!(
            "SELECT * FROM ({}) AS u ORDER BY {outer_order} LIMIT {limit}",
            union.join(" UNION ALL ")
        )
    };
    // The holders of the page's rows only: joined before the page is cut, they were
    // read for every match a search sorted (10 000 for "lefevre" at 1 000 000
    // requests, when PostgreSQL reads its matches by id).
    if columns == Columns::Queue {
        sql.text = format!(
            "SELECT {QUEUE_COLUMNS} FROM ({}) AS r JOIN holders h ON h.id = r.holder_id \
             ORDER BY {order}",
            sql.text
        );
    }
    sql
}

async fn fetch_all(pool: &Pool, sql: Sql) -> Result<Vec<super::DbRow>> {
    let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
    Ok(q.fetch_all(pool).await?)
}

/// One branch per status when several are asked for and the sort has a (status, sort
/// key) index: each walks its own index in order, instead of the sort's index being
/// read row by row to check each one's status.
fn status_branches(query: &QueueQuery) -> Vec<Vec<RequestStatus>> {
    let indexed_sort = matches!(
        query.sort,
        QueueSortField::Submitted | QueueSortField::HolderName
    );
    if indexed_sort && query.statuses.len() > 1 {
        query.statuses.iter().map(|s| vec![*s]).collect()
    } else {
        vec![query.statuses.clone()]
    }
}

/// The sort key and id of the row at `position` in the query's order, or `None` past
/// the last row. The offset runs from the nearer end, over the requests table alone
/// (every filter is on it), so the index of the sort carries it; with `marks`, from
/// the mark before the position.
async fn key_at(
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

/// The sort key and id of the row `offset` rows into the query's order in `direction`
/// (from `from` when given; matches found by reading them all), or `None` past the
/// last row.
async fn key_at_offset(
    pool: &Pool,
    query: &QueueQuery,
    words: &SearchWords,
    direction: SortDirection,
    from: Option<(&SortKey, Side)>,
    offset: u64,
) -> Result<Option<SortKey>> {
    let key = sort_expression(query.sort);
    let order = order_of(query.sort, direction, "sort_key", "id");
    // Several statuses on SQLite: one select per status, combined; SQLite merges the
    // ordered branches (a few ms). PostgreSQL does not merge them (it sorts every
    // match), so there one select reads the sort's index, which carries the status
    // (`postgres/0015_sort_indexes_carry_status.sql`): the offset skips the other
    // statuses' entries inside the index, without reading the table.
    let branches = match DIALECT {
        Dialect::Sqlite => status_branches(query),
        Dialect::Postgres => vec![query.statuses.clone()],
    };
    let mut sql = Sql::default();
    let mut arms = Vec::new();
    for statuses in branches {
        let mut arm = format!("SELECT {key} AS sort_key, r.id AS id FROM requests r WHERE 1 = 1");
        std::mem::swap(&mut sql.text, &mut arm);
        push_filters(&mut sql, query, &statuses, words, SearchUse::EveryMatch);
        if let Some((at, side)) = from {
            push_key_condition(&mut sql, query.sort, direction, at, side);
        }
        std::mem::swap(&mut sql.text, &mut arm);
        arms.push(arm);
    }
    let offset = sql.bind(QueryValue::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
    sql.text = format!(
        "{} ORDER BY {order} LIMIT 1 OFFSET {offset}",
        arms.join(" UNION ALL ")
    );
    let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
    match q.fetch_optional(pool).await? {
        Some(row) => Ok(Some(sort_key_of(&row, query.sort)?)),
        None => Ok(None),
    }
}

/// The `sort_key` and `id` columns of a row, as a cursor holds them.
fn sort_key_of(row: &super::DbRow, sort: QueueSortField) -> Result<SortKey> {
    let id = get_uuid(row, "id")?;
    let value = match sort {
        QueueSortField::Submitted => None,
        QueueSortField::HolderName => Some(QueryValue::Text(row.try_get("sort_key")?)),
        QueueSortField::MissionEnd | QueueSortField::BadgeValidUntil => {
            Some(QueryValue::Date(row.try_get("sort_key")?))
        }
    };
    Ok((value, id))
}

/// Rows between two position marks. A jump reads at most this many matches from its
/// mark (`rows_in_order`: a few ms where they lie close together in the order); the
/// marks of 1 000 000 matches are ~4 000 keys.
const MARK_EVERY: u64 = 256;

/// The marks of `query`'s order when every word of its search is dense (`None`
/// otherwise: an offset over the matches is quick then). Counting and sorting the
/// matches of "m" at 1 000 000 requests takes 1–2 s; done once here, each jump after
/// it takes milliseconds.
pub(crate) async fn position_marks(
    pool: &Pool,
    query: &QueueQuery,
) -> Result<Option<PositionMarks>> {
    let words = search_words(pool, query).await?;
    if !words.all_dense() {
        return Ok(None);
    }
    let key = sort_expression(query.sort);
    let order = order_of(query.sort, query.direction, key, "r.id");
    let mut sql = Sql {
        text: format!(
            "SELECT {key} AS sort_key, r.id AS id, ROW_NUMBER() OVER (ORDER BY {order}) - 1 AS n, \
             COUNT(*) OVER () AS total FROM requests r WHERE 1 = 1"
        ),
        ..Sql::default()
    };
    push_filters(
        &mut sql,
        query,
        &query.statuses,
        &words,
        SearchUse::EveryMatch,
    );
    let every = sql.bind(QueryValue::Int(MARK_EVERY as i64));
    sql.text = format!(
        "SELECT sort_key, id, total FROM ({}) AS m WHERE n % {every} = 0 ORDER BY n",
        sql.text
    );
    let rows = fetch_all(pool, sql).await?;
    let total = match rows.first() {
        Some(row) => u64::try_from(row.try_get::<i64, _>("total")?).unwrap_or(0),
        None => 0,
    };
    let marks = rows
        .iter()
        .map(|row| sort_key_of(row, query.sort))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(PositionMarks {
        total,
        every: MARK_EVERY,
        marks,
    }))
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

/// ORDER BY of a sort: its key, then the id (alone for the submission order, which is
/// the ids' order), as the query names those columns.
fn order_of(sort: QueueSortField, direction: SortDirection, key: &str, id: &str) -> String {
    let dir = match direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    if sort == QueueSortField::Submitted {
        format!("{id} {dir}")
    } else {
        format!("{key} {dir}, {id} {dir}")
    }
}

/// How many requests match the query: from the per-status counters when it filters
/// by status alone, else counted.
async fn matching_total(pool: &Pool, query: &QueueQuery, words: &SearchWords) -> Result<u64> {
    let counts = counts_with(pool, query, words).await?;
    let total: i64 = counts
        .iter()
        .filter(|c| query.statuses.is_empty() || query.statuses.contains(&c.status))
        .map(|c| c.count)
        .sum();
    Ok(u64::try_from(total).unwrap_or(0))
}

fn queue_row(row: &super::DbRow) -> Result<QueueRow> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(QueueRow {
        id: get_uuid(row, "id")?,
        version: row.try_get("version")?,
        kind: RequestKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown kind '{kind}'")))?,
        status: RequestStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown status '{status}'")))?,
        holder_id: get_uuid(row, "holder_id")?,
        family_name: row.try_get("family_name")?,
        given_names: row.try_get("given_names")?,
        email: row.try_get("email")?,
        organisation: row.try_get("organisation")?,
        unit: row.try_get("unit")?,
        category: row.try_get("category")?,
        external_id: row.try_get("external_id")?,
        zones: Vec::new(),
        submitted_on: row.try_get("submitted_on")?,
        mission_end: row.try_get("mission_end")?,
        badge_number: row.try_get("badge_number")?,
        badge_valid_until: row.try_get("badge_valid_until")?,
        print_claimed_by: row.try_get("print_claim_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

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
    push_filters(&mut sql, &narrowed, &[], words, SearchUse::EveryMatch);
    sql.text.push_str(" GROUP BY r.status");
    let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
    let mut counts: HashMap<String, i64> = HashMap::new();
    for row in q.fetch_all(pool).await? {
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

/// The counters the triggers keep (see migrations): instant at any queue size.
async fn counts_from_table(pool: &Pool) -> Result<Vec<StatusCount>> {
    let rows = sqlx::query("SELECT status, n FROM request_status_counts")
        .fetch_all(pool)
        .await?;
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
    let totals = counts_from_table(pool).await?;
    let requests: i64 = totals.iter().map(|c| c.count).sum();
    let mut sql = Sql::default();
    let mut matched = Vec::with_capacity(words.0.len());
    for (word, _) in &words.0 {
        let (low, high) = prefix_range(&mut sql, word);
        matched.push(format!(
            "EXISTS (SELECT 1 FROM search_terms s WHERE s.request_id = r.id \
             AND s.term >= {low} AND s.term <= {high})"
        ));
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
            .into_iter()
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
