//! Reading a UID through PC/SC: which reader, waiting for the card, the GET DATA
//! command every PC/SC contactless reader answers, and each failure named.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pcsc::{Context, Error, Protocols, ReaderState, Scope, ShareMode, State, MAX_BUFFER_SIZE};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{CardError, CardUid};

/// How long a reading waits for the card to be laid on the reader.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(15);

/// PC/SC part 3's GET DATA for the UID: the reader answers it for any contactless
/// card, whatever the card (MIFARE, DESFire, ISO 14443-4, FeliCa).
const GET_UID: [u8; 5] = [0xFF, 0xCA, 0x00, 0x00, 0x00];
/// The status word of a command that succeeded.
const SUCCESS: [u8; 2] = [0x90, 0x00];

/// A connected reader, and whether a card lies on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReaderInfo {
    pub name: String,
    pub card_present: bool,
}

/// A UID, and the reader it was read on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRead {
    pub uid: CardUid,
    pub reader: String,
}

/// The readers connected now.
pub fn readers() -> Result<Vec<ReaderInfo>, CardError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    let present = cards_present(&context, &names)?;
    Ok(names
        .iter()
        .zip(present)
        .map(|(name, card_present)| ReaderInfo {
            name: name.to_string_lossy().into_owned(),
            card_present,
        })
        .collect())
}

/// Reads the UID of the card on `reader`, waiting up to `wait` for one to be laid
/// there. Without a reader named: the card laid on any reader connected, as long as
/// only one holds a card.
pub fn read_uid(reader: Option<&str>, wait: Duration) -> Result<CardRead, CardError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    let candidates = match reader {
        Some(wanted) => vec![names
            .iter()
            .find(|n| n.to_string_lossy() == wanted)
            .cloned()
            .ok_or_else(|| CardError::ReaderGone {
                reader: wanted.to_owned(),
            })?],
        None => names,
    };
    let chosen = wait_for_card(&context, &candidates, wait)?;
    let name = chosen.to_string_lossy().into_owned();
    let uid = transmit_get_uid(&context, &chosen, &name)?;
    Ok(CardRead { uid, reader: name })
}

fn establish() -> Result<Context, CardError> {
    Context::establish(Scope::User).map_err(service_or_failed)
}

fn reader_names(context: &Context) -> Result<Vec<CString>, CardError> {
    // pcsc-lite's "no readers available" comes back as an empty list.
    let names = context.list_readers_owned().map_err(|e| match e {
        Error::NoReadersAvailable => CardError::NoReader,
        other => service_or_failed(other),
    })?;
    if names.is_empty() {
        return Err(CardError::NoReader);
    }
    Ok(names)
}

/// Whether each reader holds a card now.
fn cards_present(context: &Context, names: &[CString]) -> Result<Vec<bool>, CardError> {
    let mut states: Vec<ReaderState> = names
        .iter()
        .map(|name| ReaderState::new(name.clone(), State::UNAWARE))
        .collect();
    // Told it knows nothing, PC/SC answers at once with each reader's state.
    context
        .get_status_change(Duration::ZERO, &mut states)
        .map_err(service_or_failed)?;
    Ok(states.iter().map(holds_a_card).collect())
}

fn holds_a_card(state: &ReaderState) -> bool {
    let state = state.event_state();
    state.contains(State::PRESENT) && !state.contains(State::MUTE)
}

/// Waits until a card lies on one of `readers`: that reader. Cards on several of
/// them at once are refused (which one is meant?), naming those readers.
fn wait_for_card(
    context: &Context,
    readers: &[CString],
    wait: Duration,
) -> Result<CString, CardError> {
    let deadline = Instant::now() + wait;
    let names = || {
        readers
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
    };
    let no_card = || CardError::NoCard {
        reader: names().join(", "),
        seconds: wait.as_secs(),
    };
    let mut states: Vec<ReaderState> = readers
        .iter()
        .map(|name| ReaderState::new(name.clone(), State::UNAWARE))
        .collect();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match context.get_status_change(left, &mut states) {
            Ok(()) => {}
            Err(Error::Timeout) => return Err(no_card()),
            Err(Error::UnknownReader | Error::ReaderUnavailable) => {
                return Err(CardError::ReaderGone {
                    reader: names().join(", "),
                })
            }
            Err(other) => return Err(service_or_failed(other)),
        }
        let unplugged = State::UNKNOWN | State::UNAVAILABLE | State::IGNORE;
        if let Some(gone) = states
            .iter()
            .find(|s| s.event_state().intersects(unplugged))
        {
            return Err(CardError::ReaderGone {
                reader: gone.name().to_string_lossy().into_owned(),
            });
        }
        let holding: Vec<&ReaderState> = states.iter().filter(|s| holds_a_card(s)).collect();
        match holding.as_slice() {
            [one] => return Ok(one.name().to_owned()),
            [] if left.is_zero() => return Err(no_card()),
            [] => {}
            several => {
                return Err(CardError::SeveralReaders {
                    readers: several
                        .iter()
                        .map(|s| s.name().to_string_lossy().into_owned())
                        .collect(),
                })
            }
        }
        for state in &mut states {
            state.sync_current_state();
        }
    }
}

fn transmit_get_uid(context: &Context, reader: &CString, name: &str) -> Result<CardUid, CardError> {
    // Between the card laid and the answer, a card taken off shows as any of these.
    let mid_read = |e: Error| match e {
        Error::NoSmartcard
        | Error::RemovedCard
        | Error::ResetCard
        | Error::UnpoweredCard
        | Error::UnresponsiveCard
        | Error::NotTransacted => CardError::Removed {
            reader: name.to_owned(),
        },
        Error::UnknownReader | Error::ReaderUnavailable => CardError::ReaderGone {
            reader: name.to_owned(),
        },
        other => service_or_failed(other),
    };
    let card = context
        .connect(reader, ShareMode::Shared, Protocols::ANY)
        .map_err(mid_read)?;
    let mut buffer = [0; MAX_BUFFER_SIZE];
    let answer = card.transmit(&GET_UID, &mut buffer).map_err(mid_read)?;
    // No status word at all: the card left before it answered (some drivers report
    // it so rather than as an error).
    if answer.len() < SUCCESS.len() {
        return Err(CardError::Removed {
            reader: name.to_owned(),
        });
    }
    let (uid, status) = answer.split_at(answer.len().saturating_sub(2));
    if status != SUCCESS {
        return Err(CardError::NoUid {
            reader: name.to_owned(),
            status: status.iter().map(|b| format!("{b:02X}")).collect(),
        });
    }
    CardUid::from_bytes(uid)
}

/// The service gone (never started, stopped, or stopped while we waited: the last
/// shows as a communication error), or another failure, named as PC/SC names it.
fn service_or_failed(error: Error) -> CardError {
    match error {
        Error::NoService | Error::ServiceStopped | Error::CommError => CardError::NoService,
        other => CardError::Reader {
            detail: other.to_string(),
        },
    }
}
