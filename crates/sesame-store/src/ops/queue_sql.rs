//! The pieces every queue query is built from: SQL text with the values it binds, and
//! the sort orders' keys (a cursor, a position's row, the end of a walk) with the
//! conditions and ORDER BY that read them.

use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

use super::{get_uuid, parse_uuid, Pool};
use crate::error::{Result, StoreError};
use crate::{QueryValue, QueueRow, QueueSortField, SortDirection};

/// SQL text with `$n` placeholders and the values to bind, in order.
#[derive(Default)]
pub(super) struct Sql {
    pub(super) text: String,
    pub(super) values: Vec<QueryValue>,
}

impl Sql {
    pub(super) fn bind(&mut self, value: QueryValue) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// Binds each of `values`: their placeholders, comma-separated (an `IN` list).
    pub(super) fn bind_list(&mut self, values: impl IntoIterator<Item = QueryValue>) -> String {
        let marks: Vec<String> = values.into_iter().map(|v| self.bind(v)).collect();
        marks.join(", ")
    }
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
pub(super) use bind_all;

/// Runs `sql`, every row of its answer.
pub(super) async fn fetch_all(pool: &Pool, sql: Sql) -> Result<Vec<super::DbRow>> {
    let q = bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql.text)), sql.values);
    Ok(q.fetch_all(pool).await?)
}

/// The column a sort orders by (then by id). The date sorts' keys put requests without
/// a date last (`*_key`, computed columns of migration `*_queue_positions.sql`).
pub(super) fn sort_expression(field: QueueSortField) -> &'static str {
    match field {
        QueueSortField::Submitted => "r.id",
        QueueSortField::HolderName => "r.holder_sort",
        QueueSortField::MissionEnd => "r.mission_end_key",
        QueueSortField::BadgeValidUntil => "r.badge_valid_until_key",
    }
}

/// The cursor is the last row's sort key and id: `key|id` (opaque to the UI).
pub(super) fn cursor_for(row: &QueueRow, holder_sort: &str, field: QueueSortField) -> String {
    let far = NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date");
    let key = match field {
        QueueSortField::Submitted => String::new(),
        QueueSortField::HolderName => holder_sort.to_owned(),
        QueueSortField::MissionEnd => row.mission_end.unwrap_or(far).to_string(),
        QueueSortField::BadgeValidUntil => row.badge_valid_until.unwrap_or(far).to_string(),
    };
    format!("{key}|{}", row.id)
}

pub(super) fn parse_cursor(cursor: &str, field: QueueSortField) -> Result<SortKey> {
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

/// Where a row stands in a sort's order: its sort key (none for the submission order,
/// which is the ids') and id. Cursors, position marks and the ends of walks are these.
pub(super) type SortKey = (Option<QueryValue>, Uuid);

/// Which rows of the order a condition on a `SortKey` keeps.
#[derive(Clone, Copy)]
pub(super) enum Side {
    /// The rows after it (a cursor continues after its row).
    After,
    /// It and the rows after it (a position starts at its row).
    From,
    /// It and the rows before it (where a walk stops).
    Through,
}

/// ` AND (key, id) <op> (…)`: one range of the sort's index, however many requests
/// share the key. `direction` is the order's, which decides what "after" means.
pub(super) fn push_key_condition(
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

/// ORDER BY of a sort: its key, then the id (alone for the submission order, which is
/// the ids' order), as the query names those columns.
pub(super) fn order_of(
    sort: QueueSortField,
    direction: SortDirection,
    key: &str,
    id: &str,
) -> String {
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

/// The `sort_key` and `id` columns of a row, as a cursor holds them.
pub(super) fn sort_key_of(row: &super::DbRow, sort: QueueSortField) -> Result<SortKey> {
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
