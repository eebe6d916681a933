//! Talking to the office's SMTP server (lettre on tokio).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use crate::error::{MailError, Result};
use crate::settings::{parse_address, MailSettings, SmtpSecurity};

/// SMTP replies about the login (RFC 4954): authentication required, too weak,
/// credentials invalid, encryption required.
const LOGIN_CODES: [u16; 4] = [530, 534, 535, 538];

/// Why a message was not sent, as far as retrying is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// The server refused it for good (5xx: unknown mailbox, relay denied…), or the
    /// address cannot be used: retrying will not help.
    Permanent(String),
    /// The server asked to come back later (4xx).
    Transient(String),
    /// The server could not be reached or the connection broke (network, TLS, timeout):
    /// the following messages would fail the same way.
    Connection(String),
}

impl SendFailure {
    pub fn detail(&self) -> &str {
        match self {
            Self::Permanent(d) | Self::Transient(d) | Self::Connection(d) => d,
        }
    }
}

/// A configured SMTP client.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    server: String,
    /// The right-hand side of Message-IDs (the sender address's domain).
    id_domain: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A client for `settings`, logging in with `password` when the settings name a user.
    pub fn new(settings: &MailSettings, password: Option<&str>) -> Result<SmtpMailer> {
        settings.validate()?;
        if settings.host.is_empty() || settings.from_address.is_empty() {
            return Err(MailError::NotConfigured);
        }
        let tls_error = |e: lettre::transport::smtp::Error| MailError::InvalidSettings {
            field: "security".into(),
            detail: format!("TLS cannot be set up for '{}': {e}", settings.host),
        };
        let builder = match settings.security {
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(tls_error)?
            }
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(tls_error)?
            }
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                settings.host.trim_start_matches('[').trim_end_matches(']'),
            ),
        };
        let mut builder = builder
            .port(settings.port)
            .timeout(Some(Duration::from_secs(settings.timeout_seconds.into())));
        if let Some(username) = &settings.username {
            let Some(password) = password else {
                let entry = crate::credentials::SmtpPasswordEntry::for_settings(settings);
                return Err(MailError::PasswordMissing {
                    service: entry
                        .as_ref()
                        .map(|e| e.service().to_owned())
                        .unwrap_or_default(),
                    account: entry
                        .as_ref()
                        .map(|e| e.account().to_owned())
                        .unwrap_or_default(),
                });
            };
            builder = builder.credentials(Credentials::new(username.clone(), password.to_owned()));
        }
        let from_address = parse_address(&settings.from_address)?;
        let id_domain = from_address.domain().to_owned();
        let from_name = Some(settings.from_name.clone()).filter(|n| !n.is_empty());
        let reply_to = settings
            .reply_to
            .as_deref()
            .map(parse_address)
            .transpose()?
            .map(|address| Mailbox::new(None, address));
        Ok(SmtpMailer {
            transport: builder.build(),
            from: Mailbox::new(from_name, from_address),
            reply_to,
            server: settings.server(),
            id_domain,
        })
    }

    /// `host:port`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends one plain-text message. `message_id` (the outbox id) becomes the
    /// Message-ID, so a message sent twice after a crash is recognisably the same one.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        message_id: Option<Uuid>,
    ) -> std::result::Result<(), SendFailure> {
        let to = parse_address(to).map_err(|e| SendFailure::Permanent(e.to_string()))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if let Some(id) = message_id {
            builder = builder.message_id(Some(format!("<{id}@{}>", self.id_domain)));
        }
        let message = builder
            .body(body.to_owned())
            .map_err(|e| SendFailure::Permanent(format!("the message cannot be built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A refused login (or a server that wants one) is the desk's settings, not this
            // message: every message would meet it, so it stops the run like a dead server.
            Err(error)
                if error
                    .status()
                    .is_some_and(|c| LOGIN_CODES.contains(&u16::from(c))) =>
            {
                Err(SendFailure::Connection(format!(
                    "{}: the login was refused: {error}",
                    self.server
                )))
            }
            Err(error) if error.is_permanent() => Err(SendFailure::Permanent(error.to_string())),
            Err(error) if error.is_transient() => Err(SendFailure::Transient(error.to_string())),
            Err(error) => Err(SendFailure::Connection(format!(
                "{}: {}",
                self.server,
                describe(&error)
            ))),
        }
    }
}

/// lettre's error with its causes (the useful part, e.g. "Connection refused", is in a source).
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
