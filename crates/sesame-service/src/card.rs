//! The physical card bound to a badge: its UID read from the desk's contactless
//! reader (or typed, as a keyboard-wedge reader or the card's print gives it) at
//! print or hand-over, refused when another live badge holds that card, and found
//! again from the card alone ("whose card is this?").

use serde::{Deserialize, Serialize};
use sesame_card::{read_uid, readers, CardRead, CardUid, ReaderInfo, DEFAULT_WAIT};
use sesame_core::Badge;
use sesame_store::{BadgeQuery, BadgeRow};
use ts_rs::TS;

use crate::blocking::Blocking;
use crate::{BadgeId, Desk, ServiceError};

/// The contactless readers connected to this desk, and whether a card lies on each.
pub async fn card_readers(desk: &Desk) -> Result<Vec<ReaderInfo>, ServiceError> {
    desk.require_signed_in()?;
    on_reader_thread(readers).await
}

/// A reading: on the reader named, or on the desk's only one (or the only one
/// holding a card).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CardReading {
    pub reader: Option<String>,
}

/// The card to bind to a badge: read now, or typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BindCardInput {
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
    /// The UID as typed; `None`: read it from the reader.
    #[serde(default)]
    pub typed_uid: Option<String>,
    #[serde(default)]
    pub reader: Option<String>,
}

/// A card bound: the badge as it now stands, the UID, and the reader it was read on
/// (`None` when typed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoundCard {
    pub badge: Badge,
    pub uid: String,
    pub reader: Option<String>,
}

/// Binds a card to a badge. A card still held by another live badge (issued,
/// active, suspended or opposed) is refused, naming it; one back from a badge that
/// ended moves to this one, both badges' histories saying so.
pub async fn bind_card(desk: &Desk, input: BindCardInput) -> Result<BoundCard, ServiceError> {
    let operator = desk.actor()?;
    let (uid, reader) = match input.typed_uid.as_deref() {
        Some(typed) => (CardUid::parse(typed)?, None),
        None => {
            let read = read_card(input.reader).await?;
            (read.uid, Some(read.reader))
        }
    };
    let badge = desk
        .store
        .set_card_serial(
            input.badge_id.into(),
            input.expected_version,
            Some(uid.as_str()),
            &operator,
        )
        .await?;
    Ok(BoundCard {
        badge,
        uid: uid.to_string(),
        reader,
    })
}

/// A badge and the version it was read at.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnbindCardInput {
    pub badge_id: BadgeId,
    #[ts(type = "number")]
    pub expected_version: i64,
}

/// Takes the card off a badge (bound by mistake, or kept by the office).
pub async fn unbind_card(desk: &Desk, input: UnbindCardInput) -> Result<Badge, ServiceError> {
    let operator = desk.actor()?;
    Ok(desk
        .store
        .set_card_serial(
            input.badge_id.into(),
            input.expected_version,
            None,
            &operator,
        )
        .await?)
}

/// A card laid on the reader, and the badge it is bound to, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentifiedCard {
    pub uid: String,
    pub reader: String,
    pub badge: Option<BadgeRow>,
}

/// Reads the card on the reader and finds its badge.
pub async fn identify_card(
    desk: &Desk,
    input: CardReading,
) -> Result<IdentifiedCard, ServiceError> {
    desk.require_signed_in()?;
    let read = read_card(input.reader).await?;
    let badge = badge_of_card(desk, &read.uid).await?;
    Ok(IdentifiedCard {
        uid: read.uid.to_string(),
        reader: read.reader,
        badge,
    })
}

/// The badge `uid` is bound to, with its holder.
pub(crate) async fn badge_of_card(
    desk: &Desk,
    uid: &CardUid,
) -> Result<Option<BadgeRow>, ServiceError> {
    let Some(badge) = desk.store.find_badge_by_card(uid.as_str()).await? else {
        return Ok(None);
    };
    let rows = desk
        .store
        .list_badges(&BadgeQuery {
            holder_id: Some(badge.holder_id),
            ..BadgeQuery::default()
        })
        .await?;
    Ok(rows.into_iter().find(|row| row.badge.id == badge.id))
}

/// Reads the card on the reader (waiting for it), off the async threads.
pub(crate) async fn read_card(reader: Option<String>) -> Result<CardRead, ServiceError> {
    on_reader_thread(move || read_uid(reader.as_deref(), DEFAULT_WAIT)).await
}

/// PC/SC calls block (a reading waits for the card): off the async threads.
async fn on_reader_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, sesame_card::CardError> + Send + 'static,
) -> Result<T, ServiceError> {
    Blocking::CardReader
        .run(move || work().map_err(ServiceError::from))
        .await
}
