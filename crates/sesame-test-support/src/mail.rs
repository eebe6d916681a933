//! Mail settings for the loopback SMTP server (with the `mail` feature).

use sesame_mail::{MailSettings, SmtpSecurity};

use crate::smtp::SmtpServer;

impl SmtpServer {
    /// Settings that send to this server (plain: it is on loopback).
    pub fn settings(&self) -> MailSettings {
        settings_for_port(self.port)
    }
}

/// Settings that send to 127.0.0.1:`port` without TLS.
pub fn settings_for_port(port: u16) -> MailSettings {
    MailSettings {
        enabled: true,
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        from_address: "badges@univ.example".into(),
        from_name: "Bureau des badges — Campus Nord".into(),
        reply_to: Some("accueil@univ.example".into()),
        timeout_seconds: 10,
        ..MailSettings::default()
    }
}
