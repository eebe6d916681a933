//! `sesamectl`: Sésame without a window. Every subcommand calls the same
//! `sesame_service` functions as the desktop app, on the same database
//! (`SESAME_DATABASE_URL`, else the SQLite file in the OS data directory).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod housekeeping;
mod lifecycle;
mod mail;
mod operator;
mod output;
mod photo;
mod print;
mod protection;
mod queue;
mod vault;

#[derive(Parser)]
#[command(
    name = "sesamectl",
    version,
    about = "Sésame badge office, from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Queue(queue::QueueCommand),
    #[command(flatten)]
    Vault(vault::VaultCommand),
    #[command(flatten)]
    Print(print::PrintCommand),
    #[command(flatten)]
    Protection(protection::ProtectionCommand),
    #[command(flatten)]
    Housekeeping(housekeeping::HousekeepingCommand),
    #[command(flatten)]
    Lifecycle(lifecycle::LifecycleCommand),
    /// E-mail to holders: send what is due, show the outbox, retry or cancel a message.
    Mail {
        #[command(subcommand)]
        cmd: mail::MailCommand,
    },
    /// Operators and roles: list, add, change role, (de)activate, PINs.
    Operator {
        #[command(subcommand)]
        cmd: operator::OperatorCommand,
    },
    /// ID photos: check one against the badge rules, crop it to the badge frame.
    Photo {
        #[command(subcommand)]
        cmd: photo::PhotoCommand,
    },
    /// Show the version, data directory and database in use.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(code) => code,
        Err(error) => {
            output::print_error(&error);
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Queue(cmd) => {
            let database_url = sesame_service::paths::database_url().map_err(output::coded)?;
            queue::run(cmd, &database_url).await
        }
        Command::Photo { cmd } => photo::run(cmd).await,
        Command::Operator { cmd } => operator::run(cmd).await,
        Command::Mail { cmd } => mail::run(cmd).await,
        Command::Print(cmd) => print::run(cmd).await,
        Command::Protection(cmd) => protection::run(cmd).await,
        Command::Housekeeping(cmd) => housekeeping::run(cmd).await,
        Command::Lifecycle(cmd) => lifecycle::run(cmd).await,
        Command::Vault(cmd) => {
            let database_url = sesame_service::paths::database_url().map_err(output::coded)?;
            vault::run(cmd, &database_url).await
        }
        Command::Info { json } => {
            let desk = sesame_service::Desk::open_default()
                .await
                .map_err(output::coded)?;
            let info = sesame_service::app_info(&desk)
                .await
                .map_err(output::coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&info)?);
            } else {
                println!("Sésame {}", info.version);
                println!("data directory: {}", info.data_dir);
                println!("database:       {}", info.database);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
