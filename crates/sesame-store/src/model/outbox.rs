//! The e-mail outbox: what is queued for a holder and where it stands. The queries
//! are in `ops/outbox.rs`; rendering and sending are `sesame-mail`'s.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Where a message stands. `queued` covers "waiting for a retry" too (see `attempts`,
/// `next_attempt_at` and `last_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Queued,
    Sent,
    /// Gave up: refused by the server for good, or too many failed attempts.
    Failed,
    /// Withdrawn by an operator before it was sent.
    Cancelled,
}

impl MailStatus {
    pub const ALL: [MailStatus; 4] = [Self::Queued, Self::Sent, Self::Failed, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// The event a message tells the holder about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MailTemplate {
    RequestReceived,
    RequestRefused,
    BadgePrinted,
    BadgeDispatched,
    BadgeExpiring,
    /// To a visitor's host, when the visitor checks in at the desk.
    VisitorArrived,
}

impl MailTemplate {
    pub const ALL: [MailTemplate; 6] = [
        Self::RequestReceived,
        Self::RequestRefused,
        Self::BadgePrinted,
        Self::BadgeDispatched,
        Self::BadgeExpiring,
        Self::VisitorArrived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequestReceived => "request_received",
            Self::RequestRefused => "request_refused",
            Self::BadgePrinted => "badge_printed",
            Self::BadgeDispatched => "badge_dispatched",
            Self::BadgeExpiring => "badge_expiring",
            Self::VisitorArrived => "visitor_arrived",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// The language of a holder's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MailLanguage {
    /// The office's default.
    #[default]
    Fr,
    En,
}

impl MailLanguage {
    pub const ALL: [MailLanguage; 2] = [Self::Fr, Self::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// A rendered message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Names the event so it is queued once only, e.g. `request_received:<id>`.
    pub dedupe_key: String,
    pub request_id: Option<Uuid>,
    pub badge_id: Option<Uuid>,
    pub holder_id: Option<Uuid>,
    pub recipient: String,
    pub template: MailTemplate,
    pub language: MailLanguage,
    pub subject: String,
    pub body: String,
}

/// A message in the outbox, as the outbox screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub id: Uuid,
    pub dedupe_key: String,
    pub request_id: Option<Uuid>,
    pub badge_id: Option<Uuid>,
    pub holder_id: Option<Uuid>,
    pub recipient: String,
    pub template: MailTemplate,
    pub language: MailLanguage,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    /// Sending attempts made so far (failed ones, plus the successful one if sent).
    pub attempts: u32,
    /// When the sender may try it next (queued messages).
    pub next_attempt_at: DateTime<Utc>,
    /// The last failure, as the SMTP server or the network reported it.
    pub last_error: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Filters of the outbox list. Empty lists mean "any"; newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct OutboxQuery {
    pub statuses: Vec<MailStatus>,
    pub request_id: Option<Uuid>,
    pub holder_id: Option<Uuid>,
    /// At most this many (1..=500, default 100).
    pub limit: Option<u32>,
}

/// Messages per status (every status listed, zeros included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailStatusCount {
    pub status: MailStatus,
    #[ts(type = "number")]
    pub count: i64,
}

/// What the sender does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailFailure {
    /// Try again at this time (still `queued`).
    RetryAt(DateTime<Utc>),
    /// Give up (`failed`).
    GiveUp,
}
