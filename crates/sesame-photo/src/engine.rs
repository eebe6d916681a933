//! The loaded face models and the operations that need them.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use image::{GrayImage, RgbImage};

use crate::checks;
use crate::crop::{self, CroppedPhoto};
use crate::descriptor::{self, DescriptorModel, FaceComparison, FaceDescriptor};
use crate::detect::Detector;
use crate::error::{PhotoError, Result};
use crate::import::ImportedPhoto;
use crate::iris::IrisModel;
use crate::live::LiveAnalyser;
use crate::mesh::FaceMesh;
use crate::models::{BACK_256, FRONT_128};
use crate::pipeline::{Analysis, Origin};
use crate::report::PhotoReport;
use crate::rules::PhotoRules;
use crate::segmentation::Segmenter;

/// The face models, loaded and optimised. Build it once per process with
/// [`PhotoEngine::global`]; it is `Sync`, so every thread can share it. The descriptor,
/// slow to load and only needed to compare two photos, is loaded on the first comparison.
pub struct PhotoEngine {
    pub(crate) front: Detector,
    pub(crate) back: Detector,
    pub(crate) mesh: FaceMesh,
    pub(crate) iris: IrisModel,
    pub(crate) segmenter: Segmenter,
    descriptor: OnceLock<std::result::Result<DescriptorModel, LoadFailure>>,
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

impl LoadFailure {
    fn of(error: PhotoError) -> LoadFailure {
        match error {
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
                name: "face models",
                expected: "",
                detail: other.to_string(),
            },
        }
    }

    fn error(&self) -> PhotoError {
        if self.code_checksum {
            PhotoError::ModelChecksum {
                name: self.name,
                expected: self.expected,
                actual: self.detail.clone(),
            }
        } else {
            PhotoError::ModelLoad {
                name: self.name,
                detail: self.detail.clone(),
            }
        }
    }
}

static GLOBAL: OnceLock<std::result::Result<PhotoEngine, LoadFailure>> = OnceLock::new();

impl PhotoEngine {
    /// The process-wide engine, loaded on first use (a few hundred ms), then shared.
    pub fn global() -> Result<&'static PhotoEngine> {
        match GLOBAL.get_or_init(|| PhotoEngine::load().map_err(LoadFailure::of)) {
            Ok(engine) => Ok(engine),
            Err(failure) => Err(failure.error()),
        }
    }

    /// Loads a fresh engine (verifying every model's checksum). Prefer [`PhotoEngine::global`].
    pub fn load() -> Result<PhotoEngine> {
        let started = Instant::now();
        let front = Detector::load(&FRONT_128)?;
        let back = Detector::load(&BACK_256)?;
        Ok(PhotoEngine {
            front,
            back,
            mesh: FaceMesh::load()?,
            iris: IrisModel::load()?,
            segmenter: Segmenter::load()?,
            descriptor: OnceLock::new(),
            load_duration: started.elapsed(),
        })
    }

    /// How long loading and optimising the models took (the descriptor's excepted).
    pub fn load_duration(&self) -> Duration {
        self.load_duration
    }

    fn report(&self, analysis: &Analysis<'_>, rules: &PhotoRules) -> PhotoReport {
        checks::evaluate(analysis, rules)
    }

    /// Every check on a still photo that did not come from a file (a captured frame):
    /// compression is not judged.
    pub fn check_image(&self, image: &RgbImage, rules: &PhotoRules) -> Result<PhotoReport> {
        let mut mask = None;
        let analysis = self.analyse_still(image, Origin::Camera, &mut mask)?;
        Ok(self.report(&analysis, rules))
    }

    /// Every check on an imported photo (compression too when it came from a file).
    pub fn check(&self, photo: &ImportedPhoto, rules: &PhotoRules) -> Result<PhotoReport> {
        let origin = if photo.is_imported_file() {
            Origin::File
        } else {
            Origin::Camera
        };
        let mut mask = None;
        let analysis = self.analyse_still(photo.image(), origin, &mut mask)?;
        Ok(self.report(&analysis, rules))
    }

    /// Detection, landmarks, segmentation and every check on one live frame, with no
    /// state kept between frames. A camera preview should hold a [`LiveAnalyser`]
    /// instead ([`PhotoEngine::live`]): it runs the segmentation and the small-face search
    /// on some frames only, to stay within a frame's time on one core.
    pub fn analyse_frame(&self, frame: &RgbImage, rules: &PhotoRules) -> Result<PhotoReport> {
        let mut live = self.live(Duration::ZERO);
        live.analyse(frame, rules, Instant::now())
    }

    /// A stateful analyser for a camera preview whose slower measures (segmentation,
    /// small faces) are never older than `max_age` (200 ms at the desk).
    pub fn live(&self, max_age: Duration) -> LiveAnalyser<'_> {
        LiveAnalyser::new(self, max_age)
    }

    /// Checks the photo, cuts the badge frame around the face and encodes it as JPEG.
    /// Refused photos are cropped too (the report says why they are refused); only a
    /// photo without any face is an error.
    pub fn auto_crop(&self, photo: &ImportedPhoto, rules: &PhotoRules) -> Result<CroppedPhoto> {
        let report = self.check(photo, rules)?;
        crop::cut(photo, report, rules)
    }

    /// The segmentation's person probability (0-255) at the picture's size: what the
    /// background checks call person (hair and clothes included). For display, and for
    /// tests that put a portrait on another background.
    pub fn person_mask(&self, image: &RgbImage) -> Result<GrayImage> {
        let mask = self.segmenter.run(image)?;
        Ok(GrayImage::from_fn(image.width(), image.height(), |x, y| {
            let p = mask.at(x as f32 + 0.5, y as f32 + 0.5);
            image::Luma([(p * 255.0).round().clamp(0.0, 255.0) as u8])
        }))
    }

    /// How long each stage of a live frame's analysis takes on `frame` (the caller's
    /// clock: wall time on the calling thread), for the benchmark's breakdown. Not part
    /// of the API the desk uses.
    #[doc(hidden)]
    pub fn stage_timings(
        &self,
        frame: &RgbImage,
        rules: &PhotoRules,
    ) -> Result<Vec<(&'static str, Duration)>> {
        let mut out = Vec::new();
        let mut timed = |name: &'static str, started: Instant| out.push((name, started.elapsed()));
        let started = Instant::now();
        let (faces, primary) = self.find_faces_fast(frame)?;
        timed("detection (128, centred square)", started);
        let Some(detection) = primary else {
            return Ok(out);
        };
        let started = Instant::now();
        let first = self
            .mesh
            .run(frame, crate::mesh::roi_from_detection(&detection))?;
        timed("face mesh (one pass)", started);
        let started = Instant::now();
        let face = self.with_eyes(frame, detection, first)?;
        timed("iris, both eyes", started);
        let started = Instant::now();
        let mask = self.segmenter.run(frame)?;
        timed("segmentation", started);
        let started = Instant::now();
        let analysis = Analysis {
            image: frame,
            origin: Origin::Camera,
            faces,
            face: Some(face),
            mask: Some((&mask, None)),
            faces_age: None,
            eyes_age: None,
        };
        let _ = checks::evaluate(&analysis, rules);
        timed("checks (measures and verdicts)", started);
        let started = Instant::now();
        let whole = crate::detect::Square::letterbox(frame.width(), frame.height());
        let _ = self.back.detect(frame, whole)?;
        timed("detection (256, whole frame)", started);
        Ok(out)
    }

    fn descriptor_model(&self) -> Result<&DescriptorModel> {
        match self
            .descriptor
            .get_or_init(|| DescriptorModel::load().map_err(LoadFailure::of))
        {
            Ok(model) => Ok(model),
            Err(failure) => Err(failure.error()),
        }
    }

    /// The descriptor of the largest face in `image`, None without a face. The first
    /// call loads the descriptor model (most of a second).
    pub fn face_descriptor(&self, image: &RgbImage) -> Result<Option<FaceDescriptor>> {
        let model = self.descriptor_model()?;
        let (_, primary) = self.find_faces(image)?;
        let Some(detection) = primary else {
            return Ok(None);
        };
        let face = self.face_landmarks(image, detection, 2)?;
        let [right, left] = &face.eyes;
        let chip = descriptor::chip(right.centre(), left.centre());
        Ok(Some(model.run(image, chip)?))
    }

    /// How alike the faces of a previous badge photo and a new photo are, for a renewal:
    /// a hint for the operator, never a verdict. None when either has no face.
    pub fn compare_faces(
        &self,
        previous: &RgbImage,
        new: &RgbImage,
    ) -> Result<Option<FaceComparison>> {
        let (Some(a), Some(b)) = (self.face_descriptor(previous)?, self.face_descriptor(new)?)
        else {
            return Ok(None);
        };
        Ok(Some(FaceComparison::of(&a, &b)))
    }
}
