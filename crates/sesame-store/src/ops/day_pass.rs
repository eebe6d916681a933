//! Day passes: the notice rule on creation, and the list of a day's expected visitors.

use chrono::{NaiveDate, NaiveDateTime};
use sesame_core::{rules, rules_for, Policy, RequestKind, RequestStatus};
use sqlx::Row;

use super::rows::load_request_zones;
use super::visits::{visit_host, visit_on};
use super::{get_uuid, Pool};
use crate::error::{Result, StoreError};
use crate::{NewRequest, VisitorRow};

/// Refuses a day pass asked too late for its first day (the category's notice, in
/// hours, counted to 00:00 office time of that day). Other kinds pass.
pub(crate) fn check_notice(
    policy: &Policy,
    new: &NewRequest,
    asked_at: NaiveDateTime,
) -> Result<()> {
    if new.request.kind != RequestKind::DayPass {
        return Ok(());
    }
    // Without dates the request is not eligible anyway (see `rules::evaluate`).
    let Some(first_day) = new.request.wanted_from else {
        return Ok(());
    };
    let category = new.holder.category.trim().to_lowercase();
    let rules = rules_for(policy, &category);
    rules::check_day_pass_notice(rules, first_day, asked_at).map_err(StoreError::from)
}

/// Day passes covering `day`, neither refused nor cancelled, by holder name.
pub(crate) async fn expected_visitors(pool: &Pool, day: NaiveDate) -> Result<Vec<VisitorRow>> {
    let mut conn = pool.acquire().await?;
    let rows = sqlx::query(
        "SELECT r.id, r.status, r.holder_id, r.wanted_from, r.wanted_until, r.badge_number, r.notes,
                h.family_name, h.given_names, h.organisation, h.email, h.phone
         FROM requests r JOIN holders h ON h.id = r.holder_id
         WHERE r.kind = $1 AND r.wanted_from <= $2 AND r.wanted_until >= $2
           AND r.status NOT IN ($3, $4)
         ORDER BY r.holder_sort, r.id",
    )
    .bind(RequestKind::DayPass.as_str())
    .bind(day)
    .bind(RequestStatus::Refused.as_str())
    .bind(RequestStatus::Cancelled.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let id = get_uuid(row, "id")?;
        let status: String = row.try_get("status")?;
        let first_day: Option<NaiveDate> = row.try_get("wanted_from")?;
        let last_day: Option<NaiveDate> = row.try_get("wanted_until")?;
        out.push(VisitorRow {
            request_id: id,
            status: RequestStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown request status '{status}'")))?,
            holder_id: get_uuid(row, "holder_id")?,
            family_name: row.try_get("family_name")?,
            given_names: row.try_get("given_names")?,
            organisation: row.try_get("organisation")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
            first_day: first_day.unwrap_or(day),
            last_day: last_day.unwrap_or(day),
            zones: load_request_zones(&mut conn, id).await?,
            badge_number: row.try_get("badge_number")?,
            notes: row.try_get("notes")?,
            host: visit_host(&mut conn, id).await?,
            visit: visit_on(&mut conn, id, day).await?,
        });
    }
    Ok(out)
}
