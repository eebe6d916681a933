//! `sesamectl key …`, `sesamectl backup`, `sesamectl restore`: the data key that
//! encrypts photos and ID documents, and backups of the embedded SQLite database.
//! The keyring entry is the desk's (service `fr.sesame.desk`, or
//! `SESAME_KEYRING_SERVICE`), the same one the desk app uses.
//!
//! Exit status: 0 done; 1 `key status` found a problem (no key, or attachments needing
//! another key); 2 error (printed by main.rs as `error[code]: message`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use sesame_service::{
    Desk, DeskOptions, Destination, KeyExportInput, KeyImportInput, KeyImportKind, KeyState,
    MIN_PASSPHRASE_CHARS,
};

use crate::output::coded;

/// Where `key export` and `key import` take the passphrase from when set (scripts);
/// otherwise it is asked on the terminal.
pub const PASSPHRASE_ENV: &str = "SESAME_KEY_PASSPHRASE";

/// Exit status of `key status` when the desk cannot read every attachment.
const KEY_PROBLEM: u8 = 1;

#[derive(Debug, clap::Subcommand)]
pub enum VaultCommand {
    /// The data key that encrypts photos and ID documents (kept in the OS keyring).
    Key {
        #[command(subcommand)]
        cmd: KeyCommand,
    },
    /// Writes a consistent copy of the SQLite database to OUT (safe while Sésame runs).
    /// Attachments stay encrypted: keep a key export apart from the backups.
    Backup {
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Creates this desk's data key (first desk of a queue). Does nothing if it exists;
    /// refuses if the database already holds attachments encrypted with another key.
    Init,
    /// Writes the data key to FILE, encrypted with a passphrase, for the other desks.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// Stores the data key of a key file in this desk's keyring.
    Import {
        file: PathBuf,
        /// Replaces a different key already on this desk (its attachments become unreadable here).
        #[arg(long)]
        force: bool,
    },
    /// Shows this desk's key and the keys the database's attachments need.
    Status {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(desk: &Desk, cmd: VaultCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        VaultCommand::Key { cmd } => run_key(cmd, desk).await,
        VaultCommand::Backup { out, json } => {
            let report = sesame_service::backup_database(desk, out)
                .await
                .map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "backup written: {} ({} bytes, schema {}, {} ms)",
                    report.file, report.bytes, report.schema_version, report.duration_ms
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Replaces the SQLite database with a backup; no desk is open on it.
pub async fn restore(options: &DeskOptions, file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let outcome = sesame_service::restore_backup(&options.database_url, file, &options.vault)
        .await
        .map_err(coded)?;
    let report = &outcome.report;
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!(
            "restored {} into {} ({} requests, {} attachments, schema {})",
            file.display(),
            report.target,
            report.restored.requests,
            report.restored.attachments,
            report.restored.schema_version
        );
        if let Some(previous) = &report.previous_saved_as {
            println!("the previous database is kept as {previous}");
        }
        for id in &outcome.missing_keys {
            println!("warning: some attachments need data key {id}, which this desk does not hold (`sesamectl key import FILE`)");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_key(cmd: KeyCommand, desk: &Desk) -> anyhow::Result<ExitCode> {
    match cmd {
        KeyCommand::Init => {
            let (key, created) = sesame_service::init_key(desk).await.map_err(coded)?;
            if !created {
                println!("this desk already has a data key: {key}");
                return Ok(ExitCode::SUCCESS);
            }
            println!("data key created: {key}");
            println!("other desks on this queue need it: `sesamectl key export --out FILE`, then `sesamectl key import FILE` there");
            Ok(ExitCode::SUCCESS)
        }
        KeyCommand::Export { out } => {
            if out.exists() {
                anyhow::bail!("{} already exists; choose another file name", out.display());
            }
            let passphrase = passphrase(true)?;
            sesame_service::export_key_file(
                desk,
                KeyExportInput {
                    passphrase,
                    destination: Destination::Path(out.clone()),
                },
            )
            .await
            .map_err(coded)?;
            let status = sesame_service::key_status(desk).await.map_err(coded)?;
            println!(
                "data key {} exported to {}",
                status.key.fingerprint.unwrap_or_default(),
                out.display()
            );
            println!("give the file and the passphrase to the other desks by different channels");
            Ok(ExitCode::SUCCESS)
        }
        KeyCommand::Import { file, force } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("reading the key file {}", file.display()))?;
            let passphrase = passphrase(false)?;
            let imported = sesame_service::import_key_file(
                desk,
                KeyImportInput {
                    content: bytes.into(),
                    passphrase,
                    force,
                },
            )
            .await
            .map_err(coded)?;
            let id = &imported.fingerprint;
            match imported.outcome {
                KeyImportKind::Stored => println!("data key {id} stored in this desk's keyring"),
                KeyImportKind::AlreadyPresent => {
                    println!("this desk already has data key {id}; nothing changed")
                }
                KeyImportKind::Replaced => println!(
                    "data key {id} stored; it replaced {}",
                    imported.replaced.as_deref().unwrap_or("?")
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        KeyCommand::Status { json } => {
            let desk_status = sesame_service::key_status(desk).await.map_err(coded)?;
            let status = desk_status.key.clone();
            let usage = desk_status.usage.clone();
            let fingerprint = status.fingerprint.clone().unwrap_or_default();
            let healthy = desk_status.healthy;
            if json {
                let value = serde_json::json!({
                    "key": status,
                    "database": usage,
                    "createdNow": desk_status.created_now,
                    "keptElsewhere": desk_status.kept_elsewhere,
                });
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!("keyring entry: {} / {}", status.service, status.account);
                match (&status.state, &status.fingerprint) {
                    (KeyState::Present, Some(id)) => println!("data key:      {id}"),
                    (KeyState::Missing, _) => println!("data key:      none (run `sesamectl key init` or `sesamectl key import FILE`)"),
                    (_, _) => println!("data key:      unavailable: {}", status.detail.as_deref().unwrap_or("?")),
                }
                println!("attachments:   {} plain", usage.plain);
                for (id, count) in &usage.encrypted {
                    let mark = if *id == fingerprint {
                        ""
                    } else {
                        "  <- not this desk's key"
                    };
                    println!("               {count} encrypted with {id}{mark}");
                }
                if usage.unreadable > 0 {
                    println!(
                        "               {} with an unreadable header",
                        usage.unreadable
                    );
                }
            }
            Ok(if healthy {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(KEY_PROBLEM)
            })
        }
    }
}

/// From `SESAME_KEY_PASSPHRASE`, else asked on the terminal (twice when `confirm`).
fn passphrase(confirm: bool) -> anyhow::Result<String> {
    if let Ok(value) = std::env::var(PASSPHRASE_ENV) {
        if !value.is_empty() {
            return Ok(value);
        }
    }
    let first = rpassword::prompt_password(format!(
        "passphrase (at least {MIN_PASSPHRASE_CHARS} characters): "
    ))
    .with_context(|| format!("no terminal to ask the passphrase on; set {PASSPHRASE_ENV}"))?;
    if confirm {
        let second =
            rpassword::prompt_password("the same passphrase again: ").with_context(|| {
                format!("no terminal to ask the passphrase on; set {PASSPHRASE_ENV}")
            })?;
        if first != second {
            anyhow::bail!("the two passphrases differ; nothing was written");
        }
    }
    Ok(first)
}
