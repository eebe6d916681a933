//! The office's settings shared by every desk of a queue (the rules, the mail server,
//! the photo checks' thresholds): one JSON value per key, each change audited.

use sesame_core::{AuditEntity, Clock};

use super::{append_audit, begin_write, require_operator, Audit, Conn, Now, Pool};
use crate::error::{Result, StoreError};

/// The value saved under `key`, `None` until someone saves one.
pub(crate) async fn load(conn: &mut Conn, key: &str) -> Result<Option<serde_json::Value>> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    value
        .map(|text| {
            serde_json::from_str(&text).map_err(|e| {
                StoreError::Corrupt(format!("the stored setting '{key}' is unreadable: {e}"))
            })
        })
        .transpose()
}

/// [`load`] on a connection of its own.
pub(crate) async fn get(pool: &Pool, key: &str) -> Result<Option<serde_json::Value>> {
    load(&mut *pool.acquire().await?, key).await
}

/// Saves `value` under `key`, with an audit entry holding the value before and after.
pub(crate) async fn save(
    pool: &Pool,
    clock: &Clock,
    key: &str,
    value: &serde_json::Value,
    operator: &str,
) -> Result<()> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, key).await?;
    sqlx::query(
        "INSERT INTO settings (key, value, version, updated_by, updated_at) VALUES ($1, $2, 1, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value.to_string())
    .bind(operator.trim())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Settings,
            entity_id: key.into(),
            request_id: None,
            action: "update",
            before,
            after: Some(value.clone()),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
