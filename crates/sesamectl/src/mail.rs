//! `sesamectl mail`: the e-mail outbox from the command line (send what is due, list,
//! retry, cancel), the same service calls as the app.
//!
//! Exit status: 0 done; 1 `mail send` left messages failed or the server unreachable;
//! 2 error (printed by main.rs as `error[code]: message`).

use std::process::ExitCode;

use sesame_service::{
    cancel_mail, mail_outbox, mail_outbox_counts, retry_mail, send_due_mail, Desk, MailId,
    MailStatus, OutboxQuery,
};

use crate::output::coded;

#[derive(Debug, clap::Subcommand)]
pub enum MailCommand {
    /// Sends the messages that are due now (run it from cron to send without the app open).
    Send {
        #[arg(long)]
        json: bool,
    },
    /// Lists the outbox, newest first.
    Outbox {
        /// Only these statuses, comma-separated: queued, sent, failed, cancelled.
        #[arg(long, value_delimiter = ',', value_parser = parse_status)]
        status: Vec<MailStatus>,
        /// At most this many messages (1 to 500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Queues a failed or cancelled message again, due now.
    Retry { id: String },
    /// Withdraws a message not sent yet.
    Cancel {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

fn parse_status(value: &str) -> Result<MailStatus, String> {
    MailStatus::parse(value.trim())
        .ok_or_else(|| format!("unknown e-mail status '{value}' (queued, sent, failed, cancelled)"))
}

pub async fn run(desk: &Desk, cmd: MailCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MailCommand::Send { json } => {
            let report = send_due_mail(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else if report.disabled {
                println!("e-mail is switched off in the mail settings: nothing sent");
            } else {
                println!(
                    "sent {}, to retry later {}, failed {}",
                    report.sent, report.retrying, report.failed
                );
                if let Some(reason) = &report.stopped_by {
                    println!("stopped: {reason}");
                }
            }
            let trouble = report.failed > 0 || report.stopped_by.is_some();
            Ok(if trouble {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        MailCommand::Outbox {
            status,
            limit,
            json,
        } => {
            let query = OutboxQuery {
                statuses: status,
                limit: Some(limit),
                ..OutboxQuery::default()
            };
            let messages = mail_outbox(desk, query).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&messages)?);
                return Ok(ExitCode::SUCCESS);
            }
            let counts = mail_outbox_counts(desk).await.map_err(coded)?;
            let summary: Vec<String> = counts
                .iter()
                .map(|c| format!("{} {}", c.status.as_str(), c.count))
                .collect();
            println!("outbox: {}", summary.join(", "));
            for m in &messages {
                println!(
                    "{}  {:<9}  {:<16}  {}  {}  attempts {}{}",
                    m.id,
                    m.status.as_str(),
                    m.template.as_str(),
                    m.recipient,
                    m.created_at.format("%Y-%m-%d %H:%M"),
                    m.attempts,
                    match (&m.status, &m.last_error) {
                        (MailStatus::Sent, _) | (_, None) => String::new(),
                        (_, Some(error)) => format!("  last error: {error}"),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        MailCommand::Retry { id } => {
            let id: MailId = id.parse().map_err(coded)?;
            let message = retry_mail(desk, id).await.map_err(coded)?;
            println!("{} queued again to {}", message.id, message.recipient);
            Ok(ExitCode::SUCCESS)
        }
        MailCommand::Cancel { id, reason } => {
            let id: MailId = id.parse().map_err(coded)?;
            let message = cancel_mail(desk, id, reason).await.map_err(coded)?;
            println!("{} cancelled", message.id);
            Ok(ExitCode::SUCCESS)
        }
    }
}
