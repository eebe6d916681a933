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

/// The crop of one eye. The model knows the eye on the picture's left (the subject's
/// right): the other eye is mirrored so that its outer corner is on the crop's left too.
pub(crate) fn eye_roi(mesh: &Mesh, subject_right: bool) -> RotatedSquare {
    let (left_in_picture, right_in_picture) = if subject_right {
        (
            mesh.at(index::RIGHT_EYE_OUTER),
            mesh.at(index::RIGHT_EYE_INNER),
        )
    } else {
        (
            mesh.at(index::LEFT_EYE_INNER),
            mesh.at(index::LEFT_EYE_OUTER),
        )
    };
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
