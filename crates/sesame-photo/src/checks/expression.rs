//! The face's expression: eyes open (from the lids the iris model traces), mouth closed
//! and no broad smile (from the mesh's lips).

use super::{FaceContext, Measure};
use crate::detect::Point;
use crate::mesh::index;
use crate::report::CheckId;

/// Smile index terms: a neutral mouth is about this wide, in inter-eye distances (eye
/// centres), and its corners sit level with the lips' centre.
const NEUTRAL_MOUTH_WIDTH: f32 = 0.85;
/// How much each term weighs: widening by this much, or lifting the corners by this much
/// of the mouth width, adds 1 to the index.
const WIDTH_PER_POINT: f32 = 0.1;
const LIFT_PER_POINT: f32 = 0.05;

/// Lid gap over eye width of the less open eye.
pub(crate) fn eyes_openness(context: &FaceContext<'_>) -> f32 {
    let [right, left] = &context.face.eyes;
    right.openness().min(left.openness())
}

/// Inner lip gap over mouth width.
pub(crate) fn mouth_opening(context: &FaceContext<'_>) -> f32 {
    let mesh = &context.face.mesh;
    let gap = mesh
        .at(index::UPPER_LIP_INNER)
        .distance(mesh.at(index::LOWER_LIP_INNER));
    gap / mouth_width(context).max(1.0)
}

fn mouth_width(context: &FaceContext<'_>) -> f32 {
    let mesh = &context.face.mesh;
    mesh.at(index::MOUTH_RIGHT)
        .distance(mesh.at(index::MOUTH_LEFT))
}

/// Mouth width over inter-eye distance, and how far the corners sit above the lips'
/// centre (along the face's vertical), over the mouth width.
pub(crate) fn smile_terms(context: &FaceContext<'_>) -> (f32, f32) {
    let mesh = &context.face.mesh;
    let roll = context.geometry.roll_deg.to_radians();
    let up = |p: Point| (p.x * roll.sin()) - p.y * roll.cos();
    let centre = mesh
        .at(index::UPPER_LIP_INNER)
        .midpoint(mesh.at(index::LOWER_LIP_INNER));
    let corners = (up(mesh.at(index::MOUTH_RIGHT)) + up(mesh.at(index::MOUTH_LEFT))) / 2.0;
    let width = mouth_width(context).max(1.0);
    (
        width / context.geometry.inter_eye,
        (corners - up(centre)) / width,
    )
}

/// 0 for a neutral mouth, about 1 per 0.1 eye distances of widening or 5 % of lift.
pub(crate) fn smile_index(context: &FaceContext<'_>) -> f32 {
    let (width, lift) = smile_terms(context);
    ((width - NEUTRAL_MOUTH_WIDTH) / WIDTH_PER_POINT).max(0.0) + (lift / LIFT_PER_POINT).max(0.0)
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    vec![
        Measure::of(CheckId::EyesOpen, eyes_openness(context) as f64)
            .aged(context.analysis.eyes_age),
        Measure::of(CheckId::MouthClosed, mouth_opening(context) as f64),
        Measure::of(CheckId::Expression, smile_index(context) as f64),
    ]
}
