//! Rows of a query's order from a sort key: the queue's pages and the keys a jump
//! lands on. Under a search whose every word is dense, a bounded walk of the order
//! that checks the words on each row (`rows_in_order`).

use sesame_core::RequestStatus;

use super::queue_search::{push_filters, SearchUse, SearchWords};
use super::queue_sql::{
    bind_all, fetch_all, order_of, push_key_condition, sort_expression, sort_key_of, Side, SortKey,
    Sql,
};
use super::{Pool, DIALECT};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::{QueryValue, QueueQuery, QueueSortField, SortDirection};

/// What a queue row reads: the request's columns and its holder's (`queue::queue_row`).
const QUEUE_COLUMNS: &str = "r.id, r.version, r.kind, r.status, r.holder_id, h.family_name, h.given_names, h.email,
    h.organisation, h.unit, r.category, h.external_id, r.submitted_on, r.mission_end, r.badge_number,
    r.badge_valid_until, r.print_claim_by, r.updated_at, r.holder_sort";

/// The request's share of `QUEUE_COLUMNS`, with every sort's key: a page is chosen
/// from these, and its holders joined after.
const PAGE_REQUEST_COLUMNS: &str = "r.id, r.version, r.kind, r.status, r.holder_id, r.category,
    r.submitted_on, r.mission_end, r.badge_number, r.badge_valid_until, r.print_claim_by,
    r.updated_at, r.holder_sort, r.mission_end_key, r.badge_valid_until_key";

/// What `rows_in_order` reads of each row.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Columns {
    /// A queue row (`QUEUE_COLUMNS`: the holder joined to the page's rows).
    Queue,
    /// The row's `sort_key` and `id` (`queue_sql::sort_key_of`).
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
/// sort's order and checking the words on each row (`queue_search::push_search`): a page of "m" is
/// met within a few hundred rows. The walk stops after `WALK_ROWS` rows of the query's
/// other filters; when it found fewer than `fetch` matches there, the rest are read
/// from every match of the words, after the walk's last row. The matches of several
/// dense words can all sit in one stretch of the order ("ma j" by name: the Martins
/// with a J, mid-alphabet), which an unbounded walk from the top reached after reading
/// half the queue (7–8 s at 1 000 000 requests).
pub(super) async fn rows_in_order(
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
    // OFFSET with EXISTS and a row value together: see `queue_positions::key_after_mark`).
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
            SearchUse::AfterWalk,
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
    // On PostgreSQL a page is chosen by id and sort key alone, which the indexes
    // carry (`postgres/0023_index_of_ids_carries_the_name.sql`), and its columns read
    // for its own rows after: a search's matches read by id ("lefevre" by name:
    // 10 883 at 1 000 000 requests) are then sorted from the index of ids, where
    // reading each one's row to sort it went to a table twice the size of the
    // server's buffers, a page per request (120–128 ms → 39 ms; "ma j" by name
    // 238 → 161 ms). SQLite, whose pages were quick, keeps one select.
    let deferred = columns == Columns::Queue && DIALECT == Dialect::Postgres;
    let keys = format!("SELECT {key} AS sort_key, r.id AS id FROM requests r WHERE 1 = 1");
    let (select, branches) = match columns {
        Columns::Queue if deferred => (keys, status_branches(query)),
        Columns::Queue => (
            format!("SELECT {PAGE_REQUEST_COLUMNS} FROM requests r WHERE 1 = 1"),
            status_branches(query),
        ),
        Columns::Key => (keys, vec![query.statuses.clone()]),
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
        let union_key = if deferred {
            "u.sort_key"
        } else {
            "u.holder_sort"
        };
        let outer_order = order_of(query.sort, query.direction, union_key, "u.id");
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
    if deferred {
        sql.text = format!(
            "SELECT {QUEUE_COLUMNS} FROM ({}) AS p JOIN requests r ON r.id = p.id \
             JOIN holders h ON h.id = r.holder_id ORDER BY {order}",
            sql.text
        );
    } else if columns == Columns::Queue {
        sql.text = format!(
            "SELECT {QUEUE_COLUMNS} FROM ({}) AS r JOIN holders h ON h.id = r.holder_id \
             ORDER BY {order}",
            sql.text
        );
    }
    sql
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

/// The sort key and id of the row `offset` rows into the query's order in `direction`
/// (from `from` when given; matches found by reading them all), or `None` past the
/// last row.
pub(super) async fn key_at_offset(
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
