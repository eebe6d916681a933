//! The badge designer's side of the templates: opening one as a design, rendering
//! the design being edited with the real PDF engine, and saving it as the office's
//! template file (a supervisor's action, audited).
//!
//! A design may print several categories (`category = ["staff", "contractor"]`).
//! Saving it takes those categories from the other templates of its kind (their
//! `category` line is rewritten, their comments kept); a template left with none
//! leaves the set (it stays in the earlier versions). The whole set is one new
//! version, checked whole first.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};
use sesame_print::samples::{sample_card, sample_photo};
use sesame_print::{
    BadgeCard, DayPassLayout, Layout, Locale, PrinterProfile, TemplateDesign, TemplateKind,
    TemplateSet,
};
use ts_rs::TS;

use super::{list_templates, safe_file_name, TemplateList};
use crate::print::{preview_card, PrintWarningCode};
use crate::template_set::{assets_dir, office_for, save_template_set, templates_in_use};
use crate::{Desk, RequestId, SensitiveAction, ServiceError};

/// A template opened in the designer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateDesignFile {
    pub file: String,
    /// The design, with the keys of the template file (TEMPLATES.md).
    pub design: TemplateDesign,
    /// The template file's text as the office's set keeps it.
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

/// Opens a template of the set in use.
pub async fn open_template_design(
    desk: &Desk,
    file: String,
) -> Result<TemplateDesignFile, ServiceError> {
    let file = safe_file_name(&file)?;
    let text = templates_in_use(desk)
        .await?
        .files
        .remove(&file)
        .ok_or_else(|| ServiceError::TemplateName { name: file.clone() })?;
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
    let office = office_for(desk, [&input.design]).await?;
    let template =
        TemplateSet::parse_design(&file, &input.design, assets_dir(desk).as_deref(), &office)?;
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

/// Saves the design as the office's template `file`: the set in use, with this
/// file and the categories it takes from the others, checked whole and saved as a new
/// version (audited with what it took). On any refusal nothing changes.
pub async fn save_template_design(
    desk: &Desk,
    input: DesignSaveInput,
) -> Result<TemplateList, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "templates")?;
    let file = safe_file_name(&input.file)?;
    let office = office_for(desk, [&input.design]).await?;
    let template =
        TemplateSet::parse_design(&file, &input.design, assets_dir(desk).as_deref(), &office)?;
    let mut files = templates_in_use(desk).await?.files;
    let mut taken_from = BTreeMap::new();
    let mut removed = Vec::new();
    for (other, text) in files.clone() {
        if other == file {
            continue;
        }
        let Ok(other_design) = TemplateDesign::from_toml(&other, &text) else {
            continue; // the whole set's check names it
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
        if kept.is_empty() {
            files.remove(&other);
            removed.push(other.clone());
        } else {
            files.insert(other.clone(), with_categories(&other, &text, &kept)?);
        }
        taken_from.insert(other, theirs);
    }
    files.insert(file.clone(), input.design.to_toml());
    save_template_set(
        desk,
        &files,
        false,
        &format!("designer: {file}"),
        serde_json::json!({
            "file": file,
            "categories": template.categories,
            "takenFrom": taken_from,
            "removed": removed,
        }),
    )
    .await?;
    list_templates(desk).await
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
