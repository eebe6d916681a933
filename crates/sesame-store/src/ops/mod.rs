//! Queries and transactions, written once for both backends: `Db` and `DIALECT` come
//! from the parent module (see `backends/mod.rs`, which compiles this folder once per
//! backend).
//!
//! # Layering
//!
//! This file holds what every module shares (connections, write transactions, audit
//! lines, the policy). Each module below may use the items of this file and the
//! modules its line lists, never one that lists it (directly or not), so the modules
//! form a DAG: a change to a module only concerns the modules above it.
//! `tests/ops_layering.rs` reads this list and every `use super::…` / `super::x::` of
//! `src/ops/*.rs`, and fails on a reference the list does not allow or on a cycle.
//!
//! - `rows` uses: (nothing) — column lists, row mappers, one `load_*` per entity, the request screen's detail
//! - `versioned` uses: (nothing) — changes guarded by a row's version, with their audit line
//! - `search` uses: (nothing) — a request's search words and the initials kept beside them
//! - `bulk` uses: (nothing) — the connection of a bulk write (an import), tuned for it on SQLite
//! - `pipeline` uses: (nothing) — a bulk write's statements, each built while the one before runs
//! - `queue_sql` uses: (nothing) — SQL text and its values, the sort orders' keys, conditions and ORDER BY
//! - `queue_search` uses: `queue_sql`, `search` — the queue's filters, its search words weighed, the per-status counters
//! - `queue_walk` uses: `queue_sql`, `queue_search` — rows of a query's order from a key, the bounded walk under dense words
//! - `queue_counts` uses: `queue_sql`, `queue_search` — requests per status, counted or estimated from a sample
//! - `queue_positions` uses: `queue_sql`, `queue_search`, `queue_walk`, `queue_counts` — the key a jump lands on, position marks (also taken ahead of the first jump)
//! - `queue` uses: `queue_sql`, `queue_search`, `queue_walk`, `queue_counts`, `queue_positions` — a page of the queue
//! - `settings` uses: (nothing) — the office's shared settings, one audited JSON value per key
//! - `templates` uses: (nothing) — the office's badge templates, one version of the whole set per save
//! - `operators` uses: `rows`
//! - `outbox` uses: `rows`
//! - `visits` uses: (nothing) — visitors' hosts, arrivals and departures, the refused visitors' list
//! - `day_pass` uses: `rows`, `visits`
//! - `badges` uses: `rows`, `versioned`
//! - `attachments` uses: `rows`, `versioned`, `settings`
//! - `dispatch` uses: `rows`, `versioned`
//! - `expiry` uses: `rows`, `versioned`
//! - `usage` uses: `rows`, `versioned`
//! - `expiry_rules` uses: `rows`, `versioned` — the categories' rules that end badges on their own
//! - `retention` uses: `rows`
//! - `access_export` uses: `rows` — the badges an access-control export reads, and its runs
//! - `requests` uses: `rows`, `versioned`, `search`, `day_pass`, `pipeline` — creating requests and their holders
//! - `import` uses: `bulk`, `requests`, `visits`
//! - `zones` uses: `rows`, `versioned`, `badges`
//! - `printing` uses: `rows`, `versioned`, `search`, `badges` — print runs and print claims
//! - `opposition` uses: `rows`, `versioned`, `badges`, `requests` — oppositions and replacements
//! - `loans` uses: `rows`, `badges` — loan cards lent in place of a forgotten badge
//! - `renewal` uses: `rows`, `versioned`, `badges`, `requests`, `attachments`
//! - `transition` uses: `rows`, `versioned`, `search`, `badges`, `zones`, `opposition`, `printing`

pub(crate) mod access_export;
pub(crate) mod attachments;
pub(crate) mod badges;
pub(crate) mod bulk;
pub(crate) mod day_pass;
pub(crate) mod dispatch;
pub(crate) mod expiry;
pub(crate) mod expiry_rules;
pub(crate) mod import;
pub(crate) mod loans;
pub(crate) mod operators;
pub(crate) mod opposition;
pub(crate) mod outbox;
pub(crate) mod pipeline;
pub(crate) mod printing;
pub(crate) mod queue;
mod queue_counts;
mod queue_positions;
mod queue_search;
mod queue_sql;
mod queue_walk;
pub(crate) mod renewal;
pub(crate) mod requests;
pub(crate) mod retention;
pub(crate) mod rows;
pub(crate) mod search;
pub(crate) mod settings;
pub(crate) mod templates;
pub(crate) mod transition;
pub(crate) mod usage;
pub(crate) mod versioned;
pub(crate) mod visits;
pub(crate) mod zones;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use sesame_core::{
    AuditEntity, AuditEntry, Clock, DomainError, Policy, Request, RequestAction, RequestStatus,
};
use sqlx::{Database, Row};
use uuid::Uuid;

use super::{Db, DIALECT};
use crate::error::{Result, StoreError};

pub(crate) type Conn = <Db as Database>::Connection;
pub(crate) type DbRow = <Db as Database>::Row;
pub(crate) type Pool = sqlx::Pool<Db>;
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
pub(crate) const BULK_ROWS: usize = 400;

/// When an operation happens, read once from the store's clock: the instant it records
/// and the office's day and wall-clock time that its rules decide on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Now {
    /// At the precision both backends keep, so what is read back equals what was written.
    pub at: DateTime<Utc>,
    /// The office's calendar day.
    pub today: NaiveDate,
    /// The office's wall-clock time.
    pub local: NaiveDateTime,
}

impl Now {
    pub(crate) fn read(clock: &Clock) -> Now {
        let local = clock.local_now();
        Now {
            at: clock.now().trunc_subsecs(6),
            today: local.date(),
            local,
        }
    }
}

/// Starts a write transaction (taking SQLite's write lock up front).
pub(crate) async fn begin_write(pool: &Pool) -> Result<Tx> {
    Ok(pool.begin_with(DIALECT.begin_write()).await?)
}

/// An audit line to append.
pub(crate) struct Audit<'a> {
    pub operator: &'a str,
    pub entity: AuditEntity,
    pub entity_id: String,
    pub request_id: Option<Uuid>,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<&'a str>,
}

/// The audit line of `request` moved by `action` to `target`: its status and version
/// before and after, the action, and the `extra` fields of `after`.
pub(crate) fn move_audit<'a>(
    operator: &'a str,
    request: &Request,
    target: RequestStatus,
    action: &RequestAction,
    extra: serde_json::Value,
    reason: Option<&'a str>,
) -> Audit<'a> {
    let mut after = serde_json::json!({
        "status": target,
        "version": request.version + 1,
        "action": action,
    });
    if let (Some(after), serde_json::Value::Object(extra)) = (after.as_object_mut(), extra) {
        after.extend(extra);
    }
    Audit {
        operator,
        entity: AuditEntity::Request,
        entity_id: request.id.to_string(),
        request_id: Some(request.id),
        action: action.name(),
        before: Some(serde_json::json!({ "status": request.status, "version": request.version })),
        after: Some(after),
        reason,
    }
}

pub(crate) async fn append_audit(
    conn: &mut Conn,
    at: DateTime<Utc>,
    audit: Audit<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, operator, entity, entity_id, request_id, action, before_json, after_json, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(audit.operator.trim())
    .bind(audit.entity.as_str())
    .bind(audit.entity_id)
    .bind(audit.request_id.map(|id| id.to_string()))
    .bind(audit.action)
    .bind(audit.before.map(|v| v.to_string()))
    .bind(audit.after.map(|v| v.to_string()))
    .bind(audit.reason.map(str::trim).filter(|r| !r.is_empty()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes `events` (changing no row) as `operator`, in one transaction.
pub(crate) async fn append_audit_events(
    pool: &Pool,
    clock: &Clock,
    operator: &str,
    events: Vec<crate::AuditEvent>,
) -> Result<()> {
    require_operator(operator)?;
    if events.is_empty() {
        return Ok(());
    }
    let at = Now::read(clock).at;
    let audits = events
        .into_iter()
        .map(|event| Audit {
            operator,
            entity: event.entity,
            entity_id: event.entity_id,
            request_id: event.request_id,
            action: event.action,
            before: None,
            after: Some(event.details),
            reason: None,
        })
        .collect();
    let mut tx = begin_write(pool).await?;
    append_audits(&mut tx, at, audits).await?;
    tx.commit().await?;
    Ok(())
}

/// Appends many audit lines in multi-row statements (imports).
pub(crate) async fn append_audits(
    conn: &mut Conn,
    at: DateTime<Utc>,
    audits: Vec<Audit<'_>>,
) -> Result<()> {
    execute_all(conn, audit_inserts(at, &audits)).await
}

/// Runs built statements one after another (multi-row INSERTs).
pub(crate) async fn execute_all(
    conn: &mut Conn,
    statements: Vec<sqlx::QueryBuilder<Db>>,
) -> Result<()> {
    for mut statement in statements {
        statement.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The multi-row INSERTs of `audits`, `BULK_ROWS` lines a statement.
pub(crate) fn audit_inserts(
    at: DateTime<Utc>,
    audits: &[Audit<'_>],
) -> Vec<sqlx::QueryBuilder<Db>> {
    audits
        .chunks(BULK_ROWS)
        .map(|chunk| {
            let mut builder: sqlx::QueryBuilder<Db> = sqlx::QueryBuilder::new(
                "INSERT INTO audit_log (at, operator, entity, entity_id, request_id, action, before_json, after_json, reason) ",
            );
            builder.push_values(chunk, |mut b, audit| {
                b.push_bind(at)
                    .push_bind(audit.operator.trim().to_owned())
                    .push_bind(audit.entity.as_str())
                    .push_bind(audit.entity_id.clone())
                    .push_bind(audit.request_id.map(|id| id.to_string()))
                    .push_bind(audit.action.to_owned())
                    .push_bind(audit.before.as_ref().map(|v| v.to_string()))
                    .push_bind(audit.after.as_ref().map(|v| v.to_string()))
                    .push_bind(
                        audit
                            .reason
                            .map(str::trim)
                            .filter(|r| !r.is_empty())
                            .map(str::to_owned),
                    );
            });
            builder
        })
        .collect()
}

pub(crate) fn parse_uuid(value: &str) -> Result<Uuid> {
    Uuid::parse_str(value).map_err(|_| StoreError::Corrupt(format!("'{value}' is not a UUID")))
}

pub(crate) fn get_uuid(row: &DbRow, column: &str) -> Result<Uuid> {
    let text: String = row.try_get(column)?;
    parse_uuid(&text)
}

pub(crate) fn get_opt_uuid(row: &DbRow, column: &str) -> Result<Option<Uuid>> {
    let text: Option<String> = row.try_get(column)?;
    text.as_deref().map(parse_uuid).transpose()
}

pub(crate) fn get_json_list(row: &DbRow, column: &str) -> Result<Vec<String>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("column {column} is not a JSON list: {e}")))
}

/// The ids in the order asked, each once.
pub(crate) fn unique_in_order(ids: &[Uuid]) -> Vec<Uuid> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

pub(crate) fn require_operator(operator: &str) -> Result<()> {
    if operator.trim().is_empty() {
        return Err(DomainError::FieldRequired {
            field: "operator".into(),
        }
        .into());
    }
    Ok(())
}

pub(crate) fn audit_from_row(row: &DbRow) -> Result<AuditEntry> {
    let entity: String = row.try_get("entity")?;
    let json = |column: &str| -> Result<Option<serde_json::Value>> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StoreError::Corrupt(format!("audit {column} is not JSON: {e}")))
        })
        .transpose()
    };
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        operator: row.try_get("operator")?,
        entity: AuditEntity::parse(&entity)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown audit entity '{entity}'")))?,
        entity_id: row.try_get("entity_id")?,
        request_id: row.try_get("request_id")?,
        action: row.try_get("action")?,
        before: json("before_json")?,
        after: json("after_json")?,
        reason: row.try_get("reason")?,
        redacted: row.try_get("redacted")?,
    })
}

pub(crate) const AUDIT_COLUMNS: &str =
    "id, at, operator, entity, entity_id, request_id, action, before_json, after_json, reason, redacted";

/// The whole history of a request: its own changes, its attachments and its badge.
pub(crate) async fn audit_for_request(pool: &Pool, id: Uuid) -> Result<Vec<AuditEntry>> {
    let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE request_id = $1 ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_all(pool)
        .await?;
    rows.iter().map(audit_from_row).collect()
}

pub(crate) async fn audit_for_entity(
    pool: &Pool,
    entity: AuditEntity,
    id: &str,
) -> Result<Vec<AuditEntry>> {
    let sql = format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(entity.as_str())
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(audit_from_row).collect()
}

const POLICY_KEY: &str = "policy";

/// The rules every desk shares, kept in the database; the default until someone saves one.
pub(crate) async fn load_policy(conn: &mut Conn) -> Result<Policy> {
    match settings::load(conn, POLICY_KEY).await? {
        None => Ok(Policy::default()),
        Some(value) => serde_json::from_value(value)
            .map_err(|e| StoreError::Corrupt(format!("stored policy is unreadable: {e}"))),
    }
}

pub(crate) async fn save_policy(
    pool: &Pool,
    clock: &Clock,
    policy: &Policy,
    operator: &str,
) -> Result<()> {
    policy.validate()?;
    let value = serde_json::to_value(policy).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    settings::save(pool, clock, POLICY_KEY, &value, operator).await
}

pub(crate) async fn info(pool: &Pool) -> Result<[i64; 6]> {
    let mut conn = pool.acquire().await?;
    let mut out = [0i64; 6];
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&mut *conn)
            .await?;
    out[0] = version.unwrap_or(0);
    for (i, table) in ["requests", "holders", "badges", "attachments", "audit_log"]
        .iter()
        .enumerate()
    {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        out[i + 1] = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(out)
}

/// `a, b` → `t.a, t.b`, for column lists used in joins.
pub(crate) fn prefixed(columns: &str, table: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}
