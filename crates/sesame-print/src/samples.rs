//! Sample holders and photos: what a preview shows before a real request is chosen,
//! and what the print benchmark and examples render. Synthetic, so they carry no one's
//! personal data.

use std::sync::Arc;

use chrono::NaiveDate;
use image::{Rgb, RgbImage};

use crate::BadgeCard;

/// A face-like ID photo (background, shoulders, face, hair, eyes), as a JPEG.
pub fn sample_photo(width: u32, height: u32, seed: u32, quality: u8) -> Vec<u8> {
    let mut img = RgbImage::new(width, height);
    let (w, h) = (width as f32, height as f32);
    let hue = (seed * 53 % 255) as f32 / 255.0;
    for (x, y, px) in img.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        // Soft background gradient, tinted per seed.
        let mut c = [
            180.0 + 50.0 * fy + 20.0 * hue,
            190.0 + 40.0 * fy,
            205.0 + 30.0 * (1.0 - fy) - 30.0 * hue,
        ];
        let face = ((fx - 0.5) / 0.24).powi(2) + ((fy - 0.42) / 0.26).powi(2);
        let hair = ((fx - 0.5) / 0.27).powi(2) + ((fy - 0.33) / 0.22).powi(2);
        let shoulders = ((fx - 0.5) / 0.5).powi(2) + ((fy - 1.05) / 0.3).powi(2);
        if shoulders < 1.0 {
            c = [40.0 + 120.0 * hue, 60.0, 110.0 - 60.0 * hue];
        }
        if hair < 1.0 && fy < 0.36 {
            c = [70.0 + 60.0 * hue, 45.0, 30.0];
        }
        if face < 1.0 && !(hair < 1.0 && fy < 0.3) {
            let shade = 1.0 - 0.25 * face;
            c = [225.0 * shade, 185.0 * shade, 160.0 * shade];
            for eye_x in [0.41, 0.59] {
                if ((fx - eye_x) / 0.03).powi(2) + ((fy - 0.4) / 0.018).powi(2) < 1.0 {
                    c = [40.0, 40.0, 50.0];
                }
            }
            if ((fx - 0.5) / 0.07).powi(2) + ((fy - 0.53) / 0.015).powi(2) < 1.0 {
                c = [170.0, 80.0, 80.0];
            }
        }
        // A little deterministic texture so the JPEG is not trivially small.
        let noise = (((x * 7919 + y * 104_729 + seed * 31) % 97) as f32 - 48.0) * 0.25;
        *px = Rgb(c.map(|v| (v + noise).clamp(0.0, 255.0) as u8));
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .expect("a JPEG encodes in memory");
    out
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid sample date")
}

pub fn sample_card(
    number: &str,
    family: &str,
    given: &str,
    category: &str,
    photo: Option<Vec<u8>>,
) -> BadgeCard {
    BadgeCard {
        badge_number: number.to_string(),
        family_name: family.to_string(),
        given_names: given.to_string(),
        role: Some("Ingénieure système".to_string()),
        organisation: Some("Direction des systèmes d’information".to_string()),
        category: category.to_string(),
        valid_from: date(2026, 11, 21),
        valid_until: date(2027, 12, 31),
        host: Some("Amélie Durand".to_string()),
        zones: vec!["Bât A".to_string()],
        photo_jpeg: photo.map(Arc::from),
        watermark: None,
    }
}

/// Four holders whose names are hard to print right (Icelandic, Polish, Vietnamese
/// and a long French name), one per built-in category, three with photos.
pub fn sample_cards() -> Vec<BadgeCard> {
    vec![
        sample_card(
            "B-2026-0001",
            "Þórsson",
            "Ægir",
            "staff",
            Some(sample_photo(300, 400, 1, 85)),
        ),
        sample_card(
            "B-2026-0002",
            "Żółć",
            "Łukasz",
            "contractor",
            Some(sample_photo(300, 400, 2, 85)),
        ),
        sample_card(
            "B-2026-0003",
            "Nguyễn",
            "Thị Minh Khai",
            "student",
            Some(sample_photo(300, 400, 3, 85)),
        ),
        sample_card(
            "B-2026-0004",
            "Œuvray-Lefèvre de la Roche-Guyon",
            "Éloïse Marie-Thérèse",
            "visitor",
            None,
        ),
    ]
}
