//! How sesamectl reports: failures as `error[code]: message` on stderr, so scripts
//! can match on the same stable codes the UI translates; exports to the file named
//! with `--out`, or to standard output.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use sesame_core::{AppError, ErrorCode};
use sesame_service::{Destination, ExportedFile, ServiceError};

/// Wraps any coded error so its code survives `anyhow`.
pub fn coded<E: ErrorCode>(error: E) -> anyhow::Error {
    anyhow::Error::new(AppError::from_error(&error))
}

/// A report for scripts (`--json`), indented for people reading it too.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn print_error(error: &anyhow::Error) {
    match error.downcast_ref::<AppError>() {
        Some(app) => eprintln!("error[{}]: {}", app.code, app.message),
        None => eprintln!("error: {error:#}"),
    }
}

/// Runs an export into `out`, or, without `--out`, into a private temporary file
/// that is then copied to standard output and removed.
pub async fn write_to<F, Fut>(out: Option<PathBuf>, export: F) -> anyhow::Result<()>
where
    F: FnOnce(Destination) -> Fut,
    Fut: Future<Output = Result<ExportedFile, ServiceError>>,
{
    if let Some(path) = out {
        export(Destination::Path(path)).await.map_err(coded)?;
        return Ok(());
    }
    let folder = tempfile::tempdir().context("creating a temporary folder")?;
    let file = folder.path().join("export");
    export(Destination::Path(file.clone()))
        .await
        .map_err(coded)?;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&bytes)?;
    stdout.flush()?;
    Ok(())
}
