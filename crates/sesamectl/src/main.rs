//! `sesamectl`: Sésame without a window. Every subcommand calls the same
//! `sesame_service` functions as the desktop app, on the same database
//! (`SESAME_DATABASE_URL`, else the database chosen in the settings, else the SQLite
//! file in the OS data directory). It depends on nothing below the service, so the
//! compiler keeps it from reaching the store or the vault by another way.
//!
//! Exit status: 0 done; 1 done in part (the report says what was left); 2 error,
//! printed as `error[code]: message` with the code the UI translates.

use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use sesame_service::{Clock, Desk, DeskOptions};

mod access_export;
mod card;
mod database;
mod directory;
mod housekeeping;
mod lifecycle;
mod loans;
mod mail;
mod office;
mod operator;
mod output;
mod photo;
mod print;
mod protection;
mod queue;
mod sign_in;
mod templates;
mod vault;
mod visits;

use output::coded;

#[derive(Parser)]
#[command(
    name = "sesamectl",
    version,
    about = "Sésame badge office, from the command line"
)]
struct Cli {
    /// Acts as if today were this day (YYYY-MM-DD), e.g. to catch up a missed
    /// housekeeping run; default: the machine's date.
    #[arg(long, global = true)]
    today: Option<NaiveDate>,
    /// Signs in as this operator (default: your OS account name); the PIN is asked
    /// on the terminal.
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    /// Reads PINs from standard input, one per line (the sign-in PIN first), instead
    /// of asking on the terminal: for scripts.
    #[arg(long, global = true)]
    pin_stdin: bool,
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
    /// The database: apply migrations, show what it holds; for a PostgreSQL queue whose
    /// database enforces the roles, its owner secures it and creates the first logins
    /// (with the owner's URL, without signing in).
    Db {
        #[command(subcommand)]
        cmd: database::DatabaseCommand,
    },
    /// The office's name and logo (printed on the badges) and this desk's output folder.
    Office {
        #[command(subcommand)]
        cmd: office::OfficeCommand,
    },
    /// The office's badge templates: list, versions, export a file, import one, put
    /// an older version or the built-in set back.
    Templates {
        #[command(subcommand)]
        cmd: templates::TemplatesCommand,
    },
    /// Exports for the access-control system: the office's profiles, run one, its runs,
    /// define one from a JSON file or a shipped format.
    AccessExport {
        #[command(subcommand)]
        cmd: access_export::AccessExportCommand,
    },
    /// The physical card: the readers, bind the card on the reader (or a UID) to a
    /// badge, take it off, find the badge of a card.
    Card {
        #[command(subcommand)]
        cmd: card::CardCommand,
    },
    /// The office's directory: settings, test, search, sync holders, leavers.
    Directory {
        #[command(subcommand)]
        cmd: directory::DirectoryCommand,
    },
    /// Visitors: the day's list, arrival (host e-mailed) and departure, refused visitors.
    Visit {
        #[command(subcommand)]
        cmd: visits::VisitCommand,
    },
    /// Loan cards: lend one in place of a forgotten badge, take it back, list those out.
    Loan {
        #[command(subcommand)]
        cmd: loans::LoanCommand,
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
    /// Replaces the SQLite database with the backup FILE, after checking it. Close
    /// Sésame first; the current database is kept as `<name>.before-restore`.
    Restore {
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
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
    match run(cli).await {
        Ok(code) => code,
        Err(error) => {
            output::print_error(&error);
            ExitCode::from(2)
        }
    }
}

/// What every command opens the desk with: the environment's, with the clock moved to
/// `--today` when given.
fn desk_options(today: Option<NaiveDate>) -> anyhow::Result<DeskOptions> {
    let options = DeskOptions::from_env().map_err(coded)?;
    Ok(match today {
        Some(day) => options.clock(Clock::pinned(day.and_time(replay_time()))),
        None => options,
    })
}

/// A run replaying another day acts at the machine's time of day on that day: the
/// whole clock moves by whole days, so successive runs keep their order (a message a
/// run retries is due for the next run) as they do on the real day.
fn replay_time() -> chrono::NaiveTime {
    chrono::Local::now().time()
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let options = desk_options(cli.today)?;
    // A restore replaces the database file: no desk may be open on it.
    if let Command::Restore { file, json } = &cli.command {
        return vault::restore(&options, file, *json).await;
    }
    let data_dir = options.data_dir.clone();
    let desk = Desk::open_with(options).await.map_err(coded)?;
    let result = run_on(&desk, cli, &data_dir).await;
    desk.close().await;
    result
}

/// Signs in as the command needs, then runs it.
async fn run_on(desk: &Desk, cli: Cli, data_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut pins = sign_in::PinReader::new(cli.pin_stdin);
    match &cli.command {
        // Reads nothing of the queue: the version and where the data is.
        Command::Info { .. } => {}
        Command::Operator {
            cmd: operator::OperatorCommand::Setup { name, display_name },
        } => return operator::set_up(desk, name.clone(), display_name.clone(), &mut pins).await,
        // The owner's own login (in the URL) is the proof: the database checks it.
        Command::Db { cmd } if cmd.is_owners() => {
            return database::run(desk, cmd.clone(), &mut pins).await
        }
        Command::Housekeeping(cmd) => match cmd.service_account_token(data_dir) {
            Some(token_file) => sign_in::sign_in_housekeeping(desk, &token_file).await?,
            None => sign_in::sign_in(desk, cli.operator.clone(), &mut pins).await?,
        },
        _ => sign_in::sign_in(desk, cli.operator.clone(), &mut pins).await?,
    }
    match cli.command {
        Command::Queue(cmd) => queue::run(desk, cmd).await,
        Command::Photo { cmd } => photo::run(desk, cmd).await,
        Command::Operator { cmd } => operator::run(desk, cmd, &mut pins, data_dir).await,
        Command::Mail { cmd } => mail::run(desk, cmd).await,
        Command::Office { cmd } => office::run(desk, cmd).await,
        Command::Templates { cmd } => templates::run(desk, cmd).await,
        Command::AccessExport { cmd } => access_export::run(desk, cmd).await,
        Command::Card { cmd } => card::run(desk, cmd).await,
        Command::Directory { cmd } => directory::run(desk, cmd).await,
        Command::Loan { cmd } => loans::run(desk, cmd).await,
        Command::Visit { cmd } => visits::run(desk, cmd).await,
        Command::Print(cmd) => print::run(desk, cmd).await,
        Command::Protection(cmd) => protection::run(desk, cmd).await,
        Command::Housekeeping(cmd) => housekeeping::run(desk, cmd).await,
        Command::Lifecycle(cmd) => lifecycle::run(desk, cmd).await,
        Command::Vault(cmd) => vault::run(desk, cmd).await,
        Command::Info { json } => info(desk, json).await,
        Command::Restore { .. } => unreachable!("a restore runs before the desk opens"),
        Command::Db { cmd } => database::run(desk, cmd, &mut pins).await,
    }
}

async fn info(desk: &Desk, json: bool) -> anyhow::Result<ExitCode> {
    let info = sesame_service::app_info(desk).await.map_err(coded)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        println!("Sésame {}", info.version);
        println!("data directory: {}", info.data_dir);
        println!("database:       {}", info.database);
    }
    Ok(ExitCode::SUCCESS)
}
