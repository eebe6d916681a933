// Every command the UI may call. Shared by build.rs (the ACL: a command not
// listed here is denied) and by the lib, whose tests check that this list, the
// registered handlers, the capability file and the generated TypeScript agree.
// Adding a command means adding it here AND granting it in
// src-tauri/capabilities/main.json: that second edit is the review.
pub const COMMAND_NAMES: &[&str] = &[
    "app_info",
    "list_requests",
    "queue_counts",
    "create_request",
    "get_request",
    "request_history",
    "transition_request",
    "get_policy",
    "import_requests_csv",
    "export_queue_csv",
    "export_badges_csv",
    "preview_print",
    "print_badges",
    "list_printers",
    "print_calibration",
    "check_photo_bytes",
    "save_request_photo",
    "get_request_photo",
    "camera_list",
    "camera_open",
    "camera_frame",
    "camera_auto_capture",
    "camera_capture",
    "camera_close",
];
