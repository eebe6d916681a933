//! ID photos at the desk: checking an imported file, the live camera (see [`camera`]),
//! and saving the badge photo on a request. Bytes from the UI are never trusted: a photo
//! to save is decoded, measured and checked again here before it is stored.

mod camera;

pub use camera::{
    camera_auto_capture, camera_capture, camera_close, camera_frame, camera_list, camera_open,
    CameraOpenInput, CameraStation, LiveFrame, CAMERA_FOLDER_ENV,
};
pub use sesame_photo::{
    CameraInfo, CameraMode, CheckId, OverallVerdict, PhotoEdits, PhotoReport, PhotoRules, Verdict,
};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sesame_core::{AttachmentKind, AuditEntity};
use sesame_photo::image::{imageops, RgbImage};
use sesame_photo::{
    import_photo, ImportLimits, ImportedPhoto, PhotoEngine, PhotoError, SourceFormat,
};
use sesame_store::{AttachmentMeta, RequestDetail};
use ts_rs::TS;

use crate::{Desk, FileBytes, RequestId, ServiceError};

/// Longest side of the original shown beside the crop: enough for the screen, small on IPC.
const ORIGINAL_PREVIEW_SIDE: u32 = 800;
const ORIGINAL_PREVIEW_QUALITY: u8 = 80;

/// The checks that still mean something on the cropped badge photo itself, so the ones
/// a photo sent back by the UI must not fail. (Background and resolution are measured
/// on the wider original, which the save no longer has.)
const RECHECKED: [CheckId; 9] = [
    CheckId::FaceCount,
    CheckId::HeadHeight,
    CheckId::Centring,
    CheckId::EyeLine,
    CheckId::Roll,
    CheckId::Yaw,
    CheckId::Exposure,
    CheckId::Clipping,
    CheckId::Colour,
];

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

/// The badge photo the operator accepted, to store on the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavePhotoInput {
    pub request_id: RequestId,
    pub jpeg_base64: String,
    pub edits: PhotoEdits,
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

/// Runs CPU-heavy photo work off the async runtime's threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::PhotoTask {
            detail: e.to_string(),
        })?
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
    let rules = input.rules.unwrap_or_default();
    let image = input.image;
    let outcome = blocking(move || {
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

/// Whether a JPEG carries nothing but the JFIF header before its image data: no EXIF,
/// XMP, ICC or comment segment that could hide metadata (GPS) sent by a tampered UI.
fn jpeg_is_bare(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || bytes[..2] != [0xFF, 0xD8] {
        return false;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xDA => return true, // start of scan: the headers are over
            0xFF => at += 1,     // fill byte
            0x01 | 0xD0..=0xD7 => at += 2,
            0xE1..=0xEF | 0xFE => return false,
            _ => {
                let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
                at += 2 + length;
            }
        }
    }
    false
}

/// Decodes, measures and checks a badge photo sent by the UI; returns the bytes to store.
fn verify_badge_photo(
    jpeg_base64: &str,
    edits: &PhotoEdits,
    rules: &PhotoRules,
) -> Result<(Vec<u8>, PhotoReport), ServiceError> {
    let bytes = decode_base64(jpeg_base64)?;
    let photo = import_photo(&bytes, &ImportLimits::default())?;
    let not_badge = |detail: String| ServiceError::NotABadgePhoto { detail };
    if photo.source_format() != SourceFormat::Jpeg {
        return Err(not_badge(format!(
            "a {:?} image, where a JPEG is expected",
            photo.source_format()
        )));
    }
    let frame = rules.frame;
    let size = (photo.width(), photo.height());
    if size != (frame.width_px, frame.height_px)
        || (edits.output_width, edits.output_height) != size
    {
        return Err(not_badge(format!(
            "{}x{} px (edits say {}x{}), the badge frame is {}x{} px",
            size.0,
            size.1,
            edits.output_width,
            edits.output_height,
            frame.width_px,
            frame.height_px
        )));
    }
    let crop = edits.crop;
    if crop.width == 0
        || crop.height == 0
        || crop.x.saturating_add(crop.width) > edits.source_width
        || crop.y.saturating_add(crop.height) > edits.source_height
    {
        return Err(not_badge(format!(
            "the recorded crop {crop:?} is not inside the {}x{} source",
            edits.source_width, edits.source_height
        )));
    }
    let report = PhotoEngine::global()?.check(&photo, rules)?;
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::Fail && RECHECKED.contains(&c.id))
        .map(|c| c.id.name())
        .collect();
    if report.face.is_none() || !failed.is_empty() {
        return Err(ServiceError::PhotoRefused {
            failures: if failed.is_empty() {
                "face_count".to_owned()
            } else {
                failed.join(", ")
            },
        });
    }
    // Stores exactly the checked bytes when they are clean, else a clean re-encoding.
    let stored = if jpeg_is_bare(&bytes) {
        bytes
    } else {
        photo.to_jpeg(frame.jpeg_quality)?
    };
    Ok((stored, report))
}

/// Saves the badge photo on the request (replacing any previous one), with how it was
/// made recorded in the attachment's audit entry (`after.details.photoEdits`), and the
/// report on its original (`after.details.report`) when this desk checked it: that report
/// is the one that saw the background and the source resolution. A photo whose original
/// was refused is not saved.
pub async fn save_request_photo(
    desk: &Desk,
    input: SavePhotoInput,
) -> Result<RequestDetail, ServiceError> {
    let id = input.request_id.0;
    let original = desk.camera.report_for(&input.jpeg_base64);
    if let Some(original) = original.as_ref().filter(|r| r.is_refused()) {
        let failed: Vec<&str> = original.failures().iter().map(|c| c.name()).collect();
        return Err(ServiceError::PhotoRefused {
            failures: failed.join(", "),
        });
    }
    let SavePhotoInput {
        jpeg_base64, edits, ..
    } = input;
    let (jpeg, edits, report) = blocking(move || {
        let (jpeg, report) = verify_badge_photo(&jpeg_base64, &edits, &PhotoRules::default())?;
        Ok((jpeg, edits, report))
    })
    .await?;
    // Without a matching check on the original (another desk's crop, a restart), the
    // checks on the badge photo itself are what is recorded.
    let report = original.unwrap_or(report);
    let details = serde_json::json!({
        "photoEdits": edits,
        "report": report,
    });
    desk.store
        .put_attachment_with_details(id, AttachmentKind::Photo, &jpeg, &desk.operator, details)
        .await?;
    Ok(desk.store.get_request(id).await?)
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
    let (report, jpeg_base64) = blocking(move || {
        let report = match saved_report {
            Some(report) => report,
            // Stored by other means: checked now.
            None => {
                let photo = import_photo(&bytes, &ImportLimits::default())?;
                PhotoEngine::global()?.check(&photo, &PhotoRules::default())?
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
    fn only_a_jfif_header_counts_as_bare() {
        let image = RgbImage::from_pixel(16, 16, sesame_photo::image::Rgb([200, 120, 90]));
        let clean = ImportedPhoto::from_image(image).to_jpeg(90).unwrap();
        assert!(jpeg_is_bare(&clean));
        // An APP1 (EXIF) segment slipped in after SOI is metadata.
        let mut tampered = clean[..2].to_vec();
        tampered.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0]);
        tampered.extend_from_slice(&clean[2..]);
        assert!(!jpeg_is_bare(&tampered));
        assert!(!jpeg_is_bare(b"not a jpeg"));
        assert!(!jpeg_is_bare(&clean[..20]));
    }

    #[test]
    fn previews_are_plain_jpegs_of_the_asked_size() {
        let image = RgbImage::from_fn(1280, 720, |x, y| {
            sesame_photo::image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let jpeg = preview_jpeg(&image, 640, 70).unwrap();
        assert!(jpeg_is_bare(&jpeg), "no metadata in a preview");
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
