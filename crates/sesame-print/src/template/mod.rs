//! Badge templates: one TOML file per category and kind, describing the front and
//! back of the badge. The format is documented in TEMPLATES.md.

mod colour;
mod design;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use colour::Colour;
pub use design::{
    Align, Categories, Condition, DesignElement, DesignHeader, ElementType, Field, FontFamily,
    LocalText, Orientation, TemplateDesign, TemplateKind, VAlign,
};

use crate::dates::DateStyle;
use crate::error::PrintError;
use crate::jpeg::{read_jpeg_info, JpegInfo};
use crate::model::{Locale, CARD_HEIGHT_MM, CARD_WIDTH_MM};
use design::RawFile;

/// The default templates shipped with the crate (also written out by
/// [`write_default_templates`] so an office can start from them).
/// Largest template file read: real ones are a few kilobytes.
pub const MAX_TEMPLATE_BYTES: u64 = 256 * 1024;
/// Largest image a template may embed (a logo, a background), and its pixel count.
pub const MAX_TEMPLATE_IMAGE_BYTES: u64 = 8 * 1024 * 1024;
pub const MAX_TEMPLATE_IMAGE_PIXELS: u64 = 25_000_000;

const BUILTIN_FILES: &[(&str, &str)] = &[
    ("staff.toml", include_str!("../../templates/staff.toml")),
    (
        "contractor.toml",
        include_str!("../../templates/contractor.toml"),
    ),
    ("visitor.toml", include_str!("../../templates/visitor.toml")),
    ("student.toml", include_str!("../../templates/student.toml")),
    ("default.toml", include_str!("../../templates/default.toml")),
    (
        "visitor-day-pass.toml",
        include_str!("../../templates/visitor-day-pass.toml"),
    ),
];
const BUILTIN_ASSETS: &[(&str, &[u8])] =
    &[("logo.png", include_bytes!("../../templates/logo.png"))];

/// A rectangle in millimetres from the top-left corner of the badge side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone)]
pub(crate) enum TextSource {
    Field(Field),
    Fixed(LocalText),
}

#[derive(Debug, Clone)]
pub(crate) struct TextElement {
    pub frame: Frame,
    pub source: TextSource,
    pub prefix: Option<LocalText>,
    pub font: FontFamily,
    pub font_size: f64,
    pub min_font_size: f64,
    pub max_lines: usize,
    pub bold: bool,
    pub uppercase: bool,
    pub align: Align,
    pub valign: VAlign,
    pub colour: Colour,
    pub date_style: DateStyle,
}

#[derive(Debug, Clone)]
pub(crate) enum Element {
    Rect {
        frame: Frame,
        colour: Colour,
        corner_radius: f64,
    },
    Text(TextElement),
    Photo {
        frame: Frame,
        corner_radius: f64,
        /// A frame inside the box: its width in mm and colour.
        border: Option<(f64, Colour)>,
    },
    Code {
        symbology: Symbology,
        frame: Frame,
        content: CodeContent,
        colour: Colour,
    },
    Image {
        frame: Frame,
        asset: usize,
    },
}

/// The kinds of code a badge carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Symbology {
    Qr,
    Code128,
    DataMatrix,
    Pdf417,
}

/// What a code encodes: one field, or several joined by a separator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CodeContent {
    pub fields: Vec<Field>,
    pub separator: String,
}

/// An element and the condition it is drawn under (always when `None`).
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub element: Element,
    pub when: Option<Condition>,
}

/// A logo or other picture a template shows.
#[derive(Debug, Clone)]
pub(crate) enum ImageAsset {
    /// Embedded as is, like the photos.
    Jpeg { bytes: Arc<[u8]>, info: JpegInfo },
    /// Decoded PNG: 8-bit RGB samples, and the alpha channel when not opaque.
    Pixels {
        width: u32,
        height: u32,
        rgb: Vec<u8>,
        alpha: Option<Vec<u8>>,
    },
}

/// One validated template.
#[derive(Debug)]
pub struct Template {
    /// The file it came from, e.g. "staff.toml".
    pub file: String,
    /// The first of `categories` (what lists and messages name it by).
    pub category: String,
    /// Every category it prints (lower case).
    pub categories: Vec<String>,
    pub kind: TemplateKind,
    /// Portrait cards are printed rotated on the landscape card or sheet cell.
    pub orientation: Orientation,
    pub(crate) label: Option<LocalText>,
    /// The design's size, as its coordinates are measured.
    pub width_mm: f64,
    pub height_mm: f64,
    pub(crate) front: Vec<Placed>,
    pub(crate) back: Vec<Placed>,
    pub(crate) images: Vec<ImageAsset>,
    /// What the `office_name` field prints.
    pub(crate) office_name: String,
    /// The printed names of `categories`, from the office's categories.
    pub(crate) category_labels: BTreeMap<String, LocalText>,
}

impl Template {
    pub fn has_back(&self) -> bool {
        !self.back.is_empty()
    }

    /// What the `category` field prints for a card of `category`: the template's
    /// `label` when it prints one category; for a design shared by several, that
    /// category's name among the office's (else the label, else the key).
    pub(crate) fn label(&self, category: &str, locale: Locale) -> String {
        let office_label = self.category_labels.get(category);
        match (&self.label, office_label) {
            (Some(text), _) if self.categories.len() == 1 => text.get(locale).to_string(),
            (_, Some(text)) => text.get(locale).to_string(),
            (Some(text), None) => text.get(locale).to_string(),
            (None, None) => category.to_string(),
        }
    }
}

impl LocalText {
    pub fn get(&self, locale: Locale) -> &str {
        match (self, locale) {
            (LocalText::Same(text), _) => text,
            (LocalText::PerLocale { fr, .. }, Locale::Fr) => fr,
            (LocalText::PerLocale { fr, en }, Locale::En) => en.as_deref().unwrap_or(fr),
        }
    }
}

/// All the templates a print run can use, looked up by category and kind.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    templates: Vec<Arc<Template>>,
}

/// The office the badges belong to, as its templates print it: its name (the
/// `office_name` field) and its logo, which replaces the picture every template
/// names [`OFFICE_LOGO_FILE`] (the built-in ones and an office's own alike).
#[derive(Debug, Clone, Default)]
pub struct Office {
    /// `None` (or blank) prints [`DEFAULT_OFFICE_NAME`].
    pub name: Option<String>,
    /// A PNG or JPEG file's bytes (checked by [`check_office_logo`]).
    pub logo: Option<Arc<[u8]>>,
    /// The office's categories' printed names by key: what the `category` field
    /// prints on a design shared by several categories.
    pub category_labels: BTreeMap<String, LocalText>,
    /// Pictures the office's templates name (`image` elements), by file name: found
    /// before the template folder's and the built-in ones.
    pub images: BTreeMap<String, Arc<[u8]>>,
}

/// The image file name templates give the office's logo.
pub const OFFICE_LOGO_FILE: &str = "logo.png";
/// What `office_name` prints before the office has given its name.
pub const DEFAULT_OFFICE_NAME: &str = "Sésame";

/// Checks that `bytes` is a logo a template can draw (a PNG or JPEG within the
/// template image limits), with the message a template's image would get.
pub fn check_office_logo(bytes: &[u8]) -> Result<(), PrintError> {
    check_template_image(OFFICE_LOGO_FILE, bytes)
}

/// Checks that `bytes` is a picture a template can draw under the name `file`.
pub fn check_template_image(file: &str, bytes: &[u8]) -> Result<(), PrintError> {
    if bytes.len() as u64 > MAX_TEMPLATE_IMAGE_BYTES {
        return Err(PrintError::TemplateImage {
            template: String::new(),
            file: file.into(),
            message: format!(
                "{} bytes is more than the {MAX_TEMPLATE_IMAGE_BYTES} allowed for an image",
                bytes.len()
            ),
        });
    }
    decode_image(bytes.to_vec())
        .map(|_| ())
        .map_err(|message| PrintError::TemplateImage {
            template: String::new(),
            file: file.into(),
            message,
        })
}

/// Where a template's `image` files are read from: the template folder (or the
/// built-in pictures), except the office's logo when it has one.
struct Assets<'a> {
    folder: Option<&'a Path>,
    office: &'a Office,
    /// The office's logo, decoded once for every template of the set that shows it.
    office_logo: Option<ImageAsset>,
}

impl<'a> Assets<'a> {
    fn new(folder: Option<&'a Path>, office: &'a Office) -> Result<Assets<'a>, PrintError> {
        let office_logo =
            match &office.logo {
                Some(bytes) => Some(decode_image(bytes.to_vec()).map_err(|message| {
                    PrintError::TemplateImage {
                        template: String::new(),
                        file: OFFICE_LOGO_FILE.into(),
                        message,
                    }
                })?),
                None => None,
            };
        Ok(Assets {
            folder,
            office,
            office_logo,
        })
    }
}

impl TemplateSet {
    /// The templates shipped with the crate (staff, contractor, visitor, student,
    /// default, and the visitor day pass).
    pub fn builtin() -> TemplateSet {
        Self::builtin_for(&Office::default()).expect("the built-in templates need no logo")
    }

    /// The built-in templates with the office's name and logo (refused when the logo
    /// is no PNG or JPEG a template can draw).
    pub fn builtin_for(office: &Office) -> Result<TemplateSet, PrintError> {
        let assets = Assets::new(None, office)?;
        let templates = BUILTIN_FILES
            .iter()
            .map(|(file, text)| {
                // Shipped files are checked by the tests; a failure here is a build defect.
                parse_template(file, text, &assets)
                    .unwrap_or_else(|e| panic!("built-in template {file}: {e}"))
            })
            .map(Arc::new)
            .collect();
        Ok(TemplateSet { templates })
    }

    /// Reads every `*.toml` file of `dir`; their `image` files are read relative to it.
    pub fn load_dir(dir: &Path) -> Result<TemplateSet, PrintError> {
        Self::load_dir_for(dir, &Office::default())
    }

    /// [`TemplateSet::load_dir`] with the office's name and logo.
    pub fn load_dir_for(dir: &Path, office: &Office) -> Result<TemplateSet, PrintError> {
        let assets = Assets::new(Some(dir), office)?;
        let io = |path: &Path, source| PrintError::TemplateIo {
            path: path.to_path_buf(),
            source,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        let mut templates = Vec::new();
        for path in paths {
            let size = std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
            if size > MAX_TEMPLATE_BYTES {
                return Err(PrintError::TemplateTooLarge {
                    file: path.display().to_string(),
                    bytes: size,
                    max: MAX_TEMPLATE_BYTES,
                });
            }
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            templates.push(parse_template(&file, &text, &assets)?);
        }
        TemplateSet::from_templates(templates)
    }

    /// Parses one template from its text (e.g. to validate an office's edit before
    /// saving it). Its images are read relative to `assets_dir`, or from the
    /// built-in assets when `None`.
    pub fn parse_one(
        file: &str,
        text: &str,
        assets_dir: Option<&Path>,
    ) -> Result<Template, PrintError> {
        parse_template(file, text, &Assets::new(assets_dir, &Office::default())?)
    }

    /// Checks a design as [`TemplateSet::load_dir_for`] would read it once saved
    /// (its images from `assets_dir`, or the built-in ones when `None`).
    pub fn parse_design(
        file: &str,
        design: &TemplateDesign,
        assets_dir: Option<&Path>,
        office: &Office,
    ) -> Result<Template, PrintError> {
        parse_template(file, &design.to_toml(), &Assets::new(assets_dir, office)?)
    }

    /// The template files of a set, by name (the office's, as the queue keeps them),
    /// their `image` files read from `assets_dir` (or the built-in ones when `None`).
    pub fn from_files(
        files: &BTreeMap<String, String>,
        assets_dir: Option<&Path>,
        office: &Office,
    ) -> Result<TemplateSet, PrintError> {
        let assets = Assets::new(assets_dir, office)?;
        let templates = files
            .iter()
            .map(|(file, text)| parse_template(file, text, &assets))
            .collect::<Result<Vec<_>, _>>()?;
        TemplateSet::from_templates(templates)
    }

    /// The built-in template files, by name.
    pub fn builtin_files() -> BTreeMap<String, String> {
        BUILTIN_FILES
            .iter()
            .map(|(file, text)| (file.to_string(), text.to_string()))
            .collect()
    }

    /// The text of a built-in template file, if `file` is one.
    pub fn builtin_text(file: &str) -> Option<&'static str> {
        BUILTIN_FILES
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, text)| *text)
    }

    /// Builds a set, refusing two templates for the same category and kind.
    pub fn from_templates(templates: Vec<Template>) -> Result<TemplateSet, PrintError> {
        let mut seen: BTreeMap<(String, TemplateKind), String> = BTreeMap::new();
        for t in &templates {
            for category in &t.categories {
                if let Some(first) = seen.insert((category.clone(), t.kind), t.file.clone()) {
                    return Err(PrintError::DuplicateTemplate {
                        category: category.clone(),
                        kind: t.kind.as_str(),
                        first,
                        second: t.file.clone(),
                    });
                }
            }
        }
        Ok(TemplateSet {
            templates: templates.into_iter().map(Arc::new).collect(),
        })
    }

    pub fn templates(&self) -> impl Iterator<Item = &Template> {
        self.templates.iter().map(|t| t.as_ref())
    }

    /// The template for a category, else the "default" one.
    pub fn find(&self, category: &str, kind: TemplateKind) -> Option<&Arc<Template>> {
        let exact = self
            .templates
            .iter()
            .find(|t| t.kind == kind && t.categories.iter().any(|c| c == category));
        exact.or_else(|| {
            self.templates
                .iter()
                .find(|t| t.kind == kind && t.categories.iter().any(|c| c == "default"))
        })
    }
}

/// Copies the default templates and their images into `dir` (creating it), leaving
/// files that already exist untouched. Returns the files written.
pub fn write_default_templates(dir: &Path) -> Result<Vec<PathBuf>, PrintError> {
    let io = |path: &Path, source| PrintError::TemplateIo {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut written = Vec::new();
    let files = BUILTIN_FILES
        .iter()
        .map(|(name, text)| (*name, text.as_bytes()))
        .chain(BUILTIN_ASSETS.iter().copied());
    for (name, bytes) in files {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Validation context: names the file and turns byte spans into line numbers.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn invalid(&self, span: std::ops::Range<usize>, element: &str, message: String) -> PrintError {
        PrintError::TemplateInvalid {
            file: self.file.to_string(),
            line: self.line_of(span.start),
            element: element.to_string(),
            message,
        }
    }
}

/// A TOML error, with the line and column it points at.
fn syntax_error(file: &str, text: &str, e: toml::de::Error) -> PrintError {
    let (line, column) = match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
            (line, column)
        }
        None => (0, 0),
    };
    PrintError::TemplateSyntax {
        file: file.to_string(),
        line,
        column,
        message: e.message().to_string(),
    }
}

impl TemplateDesign {
    /// Reads a template file's structure for the designer (its values are checked
    /// when it is parsed as a template).
    pub fn from_toml(file: &str, text: &str) -> Result<TemplateDesign, PrintError> {
        if text.len() as u64 > MAX_TEMPLATE_BYTES {
            return Err(PrintError::TemplateTooLarge {
                file: file.to_string(),
                bytes: text.len() as u64,
                max: MAX_TEMPLATE_BYTES,
            });
        }
        toml::from_str(text).map_err(|e| syntax_error(file, text, e))
    }

    /// The design as a template file. Lengths are written to the hundredth of a
    /// millimetre (what a card printer can place), so a nudged element does not
    /// come back as 12.300000000000001.
    pub fn to_toml(&self) -> String {
        let mut design = self.clone();
        for element in design.front.iter_mut().chain(design.back.iter_mut()) {
            for value in [
                &mut element.x,
                &mut element.y,
                &mut element.width,
                &mut element.height,
                &mut element.size,
                &mut element.corner_radius,
                &mut element.font_size,
                &mut element.min_font_size,
            ] {
                if let Some(v) = value.as_mut() {
                    *v = (*v * 100.0).round() / 100.0;
                }
            }
        }
        let body = toml::to_string_pretty(&design).expect("a design serialises to TOML");
        format!("{DESIGN_FILE_HEADER}\n{body}")
    }
}

/// The first lines of a file written by the designer.
const DESIGN_FILE_HEADER: &str = "\
# Saved by Sésame's badge designer. Format: see crates/sesame-print/TEMPLATES.md.
# Units: millimetres from the top-left corner of the card; font sizes in points.
";

fn parse_template(file: &str, text: &str, assets: &Assets) -> Result<Template, PrintError> {
    if text.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(PrintError::TemplateTooLarge {
            file: file.to_string(),
            bytes: text.len() as u64,
            max: MAX_TEMPLATE_BYTES,
        });
    }
    let ctx = Ctx { file, text };
    let raw: RawFile = toml::from_str(text).map_err(|e| syntax_error(file, text, e))?;

    let header_span = raw.template.span();
    let header = raw.template.into_inner();
    let kind = header.kind.unwrap_or_default();
    let mut categories: Vec<String> = Vec::new();
    for key in header.category.keys() {
        let key = key.trim().to_lowercase();
        if key.is_empty() {
            return Err(ctx.invalid(header_span, "[template]", "category is empty".into()));
        }
        if categories.contains(&key) {
            return Err(ctx.invalid(
                header_span,
                "[template]",
                format!("category lists '{key}' twice"),
            ));
        }
        categories.push(key);
    }
    let Some(category) = categories.first().cloned() else {
        return Err(ctx.invalid(header_span, "[template]", "category is empty".into()));
    };
    let (width_mm, height_mm) = match kind {
        TemplateKind::Card => {
            if header.width_mm.is_some() || header.height_mm.is_some() {
                return Err(ctx.invalid(
                    header_span,
                    "[template]",
                    "a card template is always CR80 (85.6 × 53.98 mm): remove width_mm/height_mm"
                        .into(),
                ));
            }
            match header.orientation.unwrap_or_default() {
                Orientation::Landscape => (CARD_WIDTH_MM, CARD_HEIGHT_MM),
                Orientation::Portrait => (CARD_HEIGHT_MM, CARD_WIDTH_MM),
            }
        }
        TemplateKind::DayPass if header.orientation.is_some() => {
            return Err(ctx.invalid(
                header_span,
                "[template]",
                "a day_pass template takes width_mm and height_mm, not orientation".into(),
            ))
        }
        TemplateKind::DayPass => match (header.width_mm, header.height_mm) {
            (Some(w), Some(h)) if w >= 20.0 && h >= 20.0 && w <= 300.0 && h <= 300.0 => (w, h),
            _ => {
                return Err(ctx.invalid(
                    header_span,
                    "[template]",
                    "a day_pass template needs width_mm and height_mm between 20 and 300".into(),
                ))
            }
        },
    };
    let theme = match &header.colour {
        Some(c) => Colour::parse(c)
            .map_err(|m| ctx.invalid(header_span.clone(), "[template]", format!("colour: {m}")))?,
        None => Colour::Rgb(0.3, 0.3, 0.3),
    };

    let mut images: Vec<ImageAsset> = Vec::new();
    let mut image_files: Vec<String> = Vec::new();
    let mut sides = Vec::new();
    for (side_name, side) in [("front", raw.front), ("back", raw.back)] {
        let mut elements = Vec::new();
        for (i, spanned) in side.into_iter().enumerate() {
            let span = spanned.span();
            let element = spanned.into_inner();
            let name = format!("{side_name}[{}] ({})", i + 1, element.kind.name());
            let check = Checker {
                ctx: &ctx,
                span,
                name: &name,
                width_mm,
                height_mm,
            };
            let when = element.when.clone();
            if let Some(condition) = &when {
                check_condition(&check, condition)?;
            }
            let resolved = resolve_element(&check, element, theme, |file| {
                if let Some(pos) = image_files.iter().position(|f| f == file) {
                    return Ok(pos);
                }
                images.push(load_image(file, &ctx, assets)?);
                image_files.push(file.to_string());
                Ok(images.len() - 1)
            })?;
            elements.push(Placed {
                element: resolved,
                when,
            });
        }
        sides.push(elements);
    }
    let back = sides.pop().unwrap_or_default();
    let front = sides.pop().unwrap_or_default();
    if front.is_empty() {
        return Err(ctx.invalid(
            header_span,
            "[template]",
            "the template has no [[front]] element".into(),
        ));
    }
    Ok(Template {
        file: file.to_string(),
        category,
        kind,
        orientation: header.orientation.unwrap_or_default(),
        label: header.label,
        width_mm,
        height_mm,
        front,
        back,
        images,
        office_name: assets
            .office
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(DEFAULT_OFFICE_NAME)
            .to_string(),
        category_labels: assets
            .office
            .category_labels
            .iter()
            .filter(|(key, _)| categories.contains(key))
            .map(|(key, label)| (key.clone(), label.clone()))
            .collect(),
        categories,
    })
}

struct Checker<'a> {
    ctx: &'a Ctx<'a>,
    span: std::ops::Range<usize>,
    name: &'a str,
    width_mm: f64,
    height_mm: f64,
}

impl Checker<'_> {
    fn fail(&self, message: String) -> PrintError {
        self.ctx.invalid(self.span.clone(), self.name, message)
    }

    fn frame(&self, x: f64, y: f64, width: f64, height: f64) -> Result<Frame, PrintError> {
        const SLACK: f64 = 0.01;
        if [x, y, width, height].iter().any(|v| !v.is_finite()) {
            return Err(self.fail("x, y, width and height must be numbers".into()));
        }
        if width <= 0.0 || height <= 0.0 {
            return Err(self.fail(format!(
                "width and height must be positive (got {width} × {height} mm)"
            )));
        }
        if x < -SLACK || y < -SLACK {
            return Err(self.fail(format!(
                "x and y must not be negative (got x = {x}, y = {y})"
            )));
        }
        if x + width > self.width_mm + SLACK {
            return Err(self.fail(format!(
                "extends past the right edge: x + width = {} mm > {} mm",
                x + width,
                self.width_mm
            )));
        }
        if y + height > self.height_mm + SLACK {
            return Err(self.fail(format!(
                "extends past the bottom edge: y + height = {} mm > {} mm",
                y + height,
                self.height_mm
            )));
        }
        Ok(Frame {
            x,
            y,
            width,
            height,
        })
    }

    fn colour(&self, value: Option<String>, default: Colour) -> Result<Colour, PrintError> {
        match value {
            Some(text) => Colour::parse(&text).map_err(|m| self.fail(format!("colour: {m}"))),
            None => Ok(default),
        }
    }

    fn radius(&self, value: Option<f64>, frame: &Frame) -> Result<f64, PrintError> {
        let r = value.unwrap_or(0.0);
        if !(0.0..=frame.width.min(frame.height) / 2.0).contains(&r) {
            return Err(self.fail(format!(
                "corner_radius must be between 0 and half the smaller side ({} mm), got {r}",
                frame.width.min(frame.height) / 2.0
            )));
        }
        Ok(r)
    }
}

/// What a code encodes: `field` (the badge number when neither is given), or
/// `fields` joined by `separator`.
fn code_content(
    check: &Checker,
    field: Option<Field>,
    fields: Option<Vec<Field>>,
    separator: Option<String>,
) -> Result<CodeContent, PrintError> {
    let fields = match (field, fields) {
        (Some(_), Some(_)) => {
            return Err(check.fail("a code takes `field` or `fields`, not both".into()))
        }
        (Some(one), None) => vec![one],
        (None, Some(many)) if many.is_empty() => {
            return Err(check.fail("`fields` lists no field".into()))
        }
        (None, Some(many)) => many,
        (None, None) => vec![Field::BadgeNumber],
    };
    let separator = separator.unwrap_or_else(|| ";".into());
    if separator.chars().count() > 4 {
        return Err(check.fail(format!(
            "a separator is at most 4 characters (got {separator:?})"
        )));
    }
    Ok(CodeContent { fields, separator })
}

/// A condition names one list of values to compare with, `is` or `is_not`.
fn check_condition(check: &Checker, condition: &Condition) -> Result<(), PrintError> {
    match (&condition.is, &condition.is_not) {
        (Some(values), None) | (None, Some(values)) if !values.is_empty() => Ok(()),
        (Some(_), Some(_)) => Err(check.fail("`when` takes `is` or `is_not`, not both".into())),
        _ => Err(check.fail(
            "`when` needs the values to compare with: `is = [\"…\"]` or `is_not = [\"…\"]`".into(),
        )),
    }
}

impl Condition {
    /// Whether a badge whose `field` holds `values` (one, or the zones) shows the
    /// element: `is` when any of them is listed, `is_not` when none is.
    pub(crate) fn holds_for(&self, values: &[String]) -> bool {
        let norm = |v: &str| v.trim().to_lowercase();
        let listed = |list: &Vec<String>| {
            values
                .iter()
                .any(|v| list.iter().any(|l| norm(l) == norm(v)))
        };
        match (&self.is, &self.is_not) {
            (Some(list), _) => listed(list),
            (None, Some(list)) => !listed(list),
            (None, None) => true,
        }
    }
}

fn resolve_element(
    check: &Checker,
    element: DesignElement,
    theme: Colour,
    mut image: impl FnMut(&str) -> Result<usize, PrintError>,
) -> Result<Element, PrintError> {
    let kind = element.kind;
    if let Some(key) = element
        .keys_set()
        .into_iter()
        .find(|k| !kind.keys().contains(k))
    {
        return Err(check.fail(format!(
            "`{key}` does not apply to a {} element (it takes: {})",
            kind.name(),
            kind.keys().join(", ")
        )));
    }
    let need = |value: Option<f64>, key: &str| {
        value.ok_or_else(|| check.fail(format!("a {} element needs `{key}`", kind.name())))
    };
    let x = need(element.x, "x")?;
    let y = need(element.y, "y")?;
    let box_frame = || -> Result<Frame, PrintError> {
        check.frame(
            x,
            y,
            need(element.width, "width")?,
            need(element.height, "height")?,
        )
    };
    Ok(match kind {
        ElementType::Rect => {
            let frame = box_frame()?;
            Element::Rect {
                corner_radius: check.radius(element.corner_radius, &frame)?,
                frame,
                colour: check.colour(element.colour, theme)?,
            }
        }
        ElementType::Photo => {
            let frame = box_frame()?;
            let border = match (element.border_width, element.border_colour) {
                (None, None) => None,
                (width, colour) => {
                    let width = width.unwrap_or(0.5);
                    let most = frame.width.min(frame.height) / 4.0;
                    if !(width > 0.0 && width <= most) {
                        return Err(check.fail(format!(
                            "border_width must be more than 0 and at most a quarter of the smaller side ({most} mm), got {width}"
                        )));
                    }
                    Some((width, check.colour(colour, Colour::WHITE)?))
                }
            };
            Element::Photo {
                corner_radius: check.radius(element.corner_radius, &frame)?,
                frame,
                border,
            }
        }
        ElementType::Qr | ElementType::Datamatrix => {
            let size = need(element.size, "size")?;
            let frame = check.frame(x, y, size, size)?;
            let (symbology, min, name) = if kind == ElementType::Qr {
                (Symbology::Qr, 8.0, "QR code")
            } else {
                (Symbology::DataMatrix, 6.0, "Data Matrix code")
            };
            if size < min {
                return Err(check.fail(format!(
                    "a {name} smaller than {min} mm does not scan reliably (size = {size})"
                )));
            }
            Element::Code {
                symbology,
                frame,
                content: code_content(check, element.field, element.fields, element.separator)?,
                colour: check.colour(element.colour, Colour::BLACK)?,
            }
        }
        ElementType::Barcode => {
            let frame = box_frame()?;
            if frame.width < 20.0 || frame.height < 4.0 {
                return Err(check.fail(format!(
                    "a Code 128 barcode needs at least 20 × 4 mm (got {} × {})",
                    frame.width, frame.height
                )));
            }
            Element::Code {
                symbology: Symbology::Code128,
                frame,
                content: code_content(check, element.field, element.fields, element.separator)?,
                colour: check.colour(element.colour, Colour::BLACK)?,
            }
        }
        ElementType::Pdf417 => {
            let frame = box_frame()?;
            if frame.width < 25.0 || frame.height < 6.0 {
                return Err(check.fail(format!(
                    "a PDF417 code needs at least 25 × 6 mm (got {} × {})",
                    frame.width, frame.height
                )));
            }
            Element::Code {
                symbology: Symbology::Pdf417,
                frame,
                content: code_content(check, element.field, element.fields, element.separator)?,
                colour: check.colour(element.colour, Colour::BLACK)?,
            }
        }
        ElementType::Image => {
            let frame = box_frame()?;
            let file = element
                .file
                .ok_or_else(|| check.fail("an image element needs `file`".into()))?;
            Element::Image {
                frame,
                asset: image(&file)?,
            }
        }
        ElementType::Text => {
            let frame = box_frame()?;
            let source = match (element.field, element.text) {
                (Some(f), None) => TextSource::Field(f),
                (None, Some(t)) => TextSource::Fixed(t),
                _ => return Err(check.fail("a text needs exactly one of `field` or `text`".into())),
            };
            let font_size = element.font_size.unwrap_or(8.0);
            let min_font_size = element
                .min_font_size
                .unwrap_or((font_size * 0.6).max(4.0).min(font_size));
            if !(2.0..=200.0).contains(&font_size) {
                return Err(check.fail(format!(
                    "font_size must be between 2 and 200 pt, got {font_size}"
                )));
            }
            if !(2.0..=font_size).contains(&min_font_size) {
                return Err(check.fail(format!(
                    "min_font_size must be between 2 pt and font_size ({font_size}), got {min_font_size}"
                )));
            }
            let max_lines = element.max_lines.unwrap_or(1);
            if !(1..=12).contains(&max_lines) {
                return Err(check.fail(format!(
                    "max_lines must be between 1 and 12, got {max_lines}"
                )));
            }
            Element::Text(TextElement {
                frame,
                source,
                prefix: element.prefix,
                font: element.font.unwrap_or_default(),
                font_size,
                min_font_size,
                max_lines: max_lines as usize,
                bold: element.bold.unwrap_or(false),
                uppercase: element.uppercase.unwrap_or(false),
                align: element.align.unwrap_or_default(),
                valign: element.valign.unwrap_or_default(),
                colour: check.colour(element.colour, Colour::BLACK)?,
                date_style: element.date_style.unwrap_or_default(),
            })
        }
    })
}

/// Reads `file` from the template folder `dir`, refusing anything that resolves
/// outside it (a symbolic link to elsewhere) and files too large to be a logo.
fn read_confined(dir: &Path, file: &str) -> Result<Vec<u8>, String> {
    let root = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    let path = std::fs::canonicalize(dir.join(file)).map_err(|e| e.to_string())?;
    if !path.starts_with(&root) {
        return Err("image files must stay inside the template folder".into());
    }
    let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
    if size > MAX_TEMPLATE_IMAGE_BYTES {
        return Err(format!(
            "{size} bytes is more than the {MAX_TEMPLATE_IMAGE_BYTES} allowed for an image"
        ));
    }
    std::fs::read(&path).map_err(|e| e.to_string())
}

fn load_image(file: &str, ctx: &Ctx, assets: &Assets) -> Result<ImageAsset, PrintError> {
    let fail = |message: String| PrintError::TemplateImage {
        template: ctx.file.to_string(),
        file: file.to_string(),
        message,
    };
    if file.contains("..") || Path::new(file).is_absolute() {
        return Err(fail(
            "image files must be named relative to the template folder".into(),
        ));
    }
    if let Some(logo) = assets
        .office_logo
        .as_ref()
        .filter(|_| file == OFFICE_LOGO_FILE)
    {
        return Ok(logo.clone());
    }
    if let Some(bytes) = assets.office.images.get(file) {
        return decode_image(bytes.to_vec()).map_err(fail);
    }
    let bytes: Vec<u8> = match assets.folder {
        Some(dir) => read_confined(dir, file).map_err(fail)?,
        None => BUILTIN_ASSETS
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, b)| b.to_vec())
            .ok_or_else(|| fail("no such built-in image".into()))?,
    };
    decode_image(bytes).map_err(fail)
}

/// A PNG or JPEG as a template draws it: a JPEG as is, a PNG decoded (its declared
/// size checked first, so a decompression bomb is refused before it expands).
fn decode_image(bytes: Vec<u8>) -> Result<ImageAsset, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let info = read_jpeg_info(&bytes).map_err(|e| e.to_string())?;
        return Ok(ImageAsset::Jpeg {
            bytes: bytes.into(),
            info,
        });
    }
    // Header first: a decompression bomb is refused on its declared size.
    let (width, height) =
        image::ImageReader::with_format(std::io::Cursor::new(&bytes), image::ImageFormat::Png)
            .into_dimensions()
            .map_err(|e| format!("not a readable PNG or JPEG: {e}"))?;
    if u64::from(width) * u64::from(height) > MAX_TEMPLATE_IMAGE_PIXELS {
        return Err(format!(
            "{width} × {height} pixels is more than the {MAX_TEMPLATE_IMAGE_PIXELS} allowed"
        ));
    }
    let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .map_err(|e| format!("not a readable PNG or JPEG: {e}"))?;
    let rgba = decoded.to_rgba8();
    let (width, height) = rgba.dimensions();
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    let mut alpha = Vec::with_capacity((width * height) as usize);
    for px in rgba.pixels() {
        rgb.extend_from_slice(&px.0[..3]);
        alpha.push(px.0[3]);
    }
    let opaque = alpha.iter().all(|a| *a == 255);
    Ok(ImageAsset::Pixels {
        width,
        height,
        rgb,
        alpha: (!opaque).then_some(alpha),
    })
}
