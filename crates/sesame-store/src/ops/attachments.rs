//! Photos and ID documents, kept in the database so every desk sees them.

use chrono::{DateTime, Utc};
use sesame_core::{AttachmentKind, AuditEntity, Clock, MediaType, RequestStatus};
use sqlx::Row;
use uuid::Uuid;

use super::rows::{
    attachment_from_row, load_request, meta_from_row, ATTACHMENT_COLUMNS, ATTACHMENT_WITH_BLOB,
};
use super::settings;
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{begin_write, require_operator, Audit, Conn, Now, Pool};
use crate::codec::{AttachmentContext, BlobCodec, PLAIN_CODEC};
use crate::error::{Result, StoreError};
use crate::store::MAX_ATTACHMENT_BYTES;
use crate::{
    Attachment, AttachmentMeta, BlobUpgrade, CheckOutcome, PhotoCheckRate, PhotoCheckStats,
    PhotoReview,
};

/// Seals `bytes` with `codec`, bound to the row `meta` describes, and inserts the
/// attachment and its blob.
pub(crate) async fn insert_attachment(
    conn: &mut Conn,
    codec: &dyn BlobCodec,
    meta: &AttachmentMeta,
    bytes: &[u8],
) -> Result<()> {
    // Sealed under its own id, request, kind and media type: an encrypting codec binds
    // each blob to its row.
    let stored = codec
        .seal(&AttachmentContext::of(meta), bytes)
        .map_err(|e| StoreError::Codec {
            id: meta.id.to_string(),
            reason: e.0,
        })?;
    sqlx::query(
        "INSERT INTO attachments (id, request_id, kind, media_type, byte_size, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(meta.id.to_string())
    .bind(meta.request_id.to_string())
    .bind(meta.kind.as_str())
    .bind(meta.media_type.mime())
    .bind(meta.byte_size)
    .bind(meta.created_by.clone())
    .bind(meta.created_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO attachment_blobs (attachment_id, codec, data) VALUES ($1, $2, $3)")
        .bind(meta.id.to_string())
        .bind(codec.name())
        .bind(stored)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The media types each kind accepts: a photo must be an image; documents may be PDF scans.
fn accepted(kind: AttachmentKind) -> &'static [MediaType] {
    match kind {
        AttachmentKind::Photo => &[MediaType::Jpeg, MediaType::Png],
        _ => &[MediaType::Jpeg, MediaType::Png, MediaType::Pdf],
    }
}

/// Stores an attachment on an open request, replacing the previous one of the same kind
/// (except `other`): a replaced ID scan is deleted, a replaced badge photo is kept as a
/// `previous_photo` (it can be restored until retention removes it). A new photo clears
/// the photo certification: it was about the old one. `details` (e.g. how a photo was
/// cropped) is kept in the audit entry, and a photo's `review` (the checks it did not
/// pass, and why it was saved anyway) in the photo tables, in the same transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn put_attachment(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
    request_id: Uuid,
    kind: AttachmentKind,
    bytes: &[u8],
    operator: &str,
    details: Option<serde_json::Value>,
    review: Option<&PhotoReview>,
) -> Result<AttachmentMeta> {
    require_operator(operator)?;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::AttachmentTooLarge {
            size: bytes.len(),
            max: MAX_ATTACHMENT_BYTES,
        });
    }
    let expected: Vec<&str> = accepted(kind).iter().map(|m| m.mime()).collect();
    let media_type = MediaType::sniff(bytes)
        .filter(|m| accepted(kind).contains(m))
        .ok_or_else(|| StoreError::UnsupportedAttachment {
            kind: kind.as_str().to_owned(),
            found: MediaType::sniff(bytes)
                .map_or("unknown bytes", |m| m.mime())
                .to_owned(),
            expected: expected.join(" or "),
        })?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let id = Uuid::now_v7();

    let mut tx = begin_write(pool).await?;
    let (request, _) = load_request(&mut tx, request_id, true).await?;
    if !request.status.is_open() {
        return Err(StoreError::RequestClosed {
            status: request.status.as_str().to_owned(),
        });
    }
    let mut replaced = None;
    if kind != AttachmentKind::Other {
        let sql = format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE request_id = $1 AND kind = $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(request_id.to_string())
            .bind(kind.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = row {
            let old = meta_from_row(&row)?;
            if kind == AttachmentKind::Photo {
                keep_as_previous_photo(&mut tx, old.id, at).await?;
            } else {
                sqlx::query("DELETE FROM attachments WHERE id = $1")
                    .bind(old.id.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            replaced = Some(old);
        }
    }
    let meta = AttachmentMeta {
        id,
        request_id,
        kind,
        media_type,
        byte_size: bytes.len() as i64,
        created_by: op.to_owned(),
        created_at: at,
        replaced_at: None,
    };
    insert_attachment(&mut tx, codec, &meta, bytes).await?;
    if let Some(review) = review {
        record_review(&mut tx, &meta, review, op, at).await?;
    }
    let clears_certification = kind == AttachmentKind::Photo && request.photo_certified.is_some();
    let mut bump = Bump::new(Versioned::Request, request_id, request.version);
    if clears_certification {
        bump = bump
            .set("photo_certified_by", Value::null())
            .set("photo_certified_at", Value::Time(None));
    }
    let audit = Audit {
        operator: op,
        entity: AuditEntity::Attachment,
        entity_id: id.to_string(),
        request_id: Some(request_id),
        action: if replaced.is_some() { "replace" } else { "add" },
        before: replaced.and_then(|m| serde_json::to_value(m).ok()),
        after: Some({
            let mut after = serde_json::json!({
                "attachment": meta,
                "photoCertificationCleared": clears_certification,
            });
            if let Some(details) = details {
                after["details"] = details;
            }
            if let Some(overridden) = review.and_then(|r| r.overridden.as_ref()) {
                after["override"] = serde_json::json!(overridden);
            }
            after
        }),
        reason: review
            .and_then(|r| r.overridden.as_ref())
            .map(|o| o.reason.as_str()),
    };
    bump_version(&mut tx, at, bump, audit).await?;
    tx.commit().await?;
    Ok(meta)
}

pub(crate) async fn get_attachment(
    pool: &Pool,
    codec: &dyn BlobCodec,
    id: Uuid,
) -> Result<Attachment> {
    let sql = format!("{ATTACHMENT_WITH_BLOB} WHERE a.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "attachment",
            id: id.to_string(),
        })?;
    attachment_from_row(&row, codec)
}

/// Removes an attachment from an open request.
pub(crate) async fn delete_attachment(
    pool: &Pool,
    clock: &Clock,
    id: Uuid,
    operator: &str,
    reason: Option<&str>,
) -> Result<()> {
    require_operator(operator)?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let sql = format!("SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity: "attachment",
            id: id.to_string(),
        })?;
    let meta = meta_from_row(&row)?;
    let (request, _) = load_request(&mut tx, meta.request_id, true).await?;
    if !request.status.is_open() && request.status != RequestStatus::Refused {
        return Err(StoreError::RequestClosed {
            status: request.status.as_str().to_owned(),
        });
    }
    sqlx::query("DELETE FROM attachments WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let bump = Bump::new(Versioned::Request, meta.request_id, request.version);
    let audit = Audit {
        operator: operator.trim(),
        entity: AuditEntity::Attachment,
        entity_id: id.to_string(),
        request_id: Some(meta.request_id),
        action: "delete",
        before: serde_json::to_value(&meta).ok(),
        after: None,
        reason,
    };
    bump_version(&mut tx, at, bump, audit).await?;
    tx.commit().await?;
    Ok(())
}

/// A badge photo replaced by a newer one stays, restorable, until retention removes it.
async fn keep_as_previous_photo(conn: &mut Conn, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE attachments SET kind = $1, replaced_at = $2 WHERE id = $3")
        .bind(AttachmentKind::PreviousPhoto.as_str())
        .bind(at)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records what a saved badge photo's checks said and, when it was saved over them,
/// why and by whom: the facts behind the supervisor's override rates.
async fn record_review(
    conn: &mut Conn,
    meta: &AttachmentMeta,
    review: &PhotoReview,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO photo_saves (attachment_id, recorded_at) VALUES ($1, $2)")
        .bind(meta.id.to_string())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    for outcome in &review.outcomes {
        sqlx::query(
            "INSERT INTO photo_check_outcomes (attachment_id, check_id, verdict, overridden, recorded_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(meta.id.to_string())
        .bind(outcome.check.as_str())
        .bind(outcome.outcome.as_str())
        .bind(outcome.overridden)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    if let Some(overridden) = &review.overridden {
        sqlx::query(
            "INSERT INTO photo_overrides (attachment_id, request_id, reason, operator, countersigned_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meta.id.to_string())
        .bind(meta.request_id.to_string())
        .bind(overridden.reason.trim())
        .bind(operator)
        .bind(overridden.countersigned_by.as_deref())
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Makes a previous photo of an open request its badge photo again (the current one
/// becomes a previous photo), on the request's version the operator saw.
pub(crate) async fn restore_photo(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    attachment_id: Uuid,
    expected_version: i64,
    operator: &str,
) -> Result<AttachmentMeta> {
    require_operator(operator)?;
    let op = operator.trim();
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let (request, _) = load_request(&mut tx, request_id, true).await?;
    if !request.status.is_open() {
        return Err(StoreError::RequestClosed {
            status: request.status.as_str().to_owned(),
        });
    }
    let sql = format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE request_id = $1 AND kind IN ($2, $3)"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .bind(AttachmentKind::Photo.as_str())
        .bind(AttachmentKind::PreviousPhoto.as_str())
        .fetch_all(&mut *tx)
        .await?;
    let photos = rows.iter().map(meta_from_row).collect::<Result<Vec<_>>>()?;
    let chosen = photos
        .iter()
        .find(|m| m.id == attachment_id && m.kind == AttachmentKind::PreviousPhoto)
        .cloned()
        .ok_or_else(|| StoreError::NotFound {
            entity: "previous photo",
            id: attachment_id.to_string(),
        })?;
    let current = photos.iter().find(|m| m.kind == AttachmentKind::Photo);
    if let Some(current) = current {
        keep_as_previous_photo(&mut tx, current.id, at).await?;
    }
    sqlx::query("UPDATE attachments SET kind = $1, replaced_at = NULL WHERE id = $2")
        .bind(AttachmentKind::Photo.as_str())
        .bind(attachment_id.to_string())
        .execute(&mut *tx)
        .await?;
    let mut bump = Bump::new(Versioned::Request, request_id, expected_version);
    if request.photo_certified.is_some() {
        // The certification was about the photo now put aside.
        bump = bump
            .set("photo_certified_by", Value::null())
            .set("photo_certified_at", Value::Time(None));
    }
    let restored = AttachmentMeta {
        kind: AttachmentKind::Photo,
        replaced_at: None,
        ..chosen
    };
    let audit = Audit {
        operator: op,
        entity: AuditEntity::Attachment,
        entity_id: attachment_id.to_string(),
        request_id: Some(request_id),
        action: "restore",
        before: current.and_then(|m| serde_json::to_value(m).ok()),
        after: Some(serde_json::json!({
            "attachment": restored,
            "photoCertificationCleared": request.photo_certified.is_some(),
        })),
        reason: None,
    };
    bump_version(&mut tx, at, bump, audit).await?;
    tx.commit().await?;
    Ok(restored)
}

/// How often each check stopped a saved photo and was overridden.
pub(crate) async fn photo_check_stats(pool: &Pool) -> Result<PhotoCheckStats> {
    let mut conn = pool.acquire().await?;
    let photos_saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photo_saves")
        .fetch_one(&mut *conn)
        .await?;
    let photos_overridden: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photo_overrides")
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT check_id, verdict, overridden, COUNT(*) AS n FROM photo_check_outcomes
         GROUP BY check_id, verdict, overridden",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut checks: Vec<PhotoCheckRate> = Vec::new();
    for row in rows {
        let check: String = row.try_get("check_id")?;
        let verdict: String = row.try_get("verdict")?;
        let overridden: bool = row.try_get("overridden")?;
        let n: i64 = row.try_get("n")?;
        let index = match checks.iter().position(|c| c.check == check) {
            Some(index) => index,
            None => {
                checks.push(PhotoCheckRate {
                    check,
                    refused: 0,
                    refusals_overridden: 0,
                    warned: 0,
                    warnings_overridden: 0,
                });
                checks.len() - 1
            }
        };
        let rate = &mut checks[index];
        match CheckOutcome::parse(&verdict) {
            Some(CheckOutcome::Fail) => {
                rate.refused += n;
                if overridden {
                    rate.refusals_overridden += n;
                }
            }
            Some(CheckOutcome::Warn) => {
                rate.warned += n;
                if overridden {
                    rate.warnings_overridden += n;
                }
            }
            None => {
                return Err(StoreError::Corrupt(format!(
                    "unknown photo check verdict '{verdict}'"
                )))
            }
        }
    }
    // The most overridden first: those are the checks to look at.
    checks.sort_by(|a, b| {
        (b.refusals_overridden + b.warnings_overridden)
            .cmp(&(a.refusals_overridden + a.warnings_overridden))
            .then_with(|| a.check.cmp(&b.check))
    });
    Ok(PhotoCheckStats {
        photos_saved,
        photos_overridden,
        checks,
    })
}

/// The setting recording that the queue's `plain` blobs were sealed under a key, once:
/// a `plain` blob found after that was not written by a desk (see [`upgrade_blobs`]).
pub(crate) const PLAIN_SEALED_KEY: &str = "attachments.plain_sealed";
/// Who the marker's audit line names.
const UPGRADE_OPERATOR: &str = "sesame (attachment upgrade)";
/// Blobs read per query while upgrading: a few megabytes of photos at most.
const UPGRADE_BATCH: i64 = 32;

/// Each blob's codec and first 64 bytes, in no particular order.
pub(crate) async fn blob_heads(pool: &Pool) -> Result<Vec<(String, Vec<u8>)>> {
    let rows = sqlx::query("SELECT codec, substr(data, 1, 64) AS head FROM attachment_blobs")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("codec")?, row.try_get("head")?)))
        .collect()
}

/// Seals again under `codec.name()` every blob stored under a codec that `codec`
/// [upgrades](BlobCodec::upgrades), in batches, each row in its own statement guarded
/// by its old codec name, so two desks upgrading at once each reseal a row at most
/// once between them and a blob written meanwhile is never overwritten.
///
/// `plain` blobs are upgraded only until a pass that included them completes (the
/// [`PLAIN_SEALED_KEY`] setting): the queue's attachments from before encryption are
/// sealed once, and a `plain` row appearing later is left for the codec to refuse
/// rather than laundered into a sealed one.
pub(crate) async fn upgrade_blobs(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
) -> Result<BlobUpgrade> {
    let target = codec.name().to_owned();
    let plain_sealed = settings::get(pool, PLAIN_SEALED_KEY).await?.is_some();
    let stored_codecs: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT codec FROM attachment_blobs")
            .fetch_all(pool)
            .await?;
    let plain_included = codec.upgrades(PLAIN_CODEC) && !plain_sealed;
    let sources: Vec<String> = stored_codecs
        .into_iter()
        .filter(|c| *c != target && codec.upgrades(c))
        .filter(|c| c != PLAIN_CODEC || plain_included)
        .collect();
    let mut outcome = BlobUpgrade {
        plain_included,
        ..BlobUpgrade::default()
    };
    if !sources.is_empty() {
        let placeholders: Vec<String> = (0..sources.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "{ATTACHMENT_WITH_BLOB} WHERE a.id > $1 AND b.codec IN ({}) ORDER BY a.id LIMIT {UPGRADE_BATCH}",
            placeholders.join(", ")
        );
        // Keyset pages by id: rows that fail stay behind without being read again.
        let mut after = String::new();
        loop {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(after.clone());
            for source in &sources {
                query = query.bind(source.clone());
            }
            let rows = query.fetch_all(pool).await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            for row in &rows {
                let meta = meta_from_row(row)?;
                let old_codec: String = row.try_get("codec")?;
                let stored: Vec<u8> = row.try_get("data")?;
                let context = AttachmentContext::of(&meta);
                let resealed = codec
                    .open_to_upgrade(&old_codec, &context, &stored)
                    .and_then(|plain| codec.seal(&context, &plain));
                let sealed = match resealed {
                    Ok(sealed) => sealed,
                    Err(error) => {
                        tracing::warn!(attachment = %meta.id, codec = %old_codec, %error, "attachment left under its old codec");
                        outcome.failed += 1;
                        continue;
                    }
                };
                let updated = sqlx::query(
                    "UPDATE attachment_blobs SET codec = $1, data = $2 WHERE attachment_id = $3 AND codec = $4",
                )
                .bind(target.clone())
                .bind(sealed)
                .bind(meta.id.to_string())
                .bind(old_codec)
                .execute(pool)
                .await?;
                outcome.resealed += updated.rows_affected();
            }
        }
    }
    if plain_included {
        let value = serde_json::json!({ "codec": target });
        settings::save(pool, clock, PLAIN_SEALED_KEY, &value, UPGRADE_OPERATOR).await?;
    }
    Ok(outcome)
}
