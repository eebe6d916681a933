//! Sésame's badge printing: from plain badge data and editable templates to PDF.
//!
//! - [`render_pdf`] / [`write_pdf`]: the badges, laid out for a card printer, N-up
//!   A4 sheets (duplex backs mirrored) or day passes; [`BadgeWriter`] writes the same
//!   PDF from cards handed over one at a time (a print run reading photos as it goes).
//! - [`render_calibration_pdf`]: the page an operator prints to measure a printer's
//!   offset, stored in a [`PrinterProfile`].
//! - [`TemplateSet`]: the templates (TOML, see TEMPLATES.md).
//!
//! Photos are embedded as their original JPEG bytes. No Tauri, no database here.

mod badges;
mod calibration;
mod card;
mod codes;
mod dates;
mod dispatch_list;
mod draw;
mod error;
mod font;
mod jpeg;
mod layout;
mod model;
mod pdf;
pub mod samples;
mod template;
mod textfit;

use std::io::Write;

pub use badges::{BadgeWriter, Written};
pub use calibration::render_calibration_pdf;
pub use dates::{format_date, DateStyle};
pub use dispatch_list::{
    render_dispatch_list, DispatchList, DispatchListRow, DISPATCH_ROWS_PER_PAGE,
};
pub use error::PrintError;
pub use model::{
    BadgeCard, DayPassLayout, DayPassPaper, Layout, Locale, PrinterProfile, SheetLayout,
    A4_HEIGHT_MM, A4_WIDTH_MM, A6_HEIGHT_MM, A6_WIDTH_MM, CARD_HEIGHT_MM, CARD_WIDTH_MM,
};
pub use template::{
    check_office_logo, check_template_image, write_default_templates, Align, Categories, Colour,
    Condition, DesignElement, DesignHeader, ElementType, Field, FontFamily, LocalText, Office,
    Orientation, Template, TemplateDesign, TemplateKind, TemplateSet, VAlign, DEFAULT_OFFICE_NAME,
    MAX_TEMPLATE_BYTES, MAX_TEMPLATE_IMAGE_BYTES, MAX_TEMPLATE_IMAGE_PIXELS, OFFICE_LOGO_FILE,
};

/// Renders the badges as one PDF, in memory.
pub fn render_pdf(
    cards: &[BadgeCard],
    templates: &TemplateSet,
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
) -> Result<Vec<u8>, PrintError> {
    // Reserve about what the PDF will weigh, so the buffer does not double past it.
    let photos: usize = cards
        .iter()
        .filter_map(|c| c.photo_jpeg.as_ref().map(|p| p.len()))
        .sum();
    let mut out = Vec::with_capacity(photos + photos / 16 + 64 * 1024);
    write_pdf(cards, templates, layout, printer, locale, &mut out)?;
    Ok(out)
}

/// Renders the badges as one PDF into `out` (a file, say), each page written as
/// soon as it is drawn. Nothing is written unless every badge can be drawn: each is
/// checked first. ([`BadgeWriter`] takes the cards one by one instead, for a caller
/// that reads them as it goes.)
pub fn write_pdf<W: Write>(
    cards: &[BadgeCard],
    templates: &TemplateSet,
    layout: &Layout,
    printer: &PrinterProfile,
    locale: Locale,
    out: &mut W,
) -> Result<(), PrintError> {
    let categories = cards.iter().map(|card| card.category.as_str());
    let mut writer = BadgeWriter::start(categories, templates, layout, printer, locale, out)?;
    for card in cards {
        writer.check(card)?;
    }
    for card in cards {
        writer.add(card.clone())?;
    }
    writer.finish()?;
    Ok(())
}
