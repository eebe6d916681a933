//! `sesamectl operator`: the desks' operators and their roles, through the same
//! service calls as the settings screen. The operator running the command signed
//! in (`sign_in.rs`); adding, promoting, deactivating, resetting PINs and the
//! housekeeping token need a supervisor. `operator setup` is the one command run
//! signed out: a new queue's first supervisor.
//!
//! PINs are never taken on the command line (they would stay in the shell history):
//! they are asked on the terminal, or read one per line from stdin with `--pin-stdin`.
//!
//! Exit status: 0 done; 2 error (printed by main.rs as `error[code]: message`), e.g.
//! `operator.supervisor_required`, `operator.last_supervisor`, `operator.pin_wrong`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sesame_core::{Operator, OperatorRole};
use sesame_service::{AddOperatorInput, Desk, FirstSupervisorInput, SetPinInput};

use crate::output::coded;
use crate::sign_in::PinReader;

#[derive(Debug, clap::Subcommand)]
pub enum OperatorCommand {
    /// Lists the operators (name, display name, role, PIN set, active).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Shows who this command runs as, their role and whether they have a PIN.
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// Adds an operator (supervisor only).
    Add {
        /// The name recorded in the audit log: their OS account name.
        name: String,
        /// The name shown on screen; defaults to NAME.
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, value_enum, default_value = "clerk")]
        role: RoleArg,
    },
    /// Makes an operator clerk or supervisor (supervisor only; the last active
    /// supervisor cannot step down).
    Role {
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Deactivates an operator: their history stays, they can no longer sign in.
    Deactivate { name: String },
    /// Reactivates a deactivated operator.
    Reactivate { name: String },
    /// Changes your own PIN (the current one is asked first), or with --reset NAME
    /// gives another operator a new PIN in place of a forgotten one (supervisor only).
    Pin {
        #[arg(long, value_name = "NAME")]
        reset: Option<String>,
    },
    /// A new queue's first supervisor: NAME, their display name and PIN. Runs
    /// without signing in, and only while no supervisor can sign in.
    Setup {
        name: String,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Sets up (or replaces) the token the unattended `housekeeping --service-account`
    /// signs in with, written to FILE (default: housekeeping.token in the data
    /// folder), readable by its owner only (supervisor only).
    HousekeepingToken {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    Clerk,
    Supervisor,
}

impl From<RoleArg> for OperatorRole {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Clerk => OperatorRole::Clerk,
            RoleArg::Supervisor => OperatorRole::Supervisor,
        }
    }
}

fn print_operators(operators: &[Operator]) {
    println!(
        "{:<20} {:<28} {:<11} {:<4} ACTIVE",
        "NAME", "DISPLAY NAME", "ROLE", "PIN"
    );
    for o in operators {
        println!(
            "{:<20} {:<28} {:<11} {:<4} {}",
            o.name,
            o.display_name,
            o.role.as_str(),
            if o.has_pin { "yes" } else { "no" },
            if o.active { "yes" } else { "no" }
        );
    }
}

/// Where the housekeeping token goes unless told: the data folder, beside the queue.
pub fn default_token_file(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("housekeeping.token")
}

/// A new queue's first supervisor, asked for their PIN; run before anyone signs in.
pub async fn set_up(
    desk: &Desk,
    name: String,
    display_name: Option<String>,
    pins: &mut PinReader,
) -> anyhow::Result<ExitCode> {
    let pin = pins.read_new(&format!(
        "PIN for {name} ({} to {} digits): ",
        sesame_service::MIN_PIN_DIGITS,
        sesame_service::MAX_PIN_DIGITS
    ))?;
    let session = sesame_service::set_up_first_supervisor(
        desk,
        FirstSupervisorInput {
            display_name: display_name.unwrap_or_else(|| name.clone()),
            name,
            pin,
        },
    )
    .await
    .map_err(coded)?;
    println!(
        "{} is the first supervisor; they sign in with their PIN",
        session.operator
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `token` to `path`, readable by its owner only, replacing any older one.
fn write_token(path: &std::path::Path, token: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(token.as_bytes())?;
    Ok(())
}

pub async fn run(
    desk: &Desk,
    cmd: OperatorCommand,
    pins: &mut PinReader,
    data_dir: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    match cmd {
        OperatorCommand::List { json } => {
            let operators = sesame_service::list_operators(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&operators)?);
            } else {
                print_operators(&operators);
            }
        }
        OperatorCommand::Whoami { json } => {
            let session = sesame_service::desk_session(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&session)?);
            } else {
                println!(
                    "{} ({}), {}, PIN {}",
                    session.operator,
                    session.display_name,
                    session.role.as_str(),
                    if session.has_pin { "set" } else { "not set" }
                );
            }
        }
        OperatorCommand::Add {
            name,
            display_name,
            role,
        } => {
            // Refuse before asking for a PIN the command could not use.
            desk.require_supervisor(
                sesame_service::SensitiveAction::ManageOperators,
                &sesame_service::operator_target(&name),
            )
            .map_err(coded)?;
            let pin = pins.read_new(&format!(
                "first PIN for {name} ({} to {} digits): ",
                sesame_service::MIN_PIN_DIGITS,
                sesame_service::MAX_PIN_DIGITS
            ))?;
            let added = sesame_service::add_operator(
                desk,
                AddOperatorInput {
                    display_name: display_name.unwrap_or_else(|| name.clone()),
                    name,
                    role: role.into(),
                    pin,
                },
            )
            .await
            .map_err(coded)?;
            println!("added {} as {}", added.name, added.role.as_str());
        }
        OperatorCommand::Role { name, role } => {
            let changed = sesame_service::set_operator_role(desk, name, role.into())
                .await
                .map_err(coded)?;
            println!("{} is now {}", changed.name, changed.role.as_str());
        }
        OperatorCommand::Deactivate { name } => {
            let changed = sesame_service::set_operator_active(desk, name, false)
                .await
                .map_err(coded)?;
            println!("{} is deactivated", changed.name);
        }
        OperatorCommand::Reactivate { name } => {
            let changed = sesame_service::set_operator_active(desk, name, true)
                .await
                .map_err(coded)?;
            println!("{} is active again", changed.name);
        }
        OperatorCommand::Pin { reset: Some(name) } => {
            desk.require_supervisor(
                sesame_service::SensitiveAction::ManageOperators,
                &sesame_service::operator_target(&name),
            )
            .map_err(coded)?;
            let pin = pins.read_new(&format!("new PIN for {name}: "))?;
            let changed = sesame_service::reset_operator_pin(desk, name, pin)
                .await
                .map_err(coded)?;
            println!(
                "{} has a new PIN; they change it once signed in",
                changed.name
            );
        }
        OperatorCommand::Pin { reset: None } => {
            let session = sesame_service::desk_session(desk).await.map_err(coded)?;
            let current_pin = if session.has_pin {
                Some(pins.read("current PIN: ")?)
            } else {
                None
            };
            let new_pin = pins.read_new(&format!(
                "new PIN ({} to {} digits): ",
                sesame_service::MIN_PIN_DIGITS,
                sesame_service::MAX_PIN_DIGITS
            ))?;
            sesame_service::set_own_pin(
                desk,
                SetPinInput {
                    current_pin,
                    new_pin,
                },
            )
            .await
            .map_err(coded)?;
            println!("PIN set for {}", session.operator);
        }
        OperatorCommand::Setup { .. } => {
            anyhow::bail!("`operator setup` runs before anyone signs in")
        }
        OperatorCommand::HousekeepingToken { out } => {
            let token = sesame_service::set_up_housekeeping_token(desk)
                .await
                .map_err(coded)?;
            let path = out.unwrap_or_else(|| default_token_file(data_dir));
            write_token(&path, &token)?;
            println!(
                "housekeeping token written to {} (owner only); any older token no longer works",
                path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
