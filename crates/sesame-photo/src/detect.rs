//! BlazeFace inference and decoding: image region → square tensor → anchors → faces.

use image::RgbImage;
use tract_onnx::prelude::*;

use crate::error::{PhotoError, Result};
use crate::models::{ModelFile, Network};

/// Scores under this (after the sigmoid) are not faces; 0.75 matched onnxruntime's MediaPipe
/// pipeline on the test photos, and the best non-face (a cat) peaked at 0.58.
pub(crate) const MIN_SCORE: f32 = 0.75;
/// Overlapping candidates above this IoU are merged (MediaPipe's weighted NMS).
const NMS_IOU: f32 = 0.3;

/// A point in image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub fn distance(self, other: Point) -> f32 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
    pub fn midpoint(self, other: Point) -> Point {
        Point {
            x: (self.x + other.x) / 2.0,
            y: (self.y + other.y) / 2.0,
        }
    }
}

/// One detected face in image pixels. Keypoints are MediaPipe's, in the subject's terms:
/// right eye, left eye, nose tip, mouth centre, right tragion, left tragion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Detection {
    pub score: f32,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub keypoints: [Point; 6],
}

impl Detection {
    pub fn right_eye(&self) -> Point {
        self.keypoints[0]
    }
    pub fn left_eye(&self) -> Point {
        self.keypoints[1]
    }
    pub fn nose(&self) -> Point {
        self.keypoints[2]
    }
    pub fn mouth(&self) -> Point {
        self.keypoints[3]
    }
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn centre(&self) -> Point {
        Point {
            x: (self.x0 + self.x1) / 2.0,
            y: (self.y0 + self.y1) / 2.0,
        }
    }
    fn area(&self) -> f32 {
        self.width().max(0.0) * self.height().max(0.0)
    }
    fn iou(&self, other: &Detection) -> f32 {
        let w = (self.x1.min(other.x1) - self.x0.max(other.x0)).max(0.0);
        let h = (self.y1.min(other.y1) - self.y0.max(other.y0)).max(0.0);
        let inter = w * h;
        let union = self.area() + other.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }
}

/// The square of the image the network sees (may extend past the image: padded black).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Square {
    pub x0: f32,
    pub y0: f32,
    pub side: f32,
}

impl Square {
    /// The whole image, letterboxed (centred) into a square.
    pub fn letterbox(width: u32, height: u32) -> Square {
        let side = width.max(height) as f32;
        Square {
            x0: (width as f32 - side) / 2.0,
            y0: (height as f32 - side) / 2.0,
            side,
        }
    }
    pub fn centred(centre: Point, side: f32) -> Square {
        Square {
            x0: centre.x - side / 2.0,
            y0: centre.y - side / 2.0,
            side,
        }
    }
}

/// Samples `region` into a 1×S×S×3 tensor in [-1, 1], averaging up to 4×4 samples per
/// output pixel so that a 12 MP photo shrunk to 128 px does not alias.
fn input_tensor(image: &RgbImage, region: Square, size: usize) -> Tensor {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let step = region.side / size as f32;
    let taps = (step.ceil() as usize).clamp(1, 4);
    // Source column / row of every tap, computed once (None outside the image: black).
    let positions = |origin: f32, limit: i64| -> Vec<Option<usize>> {
        (0..size * taps)
            .map(|i| {
                let (o, t) = (i / taps, i % taps);
                let at =
                    (origin + (o as f32 + (t as f32 + 0.5) / taps as f32) * step).floor() as i64;
                (0..limit).contains(&at).then_some(at as usize)
            })
            .collect()
    };
    let columns = positions(region.x0, w);
    let rows = positions(region.y0, h);
    let raw = image.as_raw();
    let stride = w as usize * 3;
    let mut data = vec![-1.0f32; size * size * 3];
    let norm = 1.0 / (127.5 * (taps * taps) as f32);
    for oy in 0..size {
        for ox in 0..size {
            let mut sum = [0u32; 3];
            for row in rows[oy * taps..(oy + 1) * taps].iter().flatten() {
                let line = row * stride;
                for column in columns[ox * taps..(ox + 1) * taps].iter().flatten() {
                    let at = line + column * 3;
                    sum[0] += u32::from(raw[at]);
                    sum[1] += u32::from(raw[at + 1]);
                    sum[2] += u32::from(raw[at + 2]);
                }
            }
            let at = (oy * size + ox) * 3;
            for c in 0..3 {
                data[at + c] = sum[c] as f32 * norm - 1.0;
            }
        }
    }
    tract_ndarray::Array4::from_shape_vec((1, size, size, 3), data)
        .expect("buffer has the tensor's size")
        .into()
}

/// Anchor centres in [0, 1]: a 16×16 grid with 2 anchors per cell, then 8×8 with 6.
fn anchors() -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(896);
    for (grid, per_cell) in [(16usize, 2usize), (8, 6)] {
        for y in 0..grid {
            for x in 0..grid {
                let centre = (
                    (x as f32 + 0.5) / grid as f32,
                    (y as f32 + 0.5) / grid as f32,
                );
                out.extend(std::iter::repeat_n(centre, per_cell));
            }
        }
    }
    out
}

/// A BlazeFace network with its anchors.
pub(crate) struct Detector {
    network: Network,
    input_size: usize,
    anchors: Vec<(f32, f32)>,
}

impl Detector {
    pub fn load(file: &'static ModelFile) -> Result<Detector> {
        Ok(Detector {
            network: Network::load(file)?,
            input_size: file.input_size,
            anchors: anchors(),
        })
    }

    /// Faces found in `region` of `image`, merged, best first, in image pixels.
    pub fn detect(&self, image: &RgbImage, region: Square) -> Result<Vec<Detection>> {
        let input = input_tensor(image, region, self.input_size);
        // Outputs are told apart by shape: scores [1,N,1], regressors [1,N,16], for the
        // 16×16 (N = 512) and 8×8 (N = 384) grids.
        let mut scores: [Option<Vec<f32>>; 2] = [None, None];
        let mut boxes: [Option<Vec<f32>>; 2] = [None, None];
        for (shape, values) in self.network.run(input)? {
            let grid = match shape.get(1) {
                Some(512) => 0,
                Some(384) => 1,
                _ => continue,
            };
            match shape.get(2) {
                Some(1) => scores[grid] = Some(values),
                Some(16) => boxes[grid] = Some(values),
                _ => {}
            }
        }
        let (Some(s0), Some(s1), Some(b0), Some(b1)) =
            (&scores[0], &scores[1], &boxes[0], &boxes[1])
        else {
            return Err(PhotoError::Inference {
                detail: "the model's outputs do not have BlazeFace's shapes".to_owned(),
            });
        };
        let scores = s0.iter().chain(s1.iter());
        let regressors: Vec<&[f32]> = b0.chunks_exact(16).chain(b1.chunks_exact(16)).collect();
        let size = self.input_size as f32;
        let to_image = |nx: f32, ny: f32| Point {
            x: region.x0 + nx * region.side,
            y: region.y0 + ny * region.side,
        };
        let mut candidates = Vec::new();
        for ((raw, reg), &(ax, ay)) in scores.zip(&regressors).zip(&self.anchors) {
            let score = 1.0 / (1.0 + (-raw.clamp(-100.0, 100.0)).exp());
            if score < MIN_SCORE {
                continue;
            }
            let cx = ax + reg[0] / size;
            let cy = ay + reg[1] / size;
            let (hw, hh) = (reg[2] / size / 2.0, reg[3] / size / 2.0);
            let top_left = to_image(cx - hw, cy - hh);
            let bottom_right = to_image(cx + hw, cy + hh);
            let mut keypoints = [Point { x: 0.0, y: 0.0 }; 6];
            for (k, kp) in keypoints.iter_mut().enumerate() {
                *kp = to_image(ax + reg[4 + 2 * k] / size, ay + reg[5 + 2 * k] / size);
            }
            candidates.push(Detection {
                score,
                x0: top_left.x,
                y0: top_left.y,
                x1: bottom_right.x,
                y1: bottom_right.y,
                keypoints,
            });
        }
        Ok(weighted_nms(candidates))
    }
}

/// MediaPipe's weighted non-maximum suppression: overlapping candidates are averaged,
/// weighted by score, which steadies the box and keypoints from frame to frame.
pub(crate) fn weighted_nms(mut candidates: Vec<Detection>) -> Vec<Detection> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut merged = Vec::new();
    while !candidates.is_empty() {
        let best = candidates[0].clone();
        let (overlapping, rest): (Vec<Detection>, Vec<Detection>) =
            candidates.into_iter().partition(|c| best.iou(c) > NMS_IOU);
        candidates = rest;
        let total: f32 = overlapping.iter().map(|c| c.score).sum();
        let mut face = best.clone();
        if total > 0.0 {
            let avg = |f: &dyn Fn(&Detection) -> f32| {
                overlapping.iter().map(|c| f(c) * c.score).sum::<f32>() / total
            };
            face.x0 = avg(&|c| c.x0);
            face.y0 = avg(&|c| c.y0);
            face.x1 = avg(&|c| c.x1);
            face.y1 = avg(&|c| c.y1);
            for k in 0..6 {
                face.keypoints[k] = Point {
                    x: avg(&|c| c.keypoints[k].x),
                    y: avg(&|c| c.keypoints[k].y),
                };
            }
        }
        merged.push(face);
    }
    merged
}
