//! How sesamectl reports failures: `error[code]: message` on stderr, so
//! scripts can match on the same stable codes the UI translates.

use sesame_core::{AppError, ErrorCode};

/// Wraps any coded error so its code survives `anyhow`.
pub fn coded<E: ErrorCode>(error: E) -> anyhow::Error {
    anyhow::Error::new(AppError::from_error(&error))
}

pub fn print_error(error: &anyhow::Error) {
    match error.downcast_ref::<AppError>() {
        Some(app) => eprintln!("error[{}]: {}", app.code, app.message),
        None => eprintln!("error: {error:#}"),
    }
}
