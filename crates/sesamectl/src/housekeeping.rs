//! `sesamectl housekeeping|dispatch|activate|usage|lists|deactivate-unused`: the badge's
//! life after printing, from the command line and from cron.
//!
//! Exit status: 0 done; 1 partly done (a housekeeping step failed, some badges or rows
//! were left out: the report says which); 2 error (nothing done).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sesame_core::DispatchMethod;
use sesame_service::{
    BadgeBatchOutcome, CsvImportInput, DeactivateUnusedInput, Desk, DispatchInput, ExpiryRule,
    HousekeepingOptions, HousekeepingReport, Locale, RequestId,
};

use crate::output::{coded, print_json};

/// Exit status when part of the work was left out (see the report).
const PARTLY_DONE: u8 = 1;

#[derive(Debug, clap::Subcommand)]
pub enum HousekeepingCommand {
    /// Daily upkeep for cron or a scheduled task: expires badges past their validity,
    /// queues expiry reminders, purges per retention. Running it twice a day does
    /// nothing more. Exit 1 when a step failed (the others still ran).
    Housekeeping {
        /// Shows what would be done, changing nothing. (`--today DAY` acts for another day.)
        #[arg(long)]
        dry_run: bool,
        /// Prints the report as JSON.
        #[arg(long)]
        json: bool,
        /// Signs in as the housekeeping account with its token (for cron), instead of
        /// an operator's name and PIN.
        #[arg(long)]
        service_account: bool,
        /// The token file (default: housekeeping.token in the data folder).
        #[arg(long, value_name = "FILE", requires = "service_account")]
        token_file: Option<PathBuf>,
    },
    /// Marks printed badges sent by internal mail or handed over, and writes their
    /// dispatch list (A4 PDF) to the print folder.
    Dispatch {
        /// How the badges leave the office.
        #[arg(long, value_enum)]
        method: MethodArg,
        /// Language of the dispatch list.
        #[arg(long, value_enum, default_value = "fr")]
        locale: LocaleArg,
        /// Request ids of printed badges.
        #[arg(required = true)]
        request_ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Records that holders activated their badges (by badge number).
    Activate {
        #[arg(required = true)]
        badge_numbers: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// The access-control system's usage log.
    Usage {
        #[command(subcommand)]
        cmd: UsageCommand,
    },
    /// The follow-up lists: not activated, expiring, inactive.
    Lists {
        #[command(subcommand)]
        cmd: ListCommand,
    },
    /// Deactivates badges of the inactivity list after review, with a reason. Badges no
    /// longer on the list (seen at a door since, changed) are left alone and reported.
    DeactivateUnused {
        /// Why they are deactivated (kept in the audit log).
        #[arg(long)]
        reason: String,
        /// The delay the list was reviewed with (default: each category's own).
        #[arg(long)]
        days: Option<u32>,
        #[arg(required = true)]
        badge_numbers: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum UsageCommand {
    /// Imports a usage log (CSV: badge number or card serial, time, door; `,` or `;`;
    /// UTF-8 or Windows-1252). Exit 1 when some rows were refused (the others went in).
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum ListCommand {
    /// Dispatched badges not activated after N days (default: each category's, 14).
    NotActivated {
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Badges expiring within N days (default: each category's notice, 30).
    Expiring {
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Active badges not seen at a door for N days (default: each category's, 90).
    Inactive {
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MethodArg {
    InternalMail,
    HandedOver,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LocaleArg {
    Fr,
    En,
}

fn exit(partly: bool) -> ExitCode {
    if partly {
        ExitCode::from(PARTLY_DONE)
    } else {
        ExitCode::SUCCESS
    }
}

impl HousekeepingCommand {
    /// The token file when this is the unattended housekeeping run, which signs in
    /// with it rather than with a PIN.
    pub fn service_account_token(&self, data_dir: &std::path::Path) -> Option<PathBuf> {
        match self {
            HousekeepingCommand::Housekeeping {
                service_account: true,
                token_file,
                ..
            } => Some(
                token_file
                    .clone()
                    .unwrap_or_else(|| crate::operator::default_token_file(data_dir)),
            ),
            _ => None,
        }
    }
}

pub async fn run(desk: &Desk, cmd: HousekeepingCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        HousekeepingCommand::Housekeeping { dry_run, json, .. } => {
            let report = sesame_service::run_housekeeping(desk, HousekeepingOptions { dry_run })
                .await
                .map_err(coded)?;
            if json {
                print_json(&report)?;
            } else {
                print_housekeeping(&report);
            }
            Ok(exit(!report.ok()))
        }
        HousekeepingCommand::Dispatch {
            method,
            locale,
            request_ids,
            json,
        } => {
            let request_ids = request_ids
                .iter()
                .map(|id| id.parse::<RequestId>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(coded)?;
            let run = sesame_service::dispatch_badges(
                desk,
                DispatchInput {
                    request_ids,
                    method: match method {
                        MethodArg::InternalMail => DispatchMethod::InternalMail,
                        MethodArg::HandedOver => DispatchMethod::HandedOver,
                    },
                    locale: match locale {
                        LocaleArg::Fr => Locale::Fr,
                        LocaleArg::En => Locale::En,
                    },
                },
            )
            .await
            .map_err(coded)?;
            if json {
                print_json(&run)?;
            } else {
                for badge in &run.dispatched {
                    println!(
                        "dispatched  {}  {} {}",
                        badge.badge_number, badge.family_name, badge.given_names
                    );
                }
                for skip in &run.skipped {
                    let reason = serde_json::to_value(skip.reason)?;
                    println!(
                        "skipped     {}  {}{}",
                        skip.request_id,
                        reason.as_str().unwrap_or_default(),
                        skip.detail
                            .as_deref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    );
                }
                println!("dispatch list: {}", run.list.path);
            }
            Ok(exit(!run.skipped.is_empty()))
        }
        HousekeepingCommand::Activate {
            badge_numbers,
            json,
        } => {
            let outcome = sesame_service::record_activations(desk, badge_numbers)
                .await
                .map_err(coded)?;
            print_batch(&outcome, "activated", json)?;
            Ok(exit(!outcome.skipped.is_empty()))
        }
        HousekeepingCommand::Usage {
            cmd:
                UsageCommand::Import {
                    file,
                    dry_run,
                    json,
                },
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let report = sesame_service::import_usage_log(
                desk,
                CsvImportInput {
                    content: bytes.into(),
                    dry_run,
                },
            )
            .await
            .map_err(coded)?;
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "{} rows read ({}, '{}'), {} accepted, {} badges updated{}",
                    report.rows_read,
                    report.encoding,
                    report.delimiter,
                    report.accepted,
                    report.badges_updated,
                    if report.dry_run {
                        " (dry run: nothing written)"
                    } else {
                        ""
                    }
                );
                for row in &report.refused {
                    println!(
                        "row {} (line {}): {} {}",
                        row.row, row.line, row.code, row.message
                    );
                }
            }
            Ok(exit(!report.refused.is_empty()))
        }
        HousekeepingCommand::Lists { cmd } => {
            match cmd {
                ListCommand::NotActivated { days, json } => {
                    let rows = sesame_service::not_activated_badges(desk, days)
                        .await
                        .map_err(coded)?;
                    if json {
                        print_json(&rows)?;
                    } else {
                        for r in &rows {
                            println!(
                                "{}\t{} {}\t{}\tdispatched {}\t{} days",
                                r.badge_number.as_deref().unwrap_or("-"),
                                r.family_name,
                                r.given_names,
                                r.unit.as_deref().unwrap_or(""),
                                r.dispatched_at.date_naive(),
                                r.days_waiting
                            );
                        }
                    }
                }
                ListCommand::Expiring { days, json } => {
                    let rows = sesame_service::expiring_badges(desk, days)
                        .await
                        .map_err(coded)?;
                    if json {
                        print_json(&rows)?;
                    } else {
                        for r in &rows {
                            println!(
                                "{}\t{} {}\tuntil {}\t{} days left{}{}",
                                r.row.badge.number,
                                r.row.family_name,
                                r.row.given_names,
                                r.row.badge.valid_until,
                                r.days_left,
                                if r.reminded_at.is_some() {
                                    "\treminded"
                                } else {
                                    ""
                                },
                                if r.renewal_pending {
                                    "\trenewal pending"
                                } else {
                                    ""
                                }
                            );
                        }
                    }
                }
                ListCommand::Inactive { days, json } => {
                    let rows = sesame_service::inactive_badges(desk, days)
                        .await
                        .map_err(coded)?;
                    if json {
                        print_json(&rows)?;
                    } else {
                        for r in &rows {
                            println!(
                                "{}\t{} {}\t{}\t{} days unused",
                                r.row.badge.number,
                                r.row.family_name,
                                r.row.given_names,
                                match r.last_seen_at {
                                    Some(at) => format!("last seen {}", at.date_naive()),
                                    None => "never seen".to_owned(),
                                },
                                r.days_unused
                            );
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        HousekeepingCommand::DeactivateUnused {
            reason,
            days,
            badge_numbers,
            json,
        } => {
            // The command line's review is the list as it stands: each number is taken
            // at the version on the list, and numbers not on it are reported.
            let outcome = sesame_service::deactivate_unused_badges(
                desk,
                DeactivateUnusedInput {
                    badge_numbers,
                    reason,
                    days,
                    ..DeactivateUnusedInput::default()
                },
            )
            .await
            .map_err(coded)?;
            print_batch(&outcome, "deactivated", json)?;
            Ok(exit(!outcome.skipped.is_empty()))
        }
    }
}

fn print_batch(outcome: &BadgeBatchOutcome, done: &str, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(outcome);
    }
    for row in &outcome.changed {
        println!(
            "{done:<12}{}  {} {}",
            row.badge.number, row.family_name, row.given_names
        );
    }
    for skip in &outcome.skipped {
        println!(
            "{:<12}{}  {}: {}",
            "skipped",
            skip.badge_number.as_deref().unwrap_or("-"),
            skip.code,
            skip.message
        );
    }
    Ok(())
}

fn print_housekeeping(report: &HousekeepingReport) {
    let mode = if report.dry_run {
        " (dry run: nothing changed)"
    } else {
        ""
    };
    println!("housekeeping for {}{mode}", report.run_on);
    let verb = if report.dry_run {
        "would expire"
    } else {
        "expired"
    };
    println!("{verb}: {}", report.expired.len());
    for b in &report.expired {
        println!(
            "  {}  {} {}  (valid until {})",
            b.badge_number, b.family_name, b.given_names, b.valid_until
        );
    }
    let verb = if report.dry_run {
        "would end by their category's rules"
    } else {
        "ended by their category's rules"
    };
    println!("{verb}: {}", report.rule_changes.len());
    for c in &report.rule_changes {
        let rule = match c.rule {
            ExpiryRule::MissionEnded => "mission ended",
            ExpiryRule::AfterFirstUse => "days after first use",
            ExpiryRule::Unused => "unused",
        };
        println!(
            "  {}  {} {}  ({rule} since {}; now {})",
            c.row.badge.number,
            c.row.family_name,
            c.row.given_names,
            c.since,
            c.row.badge.status.as_str()
        );
    }
    let verb = if report.dry_run {
        "loan cards to end"
    } else {
        "loan cards ended"
    };
    println!("{verb}: {}", report.loans_ended.len());
    for l in &report.loans_ended {
        println!(
            "  {}  {} {}  (lent until {}; badge {} now {})",
            l.loan_badge.number,
            l.family_name,
            l.given_names,
            l.loan.due_on,
            l.original.number,
            l.original.status.as_str()
        );
    }
    match &report.reminders {
        Some(r) if r.disabled => println!("expiry reminders: e-mail reminders are switched off"),
        Some(r) => println!(
            "expiry reminders (next {} days): {} queued, {} already sent, {} without e-mail",
            r.notice_days, r.queued, r.already_queued, r.without_email
        ),
        None => {
            println!("expiry reminders due: {}", report.reminders_due.len());
            for b in &report.reminders_due {
                println!(
                    "  {}  {} {}  (valid until {})",
                    b.badge_number, b.family_name, b.given_names, b.valid_until
                );
            }
        }
    }
    if let Some(purge) = &report.purge {
        // The plan on a dry run, the report (with its plan) otherwise.
        let plan = purge.get("plan").unwrap_or(purge);
        let count = |key: &str| plan.get(key).and_then(|v| v.as_array()).map_or(0, Vec::len);
        let verb = if report.dry_run {
            "would purge"
        } else {
            "purged"
        };
        println!(
            "retention purge: {verb} {} ID documents, {} holders, {} closed requests",
            count("idDocuments"),
            count("holders"),
            count("closedRequests")
        );
    }
    for export in &report.exports {
        println!(
            "access-control export {}: {} badges, {} photos → {}",
            export.profile_id, export.badges, export.photos, export.file.path
        );
    }
    if !report.exports_due.is_empty() {
        println!(
            "access-control exports due: {}",
            report.exports_due.join(", ")
        );
    }
    for f in &report.failures {
        let step = match &f.profile {
            Some(profile) => format!("{} ({profile})", f.step),
            None => f.step.clone(),
        };
        eprintln!(
            "error[{}]: {step} failed: {}",
            f.error.code, f.error.message
        );
    }
}
