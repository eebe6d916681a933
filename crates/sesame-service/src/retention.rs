//! Personal data over time (issue 8): the retention purge (with its dry run) and the
//! holders' rights: an export of everything held about one holder, and erasure.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sesame_core::{BadgeAction, BadgeStatus, RequestAction};
use sesame_store::{HolderErasure, PurgePlan, PurgeReport};
use ts_rs::TS;
use uuid::Uuid;

use crate::{Desk, ServiceError};

fn parse_holder_id(value: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(value.trim()).map_err(|_| ServiceError::BadId {
        value: value.to_string(),
    })
}

/// What the purge would remove on `today` under the office's retention periods.
pub async fn purge_plan(desk: &Desk, today: NaiveDate) -> Result<PurgePlan, ServiceError> {
    let policy = desk.store.policy().await?;
    Ok(desk.store.purge_plan(today, policy.retention).await?)
}

/// Applies the retention periods on `today` (supervisor only). The audit log keeps who
/// did what and when; its personal payloads are redacted.
pub async fn purge(desk: &Desk, today: NaiveDate) -> Result<PurgeReport, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::Purge)?;
    let policy = desk.store.policy().await?;
    Ok(desk
        .store
        .purge(today, policy.retention, &desk.operator)
        .await?)
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

/// Writes one zip archive with everything held about a holder to the print/output folder:
/// `holder.json` (holder, requests with their attachments' descriptions, badges, audit
/// entries) and each attachment, decrypted, under `files/`.
pub async fn export_holder(desk: &Desk, holder_id: &str) -> Result<HolderExport, ServiceError> {
    let holder_id = parse_holder_id(holder_id)?;
    let records = desk.store.holder_records(holder_id).await?;
    let mut requests = Vec::new();
    let mut files = Vec::new();
    for request_id in &records.request_ids {
        let detail = desk.store.get_request(*request_id).await?;
        for meta in &detail.attachments {
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
        "exportedAt": chrono::Utc::now(),
        "exportedBy": desk.operator,
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

    let dir = crate::printers::print_dir(desk)?;
    let stem = format!("holder-{}", &holder_id.simple().to_string()[..8]);
    let path = crate::printers::unique_path(&dir, &stem, "zip");
    let written = write_zip(&path, &json, &files).map_err(|detail| {
        let _ = std::fs::remove_file(&path);
        ServiceError::HolderExport {
            path: path.display().to_string(),
            detail,
        }
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

fn write_zip(path: &PathBuf, json: &[u8], files: &[(String, Vec<u8>)]) -> Result<u64, String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| e.to_string())?;
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

/// Erases a holder on request (supervisor only): requests still under way are cancelled
/// and live badges deactivated first (each audited), then attachments are deleted, the
/// holder anonymised, search words removed, audit payloads about them redacted, and an
/// `erase` audit entry left with `reason`.
pub async fn erase_holder(
    desk: &Desk,
    holder_id: &str,
    reason: &str,
) -> Result<HolderErasure, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::EraseHolder)?;
    let holder_id = parse_holder_id(holder_id)?;
    let reason = reason.trim();
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
                    &desk.operator,
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
                    &desk.operator,
                    Some(&why),
                )
                .await?;
        }
    }
    let today = chrono::Utc::now().date_naive();
    Ok(desk
        .store
        .anonymise_holder(holder_id, &desk.operator, "erase", Some(reason), today)
        .await?)
}
