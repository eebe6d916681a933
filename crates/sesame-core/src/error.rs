//! The one error shape that crosses IPC and the CLI: `{code, message}`.
//!
//! Every crate keeps its own `thiserror` enum and implements [`ErrorCode`]; the
//! shells (Tauri commands, `sesamectl`) turn any of them into an [`AppError`].
//! The UI branches and translates on `code` only: `message` is an English detail
//! for logs and for the operator's "details" line, never parsed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stable, dotted, machine-readable error code, e.g. `"request.illegal_transition"`.
///
/// Codes are part of the UI contract: renaming one is a breaking change for the
/// translation tables in `ui/src/lib/i18n/`.
pub trait ErrorCode: std::error::Error {
    fn code(&self) -> &'static str;
}

/// The serialised error every command returns on failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    /// Stable code the UI translates, e.g. `"store.not_found"`.
    pub code: String,
    /// English detail naming the problem (the value, the field, the file).
    pub message: String,
}

impl AppError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }

    /// Builds the IPC error from any crate's error, keeping its code and its text.
    pub fn from_error<E: ErrorCode + ?Sized>(error: &E) -> Self {
        Self::new(error.code(), error.to_string())
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for AppError {}
