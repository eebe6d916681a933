//! The loaded face models and the operations that need them.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use image::RgbImage;

use crate::checks;
use crate::crop::{self, CroppedPhoto};
use crate::detect::{weighted_nms, Detection, Detector, Square};
use crate::error::{PhotoError, Result};
use crate::import::ImportedPhoto;
use crate::models::{self, BACK_256, FRONT_128};
use crate::report::PhotoReport;
use crate::rules::PhotoRules;

/// How far around a detected face the second, landmark-refining pass looks, in face widths.
/// The front model was trained on faces filling about half of its input.
const REFINE_CONTEXT: f32 = 2.0;

/// Both BlazeFace models, loaded and optimised. Build it once per process with
/// [`PhotoEngine::global`]; it is `Sync`, so every thread can share it.
pub struct PhotoEngine {
    front: Detector,
    back: Detector,
    load_duration: Duration,
}

/// A failed load, kept so that later calls report the same error without reloading.
#[derive(Clone)]
struct LoadFailure {
    code_checksum: bool,
    name: &'static str,
    expected: &'static str,
    detail: String,
}

static GLOBAL: OnceLock<std::result::Result<PhotoEngine, LoadFailure>> = OnceLock::new();

impl PhotoEngine {
    /// The process-wide engine, loaded on first use (≈ 100 ms), then shared.
    pub fn global() -> Result<&'static PhotoEngine> {
        let loaded = GLOBAL.get_or_init(|| {
            PhotoEngine::load().map_err(|error| match error {
                PhotoError::ModelChecksum {
                    name,
                    expected,
                    actual,
                } => LoadFailure {
                    code_checksum: true,
                    name,
                    expected,
                    detail: actual,
                },
                PhotoError::ModelLoad { name, detail } => LoadFailure {
                    code_checksum: false,
                    name,
                    expected: "",
                    detail,
                },
                other => LoadFailure {
                    code_checksum: false,
                    name: "blazeface",
                    expected: "",
                    detail: other.to_string(),
                },
            })
        });
        match loaded {
            Ok(engine) => Ok(engine),
            Err(failure) if failure.code_checksum => Err(PhotoError::ModelChecksum {
                name: failure.name,
                expected: failure.expected,
                actual: failure.detail.clone(),
            }),
            Err(failure) => Err(PhotoError::ModelLoad {
                name: failure.name,
                detail: failure.detail.clone(),
            }),
        }
    }

    /// Loads a fresh engine (verifying both models' checksums). Prefer [`PhotoEngine::global`].
    pub fn load() -> Result<PhotoEngine> {
        let started = Instant::now();
        let front = Detector::new(&FRONT_128, models::load(&FRONT_128)?);
        let back = Detector::new(&BACK_256, models::load(&BACK_256)?);
        Ok(PhotoEngine {
            front,
            back,
            load_duration: started.elapsed(),
        })
    }

    /// How long loading and optimising both models took.
    pub fn load_duration(&self) -> Duration {
        self.load_duration
    }

    /// Every face in a still photo (both models, so small faces count too), and the
    /// largest one with landmarks refined, which the checks measure.
    fn find_faces(&self, image: &RgbImage) -> Result<(Vec<Detection>, Option<Detection>)> {
        let whole = Square::letterbox(image.width(), image.height());
        let mut found = self.front.detect(image, whole)?;
        found.extend(self.back.detect(image, whole)?);
        let faces = weighted_nms(found);
        let primary = self.refined_largest(image, &faces)?;
        Ok((faces, primary))
    }

    /// The fast path for live frames: the front model only, first on the centred square
    /// where a person at the desk sits (in a 16:9 frame the face is then twice as large for
    /// the network as in the whole letterboxed frame), then on the whole frame if needed.
    fn find_faces_fast(&self, image: &RgbImage) -> Result<(Vec<Detection>, Option<Detection>)> {
        let (w, h) = image.dimensions();
        let centre = crate::detect::Point {
            x: w as f32 / 2.0,
            y: h as f32 / 2.0,
        };
        let mut faces = self
            .front
            .detect(image, Square::centred(centre, w.min(h) as f32))?;
        if faces.is_empty() && w != h {
            faces = self.front.detect(image, Square::letterbox(w, h))?;
        }
        let primary = self.refined_largest(image, &faces)?;
        Ok((faces, primary))
    }

    /// Runs the front model again on a square around the largest face: the landmarks of a
    /// face that was 20 px wide in the whole-image pass become a few pixels precise.
    fn refined_largest(&self, image: &RgbImage, faces: &[Detection]) -> Result<Option<Detection>> {
        let Some(largest) = faces
            .iter()
            .max_by(|a, b| (a.width() * a.height()).total_cmp(&(b.width() * b.height())))
        else {
            return Ok(None);
        };
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

    /// Every check on a still photo (an import or a captured frame).
    pub fn check_image(&self, image: &RgbImage, rules: &PhotoRules) -> Result<PhotoReport> {
        let (faces, primary) = self.find_faces(image)?;
        Ok(checks::evaluate(image, &faces, primary.as_ref(), rules))
    }

    /// Every check on an imported photo.
    pub fn check(&self, photo: &ImportedPhoto, rules: &PhotoRules) -> Result<PhotoReport> {
        self.check_image(photo.image(), rules)
    }

    /// Detection and every check on one live frame, fast enough for the preview overlay
    /// (the front model only: a still must still go through [`PhotoEngine::check`]).
    pub fn analyse_frame(&self, frame: &RgbImage, rules: &PhotoRules) -> Result<PhotoReport> {
        let (faces, primary) = self.find_faces_fast(frame)?;
        Ok(checks::evaluate(frame, &faces, primary.as_ref(), rules))
    }

    /// Checks the photo, cuts the badge frame around the face and encodes it as JPEG.
    /// Refused photos are cropped too (the report says why they are refused); only a
    /// photo without any face is an error.
    pub fn auto_crop(&self, photo: &ImportedPhoto, rules: &PhotoRules) -> Result<CroppedPhoto> {
        let report = self.check(photo, rules)?;
        crop::cut(photo, report, rules)
    }
}
