//! Resampling the photo into the models' inputs: rotated square crops (face mesh, eyes,
//! face chip) and the whole picture stretched to a square (segmentation), as NCHW RGB
//! tensors in [0, 1].

use image::RgbImage;
use tract_onnx::prelude::*;

use crate::detect::Point;

/// A square of the photo, possibly rotated: what a landmark model sees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RotatedSquare {
    pub centre: Point,
    /// Side in image pixels.
    pub side: f32,
    /// Rotation in radians, clockwise in the picture (y points down): the crop's x axis
    /// runs along (cos, sin) in the image.
    pub angle: f32,
    /// Whether the crop is mirrored left-right (the iris model only knows one eye).
    pub mirrored: bool,
}

impl RotatedSquare {
    /// Image point of a crop point given in pixels of a `size` × `size` crop.
    pub fn image_point(&self, x: f32, y: f32, size: usize) -> Point {
        let scale = self.side / size as f32;
        let mut dx = (x - size as f32 / 2.0) * scale;
        let dy = (y - size as f32 / 2.0) * scale;
        if self.mirrored {
            dx = -dx;
        }
        let (sin, cos) = self.angle.sin_cos();
        Point {
            x: self.centre.x + dx * cos - dy * sin,
            y: self.centre.y + dx * sin + dy * cos,
        }
    }

    /// Whether `other` is nearly the same crop (centre within 3 % of the side, side within
    /// 5 %, angle within 2°): running a model again on it would change little.
    pub fn close_to(&self, other: &RotatedSquare) -> bool {
        let turn = (self.angle - other.angle + std::f32::consts::PI)
            .rem_euclid(2.0 * std::f32::consts::PI)
            - std::f32::consts::PI;
        self.mirrored == other.mirrored
            && self.centre.distance(other.centre) < 0.03 * self.side
            && (self.side - other.side).abs() < 0.05 * self.side
            && turn.abs() < 2f32.to_radians()
    }

    /// Image pixels per crop pixel for a `size` crop.
    pub fn scale(&self, size: usize) -> f32 {
        self.side / size as f32
    }
}

/// Bilinear sample at (x, y) (pixel centres at +0.5), with the edge pixels repeated
/// outside the image, as MediaPipe's crops do.
fn bilinear_clamped(raw: &[u8], w: usize, h: usize, x: f32, y: f32) -> [f32; 3] {
    let fx = (x - 0.5).clamp(0.0, (w - 1) as f32);
    let fy = (y - 0.5).clamp(0.0, (h - 1) as f32);
    let (ix, iy) = (fx as usize, fy as usize);
    let (ix1, iy1) = ((ix + 1).min(w - 1), (iy + 1).min(h - 1));
    let (tx, ty) = (fx - ix as f32, fy - iy as f32);
    let at = |x: usize, y: usize| (y * w + x) * 3;
    let (a, b, c, d) = (at(ix, iy), at(ix1, iy), at(ix, iy1), at(ix1, iy1));
    let mut out = [0.0; 3];
    for (k, value) in out.iter_mut().enumerate() {
        let top = raw[a + k] as f32 * (1.0 - tx) + raw[b + k] as f32 * tx;
        let bottom = raw[c + k] as f32 * (1.0 - tx) + raw[d + k] as f32 * tx;
        *value = top * (1.0 - ty) + bottom * ty;
    }
    out
}

/// Where to read the picture for each pixel of a crop: bilinear when the crop enlarges,
/// a grid of taps averaged over the crop pixel's footprint when it shrinks (so that a
/// 12 MP photo shrunk to a 192 px crop does not alias). Computed once per crop.
struct Taps {
    /// Offsets of the taps from a crop pixel's centre, in image pixels (empty: bilinear).
    offsets: Vec<(f32, f32)>,
}

/// Taps per side at most: 4 × 4 samples per crop pixel are enough against aliasing and
/// keep a 12 MP photo's crops cheap.
const MAX_TAPS: usize = 4;

impl Taps {
    fn for_square(square: &RotatedSquare, size: usize) -> Taps {
        let footprint = square.scale(size);
        if footprint <= 1.5 {
            return Taps {
                offsets: Vec::new(),
            };
        }
        let n = (footprint.round() as usize).clamp(2, MAX_TAPS);
        let (sin, cos) = square.angle.sin_cos();
        let mut offsets = Vec::with_capacity(n * n);
        for ty in 0..n {
            let v = footprint * ((ty as f32 + 0.5) / n as f32 - 0.5);
            for tx in 0..n {
                let u = footprint * ((tx as f32 + 0.5) / n as f32 - 0.5);
                offsets.push((u * cos - v * sin, u * sin + v * cos));
            }
        }
        Taps { offsets }
    }

    fn sample(&self, raw: &[u8], w: usize, h: usize, at: Point) -> [f32; 3] {
        if self.offsets.is_empty() {
            return bilinear_clamped(raw, w, h, at.x, at.y);
        }
        let (max_x, max_y) = (w as f32 - 1.0, h as f32 - 1.0);
        let mut sum = [0u32; 3];
        for &(dx, dy) in &self.offsets {
            let x = (at.x + dx).clamp(0.0, max_x) as usize;
            let y = (at.y + dy).clamp(0.0, max_y) as usize;
            let i = (y * w + x) * 3;
            sum[0] += u32::from(raw[i]);
            sum[1] += u32::from(raw[i + 1]);
            sum[2] += u32::from(raw[i + 2]);
        }
        let n = self.offsets.len() as f32;
        sum.map(|s| s as f32 / n)
    }
}

/// The crop `square` of `image` as a 1×3×S×S tensor in [0, 1].
pub(crate) fn crop_tensor(image: &RgbImage, square: &RotatedSquare, size: usize) -> Tensor {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    let plane = size * size;
    let mut data = vec![0.0f32; 3 * plane];
    let taps = Taps::for_square(square, size);
    // The crop's axes in the picture: one crop pixel right, one down.
    let origin = square.image_point(0.5, 0.5, size);
    let right = square.image_point(1.5, 0.5, size);
    let down = square.image_point(0.5, 1.5, size);
    let (rx, ry) = (right.x - origin.x, right.y - origin.y);
    let (dx, dy) = (down.x - origin.x, down.y - origin.y);
    for y in 0..size {
        let row = Point {
            x: origin.x + y as f32 * dx,
            y: origin.y + y as f32 * dy,
        };
        for x in 0..size {
            let at = Point {
                x: row.x + x as f32 * rx,
                y: row.y + x as f32 * ry,
            };
            let rgb = taps.sample(raw, w, h, at);
            let i = y * size + x;
            data[i] = rgb[0] / 255.0;
            data[plane + i] = rgb[1] / 255.0;
            data[2 * plane + i] = rgb[2] / 255.0;
        }
    }
    tract_ndarray::Array4::from_shape_vec((1, 3, size, size), data)
        .expect("buffer has the tensor's size")
        .into()
}

/// The whole image stretched (not letterboxed) to a 1×3×S×S tensor in [0, 1], each
/// output pixel the average of up to 4×4 taps over its footprint.
pub(crate) fn stretched_tensor(image: &RgbImage, size: usize) -> Tensor {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let raw = image.as_raw();
    let plane = size * size;
    let mut data = vec![0.0f32; 3 * plane];
    let (sx, sy) = (w as f32 / size as f32, h as f32 / size as f32);
    let taps_x = (sx.round() as usize).clamp(1, MAX_TAPS);
    let taps_y = (sy.round() as usize).clamp(1, MAX_TAPS);
    let columns: Vec<usize> = (0..size * taps_x)
        .map(|i| {
            let (o, t) = (i / taps_x, i % taps_x);
            (((o as f32 + (t as f32 + 0.5) / taps_x as f32) * sx) as usize).min(w - 1)
        })
        .collect();
    let rows: Vec<usize> = (0..size * taps_y)
        .map(|i| {
            let (o, t) = (i / taps_y, i % taps_y);
            (((o as f32 + (t as f32 + 0.5) / taps_y as f32) * sy) as usize).min(h - 1)
        })
        .collect();
    let norm = 1.0 / (255.0 * (taps_x * taps_y) as f32);
    for oy in 0..size {
        for ox in 0..size {
            let mut sum = [0u32; 3];
            for &row in &rows[oy * taps_y..(oy + 1) * taps_y] {
                let line = row * w;
                for &column in &columns[ox * taps_x..(ox + 1) * taps_x] {
                    let at = (line + column) * 3;
                    sum[0] += u32::from(raw[at]);
                    sum[1] += u32::from(raw[at + 1]);
                    sum[2] += u32::from(raw[at + 2]);
                }
            }
            let i = oy * size + ox;
            data[i] = sum[0] as f32 * norm;
            data[plane + i] = sum[1] as f32 * norm;
            data[2 * plane + i] = sum[2] as f32 * norm;
        }
    }
    tract_ndarray::Array4::from_shape_vec((1, 3, size, size), data)
        .expect("buffer has the tensor's size")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotated_square_maps_its_centre_and_axes() {
        let square = RotatedSquare {
            centre: Point { x: 100.0, y: 50.0 },
            side: 20.0,
            angle: std::f32::consts::FRAC_PI_2,
            mirrored: false,
        };
        let c = square.image_point(5.0, 5.0, 10);
        assert!((c.x - 100.0).abs() < 1e-4 && (c.y - 50.0).abs() < 1e-4);
        // The crop's +x runs down the picture when the square is turned a quarter clockwise.
        let right = square.image_point(10.0, 5.0, 10);
        assert!((right.x - 100.0).abs() < 1e-3 && (right.y - 60.0).abs() < 1e-3);
        let mirrored = RotatedSquare {
            mirrored: true,
            ..square
        };
        let left = mirrored.image_point(10.0, 5.0, 10);
        assert!((left.y - 40.0).abs() < 1e-3);
    }

    #[test]
    fn nearly_the_same_crop_is_close_and_a_turned_one_is_not() {
        let a = RotatedSquare {
            centre: Point { x: 100.0, y: 100.0 },
            side: 100.0,
            angle: 0.01,
            mirrored: false,
        };
        let nudged = RotatedSquare {
            centre: Point { x: 102.0, y: 101.0 },
            side: 103.0,
            angle: -0.01,
            ..a
        };
        assert!(a.close_to(&nudged));
        let turned = RotatedSquare { angle: 0.2, ..a };
        assert!(!a.close_to(&turned));
        let wrapped = RotatedSquare {
            angle: 2.0 * std::f32::consts::PI + 0.01,
            ..a
        };
        assert!(a.close_to(&wrapped));
    }

    #[test]
    fn outside_the_picture_the_edge_pixels_repeat() {
        let mut image = RgbImage::from_pixel(4, 4, image::Rgb([0, 0, 0]));
        for y in 0..4 {
            image.put_pixel(3, y, image::Rgb([255, 255, 255]));
        }
        let raw = image.as_raw();
        assert_eq!(bilinear_clamped(raw, 4, 4, 50.0, 2.0), [255.0; 3]);
        assert_eq!(bilinear_clamped(raw, 4, 4, -50.0, 2.0), [0.0; 3]);
    }
}
