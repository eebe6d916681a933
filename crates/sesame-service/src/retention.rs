//! Personal data over time: the retention purge (with its dry run) and the holders'
//! rights: an export of everything held about one holder, and erasure.

use std::io::Write;

use serde::{Deserialize, Serialize};
use sesame_core::{AuditEntity, BadgeAction, BadgeStatus, RequestAction};
use sesame_store::{AuditEvent, HolderErasure, PurgePlan, PurgeReport};
use ts_rs::TS;

use crate::output_folder::{purge_output_files, Destination, NewFile, OutputPurgeMode};
use crate::{Desk, HolderId, ServiceError};

/// What the purge would remove today under the office's retention periods, this
/// desk's output folder included.
pub async fn retention_plan(desk: &Desk) -> Result<PurgePlan, ServiceError> {
    let policy = desk.store.policy().await?;
    let mut plan = desk
        .store
        .purge_plan(desk.clock.today(), policy.retention)
        .await?;
    plan.output_files = purge_output_files(
        desk,
        output_files_now(desk),
        policy.retention.output_files_days,
        OutputPurgeMode::Plan,
    );
    Ok(plan)
}

/// The instant the output files' ages are measured from: the desk's now, but never
/// later than the machine's. A file's time is the machine's; a desk whose clock is
/// pinned ahead (a replay, the tests) must not take the files written a minute ago
/// for files written years ago. A desk acting for a past day keeps more, as it should.
fn output_files_now(desk: &Desk) -> chrono::DateTime<chrono::Utc> {
    desk.clock.now().min(sesame_core::Clock::system().now())
}

/// Applies the retention periods today (supervisor only). The audit log keeps who
/// did what and when; its personal payloads are redacted. The files of this desk's
/// output folder past their period go too (each desk purges its own folder).
pub async fn retention_purge(desk: &Desk) -> Result<PurgeReport, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::Purge, "retention")?;
    let policy = desk.store.policy().await?;
    let mut report = desk
        .store
        .purge(desk.clock.today(), policy.retention, &desk.actor()?)
        .await?;
    let now = output_files_now(desk);
    let keep_days = policy.retention.output_files_days;
    report.plan.output_files = purge_output_files(desk, now, keep_days, OutputPurgeMode::Plan);
    report.output_files = purge_output_files(desk, now, keep_days, OutputPurgeMode::Delete);
    Ok(report)
}

/// The archive written for a holder's access request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderExport {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Attachment files included (decrypted).
    #[ts(type = "number")]
    pub files: u32,
}

/// The audit action of a holder's archive written for their access request.
pub const HOLDER_EXPORTED: &str = "export";

/// Writes one zip archive with everything held about a holder to the output folder
/// (readable by its owner only): `holder.json` (holder, requests with their
/// attachments' descriptions, badges, audit entries) and each attachment, decrypted,
/// under `files/`. Supervisor only, since every ID scan leaves the database with it;
/// the audit log keeps who wrote it and what it holds (ids and counts, no personal data)
/// before the archive appears under its name.
pub async fn export_holder_archive(
    desk: &Desk,
    holder_id: HolderId,
) -> Result<HolderExport, ServiceError> {
    desk.require_supervisor(
        crate::SensitiveAction::ExportHolderData,
        &format!("holder:{}", holder_id.0),
    )?;
    let holder_id = holder_id.0;
    let records = desk.store.holder_records(holder_id).await?;
    let mut requests = Vec::new();
    let mut files = Vec::new();
    let mut exported_attachments = Vec::new();
    for request_id in &records.request_ids {
        let detail = desk.store.get_request(*request_id).await?;
        for meta in &detail.attachments {
            exported_attachments.push(serde_json::json!({ "id": meta.id, "kind": meta.kind }));
            let attachment = desk.store.get_attachment(meta.id).await?;
            let name = format!(
                "files/{}-{}-{}.{}",
                request_id.simple(),
                meta.kind.as_str(),
                meta.id.simple(),
                extension(meta.media_type)
            );
            files.push((name, attachment.bytes));
        }
        requests.push(detail);
    }
    let document = serde_json::json!({
        "exportedAt": desk.clock.now(),
        "exportedBy": desk.actor()?,
        "holder": records.holder,
        "anonymisedAt": records.anonymised_at,
        "requests": requests,
        "badges": records.badges,
        "audit": records.audit,
        "files": files.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>(),
    });
    let json = serde_json::to_vec_pretty(&document).map_err(|e| ServiceError::HolderExport {
        path: String::new(),
        detail: e.to_string(),
    })?;

    // The whole id: its first characters are a timestamp, shared by the holders
    // registered in the same minute.
    let stem = format!("holder-{}", holder_id.simple());
    let mut file = NewFile::create(desk, &Destination::OutputFolder, &stem, "zip")?;
    let failed = |path: &std::path::Path, detail| ServiceError::HolderExport {
        path: path.display().to_string(),
        detail,
    };
    let written =
        write_zip(file.file_mut(), &json, &files).map_err(|d| failed(file.target(), d))?;
    let file_name = file
        .target()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    // Dropped unpersisted, the `.part` file is removed: no archive without its audit line.
    desk.store
        .record_audit_events(
            &desk.actor()?,
            vec![AuditEvent {
                entity: AuditEntity::Holder,
                entity_id: holder_id.to_string(),
                request_id: None,
                action: HOLDER_EXPORTED,
                details: serde_json::json!({
                    "file": file_name,
                    "bytes": written,
                    "requests": records.request_ids,
                    "badges": records.badges.iter().map(|b| b.id).collect::<Vec<_>>(),
                    "attachments": exported_attachments,
                    "auditEntries": records.audit.len(),
                }),
            }],
        )
        .await?;
    let path = file.persist().map_err(|e| ServiceError::HolderExport {
        path: e.target,
        detail: e.source.to_string(),
    })?;
    Ok(HolderExport {
        path: path.display().to_string(),
        bytes: written,
        files: files.len() as u32,
    })
}

fn extension(media: sesame_core::MediaType) -> &'static str {
    match media {
        sesame_core::MediaType::Jpeg => "jpg",
        sesame_core::MediaType::Png => "png",
        sesame_core::MediaType::Pdf => "pdf",
    }
}

fn write_zip(
    file: &mut std::fs::File,
    json: &[u8],
    files: &[(String, Vec<u8>)],
) -> Result<u64, String> {
    let mut zip = zip::ZipWriter::new(file);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600);
    // Photos and scans are already compressed.
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    zip.start_file("holder.json", deflated)
        .map_err(|e| e.to_string())?;
    zip.write_all(json).map_err(|e| e.to_string())?;
    for (name, bytes) in files {
        zip.start_file(name.as_str(), stored)
            .map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    let file = zip.finish().map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())?;
    Ok(file.metadata().map_err(|e| e.to_string())?.len())
}

/// A holder's erasure on request: who, and why (kept in the audit log).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EraseHolderInput {
    pub holder_id: HolderId,
    pub reason: String,
}

/// Erases a holder on request (supervisor only): requests still under way are cancelled
/// and live badges deactivated first (each audited), then attachments are deleted, the
/// holder anonymised, search words removed, audit payloads about them redacted, and an
/// `erase` audit entry left with `reason`.
pub async fn erase_holder_data(
    desk: &Desk,
    input: EraseHolderInput,
) -> Result<HolderErasure, ServiceError> {
    desk.require_supervisor(
        crate::SensitiveAction::EraseHolder,
        &format!("holder:{}", input.holder_id.0),
    )?;
    let holder_id = input.holder_id.0;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::ReasonRequired);
    }
    let records = desk.store.holder_records(holder_id).await?;
    let why = format!("holder erasure: {reason}");
    for request_id in &records.request_ids {
        let detail = desk.store.get_request(*request_id).await?;
        if !detail.request.status.is_final() && detail.allowed_actions.iter().any(|a| a == "cancel")
        {
            desk.store
                .transition(
                    *request_id,
                    detail.request.version,
                    RequestAction::Cancel,
                    &desk.actor()?,
                    Some(&why),
                )
                .await?;
        }
    }
    for badge in &records.badges {
        if matches!(
            badge.status,
            BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended
        ) {
            desk.store
                .badge_transition(
                    badge.id,
                    badge.version,
                    BadgeAction::Deactivate,
                    &desk.actor()?,
                    Some(&why),
                )
                .await?;
        }
    }
    let today = desk.clock.today();
    Ok(desk
        .store
        .anonymise_holder(holder_id, &desk.actor()?, "erase", Some(reason), today)
        .await?)
}
