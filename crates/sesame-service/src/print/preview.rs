//! The print preview: the real PDF of the selection, rendered without changing anything.

use base64::Engine;
use sesame_core::AuditEntity;
use sesame_store::AuditEvent;

use sesame_print::BadgeCard;

use super::cards::{
    badge_card, item_warnings, render_first_pages, selected_ids, skip_warning, Rendering,
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
    let selection = desk
        .store
        .print_selection(&ids, &desk.actor()?, true)
        .await?;
    let mut warnings: Vec<PrintWarning> = selection.skipped.iter().map(skip_warning).collect();
    warnings.extend(item_warnings(&selection.items));
    let cards = selection
        .items
        .iter()
        .map(|item| PreviewCard {
            request_id: item.request.id.to_string(),
            family_name: item.holder.details.family_name.clone(),
            given_names: item.holder.details.given_names.clone(),
            badge_number: item.badge_number.clone(),
            provisional_number: item.provisional_number,
            reprint: item.reprint,
        })
        .collect();
    let needs_reprint_reason = selection.items.iter().any(|i| i.reprint);
    if selection.items.is_empty() {
        return Ok(PrintPreview {
            pdf_base64: None,
            page_count: 0,
            card_count: 0,
            cards,
            warnings,
            needs_reprint_reason,
        });
    }
    let rendered = render_first_pages(
        &selection.items,
        &job,
        &templates,
        Rendering::Preview,
        PREVIEW_PAGES,
    )?;
    audit_previewed_reprints(desk, &selection.items[..rendered.cards_shown]).await?;
    Ok(PrintPreview {
        pdf_base64: Some(base64::engine::general_purpose::STANDARD.encode(&rendered.pdf)),
        page_count: rendered.pages,
        card_count: selection.items.len() as u32,
        cards,
        warnings,
        needs_reprint_reason,
    })
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
