//! Real cameras through nokhwa (V4L2 on Linux, Media Foundation, AVFoundation).

use image::RgbImage;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};
use nokhwa::{Camera, NokhwaError};

use super::{sort_modes, CameraInfo, CameraMode, FrameSource};
use crate::error::{PhotoError, Result};

/// Sorts a nokhwa failure into what the operator can act on. The backends only give
/// text, so the OS error behind it is recognised by its usual wording and errno.
fn classify(camera: &str, error: NokhwaError) -> PhotoError {
    let detail = error.to_string();
    let lower = detail.to_ascii_lowercase();
    let camera = camera.to_owned();
    if lower.contains("permission denied")
        || lower.contains("os error 13")
        || lower.contains("access is denied")
        || lower.contains("not authorized")
    {
        PhotoError::CameraPermissionDenied { camera, detail }
    } else if lower.contains("busy") || lower.contains("os error 16") || lower.contains("in use") {
        PhotoError::CameraBusy { camera, detail }
    } else if lower.contains("no such file")
        || lower.contains("os error 2)")
        || lower.contains("no such device")
        || lower.contains("os error 19")
    {
        PhotoError::CameraNotFound { camera }
    } else {
        PhotoError::Camera { camera, detail }
    }
}

fn index_of(id: &str) -> CameraIndex {
    match id.parse::<u32>() {
        Ok(index) => CameraIndex::Index(index),
        Err(_) => CameraIndex::String(id.to_owned()),
    }
}

fn modes_of(camera: &mut Camera) -> Vec<CameraMode> {
    let mut modes: Vec<CameraMode> = camera
        .compatible_camera_formats()
        .unwrap_or_default()
        .into_iter()
        .map(|format| CameraMode {
            width: format.width(),
            height: format.height(),
            fps: format.frame_rate(),
        })
        .collect();
    sort_modes(&mut modes);
    modes
}

/// Asks the OS for camera access where it gates it (macOS shows its prompt once and
/// remembers the answer); elsewhere access is always "granted" here and refused, if at
/// all, when the device is opened (EACCES on Linux).
fn ensure_camera_access() -> Result<()> {
    if nokhwa::nokhwa_check() {
        return Ok(());
    }
    let (answer, granted) = std::sync::mpsc::channel();
    let answer = std::sync::Mutex::new(answer);
    nokhwa::nokhwa_initialize(move |ok| {
        if let Ok(answer) = answer.lock() {
            let _ = answer.send(ok);
        }
    });
    // The operator may take a while to read the OS prompt.
    match granted.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(true) => Ok(()),
        _ => Err(PhotoError::CameraPermissionDenied {
            camera: "all".to_owned(),
            detail: "the operating system did not grant camera access".to_owned(),
        }),
    }
}

/// The cameras present, with their modes. An empty list means no camera (not an error:
/// the import path still works); a camera busy while listing is listed without modes.
pub fn list_cameras() -> Result<Vec<CameraInfo>> {
    ensure_camera_access()?;
    let found = match nokhwa::query(ApiBackend::Auto) {
        Ok(found) => found,
        // No video subsystem at all (no /dev/video*, no driver): the same as no camera.
        Err(error) => {
            tracing::info!(%error, "camera query failed; reporting no camera");
            return Ok(Vec::new());
        }
    };
    Ok(found
        .into_iter()
        .map(|info| {
            let id = info.index().as_string();
            let modes = Camera::new(
                info.index().clone(),
                RequestedFormat::new::<RgbFormat>(RequestedFormatType::None),
            )
            .map(|mut camera| modes_of(&mut camera))
            .unwrap_or_default();
            CameraInfo {
                id,
                name: info.human_name(),
                description: info.description().to_owned(),
                modes,
            }
        })
        .collect())
}

/// An opened, streaming camera.
pub struct Webcam {
    camera: Camera,
    info: CameraInfo,
}

impl Webcam {
    /// Opens camera `id` (from [`list_cameras`]) in `mode`, or at its highest resolution.
    pub fn open(id: &str, mode: Option<CameraMode>) -> Result<Webcam> {
        let cameras = list_cameras()?;
        if cameras.is_empty() {
            return Err(PhotoError::NoCamera);
        }
        let Some(info) = cameras.into_iter().find(|c| c.id == id) else {
            return Err(PhotoError::CameraNotFound {
                camera: id.to_owned(),
            });
        };
        let requested = match mode {
            Some(mode) => RequestedFormatType::Closest(CameraFormat::new(
                Resolution::new(mode.width, mode.height),
                FrameFormat::MJPEG,
                mode.fps,
            )),
            None => RequestedFormatType::AbsoluteHighestResolution,
        };
        let mut camera = Camera::new(index_of(id), RequestedFormat::new::<RgbFormat>(requested))
            .map_err(|e| classify(id, e))?;
        camera.open_stream().map_err(|e| classify(id, e))?;
        Ok(Webcam { camera, info })
    }
}

/// Frames dropped after a format change: the first ones are often dark or stale while the
/// sensor settles its exposure.
const SETTLE_FRAMES: usize = 3;

impl Webcam {
    /// A still at the camera's highest resolution, then back to the preview mode. If the
    /// camera has no larger mode, the next preview frame is the still.
    pub fn capture_still(&mut self) -> Result<RgbImage> {
        let id = self.info.id.clone();
        let preview = self.camera.camera_format();
        let best = self
            .camera
            .set_camera_requset(RequestedFormat::new::<RgbFormat>(
                RequestedFormatType::AbsoluteHighestResolution,
            ))
            .map_err(|e| classify(&id, e))?;
        if best == preview {
            return self.next_frame();
        }
        let still = (0..=SETTLE_FRAMES)
            .map(|_| self.next_frame())
            .last()
            .expect("at least one frame is taken");
        let restored = self
            .camera
            .set_camera_requset(RequestedFormat::new::<RgbFormat>(
                RequestedFormatType::Exact(preview),
            ))
            .map_err(|e| classify(&id, e));
        let still = still?;
        restored?;
        Ok(still)
    }
}

impl FrameSource for Webcam {
    fn info(&self) -> &CameraInfo {
        &self.info
    }

    fn frame_size(&self) -> (u32, u32) {
        let resolution = self.camera.resolution();
        (resolution.width(), resolution.height())
    }

    fn next_frame(&mut self) -> Result<RgbImage> {
        let id = self.info.id.clone();
        let buffer = self.camera.frame().map_err(|e| classify(&id, e))?;
        buffer
            .decode_image::<RgbFormat>()
            .map_err(|e| classify(&id, e))
    }
}

impl Drop for Webcam {
    fn drop(&mut self) {
        // Frees the device for the next program (or the next open) right away.
        let _ = self.camera.stop_stream();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sesame_core::ErrorCode;

    #[test]
    fn os_errors_become_codes_the_operator_can_act_on() {
        let busy = NokhwaError::OpenDeviceError(
            "/dev/video0".into(),
            "Device or resource busy (os error 16)".into(),
        );
        assert_eq!(classify("0", busy).code(), "photo.camera_busy");
        let denied = NokhwaError::OpenDeviceError(
            "/dev/video0".into(),
            "Permission denied (os error 13)".into(),
        );
        assert_eq!(
            classify("0", denied).code(),
            "photo.camera_permission_denied"
        );
        let gone = NokhwaError::OpenDeviceError(
            "/dev/video3".into(),
            "No such file or directory (os error 2)".into(),
        );
        assert_eq!(classify("3", gone).code(), "photo.camera_not_found");
        let other = NokhwaError::ReadFrameError("timeout".into());
        assert_eq!(classify("0", other).code(), "photo.camera_failed");
    }

    #[test]
    fn listing_cameras_never_fails_for_want_of_one() {
        // Zero or more cameras depending on the machine, but never an error on Linux.
        let cameras = list_cameras().unwrap();
        for camera in cameras {
            assert!(!camera.id.is_empty());
        }
    }

    #[test]
    fn opening_a_camera_that_is_not_there_is_a_coded_error() {
        // This machine (CI, containers) has no camera at index 97; the error must say so
        // with a code, not panic. With no camera at all it is photo.camera_none.
        let err = Webcam::open("97", None).err().expect("no camera 97 here");
        assert!(
            matches!(err.code(), "photo.camera_none" | "photo.camera_not_found"),
            "{}: {err}",
            err.code()
        );
    }
}

#[cfg(test)]
mod send_tests {
    fn assert_send<T: Send>() {}

    #[test]
    fn a_webcam_can_move_to_a_capture_thread() {
        assert_send::<super::Webcam>();
        assert_send::<crate::FileFrameSource>();
    }
}
