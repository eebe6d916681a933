//! Pictures derived in memory from the labelled portraits (never written to the
//! repository): acceptable portraits made by putting a frontal, neutral portrait on a
//! plain light background with the segmentation's person mask, and faults derived from
//! those. Eyes closed, smiles, open mouths, head turns, glasses and head coverings are
//! never painted: they come from the real photographs only.

use sesame_photo::image::{self, imageops, GrayImage, Rgb, RgbImage};
use sesame_photo::{ImportLimits, ImportedPhoto, PhotoEngine, PhotoReport, PhotoRules};

use super::labels::{Label, Labels, Portrait};
use crate::portraits::{backdrop, composite, WHITE};

/// One derived picture and what it should show.
pub struct Derived {
    pub name: String,
    pub photo: ImportedPhoto,
    pub labels: Labels,
    /// A plain, frontal, well-lit portrait: it must not be refused.
    pub acceptable: bool,
}

fn map_rgb(img: &RgbImage, f: impl Fn(u32, u32, [f32; 3]) -> [f32; 3]) -> RgbImage {
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let p = img.get_pixel(x, y).0.map(f32::from);
        Rgb(f(x, y, p).map(|v| v.round().clamp(0.0, 255.0) as u8))
    })
}

fn luma(p: [f32; 3]) -> f32 {
    0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
}

fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

fn import(bytes: &[u8]) -> ImportedPhoto {
    sesame_photo::import_photo(bytes, &ImportLimits::default()).unwrap()
}

/// A JPEG whose EXIF says to turn it (`orientation` 3, 6 or 8) while its pixels stay
/// as they are: the importer must apply it.
fn with_exif_orientation(img: &RgbImage, orientation: u8) -> Vec<u8> {
    let plain = jpeg(img, 95);
    let tiff: [u8; 26] = [
        b'M',
        b'M',
        0,
        0x2a,
        0,
        0,
        0,
        8,
        0,
        1,
        0x01,
        0x12,
        0,
        3,
        0,
        0,
        0,
        1,
        0,
        orientation,
        0,
        0,
        0,
        0,
        0,
        0,
    ];
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((tiff.len() + 8) as u16).to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out.extend(&plain[2..]);
    out
}

/// Horizontal motion blur over `length` pixels.
fn motion_blur(img: &RgbImage, length: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    let half = (length / 2) as i64;
    RgbImage::from_fn(w, h, |x, y| {
        let mut sum = [0.0f32; 3];
        let mut n = 0.0;
        for dx in -half..=half {
            let sx = (x as i64 + dx).clamp(0, w as i64 - 1) as u32;
            let p = img.get_pixel(sx, y).0;
            for c in 0..3 {
                sum[c] += p[c] as f32;
            }
            n += 1.0;
        }
        Rgb(sum.map(|s| (s / n).round() as u8))
    })
}

/// Rotates by `degrees` clockwise about the picture's centre, the corners filled with
/// the nearest edge colour.
fn rotated(img: &RgbImage, degrees: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
        let sx = (cx + dx * cos + dy * sin - 0.5).clamp(0.0, (w - 1) as f32);
        let sy = (cy - dx * sin + dy * cos - 0.5).clamp(0.0, (h - 1) as f32);
        *img.get_pixel(sx.round() as u32, sy.round() as u32)
    })
}

/// `img` placed on a `width` × `height` canvas of `fill` at (x, y), cut by the canvas.
fn placed(img: &RgbImage, canvas: RgbImage, x: i64, y: i64) -> RgbImage {
    let mut canvas = canvas;
    imageops::replace(&mut canvas, img, x, y);
    canvas
}

/// Pastes `face` (a head cut from another photo) with a soft elliptic edge, centred at
/// (cx, cy), `height` pixels high.
fn paste_face(img: &RgbImage, face: &RgbImage, cx: f32, cy: f32, height: f32) -> RgbImage {
    let scale = height / face.height() as f32;
    let (fw, fh) = (
        (face.width() as f32 * scale).max(4.0) as u32,
        height.max(4.0) as u32,
    );
    let small = imageops::resize(face, fw, fh, imageops::FilterType::Triangle);
    let mut out = img.clone();
    let (x0, y0) = (cx - fw as f32 / 2.0, cy - fh as f32 / 2.0);
    for (x, y, p) in small.enumerate_pixels() {
        let (u, v) = (
            (x as f32 + 0.5) / fw as f32 * 2.0 - 1.0,
            (y as f32 + 0.5) / fh as f32 * 2.0 - 1.0,
        );
        let r = (u * u + v * v).sqrt();
        let alpha = ((1.0 - r) / 0.15).clamp(0.0, 1.0);
        let (tx, ty) = ((x0 + x as f32) as i64, (y0 + y as f32) as i64);
        if alpha <= 0.0 || tx < 0 || ty < 0 || tx >= img.width() as i64 || ty >= img.height() as i64
        {
            continue;
        }
        let o = out.get_pixel_mut(tx as u32, ty as u32);
        for c in 0..3 {
            o.0[c] = (p.0[c] as f32 * alpha + o.0[c] as f32 * (1.0 - alpha)).round() as u8;
        }
    }
    out
}

/// The head of a portrait, cut around the report's head box with a margin.
fn head_of(img: &RgbImage, report: &PhotoReport) -> RgbImage {
    let b = report
        .landmarks
        .as_ref()
        .expect("the donor has a face")
        .head_box;
    let margin = 0.1 * b.height;
    let x = (b.x - margin).max(0.0) as u32;
    let y = (b.y - margin).max(0.0) as u32;
    let w = ((b.width + 2.0 * margin) as u32).min(img.width() - x);
    let h = ((b.height + 2.0 * margin) as u32).min(img.height() - y);
    imageops::crop_imm(img, x, y, w, h).to_image()
}

struct Base {
    name: &'static str,
    image: RgbImage,
    mask: GrayImage,
    report: PhotoReport,
    labels: Labels,
    background: [f32; 3],
}

impl Base {
    fn derive(&self, what: &str, image: RgbImage, labels: Labels) -> Derived {
        Derived {
            name: format!("{} {what}", self.name),
            photo: ImportedPhoto::from_image(image),
            labels,
            acceptable: false,
        }
    }
    fn derive_file(&self, what: &str, bytes: &[u8], labels: Labels) -> Derived {
        Derived {
            name: format!("{} {what}", self.name),
            photo: import(bytes),
            labels,
            acceptable: false,
        }
    }
    fn labels(&self) -> Labels {
        self.labels.clone()
    }
    fn face_centre(&self) -> (f32, f32) {
        let b = self
            .report
            .landmarks
            .as_ref()
            .expect("the base has a face")
            .head_box;
        ((b.x + b.width / 2.0) as f32, (b.y + b.height / 2.0) as f32)
    }
    fn head(&self) -> (f32, f32) {
        let b = self.report.landmarks.as_ref().unwrap().head_box;
        (b.y as f32, (b.y + b.height) as f32)
    }
    fn plain(&self, colour: [f32; 3]) -> RgbImage {
        composite(
            &self.image,
            &self.mask,
            &backdrop(self.image.width(), self.image.height(), colour),
        )
    }
}

const LIGHT_GREY: [f32; 3] = [206.0, 206.0, 204.0];
const LIGHT_BLUE: [f32; 3] = [200.0, 214.0, 234.0];
const DARK_GREY: [f32; 3] = [58.0, 58.0, 60.0];

/// A base: the portrait put on a plain light background, checked once so that the
/// derivations know where the face is.
fn base(engine: &PhotoEngine, name: &'static str, portrait: &Portrait, colour: [f32; 3]) -> Base {
    let photo = portrait.import();
    let original = photo.image();
    let mask = engine.person_mask(original).unwrap();
    let image = composite(
        original,
        &mask,
        &backdrop(original.width(), original.height(), colour),
    );
    let report = engine
        .check_image(&image, &PhotoRules::default())
        .expect("checks run");
    let mut labels = portrait
        .labels
        .clone()
        .with("busy_background", Label::No)
        .with("dark_background", Label::No)
        .with("several_faces", Label::No);
    // "Small" in labels.csv also means a face small in a wide frame, which the crop
    // fixes: a base that merely needs its crop enlarged is not faulty for the size checks
    // (they warn), nor clean.
    if labels.get("small_face") == Label::Yes {
        labels.set("small_face", Label::Unclear);
    }
    Base {
        name,
        image,
        mask,
        report,
        labels,
        background: colour,
    }
}

/// Every derived picture: the acceptable bases first, then the faults.
pub fn derived(engine: &PhotoEngine, giunchedi: &Portrait, hopper: &Portrait) -> Vec<Derived> {
    use Label::{No, Unclear, Yes};
    let g = base(engine, "giunchedi plain", giunchedi, WHITE);
    let h = base(engine, "hopper plain", hopper, WHITE);
    let mut out = Vec::new();
    let acceptable = |name: String, image: RgbImage, labels: Labels| Derived {
        name,
        photo: ImportedPhoto::from_image(image),
        labels,
        acceptable: true,
    };

    // Acceptable: plain light backgrounds of three colours, mirrored, and enlarged.
    out.push(acceptable(g.name.into(), g.image.clone(), g.labels()));
    out.push(acceptable(
        "giunchedi plain grey".into(),
        g.plain(LIGHT_GREY),
        g.labels(),
    ));
    out.push(acceptable(
        "giunchedi plain blue".into(),
        g.plain(LIGHT_BLUE),
        g.labels(),
    ));
    out.push(acceptable(
        "giunchedi plain mirrored".into(),
        imageops::flip_horizontal(&g.image),
        g.labels(),
    ));
    out.push(acceptable(
        "giunchedi plain x2.5".into(),
        imageops::resize(
            &g.image,
            g.image.width() * 5 / 2,
            g.image.height() * 5 / 2,
            imageops::FilterType::CatmullRom,
        ),
        // Enough pixels, but no more detail than the original: neither small nor large.
        g.labels().with("small_face", Unclear),
    ));
    out.push(acceptable(h.name.into(), h.image.clone(), h.labels()));
    out.push(acceptable(
        "hopper plain mirrored".into(),
        imageops::flip_horizontal(&h.image),
        h.labels(),
    ));

    // Blur.
    for (sigma, label) in [(1.0, Unclear), (2.0, Yes), (4.0, Yes), (8.0, Yes)] {
        out.push(g.derive(
            &format!("blur {sigma}"),
            imageops::blur(&g.image, sigma),
            g.labels().with("blurred", label),
        ));
    }
    out.push(g.derive(
        "motion blur 15",
        motion_blur(&g.image, 15),
        g.labels().with("blurred", Yes),
    ));
    out.push(h.derive(
        "blur 4",
        imageops::blur(&h.image, 4.0),
        h.labels().with("blurred", Yes),
    ));

    // Exposure.
    // A gain darkens the backdrop too: at 0.3 it is dark, at 0.55 borderline.
    for (gain, fault, label, backdrop) in [
        (0.3, "too_dark", Yes, Yes),
        (0.55, "too_dark", Unclear, Unclear),
        (1.7, "too_bright", Yes, No),
        (2.5, "too_bright", Yes, No),
    ] {
        out.push(
            g.derive(
                &format!("gain {gain}"),
                map_rgb(&g.image, |_, _, p| p.map(|v| v * gain)),
                g.labels()
                    .with(fault, label)
                    .with("dark_background", backdrop),
            ),
        );
    }
    for (gamma, fault, label) in [(0.5, "too_bright", Unclear), (2.2, "too_dark", Yes)] {
        out.push(g.derive(
            &format!("gamma {gamma}"),
            map_rgb(&g.image, |_, _, p| {
                p.map(|v| 255.0 * (v / 255.0).powf(gamma))
            }),
            g.labels().with(fault, label),
        ));
    }
    out.push(
        h.derive(
            "gain 0.3",
            map_rgb(&h.image, |_, _, p| p.map(|v| v * 0.3)),
            h.labels()
                .with("too_dark", Yes)
                .with("dark_background", Yes),
        ),
    );

    // Uneven light.
    let w = g.image.width() as f32;
    let (fx, fy) = g.face_centre();
    let (top, bottom) = g.head();
    // From 1.0 to 0.35 across the face (a lamp on one side only), darkening the side
    // that is already the darker one in the original.
    let face_width = 0.8 * (bottom - top);
    // The light falls on the person only: the backdrop stays as plain as it was.
    let on_person = |x: u32, y: u32, p: [f32; 3], k: f32| {
        let alpha = g.mask.get_pixel(x, y).0[0] as f32 / 255.0;
        p.map(|v| v * (alpha * k + 1.0 - alpha))
    };
    out.push(g.derive(
        "ramp 1.0-0.35 across the face",
        map_rgb(&g.image, |x, y, p| {
            let t = ((x as f32 - (fx - face_width / 2.0)) / face_width).clamp(0.0, 1.0);
            on_person(x, y, p, 1.0 - 0.65 * t)
        }),
        g.labels().with("uneven_light", Yes),
    ));
    out.push(g.derive(
        "side light",
        map_rgb(&g.image, |x, y, p| {
            // A lamp at the picture's left, level with the face.
            let d = ((x as f32 - (fx - 0.4 * w)).powi(2) + (y as f32 - fy).powi(2)).sqrt();
            on_person(x, y, p, (1.3 - d / (0.6 * w)).clamp(0.3, 1.2))
        }),
        g.labels().with("uneven_light", Yes),
    ));

    // Greyscale and near-greyscale.
    let grey = map_rgb(&g.image, |_, _, p| [luma(p); 3]);
    out.push(g.derive("greyscale", grey.clone(), g.labels().with("greyscale", Yes)));
    {
        let one_channel = image::DynamicImage::ImageRgb8(g.image.clone()).into_luma8();
        let mut bytes = Vec::new();
        one_channel
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        out.push(g.derive_file(
            "greyscale one channel",
            &bytes,
            g.labels().with("greyscale", Yes),
        ));
    }
    out.push(g.derive(
        "sepia",
        map_rgb(&g.image, |_, _, p| {
            let l = luma(p);
            [l * 1.07 + 8.0, l * 0.93 + 4.0, l * 0.72]
        }),
        g.labels().with("greyscale", Yes),
    ));
    out.push(g.derive(
        "saturation 0.1",
        map_rgb(&g.image, |_, _, p| {
            let l = luma(p);
            p.map(|v| l + 0.1 * (v - l))
        }),
        g.labels().with("greyscale", Yes),
    ));
    out.push(h.derive(
        "greyscale",
        map_rgb(&h.image, |_, _, p| [luma(p); 3]),
        h.labels().with("greyscale", Yes),
    ));

    // JPEG re-encoding (imported as files, so compression is judged).
    for (quality, label) in [(5, Yes), (10, Yes), (20, Unclear)] {
        out.push(g.derive_file(
            &format!("jpeg q{quality}"),
            &jpeg(&g.image, quality),
            g.labels().with("compressed", label),
        ));
    }
    {
        let mut again = g.image.clone();
        for _ in 0..5 {
            again = image::load_from_memory(&jpeg(&again, 30))
                .unwrap()
                .into_rgb8();
        }
        out.push(g.derive_file(
            "jpeg 5 x q30",
            &jpeg(&again, 95),
            g.labels().with("compressed", Unclear),
        ));
    }
    out.push(g.derive_file("jpeg q92", &jpeg(&g.image, 92), g.labels()));
    out.push(h.derive_file(
        "jpeg q10",
        &jpeg(&h.image, 10),
        h.labels().with("compressed", Yes),
    ));

    // Resolution: shrunk until the face is 60 or 100 px high, then enlarged back.
    for (face_px, label) in [(60.0, Yes), (100.0, Unclear)] {
        let k = face_px / (bottom - top);
        let small = imageops::resize(
            &g.image,
            (g.image.width() as f32 * k) as u32,
            (g.image.height() as f32 * k) as u32,
            imageops::FilterType::Triangle,
        );
        out.push(g.derive(
            &format!("face {face_px} px enlarged"),
            imageops::resize(
                &small,
                g.image.width(),
                g.image.height(),
                imageops::FilterType::Triangle,
            ),
            g.labels().with("blurred", label),
        ));
    }

    // Roll: pixels rotated, and EXIF orientations the importer applies.
    for (degrees, label) in [
        (5.0, No),
        (10.0, Unclear),
        (20.0, Yes),
        (45.0, Yes),
        (-20.0, Yes),
    ] {
        out.push(g.derive(
            &format!("roll {degrees}"),
            rotated(&g.image, degrees),
            g.labels().with("roll_tilted", label),
        ));
    }
    out.push(g.derive(
        "roll 90",
        imageops::rotate90(&g.image),
        g.labels().with("roll_tilted", Yes),
    ));
    out.push(g.derive(
        "roll 180",
        imageops::rotate180(&g.image),
        g.labels().with("roll_tilted", Yes),
    ));
    out.push(h.derive(
        "roll 20",
        rotated(&h.image, 20.0),
        h.labels().with("roll_tilted", Yes),
    ));
    for orientation in [3u8, 6, 8] {
        out.push(g.derive_file(
            &format!("exif orientation {orientation}"),
            &with_exif_orientation(&g.image, orientation),
            g.labels().with("roll_tilted", Yes),
        ));
    }

    // Framing.
    let canvas = |width: u32, height: u32| backdrop(width, height, g.background);
    for at in [0.15f32, 0.85] {
        let dx = (at * w - fx) as i64;
        out.push(g.derive(
            &format!("face at {}% of the width", (at * 100.0) as u32),
            placed(&g.image, canvas(g.image.width(), g.image.height()), dx, 0),
            g.labels().with("off_centre", Yes),
        ));
    }
    {
        // Pushed against the left edge: half the head out of the picture.
        let dx = (-fx) as i64;
        out.push(g.derive(
            "face cut at the edge",
            placed(&g.image, canvas(g.image.width(), g.image.height()), dx, 0),
            g.labels().with("off_centre", Yes).with("face_cut_off", Yes),
        ));
    }
    {
        let cut = (top + 0.3 * (bottom - top)) as u32;
        out.push(
            g.derive(
                "crown cut",
                imageops::crop_imm(&g.image, 0, cut, g.image.width(), g.image.height() - cut)
                    .to_image(),
                g.labels().with("face_cut_off", Yes),
            ),
        );
        let keep = (top + 0.82 * (bottom - top)) as u32;
        out.push(g.derive(
            "chin cut",
            imageops::crop_imm(&g.image, 0, 0, g.image.width(), keep).to_image(),
            g.labels().with("face_cut_off", Yes),
        ));
    }
    {
        // Zoomed out: the face a tenth of the picture's height.
        let k = 0.1 * g.image.height() as f32 / (bottom - top);
        let small = imageops::resize(
            &g.image,
            (g.image.width() as f32 * k) as u32,
            (g.image.height() as f32 * k) as u32,
            imageops::FilterType::Triangle,
        );
        let (cw, ch) = (g.image.width(), g.image.height());
        let x = (cw - small.width()) as i64 / 2;
        let y = (ch - small.height()) as i64;
        out.push(g.derive(
            "zoomed out",
            placed(&small, canvas(cw, ch), x, y),
            g.labels().with("small_face", Yes),
        ));
    }

    // A second face: another portrait's head pasted beside or behind.
    let donor_g = head_of(&h.image, &h.report);
    let donor_h = head_of(&g.image, &g.report);
    let head_height = bottom - top;
    for (k, place) in [
        (1.0, "beside"),
        (0.7, "beside"),
        (0.4, "beside"),
        (0.22, "in a corner"),
    ] {
        let (cx, cy) = if place == "beside" {
            (fx + 0.75 * head_height + 0.5 * k * head_height, fy)
        } else {
            (w - 0.2 * head_height, 0.2 * head_height)
        };
        out.push(g.derive(
            &format!("second face {}% {place}", (k * 100.0) as u32),
            paste_face(&g.image, &donor_g, cx, cy, k * head_height),
            g.labels().with("several_faces", Yes),
        ));
    }
    {
        // Hopper's picture is narrow: a smaller face, high in the corner beside her.
        let (ht, hb) = h.head();
        let k = 0.3 * (hb - ht);
        out.push(h.derive(
            "second face 30% beside",
            paste_face(
                &h.image,
                &donor_h,
                h.image.width() as f32 - 0.45 * k,
                ht + 0.5 * k,
                k,
            ),
            h.labels().with("several_faces", Yes),
        ));
    }

    // Backgrounds: busy scenes and a dark backdrop pasted behind the person.
    for scene in ["coffee.png", "chelsea.png"] {
        let clutter = super::photo(scene);
        // The scene is as dark as it is: only its clutter is scored.
        out.push(
            g.derive(
                &format!("busy background {scene}"),
                composite(&g.image, &g.mask, &clutter),
                g.labels()
                    .with("busy_background", Yes)
                    .with("dark_background", Unclear),
            ),
        );
    }
    out.push(
        h.derive(
            "busy background coffee.png",
            composite(&h.image, &h.mask, &super::photo("coffee.png")),
            h.labels()
                .with("busy_background", Yes)
                .with("dark_background", Unclear),
        ),
    );
    out.push(g.derive(
        "dark background",
        g.plain(DARK_GREY),
        g.labels().with("dark_background", Yes),
    ));
    out.push(h.derive(
        "dark background",
        h.plain(DARK_GREY),
        h.labels().with("dark_background", Yes),
    ));
    out
}
