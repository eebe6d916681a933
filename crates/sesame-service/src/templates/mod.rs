//! The badge templates of this desk, from the settings screen: which ones are in
//! use, adding the office's own (TOML, checked before anything is written) and
//! going back to the built-in set. The office's files live in `templates/` in the
//! data directory (see crates/sesame-print/TEMPLATES.md for their format).
//! `designer.rs` is the badge designer's part: a template as a design, its preview,
//! and saving it.

mod designer;

pub use designer::{
    open_template_design, preview_template_design, save_template_design, DesignPreview,
    DesignPreviewInput, DesignSaveInput, PreviewHolder, TemplateDesignFile, TEMPLATE_SAVED,
};

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sesame_print::TemplateSet;
use ts_rs::TS;

use crate::print::desk_templates;
use crate::SensitiveAction;
use crate::{Desk, ServiceError};

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
    /// Where the office's templates live.
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

fn folder(desk: &Desk) -> PathBuf {
    desk.data_dir.join("templates")
}

/// The templates in use now.
pub async fn list_templates(desk: &Desk) -> Result<TemplateList, ServiceError> {
    let dir = folder(desk);
    let set = desk_templates(desk).await?;
    Ok(TemplateList {
        office_templates: dir.is_dir(),
        folder: dir.display().to_string(),
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

/// `staff.toml` stays `staff.toml`; anything else is reduced to letters, digits,
/// `-` and `_`, so a name can never leave the templates folder.
fn safe_file_name(name: &str) -> Result<String, ServiceError> {
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
    Ok(format!("{stem}.toml"))
}

/// Adds (or replaces) one office template. The first one copies the built-in set
/// into the folder, so every category keeps a template. The file is checked on its
/// own and then with the whole set; on any refusal the folder is left as it was.
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
    let dir = folder(desk);
    // Images a template names (logo.png…) are looked up in the folder, so the
    // built-in set is copied there first.
    let seeded = !dir.is_dir();
    if seeded {
        sesame_print::write_default_templates(&dir)?;
    }
    let path = dir.join(&file);
    let previous = std::fs::read(&path).ok();
    let checked = TemplateSet::parse_one(&file, &upload.content, Some(&dir))
        .map_err(ServiceError::from)
        .and_then(|_| write_atomically(&path, upload.content.as_bytes()))
        .and_then(|()| Ok(TemplateSet::load_dir(&dir).map(|_| ())?));
    if let Err(error) = checked {
        // Put back what was there: a refused template never breaks printing.
        match previous {
            Some(bytes) => {
                let _ = write_atomically(&path, &bytes);
            }
            None if !seeded => {
                let _ = std::fs::remove_file(&path);
            }
            None => {}
        }
        if seeded {
            let _ = std::fs::remove_dir_all(&dir);
        }
        return Err(error);
    }
    list_templates(desk).await
}

/// Goes back to the built-in templates. The office's folder is kept aside
/// (renamed with the date), never deleted.
pub async fn restore_builtin_templates(desk: &Desk) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let dir = folder(desk);
    if dir.is_dir() {
        let stamp = desk.clock.local_now().format("%Y%m%d-%H%M%S");
        let aside = desk.data_dir.join(format!("templates.replaced-{stamp}"));
        std::fs::rename(&dir, &aside).map_err(|source| ServiceError::TemplateFolder {
            path: dir.display().to_string(),
            source,
        })?;
    }
    list_templates(desk).await
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ServiceError> {
    let failed = |source| ServiceError::TemplateFolder {
        path: path.display().to_string(),
        source,
    };
    let temp = path.with_extension("toml.part");
    std::fs::write(&temp, bytes).map_err(failed)?;
    std::fs::rename(&temp, path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_cannot_leave_the_folder() {
        assert_eq!(safe_file_name("staff.toml").unwrap(), "staff.toml");
        assert_eq!(safe_file_name("../../etc/passwd").unwrap(), "passwd.toml");
        assert_eq!(safe_file_name("/tmp/x y.toml").unwrap(), "xy.toml");
        assert!(safe_file_name("...").is_err());
    }
}
