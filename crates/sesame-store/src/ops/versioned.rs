//! Changes guarded by a row's version: every desk names the version it read, so a
//! change made meanwhile by another desk is refused instead of overwritten.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use super::{append_audit, Audit, Conn, Db};
use crate::error::{Result, StoreError};

/// The tables whose rows carry a `version` (and an `updated_at` it moves with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Versioned {
    Request,
    Badge,
    Holder,
    Zone,
}

impl Versioned {
    fn table(self) -> &'static str {
        match self {
            Self::Request => "requests",
            Self::Badge => "badges",
            Self::Holder => "holders",
            Self::Zone => "zones",
        }
    }

    /// The column naming a row (zones are named by their key).
    fn key(self) -> &'static str {
        match self {
            Self::Zone => "key",
            _ => "id",
        }
    }

    /// The entity named in errors.
    fn entity(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Badge => "badge",
            Self::Holder => "holder",
            Self::Zone => "zone",
        }
    }
}

/// A value written by a guarded change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(Option<String>),
    Int(i64),
    Bool(bool),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

impl Value {
    pub(crate) fn text(value: impl Into<String>) -> Value {
        Value::Text(Some(value.into()))
    }

    pub(crate) fn null() -> Value {
        Value::Text(None)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::text(value)
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Value {
        Value::Text(value.map(str::to_owned))
    }
}

impl From<NaiveDate> for Value {
    fn from(value: NaiveDate) -> Value {
        Value::Date(Some(value))
    }
}

impl From<DateTime<Utc>> for Value {
    fn from(value: DateTime<Utc>) -> Value {
        Value::Time(Some(value))
    }
}

/// One change to one row, valid only at the version the caller read.
#[derive(Debug, Clone)]
pub(crate) struct Bump {
    pub row: Versioned,
    pub id: String,
    /// The version the caller read; the change is refused if the row moved since.
    pub version: i64,
    /// The columns written, besides `version` and `updated_at`.
    pub set: Vec<(&'static str, Value)>,
    /// A further condition the row must still meet (e.g. a status), if any.
    pub only_if: Option<(&'static str, Value)>,
}

impl Bump {
    pub(crate) fn new(row: Versioned, id: impl ToString, version: i64) -> Bump {
        Bump {
            row,
            id: id.to_string(),
            version,
            set: Vec::new(),
            only_if: None,
        }
    }

    pub(crate) fn set(mut self, column: &'static str, value: impl Into<Value>) -> Bump {
        self.set.push((column, value.into()));
        self
    }

    pub(crate) fn only_if(mut self, column: &'static str, value: impl Into<Value>) -> Bump {
        self.only_if = Some((column, value.into()));
        self
    }
}

fn push_value(builder: &mut QueryBuilder<Db>, value: Value) {
    match value {
        Value::Text(v) => builder.push_bind(v),
        Value::Int(v) => builder.push_bind(v),
        Value::Bool(v) => builder.push_bind(v),
        Value::Date(v) => builder.push_bind(v),
        Value::Time(v) => builder.push_bind(v),
    };
}

/// Applies `bump` at `at` (`version = version + 1, updated_at = at`), then appends
/// `audit`, in the caller's transaction. When the row moved since the caller read it
/// (or no longer meets `only_if`) nothing is written and the error says which version
/// the row is at now.
pub(crate) async fn bump_version(
    conn: &mut Conn,
    at: DateTime<Utc>,
    bump: Bump,
    audit: Audit<'_>,
) -> Result<()> {
    let Bump {
        row,
        id,
        version,
        set,
        only_if,
    } = bump;
    let mut builder: QueryBuilder<Db> = QueryBuilder::new(format!("UPDATE {} SET ", row.table()));
    for (column, value) in set {
        builder.push(column).push(" = ");
        push_value(&mut builder, value);
        builder.push(", ");
    }
    builder.push("version = version + 1, updated_at = ");
    builder.push_bind(at);
    builder.push(format!(" WHERE {} = ", row.key()));
    builder.push_bind(id.clone());
    builder.push(" AND version = ");
    builder.push_bind(version);
    if let Some((column, value)) = only_if {
        builder.push(format!(" AND {column} = "));
        push_value(&mut builder, value);
    }
    let done = builder.build().execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        let sql = format!(
            "SELECT version FROM {} WHERE {} = $1",
            row.table(),
            row.key()
        );
        let actual: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id.clone())
            .fetch_optional(&mut *conn)
            .await?;
        return Err(match actual {
            None => StoreError::NotFound {
                entity: row.entity(),
                id,
            },
            Some(actual) => StoreError::VersionConflict {
                entity: row.entity(),
                id,
                expected: version,
                actual,
            },
        });
    }
    append_audit(conn, at, audit).await
}
