//! Reads what a PDF image dictionary needs from a JPEG's own markers, so the file
//! can be embedded byte for byte (`/DCTDecode`) without decoding it.

/// Colour layout of a JPEG, from its frame header (and Adobe APP14 marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegColour {
    Grey,
    Rgb,
    /// `inverted` is set for Adobe (Photoshop) CMYK files, whose samples are stored
    /// inverted and need `/Decode [1 0 1 0 1 0 1 0]`.
    Cmyk {
        inverted: bool,
    },
}

/// Size and colour layout of a JPEG, read from its SOF marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    pub colour: JpegColour,
}

/// Why a byte string cannot be passed through as a PDF `/DCTDecode` image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JpegProblem {
    NotJpeg,
    Truncated,
    /// Arithmetic coding, lossless or 12-bit JPEGs, which PDF readers do not decode.
    Unsupported(String),
}

impl std::fmt::Display for JpegProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JpegProblem::NotJpeg => f.write_str("the data does not start with a JPEG SOI marker"),
            JpegProblem::Truncated => f.write_str("the JPEG ends before its frame header"),
            JpegProblem::Unsupported(why) => f.write_str(why),
        }
    }
}

/// Walks the marker segments up to the first start-of-frame.
pub fn read_jpeg_info(bytes: &[u8]) -> Result<JpegInfo, JpegProblem> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err(JpegProblem::NotJpeg);
    }
    let mut adobe_transform: Option<u8> = None;
    let mut pos = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while pos < bytes.len() && bytes[pos] == 0xFF {
            pos += 1;
        }
        let marker = *bytes.get(pos).ok_or(JpegProblem::Truncated)?;
        pos += 1;
        match marker {
            // Stand-alone markers carry no length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err(JpegProblem::Truncated),
            _ => {}
        }
        let len = u16::from_be_bytes([
            *bytes.get(pos).ok_or(JpegProblem::Truncated)?,
            *bytes.get(pos + 1).ok_or(JpegProblem::Truncated)?,
        ]) as usize;
        if len < 2 || pos + len > bytes.len() {
            return Err(JpegProblem::Truncated);
        }
        let segment = &bytes[pos + 2..pos + len];
        match marker {
            0xEE if segment.len() >= 12 && segment.starts_with(b"Adobe") => {
                adobe_transform = Some(segment[11]);
            }
            0xC0..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => {
                return frame_info(marker, segment, adobe_transform);
            }
            _ => {}
        }
        pos += len;
    }
}

fn frame_info(
    marker: u8,
    segment: &[u8],
    adobe_transform: Option<u8>,
) -> Result<JpegInfo, JpegProblem> {
    match marker {
        0xC0..=0xC2 => {}
        0xC3 | 0xC7 | 0xCB | 0xCF => {
            return Err(JpegProblem::Unsupported(
                "lossless JPEG is not supported by PDF readers".into(),
            ))
        }
        _ => {
            return Err(JpegProblem::Unsupported(
                "arithmetic-coded or hierarchical JPEG is not supported by PDF readers".into(),
            ))
        }
    }
    if segment.len() < 6 {
        return Err(JpegProblem::Truncated);
    }
    let precision = segment[0];
    if precision != 8 {
        return Err(JpegProblem::Unsupported(format!(
            "{precision}-bit JPEG samples are not supported (8-bit only)"
        )));
    }
    let height = u16::from_be_bytes([segment[1], segment[2]]) as u32;
    let width = u16::from_be_bytes([segment[3], segment[4]]) as u32;
    if width == 0 || height == 0 {
        return Err(JpegProblem::Unsupported(
            "the JPEG declares a zero width or height".into(),
        ));
    }
    let colour = match segment[5] {
        1 => JpegColour::Grey,
        3 => JpegColour::Rgb,
        4 => JpegColour::Cmyk {
            inverted: adobe_transform.is_some(),
        },
        n => {
            return Err(JpegProblem::Unsupported(format!(
                "JPEG with {n} colour components (1, 3 or 4 expected)"
            )))
        }
    };
    Ok(JpegInfo {
        width,
        height,
        colour,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(colour: image::ExtendedColorType, width: u32, height: u32) -> Vec<u8> {
        let channels = match colour {
            image::ExtendedColorType::L8 => 1,
            _ => 3,
        };
        let pixels = vec![128u8; (width * height * channels) as usize];
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode(&pixels, width, height, colour)
            .unwrap();
        out
    }

    #[test]
    fn reads_size_and_components_of_rgb_and_grey_files() {
        let rgb = read_jpeg_info(&encode(image::ExtendedColorType::Rgb8, 60, 80)).unwrap();
        assert_eq!(
            (rgb.width, rgb.height, rgb.colour),
            (60, 80, JpegColour::Rgb)
        );
        let grey = read_jpeg_info(&encode(image::ExtendedColorType::L8, 33, 17)).unwrap();
        assert_eq!(
            (grey.width, grey.height, grey.colour),
            (33, 17, JpegColour::Grey)
        );
    }

    #[test]
    fn reads_adobe_cmyk_frame_header() {
        // SOI, APP14 "Adobe" (transform 0), SOF0 with 4 components, then EOI.
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xEE, 0x00, 0x0E];
        bytes.extend_from_slice(b"Adobe\x00\x64\x00\x00\x00\x00\x00");
        bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x14, 8, 0x00, 0x20, 0x00, 0x10, 4]);
        bytes.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        let info = read_jpeg_info(&bytes).unwrap();
        assert_eq!((info.width, info.height), (16, 32));
        assert_eq!(info.colour, JpegColour::Cmyk { inverted: true });
    }

    #[test]
    fn rejects_non_jpeg_and_truncated_data() {
        assert_eq!(
            read_jpeg_info(b"\x89PNG\r\n\x1a\n"),
            Err(JpegProblem::NotJpeg)
        );
        let full = encode(image::ExtendedColorType::Rgb8, 8, 8);
        assert_eq!(read_jpeg_info(&full[..20]), Err(JpegProblem::Truncated));
    }
}
