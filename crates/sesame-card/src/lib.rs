//! The physical card: the UID (CSN) of a contactless card, read from a USB reader
//! through PC/SC (pcscd on Linux, the system's smart-card service on macOS and
//! Windows) or typed from what a keyboard-wedge reader or the card's print says.
//! Binding it to a badge is the store's; this crate only reads and checks.

mod error;
mod reader;
mod uid;

pub use error::CardError;
pub use reader::{read_uid, readers, CardRead, ReaderInfo, DEFAULT_WAIT};
pub use uid::CardUid;
