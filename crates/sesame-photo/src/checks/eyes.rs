//! Whether the eyes can be seen: no glare over them and no dark lenses.

use super::{FaceContext, Measure};
use crate::detect::Point;
use crate::iris::Eye;
use crate::patch::{luminance, sample};
use crate::report::CheckId;

/// At most this many pixels are read per eye (a 12 MP portrait's eye is thousands).
const MAX_SAMPLES: f32 = 900.0;
/// A pixel at least this bright, and clearly brighter than the skin, is glare (a
/// reflection on glasses or a flash on wet eyes), not the white of the eye.
const GLARE_LUMINANCE: f32 = 240.0;
/// The brightest tenth of the white of the better eye is at least this bright relative
/// to the cheeks on a visible eye (0.67-1.2 on the set's open eyes, tinted clear lenses
/// included)…
const SCLERA_VISIBLE: f32 = 0.6;
/// …and behind dark lenses no brighter than this (0.36 and 0.14 on the set's two pairs
/// of sunglasses).
const SCLERA_HIDDEN: f32 = 0.3;
/// Fewer samples of the white than this (a closed or tiny eye) do not say anything.
const MIN_WHITE_SAMPLES: usize = 2;

/// Whether `p` is inside the polygon `contour` (even-odd rule).
fn inside(contour: &[Point], p: Point) -> bool {
    let mut odd = false;
    let mut j = contour.len() - 1;
    for i in 0..contour.len() {
        let (a, b) = (contour[i], contour[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// What one eye shows: the share of it taken by glare (%), and how bright the white of
/// the eye is relative to the cheeks (its brightest tenth: lashes and the lids' shadow
/// darken the rest). `None` for the white when too little of it shows to judge.
pub(crate) fn eye_light(
    context: &FaceContext<'_>,
    eye: &Eye,
    skin_luminance: f32,
) -> (f32, Option<f32>) {
    let image = context.analysis.image;
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in &eye.contour {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let area = ((x1 - x0) * (y1 - y0)).max(1.0);
    let step = (area / MAX_SAMPLES).sqrt().max(1.0);
    let (mut total, mut glare) = (0usize, 0usize);
    let mut sclera = Vec::new();
    let mut y = y0 + step / 2.0;
    while y < y1 {
        let mut x = x0 + step / 2.0;
        while x < x1 {
            let p = Point { x, y };
            if inside(&eye.contour, p) {
                if let Some(rgb) = sample(image, x, y, step) {
                    let lum = luminance(rgb);
                    total += 1;
                    if lum >= GLARE_LUMINANCE && lum > skin_luminance + 25.0 {
                        glare += 1;
                    }
                    if p.distance(eye.iris_centre) > 1.15 * eye.iris_radius {
                        sclera.push(lum);
                    }
                }
            }
            x += step;
        }
        y += step;
    }
    let glare_pct = if total == 0 {
        0.0
    } else {
        100.0 * glare as f32 / total as f32
    };
    if sclera.len() < MIN_WHITE_SAMPLES || skin_luminance <= 1.0 {
        return (glare_pct, None);
    }
    sclera.sort_by(f32::total_cmp);
    let white = sclera[(sclera.len() - 1) * 9 / 10] / skin_luminance;
    (glare_pct, Some(white))
}

/// Share of the eyes hidden, %: the larger of the worse eye's glare and how far the
/// white of the better eye has darkened towards a dark lens (dark glasses cover both
/// eyes; a squint or a shadow rarely darkens both whites alike).
pub(crate) fn hidden_pct(context: &FaceContext<'_>, skin_luminance: f32) -> f32 {
    let [right, left] = &context.face.eyes;
    let (glare_r, white_r) = eye_light(context, right, skin_luminance);
    let (glare_l, white_l) = eye_light(context, left, skin_luminance);
    let dark = match (white_r, white_l) {
        (None, None) => 0.0,
        (a, b) => {
            let white = a.unwrap_or(0.0).max(b.unwrap_or(0.0));
            100.0 * ((SCLERA_VISIBLE - white) / (SCLERA_VISIBLE - SCLERA_HIDDEN)).clamp(0.0, 1.0)
        }
    };
    glare_r.max(glare_l).max(dark)
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let Some(skin) = context.patch.skin() else {
        return vec![Measure::none(CheckId::EyesVisible)];
    };
    let hidden = hidden_pct(context, luminance(skin));
    vec![Measure::of(CheckId::EyesVisible, hidden as f64).aged(context.analysis.eyes_age)]
}
