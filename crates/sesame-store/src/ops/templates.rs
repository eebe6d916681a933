//! The office's template set, versioned: the newest version is in use; a save adds a
//! version (never changes one) with its audit line, in one transaction. The pictures
//! the templates name are kept beside it, one per name, never replaced.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sesame_core::{AuditEntity, Clock};
use sqlx::Row;

use super::{append_audit, begin_write, require_operator, Audit, DbRow, Now, Pool, Tx};
use crate::error::{Result, StoreError};
use crate::{TemplateImageInfo, TemplateVersion, TemplateVersionSummary};

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
    audit_templates(&mut tx, at, operator, "template_version", after).await?;
    tx.commit().await?;
    Ok(version)
}

/// The audit line of a change to the office's templates (one entity: "templates").
async fn audit_templates(
    tx: &mut Tx,
    at: DateTime<Utc>,
    operator: &str,
    action: &'static str,
    after: serde_json::Value,
) -> Result<()> {
    append_audit(
        tx,
        at,
        Audit {
            operator,
            entity: AuditEntity::Settings,
            entity_id: "templates".into(),
            request_id: None,
            action,
            before: None,
            after: Some(after),
            reason: None,
        },
    )
    .await
}

/// Adds a picture under `name`. The same picture again is a no-op; a different one
/// under a name already used is refused (every version keeps drawing what it drew).
pub(crate) async fn save_image(
    pool: &Pool,
    clock: &Clock,
    name: &str,
    bytes: &[u8],
    operator: &str,
) -> Result<()> {
    use sha2::{Digest, Sha256};
    require_operator(operator)?;
    let digest: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let existing: Option<String> =
        sqlx::query_scalar("SELECT sha256 FROM template_images WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    match existing {
        Some(same) if same == digest => return Ok(()),
        Some(_) => {
            return Err(StoreError::TemplateImageNameTaken {
                name: name.to_owned(),
            })
        }
        None => {}
    }
    sqlx::query(
        "INSERT INTO template_images (name, data, sha256, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(name)
    .bind(bytes)
    .bind(&digest)
    .bind(operator.trim())
    .bind(at)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({ "name": name, "bytes": bytes.len(), "sha256": digest });
    audit_templates(&mut tx, at, operator, "template_image", after).await?;
    tx.commit().await?;
    Ok(())
}

/// The pictures named, by name (names without a picture are left out).
pub(crate) async fn images(pool: &Pool, names: &[String]) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut conn = pool.acquire().await?;
    let mut found = BTreeMap::new();
    for name in names {
        let data: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT data FROM template_images WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(data) = data {
            found.insert(name.clone(), data);
        }
    }
    Ok(found)
}

/// Every picture, by name.
pub(crate) async fn image_list(pool: &Pool) -> Result<Vec<TemplateImageInfo>> {
    let rows = sqlx::query(
        "SELECT name, LENGTH(data) AS bytes, saved_by, saved_at FROM template_images ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TemplateImageInfo {
                name: row.try_get("name")?,
                bytes: row
                    .try_get::<i64, _>("bytes")
                    .or_else(|_| row.try_get::<i32, _>("bytes").map(i64::from))?,
                saved_by: row.try_get("saved_by")?,
                saved_at: row.try_get("saved_at")?,
            })
        })
        .collect()
}
