//! The office's SMTP settings, shared by every desk through the queue database's
//! `settings` table. The password is not here: it is in each desk's OS keyring
//! (see `credentials`).

use serde::{Deserialize, Serialize};
use sesame_store::{MailLanguage, MailTemplate, Store};
use ts_rs::TS;

use crate::error::{MailError, Result};
pub use sesame_core::text::is_loopback_host;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only accepted for a server on this machine (loopback), e.g. a local relay.
    None,
}

fn default_port() -> u16 {
    587
}

fn default_timeout() -> u16 {
    30
}

fn default_from_name() -> String {
    "Bureau des badges".to_owned()
}

fn all_templates() -> Vec<MailTemplate> {
    MailTemplate::ALL.to_vec()
}

/// What the mail settings page edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailSettings {
    /// Off: nothing is queued and nothing is sent.
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// The sender address holders see, e.g. `badges@univ.example`.
    #[serde(default)]
    pub from_address: String,
    /// The sender's name, also the messages' signature, e.g. `Bureau des badges`.
    #[serde(default = "default_from_name")]
    pub from_name: String,
    /// Where holders' replies go, when not to `from_address`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// The SMTP login; `None` for a server that takes mail without one.
    #[serde(default)]
    pub username: Option<String>,
    /// The language of holders whose own is not known.
    #[serde(default)]
    pub default_language: MailLanguage,
    /// The events that send a message to the holder.
    #[serde(default = "all_templates")]
    pub notify: Vec<MailTemplate>,
    /// How long to wait for the SMTP server at each step.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u16,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            enabled: false,
            host: String::new(),
            port: default_port(),
            security: SmtpSecurity::default(),
            from_address: String::new(),
            from_name: default_from_name(),
            reply_to: None,
            username: None,
            default_language: MailLanguage::Fr,
            notify: all_templates(),
            timeout_seconds: default_timeout(),
        }
    }
}

fn invalid(field: &str, detail: impl Into<String>) -> MailError {
    MailError::InvalidSettings {
        field: field.to_owned(),
        detail: detail.into(),
    }
}

/// A single-line text without control characters (names and addresses go into headers).
fn one_line(field: &str, value: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(invalid(
            field,
            "must be one line without control characters",
        ));
    }
    Ok(())
}

pub(crate) fn parse_address(value: &str) -> Result<lettre::Address> {
    value
        .trim()
        .parse::<lettre::Address>()
        .map_err(|_| MailError::InvalidAddress {
            value: value.to_owned(),
        })
}

impl MailSettings {
    /// Trims the texts and turns blank optional ones into `None`; drops repeated events.
    pub fn normalised(mut self) -> Self {
        fn opt(value: Option<String>) -> Option<String> {
            value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
        }
        self.host = self.host.trim().to_owned();
        self.from_address = self.from_address.trim().to_owned();
        self.from_name = self.from_name.trim().to_owned();
        self.reply_to = opt(self.reply_to);
        self.username = opt(self.username);
        let mut notify = Vec::new();
        for template in self.notify {
            if !notify.contains(&template) {
                notify.push(template);
            }
        }
        self.notify = notify;
        self
    }

    /// Checks what sending needs. Settings switched off may stay incomplete, but what is
    /// filled in must still be valid.
    pub fn validate(&self) -> Result<()> {
        one_line("host", &self.host)?;
        one_line("fromName", &self.from_name)?;
        if self.host.chars().any(char::is_whitespace) {
            return Err(invalid("host", format!("'{}' contains spaces", self.host)));
        }
        if let Some(username) = &self.username {
            one_line("username", username)?;
        }
        if !self.from_address.is_empty() {
            parse_address(&self.from_address).map_err(|_| {
                invalid(
                    "fromAddress",
                    format!("'{}' is not an e-mail address", self.from_address),
                )
            })?;
        }
        if let Some(reply_to) = &self.reply_to {
            parse_address(reply_to).map_err(|_| {
                invalid("replyTo", format!("'{reply_to}' is not an e-mail address"))
            })?;
        }
        if !(1..=600).contains(&self.timeout_seconds) {
            return Err(invalid(
                "timeoutSeconds",
                "must be between 1 and 600 seconds",
            ));
        }
        if self.security == SmtpSecurity::None
            && !self.host.is_empty()
            && !is_loopback_host(&self.host)
        {
            return Err(invalid(
                "security",
                format!(
                    "an unencrypted connection is only allowed to a server on this machine, not '{}'",
                    self.host
                ),
            ));
        }
        if self.enabled {
            if self.host.is_empty() {
                return Err(invalid("host", "an SMTP server is needed to send e-mail"));
            }
            if self.port == 0 {
                return Err(invalid("port", "must be between 1 and 65535"));
            }
            if self.from_address.is_empty() {
                return Err(invalid(
                    "fromAddress",
                    "a sender address is needed to send e-mail",
                ));
            }
        }
        Ok(())
    }

    /// Whether `template` events send a message now.
    pub fn notifies(&self, template: MailTemplate) -> bool {
        self.enabled && self.notify.contains(&template)
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// The office's settings, or the defaults (switched off) until someone saves them.
pub async fn load_settings(store: &Store) -> Result<MailSettings> {
    match store.mail_settings_json().await? {
        None => Ok(MailSettings::default()),
        Some(value) => serde_json::from_value(value).map_err(|e| {
            MailError::Store(sesame_store::StoreError::Corrupt(format!(
                "stored mail settings are unreadable: {e}"
            )))
        }),
    }
}

/// Normalises, checks and saves the settings (audited); returns what was saved.
pub async fn save_settings(
    store: &Store,
    settings: MailSettings,
    operator: &str,
) -> Result<MailSettings> {
    let settings = settings.normalised();
    settings.validate()?;
    let value = serde_json::to_value(&settings)
        .map_err(|e| invalid("settings", format!("cannot be written as JSON: {e}")))?;
    store.save_mail_settings_json(&value, operator).await?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled() -> MailSettings {
        MailSettings {
            enabled: true,
            host: "smtp.univ.example".into(),
            from_address: "badges@univ.example".into(),
            ..MailSettings::default()
        }
    }

    #[test]
    fn defaults_are_off_and_valid() {
        let settings = MailSettings::default();
        assert!(!settings.enabled);
        settings.validate().unwrap();
        assert!(!settings.notifies(MailTemplate::RequestReceived));
    }

    #[test]
    fn enabled_settings_need_a_server_and_a_sender() {
        enabled().validate().unwrap();
        let no_host = MailSettings {
            host: String::new(),
            ..enabled()
        };
        assert_eq!(
            no_host.validate().unwrap_err().to_string(),
            "mail setting 'host' is invalid: an SMTP server is needed to send e-mail"
        );
        let bad_from = MailSettings {
            from_address: "badges at univ".into(),
            ..enabled()
        };
        assert!(
            matches!(bad_from.validate(), Err(MailError::InvalidSettings { field, .. }) if field == "fromAddress")
        );
    }

    #[test]
    fn plain_connections_only_to_this_machine() {
        let plain_remote = MailSettings {
            security: SmtpSecurity::None,
            ..enabled()
        };
        assert!(
            matches!(plain_remote.validate(), Err(MailError::InvalidSettings { field, .. }) if field == "security")
        );
        for host in ["localhost", "127.0.0.1", "::1", "[::1]", "127.0.0.53"] {
            let local = MailSettings {
                security: SmtpSecurity::None,
                host: host.into(),
                ..enabled()
            };
            local.validate().unwrap_or_else(|e| panic!("{host}: {e}"));
        }
    }

    #[test]
    fn header_fields_are_single_lines() {
        let injected = MailSettings {
            from_name: "Badges\r\nBcc: someone@evil.example".into(),
            ..enabled()
        };
        assert!(injected.validate().is_err());
    }

    #[test]
    fn normalising_trims_and_drops_blanks() {
        let settings = MailSettings {
            host: " smtp.univ.example ".into(),
            username: Some("  ".into()),
            reply_to: Some(" ".into()),
            notify: vec![MailTemplate::BadgePrinted, MailTemplate::BadgePrinted],
            ..enabled()
        }
        .normalised();
        assert_eq!(settings.host, "smtp.univ.example");
        assert_eq!(settings.username, None);
        assert_eq!(settings.reply_to, None);
        assert_eq!(settings.notify, vec![MailTemplate::BadgePrinted]);
    }

    #[test]
    fn stored_settings_from_an_older_version_still_load() {
        let settings: MailSettings =
            serde_json::from_value(serde_json::json!({ "enabled": true, "host": "h" })).unwrap();
        assert_eq!(settings.port, 587);
        assert_eq!(settings.notify.len(), MailTemplate::ALL.len());
    }
}
