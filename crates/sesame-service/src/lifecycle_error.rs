//! Errors of the badge's life after printing (dispatch, lists, inactivity, housekeeping).

use sesame_core::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("no badge is selected")]
    NothingSelected,
    #[error("nothing in the selection can be dispatched: {reasons}")]
    NothingToDispatch { reasons: String },
    #[error("{days} days is not a usable delay (1 to {max})")]
    InvalidDays { days: u32, max: u32 },
    #[error("a deactivation needs a reason")]
    ReasonRequired,
    #[error("cannot write the dispatch list {path}: {source}")]
    ListUnwritable {
        path: String,
        source: std::io::Error,
    },
    /// The mail crate's failure, kept with its own code.
    #[error("{message}")]
    Mail { code: &'static str, message: String },
    #[error("the badges are dispatched but their list could not be moved to {path} ({source}); it is at {temp}")]
    ListNotMoved {
        path: String,
        temp: String,
        source: std::io::Error,
    },
}

sesame_core::error_codes! {
    LifecycleError {
        LifecycleError::NothingSelected => "lifecycle.nothing_selected",
        LifecycleError::NothingToDispatch { .. } => "dispatch.nothing_to_dispatch",
        LifecycleError::InvalidDays { .. } => "lifecycle.invalid_days",
        LifecycleError::ReasonRequired => "lifecycle.reason_required",
        LifecycleError::ListUnwritable { .. } => "dispatch.list_unwritable",
        LifecycleError::ListNotMoved { .. } => "dispatch.list_not_moved",
        LifecycleError::Mail { code, .. } => code,
    }
}

impl From<sesame_mail::MailError> for LifecycleError {
    fn from(error: sesame_mail::MailError) -> Self {
        LifecycleError::Mail {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

/// The longest delay a list accepts (ten years), so a typo cannot ask for the whole history.
pub const MAX_LIST_DAYS: u32 = 3650;

/// Checks a delay given by the operator (`None`: each category's own).
pub(crate) fn check_days(days: Option<u32>) -> Result<Option<u32>, LifecycleError> {
    match days {
        Some(days) if days == 0 || days > MAX_LIST_DAYS => Err(LifecycleError::InvalidDays {
            days,
            max: MAX_LIST_DAYS,
        }),
        other => Ok(other),
    }
}
