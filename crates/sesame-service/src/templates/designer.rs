//! The badge designer's side of the templates: opening one as a design, rendering
//! the design being edited with the real PDF engine, and saving it as the office's
//! template file (a supervisor's action, audited).
//!
//! A design may print several categories (`category = ["staff", "contractor"]`).
//! Saving it takes those categories from the other templates of its kind (their
//! `category` line is rewritten, their comments kept); a template left with none is
//! set aside as `<file>.replaced-<time>`, never deleted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};
use sesame_core::AuditEntity;
use sesame_print::samples::{sample_card, sample_photo};
use sesame_print::{
    BadgeCard, DayPassLayout, Layout, Locale, PrinterProfile, TemplateDesign, TemplateKind,
    TemplateSet,
};
use sesame_store::AuditEvent;
use ts_rs::TS;

use super::{folder, list_templates, safe_file_name, write_atomically, TemplateList};
use crate::print::{preview_card, PrintWarningCode};
use crate::{Desk, RequestId, SensitiveAction, ServiceError};

/// The audit action of a template saved from the designer.
pub const TEMPLATE_SAVED: &str = "template_saved";

/// A template opened in the designer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDesignFile {
    pub file: String,
    /// The design, with the keys of the template file (TEMPLATES.md).
    pub design: TemplateDesign,
    /// The template file's text, for exporting it to another office.
    pub text: String,
}

/// Whose card the designer's preview shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PreviewHolder {
    /// A made-up holder of this category, with a drawn face.
    Sample { category: String },
    /// A request of the queue (approved or printed), as the print preview shows it.
    Request { id: RequestId },
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DesignPreviewInput {
    pub file: String,
    pub design: TemplateDesign,
    pub holder: PreviewHolder,
    #[serde(default)]
    pub locale: Locale,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DesignPreview {
    /// The card's sides as a card printer gets them (front, then back).
    pub pdf_base64: String,
    pub page_count: u32,
    /// Why the chosen request could not be shown (a sample holder is shown instead).
    pub request_left_out: Option<PrintWarningCode>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DesignSaveInput {
    pub file: String,
    pub design: TemplateDesign,
}

/// Opens a template of the set in use (the office's file, or the built-in one).
pub async fn open_template_design(
    desk: &Desk,
    file: String,
) -> Result<TemplateDesignFile, ServiceError> {
    let file = safe_file_name(&file)?;
    let dir = folder(desk);
    let text = if dir.is_dir() {
        let path = dir.join(&file);
        std::fs::read_to_string(&path).map_err(|source| ServiceError::TemplateFolder {
            path: path.display().to_string(),
            source,
        })?
    } else {
        TemplateSet::builtin_text(&file)
            .ok_or_else(|| ServiceError::TemplateName { name: file.clone() })?
            .to_owned()
    };
    Ok(TemplateDesignFile {
        design: TemplateDesign::from_toml(&file, &text)?,
        file,
        text,
    })
}

/// Renders the design being edited, as it would print, without saving anything.
pub async fn preview_template_design(
    desk: &Desk,
    input: DesignPreviewInput,
) -> Result<DesignPreview, ServiceError> {
    let file = safe_file_name(&input.file)?;
    let office = crate::office::print_office(desk).await?;
    let dir = folder(desk);
    let assets = dir.is_dir().then_some(dir.as_path());
    let template = TemplateSet::parse_design(&file, &input.design, assets, &office)?;
    let served = template.categories.clone();
    let kind = template.kind;
    let sample = |category: &str| {
        let mut card = sample_card(
            "B-2026-000123",
            "Martin-Lefèvre",
            "Anne-Sophie",
            category,
            Some(sample_photo(300, 400, 7, 88)),
        );
        card.host = Some("Amélie Durand".into());
        card
    };
    let (mut card, request_left_out): (BadgeCard, _) = match &input.holder {
        PreviewHolder::Sample { category } => (sample(category), None),
        PreviewHolder::Request { id } => match preview_card(desk, id).await? {
            Ok(card) => (card, None),
            Err(code) => (sample(&served[0]), Some(code)),
        },
    };
    // The design alone is the set: a card of a category it does not print is shown
    // as its first category's.
    if !served.contains(&card.category) {
        card.category = served[0].clone();
    }
    let layout = match kind {
        TemplateKind::Card => Layout::CardPrinter,
        TemplateKind::DayPass => Layout::DayPass(DayPassLayout::default()),
    };
    let pages = if template.has_back() { 2 } else { 1 };
    let set = TemplateSet::from_templates(vec![template])?;
    let pdf = sesame_print::render_pdf(
        &[card],
        &set,
        &layout,
        &PrinterProfile::default(),
        input.locale,
    )?;
    Ok(DesignPreview {
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(pdf),
        page_count: pages,
        request_left_out,
    })
}

/// Saves the design as the office's template `file` (the first save copies the
/// built-in set into the office's folder). The design, the categories it takes from
/// other templates and the whole set are checked before anything is kept; on any
/// refusal the folder is put back as it was.
pub async fn save_template_design(
    desk: &Desk,
    input: DesignSaveInput,
) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let file = safe_file_name(&input.file)?;
    let office = crate::office::print_office(desk).await?;
    let dir = folder(desk);
    let seeded = !dir.is_dir();
    if seeded {
        sesame_print::write_default_templates(&dir)?;
    }
    let names_before = names(&dir);
    let before = snapshot(&dir)?;
    let outcome = save_into(desk, &dir, &file, &input.design, &office).await;
    match outcome {
        Ok(details) => {
            desk.store
                .record_audit_events(
                    &desk.actor()?,
                    vec![AuditEvent {
                        entity: AuditEntity::Settings,
                        entity_id: format!("templates/{file}"),
                        request_id: None,
                        action: TEMPLATE_SAVED,
                        details,
                    }],
                )
                .await?;
            list_templates(desk).await
        }
        Err(error) => {
            if seeded {
                let _ = std::fs::remove_dir_all(&dir);
            } else {
                restore(&dir, &names_before, &before);
            }
            Err(error)
        }
    }
}

async fn save_into(
    desk: &Desk,
    dir: &Path,
    file: &str,
    design: &TemplateDesign,
    office: &sesame_print::Office,
) -> Result<serde_json::Value, ServiceError> {
    let template = TemplateSet::parse_design(file, design, Some(dir), office)?;
    let mut taken_from = BTreeMap::new();
    let mut set_aside = Vec::new();
    for (other, text) in snapshot(dir)? {
        if other == file {
            continue;
        }
        let Ok(other_design) = TemplateDesign::from_toml(&other, &text) else {
            continue; // the whole set's check below names it
        };
        if other_design.template.kind.unwrap_or_default() != template.kind {
            continue;
        }
        let theirs = other_design.template.category.keys();
        let kept: Vec<String> = theirs
            .iter()
            .filter(|c| !template.categories.contains(&c.trim().to_lowercase()))
            .cloned()
            .collect();
        if kept.len() == theirs.len() {
            continue;
        }
        let path = dir.join(&other);
        if kept.is_empty() {
            let stamp = desk.clock.local_now().format("%Y%m%d-%H%M%S");
            let aside = dir.join(format!("{other}.replaced-{stamp}"));
            std::fs::rename(&path, &aside).map_err(|source| ServiceError::TemplateFolder {
                path: path.display().to_string(),
                source,
            })?;
            set_aside.push(other.clone());
        } else {
            write_atomically(&path, with_categories(&other, &text, &kept)?.as_bytes())?;
        }
        taken_from.insert(other, theirs);
    }
    write_atomically(&dir.join(file), design.to_toml().as_bytes())?;
    TemplateSet::load_dir_for(dir, office)?;
    Ok(serde_json::json!({
        "file": file,
        "categories": template.categories,
        "takenFrom": taken_from,
        "setAside": set_aside,
    }))
}

/// The template file's text with its `[template]` `category` replaced, its
/// comments and layout kept.
fn with_categories(file: &str, text: &str, keys: &[String]) -> Result<String, ServiceError> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        sesame_print::PrintError::TemplateSyntax {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: e.to_string(),
        }
    })?;
    let value = match keys {
        [one] => toml_edit::value(one.as_str()),
        many => toml_edit::value(
            many.iter()
                .map(String::as_str)
                .collect::<toml_edit::Array>(),
        ),
    };
    doc["template"]["category"] = value;
    Ok(doc.to_string())
}

/// The `*.toml` files of the folder and their text.
fn snapshot(dir: &Path) -> Result<Vec<(String, String)>, ServiceError> {
    let unreadable = |path: &Path, source| ServiceError::TemplateFolder {
        path: path.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let path: PathBuf = entry.map_err(|e| unreadable(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            files.push((name.into_owned(), text));
        }
    }
    files.sort();
    Ok(files)
}

/// Every file name in the folder (the images and the files set aside too).
fn names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Puts the folder back as it was before a refused save: files it added (a file set
/// aside, a new template) go, the template files get their text back.
fn restore(dir: &Path, names_before: &[String], before: &[(String, String)]) {
    for name in names(dir) {
        if !names_before.contains(&name) {
            let _ = std::fs::remove_file(dir.join(&name));
        }
    }
    for (name, text) in before {
        let _ = write_atomically(&dir.join(name), text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_line_is_rewritten_with_the_comments_kept() {
        let text = "# Staff badge.\n[template]\ncategory = \"staff\" # who\nlabel = \"x\"\n";
        let one = with_categories("a.toml", text, &["student".into()]).unwrap();
        assert!(one.starts_with("# Staff badge.\n"), "{one}");
        assert!(one.contains("category = \"student\""), "{one}");
        let two = with_categories("a.toml", text, &["a".into(), "b".into()]).unwrap();
        assert!(two.contains("category = [\"a\", \"b\"]"), "{two}");
    }
}
