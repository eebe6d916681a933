//! Secured zones: the zone table, the approvers' decisions on zone-access requests,
//! the zones granted on badges, and the badge ↔ zone rights export.

use chrono::{DateTime, Utc};
use sesame_core::{
    zone::pending_zones, AuditEntity, BadgeStatus, Clock, DomainError, Request, RequestKind,
    RequestStatus, Zone, ZoneDecision, ZoneDetails, ZoneKind, ZoneVerdict,
};
use sqlx::Row;
use uuid::Uuid;

use super::badges::add_zones;
use super::rows::{badge_from_row, badge_select, load_badge, load_request, row_by_key};
use super::versioned::{bump_version, Bump, Value, Versioned};
use super::{append_audit, begin_write, get_uuid, require_operator, Audit, Conn, DbRow, Now, Pool};
use crate::error::{Result, StoreError};
use crate::{BadgeZone, ZoneAccessState, ZoneApprovals, ZoneRight};

const ZONE_COLUMNS: &str =
    "key, label_fr, label_en, kind, approver_name, approver_email, active, version, updated_at";

fn zone_from_row(row: &DbRow) -> Result<Zone> {
    let kind: String = row.try_get("kind")?;
    Ok(Zone {
        details: ZoneDetails {
            key: row.try_get("key")?,
            label_fr: row.try_get("label_fr")?,
            label_en: row.try_get("label_en")?,
            kind: ZoneKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown zone kind '{kind}'")))?,
            approver_name: row.try_get("approver_name")?,
            approver_email: row.try_get("approver_email")?,
            active: row.try_get("active")?,
        },
        version: row.try_get("version")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn zone_audit_id(key: &str) -> String {
    format!("zone:{key}")
}

pub(crate) async fn load_zone(conn: &mut Conn, key: &str) -> Result<Option<Zone>> {
    let row = row_by_key(conn, ZONE_COLUMNS, "zones", "key", key.trim(), false).await?;
    row.as_ref().map(zone_from_row).transpose()
}

/// The whole zone table, by key.
pub(crate) async fn all_zones(conn: &mut Conn) -> Result<Vec<Zone>> {
    let sql = format!("SELECT {ZONE_COLUMNS} FROM zones ORDER BY key");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(zone_from_row).collect()
}

pub(crate) async fn list_zones(pool: &Pool) -> Result<Vec<Zone>> {
    let mut conn = pool.acquire().await?;
    all_zones(&mut conn).await
}

/// Creates a zone (`expected_version` `None`) or changes one at the version the desk saw.
pub(crate) async fn save_zone(
    pool: &Pool,
    clock: &Clock,
    details: ZoneDetails,
    expected_version: Option<i64>,
    operator: &str,
) -> Result<Zone> {
    require_operator(operator)?;
    let details = details.normalised();
    details.validate()?;
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let before = load_zone(&mut tx, &details.key).await?;
    let conflict = |actual: i64| StoreError::VersionConflict {
        entity: "zone",
        id: details.key.clone(),
        expected: expected_version.unwrap_or(0),
        actual,
    };
    let audit = Audit {
        operator: operator.trim(),
        entity: AuditEntity::Settings,
        entity_id: zone_audit_id(&details.key),
        request_id: None,
        action: if before.is_some() {
            "update_zone"
        } else {
            "create_zone"
        },
        before: before
            .as_ref()
            .and_then(|z| serde_json::to_value(&z.details).ok()),
        after: serde_json::to_value(&details).ok(),
        reason: None,
    };
    match (&before, expected_version) {
        (None, None) => {
            sqlx::query(
                "INSERT INTO zones (key, label_fr, label_en, kind, approver_name, approver_email, active,
                     version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
            )
            .bind(details.key.clone())
            .bind(details.label_fr.clone())
            .bind(details.label_en.clone())
            .bind(details.kind.as_str())
            .bind(details.approver_name.clone())
            .bind(details.approver_email.clone())
            .bind(details.active)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            append_audit(&mut tx, at, audit).await?;
        }
        (Some(zone), Some(expected)) if zone.version == expected => {
            let bump = Bump::new(Versioned::Zone, &details.key, expected)
                .set("label_fr", details.label_fr.as_str())
                .set("label_en", details.label_en.as_str())
                .set("kind", details.kind.as_str())
                .set("approver_name", details.approver_name.as_str())
                .set("approver_email", details.approver_email.as_str())
                .set("active", Value::Bool(details.active));
            bump_version(&mut tx, at, bump, audit).await?;
        }
        (Some(zone), _) => return Err(conflict(zone.version)),
        (None, Some(_)) => {
            return Err(StoreError::NotFound {
                entity: "zone",
                id: details.key.clone(),
            });
        }
    }
    let zone = load_zone(&mut tx, &details.key)
        .await?
        .ok_or_else(|| StoreError::Corrupt("zone vanished after saving".into()))?;
    tx.commit().await?;
    Ok(zone)
}

/// Checks that every zone asked for exists and still takes requests.
pub(crate) async fn check_requestable(conn: &mut Conn, zones: &[String]) -> Result<()> {
    for key in zones {
        match load_zone(conn, key).await? {
            None => return Err(DomainError::UnknownZone { key: key.clone() }.into()),
            Some(zone) if !zone.details.active => {
                return Err(DomainError::ZoneInactive { key: key.clone() }.into());
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn decision_from_row(row: &DbRow) -> Result<ZoneDecision> {
    let verdict: String = row.try_get("verdict")?;
    Ok(ZoneDecision {
        request_id: get_uuid(row, "request_id")?,
        zone: row.try_get("zone")?,
        verdict: ZoneVerdict::parse(&verdict)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown zone verdict '{verdict}'")))?,
        approver: row.try_get("approver")?,
        reason: row.try_get("reason")?,
        recorded_by: row.try_get("recorded_by")?,
        decided_at: row.try_get("decided_at")?,
    })
}

pub(crate) async fn load_decisions(conn: &mut Conn, request_id: Uuid) -> Result<Vec<ZoneDecision>> {
    let rows = sqlx::query(
        "SELECT request_id, zone, verdict, approver, reason, recorded_by, decided_at
         FROM zone_decisions WHERE request_id = $1 ORDER BY decided_at, zone",
    )
    .bind(request_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(decision_from_row).collect()
}

fn approvals(request: &Request, decisions: Vec<ZoneDecision>) -> ZoneApprovals {
    let pending = pending_zones(&request.details.zones, &decisions)
        .into_iter()
        .cloned()
        .collect();
    ZoneApprovals {
        request_id: request.id,
        requested: request.details.zones.clone(),
        decisions,
        pending,
    }
}

fn require_zone_access(request: &Request) -> Result<()> {
    if request.details.kind != RequestKind::ZoneAccess {
        return Err(DomainError::WrongRequestKind {
            expected: RequestKind::ZoneAccess.as_str().to_owned(),
            found: request.details.kind.as_str().to_owned(),
        }
        .into());
    }
    Ok(())
}

pub(crate) async fn zone_approvals(pool: &Pool, request_id: Uuid) -> Result<ZoneApprovals> {
    let mut conn = pool.acquire().await?;
    let (request, _) = load_request(&mut conn, request_id, false).await?;
    require_zone_access(&request)?;
    let decisions = load_decisions(&mut conn, request_id).await?;
    Ok(approvals(&request, decisions))
}

/// Records the zone approver's answer for one zone of a zone-access request. The
/// approver named is the zone's, as it stands now; `operator` typed it in.
pub(crate) async fn record_zone_decision(
    pool: &Pool,
    clock: &Clock,
    request_id: Uuid,
    zone: &str,
    verdict: ZoneVerdict,
    reason: Option<&str>,
    operator: &str,
) -> Result<ZoneApprovals> {
    require_operator(operator)?;
    let op = operator.trim();
    let zone = zone.trim();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let at = Now::read(clock).at;
    let mut tx = begin_write(pool).await?;
    let (request, _) = load_request(&mut tx, request_id, true).await?;
    require_zone_access(&request)?;
    let action = match verdict {
        ZoneVerdict::Approved => "approve_zone",
        ZoneVerdict::Refused => "refuse_zone",
    };
    if !(request.status.is_open() || request.status == RequestStatus::Approved) {
        return Err(DomainError::IllegalRequestTransition {
            status: request.status.as_str().to_owned(),
            action: action.to_owned(),
        }
        .into());
    }
    if !request.details.zones.iter().any(|z| z == zone) {
        return Err(DomainError::ZoneNotRequested {
            zone: zone.to_owned(),
        }
        .into());
    }
    if verdict == ZoneVerdict::Refused && reason.is_none() {
        return Err(DomainError::ReasonRequired {
            action: action.to_owned(),
        }
        .into());
    }
    let decisions = load_decisions(&mut tx, request_id).await?;
    if decisions.iter().any(|d| d.zone == zone) {
        return Err(DomainError::ZoneAlreadyDecided {
            zone: zone.to_owned(),
        }
        .into());
    }
    let approver = load_zone(&mut tx, zone)
        .await?
        .ok_or_else(|| DomainError::UnknownZone {
            key: zone.to_owned(),
        })?
        .details
        .approver_name;
    sqlx::query(
        "INSERT INTO zone_decisions (request_id, zone, verdict, approver, reason, recorded_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id.to_string())
    .bind(zone)
    .bind(verdict.as_str())
    .bind(approver.clone())
    .bind(reason)
    .bind(op)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    // Other desks showing the request see that it moved.
    let bump = Bump::new(Versioned::Request, request_id, request.version);
    let audit = Audit {
        operator: op,
        entity: AuditEntity::Request,
        entity_id: request_id.to_string(),
        request_id: Some(request_id),
        action,
        before: None,
        after: Some(serde_json::json!({ "zone": zone, "verdict": verdict, "approver": approver })),
        reason,
    };
    bump_version(&mut tx, at, bump, audit).await?;
    let decisions = load_decisions(&mut tx, request_id).await?;
    tx.commit().await?;
    Ok(approvals(&request, decisions))
}

/// On activation of a zone-access request: the zones its approvers granted join the
/// badge; nothing happens while an approver has not answered.
pub(crate) async fn grant_decided_zones(
    conn: &mut Conn,
    request: &Request,
    badge_id: Uuid,
    operator: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let decisions = load_decisions(conn, request.id).await?;
    let pending: Vec<String> = pending_zones(&request.details.zones, &decisions)
        .into_iter()
        .cloned()
        .collect();
    if !pending.is_empty() {
        return Err(DomainError::ZoneDecisionPending { zones: pending }.into());
    }
    let granted: Vec<String> = request
        .details
        .zones
        .iter()
        .filter(|z| {
            decisions
                .iter()
                .any(|d| &d.zone == *z && d.verdict == ZoneVerdict::Approved)
        })
        .cloned()
        .collect();
    if granted.is_empty() {
        return Ok(());
    }
    add_zones(conn, badge_id, &granted, operator, request.id, at).await
}

/// The zones on a badge, described from the zone table.
pub(crate) async fn badge_zones(pool: &Pool, badge_id: Uuid) -> Result<Vec<BadgeZone>> {
    let mut conn = pool.acquire().await?;
    let badge = load_badge(&mut conn, badge_id, false).await?;
    let mut out = Vec::with_capacity(badge.zones.len());
    for key in &badge.zones {
        let zone = load_zone(&mut conn, key).await?;
        out.push(BadgeZone {
            key: key.clone(),
            label_fr: zone.as_ref().map(|z| z.details.label_fr.clone()),
            label_en: zone.as_ref().map(|z| z.details.label_en.clone()),
            kind: zone.as_ref().map(|z| z.details.kind),
            active: badge.status == BadgeStatus::Active,
        });
    }
    Ok(out)
}

/// Badge ↔ zone rights for the access-control system: active badges grant their zones;
/// opposed and suspended ones are listed as blocked. Ordered by badge number then zone.
pub(crate) async fn zone_rights(pool: &Pool) -> Result<Vec<ZoneRight>> {
    let mut conn = pool.acquire().await?;
    let kinds: std::collections::HashMap<String, ZoneKind> = all_zones(&mut conn)
        .await?
        .into_iter()
        .map(|z| (z.details.key, z.details.kind))
        .collect();
    let mut sql = badge_select("");
    sql.push_str(" WHERE b.status IN ($1, $2, $3) ORDER BY b.number");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(BadgeStatus::Active.as_str())
        .bind(BadgeStatus::Opposed.as_str())
        .bind(BadgeStatus::Suspended.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        let badge = badge_from_row(row)?;
        let family_name: String = row.try_get("family_name")?;
        let given_names: String = row.try_get("given_names")?;
        let external_id: Option<String> = row.try_get("external_id")?;
        let access = if badge.status == BadgeStatus::Active {
            ZoneAccessState::Granted
        } else {
            ZoneAccessState::Blocked
        };
        let mut zones = badge.zones.clone();
        zones.sort();
        if zones.is_empty() {
            if access == ZoneAccessState::Granted {
                continue;
            }
            zones.push(String::new());
        }
        for zone in zones {
            out.push(ZoneRight {
                badge_number: badge.number.clone(),
                card_serial: badge.card_serial.clone(),
                badge_status: badge.status,
                access,
                zone_kind: kinds.get(&zone).copied(),
                zone,
                family_name: family_name.clone(),
                given_names: given_names.clone(),
                external_id: external_id.clone(),
                valid_from: badge.valid_from,
                valid_until: badge.valid_until,
            });
        }
    }
    Ok(out)
}
