//! `sesamectl photo`: check an ID photo the way the desk does, or cut the badge photo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use sesame_service::{
    BulkPhotoInput, BulkPhotoOutcome, BulkPhotoRow, Desk, FileBytes, HolderKey, OverallVerdict,
    PhotoCheckInput, PhotoCheckOutcome, PhotoImportPlanInput, PhotoReport, PhotoRules, Verdict,
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
    /// Imports a folder of ID photos onto their holders' open requests, matched by HR
    /// number, e-mail or name (the file's name, or the row of --list naming the file).
    /// A photo is saved only when nothing needs the operator; the others are reported
    /// (needs the desk / refused, and why). Exits with status 1 when some were not saved.
    Import {
        folder: PathBuf,
        /// What the photos' holders are found by.
        #[arg(long, value_enum)]
        key: KeyArg,
        /// A CSV naming each holder's photo file (a photo column and the key's column).
        #[arg(long)]
        list: Option<PathBuf>,
        /// Checks and matches every photo, saving nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// The office's check thresholds: show them, set them from a JSON file (a partial
    /// `PhotoRules` is completed with the defaults), or go back to the defaults.
    Rules {
        #[command(subcommand)]
        cmd: RulesCommand,
    },
    /// How often each check refused or warned on a saved photo and was overridden.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    Show,
    Set { file: PathBuf },
    Reset,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KeyArg {
    HrId,
    Email,
    Name,
}

impl From<KeyArg> for HolderKey {
    fn from(key: KeyArg) -> HolderKey {
        match key {
            KeyArg::HrId => HolderKey::HrId,
            KeyArg::Email => HolderKey::Email,
            KeyArg::Name => HolderKey::Name,
        }
    }
}

/// Exit status when some photos of a bulk import were not saved.
const SOME_NOT_SAVED: u8 = 1;

/// Photos are read and checked two at a time: the checks use one core each.
const BULK_PARALLEL: usize = 2;

fn read_rules(path: &PathBuf) -> anyhow::Result<PhotoRules> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading rules {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing rules {}", path.display()))
}

fn load_rules(path: Option<&PathBuf>) -> anyhow::Result<Option<PhotoRules>> {
    path.map(read_rules).transpose()
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
            rules,
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
                    sesame_core::ErrorCode::code(&sesame_service::PhotoError::NoFace),
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
        PhotoCommand::Import {
            folder,
            key,
            list,
            dry_run,
            json,
        } => import_folder(desk, &folder, key.into(), list.as_ref(), dry_run, json).await,
        PhotoCommand::Rules { cmd } => {
            let rules = match cmd {
                RulesCommand::Show => sesame_service::office_photo_rules(desk).await,
                RulesCommand::Set { file } => {
                    sesame_service::save_photo_rules(desk, read_rules(&file)?).await
                }
                RulesCommand::Reset => sesame_service::restore_default_photo_rules(desk).await,
            }
            .map_err(coded)?;
            println!("{}", serde_json::to_string_pretty(&rules)?);
            Ok(ExitCode::SUCCESS)
        }
        PhotoCommand::Stats { json } => {
            let stats = sesame_service::photo_check_stats(desk)
                .await
                .map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!(
                    "{} photos saved, {} over a refusal or a warning",
                    stats.photos_saved, stats.photos_overridden
                );
                println!(
                    "{:<24} {:>8} {:>11} {:>8} {:>11}",
                    "check", "refused", "overridden", "warned", "overridden"
                );
                for c in &stats.checks {
                    println!(
                        "{:<24} {:>8} {:>11} {:>8} {:>11}",
                        c.check, c.refused, c.refusals_overridden, c.warned, c.warnings_overridden
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The image files of a folder, by name.
fn image_files(folder: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder)
        .with_context(|| format!("reading the folder {}", folder.display()))?
    {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let image = name.rsplit_once('.').is_some_and(|(_, ext)| {
            ["jpg", "jpeg", "png", "webp"].contains(&ext.to_ascii_lowercase().as_str())
        });
        if image && entry.file_type()?.is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn outcome_label(outcome: BulkPhotoOutcome) -> &'static str {
    match outcome {
        BulkPhotoOutcome::Saved => "saved",
        BulkPhotoOutcome::Accepted => "accepted",
        BulkPhotoOutcome::NeedsDesk => "NEEDS THE DESK",
        BulkPhotoOutcome::Refused => "REFUSED",
    }
}

fn print_row(row: &BulkPhotoRow) {
    let why = match (&row.code, row.checks.is_empty()) {
        (Some(code), true) => format!(" [{code}]"),
        (Some(code), false) => {
            let checks: Vec<&str> = row.checks.iter().map(|c| c.name()).collect();
            format!(" [{code}: {}]", checks.join(", "))
        }
        (None, _) => String::new(),
    };
    println!(
        "{:<32} {:<16} {:<28} {}{}",
        row.file_name,
        outcome_label(row.outcome),
        row.holder.as_deref().unwrap_or(&row.key),
        row.request_id.map(|id| id.to_string()).unwrap_or_default(),
        why
    );
}

async fn import_folder(
    desk: &Desk,
    folder: &Path,
    key: HolderKey,
    list: Option<&PathBuf>,
    dry_run: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let file_names = image_files(folder)?;
    let list = match list {
        Some(path) => Some(FileBytes::from(
            std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        )),
        None => None,
    };
    let plan = sesame_service::plan_photo_import(
        desk,
        PhotoImportPlanInput {
            key,
            list,
            file_names,
        },
    )
    .await
    .map_err(coded)?;
    for refused in &plan.refused_rows {
        eprintln!(
            "list row {} (line {}): [{}] {}",
            refused.row, refused.line, refused.code, refused.message
        );
    }
    for missing in &plan.missing_files {
        eprintln!("{missing}: named by the list, not in {}", folder.display());
    }
    for unlisted in &plan.unlisted_files {
        eprintln!("{unlisted}: not named by the list, left out");
    }
    let mut rows = Vec::with_capacity(plan.photos.len());
    for pair in plan.photos.chunks(BULK_PARALLEL) {
        let mut inputs = Vec::with_capacity(pair.len());
        for photo in pair {
            let path = folder.join(&photo.file_name);
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            inputs.push(BulkPhotoInput {
                file_name: photo.file_name.clone(),
                key: photo.key.clone(),
                key_kind: key,
                image: bytes.into(),
                dry_run,
            });
        }
        let mut pending = inputs
            .into_iter()
            .map(|input| sesame_service::import_request_photo(desk, input));
        let done = match (pending.next(), pending.next()) {
            (Some(a), Some(b)) => {
                let (a, b) = tokio::join!(a, b);
                vec![a, b]
            }
            (Some(a), None) => vec![a.await],
            _ => Vec::new(),
        };
        for row in done {
            let row = row.map_err(coded)?;
            if !json {
                print_row(&row);
            }
            rows.push(row);
        }
    }
    let not_saved = rows
        .iter()
        .filter(|r| {
            !matches!(
                r.outcome,
                BulkPhotoOutcome::Saved | BulkPhotoOutcome::Accepted
            )
        })
        .count()
        + plan.missing_files.len()
        + plan.refused_rows.len();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "rows": rows,
                "refusedRows": plan.refused_rows,
                "missingFiles": plan.missing_files,
                "unlistedFiles": plan.unlisted_files,
            }))?
        );
    } else {
        let saved = rows
            .iter()
            .filter(|r| {
                matches!(
                    r.outcome,
                    BulkPhotoOutcome::Saved | BulkPhotoOutcome::Accepted
                )
            })
            .count();
        println!(
            "{} photo(s): {saved} {}, {not_saved} left for the desk or refused{}",
            rows.len(),
            if dry_run { "would be saved" } else { "saved" },
            if dry_run {
                " — dry run, nothing written"
            } else {
                ""
            }
        );
    }
    Ok(if not_saved == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(SOME_NOT_SAVED)
    })
}
