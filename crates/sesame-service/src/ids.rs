//! Ids and file bytes as they travel to the service: typed here once, so every
//! service function takes a `RequestId` or `FileBytes` instead of parsing text itself.
//!
//! Across IPC an id is its text (a UUID) and file bytes are base64; the command line
//! parses ids with [`std::str::FromStr`], which gives the coded error the operator sees
//! (`request.bad_id`, `mail.bad_id`), and hands file bytes over as they were read.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;
use uuid::Uuid;

use crate::ServiceError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $bad:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        impl FromStr for $name {
            type Err = ServiceError;

            fn from_str(value: &str) -> Result<Self, ServiceError> {
                Uuid::parse_str(value.trim()).map($name).map_err(|_| $bad(value))
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

fn bad_id(value: &str) -> ServiceError {
    ServiceError::BadId {
        value: value.to_owned(),
    }
}

fn bad_mail_id(value: &str) -> ServiceError {
    sesame_mail::MailError::BadId {
        value: value.to_owned(),
    }
    .into()
}

id_type!(
    /// A badge request.
    RequestId,
    bad_id
);
id_type!(
    /// A holder (the person a badge is for).
    HolderId,
    bad_id
);
id_type!(
    /// A printed badge.
    BadgeId,
    bad_id
);
id_type!(
    /// A photo or ID document attached to a request.
    AttachmentId,
    bad_id
);
id_type!(
    /// An entry of the refused visitors' list.
    RefusedVisitorId,
    bad_id
);
id_type!(
    /// A message of the e-mail outbox.
    MailId,
    bad_mail_id
);

/// The bytes of a file the operator chose: base64 text across IPC (the webview reads
/// the file itself and never names a path), the bytes themselves from the command
/// line. Decoded by the service function that uses them, so a damaged transfer gets
/// that function's own error (`import.bad_encoding`, `photo.bad_encoding`).
#[derive(Clone, PartialEq, Eq, TS)]
#[ts(type = "string")]
pub struct FileBytes(Content);

#[derive(Clone, PartialEq, Eq)]
enum Content {
    Bytes(Vec<u8>),
    Base64(String),
}

impl FileBytes {
    /// The file's bytes, or why the base64 text could not be decoded. A data URL's
    /// prefix is tolerated: `FileReader.readAsDataURL` gives one.
    pub fn into_bytes(self) -> Result<Vec<u8>, String> {
        match self.0 {
            Content::Bytes(bytes) => Ok(bytes),
            Content::Base64(text) => {
                let data = text
                    .split_once(";base64,")
                    .map_or(text.as_str(), |(_, rest)| rest);
                STANDARD.decode(data.trim()).map_err(|e| e.to_string())
            }
        }
    }

    /// Base64 text as the UI sends it (tests, and callers holding text already).
    pub fn from_base64(text: impl Into<String>) -> FileBytes {
        FileBytes(Content::Base64(text.into()))
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(bytes: Vec<u8>) -> FileBytes {
        FileBytes(Content::Bytes(bytes))
    }
}

impl From<&[u8]> for FileBytes {
    fn from(bytes: &[u8]) -> FileBytes {
        FileBytes(Content::Bytes(bytes.to_vec()))
    }
}

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A photo or an ID scan is personal data: never printed whole in a log.
        match &self.0 {
            Content::Bytes(bytes) => write!(f, "FileBytes({} bytes)", bytes.len()),
            Content::Base64(text) => write!(f, "FileBytes({} base64 characters)", text.len()),
        }
    }
}

impl Serialize for FileBytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Content::Bytes(bytes) => serializer.serialize_str(&STANDARD.encode(bytes)),
            Content::Base64(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for FileBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(FileBytes::from_base64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sesame_core::ErrorCode;

    #[test]
    fn ids_parse_trimmed_text_and_refuse_the_rest_with_their_code() {
        let id = Uuid::now_v7();
        assert_eq!(
            format!(" {id} ").parse::<RequestId>().unwrap(),
            RequestId(id)
        );
        assert_eq!(
            "not-an-id".parse::<RequestId>().unwrap_err().code(),
            "request.bad_id"
        );
        assert_eq!(
            "not-an-id".parse::<HolderId>().unwrap_err().code(),
            "request.bad_id"
        );
        assert_eq!(
            "not-an-id".parse::<MailId>().unwrap_err().code(),
            "mail.bad_id"
        );
    }

    #[test]
    fn ids_cross_ipc_as_their_text() {
        let id = RequestId(Uuid::now_v7());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<RequestId>(&json).unwrap(), id);
    }

    #[test]
    fn file_bytes_decode_base64_late_and_pass_raw_bytes_through() {
        let sent: FileBytes = serde_json::from_str("\" aGVsbG8= \"").unwrap();
        assert_eq!(sent.into_bytes().unwrap(), b"hello");
        let data_url = FileBytes::from_base64("data:image/png;base64,AAEC");
        assert_eq!(data_url.into_bytes().unwrap(), [0, 1, 2]);
        let broken: FileBytes = serde_json::from_str("\"%%%\"").unwrap();
        assert!(broken.into_bytes().is_err());
        let raw = FileBytes::from(vec![0u8, 255]);
        assert_eq!(serde_json::to_string(&raw).unwrap(), "\"AP8=\"");
        assert_eq!(raw.into_bytes().unwrap(), vec![0u8, 255]);
    }
}
