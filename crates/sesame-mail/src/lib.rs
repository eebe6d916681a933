//! Sésame's e-mail notifications to holders.
//!
//! - The holder gets a message when their request is received or refused, when the
//!   badge is printed and dispatched, and before it expires; in French or English
//!   (the holder's language when known, else the office's default), as plain text.
//! - Messages are rendered when the event happens and kept in the queue database's
//!   outbox (`mail_outbox`, see `sesame-store`), so every desk sees the same outbox and
//!   a message survives restarts. Each event is queued once (`dedupe_key`).
//! - [`send_due`] drains the outbox through the office's SMTP server (STARTTLS, TLS,
//!   or plain to a server on this machine) and retries failures after 1 min, 5 min,
//!   30 min and 2 h before giving up. It runs on a timer or from `sesamectl mail send`,
//!   never inside a desk action: queueing is a database insert, sending is later.
//! - The SMTP settings are shared in the database; the password is in each desk's OS
//!   keyring ([`SmtpPasswordEntry`]).

mod credentials;
mod error;
mod notify;
mod sender;
mod settings;
mod templates;
mod transport;

pub use credentials::{SmtpPasswordEntry, DEFAULT_SERVICE, SERVICE_ENV};
pub use error::{MailError, Result};
pub use notify::{
    queue_expiry_reminders, queue_host_mail, queue_request_mail, QueueOutcome, ReminderReport,
    SkipReason,
};
pub use sender::{
    after_failure, send_due, send_due_through, send_due_with, send_test_message, Deliver,
    SendOptions, SendReport, MAX_ATTEMPTS, MAX_PER_RUN, RETRY_DELAYS_MINUTES,
};
pub use settings::{is_loopback_host, load_settings, save_settings, MailSettings, SmtpSecurity};
pub use templates::{clean_value, format_date, render, MailFacts, RenderedMail};
pub use transport::{SendFailure, SmtpMailer};

// The outbox's own shapes live in the store; re-exported so callers need one crate.
pub use sesame_store::{
    MailLanguage, MailStatus, MailStatusCount, MailTemplate, OutboxMessage, OutboxQuery,
};
