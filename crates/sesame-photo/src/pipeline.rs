//! Which models run on a picture, in which order, and what they found: the input of
//! every check.

use std::f32::consts::{FRAC_PI_2, PI};
use std::time::Duration;

use image::RgbImage;

use crate::detect::{weighted_nms, Detection, Point, Square};
use crate::engine::PhotoEngine;
use crate::error::Result;
use crate::iris::{self, Eye};
use crate::mesh::{self, Mesh, MIN_PRESENCE};
use crate::sampling::RotatedSquare;
use crate::segmentation::PersonMask;

/// How far around a detected face the second, landmark-refining pass looks, in face widths.
/// The front model was trained on faces filling about half of its input.
const REFINE_CONTEXT: f32 = 2.0;
/// At most this many extra candidates are confirmed with the mesh (each costs a mesh run);
/// the strongest first. More faces than that are several faces anyway.
const MAX_EXTRA_CANDIDATES: usize = 6;

/// A face at least this wide, as a share of the picture's long side, needs no refining
/// detection pass.
const WELL_SEEN: f32 = 0.2;

/// A mesh presence logit under this is checked against the crop turned upside down,
/// which must beat it by `FLIP_MARGIN` to be taken.
const WEAK_LOGIT: f32 = 12.0;
const FLIP_MARGIN: f32 = 10.0;

/// A region of the person mask apart from the subject smaller than this many of its
/// 256 × 256 cells (0.05 % of the picture) is a speck, not a person.
const MIN_OTHER_PERSON_CELLS: usize = 32;
/// The square searched around another person is their region's long side times this,
/// at least `MIN_SEARCH` of the picture's long side: a small face then fills enough of
/// the 256 detector's input to be found.
const SEARCH_MARGIN: f32 = 1.3;
const MIN_SEARCH: f32 = 0.15;

/// Where the picture came from: compression is judged on imported files only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A camera frame or still: no file, no compression of its own.
    Camera,
    /// An imported file (its pixels went through the file's codec).
    File,
}

/// The measured face: the detector's box and points, the mesh, and both eyes.
#[derive(Debug, Clone)]
pub(crate) struct FaceAnalysis {
    pub detection: Detection,
    pub mesh: Mesh,
    /// The subject's right eye (left in the picture), then the left eye.
    pub eyes: [Eye; 2],
}

/// Everything the models found in one picture.
pub(crate) struct Analysis<'a> {
    pub image: &'a RgbImage,
    pub origin: Origin,
    /// Every face counted, the measured one included.
    pub faces: Vec<Detection>,
    pub face: Option<FaceAnalysis>,
    /// The person mask, and how long ago it was computed when it comes from an earlier
    /// frame (live analysis).
    pub mask: Option<(&'a PersonMask, Option<Duration>)>,
    /// How old the face count is when the small-face search ran on an earlier frame.
    pub faces_age: Option<Duration>,
    /// How old the older eye is when one was read on an earlier frame (live analysis
    /// reads one eye per frame).
    pub eyes_age: Option<Duration>,
}

impl PhotoEngine {
    /// Every face in a still photo (both detectors on the whole picture), and the largest
    /// one with its keypoints refined.
    pub(crate) fn find_faces(
        &self,
        image: &RgbImage,
    ) -> Result<(Vec<Detection>, Option<Detection>)> {
        let whole = Square::letterbox(image.width(), image.height());
        let mut found = self.front.detect(image, whole)?;
        found.extend(self.back.detect(image, whole)?);
        let faces = weighted_nms(found);
        let primary = self.refined_largest(image, &faces)?;
        Ok((faces, primary))
    }

    /// Faces too small for the whole-picture pass (under about 8 % of its long side):
    /// the segmentation shows where other people stand apart from the subject, and the
    /// 256 detector looks at each of them closely. A face in a poster is not a person and
    /// is not searched for this way.
    pub(crate) fn faces_of_other_people(
        &self,
        image: &RgbImage,
        mask: &PersonMask,
        subject: &Detection,
    ) -> Result<Vec<Detection>> {
        let centre = subject.centre();
        let long_side = image.width().max(image.height()) as f32;
        let mut found = Vec::new();
        for [x0, y0, x1, y1] in mask.other_people(centre.x, centre.y, MIN_OTHER_PERSON_CELLS) {
            let side = (SEARCH_MARGIN * (x1 - x0).max(y1 - y0)).max(MIN_SEARCH * long_side);
            // A person's face is at the top of their region.
            let around = Point {
                x: (x0 + x1) / 2.0,
                y: y0 + side / 2.0 - 0.1 * side,
            };
            found.extend(self.back.detect(image, Square::centred(around, side))?);
        }
        Ok(found)
    }

    /// The fast path for live frames: the front model only, first on the centred square
    /// where a person at the desk sits (in a 16:9 frame the face is then twice as large for
    /// the network as in the whole letterboxed frame), then on the whole frame if needed.
    pub(crate) fn find_faces_fast(
        &self,
        image: &RgbImage,
    ) -> Result<(Vec<Detection>, Option<Detection>)> {
        let (w, h) = image.dimensions();
        let centre = Point {
            x: w as f32 / 2.0,
            y: h as f32 / 2.0,
        };
        let mut faces = self
            .front
            .detect(image, Square::centred(centre, w.min(h) as f32))?;
        if faces.is_empty() && w != h {
            faces = self.front.detect(image, Square::letterbox(w, h))?;
        }
        let primary = faces
            .iter()
            .max_by(|a, b| (a.width() * a.height()).total_cmp(&(b.width() * b.height())))
            .cloned();
        Ok((faces, primary))
    }

    /// Runs the front model again on a square around the largest face when it was small
    /// in the whole-image pass: the box of a face 20 px wide there becomes a few pixels
    /// precise, which the mesh crop needs. A face already filling a fifth of the picture
    /// was seen well enough (the mesh's second pass corrects the rest).
    fn refined_largest(&self, image: &RgbImage, faces: &[Detection]) -> Result<Option<Detection>> {
        let Some(largest) = faces
            .iter()
            .max_by(|a, b| (a.width() * a.height()).total_cmp(&(b.width() * b.height())))
        else {
            return Ok(None);
        };
        if largest.width() >= WELL_SEEN * image.width().max(image.height()) as f32 {
            return Ok(Some(largest.clone()));
        }
        let side = REFINE_CONTEXT * largest.width().max(largest.height());
        let around = self
            .front
            .detect(image, Square::centred(largest.centre(), side))?;
        let centre = largest.centre();
        let refined = around
            .into_iter()
            .min_by(|a, b| {
                a.centre()
                    .distance(centre)
                    .total_cmp(&b.centre().distance(centre))
            })
            .filter(|r| r.centre().distance(centre) < largest.width() / 2.0);
        Ok(Some(refined.unwrap_or_else(|| largest.clone())))
    }

    /// The mesh and both eyes of a detected face. `passes` = 2 runs the mesh again on the
    /// crop its own landmarks give (MediaPipe's tracking crop), which no longer depends on
    /// how the detector framed the face.
    pub(crate) fn face_landmarks(
        &self,
        image: &RgbImage,
        detection: Detection,
        passes: usize,
    ) -> Result<FaceAnalysis> {
        let mut mesh = self.mesh_from_detection(image, &detection)?;
        for _ in 1..passes {
            let roi = mesh::roi_from_mesh(&mesh);
            if mesh.presence < MIN_PRESENCE || roi.close_to(&mesh.roi) {
                break;
            }
            mesh = self.mesh.run(image, roi)?;
        }
        self.with_eyes(image, detection, mesh)
    }

    /// The mesh in MediaPipe's crop around a detection. The detector's eye points are
    /// unreliable on a face lying sideways or upside down (its training had few): when
    /// the mesh sees no face there, the crop is tried turned a quarter and a half turn;
    /// and when it sees one only weakly, the crop turned upside down too, since the mesh
    /// "finds" an upright face in an upside-down one (presence logits of 2-3 on the set's
    /// upside-down variants, 37 once turned; 5-45 on upright faces, at most 10 turned).
    pub(crate) fn mesh_from_detection(
        &self,
        image: &RgbImage,
        detection: &Detection,
    ) -> Result<Mesh> {
        let roi = mesh::roi_from_detection(detection);
        let turned = |turn: f32| crate::sampling::RotatedSquare {
            angle: roi.angle + turn,
            ..roi
        };
        let mut best = self.mesh.run(image, roi)?;
        if best.presence < MIN_PRESENCE {
            for turn in [FRAC_PI_2, -FRAC_PI_2] {
                let mesh = self.mesh.run(image, turned(turn))?;
                if mesh.logit > best.logit {
                    best = mesh;
                }
            }
        }
        if best.logit < WEAK_LOGIT {
            let flipped = self.mesh.run(
                image,
                RotatedSquare {
                    angle: best.roi.angle + PI,
                    ..best.roi
                },
            )?;
            if flipped.logit > best.logit + FLIP_MARGIN {
                best = flipped;
            }
        }
        Ok(best)
    }

    /// Adds both eyes to a mesh.
    pub(crate) fn with_eyes(
        &self,
        image: &RgbImage,
        detection: Detection,
        mesh: Mesh,
    ) -> Result<FaceAnalysis> {
        let right = self.iris.run(image, iris::eye_roi(&mesh, true))?;
        let left = self.iris.run(image, iris::eye_roi(&mesh, false))?;
        Ok(FaceAnalysis {
            detection,
            mesh,
            eyes: [right, left],
        })
    }

    /// The faces to count: the measured one, and every other candidate the mesh confirms
    /// is a face (the detectors alone see faces in textures; the mesh's presence score
    /// tells them apart).
    pub(crate) fn confirmed_faces(
        &self,
        image: &RgbImage,
        candidates: &[Detection],
        primary: Option<&Detection>,
    ) -> Result<Vec<Detection>> {
        let Some(primary) = primary else {
            return Ok(Vec::new());
        };
        let mut faces = vec![primary.clone()];
        let others = candidates
            .iter()
            .filter(|c| c.centre().distance(primary.centre()) > primary.width() / 2.0)
            .take(MAX_EXTRA_CANDIDATES);
        for candidate in others {
            let mesh = self.mesh.run(image, mesh::roi_from_detection(candidate))?;
            if mesh.presence >= MIN_PRESENCE {
                faces.push(candidate.clone());
            }
        }
        Ok(faces)
    }

    /// Detection, landmarks, segmentation and face count of a still photo.
    pub(crate) fn analyse_still<'a>(
        &self,
        image: &'a RgbImage,
        origin: Origin,
        mask: &'a mut Option<PersonMask>,
    ) -> Result<Analysis<'a>> {
        let (mut candidates, primary) = self.find_faces(image)?;
        *mask = match primary {
            Some(_) => Some(self.segmenter.run(image)?),
            None => None,
        };
        if let (Some(subject), Some(people)) = (&primary, mask.as_ref()) {
            candidates.extend(self.faces_of_other_people(image, people, subject)?);
            candidates = weighted_nms(candidates);
        }
        let faces = self.confirmed_faces(image, &candidates, primary.as_ref())?;
        let face = match primary {
            Some(detection) => Some(self.face_landmarks(image, detection, 2)?),
            None => None,
        };
        Ok(Analysis {
            image,
            origin,
            faces,
            face,
            mask: mask.as_ref().map(|m| (m, None)),
            faces_age: None,
            eyes_age: None,
        })
    }
}
