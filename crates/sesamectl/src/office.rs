//! `sesamectl office`: the office's name and logo (printed on the badges) and this
//! desk's output folder, as Settings › General shows and changes them.

use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine as _;
use sesame_service::{office_settings, save_office_settings, Desk, OfficeInput};

use crate::output::coded;

#[derive(Debug, clap::Subcommand)]
pub enum OfficeCommand {
    /// Shows the office's name, whether it has a logo, and the output folder.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Changes what is given and keeps the rest (a supervisor's change, audited).
    Set {
        /// The office's name, printed at the top of the badges.
        #[arg(long)]
        name: Option<String>,
        /// A PNG or JPEG logo (512 KB at most).
        #[arg(long, conflicts_with = "no_logo")]
        logo: Option<PathBuf>,
        /// Badges go back to Sésame's logo.
        #[arg(long)]
        no_logo: bool,
        /// Where this desk writes its PDFs and exports (an absolute path).
        #[arg(long)]
        folder: Option<String>,
    },
}

pub async fn run(desk: &Desk, cmd: OfficeCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        OfficeCommand::Show { json } => {
            let office = office_settings(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&office)?);
            } else {
                print(&office);
            }
        }
        OfficeCommand::Set {
            name,
            logo,
            no_logo,
            folder,
        } => {
            let current = office_settings(desk).await.map_err(coded)?;
            let logo_base64 = match (logo, no_logo) {
                (Some(path), _) => {
                    let bytes = std::fs::read(&path)
                        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                    Some(base64::engine::general_purpose::STANDARD.encode(bytes))
                }
                (None, true) => None,
                (None, false) => current.logo_base64,
            };
            let saved = save_office_settings(
                desk,
                OfficeInput {
                    name: name.unwrap_or(current.name),
                    logo_base64,
                    output_folder: folder,
                },
            )
            .await
            .map_err(coded)?;
            print(&saved);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print(office: &sesame_service::OfficeSettings) {
    let name = if office.name.is_empty() {
        "(none: badges print \"Sésame\")"
    } else {
        &office.name
    };
    println!("office:        {name}");
    println!(
        "logo:          {}",
        if office.logo_base64.is_some() {
            "the office's"
        } else {
            "Sésame's"
        }
    );
    println!(
        "output folder: {}{}",
        office.output_folder.path,
        if office.output_folder.fixed {
            " (set for this computer by its administrator)"
        } else {
            ""
        }
    );
}
