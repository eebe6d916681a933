//! The template file as written (TOML), before validation.

use serde::Deserialize;
use toml::Spanned;

use crate::dates::DateStyle;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub template: Spanned<RawHeader>,
    #[serde(default)]
    pub front: Vec<Spanned<RawElement>>,
    #[serde(default)]
    pub back: Vec<Spanned<RawElement>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub category: String,
    #[serde(default)]
    pub kind: TemplateKind,
    pub orientation: Option<Orientation>,
    pub label: Option<LocalText>,
    pub colour: Option<String>,
    pub width_mm: Option<f64>,
    pub height_mm: Option<f64>,
}

/// What a template prints: a CR80 card, or a day pass (A6 or label).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    #[default]
    Card,
    DayPass,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Card => "card",
            TemplateKind::DayPass => "day_pass",
        }
    }
}

/// How a card is held: landscape (85.6 mm wide) or portrait (53.98 mm wide).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

/// A text in one language for all, or per locale (`{ fr = "...", en = "..." }`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum LocalText {
    Same(String),
    PerLocale { fr: String, en: Option<String> },
}

/// A data field of the badge a text, QR code or barcode shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FamilyName,
    GivenNames,
    /// Given names then family name, on one text.
    FullName,
    Role,
    Organisation,
    /// The template's `label` (e.g. "Personnel"/"Staff").
    Category,
    BadgeNumber,
    ValidFrom,
    ValidUntil,
    /// "valid_from – valid_until".
    Validity,
    Host,
    /// The office's name, as given at the desk's first start (else "Sésame").
    OfficeName,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    #[default]
    Top,
    Middle,
    Bottom,
}

/// The kinds of element a side can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum ElementType {
    Rect,
    Text,
    Photo,
    Qr,
    Barcode,
    Image,
}

impl ElementType {
    pub fn name(self) -> &'static str {
        match self {
            ElementType::Rect => "rect",
            ElementType::Text => "text",
            ElementType::Photo => "photo",
            ElementType::Qr => "qr",
            ElementType::Barcode => "barcode",
            ElementType::Image => "image",
        }
    }

    /// The keys an element of this type accepts besides `type`.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            ElementType::Rect => &["x", "y", "width", "height", "colour", "corner_radius"],
            ElementType::Photo => &["x", "y", "width", "height", "corner_radius"],
            ElementType::Qr => &["x", "y", "size", "field", "colour"],
            ElementType::Barcode => &["x", "y", "width", "height", "field", "colour"],
            ElementType::Image => &["x", "y", "width", "height", "file"],
            ElementType::Text => &[
                "x",
                "y",
                "width",
                "height",
                "field",
                "text",
                "prefix",
                "font_size",
                "min_font_size",
                "max_lines",
                "bold",
                "uppercase",
                "align",
                "valign",
                "colour",
                "date_style",
            ],
        }
    }
}

/// One `[[front]]`/`[[back]]` table. Flat rather than a tagged enum so that serde
/// reports a misspelt key or a wrong value on its own line; which keys apply to
/// which `type` is checked afterwards.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawElement {
    #[serde(rename = "type")]
    pub kind: ElementType,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub size: Option<f64>,
    pub colour: Option<String>,
    pub corner_radius: Option<f64>,
    pub field: Option<Field>,
    pub text: Option<LocalText>,
    pub prefix: Option<LocalText>,
    pub font_size: Option<f64>,
    pub min_font_size: Option<f64>,
    pub max_lines: Option<u32>,
    pub bold: Option<bool>,
    pub uppercase: Option<bool>,
    pub align: Option<Align>,
    pub valign: Option<VAlign>,
    pub date_style: Option<DateStyle>,
    pub file: Option<String>,
}

impl RawElement {
    /// The keys this table sets, for checking them against its type.
    pub fn keys_set(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let mut add = |set: bool, key: &'static str| {
            if set {
                keys.push(key)
            }
        };
        add(self.x.is_some(), "x");
        add(self.y.is_some(), "y");
        add(self.width.is_some(), "width");
        add(self.height.is_some(), "height");
        add(self.size.is_some(), "size");
        add(self.colour.is_some(), "colour");
        add(self.corner_radius.is_some(), "corner_radius");
        add(self.field.is_some(), "field");
        add(self.text.is_some(), "text");
        add(self.prefix.is_some(), "prefix");
        add(self.font_size.is_some(), "font_size");
        add(self.min_font_size.is_some(), "min_font_size");
        add(self.max_lines.is_some(), "max_lines");
        add(self.bold.is_some(), "bold");
        add(self.uppercase.is_some(), "uppercase");
        add(self.align.is_some(), "align");
        add(self.valign.is_some(), "valign");
        add(self.date_style.is_some(), "date_style");
        add(self.file.is_some(), "file");
        keys
    }
}
