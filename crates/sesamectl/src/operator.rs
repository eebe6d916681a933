//! `sesamectl operator`: the desks' operators and their roles, through the same
//! service calls as the settings screen. The operator running the command is the
//! OS account (or `SESAME_OPERATOR`), registered like a desk opening; adding,
//! promoting, deactivating and resetting PINs need a supervisor.
//!
//! PINs are never taken on the command line (they would stay in the shell history):
//! they are asked on the terminal, or read one per line from stdin with `--stdin`.
//!
//! Exit status: 0 done; 2 error (printed by main.rs as `error[code]: message`), e.g.
//! `operator.supervisor_required`, `operator.last_supervisor`, `operator.pin_wrong`.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use sesame_core::{Operator, OperatorRole};
use sesame_service::{AddOperatorInput, Desk, SetPinInput};

use crate::output::coded;

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
        /// Also set their first PIN (asked, or read from stdin with --stdin).
        #[arg(long)]
        with_pin: bool,
        /// Read the PIN from stdin instead of the terminal.
        #[arg(long)]
        stdin: bool,
    },
    /// Makes an operator clerk or supervisor (supervisor only; the last active
    /// supervisor cannot step down).
    Role {
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Deactivates an operator: their history stays, they can no longer open a desk.
    Deactivate { name: String },
    /// Reactivates a deactivated operator.
    Reactivate { name: String },
    /// Sets or changes your own PIN (the current one is asked first when set), or
    /// with --reset NAME clears another operator's forgotten PIN (supervisor only).
    Pin {
        #[arg(long, value_name = "NAME")]
        reset: Option<String>,
        /// Read the PINs from stdin, one per line: the current one first when a PIN
        /// is already set, then the new one.
        #[arg(long)]
        stdin: bool,
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

/// Asks for PINs on the terminal, or reads them one per line from stdin.
struct PinReader {
    stdin: bool,
    lines: Option<std::io::Lines<std::io::StdinLock<'static>>>,
}

impl PinReader {
    fn new(stdin: bool) -> PinReader {
        PinReader {
            stdin,
            lines: stdin.then(|| std::io::stdin().lock().lines()),
        }
    }

    fn read(&mut self, prompt: &str) -> anyhow::Result<String> {
        if let Some(lines) = self.lines.as_mut() {
            let line = lines
                .next()
                .context("stdin ended before the PIN")?
                .context("cannot read the PIN from stdin")?;
            return Ok(line.trim().to_owned());
        }
        debug_assert!(!self.stdin);
        rpassword::prompt_password(prompt)
            .context("no terminal to ask the PIN on; use --stdin")
            .map(|pin| pin.trim().to_owned())
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

pub async fn run(desk: &Desk, cmd: OperatorCommand) -> anyhow::Result<ExitCode> {
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
            with_pin,
            stdin,
        } => {
            // Refuse before asking for a PIN the command could not use.
            desk.require_supervisor(sesame_service::SensitiveAction::ManageOperators)
                .map_err(coded)?;
            let pin = if with_pin {
                let mut reader = PinReader::new(stdin);
                Some(reader.read(&format!("first PIN for {name} (4 to 12 digits): "))?)
            } else {
                None
            };
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
        OperatorCommand::Pin {
            reset: Some(name), ..
        } => {
            let changed = sesame_service::reset_operator_pin(desk, name)
                .await
                .map_err(coded)?;
            println!(
                "the PIN of {} is cleared; they can set a new one",
                changed.name
            );
        }
        OperatorCommand::Pin { reset: None, stdin } => {
            let session = sesame_service::desk_session(desk).await.map_err(coded)?;
            let mut reader = PinReader::new(stdin);
            let current_pin = if session.has_pin {
                Some(reader.read("current PIN: ")?)
            } else {
                None
            };
            let new_pin = reader.read("new PIN (4 to 12 digits): ")?;
            if !stdin {
                let again = reader.read("the same PIN again: ")?;
                if again != new_pin {
                    anyhow::bail!("the two PINs differ; nothing was changed");
                }
            }
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
    }
    Ok(ExitCode::SUCCESS)
}
