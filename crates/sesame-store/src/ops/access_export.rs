//! Exports for the access-control system: the badges a run reads, their photos, and
//! the record of each run (append-only: the next run of changes starts where the
//! last recorded one read).

use chrono::{DateTime, Utc};
use sesame_core::BadgeStatus;
use sqlx::Row;
use uuid::Uuid;

use super::rows::{attachment_from_row, badge_row, badge_select, ATTACHMENT_WITH_BLOB};
use super::{get_uuid, require_operator, DbRow, Pool};
use crate::codec::BlobCodec;
use crate::error::Result;
use crate::{AccessExportRun, Attachment, BadgeRow};

/// Runs listed at most per profile (newest first).
const MAX_LISTED: i64 = 100;

/// The badges in `statuses` (none: every status), or, with `since`, every badge
/// changed after it whatever its status: the badge itself (status, dates, zones, card),
/// its holder (name, address, unit) or its request's photo. By badge number.
pub(crate) async fn badges(
    pool: &Pool,
    statuses: &[BadgeStatus],
    since: Option<DateTime<Utc>>,
) -> Result<Vec<BadgeRow>> {
    let mut sql = badge_select("");
    let rows = match since {
        Some(since) => {
            sql.push_str(
                " WHERE b.updated_at > $1 OR h.updated_at > $1
                   OR EXISTS (SELECT 1 FROM attachments a WHERE a.request_id = b.request_id
                              AND a.kind = 'photo' AND a.created_at > $1)
                 ORDER BY b.number",
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(since)
                .fetch_all(pool)
                .await?
        }
        None if statuses.is_empty() => {
            sql.push_str(" ORDER BY b.number");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await?
        }
        None => {
            let marks: Vec<String> = (1..=statuses.len()).map(|n| format!("${n}")).collect();
            sql.push_str(&format!(
                " WHERE b.status IN ({}) ORDER BY b.number",
                marks.join(", ")
            ));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for status in statuses {
                query = query.bind(status.as_str());
            }
            query.fetch_all(pool).await?
        }
    };
    rows.iter().map(badge_row).collect()
}

/// The request's current photo, opened; `None` when it has none.
pub(crate) async fn request_photo(
    pool: &Pool,
    codec: &dyn BlobCodec,
    request_id: Uuid,
) -> Result<Option<Attachment>> {
    let sql = format!(
        "{ATTACHMENT_WITH_BLOB} WHERE a.request_id = $1 AND a.kind = 'photo'
         ORDER BY a.created_at DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(|row| attachment_from_row(&row, codec)).transpose()
}

fn run_from(row: &DbRow) -> Result<AccessExportRun> {
    let badges: i64 = row.try_get("badges")?;
    let photos: i64 = row.try_get("photos")?;
    Ok(AccessExportRun {
        id: get_uuid(row, "id")?,
        profile_id: row.try_get("profile_id")?,
        started_at: row.try_get("started_at")?,
        since: row.try_get("since")?,
        badges: u32::try_from(badges).unwrap_or(u32::MAX),
        photos: u32::try_from(photos).unwrap_or(u32::MAX),
        file: row.try_get("file")?,
        operator: row.try_get("operator")?,
        scheduled: row.try_get("scheduled")?,
    })
}

const RUN_COLUMNS: &str =
    "SELECT id, profile_id, started_at, since, badges, photos, file, operator, scheduled FROM access_export_runs";

/// Records a run whose file is written.
pub(crate) async fn record_run(pool: &Pool, run: &AccessExportRun) -> Result<()> {
    require_operator(&run.operator)?;
    sqlx::query(
        "INSERT INTO access_export_runs (id, profile_id, started_at, since, badges, photos, file, operator, scheduled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(run.id.to_string())
    .bind(&run.profile_id)
    .bind(run.started_at)
    .bind(run.since)
    .bind(i64::from(run.badges))
    .bind(i64::from(run.photos))
    .bind(&run.file)
    .bind(run.operator.trim())
    .bind(run.scheduled)
    .execute(pool)
    .await?;
    Ok(())
}

/// The profile's runs, newest first (the last 100).
pub(crate) async fn runs(pool: &Pool, profile_id: &str) -> Result<Vec<AccessExportRun>> {
    let sql = format!("{RUN_COLUMNS} WHERE profile_id = $1 ORDER BY started_at DESC LIMIT $2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(profile_id)
        .bind(MAX_LISTED)
        .fetch_all(pool)
        .await?;
    rows.iter().map(run_from).collect()
}

/// The profile's newest run, `None` before its first.
pub(crate) async fn last_run(pool: &Pool, profile_id: &str) -> Result<Option<AccessExportRun>> {
    let sql = format!("{RUN_COLUMNS} WHERE profile_id = $1 ORDER BY started_at DESC LIMIT 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(profile_id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(run_from).transpose()
}
