//! Configurable thresholds for every check and the badge photo frame.
//!
//! OFIQ publishes no official thresholds, so the defaults below were calibrated on the
//! test photographs (see the crate's tests) and the ICAO / ISO/IEC 19794-5 guidance they
//! cite. Every field has a default, so a partial JSON object is a valid `PhotoRules`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An interval; a missing end is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct Band {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Band {
    pub const fn between(min: f64, max: f64) -> Band {
        Band {
            min: Some(min),
            max: Some(max),
        }
    }
    pub const fn at_least(min: f64) -> Band {
        Band {
            min: Some(min),
            max: None,
        }
    }
    pub const fn at_most(max: f64) -> Band {
        Band {
            min: None,
            max: Some(max),
        }
    }
    pub fn contains(&self, value: f64) -> bool {
        self.min.is_none_or(|min| value >= min) && self.max.is_none_or(|max| value <= max)
    }
    fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(min), Some(max)) => format!("{min}..{max}"),
            (Some(min), None) => format!(">= {min}"),
            (None, Some(max)) => format!("<= {max}"),
            (None, None) => "any".to_owned(),
        }
    }
}

/// A value inside `pass` passes; else inside `warn` warns; else fails.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckRule {
    pub pass: Band,
    pub warn: Band,
}

impl CheckRule {
    pub const fn new(pass: Band, warn: Band) -> CheckRule {
        CheckRule { pass, warn }
    }
    /// "pass 0.7..0.8, warn 0.65..0.85": what `photo check` prints as the threshold.
    pub fn describe(&self) -> String {
        format!(
            "pass {}, warn {}",
            self.pass.describe(),
            self.warn.describe()
        )
    }
}

/// The printed badge photo: its size in pixels and where the head sits in it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BadgeFrame {
    pub width_px: u32,
    pub height_px: u32,
    /// Head height (chin to crown) the auto-crop aims for, as a share of the photo height.
    pub head_height_ratio: f64,
    /// Eye line the auto-crop aims for, as a share of the photo height from the bottom.
    pub eye_line_from_bottom: f64,
    /// JPEG quality of the stored badge photo (1-100).
    pub jpeg_quality: u8,
}

impl BadgeFrame {
    /// A frame of `width_mm` × `height_mm` printed at `dpi`, e.g. 35 × 45 mm at 300 dpi.
    pub fn from_millimetres(width_mm: f64, height_mm: f64, dpi: u32) -> BadgeFrame {
        let px = |mm: f64| (mm / 25.4 * f64::from(dpi)).round() as u32;
        BadgeFrame {
            width_px: px(width_mm),
            height_px: px(height_mm),
            ..BadgeFrame::default()
        }
    }
    pub(crate) fn aspect(&self) -> f64 {
        f64::from(self.width_px) / f64::from(self.height_px)
    }
}

impl Default for BadgeFrame {
    /// 35 × 45 mm at 300 dpi (413 × 531 px), head at 75 % of the height, eyes at 55 %.
    fn default() -> Self {
        BadgeFrame {
            width_px: 413,
            height_px: 531,
            head_height_ratio: 0.75,
            eye_line_from_bottom: 0.55,
            jpeg_quality: 92,
        }
    }
}

/// Every threshold the checks use. Deserialise a partial object to override a few.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PhotoRules {
    pub frame: BadgeFrame,
    /// Distance between the eye centres in the source photo, pixels (ICAO: ≥ 90).
    pub inter_eye_distance: CheckRule,
    /// Chin-to-crown height as a share of the cropped photo (ICAO: 70-80 %).
    pub head_height: CheckRule,
    /// Horizontal offset of the face from the centre of the cropped photo, % of its width.
    pub centring: CheckRule,
    /// Eye line height above the bottom of the cropped photo, % of its height (ICAO: 50-70 %).
    pub eye_line: CheckRule,
    /// Tilt of the eye line, degrees (ISO/IEC 19794-5: ±8°).
    pub roll: CheckRule,
    /// Head turn estimated from landmark symmetry, degrees (ISO/IEC 19794-5: ±5°).
    pub yaw: CheckRule,
    /// Laplacian variance of the face resampled to 40 px between the eyes.
    pub sharpness: CheckRule,
    /// Mean face luminance, 0-255.
    pub exposure: CheckRule,
    /// Share of face pixels at ≤ 25 or ≥ 247 luminance, %.
    pub clipping: CheckRule,
    /// Entropy of the face luminance histogram, bits.
    pub dynamic_range: CheckRule,
    /// Mean CIELAB chroma of the cheeks.
    pub colour: CheckRule,
    /// Mean luminance gradient of the background around the head (texture, clutter).
    pub background_uniformity: CheckRule,
    /// Mean luminance of the background around the head, 0-255.
    pub background_brightness: CheckRule,
    /// Source pixels per badge photo pixel (below 1 the crop is enlarged).
    pub resolution: CheckRule,
}

impl Default for PhotoRules {
    fn default() -> Self {
        PhotoRules {
            frame: BadgeFrame::default(),
            inter_eye_distance: CheckRule::new(Band::at_least(90.0), Band::at_least(40.0)),
            head_height: CheckRule::new(Band::between(0.70, 0.80), Band::between(0.65, 0.85)),
            centring: CheckRule::new(Band::between(-5.0, 5.0), Band::between(-10.0, 10.0)),
            eye_line: CheckRule::new(Band::between(50.0, 70.0), Band::between(45.0, 75.0)),
            roll: CheckRule::new(Band::between(-8.0, 8.0), Band::between(-12.0, 12.0)),
            yaw: CheckRule::new(Band::between(-8.0, 8.0), Band::between(-15.0, 15.0)),
            sharpness: CheckRule::new(Band::at_least(60.0), Band::at_least(30.0)),
            exposure: CheckRule::new(Band::between(90.0, 200.0), Band::between(70.0, 215.0)),
            clipping: CheckRule::new(Band::at_most(2.0), Band::at_most(8.0)),
            dynamic_range: CheckRule::new(Band::at_least(5.5), Band::at_least(4.5)),
            colour: CheckRule::new(Band::at_least(8.0), Band::at_least(4.0)),
            background_uniformity: CheckRule::new(Band::at_most(10.0), Band::at_most(15.0)),
            background_brightness: CheckRule::new(Band::at_least(130.0), Band::at_least(100.0)),
            resolution: CheckRule::new(Band::at_least(0.9), Band::at_least(0.35)),
        }
    }
}
