//! Attachment encryption: XChaCha20-Poly1305 behind the store's `BlobCodec`.
//!
//! Stored layout of the current format (codec name [`CODEC_NAME`], `…-v2`):
//!
//! ```text
//! "SVX" 0x02 | key id (8) | row tag (8) | nonce (24 random bytes) | ciphertext + 16-byte tag
//! ```
//!
//! The associated data is the header (magic, key id, row tag) followed by the whole
//! [`AttachmentContext`]: the attachment id, its request id, its kind (a badge photo
//! and a previous photo count as one: the desk moves photos between them) and its
//! media type. So a blob copied onto another row, or a row relabelled as another
//! request, kind or media type, fails authentication. The row tag (a hash of that
//! context) only lets `open` say "this blob belongs elsewhere" (`vault.wrong_row`)
//! rather than "altered" (`vault.tampered`) in the common case; editing it changes
//! nothing but the error. The key id in clear lets `open` say "wrong key". A 24-byte
//! random nonce makes collisions negligible without a counter shared between desks.
//!
//! Blobs of the first format (codec name [`V1_CODEC_NAME`], magic `SVX\x01`, no row
//! tag, the attachment id alone as associated data beside the header) still open; the
//! store seals them again in the current format when a desk opens with its key
//! (`Store::upgrade_attachment_blobs`), as it does, once, with the `plain` blobs written
//! before encryption was on. After that a `plain` blob is refused (`vault.plain_refused`):
//! no desk holding the key writes one.
//!
//! No record of the key lives in the database besides these per-blob key ids: they
//! are enough to detect a mismatch, need no schema of their own, and cannot drift
//! from the data they describe.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sesame_store::{AttachmentContext, BlobCodec, CodecError};
use sha2::{Digest, Sha256};

use crate::error::VaultError;
use crate::key::{DataKey, KeyId, KEY_ID_LEN};

/// The codec name the store records beside each blob sealed in the current format.
pub const CODEC_NAME: &str = "xchacha20poly1305-v2";
/// The name of blobs sealed in the first format (the attachment id as associated data).
pub const V1_CODEC_NAME: &str = "xchacha20poly1305";
/// The name of blobs written before encryption was on (the store's `PlainCodec`).
pub const PLAIN_CODEC_NAME: &str = sesame_store::PLAIN_CODEC;

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const ROW_TAG_LEN: usize = 8;

/// The two formats' headers: the magic and what follows the key id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    V1,
    V2,
}

impl Format {
    fn of_codec(codec: &str) -> Option<Format> {
        match codec {
            CODEC_NAME => Some(Format::V2),
            V1_CODEC_NAME => Some(Format::V1),
            _ => None,
        }
    }

    fn magic(self) -> [u8; 4] {
        match self {
            Format::V1 => *b"SVX\x01",
            Format::V2 => *b"SVX\x02",
        }
    }

    fn header_len(self) -> usize {
        match self {
            Format::V1 => 4 + KEY_ID_LEN,
            Format::V2 => 4 + KEY_ID_LEN + ROW_TAG_LEN,
        }
    }
}

/// Encrypts attachments with this desk's data key; reads both encrypted formats.
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

    fn seal_bytes(&self, context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let header = header_v2(self.key_id, context);
        self.seal_with(&header, &associated_data_v2(&header, context), plain)
    }

    /// Seals in the first format (the attachment id alone beside the header): only
    /// for tests that need a database as older versions left it.
    #[doc(hidden)]
    pub fn seal_v1_for_tests(
        &self,
        context: &AttachmentContext,
        plain: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        let header = header_v1(self.key_id);
        Ok(self.seal_with(&header, &associated_data_v1(&header, context), plain)?)
    }

    fn seal_with(&self, header: &[u8], aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| VaultError::Crypto(format!("no OS randomness: {e}")))?;
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
            .map_err(|_| VaultError::Crypto(format!("cannot encrypt {} bytes", plain.len())))?;
        let mut stored = Vec::with_capacity(header.len() + NONCE_LEN + sealed.len());
        stored.extend_from_slice(header);
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&sealed);
        Ok(stored)
    }

    fn open_bytes(
        &self,
        format: Format,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, VaultError> {
        let blob = EncryptedBlob::parse(format, stored)?;
        if blob.key_id != self.key_id {
            return Err(VaultError::WrongKey {
                blob_key: blob.key_id,
                desk_key: self.key_id,
            });
        }
        let aad = match format {
            Format::V1 => associated_data_v1(blob.header, context),
            Format::V2 => {
                if blob.row_tag != Some(row_tag(context)) {
                    return Err(wrong_row(context));
                }
                associated_data_v2(blob.header, context)
            }
        };
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

fn wrong_row(context: &AttachmentContext) -> VaultError {
    VaultError::WrongRow {
        attachment: context.id.to_string(),
        request: context.request_id.to_string(),
        kind: context.kind.as_str().to_owned(),
        media_type: context.media_type.mime().to_owned(),
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

    fn seal(&self, context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Ok(self.seal_bytes(context, plain)?)
    }

    fn open(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        match (codec, Format::of_codec(codec)) {
            (_, Some(format)) => Ok(self.open_bytes(format, context, stored)?),
            // A desk holding the key never writes plain blobs, and those from before
            // encryption were sealed when a desk first opened with the key.
            (PLAIN_CODEC_NAME, None) => Err(VaultError::PlainRefused {
                attachment: context.id.to_string(),
            }
            .into()),
            (other, None) => Err(VaultError::UnknownCodec {
                codec: other.to_owned(),
            }
            .into()),
        }
    }

    fn upgrades(&self, codec: &str) -> bool {
        codec == V1_CODEC_NAME || codec == PLAIN_CODEC_NAME
    }

    fn open_to_upgrade(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        match codec {
            // Only ever asked by the store's one-time pass over the queue's old blobs.
            PLAIN_CODEC_NAME => Ok(stored.to_vec()),
            _ => self.open(codec, context, stored),
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

    fn seal(&self, _context: &AttachmentContext, _plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        Err(VaultError::CannotSealWithoutKey.into())
    }

    fn open(
        &self,
        codec: &str,
        _context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        match (codec, Format::of_codec(codec)) {
            (PLAIN_CODEC_NAME, _) => Ok(stored.to_vec()),
            (_, Some(format)) => {
                let blob = EncryptedBlob::parse(format, stored)?;
                Err(VaultError::BlobKeyMissing {
                    blob_key: blob.key_id,
                }
                .into())
            }
            (other, None) => Err(VaultError::UnknownCodec {
                codec: other.to_owned(),
            }
            .into()),
        }
    }
}

/// The key id an encrypted blob was sealed with (for diagnostics such as `key status`).
pub fn blob_key_id(codec: &str, stored: &[u8]) -> Option<KeyId> {
    let format = Format::of_codec(codec)?;
    EncryptedBlob::parse_header(format, stored)
        .ok()
        .map(|(key_id, _)| key_id)
}

struct EncryptedBlob<'a> {
    header: &'a [u8],
    key_id: KeyId,
    row_tag: Option<[u8; ROW_TAG_LEN]>,
    nonce: [u8; NONCE_LEN],
    sealed: &'a [u8],
}

impl<'a> EncryptedBlob<'a> {
    /// The key id and (v2) row tag, from a blob's first bytes.
    fn parse_header(
        format: Format,
        stored: &[u8],
    ) -> Result<(KeyId, Option<[u8; ROW_TAG_LEN]>), VaultError> {
        let magic = format.magic();
        if stored.len() < format.header_len() {
            return Err(VaultError::BlobMalformed {
                detail: format!("{} bytes, shorter than any encrypted blob", stored.len()),
            });
        }
        if stored[..magic.len()] != magic {
            return Err(VaultError::BlobMalformed {
                detail: "unknown header (not written by this version of Sésame, or not in the format its codec name says)".to_owned(),
            });
        }
        let mut key_id = [0u8; KEY_ID_LEN];
        key_id.copy_from_slice(&stored[magic.len()..magic.len() + KEY_ID_LEN]);
        let row_tag = (format == Format::V2).then(|| {
            let mut tag = [0u8; ROW_TAG_LEN];
            tag.copy_from_slice(&stored[magic.len() + KEY_ID_LEN..format.header_len()]);
            tag
        });
        Ok((KeyId(key_id), row_tag))
    }

    fn parse(format: Format, stored: &'a [u8]) -> Result<EncryptedBlob<'a>, VaultError> {
        let header_len = format.header_len();
        if stored.len() < header_len + NONCE_LEN + TAG_LEN {
            return Err(VaultError::BlobMalformed {
                detail: format!("{} bytes, shorter than any encrypted blob", stored.len()),
            });
        }
        let (key_id, row_tag) = Self::parse_header(format, stored)?;
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&stored[header_len..header_len + NONCE_LEN]);
        Ok(EncryptedBlob {
            header: &stored[..header_len],
            key_id,
            row_tag,
            nonce,
            sealed: &stored[header_len + NONCE_LEN..],
        })
    }
}

fn header_v1(key_id: KeyId) -> Vec<u8> {
    let mut header = Vec::with_capacity(Format::V1.header_len());
    header.extend_from_slice(&Format::V1.magic());
    header.extend_from_slice(key_id.as_bytes());
    header
}

fn header_v2(key_id: KeyId, context: &AttachmentContext) -> Vec<u8> {
    let mut header = Vec::with_capacity(Format::V2.header_len());
    header.extend_from_slice(&Format::V2.magic());
    header.extend_from_slice(key_id.as_bytes());
    header.extend_from_slice(&row_tag(context));
    header
}

fn associated_data_v1(header: &[u8], context: &AttachmentContext) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + 16);
    aad.extend_from_slice(header);
    aad.extend_from_slice(context.id.as_bytes());
    aad
}

/// The context as bytes: fixed-size ids, then each text with its length, so no two
/// contexts encode alike.
fn context_bytes(context: &AttachmentContext) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(64);
    bytes.extend_from_slice(context.id.as_bytes());
    bytes.extend_from_slice(context.request_id.as_bytes());
    for text in [context.sealed_kind(), context.media_type.mime()] {
        bytes.push(u8::try_from(text.len()).expect("kind and media type names are short"));
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes
}

fn associated_data_v2(header: &[u8], context: &AttachmentContext) -> Vec<u8> {
    let mut aad = header.to_vec();
    aad.extend_from_slice(&context_bytes(context));
    aad
}

/// A short hash of the context, kept in clear in the header to name a misplaced blob.
fn row_tag(context: &AttachmentContext) -> [u8; ROW_TAG_LEN] {
    let digest = Sha256::new()
        .chain_update(b"sesame attachment row tag\0")
        .chain_update(context_bytes(context))
        .finalize();
    let mut tag = [0u8; ROW_TAG_LEN];
    tag.copy_from_slice(&digest[..ROW_TAG_LEN]);
    tag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codec_error_code;
    use sesame_core::{AttachmentKind, MediaType};
    use uuid::Uuid;

    fn codec(seed: u8) -> XChaChaCodec {
        XChaChaCodec::new(&DataKey::from_bytes([seed; 32]))
    }

    fn photo() -> AttachmentContext {
        AttachmentContext {
            id: Uuid::now_v7(),
            request_id: Uuid::now_v7(),
            kind: AttachmentKind::Photo,
            media_type: MediaType::Jpeg,
        }
    }

    fn code_of(result: Result<Vec<u8>, CodecError>) -> &'static str {
        codec_error_code(&result.expect_err("should fail").0).expect("a vault code")
    }

    const HEADER_LEN: usize = 4 + KEY_ID_LEN + ROW_TAG_LEN;

    #[test]
    fn roundtrip_with_fresh_nonces() {
        let codec = codec(1);
        let context = photo();
        let plain = b"\xff\xd8\xff\xe0 a JPEG, say".to_vec();
        let first = codec.seal(&context, &plain).unwrap();
        let second = codec.seal(&context, &plain).unwrap();
        assert_ne!(first, second, "each seal draws a new nonce");
        assert!(!first.windows(plain.len()).any(|w| w == plain.as_slice()));
        assert_eq!(codec.open(CODEC_NAME, &context, &first).unwrap(), plain);
        assert_eq!(first.len(), plain.len() + HEADER_LEN + NONCE_LEN + TAG_LEN);
    }

    #[test]
    fn plain_blobs_are_refused_once_a_key_exists_but_upgraded_on_request() {
        let context = photo();
        assert_eq!(
            code_of(codec(1).open("plain", &context, b"old")),
            "vault.plain_refused"
        );
        assert!(codec(1).upgrades("plain"));
        assert_eq!(
            codec(1).open_to_upgrade("plain", &context, b"old").unwrap(),
            b"old"
        );
    }

    #[test]
    fn a_blob_moved_to_another_row_or_relabelled_fails() {
        let codec = codec(1);
        let context = photo();
        let sealed = codec.seal(&context, b"photo").unwrap();
        let elsewhere = [
            AttachmentContext {
                id: Uuid::now_v7(),
                ..context
            },
            AttachmentContext {
                request_id: Uuid::now_v7(),
                ..context
            },
            AttachmentContext {
                kind: AttachmentKind::IdDocumentFront,
                ..context
            },
            AttachmentContext {
                media_type: MediaType::Png,
                ..context
            },
        ];
        for other in elsewhere {
            assert_eq!(
                code_of(codec.open(CODEC_NAME, &other, &sealed)),
                "vault.wrong_row",
                "{other:?}"
            );
        }
        // A forged row tag only changes the error.
        let other = elsewhere[1];
        let mut forged = sealed.clone();
        forged[4 + KEY_ID_LEN..HEADER_LEN].copy_from_slice(&row_tag(&other));
        assert_eq!(
            code_of(codec.open(CODEC_NAME, &other, &forged)),
            "vault.tampered"
        );
        // The desk itself moves photos between `photo` and `previous_photo`.
        let previous = AttachmentContext {
            kind: AttachmentKind::PreviousPhoto,
            ..context
        };
        assert_eq!(
            codec.open(CODEC_NAME, &previous, &sealed).unwrap(),
            b"photo"
        );
    }

    #[test]
    fn first_format_blobs_open_and_are_upgraded() {
        let codec = codec(1);
        let context = photo();
        let v1 = codec.seal_v1_for_tests(&context, b"old photo").unwrap();
        assert_eq!(
            codec.open(V1_CODEC_NAME, &context, &v1).unwrap(),
            b"old photo"
        );
        assert!(codec.upgrades(V1_CODEC_NAME));
        assert!(!codec.upgrades(CODEC_NAME));
        assert_eq!(blob_key_id(V1_CODEC_NAME, &v1), Some(codec.key_id()));
        // v1 bound the id only; its blob moved to another attachment still fails.
        let moved = AttachmentContext {
            id: Uuid::now_v7(),
            ..context
        };
        assert_eq!(
            code_of(codec.open(V1_CODEC_NAME, &moved, &v1)),
            "vault.tampered"
        );
        // Neither format passes for the other.
        assert_eq!(
            code_of(codec.open(CODEC_NAME, &context, &v1)),
            "vault.blob_malformed"
        );
        let v2 = codec.seal(&context, b"new").unwrap();
        assert_eq!(
            code_of(codec.open(V1_CODEC_NAME, &context, &v2)),
            "vault.blob_malformed"
        );
    }

    #[test]
    fn flipped_bits_anywhere_are_detected() {
        let codec = codec(1);
        let context = photo();
        let sealed = codec.seal(&context, b"photo bytes").unwrap();
        for index in [HEADER_LEN, HEADER_LEN + NONCE_LEN, sealed.len() - 1] {
            let mut altered = sealed.clone();
            altered[index] ^= 0x01;
            assert_eq!(
                code_of(codec.open(CODEC_NAME, &context, &altered)),
                "vault.tampered",
                "byte {index}"
            );
        }
        let mut wrong_magic = sealed.clone();
        wrong_magic[0] = b'X';
        assert_eq!(
            code_of(codec.open(CODEC_NAME, &context, &wrong_magic)),
            "vault.blob_malformed"
        );
        assert_eq!(
            code_of(codec.open(CODEC_NAME, &context, &sealed[..20])),
            "vault.blob_malformed"
        );
    }

    #[test]
    fn wrong_key_is_told_apart_from_tampering() {
        let context = photo();
        let sealed = codec(1).seal(&context, b"photo").unwrap();
        let error = codec(2).open(CODEC_NAME, &context, &sealed).unwrap_err();
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
            code_of(codec(1).open("rot13", &photo(), b"x")),
            "vault.unknown_codec"
        );
        assert!(!codec(1).upgrades("rot13"));
    }

    #[test]
    fn a_desk_without_key_reads_plain_and_refuses_the_rest() {
        let context = photo();
        let sealed = codec(1).seal(&context, b"photo").unwrap();
        let v1 = codec(1).seal_v1_for_tests(&context, b"photo").unwrap();
        assert_eq!(
            KeyMissingCodec.open("plain", &context, b"old").unwrap(),
            b"old"
        );
        for (name, blob) in [(CODEC_NAME, &sealed), (V1_CODEC_NAME, &v1)] {
            let error = KeyMissingCodec.open(name, &context, blob).unwrap_err();
            assert_eq!(codec_error_code(&error.0), Some("vault.key_missing"));
            assert!(error.0.contains(&codec(1).key_id().to_string()));
        }
        assert_eq!(
            code_of(KeyMissingCodec.seal(&context, b"photo")),
            "vault.key_missing"
        );
        assert!(!KeyMissingCodec.upgrades("plain"));
    }
}
