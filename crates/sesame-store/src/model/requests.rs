//! Requests as the desk enters and reads them, and their attachments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{
    AttachmentKind, Badge, Eligibility, Holder, HolderDetails, MediaType, MissingItem, Request,
    RequestDetails,
};
use ts_rs::TS;
use uuid::Uuid;

/// A request as the desk enters it (or a CSV row gives it).
///
/// The holder is matched in this order: `holder_id` if given, else an existing holder
/// with the same `external_id`, else a new holder is created. A matched holder's
/// details are updated to `holder` (audited when they change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRequest {
    pub holder_id: Option<Uuid>,
    pub holder: HolderDetails,
    pub request: RequestDetails,
}

/// Everything the request screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestDetail {
    pub request: Request,
    pub holder: Holder,
    pub attachments: Vec<AttachmentMeta>,
    pub badge: Option<Badge>,
    /// What is still needed before review.
    pub missing: Vec<MissingItem>,
    pub eligibility: Eligibility,
    /// Action names the desk may use now (see `RequestAction::name`).
    pub allowed_actions: Vec<String>,
}

/// An attachment's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub request_id: Uuid,
    pub kind: AttachmentKind,
    pub media_type: MediaType,
    #[ts(type = "number")]
    pub byte_size: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// When a newer badge photo replaced this one (kind `previous_photo`).
    pub replaced_at: Option<DateTime<Utc>>,
}

/// What [`Store::upgrade_attachment_blobs`](crate::Store::upgrade_attachment_blobs) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlobUpgrade {
    /// Blobs sealed again under the desk codec's name by this call.
    pub resealed: u64,
    /// Blobs to upgrade that the codec could not open (another key, altered bytes):
    /// left as they were, and tried again at the next upgrade.
    pub failed: u64,
    /// `plain` blobs were among those upgraded: this was the queue's first upgrade
    /// under a key; from now on `plain` blobs are no longer upgraded (the codec refuses them).
    pub plain_included: bool,
}

/// An attachment with its bytes (already decoded by the store's `BlobCodec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub meta: AttachmentMeta,
    pub bytes: Vec<u8>,
}
