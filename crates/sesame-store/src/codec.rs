//! How attachment bytes are stored. Plain by default; an encryption layer plugs in here.

use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodecError(pub String);

/// Turns attachment bytes into what is stored, and back.
///
/// The store records `name()` beside each blob, so blobs written by an older codec
/// (e.g. `plain` before encryption was turned on) stay readable: `open` receives the
/// name stored with the blob and decides. The attachment id is given so an AEAD
/// cipher can bind the ciphertext to its row.
pub trait BlobCodec: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &str;
    fn seal(&self, attachment_id: Uuid, plain: &[u8]) -> Result<Vec<u8>, CodecError>;
    fn open(&self, codec: &str, attachment_id: Uuid, stored: &[u8]) -> Result<Vec<u8>, CodecError>;
}

/// Stores the bytes as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainCodec;

impl BlobCodec for PlainCodec {
    fn name(&self) -> &str {
        "plain"
    }

    fn seal(&self, _attachment_id: Uuid, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Ok(plain.to_vec())
    }

    fn open(
        &self,
        codec: &str,
        _attachment_id: Uuid,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        if codec == "plain" {
            Ok(stored.to_vec())
        } else {
            Err(CodecError(format!(
                "stored with codec '{codec}', which this desk cannot read (is the encryption key set up?)"
            )))
        }
    }
}
