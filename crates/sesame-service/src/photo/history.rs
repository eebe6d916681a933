//! A badge photo's past: the previous badge's photo beside a renewal's or a
//! replacement's new one (with the face descriptor's hint, never a decision), and the
//! request's previous photos, one of which can be made its badge photo again.

use serde::{Deserialize, Serialize};
use sesame_core::{AttachmentKind, MediaType};
use sesame_photo::{import_photo, FaceComparison, ImportLimits, PhotoEngine};
use sesame_store::RequestDetail;
use ts_rs::TS;

use super::{decode_base64, encode_base64};
use crate::blocking::Blocking;
use crate::{AttachmentId, Desk, RequestId, ServiceError};

/// The previous badge's photo, shown beside the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviousBadgePhoto {
    pub badge_number: String,
    pub jpeg_base64: String,
}

/// A renewal's new photo beside the previous badge's: the operator looks at both and
/// confirms it is the same person (the descriptor only says where to look twice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoComparison {
    pub previous: PreviousBadgePhoto,
    /// `None` when a face was not found on one of the two photos.
    pub comparison: Option<FaceComparison>,
}

/// The new photo (the crop the photo station shows) of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoComparisonInput {
    pub request_id: RequestId,
    pub jpeg_base64: String,
}

/// The photo of the badge a renewal, replacement or zone request follows, with its
/// number: the photo of the request that badge was printed for. `None` for a new badge,
/// or when that photo is gone (retention).
pub(crate) async fn previous_badge_photo(
    desk: &Desk,
    detail: &RequestDetail,
) -> Result<Option<(String, Vec<u8>)>, ServiceError> {
    let Some(badge_id) = detail.request.details.previous_badge_id else {
        return Ok(None);
    };
    let badge = desk.store.get_badge(badge_id).await?;
    let earlier = desk.store.get_request(badge.request_id).await?;
    let Some(photo) = earlier
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Photo)
    else {
        return Ok(None);
    };
    let bytes = desk.store.get_attachment(photo.id).await?.bytes;
    let jpeg = if photo.media_type == MediaType::Jpeg {
        bytes
    } else {
        Blocking::Photo
            .run(move || Ok(import_photo(&bytes, &ImportLimits::default())?.to_jpeg(90)?))
            .await?
    };
    Ok(Some((badge.number, jpeg)))
}

/// For a request that follows an earlier badge, that badge's photo beside the new one
/// and how alike their faces are; `None` when there is no earlier badge photo.
pub async fn compare_with_previous_photo(
    desk: &Desk,
    input: PhotoComparisonInput,
) -> Result<Option<PhotoComparison>, ServiceError> {
    let detail = desk.store.get_request(input.request_id.0).await?;
    let Some((badge_number, previous)) = previous_badge_photo(desk, &detail).await? else {
        return Ok(None);
    };
    let new = decode_base64(&input.jpeg_base64)?;
    let previous_base64 = encode_base64(&previous);
    let comparison = Blocking::Photo
        .run(move || {
            let limits = ImportLimits::default();
            let previous = import_photo(&previous, &limits)?;
            let new = import_photo(&new, &limits)?;
            Ok(PhotoEngine::global()?.compare_faces(previous.image(), new.image())?)
        })
        .await?;
    Ok(Some(PhotoComparison {
        previous: PreviousBadgePhoto {
            badge_number,
            jpeg_base64: previous_base64,
        },
        comparison,
    }))
}

/// A previous photo of a request to make its badge photo again, on the request's
/// version the operator saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestorePhotoInput {
    pub request_id: RequestId,
    pub attachment_id: AttachmentId,
    #[ts(type = "number")]
    pub expected_version: i64,
}

/// Makes a previous photo the request's badge photo again (the current one becomes a
/// previous photo; the photo certification, about the other photo, is cleared).
pub async fn restore_request_photo(
    desk: &Desk,
    input: RestorePhotoInput,
) -> Result<RequestDetail, ServiceError> {
    desk.store
        .restore_photo(
            input.request_id.0,
            input.attachment_id.0,
            input.expected_version,
            &desk.actor()?,
        )
        .await?;
    Ok(desk.store.get_request(input.request_id.0).await?)
}
