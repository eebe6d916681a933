//! The background: measured on the pixels the segmentation calls background, inside the
//! badge frame, so hair, shoulders and clothes never count as a busy backdrop.

use super::{FaceContext, Measure};
use crate::patch::{luminance, mean, sample, srgb_to_lab};
use crate::report::CheckId;

/// Background grid width, cells (the height follows the frame's aspect).
const GRID: usize = 48;
/// A cell is background when the person probability is under this at its centre and
/// corners (the mask's soft edge around hair is left out).
const BACKGROUND: f32 = 0.2;
/// Fewer background cells than this (a close-up) leave nothing to judge.
const MIN_CELLS: usize = 24;
/// Weights of the spread of the background's luminance (blurred clutter, a flag out of
/// focus, a lamp) and of its colour (objects, foliage, flags) against its local texture
/// in the uniformity measure. A booth's backdrop has little of either; a soft light
/// fall-off across it adds a few units.
const SPREAD_WEIGHT: f64 = 0.35;
const COLOUR_WEIGHT: f64 = 0.3;

pub(crate) struct BackgroundMeasure {
    pub brightness: f64,
    /// Mean luminance step between neighbouring cells (texture, edges).
    pub gradient: f64,
    /// Standard deviation of the cells' luminance (large blurred shapes).
    pub spread: f64,
    /// Standard deviation of the cells' colour, CIELAB a*b* (coloured objects).
    pub colour_spread: f64,
}

impl BackgroundMeasure {
    /// Texture plus part of the luminance and colour spreads: low for a plain backdrop,
    /// even with a soft light fall-off.
    pub fn uniformity(&self) -> f64 {
        self.gradient + SPREAD_WEIGHT * self.spread + COLOUR_WEIGHT * self.colour_spread
    }
}

pub(crate) fn background(context: &FaceContext<'_>) -> Option<BackgroundMeasure> {
    let (mask, _) = context.analysis.mask?;
    let image = context.analysis.image;
    let framing = &context.framing;
    let cell = framing.width / GRID as f32;
    let rows = (framing.height / cell).round().max(1.0) as usize;
    let mut grid: Vec<Option<f32>> = Vec::with_capacity(rows * GRID);
    let mut chroma: Vec<(f64, f64)> = Vec::new();
    for row in 0..rows {
        let y = framing.y0 + (row as f32 + 0.5) * cell;
        for col in 0..GRID {
            let x = framing.x0 + (col as f32 + 0.5) * cell;
            let h = cell / 2.0;
            let person = [(0.0, 0.0), (-h, -h), (h, -h), (-h, h), (h, h)]
                .iter()
                .map(|(dx, dy)| mask.at(x + dx, y + dy))
                .fold(0.0f32, f32::max);
            grid.push(if person < BACKGROUND {
                sample(image, x, y, cell).map(|rgb| {
                    let (_, a, b) = srgb_to_lab(rgb);
                    chroma.push((a, b));
                    luminance(rgb)
                })
            } else {
                None
            });
        }
    }
    let values: Vec<f64> = grid.iter().flatten().map(|&v| v as f64).collect();
    if values.len() < MIN_CELLS {
        return None;
    }
    let mut gradients = Vec::new();
    for row in 0..rows.saturating_sub(1) {
        for col in 0..GRID - 1 {
            let at = |r: usize, c: usize| grid[r * GRID + c];
            if let (Some(c), Some(r), Some(d)) = (at(row, col), at(row, col + 1), at(row + 1, col))
            {
                gradients.push(((r - c).abs() + (d - c).abs()) as f64 / 2.0);
            }
        }
    }
    let brightness = mean(&values);
    let spread = mean(
        &values
            .iter()
            .map(|v| (v - brightness).powi(2))
            .collect::<Vec<_>>(),
    )
    .sqrt();
    let (ma, mb) = (
        mean(&chroma.iter().map(|c| c.0).collect::<Vec<_>>()),
        mean(&chroma.iter().map(|c| c.1).collect::<Vec<_>>()),
    );
    let colour_spread = mean(
        &chroma
            .iter()
            .map(|c| (c.0 - ma).powi(2) + (c.1 - mb).powi(2))
            .collect::<Vec<_>>(),
    )
    .sqrt();
    Some(BackgroundMeasure {
        brightness,
        gradient: mean(&gradients),
        spread,
        colour_spread,
    })
}

pub(super) fn measure(context: &FaceContext<'_>) -> Vec<Measure> {
    let age = context.analysis.mask.and_then(|(_, age)| age);
    match background(context) {
        Some(bg) => vec![
            Measure::of(CheckId::BackgroundUniformity, bg.uniformity()).aged(age),
            Measure::of(CheckId::BackgroundBrightness, bg.brightness).aged(age),
        ],
        None => vec![
            Measure::none(CheckId::BackgroundUniformity).aged(age),
            Measure::none(CheckId::BackgroundBrightness).aged(age),
        ],
    }
}
