//! The face de-rolled and resampled to a fixed eye distance, and the image quality
//! measures made on it (ISO/IEC 29794-5 / OFIQ spirit): sharpness, exposure, contrast,
//! colour, left/right light balance, skin coverage.

use image::RgbImage;

use crate::geometry::FaceGeometry;

/// The face is resampled so that the eyes are this many pixels apart, which makes the
/// sharpness and histogram measures independent of the photo's resolution.
pub(crate) const PATCH_EYE_DISTANCE: f32 = 40.0;
/// Patch extent in inter-eye distances: across, above and below the eye line. Just what
/// the inner face and cheeks need (eye-to-mouth is 0.9-1.3 eye distances), as sampling the
/// patch is most of the checks' cost.
const PATCH_HALF_WIDTH: f32 = 0.9;
const PATCH_ABOVE: f32 = 0.5;
const PATCH_BELOW: f32 = 1.9;
/// Colour distance (CIELAB ΔE, lightness weighted by half so that shading on skin is not
/// taken for something else) beyond which a face pixel is not skin-like.
const NOT_SKIN_DELTA_E: f64 = 25.0;

pub(crate) fn luminance(rgb: [f32; 3]) -> f32 {
    0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
}

/// Average colour of the `taps`×`taps` nearest samples around (x, y), or None outside.
pub(crate) fn sample(image: &RgbImage, x: f32, y: f32, footprint: f32) -> Option<[f32; 3]> {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let taps = (footprint.ceil() as usize).clamp(1, 6);
    let raw = image.as_raw();
    let at = |ix: i64, iy: i64| ((iy * w + ix) * 3) as usize;
    if taps == 1 {
        // Enlarging: bilinear, so the patch is not blocky.
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (ix, iy) = (fx.floor() as i64, fy.floor() as i64);
        if ix < 0 || iy < 0 || ix + 1 >= w || iy + 1 >= h {
            return None;
        }
        let (tx, ty) = (fx - ix as f32, fy - iy as f32);
        let mut out = [0.0; 3];
        for (c, value) in out.iter_mut().enumerate() {
            let p = |dx: i64, dy: i64| raw[at(ix + dx, iy + dy) + c] as f32;
            let top = p(0, 0) * (1.0 - tx) + p(1, 0) * tx;
            let bottom = p(0, 1) * (1.0 - tx) + p(1, 1) * tx;
            *value = top * (1.0 - ty) + bottom * ty;
        }
        return Some(out);
    }
    // Shrinking: box-average a grid of samples over the footprint, so fine detail is
    // averaged rather than aliased.
    let mut sum = [0.0f32; 3];
    let mut count = 0u32;
    for ty in 0..taps {
        let sy = y + footprint * ((ty as f32 + 0.5) / taps as f32 - 0.5);
        let iy = sy.floor() as i64;
        for tx in 0..taps {
            let sx = x + footprint * ((tx as f32 + 0.5) / taps as f32 - 0.5);
            let ix = sx.floor() as i64;
            if ix >= 0 && iy >= 0 && ix < w && iy < h {
                let i = at(ix, iy);
                sum[0] += raw[i] as f32;
                sum[1] += raw[i + 1] as f32;
                sum[2] += raw[i + 2] as f32;
                count += 1;
            }
        }
    }
    (count * 2 >= (taps * taps) as u32).then(|| sum.map(|s| s / count as f32))
}

/// The face, de-rolled and resampled to a fixed eye distance.
pub(crate) struct FacePatch {
    width: usize,
    height: usize,
    pixels: Vec<Option<[f32; 3]>>,
    /// Eye-to-mouth distance in inter-eye distances (varies from face to face).
    eye_mouth: f32,
}

impl FacePatch {
    pub fn extract(image: &RgbImage, geometry: &FaceGeometry) -> FacePatch {
        let scale = geometry.inter_eye / PATCH_EYE_DISTANCE;
        let roll = geometry.roll_deg.to_radians();
        let (cos, sin) = (roll.cos(), roll.sin());
        let width = (2.0 * PATCH_HALF_WIDTH * PATCH_EYE_DISTANCE) as usize;
        let height = ((PATCH_ABOVE + PATCH_BELOW) * PATCH_EYE_DISTANCE) as usize;
        let mut pixels = Vec::with_capacity(width * height);
        for py in 0..height {
            let v = (py as f32 + 0.5) - PATCH_ABOVE * PATCH_EYE_DISTANCE;
            for px in 0..width {
                let u = (px as f32 + 0.5) - PATCH_HALF_WIDTH * PATCH_EYE_DISTANCE;
                let x = geometry.eyes_mid.x + scale * (u * cos - v * sin);
                let y = geometry.eyes_mid.y + scale * (u * sin + v * cos);
                pixels.push(sample(image, x, y, scale));
            }
        }
        FacePatch {
            width,
            height,
            pixels,
            eye_mouth: geometry.eye_mouth / geometry.inter_eye,
        }
    }

    fn to_patch(&self, u: f32, v: f32) -> (i64, i64) {
        (
            ((u + PATCH_HALF_WIDTH) * PATCH_EYE_DISTANCE) as i64,
            ((v + PATCH_ABOVE) * PATCH_EYE_DISTANCE) as i64,
        )
    }

    /// Patch pixels (x, y) within a region given in eye-distance units around the eyes.
    fn region(
        &self,
        u0: f32,
        u1: f32,
        v0: f32,
        v1: f32,
    ) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (x0, y0) = self.to_patch(u0, v0);
        let (x1, y1) = self.to_patch(u1, v1);
        let clamp_x = |x: i64| x.clamp(0, self.width as i64) as usize;
        let clamp_y = |y: i64| y.clamp(0, self.height as i64) as usize;
        let (x0, x1, y0, y1) = (clamp_x(x0), clamp_x(x1), clamp_y(y0), clamp_y(y1));
        (y0..y1).flat_map(move |y| (x0..x1).map(move |x| (x, y)))
    }

    fn get(&self, x: usize, y: usize) -> Option<[f32; 3]> {
        self.pixels[y * self.width + x]
    }

    /// Brows to below the mouth, between the outer eye corners: skin, eyes, nose, mouth.
    fn inner_face(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.region(-0.85, 0.85, -0.45, self.eye_mouth + 0.3)
    }

    /// Luminance of the inner face's pixels that fell inside the image.
    fn inner_luminance(&self) -> Vec<f32> {
        self.inner_face()
            .filter_map(|(x, y)| self.get(x, y))
            .map(luminance)
            .collect()
    }

    /// Sharpness of the inner face: the variance of its second derivative along the
    /// weaker of the two axes (so a motion blur, which leaves the other axis sharp, is
    /// not missed), over the face's own luminance variance (so the figure depends
    /// neither on how much texture, beard or wrinkles a face has, nor on the exposure),
    /// ×1000.
    pub fn sharpness(&self) -> f64 {
        let lum = |x: usize, y: usize| self.get(x, y).map(luminance);
        let (mut dxx, mut dyy, mut plain) = (Vec::new(), Vec::new(), Vec::new());
        for (x, y) in self.inner_face() {
            if x == 0 || y == 0 || x + 1 >= self.width || y + 1 >= self.height {
                continue;
            }
            if let (Some(c), Some(l), Some(r), Some(u), Some(d)) = (
                lum(x, y),
                lum(x - 1, y),
                lum(x + 1, y),
                lum(x, y - 1),
                lum(x, y + 1),
            ) {
                dxx.push((l + r - 2.0 * c) as f64);
                dyy.push((u + d - 2.0 * c) as f64);
                plain.push(c as f64);
            }
        }
        let weaker = variance(&dxx).min(variance(&dyy));
        1000.0 * weaker / variance(&plain).max(1.0)
    }

    /// Mean luminance (0-255) of the inner face.
    pub fn mean_luminance(&self) -> f64 {
        mean(
            &self
                .inner_luminance()
                .iter()
                .map(|&v| v as f64)
                .collect::<Vec<_>>(),
        )
    }

    /// Share (%) of inner-face pixels crushed (≤ 25) or blown out (≥ 247).
    pub fn clipped_pct(&self) -> f64 {
        let lum = self.inner_luminance();
        if lum.is_empty() {
            return 0.0;
        }
        let clipped = lum.iter().filter(|&&v| v <= 25.0 || v >= 247.0).count();
        100.0 * clipped as f64 / lum.len() as f64
    }

    /// Shannon entropy (bits) of the inner face's 256-bin luminance histogram.
    pub fn entropy_bits(&self) -> f64 {
        let lum = self.inner_luminance();
        let mut histogram = [0u32; 256];
        for v in &lum {
            histogram[v.round().clamp(0.0, 255.0) as usize] += 1;
        }
        let total = lum.len().max(1) as f64;
        histogram
            .iter()
            .filter(|&&n| n > 0)
            .map(|&n| {
                let p = n as f64 / total;
                -p * p.log2()
            })
            .sum()
    }

    /// Share (%) of the cheeks and nose whose colour is far from the face's own skin
    /// colour (their median): a hand, a microphone, a mask, a scarf. Above the beard
    /// line and below the glasses, so neither counts.
    pub fn not_skin_pct(&self) -> f64 {
        let em = self.eye_mouth;
        let (v0, v1) = (0.45 * em, 0.8 * em);
        let pixels: Vec<(f64, f64, f64)> = self
            .region(-0.75, -0.2, v0, v1)
            .chain(self.region(0.2, 0.75, v0, v1))
            .chain(self.region(-0.15, 0.15, 0.35 * em, 0.7 * em))
            .filter_map(|(x, y)| self.get(x, y))
            .map(srgb_to_lab)
            .collect();
        if pixels.is_empty() {
            return 0.0;
        }
        let median = |f: &dyn Fn(&(f64, f64, f64)) -> f64| {
            let mut v: Vec<f64> = pixels.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let skin = (median(&|p| p.0), median(&|p| p.1), median(&|p| p.2));
        let far = pixels
            .iter()
            .filter(|p| {
                let dl = (p.0 - skin.0) / 2.0;
                (dl * dl + (p.1 - skin.1).powi(2) + (p.2 - skin.2).powi(2)).sqrt()
                    > NOT_SKIN_DELTA_E
            })
            .count();
        100.0 * far as f64 / pixels.len() as f64
    }

    /// Mean colour (CIELAB) and luminance of the cheeks: the face's skin reference.
    pub fn skin(&self) -> Option<[f32; 3]> {
        let em = self.eye_mouth;
        let pixels: Vec<[f32; 3]> = self
            .region(-0.75, -0.25, 0.45 * em, 0.8 * em)
            .chain(self.region(0.25, 0.75, 0.45 * em, 0.8 * em))
            .filter_map(|(x, y)| self.get(x, y))
            .collect();
        if pixels.is_empty() {
            return None;
        }
        let n = pixels.len() as f32;
        let mut sum = [0.0f32; 3];
        for p in &pixels {
            for c in 0..3 {
                sum[c] += p[c];
            }
        }
        Some(sum.map(|s| s / n))
    }
}

pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

pub(crate) fn variance(values: &[f64]) -> f64 {
    let m = mean(values);
    mean(&values.iter().map(|v| (v - m).powi(2)).collect::<Vec<_>>())
}

/// sRGB (0-255) to CIELAB under D65.
pub(crate) fn srgb_to_lab(rgb: [f32; 3]) -> (f64, f64, f64) {
    let linear = rgb.map(|c| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    let x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047;
    let y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    let z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_has_no_chroma_and_skin_has_some() {
        let (_, a, b) = srgb_to_lab([128.0, 128.0, 128.0]);
        assert!((a * a + b * b).sqrt() < 0.5);
        let (_, a, b) = srgb_to_lab([224.0, 172.0, 140.0]);
        assert!((a * a + b * b).sqrt() > 15.0);
    }
}
