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
    /// Not measured: no face to measure, a face too small for the measure (eyes, mouth,
    /// sharpness), no background left around a close-up, or a check that does not apply
    /// (compression of a camera frame).
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
    Pitch,
    EyesOpen,
    EyesVisible,
    MouthClosed,
    Expression,
    HeadCovering,
    Occlusion,
    Sharpness,
    Exposure,
    Clipping,
    DynamicRange,
    Illumination,
    Colour,
    BackgroundUniformity,
    BackgroundBrightness,
    Resolution,
    Compression,
}

/// What a failing check means for the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// A failure refuses the photo and cannot be overridden (no face, several faces).
    Blocking,
    /// A failure refuses the photo; the operator may accept it anyway with a recorded
    /// reason.
    Overridable,
    /// Never refuses: at worst a warning the operator acknowledges (head covering,
    /// occlusion: often legitimate, e.g. religious or medical).
    Warning,
}

impl CheckId {
    pub const ALL: [CheckId; 24] = [
        CheckId::FaceCount,
        CheckId::InterEyeDistance,
        CheckId::HeadHeight,
        CheckId::Centring,
        CheckId::EyeLine,
        CheckId::Roll,
        CheckId::Yaw,
        CheckId::Pitch,
        CheckId::EyesOpen,
        CheckId::EyesVisible,
        CheckId::MouthClosed,
        CheckId::Expression,
        CheckId::HeadCovering,
        CheckId::Occlusion,
        CheckId::Sharpness,
        CheckId::Exposure,
        CheckId::Clipping,
        CheckId::DynamicRange,
        CheckId::Illumination,
        CheckId::Colour,
        CheckId::BackgroundUniformity,
        CheckId::BackgroundBrightness,
        CheckId::Resolution,
        CheckId::Compression,
    ];

    /// The order in which problems are worth fixing at the desk: who is in the picture,
    /// then where the camera is, then the pose, the face, the light, the backdrop, and
    /// last what only the file can change. The live view shows the first one failing
    /// (else warning) in this order.
    pub const PRIORITY: [CheckId; 24] = [
        CheckId::FaceCount,
        CheckId::Roll,
        CheckId::InterEyeDistance,
        CheckId::HeadHeight,
        CheckId::Centring,
        CheckId::EyeLine,
        CheckId::Yaw,
        CheckId::Pitch,
        CheckId::Occlusion,
        CheckId::EyesVisible,
        CheckId::EyesOpen,
        CheckId::MouthClosed,
        CheckId::Expression,
        CheckId::HeadCovering,
        CheckId::Exposure,
        CheckId::Illumination,
        CheckId::Clipping,
        CheckId::DynamicRange,
        CheckId::BackgroundBrightness,
        CheckId::BackgroundUniformity,
        CheckId::Sharpness,
        CheckId::Colour,
        CheckId::Resolution,
        CheckId::Compression,
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
            CheckId::Pitch => "pitch",
            CheckId::EyesOpen => "eyes_open",
            CheckId::EyesVisible => "eyes_visible",
            CheckId::MouthClosed => "mouth_closed",
            CheckId::Expression => "expression",
            CheckId::HeadCovering => "head_covering",
            CheckId::Occlusion => "occlusion",
            CheckId::Sharpness => "sharpness",
            CheckId::Exposure => "exposure",
            CheckId::Clipping => "clipping",
            CheckId::DynamicRange => "dynamic_range",
            CheckId::Illumination => "illumination",
            CheckId::Colour => "colour",
            CheckId::BackgroundUniformity => "background_uniformity",
            CheckId::BackgroundBrightness => "background_brightness",
            CheckId::Resolution => "resolution",
            CheckId::Compression => "compression",
        }
    }

    /// Unit of the measured value.
    pub fn unit(self) -> &'static str {
        match self {
            CheckId::FaceCount => "faces",
            CheckId::InterEyeDistance => "px",
            CheckId::HeadHeight => "ratio",
            CheckId::Centring | CheckId::EyeLine | CheckId::Clipping => "%",
            CheckId::Roll | CheckId::Yaw | CheckId::Pitch => "deg",
            CheckId::EyesOpen => "lid gap / eye width",
            CheckId::EyesVisible => "% of the eye hidden",
            CheckId::MouthClosed => "lip gap / mouth width",
            CheckId::Expression => "smile index",
            CheckId::HeadCovering => "covering index",
            CheckId::Occlusion => "% of the face hidden",
            CheckId::Sharpness => "relative second derivative",
            CheckId::Exposure | CheckId::BackgroundBrightness => "luminance",
            CheckId::DynamicRange => "bits",
            CheckId::Illumination => "left/right lightness difference (ΔL*)",
            CheckId::Colour => "colour spread (a*b*)",
            CheckId::BackgroundUniformity => "uniformity index",
            CheckId::Resolution => "source px per output px",
            CheckId::Compression => "blockiness",
        }
    }

    /// Whether a failure can be overridden by the operator, or only warns.
    pub fn kind(self) -> CheckKind {
        match self {
            CheckId::FaceCount => CheckKind::Blocking,
            CheckId::HeadCovering | CheckId::Occlusion => CheckKind::Warning,
            _ => CheckKind::Overridable,
        }
    }

    /// True unless a failure of this check blocks the photo whatever the operator says.
    pub fn overridable(self) -> bool {
        self.kind() != CheckKind::Blocking
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
    /// Blocking, overridable or warning only (the same as `id.kind()`, for the UI).
    pub kind: CheckKind,
    /// How old the measure is, ms, when it was made on an earlier frame (a live preview
    /// runs the segmentation and the small-face search on some frames only); `None` when
    /// it was measured on this picture.
    pub age_ms: Option<u32>,
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

/// A rectangle in (fractional) pixels of the analysed image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoxPx {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A circle in pixels of the analysed image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CirclePx {
    pub x: f64,
    pub y: f64,
    pub radius: f64,
}

/// The landmarks the live view draws, in pixels of the analysed image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FaceLandmarks {
    /// The subject's right eye (on the left of the picture): 16 points, the lower lid
    /// from the outer corner to the inner one, then the upper lid back.
    pub right_eye: Vec<PointPx>,
    pub left_eye: Vec<PointPx>,
    pub right_iris: CirclePx,
    pub left_iris: CirclePx,
    /// The mouth corners, the subject's right first.
    pub mouth_corners: [PointPx; 2],
    /// The inner lip line: the upper lip from the right corner to the left, then the
    /// lower lip back (a closed mouth draws a thin loop).
    pub inner_lips: Vec<PointPx>,
    /// The head, chin to crown (estimated above the hairline) and side to side.
    pub head_box: BoxPx,
    /// The face outline (36 points, clockwise from the forehead).
    pub face_oval: Vec<PointPx>,
}

/// The one thing to fix first, with its hint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FixFirst {
    pub id: CheckId,
    pub verdict: Verdict,
    pub hint: Hint,
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
    /// Eyes, mouth and head of the measured face, for the live overlay.
    pub landmarks: Option<FaceLandmarks>,
    /// Whether both eyes are open (auto-capture waits for it); `None` without a face.
    pub eyes_open: Option<bool>,
    /// The first failing check (else warning) in [`CheckId::PRIORITY`] order: what the
    /// operator should fix first. `None` when everything passes.
    pub fix_first: Option<FixFirst>,
    /// 0-100, how comfortably the measures sit inside their bands, for display only:
    /// it never decides anything (the verdicts do). `None` without a face.
    pub quality_score: Option<f64>,
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
    /// Refused by a check the operator cannot override (no face, several faces).
    pub fn is_blocked(&self) -> bool {
        self.checks
            .iter()
            .any(|c| c.verdict == Verdict::Fail && c.kind == CheckKind::Blocking)
    }
    /// Refused, but only by checks the operator may override with a recorded reason.
    pub fn is_overridable(&self) -> bool {
        self.is_refused() && !self.is_blocked()
    }
    /// The oldest measure shown, ms (live analysis): `None` when all are from this frame.
    pub fn oldest_measure_ms(&self) -> Option<u32> {
        self.checks.iter().filter_map(|c| c.age_ms).max()
    }
}

/// The first failing check in priority order, else the first warning.
pub(crate) fn fix_first(checks: &[CheckResult]) -> Option<FixFirst> {
    [Verdict::Fail, Verdict::Warn]
        .into_iter()
        .find_map(|verdict| {
            CheckId::PRIORITY.iter().find_map(|id| {
                let check = checks
                    .iter()
                    .find(|c| c.id == *id && c.verdict == verdict)?;
                Some(FixFirst {
                    id: check.id,
                    verdict,
                    hint: check.hint.clone()?,
                })
            })
        })
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
