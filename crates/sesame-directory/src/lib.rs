//! Sésame's link to the office's directory (OpenLDAP, Active Directory): people found
//! by name at intake, their details and photo, and who left (gone or disabled).
//!
//! Tauri-free and store-free: the service keeps the [`DirectorySettings`] in the
//! queue database and the bind password in the desk's keyring, and hands both here.

mod client;
mod error;
mod filter;
mod person;
mod settings;

pub use client::Directory;
pub use error::{DirectoryError, Result};
pub use person::{DirectoryPerson, People, PersonKey};
pub use settings::{
    DirectoryAttributes, DirectoryKind, DirectorySecurity, DirectorySettings, GroupCategory,
};
