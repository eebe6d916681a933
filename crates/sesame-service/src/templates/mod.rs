//! The badge templates from the settings screen: which ones are in use, adding the
//! office's own file (TOML, checked before anything is saved), going back to the
//! built-in set, and the versions of the set (each save is one; an older one can be
//! restored). The set lives in the queue's database (`template_set.rs`); see
//! crates/sesame-print/TEMPLATES.md for the file format. `designer.rs` is the badge
//! designer's part: a template as a design, its preview, and saving it; `images.rs`
//! the pictures templates name.

mod designer;
mod images;

use std::path::Path;

use serde::{Deserialize, Serialize};
use sesame_store::TemplateVersionSummary;
use ts_rs::TS;

use crate::output_folder::{write_new_file, Destination, ExportedFile};
use crate::template_set::{
    assets_folder, save_template_set, template_set, templates_in_use, TemplatesInUse,
};
use crate::SensitiveAction;
use crate::{Desk, ServiceError};

pub use designer::{
    open_template_design, preview_template_design, save_template_design, DesignPreview,
    DesignPreviewInput, DesignSaveInput, PreviewHolder, TemplateDesignFile,
};
pub use images::{add_template_image, template_images, TemplateImageUpload};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateEntry {
    pub file: String,
    pub category: String,
    /// Every category it prints (`category` is the first).
    pub categories: Vec<String>,
    /// `card` or `day_pass`.
    pub kind: String,
    pub width_mm: f64,
    pub height_mm: f64,
    pub has_back: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateList {
    /// The office's own templates are in use (else the built-in ones).
    pub office_templates: bool,
    /// The version of the set in use; `None` before the office saved any.
    #[ts(type = "number | null")]
    pub version: Option<i64>,
    /// Where this desk reads the pictures templates name (logo aside).
    pub folder: String,
    pub templates: Vec<TemplateEntry>,
}

/// A template file chosen on the settings screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateUpload {
    /// The chosen file's name, e.g. `staff.toml` (reduced to a safe name).
    pub file_name: String,
    /// Its text (TOML).
    pub content: String,
}

async fn listed(desk: &Desk, in_use: &TemplatesInUse) -> Result<TemplateList, ServiceError> {
    let set = template_set(desk, &in_use.files).await?;
    Ok(TemplateList {
        office_templates: in_use.office,
        version: in_use.version,
        folder: assets_folder(desk).display().to_string(),
        templates: set
            .templates()
            .map(|t| TemplateEntry {
                file: t.file.clone(),
                category: t.category.clone(),
                categories: t.categories.clone(),
                kind: t.kind.as_str().to_owned(),
                width_mm: t.width_mm,
                height_mm: t.height_mm,
                has_back: t.has_back(),
            })
            .collect(),
    })
}

/// The templates in use now.
pub async fn list_templates(desk: &Desk) -> Result<TemplateList, ServiceError> {
    listed(desk, &templates_in_use(desk).await?).await
}

/// A chosen file's name without its folder and extension, reduced to letters,
/// digits, `-` and `_`, so what the desk names after it is always a plain file name.
fn plain_stem(name: &str) -> Result<String, ServiceError> {
    let stem = Path::new(name.trim())
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if stem.is_empty() {
        return Err(ServiceError::TemplateName {
            name: name.to_owned(),
        });
    }
    Ok(stem)
}

/// `staff.toml` stays `staff.toml`; anything else becomes a plain `.toml` name.
fn safe_file_name(name: &str) -> Result<String, ServiceError> {
    Ok(format!("{}.toml", plain_stem(name)?))
}

/// Adds (or replaces) one office template: the set in use with this file is checked
/// whole and saved as a new version; on any refusal nothing changes.
pub async fn install_template(
    desk: &Desk,
    upload: TemplateUpload,
) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    if upload.content.len() as u64 > sesame_print::MAX_TEMPLATE_BYTES {
        return Err(ServiceError::Print(
            sesame_print::PrintError::TemplateTooLarge {
                file: upload.file_name.clone(),
                bytes: upload.content.len() as u64,
                max: sesame_print::MAX_TEMPLATE_BYTES,
            },
        ));
    }
    let file = safe_file_name(&upload.file_name)?;
    let mut files = templates_in_use(desk).await?.files;
    // Checked alone first, so a mistake is reported with its own line.
    let alone = std::collections::BTreeMap::from([(file.clone(), upload.content.clone())]);
    template_set(desk, &alone).await?;
    files.insert(file.clone(), upload.content);
    save_template_set(
        desk,
        &files,
        false,
        &format!("file: {file}"),
        serde_json::json!({ "file": file }),
    )
    .await?;
    list_templates(desk).await
}

/// Goes back to the built-in templates: a new version holding the built-in set (the
/// office's versions stay in the list, and can be restored).
pub async fn restore_builtin_templates(desk: &Desk) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let builtin = sesame_print::TemplateSet::builtin_files();
    save_template_set(desk, &builtin, true, "built-in", serde_json::json!({})).await?;
    list_templates(desk).await
}

/// The versions of the office's template set, newest first.
pub async fn template_versions(desk: &Desk) -> Result<Vec<TemplateVersionSummary>, ServiceError> {
    Ok(desk.store.template_versions().await?)
}

/// Makes an older version the one in use again (saved as the newest version, so the
/// history keeps every step). Checked whole first: a version naming a picture this
/// desk no longer has is refused with the picture's name.
pub async fn restore_template_version(
    desk: &Desk,
    version: i64,
) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let old = desk
        .store
        .template_version(version)
        .await?
        .ok_or(ServiceError::NoTemplateVersion { version })?;
    save_template_set(
        desk,
        &old.files,
        old.builtin,
        &format!("restored: {version}"),
        serde_json::json!({ "restoredFrom": version }),
    )
    .await?;
    list_templates(desk).await
}

/// A template file to write out, for another office or a text editor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateExportInput {
    pub file: String,
    #[serde(skip)]
    #[ts(skip)]
    pub destination: Destination,
}

/// Writes a template of the set in use, as its file (TOML), into the output folder
/// (or where the command line says).
pub async fn export_template(
    desk: &Desk,
    input: TemplateExportInput,
) -> Result<ExportedFile, ServiceError> {
    let file = safe_file_name(&input.file)?;
    let text = templates_in_use(desk)
        .await?
        .files
        .remove(&file)
        .ok_or_else(|| ServiceError::TemplateName { name: file.clone() })?;
    let stem = file.trim_end_matches(".toml");
    write_new_file(desk, &input.destination, stem, "toml", text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_are_plain_file_names() {
        assert_eq!(safe_file_name("staff.toml").unwrap(), "staff.toml");
        assert_eq!(safe_file_name("../../etc/passwd").unwrap(), "passwd.toml");
        assert_eq!(safe_file_name("/tmp/x y.toml").unwrap(), "xy.toml");
        assert!(safe_file_name("...").is_err());
    }
}
