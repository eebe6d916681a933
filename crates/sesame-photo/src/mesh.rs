//! MediaPipe's 468-point face mesh: the crop it needs, its landmarks in image pixels,
//! and the head pose read from their 3-D positions.

use image::RgbImage;

use crate::detect::{Detection, Point};
use crate::error::{PhotoError, Result};
use crate::models::{Network, FACE_MESH};
use crate::sampling::{self, RotatedSquare};

const SIZE: usize = 192;
/// MediaPipe's rule for the mesh crop: the detector's box made square on its long side
/// and enlarged 1.5× (`SOURCES.md`; the landmarks depend on it).
const ROI_SCALE: f32 = 1.5;
/// MediaPipe drops a face whose presence probability is under this.
pub(crate) const MIN_PRESENCE: f32 = 0.5;

/// Landmark indices (`SOURCES.md`, MediaPipe's `face_mesh_connections.py`). "Right" is
/// the subject's right, on the left of the picture.
pub(crate) mod index {
    pub const RIGHT_EYE_OUTER: usize = 33;
    pub const RIGHT_EYE_INNER: usize = 133;
    pub const LEFT_EYE_OUTER: usize = 263;
    pub const LEFT_EYE_INNER: usize = 362;
    pub const UPPER_LIP_INNER: usize = 13;
    pub const LOWER_LIP_INNER: usize = 14;
    pub const MOUTH_RIGHT: usize = 61;
    pub const MOUTH_LEFT: usize = 291;
    pub const CHIN: usize = 152;
    pub const FOREHEAD_TOP: usize = 10;
    /// Inner lip line: the upper lip from the right corner to the left, then the lower
    /// lip back.
    pub const INNER_LIPS: [usize; 20] = [
        78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95,
    ];
    /// The face oval, clockwise from the forehead top.
    pub const FACE_OVAL: [usize; 36] = [
        10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
        152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
    ];
    /// Symmetric pairs (subject's right, left) whose 3-D direction gives the head's
    /// left-right axis: eye corners, face sides, cheeks, jaw.
    pub const SYMMETRIC: [(usize, usize); 8] = [
        (33, 263),
        (133, 362),
        (234, 454),
        (93, 323),
        (132, 361),
        (58, 288),
        (127, 356),
        (70, 300),
    ];
    /// Forehead and nose-base points along the midline: the head's up-down axis, on the
    /// skull only (the chin drops when the mouth opens, which is not a nod).
    pub const MIDLINE_TOP: [usize; 3] = [10, 151, 9];
    pub const MIDLINE_BOTTOM: [usize; 3] = [1, 4, 5];
    /// Symmetric points of the upper cheeks (subject's right, left) where the light on
    /// both halves of the face is compared: the same anatomy on each side, so a slight
    /// turn of the head does not read as uneven light, and above the beard line.
    pub const CHEEKS: [(usize, usize); 5] =
        [(50, 280), (101, 330), (118, 347), (117, 346), (123, 352)];
}

/// A point of the mesh in image pixels; z is depth on the same scale (larger = farther).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point3 {
    pub x: f32,
    pub y: f32,
    pub z: f32,
}

impl Point3 {
    pub fn xy(self) -> Point {
        Point {
            x: self.x,
            y: self.y,
        }
    }
    fn sub(self, o: Point3) -> Point3 {
        Point3 {
            x: self.x - o.x,
            y: self.y - o.y,
            z: self.z - o.z,
        }
    }
    fn add(self, o: Point3) -> Point3 {
        Point3 {
            x: self.x + o.x,
            y: self.y + o.y,
            z: self.z + o.z,
        }
    }
    fn scale(self, k: f32) -> Point3 {
        Point3 {
            x: self.x * k,
            y: self.y * k,
            z: self.z * k,
        }
    }
    fn dot(self, o: Point3) -> f32 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    fn norm(self) -> f32 {
        self.dot(self).sqrt()
    }
    fn unit(self) -> Point3 {
        self.scale(1.0 / self.norm().max(1e-6))
    }
}

/// The head's orientation read from the mesh, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pose {
    /// Positive when the nose points to the picture's right.
    pub yaw: f32,
    /// Positive when the chin is raised (the face looks up), before calibration: the raw
    /// angle of the forehead-to-nose axis out of the picture plane.
    pub raw_pitch: f32,
    /// Tilt of the left-right axis in the picture, positive clockwise.
    pub roll: f32,
}

/// 468 landmarks of one face.
#[derive(Debug, Clone)]
pub(crate) struct Mesh {
    pub points: Vec<Point3>,
    /// Probability (0-1) that the crop held a face.
    pub presence: f32,
    /// The presence before the sigmoid: unlike the probability it does not saturate, so
    /// it still tells which of two good crops holds the face better.
    pub logit: f32,
    /// The crop the mesh was run on.
    pub roi: RotatedSquare,
}

impl Mesh {
    pub fn at(&self, i: usize) -> Point {
        self.points[i].xy()
    }

    /// Yaw, pitch and roll from the 3-D landmarks: the left-right axis is the mean of
    /// symmetric pairs, the up-down axis the forehead-to-nose direction made orthogonal
    /// to it. Both are scale-free, so the pose does not depend on the face's size.
    pub fn pose(&self) -> Pose {
        let p = |i: usize| self.points[i];
        let mut across = Point3 {
            x: 0.0,
            y: 0.0,
            z: 0.0,
        };
        for (right, left) in index::SYMMETRIC {
            across = across.add(p(left).sub(p(right)));
        }
        let across = across.unit();
        let mean = |ids: &[usize]| {
            ids.iter()
                .fold(
                    Point3 {
                        x: 0.0,
                        y: 0.0,
                        z: 0.0,
                    },
                    |s, &i| s.add(p(i)),
                )
                .scale(1.0 / ids.len() as f32)
        };
        let down = mean(&index::MIDLINE_BOTTOM).sub(mean(&index::MIDLINE_TOP));
        let down = down.sub(across.scale(down.dot(across))).unit();
        Pose {
            yaw: across.z.clamp(-1.0, 1.0).asin().to_degrees(),
            // Chin raised: the face tilts back, the nose comes nearer the camera (smaller z)
            // than the forehead.
            raw_pitch: -down.z.clamp(-1.0, 1.0).asin().to_degrees(),
            roll: across.y.atan2(across.x).to_degrees(),
        }
    }

    /// The axis-aligned box around the face oval, in image pixels.
    pub fn oval_box(&self) -> (Point, Point) {
        let mut min = Point {
            x: f32::MAX,
            y: f32::MAX,
        };
        let mut max = Point {
            x: f32::MIN,
            y: f32::MIN,
        };
        for &i in &index::FACE_OVAL {
            let q = self.at(i);
            min.x = min.x.min(q.x);
            min.y = min.y.min(q.y);
            max.x = max.x.max(q.x);
            max.y = max.y.max(q.y);
        }
        (min, max)
    }
}

/// MediaPipe's crop around a detection.
pub(crate) fn roi_from_detection(face: &Detection) -> RotatedSquare {
    let (right, left) = (face.right_eye(), face.left_eye());
    RotatedSquare {
        centre: face.centre(),
        side: ROI_SCALE * face.width().max(face.height()),
        angle: (left.y - right.y).atan2(left.x - right.x),
        mirrored: false,
    }
}

/// MediaPipe's tracking crop: around the landmarks of a mesh already found (the box of
/// every point, rotated by the outer eye corners), which steadies a second pass.
pub(crate) fn roi_from_mesh(mesh: &Mesh) -> RotatedSquare {
    let (right, left) = (
        mesh.at(index::RIGHT_EYE_OUTER),
        mesh.at(index::LEFT_EYE_OUTER),
    );
    let angle = (left.y - right.y).atan2(left.x - right.x);
    let (sin, cos) = angle.sin_cos();
    // The box in the rotated frame, so a tilted face does not get a larger crop.
    let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for q in &mesh.points {
        let (u, v) = (q.x * cos + q.y * sin, -q.x * sin + q.y * cos);
        u0 = u0.min(u);
        u1 = u1.max(u);
        v0 = v0.min(v);
        v1 = v1.max(v);
    }
    let (cu, cv) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
    RotatedSquare {
        centre: Point {
            x: cu * cos - cv * sin,
            y: cu * sin + cv * cos,
        },
        side: ROI_SCALE * (u1 - u0).max(v1 - v0),
        angle,
        mirrored: false,
    }
}

/// The face-mesh network.
pub(crate) struct FaceMesh {
    network: Network,
}

impl FaceMesh {
    pub fn load() -> Result<FaceMesh> {
        Ok(FaceMesh {
            network: Network::load(&FACE_MESH)?,
        })
    }

    /// The mesh of the face in `roi`.
    pub fn run(&self, image: &RgbImage, roi: RotatedSquare) -> Result<Mesh> {
        let outputs = self.network.run(sampling::crop_tensor(image, &roi, SIZE))?;
        let mut points = None;
        let mut presence = None;
        for (shape, values) in outputs {
            match values.len() {
                1404 => points = Some(values),
                1 => presence = Some(values[0]),
                _ => {
                    return Err(PhotoError::Inference {
                        detail: format!("face mesh output of shape {shape:?}"),
                    })
                }
            }
        }
        let (Some(raw), Some(logit)) = (points, presence) else {
            return Err(PhotoError::Inference {
                detail: "the face mesh did not give landmarks and presence".to_owned(),
            });
        };
        let scale = roi.scale(SIZE);
        let points = raw
            .chunks_exact(3)
            .map(|p| {
                let at = roi.image_point(p[0], p[1], SIZE);
                Point3 {
                    x: at.x,
                    y: at.y,
                    z: p[2] * scale,
                }
            })
            .collect();
        Ok(Mesh {
            points,
            presence: 1.0 / (1.0 + (-logit.clamp(-50.0, 50.0)).exp()),
            logit,
            roi,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mirrors each mesh point across the face's midline and reports how far it lands
    /// from its declared partner, in inter-eye distances.
    fn asymmetry(mesh: &Mesh, pairs: &[(usize, usize)]) -> Vec<(usize, usize, f32)> {
        let (r, l) = (
            mesh.at(index::RIGHT_EYE_OUTER),
            mesh.at(index::LEFT_EYE_OUTER),
        );
        let mid = r.midpoint(l);
        let angle = (l.y - r.y).atan2(l.x - r.x);
        let (sin, cos) = angle.sin_cos();
        let eye = r.distance(l);
        let local = |p: Point| {
            let (dx, dy) = (p.x - mid.x, p.y - mid.y);
            ((dx * cos + dy * sin) / eye, (-dx * sin + dy * cos) / eye)
        };
        pairs
            .iter()
            .map(|&(a, b)| {
                let (ua, va) = local(mesh.at(a));
                let (ub, vb) = local(mesh.at(b));
                (a, b, ((ua + ub).powi(2) + (va - vb).powi(2)).sqrt())
            })
            .collect()
    }

    #[test]
    fn the_symmetric_landmark_pairs_mirror_each_other_on_a_frontal_face() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.cache/test-photos/astronaut.png");
        let image = image::open(&path)
            .unwrap_or_else(|e| panic!("{e}: run scripts/fetch-test-photos.sh first"))
            .into_rgb8();
        let engine = crate::PhotoEngine::global().unwrap();
        let (_, primary) = engine.find_faces(&image).unwrap();
        let face = engine.face_landmarks(&image, primary.unwrap(), 2).unwrap();
        let mut pairs: Vec<(usize, usize)> = index::SYMMETRIC.to_vec();
        pairs.extend(index::CHEEKS);
        for (a, b, off) in asymmetry(&face.mesh, &pairs) {
            println!("{a}/{b}: {off:.3}");
            assert!(off < 0.12, "{a} and {b} are not mirror images ({off:.3})");
        }
    }
}
