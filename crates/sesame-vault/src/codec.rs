//! Attachment encryption: XChaCha20-Poly1305 behind the store's `BlobCodec`.
//!
//! Stored layout (codec name [`CODEC_NAME`]):
//!
//! ```text
//! "SVX" 0x01 | key id (8 bytes) | nonce (24 random bytes) | ciphertext + 16-byte tag
//! ```
//!
//! The associated data is the header (magic and key id) followed by the attachment
//! id, so a blob copied onto another row, or a header edited to claim another key,
//! fails authentication. The key id in clear lets `open` say "wrong key" instead of
//! "altered data". A 24-byte random nonce makes collisions negligible without a counter
//! shared between desks.
//!
//! No record of the key lives in the database besides these per-blob key ids: they
//! are enough to detect a mismatch, need no schema of their own, and cannot drift
//! from the data they describe.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sesame_store::{BlobCodec, CodecError};
use uuid::Uuid;

use crate::error::VaultError;
use crate::key::{DataKey, KeyId, KEY_ID_LEN};

/// The codec name the store records beside each encrypted blob.
pub const CODEC_NAME: &str = "xchacha20poly1305";
/// The name of blobs written before encryption was on (the store's `PlainCodec`).
pub const PLAIN_CODEC_NAME: &str = "plain";

const MAGIC: [u8; 4] = *b"SVX\x01";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = MAGIC.len() + KEY_ID_LEN;

/// Encrypts attachments with this desk's data key; reads encrypted and plain blobs.
pub struct XChaChaCodec {
    cipher: XChaCha20Poly1305,
    key_id: KeyId,
}

impl XChaChaCodec {
    pub fn new(key: &DataKey) -> XChaChaCodec {
        XChaChaCodec {
            cipher: XChaCha20Poly1305::new(key.as_bytes().into()),
            key_id: key.id(),
        }
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    fn seal_bytes(&self, attachment_id: Uuid, plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| VaultError::Crypto(format!("no OS randomness: {e}")))?;
        let header = header(self.key_id);
        let aad = associated_data(&header, attachment_id);
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Crypto(format!("cannot encrypt {} bytes", plain.len())))?;
        let mut stored = Vec::with_capacity(HEADER_LEN + NONCE_LEN + sealed.len());
        stored.extend_from_slice(&header);
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&sealed);
        Ok(stored)
    }

    fn open_bytes(&self, attachment_id: Uuid, stored: &[u8]) -> Result<Vec<u8>, VaultError> {
        let blob = EncryptedBlob::parse(stored)?;
        if blob.key_id != self.key_id {
            return Err(VaultError::WrongKey {
                blob_key: blob.key_id,
                desk_key: self.key_id,
            });
        }
        let aad = associated_data(&header(blob.key_id), attachment_id);
        self.cipher
            .decrypt(
                &XNonce::from(blob.nonce),
                Payload {
                    msg: blob.sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Tampered)
    }
}

impl std::fmt::Debug for XChaChaCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "XChaChaCodec(key {})", self.key_id)
    }
}

impl BlobCodec for XChaChaCodec {
    fn name(&self) -> &str {
        CODEC_NAME
    }

    fn seal(&self, attachment_id: Uuid, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Ok(self.seal_bytes(attachment_id, plain)?)
    }

    fn open(&self, codec: &str, attachment_id: Uuid, stored: &[u8]) -> Result<Vec<u8>, CodecError> {
        match codec {
            CODEC_NAME => Ok(self.open_bytes(attachment_id, stored)?),
            PLAIN_CODEC_NAME => Ok(stored.to_vec()),
            other => Err(VaultError::UnknownCodec {
                codec: other.to_owned(),
            }
            .into()),
        }
    }
}

/// The codec of a desk without a data key (e.g. a new desk on a shared, encrypted queue):
/// reads plain blobs, and refuses to read encrypted ones or to store anything, naming
/// what to do. Refusing to store keeps photos from being written unencrypted.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyMissingCodec;

impl BlobCodec for KeyMissingCodec {
    fn name(&self) -> &str {
        CODEC_NAME
    }

    fn seal(&self, _attachment_id: Uuid, _plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Err(VaultError::CannotSealWithoutKey.into())
    }

    fn open(
        &self,
        codec: &str,
        _attachment_id: Uuid,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        match codec {
            PLAIN_CODEC_NAME => Ok(stored.to_vec()),
            CODEC_NAME => {
                let blob = EncryptedBlob::parse(stored)?;
                Err(VaultError::BlobKeyMissing {
                    blob_key: blob.key_id,
                }
                .into())
            }
            other => Err(VaultError::UnknownCodec {
                codec: other.to_owned(),
            }
            .into()),
        }
    }
}

/// The key id an encrypted blob was sealed with (for diagnostics such as `key status`).
pub fn blob_key_id(codec: &str, stored: &[u8]) -> Option<KeyId> {
    (codec == CODEC_NAME)
        .then(|| EncryptedBlob::parse(stored).ok().map(|b| b.key_id))
        .flatten()
}

struct EncryptedBlob<'a> {
    key_id: KeyId,
    nonce: [u8; NONCE_LEN],
    sealed: &'a [u8],
}

impl<'a> EncryptedBlob<'a> {
    fn parse(stored: &'a [u8]) -> Result<EncryptedBlob<'a>, VaultError> {
        if stored.len() < HEADER_LEN + NONCE_LEN + TAG_LEN {
            return Err(VaultError::BlobMalformed {
                detail: format!("{} bytes, shorter than any encrypted blob", stored.len()),
            });
        }
        if stored[..MAGIC.len()] != MAGIC {
            return Err(VaultError::BlobMalformed {
                detail: "unknown header (not written by this version of Sésame)".to_owned(),
            });
        }
        let mut key_id = [0u8; KEY_ID_LEN];
        key_id.copy_from_slice(&stored[MAGIC.len()..HEADER_LEN]);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&stored[HEADER_LEN..HEADER_LEN + NONCE_LEN]);
        Ok(EncryptedBlob {
            key_id: KeyId(key_id),
            nonce,
            sealed: &stored[HEADER_LEN + NONCE_LEN..],
        })
    }
}

fn header(key_id: KeyId) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..MAGIC.len()].copy_from_slice(&MAGIC);
    header[MAGIC.len()..].copy_from_slice(key_id.as_bytes());
    header
}

fn associated_data(header: &[u8; HEADER_LEN], attachment_id: Uuid) -> Vec<u8> {
    let mut aad = Vec::with_capacity(HEADER_LEN + 16);
    aad.extend_from_slice(header);
    aad.extend_from_slice(attachment_id.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codec_error_code;

    fn codec(seed: u8) -> XChaChaCodec {
        XChaChaCodec::new(&DataKey::from_bytes([seed; 32]))
    }

    fn code_of(result: Result<Vec<u8>, CodecError>) -> &'static str {
        codec_error_code(&result.expect_err("should fail").0).expect("a vault code")
    }

    #[test]
    fn roundtrip_with_fresh_nonces() {
        let codec = codec(1);
        let id = Uuid::now_v7();
        let plain = b"\xff\xd8\xff\xe0 a JPEG, say".to_vec();
        let first = codec.seal(id, &plain).unwrap();
        let second = codec.seal(id, &plain).unwrap();
        assert_ne!(first, second, "each seal draws a new nonce");
        assert!(!first.windows(plain.len()).any(|w| w == plain.as_slice()));
        assert_eq!(codec.open(CODEC_NAME, id, &first).unwrap(), plain);
        assert_eq!(first.len(), plain.len() + HEADER_LEN + NONCE_LEN + TAG_LEN);
    }

    #[test]
    fn plain_blobs_stay_readable() {
        assert_eq!(
            codec(1).open("plain", Uuid::now_v7(), b"old").unwrap(),
            b"old"
        );
    }

    #[test]
    fn a_blob_moved_to_another_attachment_fails() {
        let codec = codec(1);
        let sealed = codec.seal(Uuid::now_v7(), b"photo").unwrap();
        assert_eq!(
            code_of(codec.open(CODEC_NAME, Uuid::now_v7(), &sealed)),
            "vault.tampered"
        );
    }

    #[test]
    fn flipped_bits_anywhere_are_detected() {
        let codec = codec(1);
        let id = Uuid::now_v7();
        let sealed = codec.seal(id, b"photo bytes").unwrap();
        for index in [HEADER_LEN, HEADER_LEN + NONCE_LEN, sealed.len() - 1] {
            let mut altered = sealed.clone();
            altered[index] ^= 0x01;
            assert_eq!(
                code_of(codec.open(CODEC_NAME, id, &altered)),
                "vault.tampered",
                "byte {index}"
            );
        }
        let mut wrong_magic = sealed.clone();
        wrong_magic[0] = b'X';
        assert_eq!(
            code_of(codec.open(CODEC_NAME, id, &wrong_magic)),
            "vault.blob_malformed"
        );
        assert_eq!(
            code_of(codec.open(CODEC_NAME, id, &sealed[..20])),
            "vault.blob_malformed"
        );
    }

    #[test]
    fn wrong_key_is_told_apart_from_tampering() {
        let id = Uuid::now_v7();
        let sealed = codec(1).seal(id, b"photo").unwrap();
        let error = codec(2).open(CODEC_NAME, id, &sealed).unwrap_err();
        assert_eq!(codec_error_code(&error.0), Some("vault.wrong_key"));
        assert!(
            error.0.contains(&codec(1).key_id().to_string()),
            "{}",
            error.0
        );
        assert_eq!(blob_key_id(CODEC_NAME, &sealed), Some(codec(1).key_id()));
    }

    #[test]
    fn unknown_codecs_are_refused() {
        assert_eq!(
            code_of(codec(1).open("rot13", Uuid::now_v7(), b"x")),
            "vault.unknown_codec"
        );
    }

    #[test]
    fn a_desk_without_key_reads_plain_and_refuses_the_rest() {
        let id = Uuid::now_v7();
        let sealed = codec(1).seal(id, b"photo").unwrap();
        assert_eq!(KeyMissingCodec.open("plain", id, b"old").unwrap(), b"old");
        let error = KeyMissingCodec.open(CODEC_NAME, id, &sealed).unwrap_err();
        assert_eq!(codec_error_code(&error.0), Some("vault.key_missing"));
        assert!(error.0.contains(&codec(1).key_id().to_string()));
        assert_eq!(
            code_of(KeyMissingCodec.seal(id, b"photo")),
            "vault.key_missing"
        );
    }
}
