//! Sharing the data key between desks of one queue: a text file holding the key
//! encrypted under a passphrase (Argon2id, then XChaCha20-Poly1305).
//!
//! ```text
//! -----BEGIN SESAME DATA KEY-----
//! Fingerprint: 3F2A-91C0-7B11-04DE
//! Exported: 2026-11-21T08:00:00Z
//!
//! <base64 body>
//! -----END SESAME DATA KEY-----
//! ```
//!
//! The body is `"SVK" 0x01 | m_cost u32 | t_cost u32 | lanes u32 | salt (16) | key id (8)
//! | nonce (24) | sealed key (32 + 16)`, integers little-endian; everything before the
//! nonce is authenticated as associated data. The header lines are for people (compare
//! fingerprints before importing) and are not trusted by the reader.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};
use crate::key::{DataKey, KeyId, KEY_ID_LEN, KEY_LEN};
use crate::keyring_store::{ImportOutcome, KeyVault};

/// Shortest passphrase accepted for a key file.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

const BEGIN: &str = "-----BEGIN SESAME DATA KEY-----";
const END: &str = "-----END SESAME DATA KEY-----";
const MAGIC: [u8; 4] = *b"SVK\x01";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const AAD_LEN: usize = MAGIC.len() + 12 + SALT_LEN + KEY_ID_LEN;
const BODY_LEN: usize = AAD_LEN + NONCE_LEN + KEY_LEN + TAG_LEN;
/// Refuses files asking for more than this, so a hostile file cannot exhaust the desk.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_LANES: u32 = 16;

/// Argon2id cost of deriving the file's key from the passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl Default for KdfCost {
    /// 64 MiB, 3 passes, 1 lane: about a second on a desk PC, costly for a guesser.
    fn default() -> Self {
        KdfCost {
            memory_kib: 64 * 1024,
            iterations: 3,
            lanes: 1,
        }
    }
}

/// The key file for `key`, protected by `passphrase` (at least [`MIN_PASSPHRASE_CHARS`]).
pub fn export_key(key: &DataKey, passphrase: &str, cost: KdfCost) -> Result<String> {
    let length = passphrase.chars().count();
    if length < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::WeakPassphrase {
            length,
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|e| VaultError::Crypto(format!("no OS randomness: {e}")))?;
    getrandom::fill(&mut nonce)
        .map_err(|e| VaultError::Crypto(format!("no OS randomness: {e}")))?;

    let mut body = Vec::with_capacity(BODY_LEN);
    body.extend_from_slice(&MAGIC);
    body.extend_from_slice(&cost.memory_kib.to_le_bytes());
    body.extend_from_slice(&cost.iterations.to_le_bytes());
    body.extend_from_slice(&cost.lanes.to_le_bytes());
    body.extend_from_slice(&salt);
    body.extend_from_slice(key.id().as_bytes());
    debug_assert_eq!(body.len(), AAD_LEN);

    let wrapping = derive(passphrase, &salt, cost)?;
    let sealed = XChaCha20Poly1305::new((&*wrapping).into())
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: key.as_bytes(),
                aad: &body,
            },
        )
        .map_err(|_| VaultError::Crypto("cannot encrypt the key".to_owned()))?;
    body.extend_from_slice(&nonce);
    body.extend_from_slice(&sealed);

    let encoded = STANDARD.encode(&body);
    let mut text = format!(
        "{BEGIN}\nFingerprint: {}\nExported: {}\n\n",
        key.id(),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    for line in encoded.as_bytes().chunks(64) {
        text.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        text.push('\n');
    }
    text.push_str(END);
    text.push('\n');
    Ok(text)
}

/// The key in a key file. `vault.wrong_passphrase` when the passphrase does not open it,
/// `vault.key_file_invalid` when the text is not a key file.
pub fn read_key_file(text: &str, passphrase: &str) -> Result<DataKey> {
    let invalid = |detail: &str| VaultError::KeyFileInvalid {
        detail: detail.to_owned(),
    };
    let start = text
        .find(BEGIN)
        .ok_or_else(|| invalid("no BEGIN SESAME DATA KEY line"))?;
    let rest = &text[start + BEGIN.len()..];
    let end = rest
        .find(END)
        .ok_or_else(|| invalid("no END SESAME DATA KEY line"))?;
    let encoded: String = rest[..end]
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.contains(':'))
        .collect();
    let body = STANDARD
        .decode(encoded)
        .map_err(|_| invalid("the body is not valid base64"))?;
    if body.len() != BODY_LEN || body[..MAGIC.len()] != MAGIC {
        return Err(invalid("the body has the wrong size or version"));
    }
    let word = |index: usize| {
        let at = MAGIC.len() + 4 * index;
        u32::from_le_bytes(body[at..at + 4].try_into().expect("4 bytes"))
    };
    let cost = KdfCost {
        memory_kib: word(0),
        iterations: word(1),
        lanes: word(2),
    };
    if cost.memory_kib > MAX_MEMORY_KIB
        || cost.iterations > MAX_ITERATIONS
        || cost.lanes > MAX_LANES
    {
        return Err(invalid(
            "the file asks for an unreasonable key derivation cost",
        ));
    }
    let salt = &body[MAGIC.len() + 12..MAGIC.len() + 12 + SALT_LEN];
    let mut key_id = [0u8; KEY_ID_LEN];
    key_id.copy_from_slice(&body[AAD_LEN - KEY_ID_LEN..AAD_LEN]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&body[AAD_LEN..AAD_LEN + NONCE_LEN]);

    let wrapping = derive(passphrase, salt, cost)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new((&*wrapping).into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &body[AAD_LEN + NONCE_LEN..],
                    aad: &body[..AAD_LEN],
                },
            )
            .map_err(|_| VaultError::WrongPassphrase)?,
    );
    let key =
        DataKey::from_slice(&plain).ok_or_else(|| invalid("the sealed key has the wrong size"))?;
    if key.id() != KeyId(key_id) {
        return Err(invalid(
            "the key does not match the fingerprint sealed with it",
        ));
    }
    Ok(key)
}

fn derive(passphrase: &str, salt: &[u8], cost: KdfCost) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let params =
        Params::new(cost.memory_kib, cost.iterations, cost.lanes, Some(KEY_LEN)).map_err(|e| {
            VaultError::KeyFileInvalid {
                detail: format!("invalid key derivation cost: {e}"),
            }
        })?;
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| VaultError::Crypto(format!("key derivation failed: {e}")))?;
    Ok(out)
}

impl KeyVault {
    /// This desk's key as a key file protected by `passphrase` (supervisor action).
    pub fn export(&self, passphrase: &str) -> Result<String> {
        export_key(&self.load()?, passphrase, KdfCost::default())
    }

    /// Stores the key of a key file in this desk's keyring. A wrong passphrase or a
    /// different key already here (without `force`) changes nothing.
    pub fn import(&self, key_file: &str, passphrase: &str, force: bool) -> Result<ImportOutcome> {
        let key = read_key_file(key_file, passphrase)?;
        self.install(&key, force)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sesame_core::ErrorCode;

    /// Cheap cost so unit tests stay fast; the integration tests use the default.
    const FAST: KdfCost = KdfCost {
        memory_kib: 64,
        iterations: 1,
        lanes: 1,
    };
    const PASS: &str = "correct horse battery staple";

    fn body_of(file: &str) -> Vec<u8> {
        let encoded: String = file
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("-----") && !l.contains(':'))
            .collect();
        STANDARD.decode(encoded).unwrap()
    }

    fn rebuild(body: &[u8]) -> String {
        format!("{BEGIN}\n{}\n{END}\n", STANDARD.encode(body))
    }

    #[test]
    fn roundtrip() {
        let key = DataKey::generate().unwrap();
        let file = export_key(&key, PASS, FAST).unwrap();
        assert!(
            file.starts_with(BEGIN) && file.trim_end().ends_with(END),
            "{file}"
        );
        assert!(file.contains(&key.id().to_string()));
        assert_eq!(read_key_file(&file, PASS).unwrap(), key);
        // Mail clients and editors add CRLF and indentation.
        let mangled = file.replace('\n', "\r\n  ");
        assert_eq!(read_key_file(&mangled, PASS).unwrap(), key);
    }

    #[test]
    fn wrong_passphrase_and_altered_files() {
        let key = DataKey::generate().unwrap();
        let file = export_key(&key, PASS, FAST).unwrap();
        assert_eq!(
            read_key_file(&file, "correct horse battery stapler")
                .unwrap_err()
                .code(),
            "vault.wrong_passphrase"
        );

        // Change the stated cost inside the authenticated part: must not open.
        let mut bytes = body_of(&file);
        bytes[MAGIC.len()] ^= 0x01;
        assert_eq!(
            read_key_file(&rebuild(&bytes), PASS).unwrap_err().code(),
            "vault.wrong_passphrase"
        );
        // Flip a bit of the sealed key.
        let mut bytes = body_of(&file);
        *bytes.last_mut().unwrap() ^= 0x80;
        assert_eq!(
            read_key_file(&rebuild(&bytes), PASS).unwrap_err().code(),
            "vault.wrong_passphrase"
        );

        assert_eq!(
            read_key_file("hello", PASS).unwrap_err().code(),
            "vault.key_file_invalid"
        );
        assert_eq!(
            read_key_file(&format!("{BEGIN}\nAAAA\n{END}"), PASS)
                .unwrap_err()
                .code(),
            "vault.key_file_invalid"
        );
    }

    #[test]
    fn short_passphrases_are_refused() {
        let key = DataKey::generate().unwrap();
        assert_eq!(
            export_key(&key, "short", FAST).unwrap_err().code(),
            "vault.weak_passphrase"
        );
    }

    #[test]
    fn hostile_costs_are_refused_before_deriving() {
        let key = DataKey::generate().unwrap();
        let file = export_key(&key, PASS, FAST).unwrap();
        let mut bytes = body_of(&file);
        bytes[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let rebuilt = rebuild(&bytes);
        assert_eq!(
            read_key_file(&rebuilt, PASS).unwrap_err().code(),
            "vault.key_file_invalid"
        );
    }
}
