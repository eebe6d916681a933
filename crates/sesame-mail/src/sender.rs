//! Draining the outbox: each due message is leased, sent, and marked sent or
//! rescheduled. Nothing here runs inside a desk action: the app calls [`send_due`] on a
//! timer and `sesamectl mail send` calls it by hand, so a slow or absent SMTP server
//! never holds up the desk.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sesame_store::{MailFailure, MailStatus, OutboxMessage, Store};
use ts_rs::TS;

use crate::credentials::SmtpPasswordEntry;
use crate::error::{MailError, Result};
use crate::settings::load_settings;
use crate::transport::{SendFailure, SmtpMailer};

/// Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure gives up.
pub const RETRY_DELAYS_MINUTES: [i64; 4] = [1, 5, 30, 120];
/// Attempts before a message is `failed` (one more than the delays).
pub const MAX_ATTEMPTS: u32 = RETRY_DELAYS_MINUTES.len() as u32 + 1;
/// Most messages one run sends (the next run takes the rest).
pub const MAX_PER_RUN: u32 = 200;
/// How long a sender holds a message while it talks to the server; a desk that
/// crashed mid-send frees it after this.
const LEASE_MINUTES: i64 = 15;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    pub sent: u32,
    /// Failed this time, will be tried again later.
    pub retrying: u32,
    /// Given up (refused for good, or too many attempts).
    pub failed: u32,
    /// E-mail is switched off: nothing was tried.
    pub disabled: bool,
    /// The server could not be reached: the run stopped there, the rest waits for the next one.
    pub stopped_by: Option<String>,
}

/// What to do after the failed attempt of a message that had `attempts_before` failed ones.
pub fn after_failure(
    attempts_before: u32,
    failure: &SendFailure,
    now: DateTime<Utc>,
) -> MailFailure {
    if matches!(failure, SendFailure::Permanent(_)) {
        return MailFailure::GiveUp;
    }
    match RETRY_DELAYS_MINUTES.get(attempts_before as usize) {
        Some(minutes) => MailFailure::RetryAt(now + Duration::minutes(*minutes)),
        None => MailFailure::GiveUp,
    }
}

/// Sends what is due at `now` with the office's settings and this desk's keyring password.
/// Switched off: does nothing (`disabled`). A login without a password in the keyring is
/// `mail.password_missing` and nothing is tried, so no attempt is wasted on it.
pub async fn send_due(store: &Store, now: DateTime<Utc>, sender: &str) -> Result<SendReport> {
    let settings = load_settings(store).await?;
    if !settings.enabled {
        return Ok(SendReport {
            disabled: true,
            ..SendReport::default()
        });
    }
    let password = match SmtpPasswordEntry::for_settings(&settings) {
        Some(entry) => {
            Some(
                entry
                    .try_load_async()
                    .await?
                    .ok_or_else(|| MailError::PasswordMissing {
                        service: entry.service().to_owned(),
                        account: entry.account().to_owned(),
                    })?,
            )
        }
        None => None,
    };
    let mailer = SmtpMailer::new(&settings, password.as_ref().map(|p| p.as_str()))?;
    send_due_with(store, &mailer, now, sender).await
}

/// [`send_due`] through an explicit client.
pub async fn send_due_with(
    store: &Store,
    mailer: &SmtpMailer,
    now: DateTime<Utc>,
    sender: &str,
) -> Result<SendReport> {
    let mut report = SendReport::default();
    let lease_until = now + Duration::minutes(LEASE_MINUTES);
    for _ in 0..MAX_PER_RUN {
        // One at a time: a run stopped by a dead server leaves the rest unleased.
        let Some(message) = store
            .claim_due_mail(now, 1, sender, lease_until)
            .await?
            .into_iter()
            .next()
        else {
            break;
        };
        let outcome = mailer
            .send(
                &message.recipient,
                &message.subject,
                &message.body,
                Some(message.id),
            )
            .await;
        match outcome {
            Ok(()) => {
                store.record_mail_sent(message.id, sender, now).await?;
                report.sent += 1;
            }
            Err(failure) => {
                let stop = matches!(failure, SendFailure::Connection(_));
                let recorded = record_failure(store, &message, &failure, now, sender).await?;
                match recorded.status {
                    MailStatus::Failed => report.failed += 1,
                    _ => report.retrying += 1,
                }
                tracing::warn!(message = %message.id, error = failure.detail(), "e-mail not sent");
                if stop {
                    report.stopped_by = Some(failure.detail().to_owned());
                    break;
                }
            }
        }
    }
    Ok(report)
}

async fn record_failure(
    store: &Store,
    message: &OutboxMessage,
    failure: &SendFailure,
    now: DateTime<Utc>,
    sender: &str,
) -> Result<OutboxMessage> {
    let next = after_failure(message.attempts, failure, now);
    Ok(store
        .record_mail_failure(message.id, sender, now, failure.detail(), next)
        .await?)
}

/// Sends one message straight away, outside the outbox (the settings page's "send a test").
pub async fn send_test_message(store: &Store, to: &str, subject: &str, body: &str) -> Result<()> {
    let settings = load_settings(store).await?;
    if settings.host.is_empty() || settings.from_address.is_empty() {
        return Err(MailError::NotConfigured);
    }
    let password = match SmtpPasswordEntry::for_settings(&settings) {
        Some(entry) => {
            Some(
                entry
                    .try_load_async()
                    .await?
                    .ok_or_else(|| MailError::PasswordMissing {
                        service: entry.service().to_owned(),
                        account: entry.account().to_owned(),
                    })?,
            )
        }
        None => None,
    };
    let mailer = SmtpMailer::new(&settings, password.as_ref().map(|p| p.as_str()))?;
    mailer
        .send(to, subject, body, None)
        .await
        .map_err(|failure| match failure {
            SendFailure::Permanent(detail) if detail.contains("is not an e-mail address") => {
                MailError::InvalidAddress {
                    value: to.to_owned(),
                }
            }
            other => MailError::SmtpFailed {
                server: settings.server(),
                detail: other.detail().to_owned(),
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_schedule_then_give_up() {
        let now = Utc::now();
        let transient = SendFailure::Connection("refused".into());
        let waits: Vec<MailFailure> = (0..6).map(|n| after_failure(n, &transient, now)).collect();
        assert_eq!(waits[0], MailFailure::RetryAt(now + Duration::minutes(1)));
        assert_eq!(waits[1], MailFailure::RetryAt(now + Duration::minutes(5)));
        assert_eq!(waits[2], MailFailure::RetryAt(now + Duration::minutes(30)));
        assert_eq!(waits[3], MailFailure::RetryAt(now + Duration::hours(2)));
        assert_eq!(waits[4], MailFailure::GiveUp);
        assert_eq!(MAX_ATTEMPTS, 5);
    }

    #[test]
    fn permanent_refusals_are_not_retried() {
        let refused = SendFailure::Permanent("550 no such user".into());
        assert_eq!(after_failure(0, &refused, Utc::now()), MailFailure::GiveUp);
    }
}
