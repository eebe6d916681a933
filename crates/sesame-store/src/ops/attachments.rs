//! Photos and ID documents, kept in the database so every desk sees them.

use sesame_core::{AttachmentKind, AuditEntity, MediaType, RequestStatus};
use sqlx::Row;
use uuid::Uuid;

use super::requests::load_request;
use super::{append_audit, begin_write, get_uuid, now, Audit, DbRow, Pool};
use crate::codec::BlobCodec;
use crate::error::{Result, StoreError};
use crate::store::MAX_ATTACHMENT_BYTES;
use crate::types::{Attachment, AttachmentMeta};

pub(crate) fn meta_from_row(row: &DbRow) -> Result<AttachmentMeta> {
    let kind: String = row.try_get("kind")?;
    let media: String = row.try_get("media_type")?;
    Ok(AttachmentMeta {
        id: get_uuid(row, "id")?,
        request_id: get_uuid(row, "request_id")?,
        kind: AttachmentKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown attachment kind '{kind}'")))?,
        media_type: MediaType::from_mime(&media)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown media type '{media}'")))?,
        byte_size: row.try_get("byte_size")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The media types each kind accepts: a photo must be an image; documents may be PDF scans.
fn accepted(kind: AttachmentKind) -> &'static [MediaType] {
    match kind {
        AttachmentKind::Photo => &[MediaType::Jpeg, MediaType::Png],
        _ => &[MediaType::Jpeg, MediaType::Png, MediaType::Pdf],
    }
}

/// Stores an attachment on an open request, replacing the previous one of the same kind
/// (except `other`). A new photo clears the photo certification: it was about the old one.
/// `details` (e.g. how a photo was cropped) is kept in the audit entry, with the attachment.
pub(crate) async fn put_attachment(
    pool: &Pool,
    codec: &dyn BlobCodec,
    request_id: Uuid,
    kind: AttachmentKind,
    bytes: &[u8],
    operator: &str,
    details: Option<serde_json::Value>,
) -> Result<AttachmentMeta> {
    super::require_operator(operator)?;
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
    let at = now();
    let id = Uuid::now_v7();
    let stored = codec.seal(id, bytes).map_err(|e| StoreError::Codec {
        id: id.to_string(),
        reason: e.0,
    })?;

    let mut tx = begin_write(pool).await?;
    let (request, _) = load_request(&mut tx, request_id, true).await?;
    if !request.status.is_open() {
        return Err(StoreError::RequestClosed {
            status: request.status.as_str().to_owned(),
        });
    }
    let mut replaced = None;
    if kind != AttachmentKind::Other {
        let row = sqlx::query(
            "SELECT id, request_id, kind, media_type, byte_size, created_by, created_at
             FROM attachments WHERE request_id = $1 AND kind = $2",
        )
        .bind(request_id.to_string())
        .bind(kind.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            let old = meta_from_row(&row)?;
            sqlx::query("DELETE FROM attachments WHERE id = $1")
                .bind(old.id.to_string())
                .execute(&mut *tx)
                .await?;
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
    };
    sqlx::query(
        "INSERT INTO attachments (id, request_id, kind, media_type, byte_size, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(request_id.to_string())
    .bind(kind.as_str())
    .bind(media_type.mime())
    .bind(meta.byte_size)
    .bind(op)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO attachment_blobs (attachment_id, codec, data) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(codec.name())
        .bind(stored)
        .execute(&mut *tx)
        .await?;
    let clears_certification = kind == AttachmentKind::Photo && request.photo_certified.is_some();
    sqlx::query(if clears_certification {
        "UPDATE requests SET version = version + 1, updated_at = $1, photo_certified_by = NULL, photo_certified_at = NULL WHERE id = $2"
    } else {
        "UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2"
    })
    .bind(at)
    .bind(request_id.to_string())
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        at,
        Audit {
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
                after
            }),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(meta)
}

pub(crate) async fn get_attachment(
    pool: &Pool,
    codec: &dyn BlobCodec,
    id: Uuid,
) -> Result<Attachment> {
    let row = sqlx::query(
        "SELECT a.id, a.request_id, a.kind, a.media_type, a.byte_size, a.created_by, a.created_at, b.codec, b.data
         FROM attachments a JOIN attachment_blobs b ON b.attachment_id = a.id WHERE a.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| StoreError::NotFound {
        entity: "attachment",
        id: id.to_string(),
    })?;
    let meta = meta_from_row(&row)?;
    let codec_name: String = row.try_get("codec")?;
    let stored: Vec<u8> = row.try_get("data")?;
    let bytes = codec
        .open(&codec_name, id, &stored)
        .map_err(|e| StoreError::Codec {
            id: id.to_string(),
            reason: e.0,
        })?;
    Ok(Attachment { meta, bytes })
}

/// Removes an attachment from an open request.
pub(crate) async fn delete_attachment(
    pool: &Pool,
    id: Uuid,
    operator: &str,
    reason: Option<&str>,
) -> Result<()> {
    super::require_operator(operator)?;
    let at = now();
    let mut tx = begin_write(pool).await?;
    let row = sqlx::query(
        "SELECT id, request_id, kind, media_type, byte_size, created_by, created_at FROM attachments WHERE id = $1",
    )
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
    sqlx::query("UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(meta.request_id.to_string())
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        at,
        Audit {
            operator: operator.trim(),
            entity: AuditEntity::Attachment,
            entity_id: id.to_string(),
            request_id: Some(meta.request_id),
            action: "delete",
            before: serde_json::to_value(&meta).ok(),
            after: None,
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
