//! `Store` methods for the retention purge and holders' rights.

use chrono::NaiveDate;
use sesame_core::RetentionPolicy;
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::{Result, StoreError};
use crate::{HolderErasure, HolderRecords, PurgeFailure, PurgePlan, PurgeReport};

impl Store {
    /// What a purge on `today` would remove under `policy` (the dry run): nothing is written.
    pub async fn purge_plan(&self, today: NaiveDate, policy: RetentionPolicy) -> Result<PurgePlan> {
        let cut = policy.cutoffs(today);
        let (id_documents, holders, closed_requests) =
            dispatch!(self, retention::purge_plan(today, cut))?;
        Ok(PurgePlan {
            today,
            policy,
            id_documents,
            holders,
            closed_requests,
            output_files: Default::default(),
        })
    }

    /// Applies the retention periods on `today`: each request's ID documents, each holder
    /// and each closed request in its own transaction, so one failure leaves the others
    /// done and is listed in the report. Running it twice removes nothing more.
    pub async fn purge(
        &self,
        today: NaiveDate,
        policy: RetentionPolicy,
        operator: &str,
    ) -> Result<PurgeReport> {
        let plan = self.purge_plan(today, policy).await?;
        let cut = policy.cutoffs(today);
        let mut report = PurgeReport {
            plan: plan.clone(),
            id_documents_deleted: 0,
            holders_anonymised: 0,
            requests_purged: 0,
            attachments_deleted: 0,
            audit_entries_redacted: 0,
            failures: Vec::new(),
            output_files: Default::default(),
        };
        let failure = |target: &str, id: Uuid, error: StoreError| PurgeFailure {
            target: target.to_owned(),
            id,
            code: sesame_core::ErrorCode::code(&error).to_owned(),
            message: error.to_string(),
        };

        let mut document_requests: Vec<Uuid> =
            plan.id_documents.iter().map(|d| d.request_id).collect();
        document_requests.dedup();
        for request_id in document_requests {
            let cutoff = cut.id_documents_printed_on_or_before;
            match dispatch!(
                self,
                retention::purge_id_documents(&self.clock, request_id, cutoff, operator)
            ) {
                Ok(n) => {
                    report.id_documents_deleted += n;
                    report.attachments_deleted += n;
                }
                Err(error) => report
                    .failures
                    .push(failure("id_documents", request_id, error)),
            }
        }
        for holder in &plan.holders {
            match self
                .anonymise_holder(holder.holder_id, operator, "purge", None, today)
                .await
            {
                Ok(done) => {
                    report.holders_anonymised += 1;
                    report.attachments_deleted += done.attachments_deleted;
                    report.audit_entries_redacted += done.audit_entries_redacted;
                }
                // Another desk purged it meanwhile: nothing left to do.
                Err(StoreError::HolderAnonymised { .. }) => {}
                Err(error) => report
                    .failures
                    .push(failure("holder", holder.holder_id, error)),
            }
        }
        for request in &plan.closed_requests {
            let cutoff = cut.requests_closed_on_or_before;
            let id = request.request_id;
            match dispatch!(
                self,
                retention::purge_closed_request(&self.clock, id, cutoff, operator, today)
            ) {
                Ok((attachments, redacted, holder_done)) => {
                    report.requests_purged += 1;
                    report.attachments_deleted += attachments;
                    report.audit_entries_redacted += redacted;
                    report.holders_anonymised += i64::from(holder_done);
                }
                Err(error) => report.failures.push(failure("request", id, error)),
            }
        }
        Ok(report)
    }

    /// Replaces a holder's personal data (see the holders' rights): `action` is `erase`
    /// (on request, with `reason`) or `purge` (retention). Refused with
    /// `holder.still_active` while a badge is live or a request is under way.
    pub async fn anonymise_holder(
        &self,
        holder_id: Uuid,
        operator: &str,
        action: &str,
        reason: Option<&str>,
        today: NaiveDate,
    ) -> Result<HolderErasure> {
        dispatch!(
            self,
            retention::anonymise_holder(&self.clock, holder_id, operator, action, reason, today)
        )
    }

    /// The holder, the ids of their requests, their badges and every audit entry about them.
    pub async fn holder_records(&self, holder_id: Uuid) -> Result<HolderRecords> {
        dispatch!(self, retention::holder_records(holder_id))
    }
}
