//! The app's background e-mail sender: every minute it sends the notifications
//! that are due, outside any command, so a slow or unreachable SMTP server never
//! holds up the desk. Failed sends stay in the outbox and are retried later.

use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::state::DeskState;

/// Starts the loop; it lives as long as the app.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(
            sesame_service::MAIL_SEND_INTERVAL_SECONDS,
        ));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let state = app.state::<DeskState>();
            let Ok(desk) = state.desk().await else {
                return; // no desk: the window already says why
            };
            if desk.require_signed_in().is_err() {
                continue; // nobody signed in, or the desk is locked: wait for them
            }
            match sesame_service::send_due_mail(desk).await {
                Ok(report) => tracing::debug!(?report, "mail: due messages sent"),
                Err(error) => tracing::warn!(%error, "mail: sending failed; messages stay queued"),
            }
        }
    });
}
