//! Where the face sits and how large it is: inter-eye distance, head height, centring,
//! eye line, and the resolution left for the badge photo.

use super::{FaceContext, Measure};
use crate::report::CheckId;

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let (geometry, framing) = (&context.geometry, &context.framing);
    vec![
        Measure::of(CheckId::InterEyeDistance, geometry.inter_eye as f64),
        Measure::of(CheckId::HeadHeight, framing.head_ratio as f64),
        Measure::of(CheckId::Centring, framing.centring_pct as f64),
        Measure::of(CheckId::EyeLine, framing.eye_line_pct as f64),
        Measure::of(CheckId::Resolution, framing.scale as f64),
    ]
}
