//! What can go wrong between the desk and the card, each with its code.

/// A reading that did not give a UID: each names what the operator can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("the smart-card service is not running (pcscd on Linux)")]
    NoService,
    #[error("no card reader is connected")]
    NoReader,
    #[error("a card lies on several readers ({readers:?}): keep one, or choose the reader")]
    SeveralReaders { readers: Vec<String> },
    #[error("the card reader '{reader}' is no longer connected")]
    ReaderGone { reader: String },
    #[error("no card was laid on '{reader}' within {seconds} s")]
    NoCard { reader: String, seconds: u64 },
    #[error("the card was taken off '{reader}' while it was being read")]
    Removed { reader: String },
    #[error("the card on '{reader}' gave no UID (status {status}): a contact card, or a reader without the PC/SC UID command")]
    NoUid { reader: String, status: String },
    #[error("'{text}' is not a card UID: 4 to 10 bytes in hexadecimal")]
    BadUid { text: String },
    #[error("the card reader failed: {detail}")]
    Reader { detail: String },
}

sesame_core::error_codes! {
    CardError {
        Self::NoService => "card.no_service",
        Self::NoReader => "card.no_reader",
        Self::SeveralReaders { .. } => "card.several_readers",
        Self::ReaderGone { .. } => "card.reader_gone",
        Self::NoCard { .. } => "card.no_card",
        Self::Removed { .. } => "card.removed",
        Self::NoUid { .. } => "card.no_uid",
        Self::BadUid { .. } => "card.bad_uid",
        Self::Reader { .. } => "card.reader_failed",
    }
}
