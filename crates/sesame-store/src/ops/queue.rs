//! The queue: filtered, sorted, keyset-paginated lists and counts per status.
//!
//! A page is reached from the previous one's cursor (scrolling), or by position
//! (a jump: the scrollbar dragged, End, a row number). A jump finds the sort key of
//! the row at that position with one offset over the sort's index, counted from
//! whichever end is nearer, then reads the page by keyset from that key: never more
//! than half the matching rows stepped over, and only in the index. Under a search
//! whose words are all dense ("m"), where that offset would sort every match again,
//! a jump starts from position marks taken once (`queue_positions::position_marks`,
//! kept by `store/position_marks.rs`) and reads fewer than
//! `queue_positions::MARK_EVERY` matches from there. Under such a search, rows are
//! found by walking the sort's order and checking the words on each row (the
//! request's initials first, on the index entry: `queue_search::dense_search`), for at most
//! `queue_walk::WALK_ROWS` rows; the matches that lie further are read whole
//! (`queue_walk::rows_in_order`).
//!
//! This module reads a page; its parts are the modules beside it:
//! - `queue_sql`: SQL text and its values; the sort orders' keys and conditions;
//! - `queue_search`: the filters and the search words, weighed by density;
//! - `queue_walk`: rows of the order from a key, the bounded walk;
//! - `queue_positions`: the key a jump lands on, and position marks;
//! - `queue_counts`: requests per status, counted or estimated.

use sesame_core::{RequestKind, RequestStatus};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

use super::queue_positions::{key_at, marks_for, take_marks_ahead};
use super::queue_search::search_words;
use super::queue_sql::{cursor_for, fetch_all, parse_cursor, Side, Sql};
use super::queue_walk::{rows_in_order, Columns};
use super::{get_uuid, Pool};
use crate::error::{Result, StoreError};
use crate::store::{MarksCache, PageReader, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::{QueryValue, QueuePage, QueueQuery, QueueRow};

pub(crate) use super::queue_counts::{count_by_status, estimate_counts};

/// A page of the queue; a jump (`start`) under a search of dense words starts from the
/// position mark before it, the query's marks kept in `marks_cache` between jumps.
/// The queue screen's pages (`reader`) are followed there: the first page of a
/// search of dense words has its marks taken ahead (`take_marks_ahead`); a lookup's
/// pages only hold the marks back while they are read.
pub(crate) async fn list_requests(
    pool: &Pool,
    query: &QueueQuery,
    marks_cache: &Arc<MarksCache>,
    reader: PageReader,
) -> Result<QueuePage> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(StoreError::InvalidQuery {
            reason: format!("page size {limit} is outside 1..={MAX_PAGE_SIZE}"),
        });
    }
    // Until the page is read, marks to take ahead wait (`take_marks_ahead`).
    let reading = match reader {
        PageReader::Screen => marks_cache.reading_page_of(query),
        PageReader::Lookup => marks_cache.reading_queue(),
    };
    // The words are weighed once: the marks, the position's count and offset read
    // them too.
    let words = search_words(pool, query).await?;
    // A cursor continues after its row; a position starts at (includes) its row.
    let from = match (query.cursor.as_deref(), query.start) {
        (Some(cursor), _) => Some((parse_cursor(cursor, query.sort)?, Side::After)),
        (None, Some(start)) if start > 0 => {
            let marks = marks_for(pool, query, &words, marks_cache).await?;
            match key_at(pool, query, &words, start, marks.as_deref()).await? {
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
        let ids = zsql.bind_list(out.iter().map(|r| QueryValue::Text(r.id.to_string())));
        zsql.text = format!(
            "SELECT request_id, zone FROM request_zones WHERE request_id IN ({ids}) \
             ORDER BY request_id, position"
        );
        let mut zones: HashMap<Uuid, Vec<String>> = HashMap::new();
        for row in fetch_all(pool, zsql).await? {
            zones
                .entry(get_uuid(&row, "request_id")?)
                .or_default()
                .push(row.try_get("zone")?);
        }
        for row in &mut out {
            row.zones = zones.remove(&row.id).unwrap_or_default();
        }
    }
    // The desk's first page of a search of dense words, with more after it: the
    // operator may drag the scrollbar next.
    let first_page = query.start.unwrap_or(0) == 0 && query.cursor.is_none();
    if first_page && more && reader == PageReader::Screen {
        drop(reading);
        take_marks_ahead(pool, query, &words, marks_cache);
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
