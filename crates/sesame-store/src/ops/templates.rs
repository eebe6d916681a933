//! The office's template set, versioned: the newest version is in use; a save adds a
//! version (never changes one) with its audit line, in one transaction.

use std::collections::BTreeMap;

use sesame_core::{AuditEntity, Clock};
use sqlx::Row;

use super::{append_audit, begin_write, require_operator, Audit, DbRow, Now, Pool};
use crate::error::{Result, StoreError};
use crate::{TemplateVersion, TemplateVersionSummary};

/// Versions listed at most (newest first).
const MAX_LISTED: i64 = 200;

fn version_from(row: &DbRow) -> Result<TemplateVersion> {
    let version: i64 = row.try_get("version")?;
    let files: String = row.try_get("files")?;
    let files: BTreeMap<String, String> = serde_json::from_str(&files).map_err(|e| {
        StoreError::Corrupt(format!("template version {version} is unreadable: {e}"))
    })?;
    Ok(TemplateVersion {
        version,
        files,
        builtin: row.try_get("builtin")?,
        note: row.try_get("note")?,
        saved_by: row.try_get("saved_by")?,
        saved_at: row.try_get("saved_at")?,
    })
}

macro_rules! select_versions {
    ($rest:literal) => {
        concat!(
            "SELECT version, files, builtin, note, saved_by, saved_at FROM template_versions ",
            $rest
        )
    };
}

/// The version in use: the newest, `None` before the office saved any.
pub(crate) async fn latest(pool: &Pool) -> Result<Option<TemplateVersion>> {
    let row = sqlx::query(select_versions!("ORDER BY version DESC LIMIT 1"))
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(version_from).transpose()
}

pub(crate) async fn get(pool: &Pool, version: i64) -> Result<Option<TemplateVersion>> {
    let row = sqlx::query(select_versions!("WHERE version = $1"))
        .bind(version)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(version_from).transpose()
}

/// The versions, newest first (the last 200).
pub(crate) async fn list(pool: &Pool) -> Result<Vec<TemplateVersionSummary>> {
    let rows = sqlx::query(select_versions!("ORDER BY version DESC LIMIT $1"))
        .bind(MAX_LISTED)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| version_from(row).map(|v| v.summary()))
        .collect()
}

/// Saves `files` as the newest version, audited with `details` (what changed and
/// why, as the desk describes it). Returns the version's number.
pub(crate) async fn save(
    pool: &Pool,
    clock: &Clock,
    files: &BTreeMap<String, String>,
    builtin: bool,
    note: &str,
    details: serde_json::Value,
    operator: &str,
) -> Result<i64> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM template_versions")
        .fetch_one(&mut *tx)
        .await?;
    let version = newest.unwrap_or(0) + 1;
    let text = serde_json::to_string(files).expect("file names and texts serialise");
    sqlx::query(
        "INSERT INTO template_versions (version, files, builtin, note, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(version)
    .bind(text)
    .bind(builtin)
    .bind(note)
    .bind(operator.trim())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let mut after = serde_json::json!({ "version": version, "note": note, "builtin": builtin });
    if let (Some(after), serde_json::Value::Object(extra)) = (after.as_object_mut(), details) {
        after.extend(extra);
    }
    append_audit(
        &mut tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Settings,
            entity_id: "templates".into(),
            request_id: None,
            action: "template_version",
            before: None,
            after: Some(after),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}
