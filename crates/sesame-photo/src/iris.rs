//! MediaPipe's iris model: the lids' contour and the iris of each eye, from a crop
//! around the eye corners the face mesh found.

use image::RgbImage;

use crate::detect::Point;
use crate::error::{PhotoError, Result};
use crate::mesh::{index, Mesh};
use crate::models::{Network, IRIS};
use crate::sampling::{self, RotatedSquare};

const SIZE: usize = 64;
/// The eye crop spans this many eye-corner distances (`SOURCES.md`).
const ROI_SCALE: f32 = 2.3;
/// Contour points of the lids in the model's output: 0-8 lower lid from the outer to
/// the inner corner, 9-15 the upper lid back.
const CONTOUR: usize = 16;
/// The lid points whose gap measures openness, and the corners it is divided by.
const LOWER_MIDDLE: usize = 4;
const UPPER_MIDDLE: usize = 12;
const OUTER_CORNER: usize = 0;
const INNER_CORNER: usize = 8;

/// One eye: its lids and iris in image pixels.
#[derive(Debug, Clone)]
pub(crate) struct Eye {
    /// 16 points: the lower lid from the outer corner to the inner one, then the upper
    /// lid back towards the outer corner.
    pub contour: Vec<Point>,
    pub iris_centre: Point,
    /// Mean distance of the four iris edge points from its centre, px.
    pub iris_radius: f32,
}

impl Eye {
    /// Lid gap over the eye's width: about 0.3-0.45 open, under 0.15 closed.
    pub fn openness(&self) -> f32 {
        let gap = self.contour[UPPER_MIDDLE].distance(self.contour[LOWER_MIDDLE]);
        let width = self.contour[OUTER_CORNER]
            .distance(self.contour[INNER_CORNER])
            .max(1.0);
        gap / width
    }

    /// The eye's centre: the middle of its corners (steadier than the iris, which
    /// follows the gaze).
    pub fn centre(&self) -> Point {
        self.contour[OUTER_CORNER].midpoint(self.contour[INNER_CORNER])
    }
}

impl Eye {
    /// The same eye carried along with the head: every point moved by the similarity
    /// (shift, turn, scale) that takes the eye's corners `from` one frame's mesh `to` the
    /// next one's. Used in live analysis, where each eye is read on every other frame.
    pub fn moved(&self, from: (Point, Point), to: (Point, Point)) -> Eye {
        let (fdx, fdy) = (from.1.x - from.0.x, from.1.y - from.0.y);
        let (tdx, tdy) = (to.1.x - to.0.x, to.1.y - to.0.y);
        let scale = (tdx.hypot(tdy) / fdx.hypot(fdy).max(1e-3)).clamp(0.5, 2.0);
        let turn = tdy.atan2(tdx) - fdy.atan2(fdx);
        let (sin, cos) = turn.sin_cos();
        let map = |p: Point| {
            let (dx, dy) = (p.x - from.0.x, p.y - from.0.y);
            Point {
                x: to.0.x + scale * (dx * cos - dy * sin),
                y: to.0.y + scale * (dx * sin + dy * cos),
            }
        };
        Eye {
            contour: self.contour.iter().copied().map(map).collect(),
            iris_centre: map(self.iris_centre),
            iris_radius: self.iris_radius * scale,
        }
    }
}

/// The corners an eye's crop is placed on (subject's right eye first, or the left).
pub(crate) fn corners(mesh: &Mesh, subject_right: bool) -> (Point, Point) {
    if subject_right {
        (
            mesh.at(index::RIGHT_EYE_OUTER),
            mesh.at(index::RIGHT_EYE_INNER),
        )
    } else {
        (
            mesh.at(index::LEFT_EYE_INNER),
            mesh.at(index::LEFT_EYE_OUTER),
        )
    }
}

/// The crop of one eye. The model knows the eye on the picture's left (the subject's
/// right): the other eye is mirrored so that its outer corner is on the crop's left too.
pub(crate) fn eye_roi(mesh: &Mesh, subject_right: bool) -> RotatedSquare {
    let (left_in_picture, right_in_picture) = corners(mesh, subject_right);
    RotatedSquare {
        centre: left_in_picture.midpoint(right_in_picture),
        side: ROI_SCALE * left_in_picture.distance(right_in_picture).max(2.0),
        angle: (right_in_picture.y - left_in_picture.y)
            .atan2(right_in_picture.x - left_in_picture.x),
        mirrored: !subject_right,
    }
}

/// The iris network.
pub(crate) struct IrisModel {
    network: Network,
}

impl IrisModel {
    pub fn load() -> Result<IrisModel> {
        Ok(IrisModel {
            network: Network::load(&IRIS)?,
        })
    }

    /// Lids and iris of the eye in `roi`.
    pub fn run(&self, image: &RgbImage, roi: RotatedSquare) -> Result<Eye> {
        let outputs = self.network.run(sampling::crop_tensor(image, &roi, SIZE))?;
        let mut contour = None;
        let mut iris = None;
        for (shape, values) in outputs {
            match values.len() {
                213 => contour = Some(values),
                15 => iris = Some(values),
                _ => {
                    return Err(PhotoError::Inference {
                        detail: format!("iris model output of shape {shape:?}"),
                    })
                }
            }
        }
        let (Some(contour), Some(iris)) = (contour, iris) else {
            return Err(PhotoError::Inference {
                detail: "the iris model did not give the eye contour and iris".to_owned(),
            });
        };
        let to_picture = |p: &[f32]| roi.image_point(p[0], p[1], SIZE);
        let contour: Vec<Point> = contour
            .chunks_exact(3)
            .take(CONTOUR)
            .map(to_picture)
            .collect();
        let iris: Vec<Point> = iris.chunks_exact(3).map(to_picture).collect();
        let iris_radius = iris[1..].iter().map(|p| p.distance(iris[0])).sum::<f32>() / 4.0;
        Ok(Eye {
            contour,
            iris_centre: iris[0],
            iris_radius,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_eye_moves_turns_and_scales_with_its_corners() {
        let p = |x: f32, y: f32| Point { x, y };
        let eye = Eye {
            contour: vec![p(0.0, 0.0), p(10.0, 0.0), p(5.0, -2.0)],
            iris_centre: p(5.0, 0.0),
            iris_radius: 2.0,
        };
        // Shifted by (100, 50), turned a quarter clockwise, twice as large.
        let moved = eye.moved(
            (p(0.0, 0.0), p(10.0, 0.0)),
            (p(100.0, 50.0), p(100.0, 70.0)),
        );
        let close = |a: Point, b: Point| a.distance(b) < 1e-3;
        assert!(close(moved.contour[1], p(100.0, 70.0)));
        assert!(
            close(moved.contour[2], p(104.0, 60.0)),
            "{:?}",
            moved.contour[2]
        );
        assert!(close(moved.iris_centre, p(100.0, 60.0)));
        assert!((moved.iris_radius - 4.0).abs() < 1e-4);
    }
}
