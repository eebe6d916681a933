//! `sesamectl access-export`: the exports for the access-control system, as Settings ›
//! Access control shows them: the profiles, a run (for cron between housekeeping
//! runs, or a script), the runs recorded, a profile defined from a JSON file or
//! started from a shipped format.

use std::path::PathBuf;
use std::process::ExitCode;

use sesame_service::{
    access_export_runs, access_export_settings, delete_access_export_profile, run_access_export,
    save_access_export_profile, AccessExportInput, AccessExportProfileId, AccessExportSettings,
    Desk, ExportProfile, SaveAccessExportInput,
};

use crate::output::{coded, print_json};

#[derive(Debug, clap::Subcommand)]
pub enum AccessExportCommand {
    /// The office's profiles with their last run, and the shipped formats.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Runs the profile ID now: writes its file (and photos) and records the run.
    Run {
        id: String,
        /// Every selected badge, even for a profile of changes only.
        #[arg(long)]
        all: bool,
        /// Writes into this folder instead of the profile's.
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The runs of the profile ID, newest first.
    Runs {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Prints the profile ID (or the shipped format ID) as JSON, to edit and save back.
    Show { id: String },
    /// Saves the profile in FILE (JSON, as `show` prints it): a new one, or the one of
    /// the same id (a supervisor's change).
    Save { file: PathBuf },
    /// Removes the profile ID (its files and recorded runs stay).
    Delete { id: String },
}

pub async fn run(desk: &Desk, cmd: AccessExportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AccessExportCommand::List { json } => {
            let settings = access_export_settings(desk).await.map_err(coded)?;
            if json {
                print_json(&settings)?;
            } else {
                print_list(&settings);
            }
        }
        AccessExportCommand::Run {
            id,
            all,
            folder,
            json,
        } => {
            let input = AccessExportInput {
                profile_id: id,
                everything: all,
                folder,
            };
            let outcome = run_access_export(desk, input).await.map_err(coded)?;
            if json {
                print_json(&outcome)?;
            } else {
                let since = outcome
                    .since
                    .map(|at| format!(" changed since {}", at.format("%Y-%m-%d %H:%M:%S UTC")))
                    .unwrap_or_default();
                println!(
                    "{} badges{since}, {} photos → {}",
                    outcome.badges, outcome.photos, outcome.file.path
                );
                if !outcome.without_photo.is_empty() {
                    println!("without a photo: {}", outcome.without_photo.join(", "));
                }
                if outcome.folded_lines > 0 {
                    println!(
                        "{} lines written without some accents (the file's encoding lacks them)",
                        outcome.folded_lines
                    );
                }
            }
        }
        AccessExportCommand::Runs { id, json } => {
            let runs = access_export_runs(desk, AccessExportProfileId { id })
                .await
                .map_err(coded)?;
            if json {
                print_json(&runs)?;
            } else {
                for run in runs {
                    println!(
                        "{}  {:<16} {:>6} badges {:>6} photos{}  {}",
                        run.started_at.format("%Y-%m-%d %H:%M:%S"),
                        run.operator,
                        run.badges,
                        run.photos,
                        if run.since.is_some() {
                            " (changes)"
                        } else {
                            ""
                        },
                        run.file
                    );
                }
            }
        }
        AccessExportCommand::Show { id } => {
            let settings = access_export_settings(desk).await.map_err(coded)?;
            let profile = settings
                .profiles
                .into_iter()
                .map(|p| p.profile)
                .chain(settings.formats)
                .find(|p| p.id == id)
                .ok_or_else(|| anyhow::anyhow!("no export profile or shipped format '{id}'"))?;
            print_json(&profile)?;
        }
        AccessExportCommand::Save { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let profile: ExportProfile = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{} is not an export profile: {e}", file.display()))?;
            let settings = access_export_settings(desk).await.map_err(coded)?;
            let exists = settings.profiles.iter().any(|p| p.profile.id == profile.id);
            let input = SaveAccessExportInput {
                replaces: exists.then(|| profile.id.clone()),
                profile,
            };
            print_list(
                &save_access_export_profile(desk, input)
                    .await
                    .map_err(coded)?,
            );
        }
        AccessExportCommand::Delete { id } => {
            let input = AccessExportProfileId { id };
            print_list(
                &delete_access_export_profile(desk, input)
                    .await
                    .map_err(coded)?,
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_list(settings: &AccessExportSettings) {
    if settings.profiles.is_empty() {
        println!("no export profile yet");
    }
    for entry in &settings.profiles {
        let p = &entry.profile;
        let schedule = p
            .every_days
            .map(|d| format!("every {d} days"))
            .unwrap_or_else(|| "when asked".into());
        let last = entry
            .last_run
            .as_ref()
            .map(|r| format!("last run {}", r.started_at.format("%Y-%m-%d %H:%M")))
            .unwrap_or_else(|| "never run".into());
        println!("  {:<24} {:<40} {schedule}, {last}", p.id, p.name);
    }
    println!("shipped formats:");
    for format in &settings.formats {
        println!("  {:<24} {}", format.id, format.name);
    }
}
