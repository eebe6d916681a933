//! What the Tauri shell keeps between commands: the desk being opened, then the
//! opened desk or why it could not be opened (the window still opens and says so).
//!
//! The desk opens (database, migrations, keyring) while the window and its web view
//! start: both take a few hundred milliseconds, so the first command waits for
//! whichever is left rather than for the two in a row.

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use sesame_core::AppError;
use sesame_service::{Desk, ServiceError};
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
        Self::opening(Desk::open_default())
    }

    /// Starts `open` in the background; commands wait for it.
    fn opening(open: impl Future<Output = Result<Desk, ServiceError>> + Send + 'static) -> Self {
        let opened = Arc::new(OnceLock::new());
        let (set, ready) = watch::channel(false);
        let slot = Arc::clone(&opened);
        tauri::async_runtime::spawn(async move {
            let started = Instant::now();
            let result = open.await.map_err(|e| AppError::from_error(&e));
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn commands_wait_while_the_desk_opens_then_get_why_it_could_not() {
        let (release, gate) = tokio::sync::oneshot::channel::<()>();
        let state = DeskState::opening(async move {
            let _ = gate.await;
            Err(ServiceError::DeskConfig {
                path: "/nowhere/desk.json".into(),
                detail: "unreadable".into(),
            })
        });
        let early = tokio::time::timeout(Duration::from_millis(200), state.desk()).await;
        assert!(early.is_err(), "answered before the desk finished opening");

        release.send(()).unwrap();
        let error = state.desk().await.err().expect("the opening's error");
        assert_eq!(error.code, "settings.config_unreadable");
        // Every later command gets the same answer, without opening again.
        let again = state.signed_in_desk().await.err().expect("the same error");
        assert_eq!(again.code, "settings.config_unreadable");
    }
}
