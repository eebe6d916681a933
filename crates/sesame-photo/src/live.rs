//! Live analysis of a camera preview within a frame's time on one core: detection, the
//! mesh, one eye (the other carried along from the frame before) and every per-frame
//! check on each frame; the segmentation and the search for small faces behind the
//! person on some frames only, never older than the caller's limit.

use std::time::{Duration, Instant};

use image::RgbImage;

use crate::checks;
use crate::detect::{weighted_nms, Detection, Square};
use crate::engine::PhotoEngine;
use crate::error::Result;
use crate::iris::{self, Eye};
use crate::mesh::{self, Mesh, MIN_PRESENCE};
use crate::pipeline::{Analysis, FaceAnalysis, Origin};
use crate::report::PhotoReport;
use crate::rules::PhotoRules;
use crate::segmentation::PersonMask;

/// A result of a slow measure and the time of the frame it was made on.
struct Timed<T> {
    value: T,
    at: Instant,
}

/// Keeps what the slow measures found between frames. One per camera preview, owned by
/// the thread that analyses its frames (it is `Send`; the engine it borrows is shared).
pub struct LiveAnalyser<'e> {
    engine: &'e PhotoEngine,
    max_age: Duration,
    mask: Option<Timed<PersonMask>>,
    /// Faces other than the measured one found by the small-face search (the 256 detector
    /// on the whole frame and around the other people the segmentation shows, confirmed
    /// by the mesh).
    others: Option<Timed<Vec<Detection>>>,
    /// The last frame's mesh: its landmarks give the next frame's crop (MediaPipe's
    /// tracking), as steady as a second mesh pass at no cost.
    previous_mesh: Option<Mesh>,
    /// The last frame's eyes. Each frame reads one eye with the iris model (alternately)
    /// and carries the other along from the frame before: the iris model is the largest
    /// part of a frame's time, and an eye read 40 ms ago still shows a blink.
    previous_eyes: Option<[Eye; 2]>,
    /// Which eye the next frame reads (0: the subject's right).
    next_eye: usize,
    /// Time between the last two frames, to run slow measures before they get too old.
    interval: Duration,
    last_frame: Option<Instant>,
}

impl<'e> LiveAnalyser<'e> {
    pub(crate) fn new(engine: &'e PhotoEngine, max_age: Duration) -> LiveAnalyser<'e> {
        LiveAnalyser {
            engine,
            max_age,
            mask: None,
            others: None,
            previous_mesh: None,
            previous_eyes: None,
            next_eye: 0,
            interval: Duration::from_millis(40),
            last_frame: None,
        }
    }

    /// Forgets what earlier frames showed (another camera, or a scene change).
    pub fn reset(&mut self) {
        self.mask = None;
        self.others = None;
        self.previous_mesh = None;
        self.previous_eyes = None;
        self.last_frame = None;
    }

    /// Whether a slow result must be refreshed on this frame because on the next one it
    /// would be older than `max_age`. At 25 fps and 200 ms, each slow measure runs on one
    /// frame in five, the two on different frames.
    fn due<T>(&self, slot: &Option<Timed<T>>, at: Instant) -> bool {
        match slot {
            None => true,
            Some(timed) => at.saturating_duration_since(timed.at) + self.interval > self.max_age,
        }
    }

    /// Both eyes of the face in `mesh`: one read on this frame, the other carried along
    /// from the previous frame's (or both read, on a face's first frame).
    fn eyes(&mut self, frame: &RgbImage, mesh: &Mesh) -> Result<([Eye; 2], bool)> {
        let engine = self.engine;
        let read = |right: bool| engine.iris.run(frame, iris::eye_roi(mesh, right));
        let (eyes, carried) = match (self.previous_eyes.take(), &self.previous_mesh) {
            (Some(previous), Some(before)) if !self.max_age.is_zero() => {
                let fresh = self.next_eye;
                let mut eyes = previous;
                eyes[fresh] = read(fresh == 0)?;
                let other = 1 - fresh;
                let right = other == 0;
                eyes[other] =
                    eyes[other].moved(iris::corners(before, right), iris::corners(mesh, right));
                self.next_eye = other;
                (eyes, true)
            }
            _ => ([read(true)?, read(false)?], false),
        };
        self.previous_eyes = Some(eyes.clone());
        Ok((eyes, carried))
    }

    /// Every check on one frame taken at `at`. Checks resting on the segmentation or on
    /// the small-face search carry their age (`CheckResult::age_ms`), never more than
    /// the limit given to [`PhotoEngine::live`] as long as frames come at least that
    /// often.
    pub fn analyse(
        &mut self,
        frame: &RgbImage,
        rules: &PhotoRules,
        at: Instant,
    ) -> Result<PhotoReport> {
        if let Some(last) = self.last_frame {
            let gap = at.saturating_duration_since(last);
            if !gap.is_zero() {
                self.interval = gap.min(self.max_age);
            }
        }
        self.last_frame = Some(at);
        if self
            .mask
            .as_ref()
            .is_some_and(|m| !m.value.fits(frame.width(), frame.height()))
        {
            self.reset();
        }

        let engine = self.engine;
        let (fast_faces, primary) = engine.find_faces_fast(frame)?;
        let mut eyes_age = None;
        let face = match primary.clone() {
            None => {
                self.previous_mesh = None;
                self.previous_eyes = None;
                None
            }
            Some(detection) => {
                let tracked = self.tracked_crop(&detection);
                if tracked.is_none() {
                    self.previous_eyes = None;
                }
                let mesh = match tracked {
                    Some(roi) => engine.mesh.run(frame, roi)?,
                    None => {
                        let first = engine.mesh_from_detection(frame, &detection)?;
                        if first.presence >= MIN_PRESENCE {
                            engine.mesh.run(frame, mesh::roi_from_mesh(&first))?
                        } else {
                            first
                        }
                    }
                };
                let (eyes, carried) = self.eyes(frame, &mesh)?;
                if carried {
                    eyes_age = Some(self.interval);
                }
                self.previous_mesh = (mesh.presence >= MIN_PRESENCE).then(|| mesh.clone());
                Some(FaceAnalysis {
                    detection,
                    mesh,
                    eyes,
                })
            }
        };

        // At most one slow measure per frame, the older first; but both on a face's first
        // frame (nothing to show yet) or when no limit is asked (stateless analysis).
        let everything = self.max_age.is_zero() || (self.mask.is_none() && self.others.is_none());
        let mask_due = face.is_some() && self.due(&self.mask, at);
        let others_due = face.is_some() && self.due(&self.others, at);
        let mask_older = match (&self.mask, &self.others) {
            (Some(m), Some(o)) => m.at <= o.at,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if mask_due && (everything || !others_due || mask_older) {
            self.mask = Some(Timed {
                value: engine.segmenter.run(frame)?,
                at,
            });
        }
        if others_due && (everything || !mask_due || !mask_older) {
            self.others = Some(Timed {
                value: self.small_faces(frame, primary.as_ref())?,
                at,
            });
        }

        let mut faces: Vec<Detection> = primary.iter().cloned().collect();
        let mut faces_age = None;
        if let Some(main) = &primary {
            let apart = |a: &Detection, b: &Detection| {
                a.centre().distance(b.centre()) > a.width().max(b.width()) / 2.0
            };
            for other in &fast_faces {
                if apart(other, main) {
                    faces.push(other.clone());
                }
            }
            if let Some(others) = &self.others {
                for other in &others.value {
                    if faces.iter().all(|f| apart(other, f)) {
                        faces.push(other.clone());
                    }
                }
                faces_age = Some(at.saturating_duration_since(others.at)).filter(|a| !a.is_zero());
            }
        }
        let mask_age = self
            .mask
            .as_ref()
            .map(|m| at.saturating_duration_since(m.at))
            .filter(|a| !a.is_zero());
        let analysis = Analysis {
            image: frame,
            origin: Origin::Camera,
            faces,
            face,
            mask: match (&self.mask, primary.is_some()) {
                (Some(m), true) => Some((&m.value, mask_age)),
                _ => None,
            },
            faces_age,
            eyes_age,
        };
        Ok(checks::evaluate(&analysis, rules))
    }

    /// The crop from the last frame's landmarks, if they were of this face.
    fn tracked_crop(&self, detection: &Detection) -> Option<crate::sampling::RotatedSquare> {
        let previous = self.previous_mesh.as_ref()?;
        let roi = mesh::roi_from_mesh(previous);
        let inside = roi.centre.x > detection.x0
            && roi.centre.x < detection.x1
            && roi.centre.y > detection.y0
            && roi.centre.y < detection.y1;
        inside.then_some(roi)
    }

    /// Faces other than the main one, down to small ones behind the person: the 256
    /// detector on the whole frame and on the other people the last segmentation shows,
    /// each candidate confirmed by the mesh.
    fn small_faces(&self, frame: &RgbImage, main: Option<&Detection>) -> Result<Vec<Detection>> {
        let Some(main) = main else {
            return Ok(Vec::new());
        };
        let whole = Square::letterbox(frame.width(), frame.height());
        let mut candidates = self.engine.back.detect(frame, whole)?;
        if let Some(mask) = &self.mask {
            candidates.extend(
                self.engine
                    .faces_of_other_people(frame, &mask.value, main)?,
            );
        }
        let candidates = weighted_nms(candidates);
        let confirmed = self
            .engine
            .confirmed_faces(frame, &candidates, Some(main))?;
        Ok(confirmed.into_iter().skip(1).collect())
    }
}

#[cfg(test)]
mod tests {
    fn assert_send<T: Send>() {}

    #[test]
    fn a_live_analyser_can_move_to_a_capture_thread() {
        assert_send::<super::LiveAnalyser<'static>>();
    }
}
