//! Cutting the badge photo out of an imported photo, and recording what was done.

use image::imageops::{self, FilterType};
use image::RgbImage;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{PhotoError, Result};
use crate::import::{encode_jpeg, ImportedPhoto};
use crate::report::{PhotoReport, PixelRect};
use crate::rules::PhotoRules;

/// Every change made between the file the operator gave and the stored badge photo,
/// kept with the photo so that the crop can be explained or redone from the original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoEdits {
    /// EXIF orientation (1-8) applied at import; 1 = the file was already upright.
    pub exif_orientation: u8,
    /// Clockwise rotation applied at import, degrees (0, 90, 180 or 270).
    pub rotation_degrees: u16,
    /// Whether import mirrored the photo (EXIF orientations 2, 4, 5, 7).
    pub mirrored: bool,
    /// Size of the upright photo the crop was cut from.
    pub source_width: u32,
    pub source_height: u32,
    /// The badge frame, in pixels of the upright photo.
    pub crop: PixelRect,
    /// Size of the stored photo; the crop is scaled to it with no other change.
    pub output_width: u32,
    pub output_height: u32,
    /// Output pixels per source pixel (> 1: the crop was enlarged).
    pub scale: f64,
    /// Metadata removed: the stored JPEG carries no EXIF, GPS, XMP or ICC data.
    pub metadata_stripped: bool,
}

/// The stored badge photo: JPEG bytes, how they were made, and the checks' verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CroppedPhoto {
    #[ts(type = "Array<number>")]
    pub jpeg: Vec<u8>,
    pub edits: PhotoEdits,
    pub report: PhotoReport,
}

fn rotation_of(exif_orientation: u8) -> (u16, bool) {
    match exif_orientation {
        2 => (0, true),
        3 => (180, false),
        4 => (180, true),
        5 => (90, true),
        6 => (90, false),
        7 => (270, true),
        8 => (270, false),
        _ => (0, false),
    }
}

/// Averages `factor`×`factor` blocks of the `rect` of `image`: an exact, alias-free
/// first shrink that leaves the final resampling filter only a small step to do (read in
/// place: a 12 MP photo's crop is not copied first).
fn shrink_by_blocks(image: &RgbImage, rect: PixelRect, factor: u32) -> RgbImage {
    let (w, h) = (rect.width / factor, rect.height / factor);
    let mut out = RgbImage::new(w.max(1), h.max(1));
    let area = factor * factor;
    let raw = image.as_raw();
    let stride = image.width() as usize * 3;
    for oy in 0..h {
        for ox in 0..w {
            let mut sum = [0u32; 3];
            for dy in 0..factor {
                let row = (rect.y + oy * factor + dy) as usize * stride;
                for dx in 0..factor {
                    let at = row + (rect.x + ox * factor + dx) as usize * 3;
                    sum[0] += u32::from(raw[at]);
                    sum[1] += u32::from(raw[at + 1]);
                    sum[2] += u32::from(raw[at + 2]);
                }
            }
            out.put_pixel(
                ox,
                oy,
                image::Rgb(sum.map(|s| ((s + area / 2) / area) as u8)),
            );
        }
    }
    out
}

/// Crops the checked photo to the frame of `report` and encodes it.
pub(crate) fn cut(
    photo: &ImportedPhoto,
    report: PhotoReport,
    rules: &PhotoRules,
) -> Result<CroppedPhoto> {
    let frame = &rules.frame;
    if frame.width_px == 0
        || frame.height_px == 0
        || !(0.1..=1.0).contains(&frame.head_height_ratio)
    {
        return Err(PhotoError::InvalidFrame {
            detail: format!(
                "{}x{} px with head height ratio {}",
                frame.width_px, frame.height_px, frame.head_height_ratio
            ),
        });
    }
    let crop = report.crop.ok_or(PhotoError::NoFace)?;
    let factor = (crop.height / frame.height_px).min(crop.width / frame.width_px);
    let region = if factor >= 2 {
        shrink_by_blocks(photo.image(), crop, factor)
    } else {
        imageops::crop_imm(photo.image(), crop.x, crop.y, crop.width, crop.height).to_image()
    };
    let output = imageops::resize(
        &region,
        frame.width_px,
        frame.height_px,
        FilterType::CatmullRom,
    );
    let jpeg = encode_jpeg(&output, frame.jpeg_quality)?;
    let (rotation_degrees, mirrored) = rotation_of(photo.exif_orientation());
    Ok(CroppedPhoto {
        jpeg,
        edits: PhotoEdits {
            exif_orientation: photo.exif_orientation(),
            rotation_degrees,
            mirrored,
            source_width: photo.width(),
            source_height: photo.height(),
            crop,
            output_width: frame.width_px,
            output_height: frame.height_px,
            scale: f64::from(frame.height_px) / f64::from(crop.height),
            metadata_stripped: true,
        },
        report,
    })
}
