//! Draining the outbox: due messages are leased in small batches, each one's lease is
//! renewed (or found lost) right before it is sent, and it is marked sent or
//! rescheduled. Nothing here runs inside a desk action: the app calls [`send_due`] on a
//! timer and `sesamectl mail send` calls it by hand, so a slow or absent SMTP server
//! never holds up the desk.
//!
//! Leases are measured by the database's clock, never a desk's (desks' clocks differ):
//! a message waiting in a batch is held for [`SendOptions::claim_lease`], the one being
//! sent for [`SendOptions::send_lease`]. A run so long that a waiting message's lease
//! ran out finds it taken by another desk and skips it: each message is sent by one desk.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sesame_store::{MailFailure, MailStatus, OutboxMessage, Store, StoreError};
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

/// How a run leases the messages it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendOptions {
    /// How long a message claimed in a batch waits for its turn before another desk may
    /// take it: short, so a desk that stops mid-run frees the rest soon.
    pub claim_lease: std::time::Duration,
    /// How long the message being sent is held: longer than any exchange with the
    /// server (the SMTP timeout is at most a few minutes), so no other desk sends it
    /// meanwhile; a desk that crashed mid-send frees it after this.
    pub send_lease: std::time::Duration,
    /// Messages claimed at a time.
    pub batch: u32,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            claim_lease: std::time::Duration::from_secs(2 * 60),
            send_lease: std::time::Duration::from_secs(15 * 60),
            batch: 10,
        }
    }
}

/// What hands one message to the mail server: the SMTP client, or a test's stand-in
/// around it.
pub trait Deliver {
    fn deliver(
        &self,
        message: &OutboxMessage,
    ) -> impl Future<Output = std::result::Result<(), SendFailure>> + Send;
}

impl Deliver for SmtpMailer {
    fn deliver(
        &self,
        message: &OutboxMessage,
    ) -> impl Future<Output = std::result::Result<(), SendFailure>> + Send {
        self.send(
            &message.recipient,
            &message.subject,
            &message.body,
            Some(message.id),
        )
    }
}

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
    /// Claimed by this run, but taken over by another desk once their lease ran out
    /// before their turn (or no longer queued): that desk sends them, this one did not.
    pub skipped: u32,
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
    send_due_through(store, mailer, now, sender, SendOptions::default()).await
}

/// [`send_due`] through any [`Deliver`], with explicit leases.
pub async fn send_due_through<D: Deliver>(
    store: &Store,
    deliver: &D,
    now: DateTime<Utc>,
    sender: &str,
    options: SendOptions,
) -> Result<SendReport> {
    let mut report = SendReport::default();
    let mut taken = 0;
    'run: while taken < MAX_PER_RUN {
        let limit = options.batch.clamp(1, MAX_PER_RUN - taken);
        let batch = store
            .claim_due_mail(now, limit, sender, options.claim_lease)
            .await?;
        if batch.is_empty() {
            break;
        }
        taken += batch.len() as u32;
        let mut waiting = batch.into_iter();
        while let Some(claimed) = waiting.next() {
            // Right before sending, in one statement: still ours and still queued, and
            // held for the whole exchange. Otherwise another desk has it: skip it.
            let Some(message) = store
                .renew_mail_lease(claimed.id, sender, options.send_lease)
                .await?
            else {
                tracing::info!(message = %claimed.id, "e-mail taken over by another desk");
                report.skipped += 1;
                continue;
            };
            match deliver.deliver(&message).await {
                Ok(()) => {
                    record_sent(store, &message, now, sender).await?;
                    report.sent += 1;
                }
                Err(failure) => {
                    let stop = matches!(failure, SendFailure::Connection(_));
                    let recorded = record_failure(store, &message, &failure, now, sender).await?;
                    match recorded.map(|m| m.status) {
                        Some(MailStatus::Failed) => report.failed += 1,
                        Some(_) => report.retrying += 1,
                        None => report.skipped += 1,
                    }
                    tracing::warn!(message = %message.id, error = failure.detail(), "e-mail not sent");
                    if stop {
                        report.stopped_by = Some(failure.detail().to_owned());
                        // The rest of the batch goes back at once for the next run.
                        for unsent in waiting.by_ref() {
                            store.release_mail_lease(unsent.id, sender).await?;
                        }
                        break 'run;
                    }
                }
            }
        }
    }
    Ok(report)
}

/// Records a message the server accepted. Should its lease have run out during the
/// exchange and another desk taken it, the record is refused: the message went out
/// (the other desk may send it again), which is said in the log, and the run goes on.
async fn record_sent(
    store: &Store,
    message: &OutboxMessage,
    now: DateTime<Utc>,
    sender: &str,
) -> Result<()> {
    match store.record_mail_sent(message.id, sender, now).await {
        Ok(_) => Ok(()),
        Err(StoreError::MailWrongState { .. }) => {
            tracing::warn!(message = %message.id, "e-mail sent after its lease ran out");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a failed attempt; `None` when another desk took the message over meanwhile.
async fn record_failure(
    store: &Store,
    message: &OutboxMessage,
    failure: &SendFailure,
    now: DateTime<Utc>,
    sender: &str,
) -> Result<Option<OutboxMessage>> {
    let next = after_failure(message.attempts, failure, now);
    match store
        .record_mail_failure(message.id, sender, now, failure.detail(), next)
        .await
    {
        Ok(recorded) => Ok(Some(recorded)),
        Err(StoreError::MailWrongState { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
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
