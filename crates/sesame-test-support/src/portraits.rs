//! Real portraits for the photo tests (feature `photo`): the labelled photographs
//! `scripts/fetch-portraits.sh` fetches from the package registries into
//! `.cache/portraits/` (never committed: see `crates/sesame-photo/tests/portraits/`),
//! and the acceptable ID portrait derived from one of them in memory.

use std::path::PathBuf;
use std::sync::OnceLock;

use sesame_photo::image::{self, imageops, GrayImage, Rgb, RgbImage};
use sesame_photo::{import_path, ImportLimits, PhotoEngine, PhotoRules};

/// Where `scripts/fetch-portraits.sh` puts the portraits.
pub fn portraits_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/portraits")
}

/// A fetched portrait, by file name; panics naming the script when it is missing.
pub fn portrait_path(file: &str) -> PathBuf {
    let path = portraits_dir().join(file);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-portraits.sh",
        path.display()
    );
    path
}

/// The wall of a photo booth: light, a soft vertical fall-off and a little sensor noise
/// (a perfectly flat colour would be too easy for the checks).
pub fn backdrop(width: u32, height: u32, colour: [f32; 3]) -> RgbImage {
    let mut seed = 0x2545_f491_u32;
    RgbImage::from_fn(width, height, |_, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 5) as f32 - 2.0;
        let falloff = 1.0 - 0.06 * (y as f32 / height as f32);
        Rgb(colour.map(|c| (c * falloff + noise).round().clamp(0.0, 255.0) as u8))
    })
}

/// The person of `image` over `background` (resized to fit), blended by the person mask.
pub fn composite(image: &RgbImage, mask: &GrayImage, background: &RgbImage) -> RgbImage {
    let background = if background.dimensions() == image.dimensions() {
        background.clone()
    } else {
        imageops::resize(
            background,
            image.width(),
            image.height(),
            imageops::FilterType::Triangle,
        )
    };
    let mut out = background;
    for ((o, p), m) in out.pixels_mut().zip(image.pixels()).zip(mask.pixels()) {
        // A slightly harder edge than the mask's own ramp, so the old backdrop does not
        // show through around the hair.
        let alpha = ((m.0[0] as f32 / 255.0 - 0.4) / 0.3).clamp(0.0, 1.0);
        for c in 0..3 {
            o.0[c] = (p.0[c] as f32 * alpha + o.0[c] as f32 * (1.0 - alpha)).round() as u8;
        }
    }
    out
}

/// The backdrop colour of the acceptable portrait: a photo booth's off-white.
pub const WHITE: [f32; 3] = [236.0, 236.0, 232.0];

/// An acceptable ID portrait: `thumbor_giunchedi.jpg` (frontal, neutral, evenly lit)
/// put on a plain light backdrop with the segmentation's person mask, enlarged 2.5× so
/// the badge crop needs no enlarging. Made once per test process.
pub fn acceptable_portrait() -> RgbImage {
    static PORTRAIT: OnceLock<RgbImage> = OnceLock::new();
    PORTRAIT
        .get_or_init(|| {
            let engine = PhotoEngine::global().expect("the face models load");
            let photo = import_path(
                &portrait_path("thumbor_giunchedi.jpg"),
                &ImportLimits::default(),
            )
            .expect("the portrait imports");
            let original = photo.image();
            let mask = engine.person_mask(original).expect("the person mask");
            let plain = composite(
                original,
                &mask,
                &backdrop(original.width(), original.height(), WHITE),
            );
            imageops::resize(
                &plain,
                plain.width() * 5 / 2,
                plain.height() * 5 / 2,
                imageops::FilterType::CatmullRom,
            )
        })
        .clone()
}

/// The acceptable portrait as a JPEG file's bytes (an imported photo).
pub fn acceptable_portrait_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&acceptable_portrait())
        .expect("a JPEG encodes in memory");
    out
}

/// The acceptable portrait as a 1280 × 720 webcam frame: the person centred, the head
/// about half the frame's height, as at the desk.
pub fn acceptable_webcam_frame() -> RgbImage {
    let engine = PhotoEngine::global().expect("the face models load");
    let portrait = acceptable_portrait();
    let report = engine
        .check_image(&portrait, &PhotoRules::default())
        .expect("checks run");
    let head = report.landmarks.expect("the portrait has a face").head_box;
    let k = 420.0 / head.height;
    let small = imageops::resize(
        &portrait,
        (portrait.width() as f64 * k) as u32,
        (portrait.height() as f64 * k) as u32,
        imageops::FilterType::Triangle,
    );
    let (cx, top) = ((head.x + head.width / 2.0) * k, head.y * k);
    let mut canvas = backdrop(1280, 720, WHITE);
    imageops::replace(
        &mut canvas,
        &small,
        (640.0 - cx) as i64,
        (90.0 - top) as i64,
    );
    canvas
}
