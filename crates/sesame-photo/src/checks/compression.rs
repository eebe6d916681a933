//! Compression artefacts of an imported file: JPEG's 8 × 8 blocks, seen as luminance
//! steps that line up on one phase of an 8-pixel grid. Camera frames are not judged
//! (their compression is the preview's, not the stored photo's).

use image::RgbImage;

use super::{FaceContext, Measure};
use crate::pipeline::Origin;
use crate::report::CheckId;

/// The measured window: the face's box, at most this many pixels a side around its
/// centre (a 12 MP face holds far more rows than the ratio needs).
const MAX_WINDOW: u32 = 384;

fn luma(raw: &[u8], at: usize) -> i32 {
    (299 * i32::from(raw[at]) + 587 * i32::from(raw[at + 1]) + 114 * i32::from(raw[at + 2])) / 1000
}

/// The strongest phase of 8 over the phases a smooth enlargement would also raise (the
/// same parity, and the phase 4 px away): about 1 for a natural photo or an enlarged
/// one, 1.3-2 and more for visible JPEG blocking.
fn phase_ratio(sums: &[f64; 8], counts: &[f64; 8]) -> f64 {
    let mean: Vec<f64> = (0..8).map(|p| sums[p] / counts[p].max(1.0)).collect();
    let peak = (0..8)
        .max_by(|&a, &b| mean[a].total_cmp(&mean[b]))
        .unwrap_or(0);
    let at = |k: usize| mean[(peak + k) % 8];
    let mut others: Vec<f64> = (1..8).map(at).collect();
    others.sort_by(f64::total_cmp);
    let reference = others[3].max(at(4)).max((at(2) + at(6)) / 2.0);
    if reference <= 1e-6 {
        return 1.0;
    }
    mean[peak] / reference
}

/// Blockiness of the window (x0, y0)-(x1, y1): the mean of the horizontal and vertical
/// phase ratios.
pub(crate) fn blockiness(image: &RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) -> Option<f64> {
    let (w, h) = image.dimensions();
    let (x1, y1) = (x1.min(w), y1.min(h));
    if x1 < x0 + 32 || y1 < y0 + 32 {
        return None;
    }
    let raw = image.as_raw();
    let stride = w as usize * 3;
    let (mut hs, mut hc) = ([0.0f64; 8], [0.0f64; 8]);
    let (mut vs, mut vc) = ([0.0f64; 8], [0.0f64; 8]);
    for y in y0 + 1..y1 {
        let row = y as usize * stride;
        let above = row - stride;
        let mut left = luma(raw, row + x0 as usize * 3);
        for x in x0 + 1..x1 {
            let at = row + x as usize * 3;
            let here = luma(raw, at);
            let phase = (x % 8) as usize;
            hs[phase] += f64::from((here - left).abs());
            hc[phase] += 1.0;
            let vphase = (y % 8) as usize;
            vs[vphase] += f64::from((here - luma(raw, above + x as usize * 3)).abs());
            vc[vphase] += 1.0;
            left = here;
        }
    }
    Some((phase_ratio(&hs, &hc) + phase_ratio(&vs, &vc)) / 2.0)
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    if context.analysis.origin != Origin::File {
        return vec![Measure::none(CheckId::Compression)];
    }
    let (min, max) = context.face.mesh.oval_box();
    let centre = min.midpoint(max);
    let half = ((max.x - min.x).max(max.y - min.y) / 2.0).min(MAX_WINDOW as f32 / 2.0);
    let corner = |v: f32| v.max(0.0) as u32;
    let value = blockiness(
        context.analysis.image,
        corner(centre.x - half),
        corner(centre.y - half),
        corner(centre.x + half),
        corner(centre.y + half),
    );
    vec![match value {
        Some(v) => Measure::of(CheckId::Compression, v),
        None => Measure::none(CheckId::Compression),
    }]
}
