//! Finding a badge at the desk: by its number or its holder (to declare an
//! opposition, renew or extend it).

use std::collections::BTreeSet;

use sesame_store::{BadgeQuery, BadgeRow, QueueQuery, StoreError};
use uuid::Uuid;

use crate::{Desk, ServiceError};

/// At most this many holders are looked at for one search: the operator narrows a
/// search that matches more people than fit on a screen.
const MAX_SEARCH_HOLDERS: u32 = 50;

/// Badges whose number or card UID is `text`, then the badges of holders whose name,
/// e-mail or HR number starts with the words of `text` (accents and case ignored),
/// by number.
pub async fn find_badges(desk: &Desk, text: String) -> Result<Vec<BadgeRow>, ServiceError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut holders: Vec<Uuid> = Vec::new();
    match desk.store.find_badge(&text).await {
        Ok(badge) => holders.push(badge.holder_id),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    // A card's UID, as a reader or its print gives it, finds the badge holding it.
    let uid = sesame_card::CardUid::parse(&text).ok();
    if let Some(uid) = &uid {
        if let Some(row) = crate::card::badge_of_card(desk, uid).await? {
            holders.push(row.badge.holder_id);
        }
    }
    let page = desk
        .store
        .look_up_requests(&QueueQuery {
            search: Some(text.clone()),
            limit: Some(MAX_SEARCH_HOLDERS),
            ..QueueQuery::default()
        })
        .await?;
    for row in page.rows {
        if !holders.contains(&row.holder_id) {
            holders.push(row.holder_id);
        }
    }
    let mut seen = BTreeSet::new();
    let mut badges = Vec::new();
    for holder_id in holders {
        let rows = desk
            .store
            .list_badges(&BadgeQuery {
                holder_id: Some(holder_id),
                ..BadgeQuery::default()
            })
            .await?;
        for row in rows {
            if seen.insert(row.badge.id) {
                badges.push(row);
            }
        }
    }
    // The exact number or card first, then by number, as the desk reads them.
    let exact = |row: &BadgeRow| {
        row.badge.number == text
            || uid
                .as_ref()
                .is_some_and(|uid| row.badge.card_serial.as_deref() == Some(uid.as_str()))
    };
    badges.sort_by(|a, b| (!exact(a), &a.badge.number).cmp(&(!exact(b), &b.badge.number)));
    Ok(badges)
}

/// The badge with exactly this number (the command line names badges by number).
pub async fn badge_by_number(
    desk: &Desk,
    number: String,
) -> Result<sesame_core::Badge, ServiceError> {
    Ok(desk.store.find_badge(number.trim()).await?)
}
