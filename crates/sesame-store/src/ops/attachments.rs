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
