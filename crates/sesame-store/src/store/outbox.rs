//! `Store` methods of the e-mail outbox: queueing, leasing to a sender, the outcome
//! of each attempt, the operator's retry and cancel, and the SMTP settings.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::sqlite::ops::outbox::MAIL_SETTINGS_KEY;
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{MailFailure, MailLanguage, MailStatusCount, NewMail, OutboxMessage, OutboxQuery};

impl Store {
    /// Queues a rendered message, due at once (audited `mail_queued` on its request or
    /// badge). `None` when the same event (`dedupe_key`) was queued before: nothing written.
    pub async fn enqueue_mail(
        &self,
        new: NewMail,
        operator: &str,
    ) -> Result<Option<OutboxMessage>> {
        dispatch!(self, outbox::enqueue_mail(&self.clock, new, operator))
    }

    pub async fn get_outbox_message(&self, id: Uuid) -> Result<OutboxMessage> {
        dispatch!(self, outbox::get_outbox_message(id))
    }

    /// The outbox, newest first.
    pub async fn list_outbox(&self, query: &OutboxQuery) -> Result<Vec<OutboxMessage>> {
        dispatch!(self, outbox::list_outbox(query))
    }

    /// Messages per status, every status listed.
    pub async fn outbox_counts(&self) -> Result<Vec<MailStatusCount>> {
        dispatch!(self, outbox::outbox_counts())
    }

    /// Leases up to `limit` messages due at `at` (the desk's clock) to `sender` for
    /// `lease`, measured by the database's clock.
    pub async fn claim_due_mail(
        &self,
        at: DateTime<Utc>,
        limit: u32,
        sender: &str,
        lease: std::time::Duration,
    ) -> Result<Vec<OutboxMessage>> {
        dispatch!(self, outbox::claim_due_mail(at, limit, sender, lease))
    }

    /// Right before sending a message `sender` claimed: its lease renewed for `lease`,
    /// or `None` when `sender` no longer holds it (another desk took it over, or it is
    /// no longer queued) and must not send it.
    pub async fn renew_mail_lease(
        &self,
        id: Uuid,
        sender: &str,
        lease: std::time::Duration,
    ) -> Result<Option<OutboxMessage>> {
        dispatch!(self, outbox::renew_mail_lease(id, sender, lease))
    }

    /// Gives back `sender`'s lease on a message it will not send after all.
    pub async fn release_mail_lease(&self, id: Uuid, sender: &str) -> Result<()> {
        dispatch!(self, outbox::release_mail_lease(id, sender))
    }

    /// The SMTP server accepted a message `sender` leased.
    pub async fn record_mail_sent(
        &self,
        id: Uuid,
        sender: &str,
        at: DateTime<Utc>,
    ) -> Result<OutboxMessage> {
        dispatch!(self, outbox::record_mail_sent(id, sender, at))
    }

    /// A leased message's attempt failed: retried later or given up.
    pub async fn record_mail_failure(
        &self,
        id: Uuid,
        sender: &str,
        at: DateTime<Utc>,
        error: &str,
        outcome: MailFailure,
    ) -> Result<OutboxMessage> {
        dispatch!(
            self,
            outbox::record_mail_failure(id, sender, at, error, outcome)
        )
    }

    /// Queues a failed or cancelled message again (audited `mail_retry`).
    pub async fn retry_mail(&self, id: Uuid, operator: &str) -> Result<OutboxMessage> {
        dispatch!(self, outbox::retry_mail(&self.clock, id, operator))
    }

    /// Withdraws a queued message (audited `mail_cancel`).
    pub async fn cancel_mail(
        &self,
        id: Uuid,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<OutboxMessage> {
        dispatch!(self, outbox::cancel_mail(&self.clock, id, operator, reason))
    }

    /// The language chosen for a holder's messages, if any.
    pub async fn holder_mail_language(&self, holder_id: Uuid) -> Result<Option<MailLanguage>> {
        dispatch!(self, outbox::holder_mail_language(holder_id))
    }

    /// Sets or (with `None`) forgets a holder's language (audited on the holder).
    pub async fn set_holder_mail_language(
        &self,
        holder_id: Uuid,
        language: Option<MailLanguage>,
        operator: &str,
    ) -> Result<()> {
        dispatch!(
            self,
            outbox::set_holder_mail_language(&self.clock, holder_id, language, operator)
        )
    }

    /// The office's SMTP settings as stored (JSON owned by `sesame-mail`).
    pub async fn mail_settings_json(&self) -> Result<Option<serde_json::Value>> {
        dispatch!(self, settings::get(MAIL_SETTINGS_KEY))
    }

    /// Saves the office's SMTP settings (audited as a settings update).
    pub async fn save_mail_settings_json(
        &self,
        value: &serde_json::Value,
        operator: &str,
    ) -> Result<()> {
        dispatch!(
            self,
            settings::save(&self.clock, MAIL_SETTINGS_KEY, value, operator)
        )
    }
}
