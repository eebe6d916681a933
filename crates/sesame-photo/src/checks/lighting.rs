//! The light and the picture on the face: sharpness, exposure, clipping, contrast,
//! left/right balance and colour.

use super::{FaceContext, Measure, MIN_DETAIL_EYE_DISTANCE};
use crate::detect::Point;
use crate::mesh::index;
use crate::patch::{mean, sample, srgb_to_lab, PATCH_EYE_DISTANCE};
use crate::report::CheckId;

/// Radius of the spots sampled on each cheek, in inter-eye distances.
const CHEEK_SPOT: f32 = 0.12;
/// The colour grid over the badge frame, cells across.
const COLOUR_GRID: usize = 40;
/// Lightness bins (CIELAB L*) within which colour variety is measured.
const LIGHTNESS_BIN: f64 = 8.0;

/// Mean CIELAB lightness of spots on one cheek.
fn lightness(context: &FaceContext<'_>, points: impl Iterator<Item = Point>) -> Option<f64> {
    let spot = CHEEK_SPOT * context.geometry.inter_eye;
    let values: Vec<f64> = points
        .filter_map(|p| sample(context.analysis.image, p.x, p.y, spot))
        .map(|rgb| srgb_to_lab(rgb).0)
        .collect();
    (!values.is_empty()).then(|| mean(&values))
}

/// Lightness difference (CIELAB ΔL*) between the two cheeks, at mirrored mesh points.
pub(crate) fn left_right_difference(context: &FaceContext<'_>) -> Option<f64> {
    let mesh = &context.face.mesh;
    let right = lightness(context, index::CHEEKS.iter().map(|&(r, _)| mesh.at(r)))?;
    let left = lightness(context, index::CHEEKS.iter().map(|&(_, l)| mesh.at(l)))?;
    Some((right - left).abs())
}

/// How much colour the picture holds beyond what its lightness explains: the spread of
/// CIELAB a*b* among pixels of the same lightness, over the badge frame. Nil for a
/// greyscale photo and for a toned one (sepia: one colour per lightness), several
/// units for a colour photo (skin, lips, eyes, hair, clothes and backdrop differ).
pub(crate) fn colour_variety(context: &FaceContext<'_>) -> Option<f64> {
    let framing = &context.framing;
    let cell = framing.width / COLOUR_GRID as f32;
    let rows = (framing.height / cell).round().max(1.0) as usize;
    let mut bins: Vec<Vec<(f64, f64)>> = vec![Vec::new(); (100.0 / LIGHTNESS_BIN) as usize + 1];
    for row in 0..rows {
        let y = framing.y0 + (row as f32 + 0.5) * cell;
        for col in 0..COLOUR_GRID {
            let x = framing.x0 + (col as f32 + 0.5) * cell;
            if let Some(rgb) = sample(context.analysis.image, x, y, cell.min(4.0)) {
                let (l, a, b) = srgb_to_lab(rgb);
                let last = bins.len() - 1;
                bins[((l / LIGHTNESS_BIN) as usize).min(last)].push((a, b));
            }
        }
    }
    let (mut weighted, mut total) = (0.0, 0usize);
    for bin in bins.iter().filter(|b| b.len() >= 8) {
        let a: Vec<f64> = bin.iter().map(|p| p.0).collect();
        let b: Vec<f64> = bin.iter().map(|p| p.1).collect();
        let (ma, mb) = (mean(&a), mean(&b));
        let spread = mean(
            &bin.iter()
                .map(|p| (p.0 - ma).powi(2) + (p.1 - mb).powi(2))
                .collect::<Vec<_>>(),
        )
        .sqrt();
        weighted += spread * bin.len() as f64;
        total += bin.len();
    }
    (total > 0).then(|| weighted / total as f64)
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let patch = &context.patch;
    let or_none = |id, value: Option<f64>| match value {
        Some(v) => Measure::of(id, v),
        None => Measure::none(id),
    };
    // A face smaller than the patch is enlarged into it: its blur is the enlargement's.
    let sharpness = (context.geometry.inter_eye >= PATCH_EYE_DISTANCE).then(|| patch.sharpness());
    let detail = context.geometry.inter_eye >= MIN_DETAIL_EYE_DISTANCE;
    vec![
        or_none(CheckId::Sharpness, sharpness),
        Measure::of(CheckId::Exposure, patch.mean_luminance()),
        Measure::of(CheckId::Clipping, patch.clipped_pct()),
        Measure::of(CheckId::DynamicRange, patch.entropy_bits()),
        or_none(
            CheckId::Illumination,
            left_right_difference(context).filter(|_| detail),
        ),
        or_none(CheckId::Colour, colour_variety(context)),
    ]
}
