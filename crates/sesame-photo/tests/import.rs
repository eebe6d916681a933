//! Import: formats, EXIF orientation, metadata stripping, and refusal of bad files.
use sesame_test_support::photos as common;

use sesame_core::ErrorCode;
use sesame_photo::image::{codecs, imageops, ImageEncoder, Rgb, RgbImage};
use sesame_photo::{import_path, import_photo, ImportLimits, PhotoError, SourceFormat};

fn code(result: Result<sesame_photo::ImportedPhoto, PhotoError>) -> &'static str {
    match result {
        Ok(photo) => panic!(
            "expected a refusal, got a {}x{} photo",
            photo.width(),
            photo.height()
        ),
        Err(e) => e.code(),
    }
}

fn jpeg_of(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(img)
        .unwrap();
    out
}

fn png_of(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            sesame_photo::image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// An EXIF APP1 segment with an orientation and a GPS latitude reference, as phones write.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend([0, 2]); // IFD0: 2 entries
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
    tiff.extend([0, 0, 0, 0]);
    tiff.extend([0, 1]); // GPS IFD: 1 entry
    tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((tiff.len() + 8) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_segment(orientation));
    out.extend(&jpeg[2..]);
    out
}

fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0") || bytes.windows(2).any(|w| w == [0xFF, 0xE1])
}

#[test]
fn png_jpeg_and_webp_photos_are_imported() {
    let astronaut = common::astronaut();
    let png = import_photo(
        &common::photo_bytes("astronaut.png"),
        &ImportLimits::default(),
    )
    .unwrap();
    assert_eq!(
        (png.width(), png.height(), png.source_format()),
        (512, 512, SourceFormat::Png)
    );
    assert_eq!(png.image(), &astronaut);

    let jpeg = import_photo(&common::photo_bytes("rocket.jpg"), &ImportLimits::default()).unwrap();
    assert_eq!(
        (jpeg.width(), jpeg.height(), jpeg.source_format()),
        (640, 427, SourceFormat::Jpeg)
    );

    let mut webp = Vec::new();
    codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(
            astronaut.as_raw(),
            512,
            512,
            sesame_photo::image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    let webp = import_photo(&webp, &ImportLimits::default()).unwrap();
    assert_eq!(webp.source_format(), SourceFormat::Webp);
    assert_eq!(webp.image(), &astronaut);
}

#[test]
fn exif_orientation_is_applied_and_all_metadata_is_dropped() {
    // A landscape picture with a red mark in its top-left corner, stored as a phone does
    // when held upright: pixels sideways plus EXIF orientation 6 (rotate 90° clockwise).
    let mut img = imageops::crop_imm(&common::astronaut(), 0, 0, 400, 300).to_image();
    for y in 0..40 {
        for x in 0..40 {
            img.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    let bytes = with_exif(&jpeg_of(&img), 6);
    assert!(has_exif(&bytes));
    let photo = import_photo(&bytes, &ImportLimits::default()).unwrap();
    assert_eq!(
        (photo.width(), photo.height()),
        (300, 400),
        "rotated upright"
    );
    assert_eq!(photo.exif_orientation(), 6);
    // Rotating 90° clockwise moves the top-left corner to the top-right.
    let corner = photo.image().get_pixel(300 - 20, 20);
    assert!(
        corner.0[0] > 200 && corner.0[1] < 60,
        "red mark at top right, got {corner:?}"
    );
    let stored = photo.to_jpeg(90).unwrap();
    assert!(!has_exif(&stored), "stored JPEG must carry no EXIF (GPS)");
    let back = import_photo(&stored, &ImportLimits::default()).unwrap();
    assert_eq!(
        (back.width(), back.height(), back.exif_orientation()),
        (300, 400, 1)
    );
}

#[test]
fn non_images_and_other_formats_are_refused_with_codes() {
    let limits = ImportLimits::default();
    assert_eq!(code(import_photo(b"", &limits)), "photo.empty");
    assert_eq!(
        code(import_photo(b"Name;Surname\nDoe;Jane\n", &limits)),
        "photo.not_an_image"
    );
    assert_eq!(
        code(import_photo(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            &limits
        )),
        "photo.not_an_image"
    );
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    assert_eq!(code(import_photo(gif, &limits)), "photo.unsupported_format");
}

#[test]
fn truncated_files_are_refused_not_half_grey() {
    let limits = ImportLimits::default();
    let jpeg = jpeg_of(&common::astronaut());
    assert_eq!(
        code(import_photo(&jpeg[..jpeg.len() / 2], &limits)),
        "photo.corrupt"
    );
    assert_eq!(
        code(import_photo(&jpeg[..jpeg.len() - 2], &limits)),
        "photo.corrupt"
    );
    // A truncated phone photo whose EXIF thumbnail is complete is still truncated.
    let with_thumbnail = with_exif(&jpeg, 1);
    assert_eq!(
        code(import_photo(
            &with_thumbnail[..with_thumbnail.len() - 100],
            &limits
        )),
        "photo.corrupt"
    );
    let png = common::photo_bytes("astronaut.png");
    assert_eq!(
        code(import_photo(&png[..png.len() / 2], &limits)),
        "photo.corrupt"
    );
    let mut webp = Vec::new();
    codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(
            common::astronaut().as_raw(),
            512,
            512,
            sesame_photo::image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    assert_eq!(
        code(import_photo(&webp[..webp.len() / 2], &limits)),
        "photo.corrupt"
    );
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A tiny PNG whose header declares `width` × `height`: a decompression bomb's signature.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = png_of(&RgbImage::new(8, 8));
    // IHDR data starts at 16 (8 signature + 4 length + 4 type); its CRC follows 13 bytes.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn decompression_bombs_are_refused_before_decoding() {
    let bomb = png_declaring(50_000, 50_000);
    assert!(bomb.len() < 200);
    let started = std::time::Instant::now();
    let err = import_photo(&bomb, &ImportLimits::default()).unwrap_err();
    assert_eq!(err.code(), "photo.too_many_pixels", "{err}");
    assert!(err.to_string().contains("50000x50000"), "{err}");
    assert!(
        started.elapsed().as_millis() < 500,
        "refused on the header, without decoding"
    );

    // Within the pixel bound but over the decoder's memory budget.
    let small_budget = ImportLimits {
        max_decoder_bytes: 100_000,
        ..ImportLimits::default()
    };
    assert_eq!(
        code(import_photo(
            &common::photo_bytes("astronaut.png"),
            &small_budget
        )),
        "photo.memory_limit"
    );
}

#[test]
fn sizes_are_bounded_on_both_sides() {
    let tiny = png_of(&RgbImage::new(60, 80));
    assert_eq!(
        code(import_photo(&tiny, &ImportLimits::default())),
        "photo.too_small"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("astronaut.png");
    std::fs::write(&path, common::photo_bytes("astronaut.png")).unwrap();
    let strict = ImportLimits {
        max_file_bytes: 10_000,
        ..ImportLimits::default()
    };
    assert_eq!(code(import_path(&path, &strict)), "photo.file_too_large");
    assert_eq!(
        code(import_path(&dir.path().join("missing.jpg"), &strict)),
        "photo.io"
    );
    assert!(import_path(&path, &ImportLimits::default()).is_ok());
}
