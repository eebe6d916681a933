//! How attachment bytes are stored. Plain by default; an encryption layer plugs in here.

use sesame_core::{AttachmentKind, MediaType};
use uuid::Uuid;

use crate::AttachmentMeta;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodecError(pub String);

/// The name [`PlainCodec`] records: bytes stored as they are.
pub const PLAIN_CODEC: &str = "plain";

/// Where an attachment's bytes belong: an encrypting codec binds its ciphertext to
/// all of it, so bytes copied onto another row, or a row relabelled as another
/// request, kind or media type, no longer open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentContext {
    pub id: Uuid,
    pub request_id: Uuid,
    pub kind: AttachmentKind,
    pub media_type: MediaType,
}

impl AttachmentContext {
    pub fn of(meta: &AttachmentMeta) -> AttachmentContext {
        AttachmentContext {
            id: meta.id,
            request_id: meta.request_id,
            kind: meta.kind,
            media_type: meta.media_type,
        }
    }

    /// The kind as far as the ciphertext is concerned. A badge photo becomes a
    /// `previous_photo` when a newer one replaces it and can be restored: the desk
    /// moves it between these two kinds itself, without the key, so both seal as
    /// "photo". Every other relabelling (an ID scan passed off as a photo) is refused.
    pub fn sealed_kind(&self) -> &'static str {
        match self.kind {
            AttachmentKind::Photo | AttachmentKind::PreviousPhoto => "photo",
            other => other.as_str(),
        }
    }
}

/// Turns attachment bytes into what is stored, and back.
///
/// The store records `name()` beside each blob, so blobs written by an older codec
/// (e.g. `plain` before encryption was turned on) stay readable: `open` receives the
/// name stored with the blob and decides. The attachment's context (id, request, kind,
/// media type) is given so an AEAD cipher can bind the ciphertext to its row.
pub trait BlobCodec: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &str;
    fn seal(&self, context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, CodecError>;
    fn open(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError>;

    /// Whether blobs stored under `codec` should be sealed again under `name()`
    /// (`Store::upgrade_attachment_blobs`). None by default.
    fn upgrades(&self, _codec: &str) -> bool {
        false
    }

    /// Opens a blob stored under a codec this one [`upgrades`](BlobCodec::upgrades),
    /// to seal it again; it may accept what `open` refuses (e.g. `plain` blobs written
    /// before encryption was on, which the store upgrades only once).
    fn open_to_upgrade(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        self.open(codec, context, stored)
    }
}

/// Stores the bytes as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainCodec;

impl BlobCodec for PlainCodec {
    fn name(&self) -> &str {
        PLAIN_CODEC
    }

    fn seal(&self, _context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Ok(plain.to_vec())
    }

    fn open(
        &self,
        codec: &str,
        _context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        if codec == PLAIN_CODEC {
            Ok(stored.to_vec())
        } else {
            Err(CodecError(format!(
                "stored with codec '{codec}', which this desk cannot read (is the encryption key set up?)"
            )))
        }
    }
}
