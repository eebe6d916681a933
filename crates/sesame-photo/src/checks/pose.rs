//! The head's pose: roll from the eye line, yaw and pitch from the 3-D face mesh.

use super::{FaceContext, Measure};
use crate::report::CheckId;

/// The mesh's forehead-to-nose axis leans out of the picture plane even when the head
/// faces the camera squarely (the nose stands out): this is its mean angle on the
/// accuracy set's ten distinct real portraits labelled neither turned nor tilted (18.6°;
/// the two studio portraits alone give 19.2°), subtracted so that 0° means level.
pub(crate) const PITCH_OFFSET_DEG: f32 = 18.6;

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let pose = context.face.mesh.pose();
    vec![
        Measure::of(CheckId::Roll, context.geometry.roll_deg as f64),
        Measure::of(CheckId::Yaw, pose.yaw as f64),
        Measure::of(CheckId::Pitch, (pose.raw_pitch - PITCH_OFFSET_DEG) as f64),
    ]
}
