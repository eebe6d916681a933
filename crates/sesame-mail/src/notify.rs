//! Queueing the holder's message for an event: which template, in which language,
//! with which facts. Called right after the desk action that made the event (the action
//! is committed whatever happens here); each event is queued once only.

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sesame_core::{BadgeStatus, RequestKind, RequestStatus};
use sesame_store::{
    BadgeQuery, MailLanguage, MailTemplate, NewMail, OutboxMessage, RequestDetail, Store,
};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::settings::{load_settings, MailSettings};
use crate::templates::{render, MailFacts};

/// Why no message was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// E-mail is switched off, or this event does not send one.
    Disabled,
    /// The holder has no e-mail address.
    NoEmail,
    /// The request is not (or no longer) in the state the message is about.
    NotApplicable,
}

/// What asking for a message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueOutcome {
    Queued(Box<OutboxMessage>),
    /// The same event was queued before (whatever became of it).
    AlreadyQueued,
    Skipped(SkipReason),
}

/// What one round of expiry reminders did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderReport {
    /// Badges expiring in the window.
    pub badges: u32,
    pub queued: u32,
    /// Reminded before for the same end of validity.
    pub already_queued: u32,
    pub without_email: u32,
    /// E-mail or reminders are switched off: nothing was queued.
    pub disabled: bool,
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// The holder's language, else the office's default.
async fn language_for(
    store: &Store,
    settings: &MailSettings,
    holder: Uuid,
) -> Result<MailLanguage> {
    Ok(store
        .holder_mail_language(holder)
        .await?
        .unwrap_or(settings.default_language))
}

/// The event's date and whether the request is in the state `template` is about.
fn event_of(template: MailTemplate, detail: &RequestDetail) -> Option<DateTime<Utc>> {
    let request = &detail.request;
    let prints = request.details.kind.prints_a_card();
    match template {
        MailTemplate::RequestReceived => Some(request.submitted.at),
        MailTemplate::RequestRefused => (request.status == RequestStatus::Refused).then(|| {
            request
                .reviewed
                .as_ref()
                .map_or(request.updated_at, |s| s.at)
        }),
        MailTemplate::BadgePrinted => request.printed.as_ref().filter(|_| prints).map(|s| s.at),
        MailTemplate::BadgeDispatched => {
            request.dispatched.as_ref().filter(|_| prints).map(|s| s.at)
        }
        MailTemplate::BadgeExpiring | MailTemplate::VisitorArrived => None,
    }
}

/// Queues the holder's message about `template` for request `request_id`
/// (received, refused, printed or dispatched).
pub async fn queue_request_mail(
    store: &Store,
    request_id: Uuid,
    template: MailTemplate,
    operator: &str,
) -> Result<QueueOutcome> {
    let settings = load_settings(store).await?;
    if !settings.notifies(template) {
        return Ok(QueueOutcome::Skipped(SkipReason::Disabled));
    }
    let detail = store.get_request(request_id).await?;
    let Some(event_at) = event_of(template, &detail) else {
        return Ok(QueueOutcome::Skipped(SkipReason::NotApplicable));
    };
    let Some(email) = detail.holder.details.email.clone() else {
        return Ok(QueueOutcome::Skipped(SkipReason::NoEmail));
    };
    let language = language_for(store, &settings, detail.holder.id).await?;
    let facts = MailFacts {
        given_names: detail.holder.details.given_names.clone(),
        family_name: detail.holder.details.family_name.clone(),
        request_kind: Some(detail.request.details.kind),
        badge_number: detail.badge.as_ref().map(|b| b.number.clone()),
        reason: detail.request.status_reason.clone(),
        event_date: local_day(event_at),
        valid_until: detail.badge.as_ref().map(|b| b.valid_until),
        days_left: None,
        dispatch_method: detail.request.dispatch_method,
        office: settings.from_name.clone(),
        visitor: None,
    };
    let rendered = render(template, language, &facts);
    let new = NewMail {
        dedupe_key: format!("{}:{}", template.as_str(), request_id),
        request_id: Some(request_id),
        badge_id: detail.badge.as_ref().map(|b| b.id),
        holder_id: Some(detail.holder.id),
        recipient: email,
        template,
        language,
        subject: rendered.subject,
        body: rendered.body,
    };
    Ok(match store.enqueue_mail(new, operator).await? {
        Some(message) => QueueOutcome::Queued(Box::new(message)),
        None => QueueOutcome::AlreadyQueued,
    })
}

/// Queues a reminder for each working badge (issued or active) whose validity ends
/// between `today` and `today + days`: one per badge and end of validity, so running it
/// every day reminds each holder once (and again after a renewal moves the end).
pub async fn queue_expiry_reminders(
    store: &Store,
    today: NaiveDate,
    days: u32,
    operator: &str,
) -> Result<ReminderReport> {
    let settings = load_settings(store).await?;
    if !settings.notifies(MailTemplate::BadgeExpiring) {
        return Ok(ReminderReport {
            disabled: true,
            ..ReminderReport::default()
        });
    }
    let last_day = today + chrono::Duration::days(i64::from(days));
    let rows = store
        .list_badges(&BadgeQuery {
            statuses: vec![BadgeStatus::Issued, BadgeStatus::Active],
            expiring_before: Some(last_day),
            holder_id: None,
        })
        .await?;
    let mut report = ReminderReport::default();
    for row in rows.iter().filter(|r| r.badge.valid_until >= today) {
        report.badges += 1;
        let Some(email) = row.email.clone() else {
            report.without_email += 1;
            continue;
        };
        let badge = &row.badge;
        let language = language_for(store, &settings, badge.holder_id).await?;
        let facts = MailFacts {
            given_names: row.given_names.clone(),
            family_name: row.family_name.clone(),
            request_kind: Some(RequestKind::NewBadge),
            badge_number: Some(badge.number.clone()),
            reason: None,
            event_date: today,
            valid_until: Some(badge.valid_until),
            days_left: Some((badge.valid_until - today).num_days()),
            dispatch_method: None,
            office: settings.from_name.clone(),
            visitor: None,
        };
        let rendered = render(MailTemplate::BadgeExpiring, language, &facts);
        let new = NewMail {
            dedupe_key: format!(
                "{}:{}:{}",
                MailTemplate::BadgeExpiring.as_str(),
                badge.id,
                badge.valid_until
            ),
            request_id: Some(badge.request_id),
            badge_id: Some(badge.id),
            holder_id: Some(badge.holder_id),
            recipient: email,
            template: MailTemplate::BadgeExpiring,
            language,
            subject: rendered.subject,
            body: rendered.body,
        };
        match store.enqueue_mail(new, operator).await? {
            Some(_) => report.queued += 1,
            None => report.already_queued += 1,
        }
    }
    Ok(report)
}

/// Tells the host of a day pass's visitor that they arrived on `day` (once per visit).
pub async fn queue_host_mail(
    store: &Store,
    request_id: Uuid,
    day: NaiveDate,
    operator: &str,
) -> Result<QueueOutcome> {
    let template = MailTemplate::VisitorArrived;
    let settings = load_settings(store).await?;
    if !settings.notifies(template) {
        return Ok(QueueOutcome::Skipped(SkipReason::Disabled));
    }
    let detail = store.get_request(request_id).await?;
    let Some(host) = store.visit_host(request_id).await? else {
        return Ok(QueueOutcome::Skipped(SkipReason::NoEmail));
    };
    let Some(email) = host.email.clone() else {
        return Ok(QueueOutcome::Skipped(SkipReason::NoEmail));
    };
    let holder = &detail.holder.details;
    let visitor = match &holder.organisation {
        Some(organisation) => format!(
            "{} {} ({organisation})",
            holder.given_names, holder.family_name
        ),
        None => format!("{} {}", holder.given_names, holder.family_name),
    };
    let language = settings.default_language;
    let facts = MailFacts {
        given_names: String::new(),
        family_name: host.name.clone(),
        request_kind: Some(detail.request.details.kind),
        badge_number: detail.badge.as_ref().map(|b| b.number.clone()),
        reason: None,
        event_date: day,
        valid_until: None,
        days_left: None,
        dispatch_method: None,
        office: settings.from_name.clone(),
        visitor: Some(visitor),
    };
    let rendered = render(template, language, &facts);
    let new = NewMail {
        dedupe_key: format!("{}:{}:{}", template.as_str(), request_id, day),
        request_id: Some(request_id),
        badge_id: None,
        holder_id: None,
        recipient: email,
        template,
        language,
        subject: rendered.subject,
        body: rendered.body,
    };
    Ok(match store.enqueue_mail(new, operator).await? {
        Some(message) => QueueOutcome::Queued(Box::new(message)),
        None => QueueOutcome::AlreadyQueued,
    })
}
