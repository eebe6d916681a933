//! Image XObjects: photos and JPEG logos embedded as their own bytes (`/DCTDecode`,
//! never decoded), PNG logos as compressed samples with their alpha as a soft mask.

use std::io::Write;

use super::file::{deflate, ObjectId, PdfFile};
use crate::error::PrintError;
use crate::jpeg::{JpegColour, JpegInfo};
use crate::template::ImageAsset;

pub(crate) fn write_jpeg<W: Write>(
    file: &mut PdfFile<W>,
    info: JpegInfo,
    bytes: &[u8],
) -> Result<ObjectId, PrintError> {
    let (colour_space, decode) = match info.colour {
        JpegColour::Grey => ("DeviceGray", ""),
        JpegColour::Rgb => ("DeviceRGB", ""),
        JpegColour::Cmyk { inverted: false } => ("DeviceCMYK", ""),
        JpegColour::Cmyk { inverted: true } => ("DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"),
    };
    let id = file.reserve();
    file.stream(
        id,
        &format!(
            "{} /ColorSpace /{colour_space}{decode} /Filter /DCTDecode",
            image_entries(info.width, info.height)
        ),
        bytes,
    )?;
    Ok(id)
}

pub(crate) fn write_asset<W: Write>(
    file: &mut PdfFile<W>,
    asset: &ImageAsset,
) -> Result<ObjectId, PrintError> {
    match asset {
        ImageAsset::Jpeg { bytes, info } => write_jpeg(file, *info, bytes),
        ImageAsset::Pixels {
            width,
            height,
            rgb,
            alpha,
        } => {
            let mask = match alpha {
                Some(alpha) => {
                    let id = write_samples(file, (*width, *height), "DeviceGray", "", alpha)?;
                    format!(" /SMask {id} 0 R")
                }
                None => String::new(),
            };
            write_samples(file, (*width, *height), "DeviceRGB", &mask, rgb)
        }
    }
}

/// Decoded 8-bit samples, Flate-compressed; `extra` entries (a soft mask) as given.
fn write_samples<W: Write>(
    file: &mut PdfFile<W>,
    (width, height): (u32, u32),
    colour_space: &str,
    extra: &str,
    samples: &[u8],
) -> Result<ObjectId, PrintError> {
    let id = file.reserve();
    file.stream(
        id,
        &format!(
            "{} /ColorSpace /{colour_space}{extra} /Filter /FlateDecode",
            image_entries(width, height)
        ),
        &deflate(samples)?,
    )?;
    Ok(id)
}

fn image_entries(width: u32, height: u32) -> String {
    format!(" /Type /XObject /Subtype /Image /Width {width} /Height {height} /BitsPerComponent 8")
}
