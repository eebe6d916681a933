//! ID documents (front and back, JPEG or PDF) attached to a request at intake, and
//! viewing any attachment from the request screen. The webview sends and receives
//! bytes; it never names a file.

use serde::{Deserialize, Serialize};
use sesame_core::{AttachmentKind, AuditEntity};
use sesame_store::{AttachmentMeta, AuditEvent, RequestDetail};
use ts_rs::TS;

use crate::{AttachmentId, Desk, FileBytes, RequestId, ServiceError};

/// A document chosen or dropped by the operator.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentInput {
    pub request_id: RequestId,
    /// `id_document_front`, `id_document_back` or `other` (photos go through the photo station).
    pub kind: AttachmentKind,
    /// The file's bytes. The type is recognised from the bytes, not a file name.
    pub data: FileBytes,
}

/// An attachment with its bytes, for viewing.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentContent {
    pub meta: AttachmentMeta,
    /// The decrypted bytes.
    pub data: FileBytes,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoveAttachmentInput {
    pub attachment_id: AttachmentId,
    pub reason: Option<String>,
}

/// Attaches an ID document to an open request (replacing the previous one of that side).
pub async fn add_request_document(
    desk: &Desk,
    input: DocumentInput,
) -> Result<RequestDetail, ServiceError> {
    let request_id = input.request_id.0;
    if input.kind == AttachmentKind::Photo {
        return Err(ServiceError::PhotoNotADocument);
    }
    let bytes = input
        .data
        .into_bytes()
        .map_err(|detail| ServiceError::FileEncoding { detail })?;
    desk.store
        .put_attachment(request_id, input.kind, &bytes, &desk.actor()?)
        .await?;
    Ok(desk.store.get_request(request_id).await?)
}

/// The audit action of an ID scan (or another document) shown on screen.
pub const DOCUMENT_VIEWED: &str = "view_document";

/// ID scans and other documents: whoever looks at one is recorded. Badge photos, shown
/// all day long in the queue and at the photo station, are not.
fn is_document(kind: AttachmentKind) -> bool {
    match kind {
        AttachmentKind::IdDocumentFront
        | AttachmentKind::IdDocumentBack
        | AttachmentKind::Other => true,
        AttachmentKind::Photo | AttachmentKind::PreviousPhoto => false,
    }
}

/// One attachment's bytes (decrypted by the desk's codec) for the document viewer;
/// viewing a document (not a photo) is audited: who, which attachment of which request.
pub async fn get_attachment_content(
    desk: &Desk,
    id: AttachmentId,
) -> Result<AttachmentContent, ServiceError> {
    let attachment = desk.store.get_attachment(id.0).await?;
    if is_document(attachment.meta.kind) {
        // Nothing is shown unless the viewing is in the audit log.
        desk.store
            .record_audit_events(
                &desk.actor()?,
                vec![AuditEvent {
                    entity: AuditEntity::Attachment,
                    entity_id: attachment.meta.id.to_string(),
                    request_id: Some(attachment.meta.request_id),
                    action: DOCUMENT_VIEWED,
                    details: serde_json::json!({ "kind": attachment.meta.kind }),
                }],
            )
            .await?;
    }
    Ok(AttachmentContent {
        meta: attachment.meta,
        data: FileBytes::from(attachment.bytes),
    })
}

/// Removes a document attached by mistake (audited with the reason).
pub async fn remove_attachment(
    desk: &Desk,
    input: RemoveAttachmentInput,
) -> Result<RequestDetail, ServiceError> {
    let id = input.attachment_id.0;
    let meta = desk.store.get_attachment(id).await?.meta;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    desk.store
        .delete_attachment(id, &desk.actor()?, reason)
        .await?;
    Ok(desk.store.get_request(meta.request_id).await?)
}
