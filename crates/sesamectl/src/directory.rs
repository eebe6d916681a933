//! `sesamectl directory`: the office's directory (LDAP, Active Directory) as the
//! settings page, the intake search and Badges › Leavers use it: set it up, test it,
//! search it, sync holders, list leavers and deactivate their badges.
//!
//! Exit status: 0 done; 1 `deactivate-leavers` left some badges alone; 2 error.

use std::path::PathBuf;
use std::process::ExitCode;

use sesame_service::{
    deactivate_leavers, directory_leavers, directory_settings, save_directory_settings,
    search_directory, sync_from_directory, test_directory, DeactivateLeaversInput, Desk,
    DirectorySettings, LeaverCause, SaveDirectorySettingsInput,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum DirectoryCommand {
    /// The saved settings, and whether this desk holds the service account's password.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Saves the settings from a JSON file (as `show --json` prints them, `settings`
    /// part); with `--password-file`, the service account's password is read from the
    /// first line of that file into this desk's keyring (standard input carries PINs).
    Configure {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Connects with the saved settings and counts the people the directory gives.
    Test,
    /// The people whose name, login or e-mail starts with each word of TEXT.
    Search {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Updates holders' names, e-mails and units to the directory's.
    Sync {
        /// Only say what would change.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// The live badges whose holders are gone from the directory or disabled there.
    Leavers {
        #[arg(long)]
        json: bool,
    },
    /// Deactivates the leavers' badges NUMBER… (checked against the directory again).
    DeactivateLeavers {
        #[arg(required = true)]
        numbers: Vec<String>,
        #[arg(long)]
        reason: String,
    },
}

fn cause_text(cause: LeaverCause) -> &'static str {
    match cause {
        LeaverCause::Gone => "gone from the directory",
        LeaverCause::Disabled => "disabled in the directory",
    }
}

pub async fn run(desk: &Desk, cmd: DirectoryCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DirectoryCommand::Show { json } => {
            let setup = directory_settings(desk).await.map_err(coded)?;
            if json {
                print_json(&setup)?;
            } else {
                let s = &setup.settings;
                println!("in use: {}", if s.enabled { "yes" } else { "no" });
                println!("server: {}", s.url());
                println!("base: {}", s.base_dn);
                println!(
                    "account: {} (password on this desk: {})",
                    s.bind_dn.as_deref().unwrap_or("anonymous"),
                    if setup.password_stored { "yes" } else { "no" }
                );
                for group in &s.groups {
                    println!("group {} -> {}", group.group_dn, group.category);
                }
            }
        }
        DirectoryCommand::Configure {
            file,
            password_file,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let settings: DirectorySettings = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!("{} is not directory settings: {e}", file.display())
            })?;
            let password = match password_file {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                    Some(text.lines().next().unwrap_or_default().to_owned())
                }
                None => None,
            };
            let setup =
                save_directory_settings(desk, SaveDirectorySettingsInput { settings, password })
                    .await
                    .map_err(coded)?;
            println!(
                "directory settings saved (password on this desk: {})",
                if setup.password_stored { "yes" } else { "no" }
            );
        }
        DirectoryCommand::Test => {
            let test = test_directory(desk).await.map_err(coded)?;
            println!("{} people, {} disabled", test.people, test.disabled);
            for count in test.by_category {
                println!("{}\t{}", count.category, count.people);
            }
        }
        DirectoryCommand::Search { text, json } => {
            let people = search_directory(desk, text).await.map_err(coded)?;
            if json {
                print_json(&people)?;
            }
            for p in people.iter().filter(|_| !json) {
                println!(
                    "{}\t{} {}\t{}\t{}\t{}{}",
                    p.login.as_deref().unwrap_or("-"),
                    p.given_names,
                    p.family_name,
                    p.email.as_deref().unwrap_or("-"),
                    p.unit.as_deref().unwrap_or("-"),
                    p.category.as_deref().unwrap_or("-"),
                    if p.disabled { "\tdisabled" } else { "" }
                );
            }
        }
        DirectoryCommand::Sync { dry_run, json } => {
            let report = sync_from_directory(desk, dry_run).await.map_err(coded)?;
            if json {
                print_json(&report)?;
            } else {
                let verb = if dry_run { "would update" } else { "updated" };
                for update in &report.updated {
                    println!("{verb} {}: {}", update.name, update.fields.join(", "));
                }
                for refused in &report.refused {
                    println!("refused [{}]: {}", refused.code, refused.message);
                }
                println!(
                    "{} {verb}, {} unchanged, {} leavers",
                    report.updated.len(),
                    report.unchanged,
                    report.leavers
                );
            }
        }
        DirectoryCommand::Leavers { json } => {
            let leavers = directory_leavers(desk).await.map_err(coded)?;
            if json {
                print_json(&leavers)?;
            }
            for l in leavers.iter().filter(|_| !json) {
                println!(
                    "{}\t{} {}\t{}\t{}",
                    l.row.badge.number,
                    l.row.given_names,
                    l.row.family_name,
                    l.row.badge.status.as_str(),
                    cause_text(l.cause)
                );
            }
        }
        DirectoryCommand::DeactivateLeavers { numbers, reason } => {
            let outcome = deactivate_leavers(
                desk,
                DeactivateLeaversInput {
                    badges: Vec::new(),
                    badge_numbers: numbers,
                    reason,
                },
            )
            .await
            .map_err(coded)?;
            for row in &outcome.changed {
                println!("deactivated {}", row.badge.number);
            }
            for skip in &outcome.skipped {
                println!(
                    "left alone {} [{}]: {}",
                    skip.badge_number.as_deref().unwrap_or("?"),
                    skip.code,
                    skip.message
                );
            }
            if !outcome.skipped.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
