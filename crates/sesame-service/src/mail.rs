//! E-mail to holders: the hooks the desk actions call to queue a message,
//! the outbox screen, the mail settings page, and the sender the app runs on a timer.
//!
//! Queueing happens right after the desk action has committed and never fails it: a
//! problem is logged and the action's result stands (the outbox is not the action).
//! Sending is never part of a desk action: see [`send_due_mail`].

use serde::{Deserialize, Serialize};
use sesame_mail::{
    MailLanguage, MailSettings, MailStatusCount, MailTemplate, OutboxMessage, OutboxQuery,
    QueueOutcome, SendReport, SmtpPasswordEntry,
};
use ts_rs::TS;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::{Desk, HolderId, MailId, ServiceError};

/// How often the app should call [`send_due_mail`] (the shortest retry delay).
pub const MAIL_SEND_INTERVAL_SECONDS: u64 = 60;

/// Queues the holder's message about `template` for request `request_id`, if e-mail
/// and that event are switched on. Never fails the caller: the desk action is done.
pub(crate) async fn notify(desk: &Desk, request_id: Uuid, template: MailTemplate) {
    // Called right after an action the operator signed in for has committed.
    let operator = desk.operator().unwrap_or_default();
    match sesame_mail::queue_request_mail(&desk.store, request_id, template, &operator).await {
        Ok(QueueOutcome::Queued(message)) => {
            tracing::debug!(request = %request_id, message = %message.id, template = template.as_str(), "e-mail queued");
        }
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(request = %request_id, template = template.as_str(), %error, "e-mail not queued");
        }
    }
}

/// [`notify`] for each request. The ids are collected before the first await: an
/// iterator borrowing the caller's rows (a `map` closure) held across the awaits
/// makes the caller's future fail Tauri's `Send` check ("FnOnce is not general enough").
pub(crate) fn notify_each<'a>(
    desk: &'a Desk,
    request_ids: impl IntoIterator<Item = Uuid>,
    template: MailTemplate,
) -> impl std::future::Future<Output = ()> + Send + 'a {
    let ids: Vec<Uuid> = request_ids.into_iter().collect();
    async move {
        for id in ids {
            notify(desk, id, template).await;
        }
    }
}

/// The message a lifecycle step sends, if any.
pub(crate) fn template_for(action: &sesame_core::RequestAction) -> Option<MailTemplate> {
    use sesame_core::RequestAction as A;
    match action {
        A::Refuse => Some(MailTemplate::RequestRefused),
        A::MarkPrinted => Some(MailTemplate::BadgePrinted),
        A::Dispatch { .. } => Some(MailTemplate::BadgeDispatched),
        _ => None,
    }
}

/// The mail settings page: the shared settings and this desk's password state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailSetup {
    pub settings: MailSettings,
    /// The settings name a login and this desk's keyring holds its password.
    pub password_stored: bool,
    /// Why the keyring could not be read, in English (the page shows it as detail).
    pub keyring_problem: Option<String>,
}

async fn mail_setup(settings: MailSettings) -> MailSetup {
    let (password_stored, keyring_problem) = match SmtpPasswordEntry::for_settings(&settings) {
        None => (false, None),
        Some(entry) => match entry.try_load_async().await {
            Ok(found) => (found.is_some(), None),
            Err(error) => (false, Some(error.to_string())),
        },
    };
    MailSetup {
        settings,
        password_stored,
        keyring_problem,
    }
}

/// The mail settings and whether this desk has the SMTP password.
pub async fn mail_settings(desk: &Desk) -> Result<MailSetup, ServiceError> {
    let settings = sesame_mail::load_settings(&desk.store).await?;
    Ok(mail_setup(settings).await)
}

/// What the settings page saves: the settings, and a new password when one was typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveMailSettingsInput {
    pub settings: MailSettings,
    /// Stored in this desk's OS keyring, never in the database. `None` keeps the current one.
    pub password: Option<String>,
}

/// Saves the office's mail settings (a supervisor's action, audited) and the password
/// into this desk's keyring.
pub async fn save_mail_settings(
    desk: &Desk,
    input: SaveMailSettingsInput,
) -> Result<MailSetup, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "mail")?;
    let password = input.password.map(Zeroizing::new);
    let candidate = input.settings.normalised();
    candidate.validate()?;
    // The password first: if the keyring refuses it, the settings are not changed.
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let entry = SmtpPasswordEntry::for_settings(&candidate).ok_or_else(|| {
            sesame_mail::MailError::InvalidSettings {
                field: "username".into(),
                detail: "a password needs a login name".into(),
            }
        })?;
        entry.store_async(password).await?;
    }
    let saved = sesame_mail::save_settings(&desk.store, candidate, &desk.actor()?).await?;
    Ok(mail_setup(saved).await)
}

/// Forgets this desk's SMTP password (a supervisor's action).
pub async fn clear_mail_password(desk: &Desk) -> Result<MailSetup, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "mail")?;
    let settings = sesame_mail::load_settings(&desk.store).await?;
    if let Some(entry) = SmtpPasswordEntry::for_settings(&settings) {
        entry.remove_async().await?;
    }
    Ok(mail_setup(settings).await)
}

/// Sends a test message to `to` now, outside the outbox, with the saved settings.
pub async fn send_test_mail(desk: &Desk, to: String) -> Result<(), ServiceError> {
    let subject = "Sésame : message de test / test message";
    let body = format!(
        "Ce message de test a été envoyé par le poste « {op} » de Sésame : l’envoi d’e-mails fonctionne.\n\n\
         This test message was sent by Sésame desk \"{op}\": e-mail sending works.\n",
        op = sesame_mail::clean_value(&desk.actor()?)
    );
    Ok(sesame_mail::send_test_message(&desk.store, &to, subject, &body).await?)
}

/// The outbox, newest first, filtered.
pub async fn mail_outbox(
    desk: &Desk,
    query: OutboxQuery,
) -> Result<Vec<OutboxMessage>, ServiceError> {
    Ok(desk.store.list_outbox(&query).await?)
}

/// Messages per status (the outbox's chips; `failed` deserves the operator's eye).
pub async fn mail_outbox_counts(desk: &Desk) -> Result<Vec<MailStatusCount>, ServiceError> {
    Ok(desk.store.outbox_counts().await?)
}

/// Sends the messages due now. The app calls it every [`MAIL_SEND_INTERVAL_SECONDS`]
/// from a background task (never from a desk action); `sesamectl mail send` calls it
/// by hand. Several desks may run it at once: each message is leased to one sender.
pub async fn send_due_mail(desk: &Desk) -> Result<SendReport, ServiceError> {
    Ok(sesame_mail::send_due(&desk.store, desk.clock.now(), &desk.actor()?).await?)
}

/// Queues a failed or cancelled message again, due now (audited).
pub async fn retry_mail(desk: &Desk, id: MailId) -> Result<OutboxMessage, ServiceError> {
    Ok(desk.store.retry_mail(id.0, &desk.actor()?).await?)
}

/// Withdraws a message not sent yet (audited, with the reason given).
pub async fn cancel_mail(
    desk: &Desk,
    id: MailId,
    reason: Option<String>,
) -> Result<OutboxMessage, ServiceError> {
    let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    Ok(desk.store.cancel_mail(id.0, &desk.actor()?, reason).await?)
}

/// The language a holder's messages are written in (`None`: the office's default).
pub async fn holder_mail_language(
    desk: &Desk,
    holder_id: HolderId,
) -> Result<Option<MailLanguage>, ServiceError> {
    Ok(desk.store.holder_mail_language(holder_id.0).await?)
}

/// Sets (or with `None` forgets) a holder's language for messages (audited).
pub async fn set_holder_mail_language(
    desk: &Desk,
    holder_id: HolderId,
    language: Option<MailLanguage>,
) -> Result<(), ServiceError> {
    Ok(desk
        .store
        .set_holder_mail_language(holder_id.0, language, &desk.actor()?)
        .await?)
}
