//! ID photos at the desk: checking an imported file, the live camera ([`camera`]),
//! saving the badge photo on a request ([`save`]: a refusal may be overridden with a
//! reason, except no face, several faces or an unreadable file), the previous photos
//! and the previous badge's photo beside a renewal's ([`history`]), photos imported in
//! bulk ([`bulk`]), and the office's thresholds with their override rates
//! ([`office_rules`]). Bytes from the UI are never trusted: a photo to save is decoded,
//! measured and checked again here before it is stored.

mod bulk;
mod camera;
mod history;
mod office_rules;
mod save;

pub use bulk::{
    import_request_photo, plan_photo_import, BulkPhotoInput, BulkPhotoOutcome, BulkPhotoRow,
    PhotoImportPlan, PhotoImportPlanInput, PlannedPhoto,
};
pub use camera::{
    camera_auto_capture, camera_capture, camera_close, camera_frame, camera_list, camera_open,
    CameraOpenInput, CameraStation, LiveFrame, CAMERA_FOLDER_ENV,
};
pub use history::{
    compare_with_previous_photo, restore_request_photo, PhotoComparison, PhotoComparisonInput,
    PreviousBadgePhoto, RestorePhotoInput,
};
pub use office_rules::{
    office_photo_rules, photo_check_stats, restore_default_photo_rules, save_photo_rules,
};
pub use save::{save_request_photo, SavePhotoInput};
pub use sesame_photo::{
    CameraInfo, CameraMode, CheckId, CheckKind, FaceComparison, OverallVerdict, PhotoEdits,
    PhotoError, PhotoReport, PhotoRules, Verdict,
};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sesame_core::{AttachmentKind, AuditEntity};
use sesame_photo::image::{imageops, RgbImage};
use sesame_photo::{import_photo, ImportLimits, ImportedPhoto, PhotoEngine};
use sesame_store::AttachmentMeta;
use ts_rs::TS;

use crate::blocking::Blocking;
use crate::{Desk, FileBytes, RequestId, ServiceError};

/// Longest side of the original shown beside the crop: enough for the screen, small on IPC.
const ORIGINAL_PREVIEW_SIDE: u32 = 800;
const ORIGINAL_PREVIEW_QUALITY: u8 = 80;

/// A checked photo: the report on the whole photo, the badge photo cut from it, and a
/// small copy of the original to show beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoCheckOutcome {
    /// Every check, measured on the whole upright photo; face boxes are in its pixels
    /// (`report.imageWidth` × `report.imageHeight`).
    pub report: PhotoReport,
    /// The badge photo (JPEG), none when no face was found to crop around.
    pub cropped_jpeg_base64: Option<String>,
    /// How the badge photo was made from the original (crop, rotation, scale).
    pub edits: Option<PhotoEdits>,
    /// The whole upright photo, downsized, metadata stripped.
    pub original_preview_jpeg_base64: String,
}

/// A request's current photo, checked again as it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestPhoto {
    pub attachment: AttachmentMeta,
    pub jpeg_base64: String,
    /// The checks recorded when it was saved (on its original), else checked now.
    pub report: PhotoReport,
    /// The edits recorded when it was saved (none for photos stored by other means).
    pub edits: Option<PhotoEdits>,
}

pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn decode_base64(data: &str) -> Result<Vec<u8>, ServiceError> {
    FileBytes::from_base64(data)
        .into_bytes()
        .map_err(|detail| ServiceError::PhotoEncoding { detail })
}

/// A JPEG of `image` no larger than `longest` on its longest side.
pub(crate) fn preview_jpeg(
    image: &RgbImage,
    longest: u32,
    quality: u8,
) -> Result<Vec<u8>, ServiceError> {
    let (w, h) = image.dimensions();
    let side = w.max(h);
    let small = if side > longest {
        let scale = f64::from(longest) / f64::from(side);
        let size = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
        imageops::thumbnail(image, size(w), size(h))
    } else {
        image.clone()
    };
    encode_preview(&small, quality).or_else(|error| {
        tracing::debug!(%error, "fast preview encoder failed; using the photo encoder");
        Ok(ImportedPhoto::from_image(small).to_jpeg(quality)?)
    })
}

/// A baseline JPEG with libjpeg's fastest settings: no metadata, never stored.
fn encode_preview(image: &RgbImage, quality: u8) -> std::io::Result<Vec<u8>> {
    let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
    compress.set_fastest_defaults();
    compress.set_size(image.width() as usize, image.height() as usize);
    compress.set_quality(f32::from(quality));
    let mut started = compress.start_compress(Vec::new())?;
    started.write_scanlines(image.as_raw())?;
    started.finish()
}

/// Checks and crops a photo already in memory (an imported file or a camera still).
pub(crate) fn check_imported(
    photo: &ImportedPhoto,
    rules: &PhotoRules,
) -> Result<PhotoCheckOutcome, ServiceError> {
    let engine = PhotoEngine::global()?;
    let (report, cropped) = match engine.auto_crop(photo, rules) {
        Ok(cropped) => (cropped.report, Some((cropped.jpeg, cropped.edits))),
        // No face to crop around: the report still says so, check by check.
        Err(PhotoError::NoFace) => (engine.check(photo, rules)?, None),
        Err(other) => return Err(other.into()),
    };
    let original = preview_jpeg(
        photo.image(),
        ORIGINAL_PREVIEW_SIDE,
        ORIGINAL_PREVIEW_QUALITY,
    )?;
    let (cropped_jpeg_base64, edits) = match cropped {
        Some((jpeg, edits)) => (Some(encode_base64(&jpeg)), Some(edits)),
        None => (None, None),
    };
    Ok(PhotoCheckOutcome {
        report,
        cropped_jpeg_base64,
        edits,
        original_preview_jpeg_base64: encode_base64(&original),
    })
}

/// A photo file to check: the file chooser's or a drop's bytes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoCheckInput {
    pub image: FileBytes,
    /// Thresholds to try instead of the office's (the command line's `--rules`).
    #[serde(skip)]
    #[ts(skip)]
    pub rules: Option<PhotoRules>,
}

/// Imports a photo file's bytes (file chooser or drag-and-drop), checks and crops it.
/// The original bytes are dropped as soon as they are decoded.
pub async fn check_photo_bytes(
    desk: &Desk,
    input: PhotoCheckInput,
) -> Result<PhotoCheckOutcome, ServiceError> {
    let rules = match input.rules {
        Some(rules) => rules,
        None => office_rules::office_photo_rules(desk).await?,
    };
    let image = input.image;
    let outcome = Blocking::Photo
        .run(move || {
            let photo = {
                let bytes = image
                    .into_bytes()
                    .map_err(|detail| ServiceError::PhotoEncoding { detail })?;
                import_photo(&bytes, &ImportLimits::default())?
            };
            check_imported(&photo, &rules)
        })
        .await?;
    Ok(desk.camera.remember(outcome))
}

/// The request's current photo, checked again, with its recorded edits; none if it has
/// no photo yet.
pub async fn get_request_photo(
    desk: &Desk,
    request_id: RequestId,
) -> Result<Option<RequestPhoto>, ServiceError> {
    let id = request_id.0;
    let detail = desk.store.get_request(id).await?;
    let Some(meta) = detail
        .attachments
        .into_iter()
        .find(|a| a.kind == AttachmentKind::Photo)
    else {
        return Ok(None);
    };
    let stored = desk.store.get_attachment(meta.id).await?;
    let details = desk
        .store
        .audit_for(AuditEntity::Attachment, &meta.id.to_string())
        .await?
        .into_iter()
        .rev()
        .find_map(|entry| entry.after?.get("details").cloned());
    let recorded = |key: &str| details.as_ref().and_then(|d| d.get(key)).cloned();
    let edits = recorded("photoEdits").and_then(|e| serde_json::from_value::<PhotoEdits>(e).ok());
    let saved_report =
        recorded("report").and_then(|r| serde_json::from_value::<PhotoReport>(r).ok());
    let bytes = stored.bytes;
    let rules = office_rules::office_photo_rules(desk).await?;
    let (report, jpeg_base64) = Blocking::Photo
        .run(move || {
            let report = match saved_report {
                Some(report) => report,
                // Stored by other means: checked now.
                None => {
                    let photo = import_photo(&bytes, &ImportLimits::default())?;
                    PhotoEngine::global()?.check(&photo, &rules)?
                }
            };
            Ok((report, encode_base64(&bytes)))
        })
        .await?;
    Ok(Some(RequestPhoto {
        attachment: stored.meta,
        jpeg_base64,
        report,
        edits,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_plain_jpegs_of_the_asked_size() {
        let image = RgbImage::from_fn(1280, 720, |x, y| {
            sesame_photo::image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let jpeg = preview_jpeg(&image, 640, 70).unwrap();
        assert!(save::jpeg_is_bare(&jpeg), "no metadata in a preview");
        let decoded = sesame_photo::image::load_from_memory(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (640, 360));
    }

    #[test]
    fn base64_from_a_data_url_or_bare() {
        assert_eq!(
            decode_base64("data:image/png;base64,AAEC").unwrap(),
            [0, 1, 2]
        );
        assert_eq!(decode_base64("AAEC").unwrap(), [0, 1, 2]);
        let err = decode_base64("%%%").unwrap_err();
        assert_eq!(sesame_core::ErrorCode::code(&err), "photo.bad_encoding");
    }
}
