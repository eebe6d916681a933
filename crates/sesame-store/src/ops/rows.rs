//! Reading rows: the column lists, the mappers from a row to a domain value, and the
//! one loader of each entity every operation shares (request, holder, badge,
//! attachments), plus the request screen's detail built from them.

use chrono::{DateTime, NaiveDate, Utc};
use sesame_core::{
    allowed_actions, evaluate, missing_items, rules_for, AttachmentKind, Badge, BadgeStatus,
    DispatchMethod, Eligibility, Holder, HolderDetails, MediaType, Policy, ReplacementCause,
    Request, RequestDetails, RequestFacts, RequestKind, RequestStatus, Stamp, WantedDates,
};
use sqlx::Row;
use uuid::Uuid;

use super::{get_json_list, get_opt_uuid, get_uuid, load_policy, prefixed, Conn, DbRow, DIALECT};
use crate::codec::{AttachmentContext, BlobCodec};
use crate::error::{Result, StoreError};
use crate::{Attachment, AttachmentMeta, BadgeRow, RequestDetail};

pub(crate) const REQUEST_COLUMNS: &str = "id, holder_id, kind, status, version, services, wanted_from, wanted_until,
    previous_badge_id, replacement_cause, notes, consent_by, consent_at, photo_certified_by, photo_certified_at,
    status_reason, submitted_by, submitted_at, reviewed_by, reviewed_at, printed_by, printed_at,
    dispatched_by, dispatched_at, dispatch_method, activated_by, activated_at, print_claim_by, print_claim_at,
    updated_at, badge_id";

pub(crate) const HOLDER_COLUMNS: &str = "id, family_name, given_names, email, phone, organisation, unit, category,
    external_id, presence_days_per_week, mission_start, mission_end, version, created_at, updated_at";

pub(crate) const BADGE_COLUMNS: &str =
    "id, number, holder_id, request_id, card_serial, valid_from, valid_until,
    status, zones, status_reason, version, created_at, updated_at";

pub(crate) const ATTACHMENT_COLUMNS: &str =
    "id, request_id, kind, media_type, byte_size, created_by, created_at, replaced_at";

/// An attachment with its stored bytes: `a` the attachment, `b` its blob.
pub(crate) const ATTACHMENT_WITH_BLOB: &str =
    "SELECT a.id, a.request_id, a.kind, a.media_type, a.byte_size, a.created_by, a.created_at, a.replaced_at, b.codec, b.data
     FROM attachments a JOIN attachment_blobs b ON b.attachment_id = a.id";

/// The holder's columns that lists of badges show (`h`).
const BADGE_HOLDER_COLUMNS: &str =
    "h.family_name, h.given_names, h.email, h.organisation, h.unit, h.category, h.external_id";

/// A value's serde name (`snake_case` enums), as stored.
pub(crate) fn enum_str<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The enum a stored serde name stands for.
pub(crate) fn from_enum_str<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

fn parse_enum<T>(value: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> Result<T> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} '{value}'")))
}

/// A stamp kept as two columns (who, when); `None` unless both are set.
pub(crate) fn stamp(row: &DbRow, by: &str, at: &str) -> Result<Option<Stamp>> {
    let by: Option<String> = row.try_get(by)?;
    let at: Option<DateTime<Utc>> = row.try_get(at)?;
    Ok(match (by, at) {
        (Some(by), Some(at)) => Some(Stamp { by, at }),
        _ => None,
    })
}

pub(crate) fn request_from_row(row: &DbRow, zones: Vec<String>) -> Result<Request> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let cause: Option<String> = row.try_get("replacement_cause")?;
    let method: Option<String> = row.try_get("dispatch_method")?;
    Ok(Request {
        id: get_uuid(row, "id")?,
        holder_id: get_uuid(row, "holder_id")?,
        details: RequestDetails {
            kind: parse_enum(&kind, RequestKind::parse, "request kind")?,
            zones,
            services: get_json_list(row, "services")?,
            wanted_from: row.try_get("wanted_from")?,
            wanted_until: row.try_get("wanted_until")?,
            previous_badge_id: get_opt_uuid(row, "previous_badge_id")?,
            replacement_cause: cause
                .as_deref()
                .map(|c| parse_enum(c, from_enum_str::<ReplacementCause>, "replacement cause"))
                .transpose()?,
            notes: row.try_get("notes")?,
        },
        status: parse_enum(&status, RequestStatus::parse, "request status")?,
        version: row.try_get("version")?,
        image_rights_consent: stamp(row, "consent_by", "consent_at")?,
        photo_certified: stamp(row, "photo_certified_by", "photo_certified_at")?,
        status_reason: row.try_get("status_reason")?,
        submitted: stamp(row, "submitted_by", "submitted_at")?
            .ok_or_else(|| StoreError::Corrupt("request without submission stamp".into()))?,
        reviewed: stamp(row, "reviewed_by", "reviewed_at")?,
        printed: stamp(row, "printed_by", "printed_at")?,
        dispatched: stamp(row, "dispatched_by", "dispatched_at")?,
        dispatch_method: method
            .as_deref()
            .map(|m| parse_enum(m, from_enum_str::<DispatchMethod>, "dispatch method"))
            .transpose()?,
        activated: stamp(row, "activated_by", "activated_at")?,
        print_claim: stamp(row, "print_claim_by", "print_claim_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(crate) fn holder_from_row(row: &DbRow) -> Result<Holder> {
    let presence: i64 = row.try_get("presence_days_per_week")?;
    Ok(Holder {
        id: get_uuid(row, "id")?,
        details: HolderDetails {
            family_name: row.try_get("family_name")?,
            given_names: row.try_get("given_names")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
            organisation: row.try_get("organisation")?,
            unit: row.try_get("unit")?,
            category: row.try_get("category")?,
            external_id: row.try_get("external_id")?,
            presence_days_per_week: u8::try_from(presence)
                .map_err(|_| StoreError::Corrupt(format!("presence {presence} out of range")))?,
            mission_start: row.try_get("mission_start")?,
            mission_end: row.try_get("mission_end")?,
        },
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(crate) fn badge_from_row(row: &DbRow) -> Result<Badge> {
    let status: String = row.try_get("status")?;
    Ok(Badge {
        id: get_uuid(row, "id")?,
        number: row.try_get("number")?,
        holder_id: get_uuid(row, "holder_id")?,
        request_id: get_uuid(row, "request_id")?,
        card_serial: row.try_get("card_serial")?,
        valid_from: row.try_get("valid_from")?,
        valid_until: row.try_get("valid_until")?,
        status: parse_enum(&status, BadgeStatus::parse, "badge status")?,
        zones: get_json_list(row, "zones")?,
        status_reason: row.try_get("status_reason")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// A badge with its holder's name, from a [`badge_select`] row.
pub(crate) fn badge_row(row: &DbRow) -> Result<BadgeRow> {
    Ok(BadgeRow {
        badge: badge_from_row(row)?,
        family_name: row.try_get("family_name")?,
        given_names: row.try_get("given_names")?,
        email: row.try_get("email")?,
        organisation: row.try_get("organisation")?,
        unit: row.try_get("unit")?,
        category: row.try_get("category")?,
        external_id: row.try_get("external_id")?,
    })
}

/// When the badge `b` last became usable: its last activation or resumption, facts
/// the audit log keeps even after a retention purge redacts its payload.
pub(crate) const BADGE_USABLE_SINCE: &str = "(SELECT MAX(a.at) FROM audit_log a
     WHERE a.entity = 'badge' AND a.entity_id = b.id AND a.action IN ('activate', 'resume'))
     AS usable_since";

/// Since when a badge has been unused: its last passage at a door; never seen, since it
/// could first be used (activation), else since it was made.
pub(crate) fn unused_since(
    last_seen_at: Option<DateTime<Utc>>,
    usable_since: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
) -> DateTime<Utc> {
    last_seen_at.or(usable_since).unwrap_or(created_at)
}

/// `SELECT` of badges with their holder's columns (`b` and `h`), to extend with joins
/// and conditions; `extra` adds columns.
pub(crate) fn badge_select(extra: &str) -> String {
    format!(
        "SELECT {}, {BADGE_HOLDER_COLUMNS}{extra} FROM badges b JOIN holders h ON h.id = b.holder_id",
        prefixed(BADGE_COLUMNS, "b")
    )
}

pub(crate) fn meta_from_row(row: &DbRow) -> Result<AttachmentMeta> {
    let kind: String = row.try_get("kind")?;
    let media: String = row.try_get("media_type")?;
    Ok(AttachmentMeta {
        id: get_uuid(row, "id")?,
        request_id: get_uuid(row, "request_id")?,
        kind: parse_enum(&kind, AttachmentKind::parse, "attachment kind")?,
        media_type: parse_enum(&media, MediaType::from_mime, "media type")?,
        byte_size: row.try_get("byte_size")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        replaced_at: row.try_get("replaced_at")?,
    })
}

/// An attachment and its bytes, opened with `codec`, from an [`ATTACHMENT_WITH_BLOB`] row.
pub(crate) fn attachment_from_row(row: &DbRow, codec: &dyn BlobCodec) -> Result<Attachment> {
    let meta = meta_from_row(row)?;
    let codec_name: String = row.try_get("codec")?;
    let stored: Vec<u8> = row.try_get("data")?;
    let bytes = codec
        .open(&codec_name, &AttachmentContext::of(&meta), &stored)
        .map_err(|e| StoreError::Codec {
            id: meta.id.to_string(),
            reason: e.0,
        })?;
    Ok(Attachment { meta, bytes })
}

/// One row of `table` whose `key` column is `value`; `lock` takes PostgreSQL's row
/// lock (SQLite's write transaction already holds the database).
pub(crate) async fn row_by_key(
    conn: &mut Conn,
    columns: &str,
    table: &str,
    key: &str,
    value: &str,
    lock: bool,
) -> Result<Option<DbRow>> {
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE {key} = $1{}",
        if lock { DIALECT.for_update() } else { "" }
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(value.to_owned())
        .fetch_optional(&mut *conn)
        .await?)
}

/// One row of `table` by id, or `NotFound` naming `entity`.
pub(crate) async fn row_by_id(
    conn: &mut Conn,
    columns: &str,
    table: &str,
    entity: &'static str,
    id: Uuid,
    lock: bool,
) -> Result<DbRow> {
    row_by_key(conn, columns, table, "id", &id.to_string(), lock)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            entity,
            id: id.to_string(),
        })
}

/// A request's zones, in the order asked.
pub(crate) async fn load_request_zones(conn: &mut Conn, request_id: Uuid) -> Result<Vec<String>> {
    let zones: Vec<String> = sqlx::query_scalar(
        "SELECT zone FROM request_zones WHERE request_id = $1 ORDER BY position",
    )
    .bind(request_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(zones)
}

/// The request row and its badge id; `lock` takes PostgreSQL's row lock.
pub(crate) async fn load_request(
    conn: &mut Conn,
    id: Uuid,
    lock: bool,
) -> Result<(Request, Option<Uuid>)> {
    let row = row_by_id(conn, REQUEST_COLUMNS, "requests", "request", id, lock).await?;
    let badge_id = get_opt_uuid(&row, "badge_id")?;
    let zones = load_request_zones(conn, id).await?;
    Ok((request_from_row(&row, zones)?, badge_id))
}

pub(crate) async fn load_holder(conn: &mut Conn, id: Uuid) -> Result<Holder> {
    let row = row_by_id(conn, HOLDER_COLUMNS, "holders", "holder", id, false).await?;
    holder_from_row(&row)
}

/// A badge; `lock` takes PostgreSQL's row lock.
pub(crate) async fn load_badge(conn: &mut Conn, id: Uuid, lock: bool) -> Result<Badge> {
    let row = row_by_id(conn, BADGE_COLUMNS, "badges", "badge", id, lock).await?;
    badge_from_row(&row)
}

/// A request's attachments (without their bytes), oldest first.
pub(crate) async fn load_attachments(
    conn: &mut Conn,
    request_id: Uuid,
) -> Result<Vec<AttachmentMeta>> {
    let sql = format!(
        "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE request_id = $1 ORDER BY created_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(request_id.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(meta_from_row).collect()
}

pub(crate) fn facts(request: &Request, attachments: &[AttachmentMeta]) -> RequestFacts {
    RequestFacts {
        attachments: attachments.iter().map(|a| a.kind).collect(),
        image_rights_consent: request.image_rights_consent.is_some(),
        photo_certified: request.photo_certified.is_some(),
    }
}

/// The eligibility of a request's holder on `today`, as the review computes it.
pub(crate) fn eligibility_on(
    policy: &Policy,
    holder: &Holder,
    request: &Request,
    today: NaiveDate,
) -> Eligibility {
    let wanted = WantedDates {
        from: request.details.wanted_from,
        until: request.details.wanted_until,
    };
    evaluate(policy, &holder.details, request.details.kind, wanted, today)
}

/// What a request still needs before review, under its holder's category rules.
pub(crate) fn missing_for(
    policy: &Policy,
    holder: &Holder,
    request: &Request,
    attachments: &[AttachmentMeta],
) -> Vec<sesame_core::MissingItem> {
    let rules = rules_for(policy, &holder.details.category);
    missing_items(request.details.kind, rules, &facts(request, attachments))
}

/// Reads a request with everything the request screen shows, judged on `today`.
pub(crate) async fn request_detail(
    conn: &mut Conn,
    id: Uuid,
    today: NaiveDate,
) -> Result<RequestDetail> {
    let (request, badge_id) = load_request(conn, id, false).await?;
    let holder = load_holder(conn, request.holder_id).await?;
    let attachments = load_attachments(conn, id).await?;
    let badge = match badge_id {
        Some(badge_id) => Some(load_badge(conn, badge_id, false).await?),
        None => None,
    };
    let policy = load_policy(conn).await?;
    let missing = missing_for(&policy, &holder, &request, &attachments);
    let eligibility = eligibility_on(&policy, &holder, &request, today);
    let allowed = allowed_actions(request.status, request.details.kind, &missing, &eligibility);
    Ok(RequestDetail {
        request,
        holder,
        attachments,
        badge,
        missing,
        eligibility,
        allowed_actions: allowed,
    })
}
