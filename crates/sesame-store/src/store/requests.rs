//! `Store` methods for requests and their holders: creating, reading, moving through
//! the lifecycle, attachments, the queue and its CSV import and export.

use sesame_core::{AttachmentKind, AuditEntity, AuditEntry, Holder, HolderDetails, RequestAction};
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::store::{PageReader, MAX_PAGE_SIZE};
use crate::{csv_export, csv_import};
use crate::{
    Attachment, AttachmentMeta, BlobUpgrade, CsvOptions, ImportProgress, ImportReport, NewRequest,
    PhotoCheckStats, PhotoReview, QueuePage, QueueQuery, RequestDetail, StatusCount,
};

impl Store {
    // --- requests -----------------------------------------------------------------

    pub async fn create_request(&self, new: NewRequest, operator: &str) -> Result<RequestDetail> {
        dispatch!(self, requests::create_request(&self.clock, new, operator))
    }

    pub async fn get_request(&self, id: Uuid) -> Result<RequestDetail> {
        dispatch!(self, requests::get_request(&self.clock, id))
    }

    /// Applies `action` if the request is still at `expected_version`; refused
    /// actions and stale versions change nothing.
    pub async fn transition(
        &self,
        id: Uuid,
        expected_version: i64,
        action: RequestAction,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<RequestDetail> {
        dispatch!(
            self,
            transition::transition(&self.clock, id, expected_version, action, operator, reason)
        )
    }

    /// A page of the queue: after `cursor`, or from position `start` (a jump), or the
    /// first. A jump under a search of dense words starts from position marks kept
    /// between jumps (`position_marks.rs`), which the first page of such a search has
    /// taken in the background once the desk's reads pause.
    pub async fn list_requests(&self, query: &QueueQuery) -> Result<QueuePage> {
        dispatch!(
            self,
            queue::list_requests(query, &self.marks, PageReader::Screen)
        )
    }

    /// A page of the queue for a lookup that never jumps through it (a holder's open
    /// requests, the badges a search finds): `list_requests`' rows, without position
    /// marks taken ahead.
    pub async fn look_up_requests(&self, query: &QueueQuery) -> Result<QueuePage> {
        dispatch!(
            self,
            queue::list_requests(query, &self.marks, PageReader::Lookup)
        )
    }

    /// Requests per status, every status listed (zeros included).
    pub async fn count_by_status(&self) -> Result<Vec<StatusCount>> {
        dispatch!(self, queue::count_by_status(&QueueQuery::default()))
    }

    /// Counts per status within the queue filters of `query` (its statuses are ignored).
    pub async fn count_by_status_filtered(&self, query: &QueueQuery) -> Result<Vec<StatusCount>> {
        // Marks taken ahead wait for the desk's counts (`position_marks.rs`).
        let _reading = self.marks.reading_queue();
        dispatch!(self, queue::count_by_status(query))
    }

    /// The counts per status of a search of dense words only ("m"), estimated from a
    /// sample in milliseconds where counting them takes every match; `None` where
    /// `count_by_status_filtered` is quick, or the query has other filters.
    pub async fn estimate_counts_by_status(
        &self,
        query: &QueueQuery,
    ) -> Result<Option<Vec<StatusCount>>> {
        let _reading = self.marks.reading_queue();
        dispatch!(self, queue::estimate_counts(query))
    }

    /// The request's history: its changes, attachments and badge, oldest first.
    pub async fn audit_for_request(&self, id: Uuid) -> Result<Vec<AuditEntry>> {
        dispatch!(self, audit_for_request(id))
    }

    pub async fn audit_for(&self, entity: AuditEntity, id: &str) -> Result<Vec<AuditEntry>> {
        dispatch!(self, audit_for_entity(entity, id))
    }

    /// Records what `operator` did without changing any row (an export, a viewed ID
    /// scan, a previewed reprint), every event in one transaction.
    pub async fn record_audit_events(
        &self,
        operator: &str,
        events: Vec<crate::AuditEvent>,
    ) -> Result<()> {
        dispatch!(self, append_audit_events(&self.clock, operator, events))
    }

    // --- holders ------------------------------------------------------------------

    pub async fn get_holder(&self, id: Uuid) -> Result<Holder> {
        dispatch!(self, requests::get_holder(id))
    }

    pub async fn update_holder(
        &self,
        id: Uuid,
        expected_version: i64,
        details: HolderDetails,
        operator: &str,
    ) -> Result<Holder> {
        dispatch!(
            self,
            requests::update_holder(&self.clock, id, expected_version, details, operator)
        )
    }

    // --- attachments --------------------------------------------------------------

    /// Stores a photo or document (JPEG, PNG; PDF for documents) on an open request,
    /// replacing the previous one of that kind. Bumps the request's version.
    pub async fn put_attachment(
        &self,
        request_id: Uuid,
        kind: AttachmentKind,
        bytes: &[u8],
        operator: &str,
    ) -> Result<AttachmentMeta> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            attachments::put_attachment(
                &self.clock,
                codec,
                request_id,
                kind,
                bytes,
                operator,
                None,
                None
            )
        )
    }

    /// Stores the request's badge photo (the previous one is kept as a previous photo),
    /// with `details` in its audit entry and `review` (the checks it did not pass, and
    /// why it was saved anyway) in the photo tables, in one transaction.
    pub async fn put_badge_photo(
        &self,
        request_id: Uuid,
        bytes: &[u8],
        operator: &str,
        details: serde_json::Value,
        review: &PhotoReview,
    ) -> Result<AttachmentMeta> {
        let codec = self.codec.as_ref();
        let details = Some(details);
        let review = Some(review);
        dispatch!(
            self,
            attachments::put_attachment(
                &self.clock,
                codec,
                request_id,
                AttachmentKind::Photo,
                bytes,
                operator,
                details,
                review
            )
        )
    }

    /// Makes a previous photo of an open request its badge photo again, on the
    /// request's version the operator saw; the current one becomes a previous photo.
    pub async fn restore_photo(
        &self,
        request_id: Uuid,
        attachment_id: Uuid,
        expected_version: i64,
        operator: &str,
    ) -> Result<AttachmentMeta> {
        dispatch!(
            self,
            attachments::restore_photo(
                &self.clock,
                request_id,
                attachment_id,
                expected_version,
                operator
            )
        )
    }

    /// How often each check stopped a saved photo, and how often it was overridden.
    pub async fn photo_check_stats(&self) -> Result<PhotoCheckStats> {
        dispatch!(self, attachments::photo_check_stats())
    }

    pub async fn get_attachment(&self, id: Uuid) -> Result<Attachment> {
        let codec = self.codec.as_ref();
        dispatch!(self, attachments::get_attachment(codec, id))
    }

    /// Seals again, under this store's codec, the blobs stored under a codec it
    /// upgrades (an older format, and once the queue's `plain` blobs): see
    /// [`BlobCodec::upgrades`](crate::BlobCodec::upgrades). Idempotent, and safe while other desks do the same.
    pub async fn upgrade_attachment_blobs(&self) -> Result<BlobUpgrade> {
        let codec = self.codec.as_ref();
        dispatch!(self, attachments::upgrade_blobs(&self.clock, codec))
    }

    /// Each attachment blob's codec and first 64 bytes (where an encrypted blob names
    /// its key): what the key status counts, read with the desk's own connection.
    pub async fn attachment_blob_heads(&self) -> Result<Vec<(String, Vec<u8>)>> {
        dispatch!(self, attachments::blob_heads())
    }

    pub async fn delete_attachment(
        &self,
        id: Uuid,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        dispatch!(
            self,
            attachments::delete_attachment(&self.clock, id, operator, reason)
        )
    }

    // --- CSV ----------------------------------------------------------------------

    /// Imports holders and requests from CSV bytes. Valid rows go in together in one
    /// transaction; the report lists refused rows and why. `dry_run` writes nothing.
    pub async fn import_csv(
        &self,
        bytes: &[u8],
        operator: &str,
        dry_run: bool,
    ) -> Result<ImportReport> {
        self.import_csv_reporting(bytes, operator, dry_run, &|_| {})
            .await
    }

    /// [`Store::import_csv`], telling `progress` how far it is after each chunk of rows.
    pub async fn import_csv_reporting(
        &self,
        bytes: &[u8],
        operator: &str,
        dry_run: bool,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport> {
        let file = csv_import::open(bytes)?;
        dispatch!(
            self,
            import::import_rows(&self.clock, &file, operator, dry_run, progress)
        )
    }

    /// The whole queue matching `query` (its page size, cursor and start are ignored).
    pub async fn export_queue_csv(
        &self,
        query: &QueueQuery,
        options: CsvOptions,
    ) -> Result<Vec<u8>> {
        let mut page_query = QueueQuery {
            limit: Some(MAX_PAGE_SIZE),
            cursor: None,
            start: None,
            ..query.clone()
        };
        let mut rows = Vec::new();
        loop {
            let page = self.look_up_requests(&page_query).await?;
            rows.extend(page.rows.iter().map(csv_export::queue_cells));
            match page.next_cursor {
                Some(cursor) => page_query.cursor = Some(cursor),
                None => break,
            }
        }
        csv_export::write_csv(csv_export::QUEUE_HEADER, rows, options)
    }
}
