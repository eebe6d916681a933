//! The crate's one error enum; every variant has a stable code the UI translates.

/// Everything that can go wrong while importing, checking, cropping or capturing a photo.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("cannot read photo file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, more than the {max} bytes allowed for a photo")]
    FileTooLarge { size: u64, max: u64 },
    #[error("the data is not an image (no JPEG, PNG or WebP signature)")]
    NotAnImage,
    #[error("image format {format} is not accepted (only JPEG, PNG and WebP)")]
    UnsupportedFormat { format: String },
    #[error("the image is truncated or corrupt: {detail}")]
    Corrupt { detail: String },
    #[error("the image is {width}x{height} pixels ({pixels} pixels), more than the {max_pixels} allowed: refused as a possible decompression bomb")]
    TooManyPixels {
        width: u32,
        height: u32,
        pixels: u64,
        max_pixels: u64,
    },
    #[error("decoding the image would need more than the {max_bytes} bytes of memory allowed")]
    MemoryLimit { max_bytes: u64 },
    #[error(
        "the image is {width}x{height} pixels, smaller than the {min_width}x{min_height} minimum"
    )]
    TooSmall {
        width: u32,
        height: u32,
        min_width: u32,
        min_height: u32,
    },
    #[error("embedded face model {name} has sha256 {actual}, expected {expected}")]
    ModelChecksum {
        name: &'static str,
        expected: &'static str,
        actual: String,
    },
    #[error("face model {name} could not be loaded: {detail}")]
    ModelLoad { name: &'static str, detail: String },
    #[error("face detection failed: {detail}")]
    Inference { detail: String },
    #[error("no face was found in the photo, so it cannot be cropped")]
    NoFace,
    #[error("the badge frame settings are invalid: {detail}")]
    InvalidFrame { detail: String },
    #[error("could not encode the photo as JPEG: {detail}")]
    Encode { detail: String },
    #[error("no camera was found on this computer")]
    NoCamera,
    #[error("camera {camera} was not found (it may have been unplugged)")]
    CameraNotFound { camera: String },
    #[error("camera {camera} is already in use by another program: {detail}")]
    CameraBusy { camera: String, detail: String },
    #[error("access to camera {camera} was denied: {detail}")]
    CameraPermissionDenied { camera: String, detail: String },
    #[error("camera {camera} failed: {detail}")]
    Camera { camera: String, detail: String },
    #[error("frame folder {path} holds no JPEG, PNG or WebP image")]
    NoFrames { path: String },
}

sesame_core::error_codes! {
    PhotoError {
        PhotoError::Io { .. } => "photo.io",
        PhotoError::Empty => "photo.empty",
        PhotoError::FileTooLarge { .. } => "photo.file_too_large",
        PhotoError::NotAnImage => "photo.not_an_image",
        PhotoError::UnsupportedFormat { .. } => "photo.unsupported_format",
        PhotoError::Corrupt { .. } => "photo.corrupt",
        PhotoError::TooManyPixels { .. } => "photo.too_many_pixels",
        PhotoError::MemoryLimit { .. } => "photo.memory_limit",
        PhotoError::TooSmall { .. } => "photo.too_small",
        PhotoError::ModelChecksum { .. } => "photo.model_checksum",
        PhotoError::ModelLoad { .. } => "photo.model_load",
        PhotoError::Inference { .. } => "photo.inference",
        PhotoError::NoFace => "photo.no_face",
        PhotoError::InvalidFrame { .. } => "photo.invalid_frame",
        PhotoError::Encode { .. } => "photo.encode",
        PhotoError::NoCamera => "photo.camera_none",
        PhotoError::CameraNotFound { .. } => "photo.camera_not_found",
        PhotoError::CameraBusy { .. } => "photo.camera_busy",
        PhotoError::CameraPermissionDenied { .. } => "photo.camera_permission_denied",
        PhotoError::Camera { .. } => "photo.camera_failed",
        PhotoError::NoFrames { .. } => "photo.no_frames",
    }
}

pub type Result<T, E = PhotoError> = std::result::Result<T, E>;
