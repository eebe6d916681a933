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

/// The codes an error enum can return itself (not those of the errors it wraps),
/// listed by [`error_codes!`] from the same arms as [`ErrorCode::code`], so the list
/// cannot miss one. The UI's `ErrorCode` union is generated from these lists.
pub trait ErrorCodes {
    const CODES: &'static [&'static str];
}

/// Implements [`ErrorCode`] and [`ErrorCodes`] for an error enum from one table of
/// match arms: `pattern => "area.name",` gives that code; `pattern => expression,`
/// delegates to a wrapped error (its codes are listed by its own enum).
///
/// ```
/// # #[derive(Debug, thiserror::Error)]
/// # enum Inner { #[error("x")] X }
/// # sesame_core::error_codes! { Inner { Self::X => "inner.x", } }
/// #[derive(Debug, thiserror::Error)]
/// enum Outer {
///     #[error("gone")]
///     Gone,
///     #[error(transparent)]
///     Inner(#[from] Inner),
/// }
/// sesame_core::error_codes! {
///     Outer {
///         Self::Gone => "outer.gone",
///         Self::Inner(inner) => sesame_core::ErrorCode::code(inner),
///     }
/// }
/// use sesame_core::{ErrorCode, ErrorCodes};
/// assert_eq!(Outer::Gone.code(), "outer.gone");
/// assert_eq!(Outer::CODES, &["outer.gone"]);
/// ```
#[macro_export]
macro_rules! error_codes {
    ($ty:ty { $($arms:tt)* }) => {
        $crate::error_codes!(@arms $ty; []; []; $($arms)*);
    };
    (@arms $ty:ty; [$($done:tt)*]; [$($codes:literal)*]; $pattern:pat => $code:literal, $($rest:tt)*) => {
        $crate::error_codes!(@arms $ty; [$($done)* $pattern => $code,]; [$($codes)* $code]; $($rest)*);
    };
    (@arms $ty:ty; [$($done:tt)*]; [$($codes:literal)*]; $pattern:pat => $delegate:expr, $($rest:tt)*) => {
        $crate::error_codes!(@arms $ty; [$($done)* $pattern => $delegate,]; [$($codes)*]; $($rest)*);
    };
    (@arms $ty:ty; [$($done:tt)*]; [$($codes:literal)*];) => {
        impl $crate::ErrorCode for $ty {
            fn code(&self) -> &'static str {
                match self {
                    $($done)*
                }
            }
        }
        impl $crate::ErrorCodes for $ty {
            const CODES: &'static [&'static str] = &[$($codes),*];
        }
    };
}

/// The serialised error every command returns on failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    /// Stable code the UI translates, e.g. `"store.not_found"`.
    pub code: String,
    /// English detail naming the problem (the value, the field, the file).
    pub message: String,
    /// For a refusal for want of a supervisor: the one action, on the one target,
    /// a supervisor's countersign would allow. Data, so the UI never reads it
    /// from the English message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub countersign: Option<CountersignNeed>,
}

/// What a supervisor would countersign: a sensitive action (`reprint`,
/// `manage_operators`…) and what it acts on (`badges:<numbers>`, `operator:<name>`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountersignNeed {
    pub action: String,
    pub target: String,
}

impl AppError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            countersign: None,
        }
    }

    /// Builds the IPC error from any crate's error, keeping its code and its text.
    pub fn from_error<E: ErrorCode + ?Sized>(error: &E) -> Self {
        Self::new(error.code(), error.to_string())
    }

    /// The same error, naming the countersign that would lift it.
    pub fn with_countersign(self, need: Option<CountersignNeed>) -> Self {
        Self {
            countersign: need,
            ..self
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for AppError {}
