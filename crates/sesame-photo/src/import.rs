//! Importing a photo: sniff, bound, decode, orient, and forget the original's metadata.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{PhotoError, Result};

/// Bounds that keep a hostile or accidental file from exhausting the desk's memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportLimits {
    /// Largest accepted file, bytes (default 40 MB: a 50 MP phone JPEG is ~20 MB).
    #[ts(type = "number")]
    pub max_file_bytes: u64,
    /// Largest accepted width × height (default 64 MP); more is treated as a decompression bomb.
    #[ts(type = "number")]
    pub max_pixels: u64,
    /// Most memory the decoder may allocate, bytes (default 512 MiB).
    #[ts(type = "number")]
    pub max_decoder_bytes: u64,
    /// Smallest accepted width and height, pixels (default 120).
    pub min_side: u32,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_file_bytes: 40 * 1024 * 1024,
            max_pixels: 64_000_000,
            max_decoder_bytes: 512 * 1024 * 1024,
            min_side: 120,
        }
    }
}

/// The container the photo came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Jpeg,
    Png,
    Webp,
}

/// A decoded photo, upright, with no metadata left: only pixels and what was done to them.
/// The original bytes are not kept.
#[derive(Debug, Clone)]
pub struct ImportedPhoto {
    image: RgbImage,
    format: SourceFormat,
    /// EXIF orientation (1-8) that was applied to make the photo upright; 1 = none.
    exif_orientation: u8,
    /// Decoded from a file (its codec's artefacts are judged), not a camera's pixels.
    from_file: bool,
}

impl ImportedPhoto {
    /// Wraps pixels that did not come from a file (a camera frame).
    pub fn from_image(image: RgbImage) -> ImportedPhoto {
        ImportedPhoto {
            image,
            format: SourceFormat::Jpeg,
            exif_orientation: 1,
            from_file: false,
        }
    }
    pub fn image(&self) -> &RgbImage {
        &self.image
    }
    pub fn into_image(self) -> RgbImage {
        self.image
    }
    pub fn width(&self) -> u32 {
        self.image.width()
    }
    pub fn height(&self) -> u32 {
        self.image.height()
    }
    pub fn source_format(&self) -> SourceFormat {
        self.format
    }
    pub fn exif_orientation(&self) -> u8 {
        self.exif_orientation
    }
    /// True when the pixels were decoded from a file ([`import_photo`], [`import_path`]),
    /// false for [`ImportedPhoto::from_image`]: compression is judged on files only.
    pub fn is_imported_file(&self) -> bool {
        self.from_file
    }
    /// The whole upright photo as a baseline JPEG with no EXIF, XMP or ICC data (no GPS).
    pub fn to_jpeg(&self, quality: u8) -> Result<Vec<u8>> {
        encode_jpeg(&self.image, quality)
    }
}

/// Baseline JPEG (image's encoder writes only a JFIF header: no metadata at all).
pub(crate) fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .encode_image(image)
        .map_err(|e| PhotoError::Encode {
            detail: e.to_string(),
        })?;
    Ok(out)
}

/// Reads and imports a photo file, refusing it before reading if it is too large.
pub fn import_path(path: &Path, limits: &ImportLimits) -> Result<ImportedPhoto> {
    let io = |source| PhotoError::Io {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > limits.max_file_bytes {
        return Err(PhotoError::FileTooLarge {
            size,
            max: limits.max_file_bytes,
        });
    }
    import_photo(&std::fs::read(path).map_err(io)?, limits)
}

/// Imports a JPEG, PNG or WebP from memory (file chooser, drag-and-drop, camera still).
pub fn import_photo(bytes: &[u8], limits: &ImportLimits) -> Result<ImportedPhoto> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(PhotoError::FileTooLarge {
            size: bytes.len() as u64,
            max: limits.max_file_bytes,
        });
    }
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => SourceFormat::Jpeg,
        Ok(ImageFormat::Png) => SourceFormat::Png,
        Ok(ImageFormat::WebP) => SourceFormat::Webp,
        Ok(other) => {
            return Err(PhotoError::UnsupportedFormat {
                format: format!("{other:?}"),
            })
        }
        Err(_) => return Err(PhotoError::NotAnImage),
    };
    let image_format = match format {
        SourceFormat::Jpeg => ImageFormat::Jpeg,
        SourceFormat::Png => ImageFormat::Png,
        SourceFormat::Webp => ImageFormat::WebP,
    };
    if format == SourceFormat::Jpeg && !jpeg_is_complete(bytes) {
        // The JPEG decoder fills a cut-off file with grey instead of failing.
        return Err(PhotoError::Corrupt {
            detail: "the JPEG data ends before its end-of-image marker".to_owned(),
        });
    }

    // Headers first: a bomb is refused on its declared size, before any allocation.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(|e| decode_error(e, limits))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            pixels,
            max_pixels: limits.max_pixels,
        });
    }
    if width < limits.min_side || height < limits.min_side {
        return Err(PhotoError::TooSmall {
            width,
            height,
            min_width: limits.min_side,
            min_height: limits.min_side,
        });
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut decoder_limits = Limits::default();
    decoder_limits.max_alloc = Some(limits.max_decoder_bytes);
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(|e| decode_error(e, limits))?;
    // Not every decoder honours max_alloc, so the budget is also checked here: the decoded
    // buffer plus the upright RGB copy and the rotation's copy.
    let needed = decoder
        .total_bytes()
        .saturating_add(pixels.saturating_mul(6));
    if needed > limits.max_decoder_bytes {
        return Err(PhotoError::MemoryLimit {
            max_bytes: limits.max_decoder_bytes,
        });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, limits))?;
    image.apply_orientation(orientation);
    Ok(ImportedPhoto {
        image: image.into_rgb8(),
        format,
        exif_orientation: orientation.to_exif(),
        from_file: true,
    })
}

fn decode_error(error: ImageError, limits: &ImportLimits) -> PhotoError {
    match error {
        ImageError::Limits(_) => PhotoError::MemoryLimit {
            max_bytes: limits.max_decoder_bytes,
        },
        ImageError::Unsupported(e) => PhotoError::UnsupportedFormat {
            format: e.to_string(),
        },
        other => PhotoError::Corrupt {
            detail: other.to_string(),
        },
    }
}

/// True when an end-of-image marker follows the main image's first start-of-scan.
/// Segments before the scan are walked by their lengths, so the SOS and EOI of an EXIF
/// thumbnail (inside APP1) are not mistaken for the main image's. Inside entropy-coded data
/// 0xFF is always followed by 0x00 or a restart marker, so FF D9 after the scan starts can
/// only be the real end; data appended after it (phone trailers) is fine.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut pos = 2; // after SOI
    loop {
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        if bytes.get(pos) != Some(&0xFF) {
            return false;
        }
        let Some(&marker) = bytes.get(pos + 1) else {
            return false;
        };
        match marker {
            0xDA => break,
            0x01 | 0xD0..=0xD7 => pos += 2,
            _ => {
                let Some(length) = bytes.get(pos + 2..pos + 4) else {
                    return false;
                };
                pos += 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
            }
        }
    }
    bytes[pos..].windows(2).any(|w| w == [0xFF, 0xD9])
}
