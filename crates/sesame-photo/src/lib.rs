//! Sésame's ID photos, with no Tauri: import (JPEG/PNG/WebP, EXIF orientation, metadata
//! stripped, bombs refused), face analysis with embedded models (MediaPipe BlazeFace,
//! face mesh, iris and selfie segmentation; dlib's face descriptor), ICAO-style checks
//! each with a measured value, threshold, verdict, kind and operator hint, auto-crop to
//! the badge frame, live analysis for the camera preview, and camera capture.
//!
//! Verdicts: a failing check of kind [`CheckKind::Blocking`] (no face, several faces)
//! refuses the photo for good; any other failure refuses it unless the operator
//! overrides it with a recorded reason ([`PhotoReport::is_overridable`]); checks of kind
//! [`CheckKind::Warning`] (head covering, occlusion) only ever warn. The report's
//! `quality_score` is for display and decides nothing; `fix_first` says what to fix
//! first. [`PhotoEngine::compare_faces`] tells whether a renewal's new photo looks like
//! the previous one: a hint for the operator, never a verdict.
//!
//! ```no_run
//! use sesame_photo::{import_photo, ImportLimits, PhotoEngine, PhotoRules};
//! # fn main() -> Result<(), sesame_photo::PhotoError> {
//! let bytes = std::fs::read("photo.jpg").unwrap();
//! let photo = import_photo(&bytes, &ImportLimits::default())?;
//! let cropped = PhotoEngine::global()?.auto_crop(&photo, &PhotoRules::default())?;
//! if cropped.report.is_refused() {
//!     for failure in cropped.report.failures() { println!("{}", failure.name()); }
//!     if let Some(first) = &cropped.report.fix_first { println!("{}", first.hint.en); }
//! }
//! std::fs::write("badge.jpg", &cropped.jpeg).unwrap();
//! # Ok(()) }
//! ```

mod camera;
mod checks;
mod crop;
mod descriptor;
mod detect;
mod engine;
mod error;
mod geometry;
mod hints;
mod import;
mod iris;
mod live;
mod mesh;
mod models;
mod patch;
mod pipeline;
mod report;
mod rules;
mod sampling;
mod segmentation;

pub use camera::{
    list_cameras, AutoCapture, CameraInfo, CameraMode, FileFrameSource, FrameSource, Webcam,
};
pub use crop::{CroppedPhoto, PhotoEdits};
pub use descriptor::{FaceComparison, FaceDescriptor, SAME_PERSON_DISTANCE};
pub use engine::PhotoEngine;
pub use error::{PhotoError, Result};
pub use import::{import_path, import_photo, ImportLimits, ImportedPhoto, SourceFormat};
pub use live::LiveAnalyser;
pub use report::{
    BoxPx, CheckId, CheckKind, CheckResult, CirclePx, FaceBox, FaceLandmarks, FixFirst, Hint,
    OverallVerdict, PhotoReport, PixelRect, PointPx, Verdict,
};
pub use rules::{BadgeFrame, Band, CheckRule, PhotoRules};

/// Every check on an imported photo, with the process-wide engine.
pub fn check(photo: &ImportedPhoto, rules: &PhotoRules) -> Result<PhotoReport> {
    PhotoEngine::global()?.check(photo, rules)
}

/// Checks, crops to the badge frame and encodes, with the process-wide engine.
pub fn auto_crop(photo: &ImportedPhoto, rules: &PhotoRules) -> Result<CroppedPhoto> {
    PhotoEngine::global()?.auto_crop(photo, rules)
}

/// Detection and checks on one live frame, for the preview overlay (no state kept: a
/// preview should hold a [`LiveAnalyser`] from [`PhotoEngine::live`]).
pub fn analyse_frame(frame: &image::RgbImage, rules: &PhotoRules) -> Result<PhotoReport> {
    PhotoEngine::global()?.analyse_frame(frame, rules)
}

/// How alike the faces of a previous badge photo and a new one are (renewals): a hint
/// for the operator, never a verdict. Loads the descriptor model on first use.
pub fn compare_faces(
    previous: &image::RgbImage,
    new: &image::RgbImage,
) -> Result<Option<FaceComparison>> {
    PhotoEngine::global()?.compare_faces(previous, new)
}

/// The `image` crate this API speaks (frames are `image::RgbImage`).
pub use image;
