//! What the Tauri shell keeps between commands: the desk being opened, then the
//! opened desk or why it could not be opened (the window still opens and says so).
//!
//! The desk opens (database, migrations, keyring) while the window and its web view
//! start: both take a few hundred milliseconds, so the first command waits for
//! whichever is left rather than for the two in a row.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use sesame_core::AppError;
use sesame_service::Desk;
use tokio::sync::watch;

type Opened = Result<Desk, AppError>;

pub struct DeskState {
    opened: Arc<OnceLock<Opened>>,
    /// Turns true once `opened` is set.
    ready: watch::Receiver<bool>,
}

impl DeskState {
    /// Starts opening the default desk in the background.
    pub fn open_default() -> Self {
        let opened = Arc::new(OnceLock::new());
        let (set, ready) = watch::channel(false);
        let slot = Arc::clone(&opened);
        tauri::async_runtime::spawn(async move {
            let started = Instant::now();
            let result = Desk::open_default()
                .await
                .map_err(|e| AppError::from_error(&e));
            match &result {
                Ok(_) => tracing::info!(
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "the desk is open"
                ),
                Err(error) => tracing::error!(%error, "the desk could not be opened"),
            }
            let _ = slot.set(result);
            let _ = set.send(true);
        });
        Self { opened, ready }
    }

    /// The desk, or the error that prevented opening it; waits while it is opening.
    pub async fn desk(&self) -> Result<&Desk, AppError> {
        if self.opened.get().is_none() {
            // Dropped unsent only if opening panicked: a bug, which the log shows.
            self.ready
                .clone()
                .wait_for(|ready| *ready)
                .await
                .expect("opening the desk panicked");
        }
        let opened = self.opened.get().expect("set before `ready` turns true");
        opened.as_ref().map_err(Clone::clone)
    }

    /// The desk once its operator signed in and while it is not locked: what every
    /// command but the sign-in ones gets (`operator.sign_in_required`,
    /// `operator.desk_locked` otherwise).
    pub async fn signed_in_desk(&self) -> Result<&Desk, AppError> {
        let desk = self.desk().await?;
        desk.require_signed_in().map_err(|e| e.to_app_error())?;
        Ok(desk)
    }
}
