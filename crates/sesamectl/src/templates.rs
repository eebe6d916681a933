//! `sesamectl templates`: the office's badge templates, as Settings › Badge templates
//! shows and changes them: the set in use, its versions, a file exported or added,
//! an older version or the built-in set put back.

use std::path::PathBuf;
use std::process::ExitCode;

use sesame_service::{
    add_template_image, export_template, install_template, list_templates,
    restore_builtin_templates, restore_template_version, template_images, template_versions, Desk,
    Destination, FileBytes, TemplateExportInput, TemplateImageUpload, TemplateList, TemplateUpload,
};

use crate::output::coded;

#[derive(Debug, clap::Subcommand)]
pub enum TemplatesCommand {
    /// The templates in use: file, categories, kind, and the set's version.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The versions of the set, newest first.
    Versions {
        #[arg(long)]
        json: bool,
    },
    /// Writes one template FILE (e.g. staff.toml) out, to share it with another office.
    Export {
        file: String,
        /// Where to write it (default: the output folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Adds or replaces a template from a TOML file, checked with the whole set first
    /// (a supervisor's change, saved as a new version).
    Import { path: PathBuf },
    /// Puts an older VERSION back in use (saved as a new version).
    Restore { version: i64 },
    /// Goes back to the built-in templates (saved as a new version).
    Builtin,
    /// Adds a picture (PNG or JPEG) templates may name in an `image` element; a name
    /// always keeps its picture.
    Image { path: PathBuf },
    /// The pictures templates may name.
    Images {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(desk: &Desk, cmd: TemplatesCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TemplatesCommand::List { json } => {
            let list = list_templates(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                print(&list);
            }
        }
        TemplatesCommand::Versions { json } => {
            let versions = template_versions(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&versions)?);
            } else {
                for v in versions {
                    println!(
                        "{:>4}  {}  {:<16} {}",
                        v.version,
                        v.saved_at.format("%Y-%m-%d %H:%M"),
                        v.saved_by,
                        v.note
                    );
                }
            }
        }
        TemplatesCommand::Export { file, out } => {
            let input = TemplateExportInput {
                file,
                destination: out.map(Destination::Path).unwrap_or_default(),
            };
            let written = export_template(desk, input).await.map_err(coded)?;
            println!("{}", written.path);
        }
        TemplatesCommand::Import { path } => {
            let content = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let upload = TemplateUpload { file_name, content };
            print(&install_template(desk, upload).await.map_err(coded)?);
        }
        TemplatesCommand::Restore { version } => {
            print(
                &restore_template_version(desk, version)
                    .await
                    .map_err(coded)?,
            );
        }
        TemplatesCommand::Builtin => {
            print(&restore_builtin_templates(desk).await.map_err(coded)?);
        }
        TemplatesCommand::Image { path } => {
            let bytes = std::fs::read(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let upload = TemplateImageUpload {
                name,
                content: FileBytes::from(bytes),
            };
            print_images(&add_template_image(desk, upload).await.map_err(coded)?);
        }
        TemplatesCommand::Images { json } => {
            let images = template_images(desk).await.map_err(coded)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&images)?);
            } else {
                print_images(&images);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print(list: &TemplateList) {
    match (list.office_templates, list.version) {
        (true, Some(v)) => println!("the office's templates, version {v}"),
        (true, None) => println!("this desk's template folder (not yet saved as a version)"),
        (false, Some(v)) => println!("the built-in templates, version {v}"),
        (false, None) => println!("the built-in templates"),
    }
    for t in &list.templates {
        println!("  {:<24} {:<9} {}", t.file, t.kind, t.categories.join(", "));
    }
}

fn print_images(images: &[sesame_service::TemplateImageInfo]) {
    for image in images {
        println!(
            "  {:<24} {:>9} bytes  {}",
            image.name,
            image.bytes,
            image.saved_at.format("%Y-%m-%d")
        );
    }
}
