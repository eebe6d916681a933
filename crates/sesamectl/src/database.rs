//! `sesamectl db`: the database itself. `migrate` and `info` run signed in, like every
//! command that reads the queue. `secure` and `login` are the queue's owner's, for a
//! PostgreSQL queue where each operator signs in with their own database login and the
//! database enforces the roles (ARCHITECTURE.md, "Who enforces roles"): run with
//! `SESAME_DATABASE_URL` naming the owner's login (a login with CREATEROLE that owns
//! the database), signed out, since the database checks the owner's privileges itself.
//! The desks then use the same URL without a user name, and each operator signs in
//! with their own login.
//!
//! Passwords are never taken on the command line: asked on the terminal (twice), or
//! read from standard input with `--pin-stdin`.

use std::process::ExitCode;

use sesame_service::Desk;

use crate::output::coded;
use crate::sign_in::PinReader;

#[derive(Debug, Clone, clap::Subcommand)]
pub enum DatabaseCommand {
    /// Creates the database if needed and applies pending migrations.
    Migrate,
    /// Shows the backend, schema version and row counts.
    Info {
        #[arg(long)]
        json: bool,
    },
    /// Applies the migrations, creates the groups sesame_clerk, sesame_supervisor and
    /// sesame_housekeeping (once per server) and grants this database's tables as the
    /// database's guards expect. Idempotent: run it again after each upgrade.
    Secure {
        /// Also creates this supervisor's login (the password is asked).
        #[arg(long, value_name = "LOGIN")]
        supervisor: Option<String>,
        /// The supervisor's name on screen; defaults to LOGIN.
        #[arg(long, requires = "supervisor")]
        display_name: Option<String>,
    },
    /// Creates an operator's database login (the password is asked). Supervisors add
    /// operators from the desk; this is for the first ones and the housekeeping
    /// service account.
    Login {
        name: String,
        #[arg(long, value_enum, default_value = "clerk")]
        role: LoginRole,
        /// The name shown on screen; defaults to NAME.
        #[arg(long)]
        display_name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LoginRole {
    Clerk,
    Supervisor,
    /// The unattended `sesamectl housekeeping` run: housekeeping and its purge only.
    Housekeeping,
}

impl LoginRole {
    fn as_str(self) -> &'static str {
        match self {
            LoginRole::Clerk => "clerk",
            LoginRole::Supervisor => "supervisor",
            LoginRole::Housekeeping => "housekeeping",
        }
    }
}

impl DatabaseCommand {
    /// The owner's set-up, run without signing in.
    pub fn is_owners(&self) -> bool {
        matches!(
            self,
            DatabaseCommand::Secure { .. } | DatabaseCommand::Login { .. }
        )
    }
}

pub async fn run(
    desk: &Desk,
    cmd: DatabaseCommand,
    pins: &mut PinReader,
) -> anyhow::Result<ExitCode> {
    match cmd {
        DatabaseCommand::Migrate => {
            // Opening the desk created the database if needed and applied the migrations.
            let info = sesame_service::database_info(desk).await.map_err(coded)?;
            println!(
                "{} database at {} is at schema version {}",
                info.backend, info.location, info.schema_version
            );
        }
        DatabaseCommand::Info { json } => info(desk, json).await?,
        DatabaseCommand::Secure {
            supervisor,
            display_name,
        } => {
            let secured = sesame_service::secure_database(desk).await.map_err(coded)?;
            println!(
                "database {} secured by {}: operators sign in with their own logins",
                secured.database, secured.owner
            );
            if let Some(name) = supervisor {
                create(desk, &name, display_name, LoginRole::Supervisor, pins).await?;
            }
        }
        DatabaseCommand::Login {
            name,
            role,
            display_name,
        } => create(desk, &name, display_name, role, pins).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn create(
    desk: &Desk,
    name: &str,
    display_name: Option<String>,
    role: LoginRole,
    pins: &mut PinReader,
) -> anyhow::Result<()> {
    let password = pins.read_new(&format!("password for the login {name}: "))?;
    let display_name = display_name.unwrap_or_else(|| name.to_owned());
    sesame_service::create_database_login(desk, name, &display_name, role.as_str(), &password)
        .await
        .map_err(coded)?;
    println!("login {name} created ({})", role.as_str());
    Ok(())
}

async fn info(desk: &Desk, json: bool) -> anyhow::Result<()> {
    let info = sesame_service::database_info(desk).await.map_err(coded)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
        return Ok(());
    }
    println!("backend:        {}", info.backend);
    println!("location:       {}", info.location);
    println!("schema version: {}", info.schema_version);
    println!("requests:       {}", info.requests);
    println!("holders:        {}", info.holders);
    println!("badges:         {}", info.badges);
    println!("attachments:    {}", info.attachments);
    println!("audit entries:  {}", info.audit_entries);
    let counts = sesame_service::queue_counts(desk).await.map_err(coded)?;
    for count in counts.iter().filter(|c| c.count > 0) {
        println!("  {:<18} {}", count.status.as_str(), count.count);
    }
    Ok(())
}
