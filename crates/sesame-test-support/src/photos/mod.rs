//! The photo checks' test pictures (feature `photo`): scikit-image's photographs
//! (scripts/fetch-test-photos.sh), the labelled portraits (scripts/fetch-portraits.sh,
//! [`labels`]), the variants derived from them in memory ([`variants`]) and the
//! accuracy table computed over them ([`accuracy`]), shared by sesame-photo's tests,
//! benchmarks and calibration example.

pub mod accuracy;
pub mod labels;
pub mod variants;

use std::path::PathBuf;

use sesame_photo::image::{self, imageops, Rgb, RgbImage};

/// The astronaut smiles with her teeth showing: labels.csv marks skimage_astronaut.png
/// `mouth_open` and `smile`, and on the accuracy set the mouth and expression checks were
/// calibrated to refuse exactly that (closed mouths measure 0.00-0.07 and neutral faces
/// 0-1.3; she measures 0.17 and 4.7). Tests built on her picture accept these two
/// failures besides the one they are about.
pub const ASTRONAUT_SMILE: [sesame_photo::CheckId; 2] = [
    sesame_photo::CheckId::MouthClosed,
    sesame_photo::CheckId::Expression,
];

pub fn photos_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/test-photos")
}

/// A photo from scikit-image's data folder, or a failure naming the script to run.
pub fn photo(name: &str) -> RgbImage {
    let path = photos_dir().join(name);
    match image::open(&path) {
        Ok(img) => img.into_rgb8(),
        Err(e) => panic!(
            "test photo {} is missing ({e}): run scripts/fetch-test-photos.sh first",
            path.display()
        ),
    }
}

pub fn photo_bytes(name: &str) -> Vec<u8> {
    let path = photos_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "test photo {} is missing ({e}): run scripts/fetch-test-photos.sh first",
            path.display()
        )
    })
}

pub fn astronaut() -> RgbImage {
    photo("astronaut.png")
}

/// The astronaut enlarged 3×: enough pixels for the badge frame without enlarging.
pub fn astronaut_large() -> RgbImage {
    let a = astronaut();
    imageops::resize(
        &a,
        a.width() * 3,
        a.height() * 3,
        imageops::FilterType::CatmullRom,
    )
}

pub fn map_pixels(img: &RgbImage, f: impl Fn(f32) -> f32) -> RgbImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        for c in p.0.iter_mut() {
            *c = f(*c as f32).round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

pub fn blurred(img: &RgbImage, sigma: f32) -> RgbImage {
    imageops::blur(img, sigma)
}

pub fn dark(img: &RgbImage) -> RgbImage {
    map_pixels(img, |v| v * 0.25)
}

pub fn over_exposed(img: &RgbImage) -> RgbImage {
    map_pixels(img, |v| v * 1.2 + 60.0)
}

pub fn greyscale(img: &RgbImage) -> RgbImage {
    image::DynamicImage::ImageRgb8(img.clone())
        .grayscale()
        .into_rgb8()
}

/// Rotates by `degrees` (clockwise in the picture) about (cx, cy), bilinear, edges grey.
pub fn rotated(img: &RgbImage, degrees: f32, cx: f32, cy: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        // Inverse rotation: where this output pixel comes from.
        let sx = cx + dx * cos + dy * sin - 0.5;
        let sy = cy - dx * sin + dy * cos - 0.5;
        if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
            return Rgb([128, 128, 128]);
        }
        let (ix, iy) = (sx.floor() as u32, sy.floor() as u32);
        let (tx, ty) = (sx - ix as f32, sy - iy as f32);
        let mut out = [0u8; 3];
        for (c, value) in out.iter_mut().enumerate() {
            let p = |x: u32, y: u32| img.get_pixel(x, y).0[c] as f32;
            let v = (p(ix, iy) * (1.0 - tx) + p(ix + 1, iy) * tx) * (1.0 - ty)
                + (p(ix, iy + 1) * (1.0 - tx) + p(ix + 1, iy + 1) * tx) * ty;
            *value = v.round() as u8;
        }
        Rgb(out)
    })
}

/// The picture cut so that the face sits near the left edge.
pub fn off_centre(img: &RgbImage, cut_left: u32) -> RgbImage {
    imageops::crop_imm(img, cut_left, 0, img.width() - cut_left, img.height()).to_image()
}

/// Two copies side by side: two people in one photo.
pub fn side_by_side(img: &RgbImage) -> RgbImage {
    let mut out = RgbImage::new(img.width() * 2, img.height());
    imageops::replace(&mut out, img, 0, 0);
    imageops::replace(
        &mut out,
        &imageops::flip_horizontal(img),
        img.width() as i64,
        0,
    );
    out
}

/// Replaces the backdrop around the head (outside an ellipse over head and hair, above the
/// shoulders) with another, busy photograph.
pub fn busy_background(
    img: &RgbImage,
    clutter: &RgbImage,
    head: (f32, f32),
    semi: (f32, f32),
    above_y: u32,
) -> RgbImage {
    let clutter = imageops::resize(
        clutter,
        img.width(),
        img.height(),
        imageops::FilterType::Triangle,
    );
    let mut out = img.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let inside =
            ((x as f32 - head.0) / semi.0).powi(2) + ((y as f32 - head.1) / semi.1).powi(2) <= 1.0;
        if !inside && y < above_y {
            *p = *clutter.get_pixel(x, y);
        }
    }
    out
}

/// A close-up: the picture cut tight around the face, as when the person leans in.
pub fn too_close(large_astronaut: &RgbImage) -> RgbImage {
    imageops::crop_imm(large_astronaut, 470, 150, 420, 500).to_image()
}
