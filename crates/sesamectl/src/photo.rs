//! `sesamectl photo`: check an ID photo the way the desk does, or cut the badge photo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use sesame_service::{
    Desk, FileBytes, OverallVerdict, PhotoCheckInput, PhotoCheckOutcome, PhotoReport, PhotoRules,
    Verdict,
};

use crate::output::coded;

/// Exit status when the photo is refused (a check failed); errors exit with 2 (main.rs).
const REFUSED: u8 = 1;

#[derive(Debug, clap::Subcommand)]
pub enum PhotoCommand {
    /// Runs every check on a photo and prints each with its value, threshold and verdict.
    /// Exits with status 1 when the photo is refused.
    Check {
        /// JPEG, PNG or WebP file.
        file: PathBuf,
        /// Prints the full report as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// JSON file overriding some thresholds (a partial `PhotoRules`).
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Cuts the badge photo (JPEG, default 413×531 px) around the face and writes it to OUT.
    /// Writes it even when a check fails (to show the operator), but then exits with status 1.
    Crop {
        file: PathBuf,
        out: PathBuf,
        /// Also writes the edits (crop rectangle, rotation) and the report as JSON here.
        #[arg(long)]
        edits: Option<PathBuf>,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
}

fn load_rules(path: Option<&PathBuf>) -> anyhow::Result<PhotoRules> {
    let Some(path) = path else {
        return Ok(PhotoRules::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading rules {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing rules {}", path.display()))
}

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
        Verdict::Skipped => "skipped",
    }
}

fn print_table(report: &PhotoReport) {
    println!(
        "{:<22} {:<8} {:>10} {:<24} {:<30} hint",
        "check", "verdict", "value", "unit", "threshold"
    );
    for check in &report.checks {
        let value = check
            .value
            .map(|v| format!("{v:.2}"))
            .unwrap_or_else(|| "-".to_owned());
        let hint = check.hint.as_ref().map(|h| h.en.as_str()).unwrap_or("");
        println!(
            "{:<22} {:<8} {:>10} {:<24} {:<30} {}",
            check.id.name(),
            verdict_label(check.verdict),
            value,
            check.unit,
            check.threshold,
            hint
        );
    }
    let overall = match report.verdict {
        OverallVerdict::Accepted => "accepted",
        OverallVerdict::AcceptedWithWarnings => "accepted with warnings",
        OverallVerdict::Refused => "REFUSED",
    };
    println!("verdict: {overall}");
}

fn exit_for(report: &PhotoReport) -> ExitCode {
    if report.is_refused() {
        ExitCode::from(REFUSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Checks the file as the photo station does (and cuts its badge photo).
async fn check_file(
    desk: &Desk,
    file: &Path,
    rules: Option<&PathBuf>,
) -> anyhow::Result<PhotoCheckOutcome> {
    let rules = load_rules(rules)?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    sesame_service::check_photo_bytes(
        desk,
        PhotoCheckInput {
            image: bytes.into(),
            rules: Some(rules),
        },
    )
    .await
    .map_err(coded)
}

pub async fn run(desk: &Desk, cmd: PhotoCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PhotoCommand::Check { file, json, rules } => {
            let outcome = check_file(desk, &file, rules.as_ref()).await?;
            let report = &outcome.report;
            if json {
                println!("{}", serde_json::to_string_pretty(report)?);
            } else {
                println!(
                    "{} ({}x{})",
                    file.display(),
                    report.image_width,
                    report.image_height
                );
                print_table(report);
            }
            Ok(exit_for(report))
        }
        PhotoCommand::Crop {
            file,
            out,
            edits,
            rules,
        } => {
            let outcome = check_file(desk, &file, rules.as_ref()).await?;
            let (Some(jpeg), Some(photo_edits)) = (&outcome.cropped_jpeg_base64, &outcome.edits)
            else {
                print_table(&outcome.report);
                return Err(anyhow::Error::new(sesame_core::AppError::new(
                    "photo.no_face",
                    format!(
                        "no face was found in {} to cut the badge photo around",
                        file.display()
                    ),
                )));
            };
            let jpeg = FileBytes::from_base64(jpeg.as_str())
                .into_bytes()
                .map_err(|e| anyhow::anyhow!("the badge photo came back damaged: {e}"))?;
            std::fs::write(&out, &jpeg).with_context(|| format!("writing {}", out.display()))?;
            if let Some(edits_path) = edits {
                let json = serde_json::json!({ "edits": photo_edits, "report": outcome.report });
                std::fs::write(&edits_path, serde_json::to_string_pretty(&json)?)
                    .with_context(|| format!("writing {}", edits_path.display()))?;
            }
            let rect = photo_edits.crop;
            println!(
                "{} -> {} ({}x{} px, {} bytes), crop {}x{} at ({}, {}), scale {:.3}",
                file.display(),
                out.display(),
                photo_edits.output_width,
                photo_edits.output_height,
                jpeg.len(),
                rect.width,
                rect.height,
                rect.x,
                rect.y,
                photo_edits.scale
            );
            print_table(&outcome.report);
            Ok(exit_for(&outcome.report))
        }
    }
}
