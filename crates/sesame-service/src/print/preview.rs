//! The print preview: the real PDF of the selection, rendered without changing anything.

use base64::Engine;
use sesame_core::AuditEntity;
use sesame_print::{BadgeCard, BadgeWriter, TemplateSet};
use sesame_store::{AuditEvent, PrintItem, PrintSink};

use super::cards::{
    badge_card, card_taking_photo, item_warnings, out_of_order, selected_ids, skip_warning,
    Rendering,
};
use super::{PreviewCard, PrintJob, PrintPreview, PrintWarning, PrintWarningCode};
use crate::template_set::desk_templates;
use crate::{Desk, RequestId, ServiceError};

/// The audit action of a badge already printed whose card was previewed.
pub const REPRINT_PREVIEWED: &str = "preview_reprint";

/// The pages a preview shows: the print station draws as many (`PdfPreview`).
pub const PREVIEW_PAGES: usize = 12;

/// Renders the real PDF of the selection, its first [`PREVIEW_PAGES`] pages, without
/// changing anything: first prints carry provisional numbers; badges printed before
/// are marked "APERÇU / PREVIEW" across each side, without their number or codes,
/// and the preview is audited for each of them it shows. The page count is the whole
/// selection's; warnings cover every card and say what needs care.
pub async fn preview_print(desk: &Desk, job: PrintJob) -> Result<PrintPreview, ServiceError> {
    let ids = selected_ids(&job)?;
    let templates = desk_templates(desk).await?;
    let sink = PreviewSink {
        job: &job,
        templates: &templates,
        drawn: None,
    };
    let selection = desk
        .store
        .print_selection_into(&ids, &desk.actor()?, sink)
        .await?;
    let mut warnings: Vec<PrintWarning> = selection.skipped.iter().map(skip_warning).collect();
    let Some(previewed) = selection.rendered else {
        return Ok(PrintPreview {
            pdf_base64: None,
            page_count: 0,
            card_count: 0,
            cards: Vec::new(),
            warnings,
            needs_reprint_reason: false,
        });
    };
    warnings.extend(previewed.warnings);
    audit_previewed_reprints(desk, &previewed.shown_reprints).await?;
    Ok(PrintPreview {
        pdf_base64: Some(base64::engine::general_purpose::STANDARD.encode(&previewed.pdf)),
        page_count: previewed.pages,
        card_count: previewed.cards.len() as u32,
        needs_reprint_reason: previewed.cards.iter().any(|card| card.reprint),
        cards: previewed.cards,
        warnings,
    })
}

/// The preview drawn from the store's items ([`sesame_store::Store::print_selection_into`]):
/// the cards of the first [`PREVIEW_PAGES`] pages drawn, every other one checked and
/// let go with its photo (`BadgeWriter::check`: what would stop the print run stops
/// its preview), so a preview of a thousand badges holds a few sheets' photos.
struct PreviewSink<'a> {
    job: &'a PrintJob,
    templates: &'a TemplateSet,
    drawn: Option<Drawing<'a>>,
}

/// What the preview has drawn so far.
struct Drawing<'a> {
    /// Expects the cards its pages show, the first ones (`cards_expected`).
    writer: BadgeWriter<'a, Vec<u8>>,
    pages: u32,
    cards: Vec<PreviewCard>,
    shown_reprints: Vec<PrintItem>,
    warnings: Vec<PrintWarning>,
}

/// What the preview sink made of the selection.
struct Previewed {
    pdf: Vec<u8>,
    /// The pages of the whole selection.
    pages: u32,
    cards: Vec<PreviewCard>,
    /// The badges printed before whose cards the pages show (without photos).
    shown_reprints: Vec<PrintItem>,
    warnings: Vec<PrintWarning>,
}

impl PrintSink for PreviewSink<'_> {
    type Output = Previewed;
    type Error = ServiceError;

    fn start(&mut self, items: &[PrintItem]) -> Result<(), ServiceError> {
        let categories = items.iter().map(|i| i.holder.details.category.as_str());
        let job = self.job;
        let writer = BadgeWriter::start(
            categories,
            self.templates,
            &job.layout,
            &job.printer,
            job.locale,
            Vec::new(),
        )?;
        let pages = writer.page_count();
        let writer = writer.first_pages_only(PREVIEW_PAGES)?;
        let cards_shown = writer.cards_expected();
        self.drawn = Some(Drawing {
            writer,
            pages,
            cards: items.iter().map(preview_card_of).collect(),
            shown_reprints: items[..cards_shown]
                .iter()
                .filter(|item| item.reprint)
                .cloned()
                .collect(),
            warnings: Vec::new(),
        });
        Ok(())
    }

    fn item(&mut self, item: PrintItem) -> Result<(), ServiceError> {
        let drawn = self.drawn.as_mut().ok_or_else(out_of_order)?;
        drawn
            .warnings
            .extend(item_warnings(std::slice::from_ref(&item)));
        let card = card_taking_photo(item, Rendering::Preview)?;
        if drawn.writer.cards_expected() > 0 {
            drawn.writer.add(card)?;
        } else {
            drawn.writer.check(&card)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<Previewed, ServiceError> {
        let drawn = self.drawn.ok_or_else(out_of_order)?;
        Ok(Previewed {
            pdf: drawn.writer.finish()?.out,
            pages: drawn.pages,
            cards: drawn.cards,
            shown_reprints: drawn.shown_reprints,
            warnings: drawn.warnings,
        })
    }
}

/// A selected card as the print station lists it.
fn preview_card_of(item: &PrintItem) -> PreviewCard {
    PreviewCard {
        request_id: item.request.id.to_string(),
        family_name: item.holder.details.family_name.clone(),
        given_names: item.holder.details.given_names.clone(),
        badge_number: item.badge_number.clone(),
        provisional_number: item.provisional_number,
        reprint: item.reprint,
    }
}

/// Every badge printed before whose card a preview showed is audited.
async fn audit_previewed_reprints(
    desk: &Desk,
    items: &[sesame_store::PrintItem],
) -> Result<(), ServiceError> {
    let previewed_reprints: Vec<AuditEvent> = items
        .iter()
        .filter(|item| item.reprint)
        .map(|item| AuditEvent {
            entity: AuditEntity::Request,
            entity_id: item.request.id.to_string(),
            request_id: Some(item.request.id),
            action: REPRINT_PREVIEWED,
            details: serde_json::json!({
                "badgeId": item.badge_id,
                "badgeNumber": item.badge_number,
            }),
        })
        .collect();
    desk.store
        .record_audit_events(&desk.actor()?, previewed_reprints)
        .await?;
    Ok(())
}

/// One request's card as a preview shows it (the badge designer's "preview with
/// this request"), or why it has none: the same selection, provisional number,
/// watermark and audit as the print preview.
pub(crate) async fn preview_card(
    desk: &Desk,
    id: &RequestId,
) -> Result<Result<BadgeCard, PrintWarningCode>, ServiceError> {
    let selection = desk
        .store
        .print_selection(&[id.0], &desk.actor()?, true)
        .await?;
    if let Some(skip) = selection.skipped.first() {
        return Ok(Err(skip_warning(skip).code));
    }
    let Some(item) = selection.items.first() else {
        return Ok(Err(PrintWarningCode::NotFound));
    };
    audit_previewed_reprints(desk, &selection.items).await?;
    Ok(Ok(badge_card(item, Rendering::Preview)?))
}
