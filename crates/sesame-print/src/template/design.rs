//! The template as written, before validation: the TOML file's structure, which is
//! also what the designer screen edits (the same keys travel as JSON), so a design
//! saved from the screen is a file an office could have written by hand.

use serde::{Deserialize, Serialize};
use toml::Spanned;
use ts_rs::TS;

use crate::dates::DateStyle;

/// The file as parsed, with each table's place in the text for error messages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub template: Spanned<DesignHeader>,
    #[serde(default)]
    pub front: Vec<Spanned<DesignElement>>,
    #[serde(default)]
    pub back: Vec<Spanned<DesignElement>>,
}

/// A whole template as the designer edits it: the `[template]` table and the
/// elements of each side, drawn in order (the last on top).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateDesign {
    pub template: DesignHeader,
    #[serde(default)]
    pub front: Vec<DesignElement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub back: Vec<DesignElement>,
}

/// The `[template]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DesignHeader {
    /// The category it prints, or several (`["staff", "contractor"]`): one design
    /// for several categories tells them apart with conditional elements.
    pub category: Categories,
    /// `card` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<TemplateKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub orientation: Option<Orientation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label: Option<LocalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub colour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub width_mm: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub height_mm: Option<f64>,
}

/// One category (`"staff"`) or several (`["staff", "contractor"]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Categories {
    One(String),
    Many(Vec<String>),
}

impl Categories {
    pub fn keys(&self) -> Vec<String> {
        match self {
            Categories::One(key) => vec![key.clone()],
            Categories::Many(keys) => keys.clone(),
        }
    }
}

/// When a conditional element is drawn: `when = { field = "category", is = ["contractor"] }`
/// (or `is_not`). Values are compared without regard to case or surrounding spaces;
/// `category` compares the category's key (`contractor`), not its printed label;
/// `zones` holds when the badge opens any zone listed (`is_not`: none of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: Field,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub is: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub is_not: Option<Vec<String>>,
}

/// What a template prints: a CR80 card, or a day pass (A6 or label).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

/// A text in one language for all, or per locale (`{ fr = "...", en = "..." }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum LocalText {
    Same(String),
    PerLocale {
        fr: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        en: Option<String>,
    },
}

/// A data field of the badge a text, QR code or barcode shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
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
    /// The zones the badge opens, separated by commas; in a condition, `is` holds
    /// when the badge opens any zone listed (the car park: its icon).
    Zones,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A text's typeface (both embedded, cover every Latin script).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FontFamily {
    /// DejaVu Sans.
    #[default]
    Sans,
    /// DejaVu Serif.
    Serif,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    #[default]
    Top,
    Middle,
    Bottom,
}

/// The kinds of element a side can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ElementType {
    Rect,
    Text,
    Photo,
    Qr,
    /// Code 128.
    Barcode,
    /// Data Matrix (ECC 200), square.
    Datamatrix,
    /// PDF417, a stacked code in a box (as ID cards and boarding passes carry).
    Pdf417,
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
            ElementType::Datamatrix => "datamatrix",
            ElementType::Pdf417 => "pdf417",
            ElementType::Image => "image",
        }
    }

    /// The keys an element of this type accepts besides `type` and `when`.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            ElementType::Rect => &["x", "y", "width", "height", "colour", "corner_radius"],
            ElementType::Photo => &[
                "x",
                "y",
                "width",
                "height",
                "corner_radius",
                "border_width",
                "border_colour",
            ],
            ElementType::Qr | ElementType::Datamatrix => {
                &["x", "y", "size", "field", "fields", "separator", "colour"]
            }
            ElementType::Barcode | ElementType::Pdf417 => &[
                "x",
                "y",
                "width",
                "height",
                "field",
                "fields",
                "separator",
                "colour",
            ],
            ElementType::Image => &["x", "y", "width", "height", "file"],
            ElementType::Text => &[
                "x",
                "y",
                "width",
                "height",
                "field",
                "text",
                "prefix",
                "font",
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DesignElement {
    #[serde(rename = "type")]
    pub kind: ElementType,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub x: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub y: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub height: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub size: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub colour: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub corner_radius: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<Field>,
    /// A code holding several fields, joined by `separator` (default `;`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<Field>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub separator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<LocalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub prefix: Option<LocalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub font: Option<FontFamily>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub font_size: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_font_size: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max_lines: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub bold: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uppercase: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub align: Option<Align>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valign: Option<VAlign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub date_style: Option<DateStyle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub file: Option<String>,
    /// A photo's frame: its width in mm, inside the photo's box, and its colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub border_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub border_colour: Option<String>,
    /// Drawn only when the badge matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub when: Option<Condition>,
}

impl DesignElement {
    /// An element of `kind` with no key set yet.
    pub fn of(kind: ElementType) -> DesignElement {
        DesignElement {
            kind,
            x: None,
            y: None,
            width: None,
            height: None,
            size: None,
            colour: None,
            corner_radius: None,
            field: None,
            fields: None,
            separator: None,
            text: None,
            prefix: None,
            font: None,
            font_size: None,
            min_font_size: None,
            max_lines: None,
            bold: None,
            uppercase: None,
            align: None,
            valign: None,
            date_style: None,
            file: None,
            border_width: None,
            border_colour: None,
            when: None,
        }
    }

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
        add(self.fields.is_some(), "fields");
        add(self.separator.is_some(), "separator");
        add(self.text.is_some(), "text");
        add(self.prefix.is_some(), "prefix");
        add(self.font.is_some(), "font");
        add(self.font_size.is_some(), "font_size");
        add(self.min_font_size.is_some(), "min_font_size");
        add(self.max_lines.is_some(), "max_lines");
        add(self.bold.is_some(), "bold");
        add(self.uppercase.is_some(), "uppercase");
        add(self.align.is_some(), "align");
        add(self.valign.is_some(), "valign");
        add(self.date_style.is_some(), "date_style");
        add(self.file.is_some(), "file");
        add(self.border_width.is_some(), "border_width");
        add(self.border_colour.is_some(), "border_colour");
        keys
    }
}
