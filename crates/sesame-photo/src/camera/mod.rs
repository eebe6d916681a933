//! Camera capture behind one interface: the real webcams (nokhwa) and a folder of images
//! played as frames (tests and demos), plus the auto-capture trigger.

mod auto_capture;
mod file_source;
mod webcam;

pub use auto_capture::AutoCapture;
pub use file_source::FileFrameSource;
pub use webcam::{list_cameras, Webcam};

use image::RgbImage;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

/// One capture mode a camera offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CameraMode {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

/// A camera the operator can choose, with the modes it offers (largest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CameraInfo {
    /// Stable identifier to open it with (the system's index or path).
    pub id: String,
    pub name: String,
    pub description: String,
    /// Empty when the camera could not be asked (e.g. busy while listing).
    pub modes: Vec<CameraMode>,
}

/// Anything that yields frames: a webcam or a folder of images.
pub trait FrameSource {
    fn info(&self) -> &CameraInfo;
    /// Size of the frames [`FrameSource::next_frame`] returns.
    fn frame_size(&self) -> (u32, u32);
    /// The next frame, upright RGB. Blocks until the camera delivers one.
    fn next_frame(&mut self) -> Result<RgbImage>;
}

/// Sorts modes largest first, then fastest first, without duplicates.
pub(crate) fn sort_modes(modes: &mut Vec<CameraMode>) {
    modes.sort_by_key(|m| std::cmp::Reverse((m.width * m.height, m.fps)));
    modes.dedup();
}
