//! `sesamectl print`: badges to PDF without a window, through the same service calls
//! as the app (numbers issued and requests marked printed in the PDF's transaction).
//!
//! Exit status: 0 done; 2 error (printed by main.rs as `error[code]: message`), e.g.
//! `print.reprint_reason_required` or `print.nothing_to_print`.

use std::path::PathBuf;
use std::process::ExitCode;

use sesame_core::RequestStatus;
use sesame_service::{
    CalibrationInput, DayPassLayout, Desk, Destination, Layout, Locale, PrintJob, PrintOutcome,
    PrintRunInput, PrinterProfile, QueueQuery, RequestId, SheetLayout, MAX_PAGE_SIZE,
};

use crate::output::coded;
use crate::queue::parse_status;

#[derive(Debug, clap::Subcommand)]
pub enum PrintCommand {
    /// Prints badges to a PDF: approved requests get their badge number and are marked
    /// printed in the same transaction that writes the file. Badges printed before are
    /// printed again only with --reprint-reason (audited).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Print {
        #[command(flatten)]
        args: PrintArgs,
        #[command(subcommand)]
        cmd: Option<PrintSubcommand>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum PrintSubcommand {
    /// Writes the calibration page used to measure a printer's offset.
    Calibration {
        #[arg(long, value_enum)]
        layout: LayoutArg,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        page: PageArgs,
    },
}

#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// Prints every request in these statuses, comma-separated (ignored with --ids).
    #[arg(long, value_delimiter = ',', value_parser = parse_status, default_value = "approved")]
    status: Vec<RequestStatus>,
    /// Prints these requests (ids, comma-separated or repeated), in this order.
    #[arg(long, value_delimiter = ',')]
    ids: Vec<String>,
    #[arg(long, value_enum, required = true)]
    layout: Option<LayoutArg>,
    /// The PDF to write (replaced whole, or left untouched on error).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Why badges printed before are printed again (recorded in the audit log).
    #[arg(long)]
    reprint_reason: Option<String>,
    #[command(flatten)]
    page: PageArgs,
    /// Prints the outcome as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct PageArgs {
    /// The printer's measured horizontal offset in mm (positive moves the print right).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    offset_x: f64,
    /// The printer's measured vertical offset in mm (positive moves the print down).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    offset_y: f64,
    /// Language of dates and template texts.
    #[arg(long, value_enum, default_value = "fr")]
    lang: LangArg,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LayoutArg {
    /// A4 sheets of 2 × 5 CR80 cards with crop marks, backs on their own sheets.
    A4,
    /// A card printer: one 85.60 × 53.98 mm page per card side.
    Card,
    /// Visitor day passes on A6.
    DayPass,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    Fr,
    En,
}

impl LayoutArg {
    fn layout(self) -> Layout {
        match self {
            LayoutArg::A4 => Layout::A4Sheet(SheetLayout::default()),
            LayoutArg::Card => Layout::CardPrinter,
            LayoutArg::DayPass => Layout::DayPass(DayPassLayout::default()),
        }
    }
}

impl PageArgs {
    fn printer(&self) -> PrinterProfile {
        PrinterProfile {
            offset_x_mm: self.offset_x,
            offset_y_mm: self.offset_y,
            ..PrinterProfile::default()
        }
    }

    fn locale(&self) -> Locale {
        match self.lang {
            LangArg::Fr => Locale::Fr,
            LangArg::En => Locale::En,
        }
    }
}

pub async fn run(desk: &Desk, cmd: PrintCommand) -> anyhow::Result<ExitCode> {
    let PrintCommand::Print { args, cmd } = cmd;
    match cmd {
        Some(PrintSubcommand::Calibration { layout, out, page }) => {
            let file = sesame_service::print_calibration(
                desk,
                CalibrationInput {
                    layout: layout.layout(),
                    printer: page.printer(),
                    locale: page.locale(),
                    destination: Destination::Path(out.clone()),
                },
            )
            .await
            .map_err(coded)?;
            println!("wrote {} ({} bytes)", out.display(), file.bytes);
            Ok(ExitCode::SUCCESS)
        }
        None => print_badges(desk, args).await,
    }
}

/// Every request id in `statuses`, in queue order (all pages).
async fn ids_with_status(
    desk: &Desk,
    statuses: &[RequestStatus],
) -> anyhow::Result<Vec<RequestId>> {
    let mut query = QueueQuery {
        statuses: statuses.to_vec(),
        limit: Some(MAX_PAGE_SIZE),
        ..QueueQuery::default()
    };
    let mut ids = Vec::new();
    loop {
        let page = sesame_service::look_up_requests(desk, query.clone())
            .await
            .map_err(coded)?;
        ids.extend(page.rows.iter().map(|r| RequestId(r.id)));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => return Ok(ids),
        }
    }
}

async fn print_badges(desk: &Desk, args: PrintArgs) -> anyhow::Result<ExitCode> {
    let (Some(layout), Some(out)) = (args.layout, args.out.clone()) else {
        anyhow::bail!("--layout and --out are required");
    };
    let request_ids = if args.ids.is_empty() {
        let ids = ids_with_status(desk, &args.status).await?;
        if ids.is_empty() {
            // A scheduled run with nothing waiting is not an error.
            let statuses: Vec<&str> = args.status.iter().map(|s| s.as_str()).collect();
            println!(
                "no request in status {}: nothing printed",
                statuses.join(", ")
            );
            return Ok(ExitCode::SUCCESS);
        }
        ids
    } else {
        args.ids
            .iter()
            .map(|id| id.parse::<RequestId>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(coded)?
    };
    let job = PrintJob {
        request_ids,
        layout: layout.layout(),
        printer: args.page.printer(),
        locale: args.page.locale(),
        reprint_reason: args.reprint_reason.clone(),
    };
    let run = sesame_service::print_badges(
        desk,
        PrintRunInput {
            job,
            printer_name: None,
            destination: Destination::Path(out),
        },
    )
    .await
    .map_err(coded)?;
    let outcome = run.outcome;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcome)?);
    } else {
        print_summary(&outcome);
    }
    Ok(ExitCode::SUCCESS)
}

fn code_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn print_summary(outcome: &PrintOutcome) {
    for card in &outcome.printed {
        println!(
            "{:<14} {}{}",
            card.badge_number,
            card.holder_name,
            if card.reprint { "  (reprint)" } else { "" }
        );
    }
    for warning in outcome.skipped.iter().chain(&outcome.warnings) {
        let what = if warning.skipped {
            "skipped"
        } else {
            "warning"
        };
        match &warning.detail {
            Some(detail) => println!(
                "{what} {}: {} ({detail})",
                warning.request_id,
                code_name(&warning.code)
            ),
            None => println!(
                "{what} {}: {}",
                warning.request_id,
                code_name(&warning.code)
            ),
        }
    }
    let reprints = outcome.printed.iter().filter(|c| c.reprint).count();
    println!(
        "printed {} badge(s) ({} new, {reprints} reprint(s)), skipped {}: {} ({} page(s), {} bytes)",
        outcome.printed.len(),
        outcome.printed.len() - reprints,
        outcome.skipped.len(),
        outcome.file,
        outcome.page_count,
        outcome.file_bytes
    );
}
