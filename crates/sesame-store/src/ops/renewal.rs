//! Renewals (a new card for the same holder, reusing a recent photo) and extensions
//! (the same card, valid longer because the mission end moved).

use chrono::{DateTime, Utc};
use sesame_core::{
    rules, rules_for, AttachmentKind, AuditEntity, Badge, BadgeAction, BadgeStatus, Clock,
    DomainError, MediaType, RequestDetails, RequestKind,
};
use sqlx::Row;
use uuid::Uuid;

use super::attachments::insert_attachment;
use super::badges::apply_badge_action;
use super::requests::{insert_request, update_holder_row};
use super::rows::{load_badge, load_holder, load_request, request_detail};
use super::versioned::{bump_version, Bump, Versioned};
use super::{begin_write, get_uuid, load_policy, require_operator, Audit, Conn, Now, Pool};
use crate::codec::{AttachmentContext, BlobCodec};
use crate::error::{Result, StoreError};
use crate::{AttachmentMeta, ExtensionInput, NewRequest, RenewalInput, RenewalOutcome};

/// The holder's most recent photo, across all their requests.
struct LastPhoto {
    id: Uuid,
    request_id: Uuid,
    media_type: MediaType,
    created_by: String,
    created_at: DateTime<Utc>,
    codec: String,
    data: Vec<u8>,
}

async fn last_photo(conn: &mut Conn, holder_id: Uuid) -> Result<Option<LastPhoto>> {
    let row = sqlx::query(
        "SELECT a.id, a.request_id, a.media_type, a.created_by, a.created_at, b.codec, b.data
         FROM attachments a
         JOIN attachment_blobs b ON b.attachment_id = a.id
         JOIN requests r ON r.id = a.request_id
         WHERE r.holder_id = $1 AND a.kind = $2
         ORDER BY a.created_at DESC, a.id DESC LIMIT 1",
    )
    .bind(holder_id.to_string())
    .bind(AttachmentKind::Photo.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let media: String = row.try_get("media_type")?;
    Ok(Some(LastPhoto {
        id: get_uuid(&row, "id")?,
        request_id: get_uuid(&row, "request_id")?,
        media_type: MediaType::from_mime(&media)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown media type '{media}'")))?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        codec: row.try_get("codec")?,
        data: row.try_get("data")?,
    }))
}

/// Opens a renewal request for a badge's holder: their data as stored, the badge's zones
/// and services, and their last photo when it is at most the category's
/// `renewal_photo_max_age_days` old (copied with its original date, consent and
/// certification, so its age keeps counting). An older or missing photo leaves the
/// request awaiting a new one.
pub(crate) async fn create_renewal(
    pool: &Pool,
    clock: &Clock,
    codec: &dyn BlobCodec,
    badge_id: Uuid,
    input: RenewalInput,
    operator: &str,
) -> Result<RenewalOutcome> {
    require_operator(operator)?;
    let op = operator.trim();
    let now = Now::read(clock);
    let mut tx = begin_write(pool).await?;
    let badge = load_badge(&mut tx, badge_id, false).await?;
    if !matches!(
        badge.status,
        BadgeStatus::Issued | BadgeStatus::Active | BadgeStatus::Suspended | BadgeStatus::Expired
    ) {
        return Err(DomainError::BadgeNotRenewable {
            status: badge.status.as_str().to_owned(),
        }
        .into());
    }
    let holder = load_holder(&mut tx, badge.holder_id).await?;
    let (old_request, _) = load_request(&mut tx, badge.request_id, false).await?;
    let policy = load_policy(&mut tx).await?;
    let max_age = rules_for(&policy, &holder.details.category).renewal_photo_max_age_days;
    let details = RequestDetails {
        zones: badge.zones.clone(),
        services: old_request.details.services.clone(),
        wanted_until: input.wanted_until,
        previous_badge_id: Some(badge.id),
        notes: input.notes,
        ..RequestDetails::new(RequestKind::Renewal)
    };
    let new = NewRequest {
        holder_id: Some(holder.id),
        holder: holder.details.clone(),
        request: details,
    };
    let request_id = insert_request(&mut tx, &policy, new, op, now).await?;

    let photo = last_photo(&mut tx, holder.id).await?;
    let age_days = photo
        .as_ref()
        .map(|p| (now.at.date_naive() - p.created_at.date_naive()).num_days());
    let reused = match (&photo, age_days) {
        (Some(photo), Some(age)) if age <= i64::from(max_age) => {
            copy_photo(&mut tx, codec, photo, request_id, age, op, now.at).await?;
            true
        }
        _ => false,
    };
    let request = request_detail(&mut tx, request_id, now.today).await?;
    tx.commit().await?;
    Ok(RenewalOutcome {
        request,
        photo_reused: reused,
        photo_age_days: age_days,
        photo_max_age_days: max_age,
    })
}

async fn copy_photo(
    conn: &mut Conn,
    codec: &dyn BlobCodec,
    photo: &LastPhoto,
    request_id: Uuid,
    age_days: i64,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    // Opened here and sealed again under the new id by `insert_attachment`.
    let stored_as = AttachmentContext {
        id: photo.id,
        request_id: photo.request_id,
        kind: AttachmentKind::Photo,
        media_type: photo.media_type,
    };
    let plain = codec
        .open(&photo.codec, &stored_as, &photo.data)
        .map_err(|e| StoreError::Codec {
            id: photo.id.to_string(),
            reason: e.0,
        })?;
    let meta = AttachmentMeta {
        id: Uuid::now_v7(),
        request_id,
        kind: AttachmentKind::Photo,
        media_type: photo.media_type,
        byte_size: plain.len() as i64,
        created_by: photo.created_by.clone(),
        created_at: photo.created_at,
        replaced_at: None,
    };
    insert_attachment(conn, codec, &meta, &plain).await?;
    // The consent and the certification were about this photo: they come with it.
    sqlx::query(
        "UPDATE requests SET
             consent_by = (SELECT consent_by FROM requests WHERE id = $1),
             consent_at = (SELECT consent_at FROM requests WHERE id = $1),
             photo_certified_by = (SELECT photo_certified_by FROM requests WHERE id = $1),
             photo_certified_at = (SELECT photo_certified_at FROM requests WHERE id = $1)
         WHERE id = $2",
    )
    .bind(photo.request_id.to_string())
    .bind(request_id.to_string())
    .execute(&mut *conn)
    .await?;
    // The request was created in this transaction: it is at its first version.
    let bump = Bump::new(Versioned::Request, request_id, 1);
    let audit = Audit {
        operator,
        entity: AuditEntity::Attachment,
        entity_id: meta.id.to_string(),
        request_id: Some(request_id),
        action: "reuse_photo",
        before: None,
        after: Some(serde_json::json!({
            "fromAttachment": photo.id,
            "fromRequest": photo.request_id,
            "takenAt": photo.created_at,
            "ageDays": age_days,
        })),
        reason: None,
    };
    bump_version(conn, at, bump, audit).await
}

/// Extends a badge when the holder's mission end moved: the new mission end is recorded
/// on the holder, then the badge's validity goes to `valid_until` (by default as far as
/// allowed), never beyond the mission end nor the category's longest validity.
pub(crate) async fn extend_badge(
    pool: &Pool,
    clock: &Clock,
    badge_id: Uuid,
    expected_version: i64,
    input: ExtensionInput,
    operator: &str,
) -> Result<Badge> {
    require_operator(operator)?;
    let op = operator.trim();
    let now = Now::read(clock);
    let (at, today) = (now.at, now.today);
    let mut tx = begin_write(pool).await?;
    let badge = load_badge(&mut tx, badge_id, true).await?;
    let mut holder = load_holder(&mut tx, badge.holder_id).await?;
    let policy = load_policy(&mut tx).await?;
    if let Some(mission_end) = input.mission_end {
        if holder.details.mission_end != Some(mission_end) {
            let mut details = holder.details.clone();
            details.mission_end = Some(mission_end);
            details.validate(&policy.category_keys())?;
            update_holder_row(&mut tx, &holder, &details, op, at).await?;
            holder = load_holder(&mut tx, badge.holder_id).await?;
        }
    }
    let rules =
        policy
            .category(&holder.details.category)
            .ok_or_else(|| DomainError::UnknownCategory {
                value: holder.details.category.clone(),
            })?;
    let valid_until = input
        .valid_until
        .unwrap_or_else(|| rules::extension_limit(rules, &holder.details, today));
    // `Renew` checks the new end against the mission and the category, and the version.
    let badge = apply_badge_action(
        &mut tx,
        badge_id,
        expected_version,
        &BadgeAction::Renew { valid_until },
        op,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(badge)
}
