//! `sesamectl purge`, `sesamectl holder export|erase`: personal data over time and the
//! holders' rights, through the same service functions as the desk app (so the same
//! data key from the OS keyring decrypts the exported files).
//!
//! Exit status: 0 done; 1 the purge left some items (listed); 2 error.

use std::process::ExitCode;

use sesame_service::{Desk, EraseHolderInput, HolderId};

use crate::output::coded;

#[derive(Debug, clap::Subcommand)]
pub enum ProtectionCommand {
    /// Applies the retention periods: ID scans after printing, holders whose badges
    /// ended, refused and cancelled requests. The audit log keeps the facts only.
    Purge {
        /// Lists what would go (ids and counts) without changing anything.
        /// (`--today DAY` purges as of another day.)
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// A holder's rights: export everything held about them, or erase them.
    Holder {
        #[command(subcommand)]
        cmd: HolderCommand,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum HolderCommand {
    /// Writes one zip (JSON + decrypted files) to the print/output folder.
    Export {
        holder_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Cancels pending requests, deactivates live badges, deletes attachments and
    /// anonymises the holder; the audit log keeps an `erase` entry with the reason.
    Erase {
        holder_id: String,
        /// Why (e.g. the holder's request and its date); required.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(desk: &Desk, cmd: ProtectionCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ProtectionCommand::Purge { dry_run, json } => {
            let today = desk.clock().today();
            if dry_run {
                let plan = sesame_service::retention_plan(desk).await.map_err(coded)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&plan)?);
                } else {
                    println!("purge as of {today} (dry run, nothing changed):");
                    println!("  ID document scans: {}", plan.id_documents.len());
                    for doc in &plan.id_documents {
                        println!(
                            "    {} (request {}, printed {})",
                            doc.attachment_id, doc.request_id, doc.printed_on
                        );
                    }
                    println!("  holders:           {}", plan.holders.len());
                    for holder in &plan.holders {
                        println!(
                            "    {} (last badge ended {})",
                            holder.holder_id, holder.last_badge_ended_on
                        );
                    }
                    println!("  closed requests:   {}", plan.closed_requests.len());
                    for request in &plan.closed_requests {
                        println!("    {} (closed {})", request.request_id, request.closed_on);
                    }
                    let files = &plan.output_files;
                    println!(
                        "  output files:      {} ({} bytes), {} unfinished ({} bytes)",
                        files.files, files.bytes, files.part_files, files.part_bytes
                    );
                }
                return Ok(ExitCode::SUCCESS);
            }
            let report = sesame_service::retention_purge(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "purged as of {today}: {} ID scans, {} holders anonymised, {} closed requests, \
                     {} attachments deleted, {} audit entries redacted",
                    report.id_documents_deleted,
                    report.holders_anonymised,
                    report.requests_purged,
                    report.attachments_deleted,
                    report.audit_entries_redacted
                );
                let files = &report.output_files;
                println!(
                    "output folder {}: {} files ({} bytes) and {} unfinished files deleted",
                    files.folder, files.files, files.bytes, files.part_files
                );
                for failure in &report.failures {
                    println!(
                        "  not done: {} {}: [{}] {}",
                        failure.target, failure.id, failure.code, failure.message
                    );
                }
                for file in &files.not_deleted {
                    println!("  not deleted: {file}");
                }
            }
            Ok(
                if report.failures.is_empty() && report.output_files.not_deleted.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                },
            )
        }
        ProtectionCommand::Holder { cmd } => match cmd {
            HolderCommand::Export { holder_id, json } => {
                let id: HolderId = holder_id.parse().map_err(coded)?;
                let export = sesame_service::export_holder_archive(desk, id)
                    .await
                    .map_err(coded)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&export)?);
                } else {
                    println!(
                        "holder {holder_id} exported to {} ({} bytes, {} files)",
                        export.path, export.bytes, export.files
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            HolderCommand::Erase {
                holder_id,
                reason,
                json,
            } => {
                let id: HolderId = holder_id.parse().map_err(coded)?;
                let erased = sesame_service::erase_holder_data(
                    desk,
                    EraseHolderInput {
                        holder_id: id,
                        reason,
                    },
                )
                .await
                .map_err(coded)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&erased)?);
                } else {
                    println!(
                        "holder {holder_id} erased: {} requests, {} badges kept anonymised, \
                         {} attachments deleted, {} audit entries redacted",
                        erased.requests,
                        erased.badges,
                        erased.attachments_deleted,
                        erased.audit_entries_redacted
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}
