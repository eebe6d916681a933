//! `sesamectl requests|badges|db`: the request queue from the command line.
//!
//! Exit status: 0 done; 1 `requests import` refused some rows (the others went in);
//! 2 error (printed by main.rs as `error[code]: message`).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use sesame_core::{BadgeStatus, RequestKind, RequestStatus};
use sesame_service::{
    BadgeExportInput, BadgeQuery, CsvImportInput, CsvOptions, Desk, QueueExportInput, QueueQuery,
    QueueSortField, SortDirection,
};

use crate::output::{coded, write_to};

/// Exit status when an import refused some rows.
const SOME_ROWS_REFUSED: u8 = 1;

#[derive(Debug, clap::Subcommand)]
pub enum QueueCommand {
    /// Badge requests: list, import from CSV, export to CSV.
    Requests {
        #[command(subcommand)]
        cmd: RequestsCommand,
    },
    /// Badges: export for the access-control system.
    Badges {
        #[command(subcommand)]
        cmd: BadgesCommand,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum RequestsCommand {
    /// Lists one page of the queue (use --cursor with the printed next cursor for more,
    /// or --start to read the page at a position).
    List {
        #[command(flatten)]
        filters: QueueFilters,
        /// Rows per page (1–500).
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, conflicts_with = "start")]
        cursor: Option<String>,
        /// The position of the page's first row (0 is the first row of the list).
        #[arg(long)]
        start: Option<u64>,
        /// Prints the page as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Imports holders and requests from an HR/intranet CSV (UTF-8 or Windows-1252,
    /// comma or semicolon). Valid rows go in together; refused rows are listed with why.
    Import {
        file: PathBuf,
        /// Checks every row and prints the report without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Prints the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Exports the queue (all pages) as CSV, formulas neutralised.
    Export {
        #[command(flatten)]
        filters: QueueFilters,
        /// Output file; standard output when absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[command(flatten)]
        csv: CsvArgs,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum BadgesCommand {
    /// Exports badges as CSV for the access-control system (default: active ones).
    Export {
        /// Badge statuses, comma-separated (issued, active, suspended, opposed, expired, deactivated, returned).
        #[arg(long = "status", value_delimiter = ',', value_parser = parse_badge_status)]
        statuses: Vec<BadgeStatus>,
        /// Only badges valid until this day or earlier (YYYY-MM-DD).
        #[arg(long)]
        expiring_before: Option<NaiveDate>,
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[command(flatten)]
        csv: CsvArgs,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Submitted,
    Name,
    MissionEnd,
    BadgeValidUntil,
}

#[derive(Debug, clap::Args)]
pub struct QueueFilters {
    /// Statuses, comma-separated (submitted, incomplete, awaiting_photo, ready_for_review,
    /// approved, refused, printed, dispatched, activated, cancelled).
    #[arg(long = "status", value_delimiter = ',', value_parser = parse_status)]
    statuses: Vec<RequestStatus>,
    /// Kinds, comma-separated (new_badge, renewal, replacement, transfer, zone_access, day_pass).
    #[arg(long = "kind", value_delimiter = ',', value_parser = parse_kind)]
    kinds: Vec<RequestKind>,
    /// Holder categories, comma-separated (e.g. staff,contractor).
    #[arg(long = "category", value_delimiter = ',')]
    categories: Vec<String>,
    #[arg(long)]
    zone: Option<String>,
    /// Words matched against names, e-mail, HR number and badge number (case and accents ignored).
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    submitted_from: Option<NaiveDate>,
    #[arg(long)]
    submitted_until: Option<NaiveDate>,
    #[arg(long)]
    mission_end_before: Option<NaiveDate>,
    /// Requests whose badge expires on or before this day.
    #[arg(long)]
    expiring_before: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "submitted")]
    sort: SortArg,
    /// Sorts in descending order.
    #[arg(long)]
    desc: bool,
}

#[derive(Debug, clap::Args)]
pub struct CsvArgs {
    /// Field separator: ';' (French spreadsheets) or ','.
    #[arg(long, default_value_t = ';')]
    delimiter: char,
    /// Leaves out the UTF-8 BOM that Excel needs to read accents.
    #[arg(long)]
    no_bom: bool,
}

impl CsvArgs {
    fn options(&self) -> CsvOptions {
        CsvOptions {
            delimiter: self.delimiter,
            bom: !self.no_bom,
        }
    }
}

pub(crate) fn parse_status(value: &str) -> Result<RequestStatus, String> {
    RequestStatus::parse(value.trim()).ok_or_else(|| format!("unknown request status '{value}'"))
}

fn parse_kind(value: &str) -> Result<RequestKind, String> {
    RequestKind::parse(value.trim()).ok_or_else(|| format!("unknown request kind '{value}'"))
}

fn parse_badge_status(value: &str) -> Result<BadgeStatus, String> {
    BadgeStatus::parse(value.trim()).ok_or_else(|| format!("unknown badge status '{value}'"))
}

impl QueueFilters {
    fn query(&self) -> QueueQuery {
        QueueQuery {
            statuses: self.statuses.clone(),
            kinds: self.kinds.clone(),
            categories: self.categories.clone(),
            zone: self.zone.clone(),
            search: self.search.clone(),
            submitted_from: self.submitted_from,
            submitted_until: self.submitted_until,
            mission_end_before: self.mission_end_before,
            badge_expiring_before: self.expiring_before,
            sort: match self.sort {
                SortArg::Submitted => QueueSortField::Submitted,
                SortArg::Name => QueueSortField::HolderName,
                SortArg::MissionEnd => QueueSortField::MissionEnd,
                SortArg::BadgeValidUntil => QueueSortField::BadgeValidUntil,
            },
            direction: if self.desc {
                SortDirection::Desc
            } else {
                SortDirection::Asc
            },
            ..QueueQuery::default()
        }
    }
}

/// Runs a queue subcommand on the desk.
pub async fn run(desk: &Desk, cmd: QueueCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        QueueCommand::Requests { cmd } => run_requests(desk, cmd).await,
        QueueCommand::Badges { cmd } => run_badges(desk, cmd).await,
    }
}

async fn run_requests(desk: &Desk, cmd: RequestsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        RequestsCommand::List {
            filters,
            limit,
            cursor,
            start,
            json,
        } => {
            let query = QueueQuery {
                limit: Some(limit),
                cursor,
                start,
                ..filters.query()
            };
            let page = sesame_service::list_requests(desk, query)
                .await
                .map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&page)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{:<36}  {:<16}  {:<11}  {:<28}  {:<10}  {:<10}",
                "id", "status", "kind", "holder", "category", "badge"
            );
            for row in &page.rows {
                let holder = format!("{} {}", row.family_name.to_uppercase(), row.given_names);
                println!(
                    "{:<36}  {:<16}  {:<11}  {:<28}  {:<10}  {:<10}",
                    row.id,
                    row.status.as_str(),
                    row.kind.as_str(),
                    holder.chars().take(28).collect::<String>(),
                    row.category,
                    row.badge_number.as_deref().unwrap_or("-")
                );
            }
            match &page.next_cursor {
                Some(cursor) => println!("more: --cursor '{cursor}'"),
                None => println!("({} rows, end of list)", page.rows.len()),
            }
            Ok(ExitCode::SUCCESS)
        }
        RequestsCommand::Import {
            file,
            dry_run,
            json,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            // Recorded under the desk's operator, like an import from the window; on a
            // terminal, how far it is (stderr, rewritten in place).
            let on_terminal = std::io::stderr().is_terminal();
            let report = sesame_service::import_requests_csv_reporting(
                desk,
                CsvImportInput {
                    content: bytes.into(),
                    dry_run,
                },
                &|step| {
                    if on_terminal {
                        eprint!(
                            "\r{} rows read, {} refused ({} %)",
                            step.rows_read,
                            step.refused,
                            step.bytes_read * 100 / step.bytes_total.max(1)
                        );
                    }
                },
            )
            .await;
            if on_terminal {
                eprintln!(); // the error or the report starts on a line of its own
            }
            let report = report.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{}: {} rows read ({}, delimiter '{}'), {} accepted, {} refused{}",
                    file.display(),
                    report.rows_read,
                    report.encoding,
                    report.delimiter,
                    report.accepted,
                    report.refused.len(),
                    if dry_run {
                        " — dry run, nothing written"
                    } else {
                        ""
                    }
                );
                for refused in &report.refused {
                    println!(
                        "  row {} (line {}){}: [{}] {}",
                        refused.row,
                        refused.line,
                        refused
                            .column
                            .as_deref()
                            .map(|c| format!(", column {c}"))
                            .unwrap_or_default(),
                        refused.code,
                        refused.message
                    );
                }
            }
            Ok(if report.refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(SOME_ROWS_REFUSED)
            })
        }
        RequestsCommand::Export { filters, out, csv } => {
            write_to(out, |destination| async {
                sesame_service::export_queue_csv(
                    desk,
                    QueueExportInput {
                        query: filters.query(),
                        csv: csv.options(),
                        destination,
                    },
                )
                .await
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn run_badges(desk: &Desk, cmd: BadgesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BadgesCommand::Export {
            statuses,
            expiring_before,
            out,
            csv,
        } => {
            let query = BadgeQuery {
                statuses,
                expiring_before,
                holder_id: None,
            };
            write_to(out, |destination| async {
                sesame_service::export_badges_csv(
                    desk,
                    BadgeExportInput {
                        query,
                        csv: csv.options(),
                        destination,
                    },
                )
                .await
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
