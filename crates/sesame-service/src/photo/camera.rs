//! The live camera: one capture thread per open camera that reads frames, analyses each
//! one and keeps only the latest result, so the UI's poll (~25 Hz) never queues behind
//! the camera and always shows the freshest frame with its face box and verdicts.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sesame_core::ErrorCode;
use sesame_photo::image::RgbImage;
use sesame_photo::{
    list_cameras, AutoCapture, CameraInfo, CameraMode, FileFrameSource, FrameSource, ImportedPhoto,
    PhotoEngine, PhotoError, PhotoReport, PhotoRules, Webcam,
};
use ts_rs::TS;

use super::{check_imported, encode_base64, preview_jpeg, PhotoCheckOutcome};
use crate::blocking::Blocking;
use crate::sync::lock;
use crate::{Desk, ServiceError};

/// When set to a folder, `camera_list` also offers a camera playing its images as frames
/// (tests and demos).
pub const CAMERA_FOLDER_ENV: &str = "SESAME_CAMERA_FOLDER";
/// Camera ids starting with this name a folder played as frames.
pub const FILE_CAMERA_PREFIX: &str = "file:";

/// Longest side and quality of the preview frames sent to the UI: small enough for 25
/// frames a second over IPC, large enough to judge a pose.
const PREVIEW_SIDE: u32 = 640;
const PREVIEW_QUALITY: u8 = 70;
/// A folder of images has no frame clock of its own: it is played at this rate.
const FILE_FRAME_INTERVAL: Duration = Duration::from_millis(40);
/// The oldest a measure shown in the live view may be (segmentation and the search for
/// small faces run on some frames only).
const LIVE_MAX_AGE: Duration = Duration::from_millis(200);
/// How long a capture may wait for the camera thread (a still can need a mode switch).
const CAPTURE_TIMEOUT: Duration = Duration::from_secs(20);

/// One analysed frame for the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveFrame {
    /// Increases with every frame, so the UI can skip a frame it already drew.
    #[ts(type = "number")]
    pub sequence: u64,
    /// The frame downsized to at most 640 px, JPEG.
    pub jpeg_base64: String,
    /// The checks on this frame; face boxes are in full-frame pixels
    /// (`report.imageWidth` × `report.imageHeight`).
    pub report: PhotoReport,
    /// Preview frames per second, measured over the last frames.
    pub fps: f64,
    /// Frames analysed per second (the face box and verdicts refresh at this rate).
    pub analysis_fps: f64,
    /// How far through the steady second auto-capture waits for, 0-1 (0 when off).
    pub auto_capture_progress: f64,
    /// An auto-captured still is waiting: `camera_capture` returns it.
    pub captured: bool,
}

/// How to open a camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CameraOpenInput {
    /// An id from `camera_list` (`file:<folder>` for a folder of images).
    pub camera_id: String,
    /// The preview mode; none for the camera's largest.
    pub mode: Option<CameraMode>,
    /// Take the still by itself once every check has passed for about a second.
    pub auto_capture: bool,
}

/// Folders of up to this many images are decoded once and then replayed from memory,
/// so a demo or test camera costs what a real one does: nothing per frame.
const FILE_FRAMES_CACHED: usize = 64;

enum Source {
    Webcam(Box<Webcam>),
    Files {
        files: FileFrameSource,
        cache: Vec<Arc<RgbImage>>,
        next: usize,
    },
}

impl Source {
    fn open(input: &CameraOpenInput) -> Result<Source, PhotoError> {
        match input.camera_id.strip_prefix(FILE_CAMERA_PREFIX) {
            // The webview never names a folder: only the one configured with
            // SESAME_CAMERA_FOLDER can be played, whatever id the UI sends.
            Some(folder) if !is_configured_folder(folder) => Err(PhotoError::CameraNotFound {
                camera: input.camera_id.clone(),
            }),
            Some(folder) => Ok(Source::Files {
                files: FileFrameSource::open(Path::new(folder))?,
                cache: Vec::new(),
                next: 0,
            }),
            None => Ok(Source::Webcam(Box::new(Webcam::open(
                &input.camera_id,
                input.mode,
            )?))),
        }
    }

    fn info(&self) -> CameraInfo {
        match self {
            Source::Webcam(webcam) => webcam.info().clone(),
            Source::Files { files, .. } => file_camera_info(files),
        }
    }

    fn frame(&mut self) -> Result<Arc<RgbImage>, PhotoError> {
        match self {
            Source::Webcam(webcam) => Ok(Arc::new(webcam.next_frame()?)),
            Source::Files { files, cache, next } => {
                let count = files.frame_count();
                if count <= FILE_FRAMES_CACHED && cache.len() == count {
                    let frame = Arc::clone(&cache[*next % count]);
                    *next = (*next + 1) % count;
                    return Ok(frame);
                }
                let frame = Arc::new(files.next_frame()?);
                if count <= FILE_FRAMES_CACHED {
                    cache.push(Arc::clone(&frame));
                }
                Ok(frame)
            }
        }
    }

    /// A still at the best resolution the source has.
    fn still(&mut self) -> Result<RgbImage, PhotoError> {
        match self {
            Source::Webcam(webcam) => webcam.capture_still(),
            Source::Files { .. } => Ok(self.frame()?.as_ref().clone()),
        }
    }

    fn is_paced_here(&self) -> bool {
        matches!(self, Source::Files { .. })
    }
}

fn file_camera_info(files: &FileFrameSource) -> CameraInfo {
    let inner = files.info();
    CameraInfo {
        id: format!("{FILE_CAMERA_PREFIX}{}", inner.id),
        name: "Dossier de test / Test folder".to_owned(),
        description: inner.description.clone(),
        modes: inner.modes.clone(),
    }
}

/// Whether `folder` is the one [`CAMERA_FOLDER_ENV`] names (same file once resolved).
fn is_configured_folder(folder: &str) -> bool {
    let Some(configured) = std::env::var_os(CAMERA_FOLDER_ENV).filter(|f| !f.is_empty()) else {
        return false;
    };
    match (
        std::fs::canonicalize(&configured),
        std::fs::canonicalize(folder),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The folder camera offered when [`CAMERA_FOLDER_ENV`] is set.
fn file_camera() -> Option<CameraInfo> {
    let folder = std::env::var_os(CAMERA_FOLDER_ENV).filter(|f| !f.is_empty())?;
    let folder = Path::new(&folder);
    Some(match FileFrameSource::open(folder) {
        Ok(files) => file_camera_info(&files),
        // Listed anyway: opening it then says what is wrong with the folder.
        Err(error) => CameraInfo {
            id: format!("{FILE_CAMERA_PREFIX}{}", folder.display()),
            name: "Dossier de test / Test folder".to_owned(),
            description: error.to_string(),
            modes: Vec::new(),
        },
    })
}

/// What the capture and analysis threads share with the service calls.
#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    auto_capture: AtomicBool,
    /// The latest preview: sequence, JPEG (base64), frames per second.
    preview: Mutex<Option<(u64, String, f64)>>,
    /// The newest frame not yet analysed; the analysis thread takes it.
    to_analyse: Mutex<Option<Arc<RgbImage>>>,
    frame_ready: Condvar,
    /// The latest analysis: report, auto-capture progress, analyses per second.
    analysis: Mutex<Option<(PhotoReport, f64, f64)>>,
    /// Why a thread stopped (camera unplugged, read error), with its code.
    failure: Mutex<Option<(&'static str, String)>>,
    auto_captured: Mutex<Option<PhotoCheckOutcome>>,
    /// The office's thresholds, read when the camera opened.
    rules: PhotoRules,
}

impl Shared {
    fn fail(&self, error: &PhotoError) {
        tracing::warn!(%error, "camera stopped");
        lock(&self.failure).get_or_insert((error.code(), error.to_string()));
        self.stop.store(true, Ordering::SeqCst);
        self.frame_ready.notify_all();
    }
}

type StillReply = mpsc::Sender<Result<RgbImage, PhotoError>>;

struct CameraSession {
    shared: Arc<Shared>,
    captures: mpsc::Sender<StillReply>,
    threads: Vec<JoinHandle<()>>,
}

impl Drop for CameraSession {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.frame_ready.notify_all();
        for thread in self.threads.drain(..) {
            // Joined so the device is released before another open.
            let _ = thread.join();
        }
    }
}

/// The desk's photo station: its camera (at most one open at a time) and the last badge
/// photo it checked, so that a save can be matched with the checks on its original.
#[derive(Default)]
pub struct CameraStation {
    session: Mutex<Option<CameraSession>>,
    /// Bumped by every open and close: an open that finishes after a later
    /// open or close started must not install its camera (it would run with
    /// nobody watching).
    generation: AtomicU64,
    last_checked: Mutex<Option<(String, PhotoReport)>>,
}

impl CameraStation {
    /// Remembers the outcome shown to the operator (its crop and the report on the
    /// whole original) and hands it back.
    pub(crate) fn remember(&self, outcome: PhotoCheckOutcome) -> PhotoCheckOutcome {
        if let Some(cropped) = &outcome.cropped_jpeg_base64 {
            *lock(&self.last_checked) = Some((cropped.clone(), outcome.report.clone()));
        }
        outcome
    }

    /// The report on the original of this exact crop, if this desk made it last.
    pub(crate) fn report_for(&self, cropped_base64: &str) -> Option<PhotoReport> {
        lock(&self.last_checked)
            .as_ref()
            .filter(|(crop, _)| crop == cropped_base64)
            .map(|(_, report)| report.clone())
    }

    fn take(&self) -> Option<CameraSession> {
        lock(&self.session).take()
    }

    fn with_session<T>(
        &self,
        f: impl FnOnce(&CameraSession) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        match lock(&self.session).as_ref() {
            Some(session) => f(session),
            None => Err(ServiceError::CameraNotOpen),
        }
    }
}

/// The capture loop: read frames, publish a small preview of each at the camera's pace,
/// hand the newest to the analysis thread (older ones are dropped, never queued), and
/// serve still requests in between.
fn run_capture(
    mut source: Source,
    shared: &Shared,
    captures: mpsc::Receiver<StillReply>,
) -> Result<(), PhotoError> {
    let mut sequence = 0u64;
    let mut fps = 0.0f64;
    let mut previous: Option<Instant> = None;
    while !shared.stop.load(Ordering::SeqCst) {
        while let Ok(reply) = captures.try_recv() {
            let _ = reply.send(source.still());
        }
        let started = Instant::now();
        let frame = source.frame()?;
        *lock(&shared.to_analyse) = Some(Arc::clone(&frame));
        shared.frame_ready.notify_one();
        let preview = preview_jpeg(&frame, PREVIEW_SIDE, PREVIEW_QUALITY).map_err(|e| {
            PhotoError::Encode {
                detail: e.to_string(),
            }
        })?;
        let now = Instant::now();
        if let Some(previous) = previous {
            let instant = 1.0 / now.duration_since(previous).as_secs_f64().max(1e-3);
            fps = if fps == 0.0 {
                instant
            } else {
                0.8 * fps + 0.2 * instant
            };
        }
        previous = Some(now);
        sequence += 1;
        *lock(&shared.preview) = Some((sequence, encode_base64(&preview), fps));
        if source.is_paced_here() {
            if let Some(rest) = FILE_FRAME_INTERVAL.checked_sub(started.elapsed()) {
                std::thread::sleep(rest);
            }
        }
    }
    Ok(())
}

/// The analysis loop: checks the newest frame, keeps the latest report, and takes the
/// still itself once auto-capture's steady second is reached.
fn run_analysis(shared: &Shared, captures: mpsc::Sender<StillReply>) -> Result<(), PhotoError> {
    let engine = PhotoEngine::global()?;
    let rules = &shared.rules;
    // The slower measures (segmentation, small faces behind) run on some frames only:
    // what the preview shows is never older than this.
    let mut live = engine.live(LIVE_MAX_AGE);
    let mut auto = AutoCapture::default();
    let mut rate = 0.0f64;
    let mut previous: Option<Instant> = None;
    loop {
        let frame = {
            let mut slot = lock(&shared.to_analyse);
            loop {
                if shared.stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                if let Some(frame) = slot.take() {
                    break frame;
                }
                slot = shared
                    .frame_ready
                    .wait_timeout(slot, Duration::from_millis(200))
                    .map_or_else(|poisoned| poisoned.into_inner().0, |(guard, _)| guard);
            }
        };
        let report = live.analyse(&frame, rules, Instant::now())?;
        let now = Instant::now();
        let auto_on =
            shared.auto_capture.load(Ordering::SeqCst) && lock(&shared.auto_captured).is_none();
        let fire = if auto_on {
            auto.observe(&report, now)
        } else {
            auto.reset();
            false
        };
        let progress = if auto_on { auto.progress(now) } else { 0.0 };
        if let Some(previous) = previous {
            let instant = 1.0 / now.duration_since(previous).as_secs_f64().max(1e-3);
            rate = if rate == 0.0 {
                instant
            } else {
                0.8 * rate + 0.2 * instant
            };
        }
        previous = Some(now);
        *lock(&shared.analysis) = Some((report, if fire { 1.0 } else { progress }, rate));
        if fire {
            // One auto-capture per request for it: the operator looks at the result.
            shared.auto_capture.store(false, Ordering::SeqCst);
            let (reply, still) = mpsc::channel();
            if captures.send(reply).is_err() {
                return Ok(());
            }
            let Ok(still) = still.recv_timeout(CAPTURE_TIMEOUT) else {
                return Ok(()); // the capture thread stopped, and says why
            };
            match check_imported(&ImportedPhoto::from_image(still?), rules) {
                Ok(outcome) => *lock(&shared.auto_captured) = Some(outcome),
                Err(error) => tracing::warn!(%error, "auto-captured still could not be checked"),
            }
        }
    }
}

/// The cameras on this computer (none is not an error), plus the test folder's camera
/// when `SESAME_CAMERA_FOLDER` is set.
pub async fn camera_list(_desk: &Desk) -> Result<Vec<CameraInfo>, ServiceError> {
    Blocking::Photo
        .run(|| {
            let extra = file_camera();
            match list_cameras() {
                Ok(mut cameras) => {
                    cameras.extend(extra);
                    Ok(cameras)
                }
                // Permission denied to all cameras: the test folder is still usable.
                Err(error) if extra.is_some() => {
                    tracing::warn!(%error, "listing cameras failed; offering the test folder only");
                    Ok(extra.into_iter().collect())
                }
                Err(error) => Err(error.into()),
            }
        })
        .await
}

/// Opens a camera (closing the one open before) and starts its capture thread.
pub async fn camera_open(desk: &Desk, input: CameraOpenInput) -> Result<CameraInfo, ServiceError> {
    let rules = super::office_rules::office_photo_rules(desk).await?;
    let generation = desk.camera.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let previous = desk.camera.take();
    let shared = Arc::new(Shared {
        rules,
        ..Shared::default()
    });
    shared
        .auto_capture
        .store(input.auto_capture, Ordering::SeqCst);
    let (captures, capture_requests) = mpsc::channel::<StillReply>();
    let (opened_tx, opened_rx) = mpsc::channel::<Result<CameraInfo, PhotoError>>();
    let capture_shared = Arc::clone(&shared);
    let analysis_shared = Arc::clone(&shared);
    let analysis_captures = captures.clone();
    let (threads, info) = Blocking::Photo
        .run(move || {
            drop(previous); // releases the device first
            let spawn_error = |e: std::io::Error| ServiceError::PhotoTask {
                detail: e.to_string(),
            };
            let capture = std::thread::Builder::new()
                .name("sesame-camera".to_owned())
                .spawn(move || {
                    // Opened on the thread that reads it: some backends want that.
                    let source = match Source::open(&input) {
                        Ok(source) => source,
                        Err(error) => {
                            let _ = opened_tx.send(Err(error));
                            return;
                        }
                    };
                    let _ = opened_tx.send(Ok(source.info()));
                    if let Err(error) = run_capture(source, &capture_shared, capture_requests) {
                        capture_shared.fail(&error);
                    }
                })
                .map_err(spawn_error)?;
            let info = match opened_rx.recv() {
                Ok(Ok(info)) => info,
                Ok(Err(error)) => {
                    let _ = capture.join();
                    return Err(error.into());
                }
                Err(_) => {
                    let _ = capture.join();
                    return Err(ServiceError::PhotoTask {
                        detail: "the camera thread ended while opening".to_owned(),
                    });
                }
            };
            let analysis = std::thread::Builder::new()
                .name("sesame-camera-analysis".to_owned())
                .spawn(move || {
                    if let Err(error) = run_analysis(&analysis_shared, analysis_captures) {
                        analysis_shared.fail(&error);
                    }
                })
                .map_err(spawn_error)?;
            Ok((vec![capture, analysis], info))
        })
        .await?;
    let opened = CameraSession {
        shared,
        captures,
        threads,
    };
    let superseded = {
        let mut session = lock(&desk.camera.session);
        if desk.camera.generation.load(Ordering::SeqCst) == generation {
            *session = Some(opened);
            None
        } else {
            Some(opened)
        }
    };
    if let Some(late) = superseded {
        // Closed (or reopened) while this camera was opening: release it.
        Blocking::Photo
            .run(move || {
                drop(late);
                Ok(())
            })
            .await?;
        return Err(ServiceError::CameraNotOpen);
    }
    Ok(info)
}

/// The latest analysed frame (none before the first one), or why the camera stopped.
pub async fn camera_frame(desk: &Desk) -> Result<Option<LiveFrame>, ServiceError> {
    desk.camera.with_session(|session| {
        if let Some((code, message)) = lock(&session.shared.failure).clone() {
            return Err(ServiceError::CameraStream { code, message });
        }
        let captured = lock(&session.shared.auto_captured).is_some();
        let Some((sequence, jpeg_base64, fps)) = lock(&session.shared.preview).clone() else {
            return Ok(None);
        };
        // The face box and verdicts are those of the newest frame analysed so far.
        let Some((report, auto_capture_progress, analysis_fps)) =
            lock(&session.shared.analysis).clone()
        else {
            return Ok(None);
        };
        Ok(Some(LiveFrame {
            sequence,
            jpeg_base64,
            report,
            fps,
            analysis_fps,
            auto_capture_progress,
            captured,
        }))
    })
}

/// Turns auto-capture on or off for the open camera.
pub async fn camera_auto_capture(desk: &Desk, enabled: bool) -> Result<bool, ServiceError> {
    desk.camera.with_session(|session| {
        session.shared.auto_capture.store(enabled, Ordering::SeqCst);
        Ok(enabled)
    })
}

/// The still: the auto-captured one if it is waiting, else one taken now at the
/// camera's best resolution; checked and cropped like an imported photo.
pub async fn camera_capture(desk: &Desk) -> Result<PhotoCheckOutcome, ServiceError> {
    let (pending, captures, rules) = desk.camera.with_session(|session| {
        let pending = lock(&session.shared.auto_captured).take();
        Ok((
            pending,
            session.captures.clone(),
            session.shared.rules.clone(),
        ))
    })?;
    if let Some(outcome) = pending {
        return Ok(desk.camera.remember(outcome));
    }
    let outcome = Blocking::Photo
        .run(move || {
            let (reply, still) = mpsc::channel();
            captures
                .send(reply)
                .map_err(|_| ServiceError::CameraNotOpen)?;
            let still = match still.recv_timeout(CAPTURE_TIMEOUT) {
                Ok(still) => still?,
                // The capture thread stopped: camera_frame reports why.
                Err(_) => return Err(ServiceError::CameraNotOpen),
            };
            check_imported(&ImportedPhoto::from_image(still), &rules)
        })
        .await?;
    Ok(desk.camera.remember(outcome))
}

/// Stops the camera and releases the device; false if none was open.
pub async fn camera_close(desk: &Desk) -> Result<bool, ServiceError> {
    desk.camera.generation.fetch_add(1, Ordering::SeqCst);
    let Some(session) = desk.camera.take() else {
        return Ok(false);
    };
    Blocking::Photo
        .run(move || {
            drop(session);
            Ok(true)
        })
        .await
}
