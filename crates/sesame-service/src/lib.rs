//! Sésame's application services: the one place where a user action becomes
//! calls into the core crates. The Tauri commands and `sesamectl` both call
//! these functions and nothing below them, so the two can never disagree.
//! Each public function is one user action taking the [`Desk`] first.

mod csv;
mod desk;
mod error;
mod info;
pub mod paths;
mod photo;
mod print;
pub mod printers;
mod queue;

pub use csv::{
    export_badges_csv, export_queue_csv, import_requests_csv, CsvImportInput, ExportedFile,
};
pub use desk::Desk;
pub use error::ServiceError;
pub use info::{app_info, AppInfo};
pub use photo::{
    camera_auto_capture, camera_capture, camera_close, camera_frame, camera_list, camera_open,
    check_photo_bytes, get_request_photo, save_request_photo, CameraInfo, CameraMode,
    CameraOpenInput, LiveFrame, PhotoCheckOutcome, PhotoEdits, PhotoReport, RequestPhoto,
    SavePhotoInput, CAMERA_FOLDER_ENV,
};
pub use print::{
    calibration_pdf, desk_templates, preview_print, print_to_file, save_calibration, DayPassLayout,
    DayPassPaper, Layout, Locale, PreviewCard, PrintJob, PrintOutcome, PrintPreview, PrintWarning,
    PrintWarningCode, PrintedCard, PrinterProfile, SheetLayout,
};
pub use printers::{
    print_badges, print_calibration, printers, CalibrationInput, PrintRun, PrintRunInput,
    PrinterInfo,
};
pub use queue::{
    create_request, get_policy, get_request, list_requests, queue_counts, request_history,
    transition_request, TransitionInput,
};
