//! Photos and ID documents, kept in the database so every desk sees them.

use sesame_core::{AttachmentKind, AuditEntity, Clock, MediaType, RequestStatus};
use uuid::Uuid;

use super::rows::{
    attachment_from_row, load_request, meta_from_row, ATTACHMENT_COLUMNS, ATTACHMENT_WITH_BLOB,
};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{begin_write, require_operator, Audit, Conn, Now, Pool};
use crate::codec::BlobCodec;
use crate::error::{Result, StoreError};
use crate::store::MAX_ATTACHMENT_BYTES;
use crate::{Attachment, AttachmentMeta};

/// Seals `bytes` with `codec` under `meta.id` and inserts the attachment and its blob.
pub(crate) async fn insert_attachment(
    conn: &mut Conn,
    codec: &dyn BlobCodec,
    meta: &AttachmentMeta,
    bytes: &[u8],
) -> Result<()> {
    // Sealed under its own id: an encrypting codec binds each blob to its row.
    let stored = codec.seal(meta.id, bytes).map_err(|e| StoreError::Codec {
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
/// (except `other`). A new photo clears the photo certification: it was about the old one.
/// `details` (e.g. how a photo was cropped) is kept in the audit entry, with the attachment.
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
    insert_attachment(&mut tx, codec, &meta, bytes).await?;
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
            after
        }),
        reason: None,
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
