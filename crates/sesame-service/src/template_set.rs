//! The office's badge templates as the desk prints with them: the newest version
//! of the set kept in the queue's database (so every desk of a shared queue prints
//! the same cards), and saving a new version, checked whole first.
//!
//! Before an office saved any version, a desk prints with its own `templates/`
//! folder when it has one (how templates were kept before: that folder's files become
//! the first version at the first save), else with the built-in set. The folder also
//! holds the pictures templates name (`image` elements), next to the office's logo,
//! which lives in the shared settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sesame_print::{ElementType, Office, TemplateDesign, TemplateSet, MAX_TEMPLATE_BYTES};

use crate::{Desk, ServiceError};

/// The template files in use and where they come from.
#[derive(Debug, Clone)]
pub(crate) struct TemplatesInUse {
    /// File name → text (TOML).
    pub files: BTreeMap<String, String>,
    /// The version of the set in the queue's database; `None` before the first save.
    pub version: Option<i64>,
    /// The office's own set, not the built-in one.
    pub office: bool,
}

/// Where the pictures templates name are read from.
pub(crate) fn assets_folder(desk: &Desk) -> PathBuf {
    desk.data_dir.join("templates")
}

/// [`assets_folder`] when this desk has one: where a design's pictures not in the
/// queue are read from (else the built-in ones).
pub(crate) fn assets_dir(desk: &Desk) -> Option<PathBuf> {
    let dir = assets_folder(desk);
    dir.is_dir().then_some(dir)
}

pub(crate) async fn templates_in_use(desk: &Desk) -> Result<TemplatesInUse, ServiceError> {
    if let Some(latest) = desk.store.latest_templates().await? {
        return Ok(TemplatesInUse {
            files: latest.files,
            version: Some(latest.version),
            office: !latest.builtin,
        });
    }
    if let Some(dir) = assets_dir(desk) {
        return Ok(TemplatesInUse {
            files: read_folder(&dir)?,
            version: None,
            office: true,
        });
    }
    Ok(TemplatesInUse {
        files: TemplateSet::builtin_files(),
        version: None,
        office: false,
    })
}

/// The `*.toml` files of a desk's own template folder.
fn read_folder(dir: &Path) -> Result<BTreeMap<String, String>, ServiceError> {
    let unreadable = |path: &Path, source| ServiceError::TemplateFolder {
        path: path.display().to_string(),
        source,
    };
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let path = entry.map_err(|e| unreadable(dir, e))?.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let size = std::fs::metadata(&path)
            .map_err(|e| unreadable(&path, e))?
            .len();
        if size > MAX_TEMPLATE_BYTES {
            return Err(ServiceError::Print(
                sesame_print::PrintError::TemplateTooLarge {
                    file: path.display().to_string(),
                    bytes: size,
                    max: MAX_TEMPLATE_BYTES,
                },
            ));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        files.insert(name.into_owned(), text);
    }
    Ok(files)
}

/// The pictures the designs' `image` elements name.
fn image_names<'a>(designs: impl IntoIterator<Item = &'a TemplateDesign>) -> Vec<String> {
    let mut names: Vec<String> = designs
        .into_iter()
        .flat_map(|d| d.front.iter().chain(&d.back))
        .filter(|e| e.kind == ElementType::Image)
        .filter_map(|e| e.file.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The office as its templates print it (name, logo, categories), with the pictures
/// `designs` name from the queue's database.
pub(crate) async fn office_for<'a>(
    desk: &Desk,
    designs: impl IntoIterator<Item = &'a TemplateDesign>,
) -> Result<Office, ServiceError> {
    let mut office = crate::office::print_office(desk).await?;
    let names = image_names(designs);
    if !names.is_empty() {
        office.images = desk
            .store
            .template_images(&names)
            .await?
            .into_iter()
            .map(|(name, bytes)| (name, bytes.into()))
            .collect();
    }
    Ok(office)
}

/// `files` as a set, with the office's name, logo, categories and pictures: every
/// template checked, no category printed by two.
pub(crate) async fn template_set(
    desk: &Desk,
    files: &BTreeMap<String, String>,
) -> Result<TemplateSet, ServiceError> {
    // A file that does not parse is reported by the set's own check, with its line.
    let designs: Vec<TemplateDesign> = files
        .iter()
        .filter_map(|(name, text)| TemplateDesign::from_toml(name, text).ok())
        .collect();
    let office = office_for(desk, &designs).await?;
    Ok(TemplateSet::from_files(
        files,
        assets_dir(desk).as_deref(),
        &office,
    )?)
}

/// The templates of this desk, with the office's name and logo.
pub async fn desk_templates(desk: &Desk) -> Result<TemplateSet, ServiceError> {
    Ok(desk_templates_in_use(desk).await?.0)
}

/// [`desk_templates`] and the version of the set (what a print run records).
pub(crate) async fn desk_templates_in_use(
    desk: &Desk,
) -> Result<(TemplateSet, Option<i64>), ServiceError> {
    let in_use = templates_in_use(desk).await?;
    Ok((template_set(desk, &in_use.files).await?, in_use.version))
}

/// Saves `files` as the office's newest set, after checking them whole (a refused set
/// saves nothing). Audited with `details`.
pub(crate) async fn save_template_set(
    desk: &Desk,
    files: &BTreeMap<String, String>,
    builtin: bool,
    note: &str,
    details: serde_json::Value,
) -> Result<i64, ServiceError> {
    template_set(desk, files).await?;
    Ok(desk
        .store
        .save_templates(files, builtin, note, details, &desk.actor()?)
        .await?)
}
