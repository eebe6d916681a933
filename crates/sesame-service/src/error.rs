//! The service layer's error: any core crate's error, keeping its code.

use sesame_core::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Paths(#[from] crate::paths::PathsError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] sesame_store::StoreError),
    #[error("'{value}' is not a valid request id")]
    BadId { value: String },
    #[error("cannot create the print folder {path}: {source}")]
    PrintDir {
        path: String,
        source: std::io::Error,
    },
    #[error("no printing system (CUPS: lp, lpstat) on this desk; save the PDF and print it from another program")]
    NoPrintSystem,
    #[error("printer '{printer}' refused the job: {detail}")]
    PrinterRefused { printer: String, detail: String },
    #[error("the file sent is not valid base64: {detail}")]
    FileEncoding { detail: String },
    #[error("cannot write the export {path}: {source}")]
    ExportWrite {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Photo(#[from] sesame_photo::PhotoError),
    #[error("the photo data sent is not valid base64: {detail}")]
    PhotoEncoding { detail: String },
    #[error("the photo is not a badge photo made by this desk: {detail}")]
    NotABadgePhoto { detail: String },
    #[error("the badge photo is refused by the checks: {failures}")]
    PhotoRefused { failures: String },
    #[error("no camera is open")]
    CameraNotOpen,
    /// The camera thread's failure, kept with the photo crate's code.
    #[error("{message}")]
    CameraStream { code: &'static str, message: String },
    #[error("the photo task stopped unexpectedly: {detail}")]
    PhotoTask { detail: String },
    #[error(transparent)]
    Print(#[from] sesame_print::PrintError),
    #[error("no request is selected to print")]
    NothingSelected,
    #[error("nothing in the selection can be printed: {reasons}")]
    NothingToPrint { reasons: String },
    #[error("badge(s) {badges} were printed before: a reprint needs a reason")]
    ReprintReasonRequired { badges: String },
    #[error("the photo of request {request_id} cannot be read for printing: {message}")]
    PrintPhoto { request_id: String, message: String },
    #[error("cannot write the PDF {path}: {source}")]
    PrintOutput {
        path: String,
        source: std::io::Error,
    },
    #[error("the badges are printed but the PDF could not be moved to {path} ({source}); it is at {temp}")]
    PrintNotMoved {
        path: String,
        temp: String,
        source: std::io::Error,
    },
}

impl ErrorCode for ServiceError {
    fn code(&self) -> &'static str {
        match self {
            ServiceError::Paths(e) => e.code(),
            ServiceError::DataDir { .. } => "paths.data_dir_unwritable",
            ServiceError::Store(e) => e.code(),
            ServiceError::BadId { .. } => "request.bad_id",
            ServiceError::PrintDir { .. } => "print.folder_unwritable",
            ServiceError::NoPrintSystem => "print.no_print_system",
            ServiceError::PrinterRefused { .. } => "print.printer_refused",
            ServiceError::FileEncoding { .. } => "import.bad_encoding",
            ServiceError::ExportWrite { .. } => "export.write_failed",
            ServiceError::Photo(e) => e.code(),
            ServiceError::PhotoEncoding { .. } => "photo.bad_encoding",
            ServiceError::NotABadgePhoto { .. } => "photo.not_a_badge_photo",
            ServiceError::PhotoRefused { .. } => "photo.refused",
            ServiceError::CameraNotOpen => "photo.camera_not_open",
            ServiceError::CameraStream { code, .. } => code,
            ServiceError::PhotoTask { .. } => "photo.task_failed",
            ServiceError::Print(e) => e.code(),
            ServiceError::NothingSelected => "print.nothing_selected",
            ServiceError::NothingToPrint { .. } => "print.nothing_to_print",
            ServiceError::ReprintReasonRequired { .. } => "print.reprint_reason_required",
            ServiceError::PrintPhoto { .. } => "print.photo_unreadable",
            ServiceError::PrintOutput { .. } => "print.output_unwritable",
            ServiceError::PrintNotMoved { .. } => "print.output_not_moved",
        }
    }
}
