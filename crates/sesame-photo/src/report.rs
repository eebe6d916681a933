//! What the checks return: one named, measured, explained result per check.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::rules::CheckRule;

/// One check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
    /// Not measured because an earlier check failed (e.g. no face to measure).
    Skipped,
}

/// The photo's overall outcome: refused as soon as one check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OverallVerdict {
    Accepted,
    AcceptedWithWarnings,
    Refused,
}

/// The checks, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    FaceCount,
    InterEyeDistance,
    HeadHeight,
    Centring,
    EyeLine,
    Roll,
    Yaw,
    Sharpness,
    Exposure,
    Clipping,
    DynamicRange,
    Colour,
    BackgroundUniformity,
    BackgroundBrightness,
    Resolution,
}

impl CheckId {
    pub const ALL: [CheckId; 15] = [
        CheckId::FaceCount,
        CheckId::InterEyeDistance,
        CheckId::HeadHeight,
        CheckId::Centring,
        CheckId::EyeLine,
        CheckId::Roll,
        CheckId::Yaw,
        CheckId::Sharpness,
        CheckId::Exposure,
        CheckId::Clipping,
        CheckId::DynamicRange,
        CheckId::Colour,
        CheckId::BackgroundUniformity,
        CheckId::BackgroundBrightness,
        CheckId::Resolution,
    ];

    /// The snake_case name used in JSON and by `sesamectl photo check`.
    pub fn name(self) -> &'static str {
        match self {
            CheckId::FaceCount => "face_count",
            CheckId::InterEyeDistance => "inter_eye_distance",
            CheckId::HeadHeight => "head_height",
            CheckId::Centring => "centring",
            CheckId::EyeLine => "eye_line",
            CheckId::Roll => "roll",
            CheckId::Yaw => "yaw",
            CheckId::Sharpness => "sharpness",
            CheckId::Exposure => "exposure",
            CheckId::Clipping => "clipping",
            CheckId::DynamicRange => "dynamic_range",
            CheckId::Colour => "colour",
            CheckId::BackgroundUniformity => "background_uniformity",
            CheckId::BackgroundBrightness => "background_brightness",
            CheckId::Resolution => "resolution",
        }
    }

    /// Unit of the measured value.
    pub fn unit(self) -> &'static str {
        match self {
            CheckId::FaceCount => "faces",
            CheckId::InterEyeDistance => "px",
            CheckId::HeadHeight => "ratio",
            CheckId::Centring | CheckId::EyeLine | CheckId::Clipping => "%",
            CheckId::Roll | CheckId::Yaw => "deg",
            CheckId::Sharpness => "laplacian variance",
            CheckId::Exposure | CheckId::BackgroundBrightness => "luminance",
            CheckId::DynamicRange => "bits",
            CheckId::Colour => "chroma",
            CheckId::BackgroundUniformity => "gradient",
            CheckId::Resolution => "source px per output px",
        }
    }
}

/// A one-line operator hint in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hint {
    pub fr: String,
    pub en: String,
}

/// One check: its name, measure, threshold, verdict and (unless it passed) a hint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub id: CheckId,
    pub verdict: Verdict,
    /// The measured value (`None` when skipped).
    pub value: Option<f64>,
    pub unit: String,
    /// The thresholds, readable ("pass >= 90, warn >= 40").
    pub threshold: String,
    /// The thresholds, structured (`None` for the face count: exactly one).
    pub rule: Option<CheckRule>,
    pub hint: Option<Hint>,
}

/// A point in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PointPx {
    pub x: f64,
    pub y: f64,
}

/// A detected face, in pixels of the analysed image, for the preview overlay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FaceBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Detector confidence, 0-1.
    pub score: f64,
    /// The subject's right eye (on the left of the picture).
    pub right_eye: PointPx,
    pub left_eye: PointPx,
    pub nose: PointPx,
    pub mouth: PointPx,
}

/// An axis-aligned rectangle in pixels of the source photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Everything the checks found about one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoReport {
    pub verdict: OverallVerdict,
    pub checks: Vec<CheckResult>,
    /// The face the checks measured (the largest one), if any.
    pub face: Option<FaceBox>,
    /// Every face found (more than one makes `face_count` fail).
    pub faces: Vec<FaceBox>,
    pub image_width: u32,
    pub image_height: u32,
    /// The badge frame the auto-crop would cut, in source pixels.
    pub crop: Option<PixelRect>,
}

impl PhotoReport {
    pub fn check(&self, id: CheckId) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }
    /// The checks that failed, in report order.
    pub fn failures(&self) -> Vec<CheckId> {
        self.with_verdict(Verdict::Fail)
    }
    pub fn warnings(&self) -> Vec<CheckId> {
        self.with_verdict(Verdict::Warn)
    }
    fn with_verdict(&self, verdict: Verdict) -> Vec<CheckId> {
        self.checks
            .iter()
            .filter(|c| c.verdict == verdict)
            .map(|c| c.id)
            .collect()
    }
    pub fn is_refused(&self) -> bool {
        self.verdict == OverallVerdict::Refused
    }
}

pub(crate) fn overall(checks: &[CheckResult]) -> OverallVerdict {
    if checks.iter().any(|c| c.verdict == Verdict::Fail) {
        OverallVerdict::Refused
    } else if checks.iter().any(|c| c.verdict == Verdict::Warn) {
        OverallVerdict::AcceptedWithWarnings
    } else {
        OverallVerdict::Accepted
    }
}
