//! Turns faces and measures into the named, judged checks of a [`PhotoReport`].

use image::RgbImage;

use crate::detect::Detection;
use crate::geometry::{FaceGeometry, Framing};
use crate::hints::{self, Direction};
use crate::measures::{self, FacePatch};
use crate::report::{overall, CheckId, CheckResult, FaceBox, PhotoReport, PointPx, Verdict};
use crate::rules::{CheckRule, PhotoRules};

fn judge(id: CheckId, value: f64, rule: &CheckRule) -> CheckResult {
    let verdict = if rule.pass.contains(value) {
        Verdict::Pass
    } else if rule.warn.contains(value) {
        Verdict::Warn
    } else {
        Verdict::Fail
    };
    let direction = match rule.pass.min {
        Some(min) if value < min => Direction::TooLow,
        _ => Direction::TooHigh,
    };
    CheckResult {
        id,
        verdict,
        value: Some(round(value)),
        unit: id.unit().to_owned(),
        threshold: rule.describe(),
        rule: Some(*rule),
        hint: (verdict != Verdict::Pass).then(|| hints::for_check(id, direction, value)),
    }
}

fn skipped(id: CheckId, rule: &CheckRule) -> CheckResult {
    CheckResult {
        id,
        verdict: Verdict::Skipped,
        value: None,
        unit: id.unit().to_owned(),
        threshold: rule.describe(),
        rule: Some(*rule),
        hint: None,
    }
}

/// Three decimals are plenty for people and keep the JSON stable across platforms.
fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn face_count(count: usize) -> CheckResult {
    let id = CheckId::FaceCount;
    let verdict = if count == 1 {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    CheckResult {
        id,
        verdict,
        value: Some(count as f64),
        unit: id.unit().to_owned(),
        threshold: "exactly 1".to_owned(),
        rule: None,
        hint: (verdict == Verdict::Fail)
            .then(|| hints::for_check(id, Direction::TooHigh, count as f64)),
    }
}

pub(crate) fn face_box(face: &Detection) -> FaceBox {
    let point = |p: crate::detect::Point| PointPx {
        x: round(p.x as f64),
        y: round(p.y as f64),
    };
    FaceBox {
        x: round(face.x0 as f64),
        y: round(face.y0 as f64),
        width: round(face.width() as f64),
        height: round(face.height() as f64),
        score: round(face.score as f64),
        right_eye: point(face.right_eye()),
        left_eye: point(face.left_eye()),
        nose: point(face.nose()),
        mouth: point(face.mouth()),
    }
}

/// Every check on `image`, given the faces found and the one to measure (the largest).
pub(crate) fn evaluate(
    image: &RgbImage,
    faces: &[Detection],
    primary: Option<&Detection>,
    rules: &PhotoRules,
) -> PhotoReport {
    let (width, height) = image.dimensions();
    let mut checks = vec![face_count(faces.len())];
    let mut crop = None;
    match primary {
        None => {
            let measured = [
                (CheckId::InterEyeDistance, &rules.inter_eye_distance),
                (CheckId::HeadHeight, &rules.head_height),
                (CheckId::Centring, &rules.centring),
                (CheckId::EyeLine, &rules.eye_line),
                (CheckId::Roll, &rules.roll),
                (CheckId::Yaw, &rules.yaw),
                (CheckId::Sharpness, &rules.sharpness),
                (CheckId::Exposure, &rules.exposure),
                (CheckId::Clipping, &rules.clipping),
                (CheckId::DynamicRange, &rules.dynamic_range),
                (CheckId::Colour, &rules.colour),
                (CheckId::BackgroundUniformity, &rules.background_uniformity),
                (CheckId::BackgroundBrightness, &rules.background_brightness),
                (CheckId::Resolution, &rules.resolution),
            ];
            checks.extend(measured.iter().map(|(id, rule)| skipped(*id, rule)));
        }
        Some(face) => {
            let geometry = FaceGeometry::of(face);
            let framing = Framing::around(&geometry, &rules.frame, width, height);
            let patch = FacePatch::extract(image, &geometry);
            let background = measures::background(image, &geometry, &framing);
            crop = Some(framing.pixel_rect(width, height));
            checks.extend([
                judge(
                    CheckId::InterEyeDistance,
                    geometry.inter_eye as f64,
                    &rules.inter_eye_distance,
                ),
                judge(
                    CheckId::HeadHeight,
                    framing.head_ratio as f64,
                    &rules.head_height,
                ),
                judge(
                    CheckId::Centring,
                    framing.centring_pct as f64,
                    &rules.centring,
                ),
                judge(
                    CheckId::EyeLine,
                    framing.eye_line_pct as f64,
                    &rules.eye_line,
                ),
                judge(CheckId::Roll, geometry.roll_deg as f64, &rules.roll),
                judge(CheckId::Yaw, geometry.yaw_deg as f64, &rules.yaw),
                judge(CheckId::Sharpness, patch.sharpness(), &rules.sharpness),
                judge(CheckId::Exposure, patch.mean_luminance(), &rules.exposure),
                judge(CheckId::Clipping, patch.clipped_pct(), &rules.clipping),
                judge(
                    CheckId::DynamicRange,
                    patch.entropy_bits(),
                    &rules.dynamic_range,
                ),
                judge(CheckId::Colour, patch.cheek_chroma(), &rules.colour),
            ]);
            match background {
                Some(bg) => checks.extend([
                    judge(
                        CheckId::BackgroundUniformity,
                        bg.gradient,
                        &rules.background_uniformity,
                    ),
                    judge(
                        CheckId::BackgroundBrightness,
                        bg.brightness,
                        &rules.background_brightness,
                    ),
                ]),
                None => checks.extend([
                    skipped(CheckId::BackgroundUniformity, &rules.background_uniformity),
                    skipped(CheckId::BackgroundBrightness, &rules.background_brightness),
                ]),
            }
            checks.push(judge(
                CheckId::Resolution,
                framing.scale as f64,
                &rules.resolution,
            ));
        }
    }
    PhotoReport {
        verdict: overall(&checks),
        checks,
        face: primary.map(face_box),
        faces: faces.iter().map(face_box).collect(),
        image_width: width,
        image_height: height,
        crop,
    }
}
