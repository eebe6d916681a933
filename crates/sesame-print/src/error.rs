//! The crate's one error enum; every variant has a stable code the UI translates.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The TOML itself does not parse, or a value has the wrong type or an unknown key.
    #[error("template {file}, line {line}, column {column}: {message}")]
    TemplateSyntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A template file larger than any real template (a wrong file, or hostile).
    #[error("template {file} is {bytes} bytes, more than the {max} allowed")]
    TemplateTooLarge { file: String, bytes: u64, max: u64 },
    /// The TOML parses but a value makes no sense (outside the card, min > max...).
    #[error("template {file}, line {line}, {element}: {message}")]
    TemplateInvalid {
        file: String,
        line: usize,
        element: String,
        message: String,
    },
    #[error("cannot read template file {path}: {source}")]
    TemplateIo {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("two templates describe the {kind} of category {category:?}: {first} and {second}")]
    DuplicateTemplate {
        category: String,
        kind: &'static str,
        first: String,
        second: String,
    },
    #[error("no {kind} template for category {category:?} (badge {badge_number}) and no \"default\" template")]
    NoTemplate {
        category: String,
        kind: &'static str,
        badge_number: String,
    },
    #[error("image {file} used by template {template}: {message}")]
    TemplateImage {
        template: String,
        file: String,
        message: String,
    },
    #[error("the photo of badge {badge_number} is not a JPEG: {message}")]
    PhotoNotJpeg {
        badge_number: String,
        message: String,
    },
    #[error("the photo of badge {badge_number} cannot be embedded as is: {message}")]
    PhotoUnsupported {
        badge_number: String,
        message: String,
    },
    #[error(
        "badge {badge_number}: the font has no glyph for {character:?} (U+{code:04X}) in {text:?}"
    )]
    UnsupportedCharacter {
        badge_number: String,
        character: char,
        code: u32,
        text: String,
    },
    #[error("badge {badge_number}: {value:?} cannot be encoded as a Code 128 barcode: {message}")]
    BarcodeEncoding {
        badge_number: String,
        value: String,
        message: String,
    },
    #[error("badge {badge_number}: {value:?} cannot be encoded as a QR code: {message}")]
    QrEncoding {
        badge_number: String,
        value: String,
        message: String,
    },
    #[error("invalid layout: {0}")]
    InvalidLayout(String),
    #[error("nothing to print: the list of badges is empty")]
    NoCards,
    #[error("cannot subset the embedded font {font}: {message}")]
    FontSubset { font: String, message: String },
    #[error("cannot write the PDF: {0}")]
    Write(#[from] std::io::Error),
}

sesame_core::error_codes! {
    PrintError {
        PrintError::TemplateSyntax { .. } => "print.template_syntax",
        PrintError::TemplateTooLarge { .. } => "print.template_too_large",
        PrintError::TemplateInvalid { .. } => "print.template_invalid",
        PrintError::TemplateIo { .. } => "print.template_io",
        PrintError::DuplicateTemplate { .. } => "print.duplicate_template",
        PrintError::NoTemplate { .. } => "print.no_template",
        PrintError::TemplateImage { .. } => "print.template_image",
        PrintError::PhotoNotJpeg { .. } => "print.photo_not_jpeg",
        PrintError::PhotoUnsupported { .. } => "print.photo_unsupported",
        PrintError::UnsupportedCharacter { .. } => "print.unsupported_character",
        PrintError::BarcodeEncoding { .. } => "print.barcode_encoding",
        PrintError::QrEncoding { .. } => "print.qr_encoding",
        PrintError::InvalidLayout(_) => "print.invalid_layout",
        PrintError::NoCards => "print.no_cards",
        PrintError::FontSubset { .. } => "print.font_subset",
        PrintError::Write(_) => "print.write_failed",
    }
}
