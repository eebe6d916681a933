//! Turns what the models found into the named, judged checks of a [`PhotoReport`].
//! Each submodule measures one kind of thing; this one judges every measure against its
//! rule the same way.

mod background;
mod compression;
mod coverings;
mod expression;
mod eyes;
mod framing;
mod landmarks;
mod lighting;
mod pose;
mod quality;

use std::time::Duration;

use crate::geometry::{FaceGeometry, Framing};
use crate::hints::{self, Direction};
use crate::patch::FacePatch;
use crate::pipeline::{Analysis, FaceAnalysis};
use crate::report::{
    fix_first, overall, CheckId, CheckKind, CheckResult, FaceBox, PhotoReport, PointPx, Verdict,
};
use crate::rules::{CheckRule, PhotoRules};

/// One measured value, before it is judged.
#[derive(Debug, Clone)]
pub(crate) struct Measure {
    pub id: CheckId,
    /// `None`: could not be measured here (the check is skipped).
    pub value: Option<f64>,
    /// Set when the measure was made on an earlier frame.
    pub age: Option<Duration>,
}

impl Measure {
    pub fn of(id: CheckId, value: f64) -> Measure {
        Measure {
            id,
            value: value.is_finite().then_some(value),
            age: None,
        }
    }
    pub fn none(id: CheckId) -> Measure {
        Measure {
            id,
            value: None,
            age: None,
        }
    }
    pub fn aged(mut self, age: Option<Duration>) -> Measure {
        self.age = age;
        self
    }
}

/// Faces whose eyes are closer than this (px) are too small for the measures that read
/// the eyes' and mouth's detail (lids, whites, lips, skin): the iris model would see an
/// eye a few pixels wide. They are skipped; the size checks refuse such faces anyway.
pub(crate) const MIN_DETAIL_EYE_DISTANCE: f32 = 24.0;

/// What every face check can look at.
pub(crate) struct FaceContext<'a> {
    pub analysis: &'a Analysis<'a>,
    pub face: &'a FaceAnalysis,
    pub geometry: FaceGeometry,
    pub framing: Framing,
    pub patch: FacePatch,
}

fn judge(measure: &Measure, rule: &CheckRule) -> CheckResult {
    let id = measure.id;
    let Some(value) = measure.value else {
        return skipped(id, rule, measure.age);
    };
    let mut verdict = if rule.pass.contains(value) {
        Verdict::Pass
    } else if rule.warn.contains(value) {
        Verdict::Warn
    } else {
        Verdict::Fail
    };
    if id.kind() == CheckKind::Warning && verdict == Verdict::Fail {
        verdict = Verdict::Warn;
    }
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
        kind: id.kind(),
        age_ms: age_ms(measure.age),
    }
}

fn age_ms(age: Option<Duration>) -> Option<u32> {
    age.map(|a| a.as_millis().min(u128::from(u32::MAX)) as u32)
}

fn skipped(id: CheckId, rule: &CheckRule, age: Option<Duration>) -> CheckResult {
    CheckResult {
        id,
        verdict: Verdict::Skipped,
        value: None,
        unit: id.unit().to_owned(),
        threshold: rule.describe(),
        rule: Some(*rule),
        hint: None,
        kind: id.kind(),
        age_ms: age_ms(age),
    }
}

/// Three decimals are plenty for people and keep the JSON stable across platforms.
pub(crate) fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn face_count(count: usize, age: Option<Duration>) -> CheckResult {
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
        kind: id.kind(),
        age_ms: age_ms(age),
    }
}

pub(crate) fn face_box(face: &crate::detect::Detection) -> FaceBox {
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

/// Every check on an analysed picture.
pub(crate) fn evaluate(analysis: &Analysis<'_>, rules: &PhotoRules) -> PhotoReport {
    let (width, height) = analysis.image.dimensions();
    let mut measures = Vec::new();
    let mut crop = None;
    let mut landmarks = None;
    let mut eyes_open = None;
    if let Some(face) = &analysis.face {
        let geometry = FaceGeometry::of(face);
        let framing = Framing::around(&geometry, &rules.frame, width, height);
        let patch = FacePatch::extract(analysis.image, &geometry);
        let context = FaceContext {
            analysis,
            face,
            geometry,
            framing,
            patch,
        };
        crop = Some(context.framing.pixel_rect(width, height));
        landmarks = Some(landmarks::of(&context));
        measures.extend(framing::measure(&context));
        measures.extend(pose::measure(&context));
        if context.geometry.inter_eye >= MIN_DETAIL_EYE_DISTANCE {
            measures.extend(expression::measure(&context));
            measures.extend(eyes::measure(&context));
            measures.extend(coverings::measure(&context));
        }
        measures.extend(lighting::measure(&context));
        measures.extend(background::measure(&context));
        measures.extend(compression::measure(&context));
    }
    let mut checks = vec![face_count(analysis.faces.len(), analysis.faces_age)];
    for id in &CheckId::ALL[1..] {
        let rule = rules
            .rule(*id)
            .expect("every check but the face count has a rule");
        let measure = measures
            .iter()
            .find(|m| m.id == *id)
            .cloned()
            .unwrap_or(Measure::none(*id));
        checks.push(judge(&measure, rule));
    }
    if analysis.face.is_some() {
        eyes_open = checks
            .iter()
            .find(|c| c.id == CheckId::EyesOpen)
            .map(|c| c.verdict == Verdict::Pass);
    }
    let quality_score = analysis.face.as_ref().map(|_| quality::score(&checks));
    PhotoReport {
        verdict: overall(&checks),
        fix_first: fix_first(&checks),
        checks,
        face: analysis.face.as_ref().map(|f| face_box(&f.detection)),
        faces: analysis.faces.iter().map(face_box).collect(),
        image_width: width,
        image_height: height,
        crop,
        landmarks,
        eyes_open,
        quality_score,
    }
}
