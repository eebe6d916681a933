//! From print items to cards and pages: the desk's templates, each card's photo as
//! JPEG, the warnings a selection raises, and the render itself.

use std::sync::Arc;

use sesame_core::MediaType;
use sesame_print::{BadgeCard, BadgeWriter, TemplateSet};
use sesame_store::{Attachment, PrintItem, PrintSink, PrintSkip, PrintSkipReason};

use super::{PrintJob, PrintWarning, PrintWarningCode};
use crate::ServiceError;

/// The selection as store ids; an empty one is refused.
pub(super) fn selected_ids(job: &PrintJob) -> Result<Vec<uuid::Uuid>, ServiceError> {
    if job.request_ids.is_empty() {
        return Err(ServiceError::NothingSelected);
    }
    Ok(job.request_ids.iter().map(|id| id.0).collect())
}

pub(super) fn skip_warning(skip: &PrintSkip) -> PrintWarning {
    let code = match skip.reason {
        PrintSkipReason::NotFound => PrintWarningCode::NotFound,
        PrintSkipReason::NotApproved => PrintWarningCode::NotApproved,
        PrintSkipReason::AlreadyPrinted => PrintWarningCode::AlreadyPrinted,
        PrintSkipReason::NoCard => PrintWarningCode::NoCard,
        PrintSkipReason::ClaimedByOther => PrintWarningCode::ClaimedByOther,
        PrintSkipReason::NotEligible => PrintWarningCode::NotEligible,
        PrintSkipReason::BadgeNotUsable => PrintWarningCode::BadgeNotUsable,
    };
    PrintWarning {
        request_id: skip.request_id.to_string(),
        code,
        detail: skip.detail.clone(),
        skipped: true,
    }
}

/// The warnings about cards that do print.
pub(super) fn item_warnings(items: &[PrintItem]) -> Vec<PrintWarning> {
    let mut warnings = Vec::new();
    for item in items {
        let request_id = item.request.id.to_string();
        if item.reprint {
            warnings.push(PrintWarning {
                request_id: request_id.clone(),
                code: PrintWarningCode::AlreadyPrinted,
                detail: Some(item.badge_number.clone()),
                skipped: false,
            });
        }
        if item.photo.is_none() {
            warnings.push(PrintWarning {
                request_id,
                code: PrintWarningCode::NoPhoto,
                detail: None,
                skipped: false,
            });
        }
    }
    warnings
}

/// The photo as JPEG bytes: JPEG as stored (embedded untouched), PNG re-encoded.
/// `item` names the request in errors.
fn photo_jpeg(
    item: &PrintItem,
    photo: Option<&Attachment>,
) -> Result<Option<Arc<[u8]>>, ServiceError> {
    let Some(photo) = photo else {
        return Ok(None);
    };
    if photo.meta.media_type == MediaType::Jpeg {
        return Ok(Some(Arc::from(photo.bytes.as_slice())));
    }
    let unreadable = |message: String| ServiceError::PrintPhoto {
        request_id: item.request.id.to_string(),
        message,
    };
    let image = image::load_from_memory(&photo.bytes).map_err(|e| unreadable(e.to_string()))?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&image.to_rgb8())
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(Some(Arc::from(jpeg)))
}

/// What a previewed reprint shows instead of its badge's number, and across the card:
/// a preview of a badge already printed must never pass for that badge.
pub const PREVIEW_WATERMARK: &str = "APERÇU / PREVIEW";

/// Whether the cards are for the print run or only for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rendering {
    Print,
    Preview,
}

pub(super) fn badge_card(
    item: &PrintItem,
    rendering: Rendering,
) -> Result<BadgeCard, ServiceError> {
    let photo = photo_jpeg(item, item.photo.as_ref())?;
    Ok(card_with_photo(item, photo, rendering))
}

/// A card, taking its photo out of its item: the item's copy is freed once the card
/// has its own, so a print run or a preview holds each photo once, in its card,
/// until the PDF has it.
pub(super) fn card_taking_photo(
    mut item: PrintItem,
    rendering: Rendering,
) -> Result<BadgeCard, ServiceError> {
    let photo = item.photo.take();
    let jpeg = photo_jpeg(&item, photo.as_ref())?;
    drop(photo);
    Ok(card_with_photo(&item, jpeg, rendering))
}

fn card_with_photo(item: &PrintItem, photo: Option<Arc<[u8]>>, rendering: Rendering) -> BadgeCard {
    let holder = &item.holder.details;
    // A first print's preview carries a forecast number no badge has yet; a reprint's
    // would carry the number of a badge in use, so it carries none.
    let stands_in = rendering == Rendering::Preview && item.reprint;
    let watermark = stands_in.then(|| PREVIEW_WATERMARK.to_owned());
    BadgeCard {
        badge_number: match &watermark {
            Some(placeholder) => placeholder.clone(),
            None => item.badge_number.clone(),
        },
        family_name: holder.family_name.clone(),
        given_names: holder.given_names.clone(),
        // The holder's unit is what a badge office prints under the name.
        role: holder.unit.clone(),
        organisation: holder.organisation.clone(),
        category: holder.category.clone(),
        valid_from: item.valid_from,
        valid_until: item.valid_until,
        host: None,
        zones: item.zones.clone(),
        photo_jpeg: photo,
        watermark,
    }
}

/// What a print run wrote: the PDF's size and page count, and the warnings about
/// cards that printed.
pub(super) struct Written {
    pub(super) bytes: u64,
    pub(super) pages: u32,
    pub(super) warnings: Vec<PrintWarning>,
}

/// The print run's PDF, written into its file as the store hands the cards over
/// ([`sesame_store::Store::print_batch_into`]): each photo becomes a card that is
/// drawn, written and let go with its sheet, so a run holds a sheet's photos at
/// most, and the PDF, as big as all of them, is never whole in memory either.
pub(super) struct RunSink<'a> {
    job: &'a PrintJob,
    templates: &'a TemplateSet,
    /// The file's name, for errors.
    path: String,
    file: Option<&'a mut std::fs::File>,
    writer: Option<BadgeWriter<'a, std::io::BufWriter<&'a mut std::fs::File>>>,
    warnings: Vec<PrintWarning>,
}

impl<'a> RunSink<'a> {
    pub(super) fn new(
        job: &'a PrintJob,
        templates: &'a TemplateSet,
        path: String,
        file: &'a mut std::fs::File,
    ) -> Self {
        Self {
            job,
            templates,
            path,
            file: Some(file),
            writer: None,
            warnings: Vec::new(),
        }
    }

    /// A failed write names the file; other print errors keep their own code.
    fn error(&self, error: sesame_print::PrintError) -> ServiceError {
        match error {
            sesame_print::PrintError::Write(source) => self.output_error(source),
            other => ServiceError::Print(other),
        }
    }

    fn output_error(&self, source: std::io::Error) -> ServiceError {
        ServiceError::PrintOutput {
            path: self.path.clone(),
            source,
        }
    }
}

/// A sink was used out of order: the store calls `start` once, then `item` for
/// each card, then `finish`.
pub(super) fn out_of_order() -> ServiceError {
    ServiceError::Print(sesame_print::PrintError::InvalidLayout(
        "the print run's cards were handed over out of order".into(),
    ))
}

impl PrintSink for RunSink<'_> {
    type Output = Written;
    type Error = ServiceError;

    fn start(&mut self, items: &[PrintItem]) -> Result<(), ServiceError> {
        let file = self.file.take().ok_or_else(out_of_order)?;
        let categories = items.iter().map(|i| i.holder.details.category.as_str());
        let writer = BadgeWriter::start(
            categories,
            self.templates,
            &self.job.layout,
            &self.job.printer,
            self.job.locale,
            std::io::BufWriter::with_capacity(1 << 20, file),
        )
        .map_err(|e| self.error(e))?;
        self.writer = Some(writer);
        Ok(())
    }

    fn item(&mut self, item: PrintItem) -> Result<(), ServiceError> {
        self.warnings.extend(
            item_warnings(std::slice::from_ref(&item))
                .into_iter()
                // The run reprints only with a reason and a supervisor: not a warning.
                .filter(|w| w.code != PrintWarningCode::AlreadyPrinted),
        );
        let card = card_taking_photo(item, Rendering::Print)?;
        let writer = self.writer.as_mut().ok_or_else(out_of_order)?;
        writer.add(card).map_err(|e| self.error(e))
    }

    fn finish(mut self) -> Result<Written, ServiceError> {
        let writer = self.writer.take().ok_or_else(out_of_order)?;
        let written = writer.finish().map_err(|e| self.error(e))?;
        let file = written
            .out
            .into_inner()
            .map_err(|e| self.output_error(e.into_error()))?;
        file.sync_all().map_err(|e| self.output_error(e))?;
        Ok(Written {
            bytes: written.bytes,
            pages: written.pages,
            warnings: self.warnings,
        })
    }
}
