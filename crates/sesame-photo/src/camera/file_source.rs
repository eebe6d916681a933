//! A folder of images played as camera frames, in name order, looping.

use std::path::{Path, PathBuf};

use image::RgbImage;

use super::{CameraInfo, CameraMode, FrameSource};
use crate::error::{PhotoError, Result};
use crate::import::{import_path, ImportLimits};

pub struct FileFrameSource {
    info: CameraInfo,
    frames: Vec<PathBuf>,
    next: usize,
    size: (u32, u32),
}

impl FileFrameSource {
    /// Opens `folder`; its JPEG, PNG and WebP files become the frames.
    pub fn open(folder: &Path) -> Result<FileFrameSource> {
        let io = |source| PhotoError::Io {
            path: folder.display().to_string(),
            source,
        };
        let mut frames: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(io)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "jpg" | "jpeg" | "png" | "webp"
                    )
                })
            })
            .collect();
        frames.sort();
        let Some(first) = frames.first() else {
            return Err(PhotoError::NoFrames {
                path: folder.display().to_string(),
            });
        };
        let first = import_path(first, &ImportLimits::default())?;
        let size = (first.width(), first.height());
        Ok(FileFrameSource {
            info: CameraInfo {
                id: folder.display().to_string(),
                name: format!("Files: {}", folder.display()),
                description: format!("{} images played as frames", frames.len()),
                modes: vec![CameraMode {
                    width: size.0,
                    height: size.1,
                    fps: 25,
                }],
            },
            frames,
            next: 0,
            size,
        })
    }

    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }
}

impl FrameSource for FileFrameSource {
    fn info(&self) -> &CameraInfo {
        &self.info
    }

    fn frame_size(&self) -> (u32, u32) {
        self.size
    }

    fn next_frame(&mut self) -> Result<RgbImage> {
        let path = &self.frames[self.next % self.frames.len()];
        self.next = (self.next + 1) % self.frames.len();
        Ok(import_path(path, &ImportLimits::default())?.into_image())
    }
}
