//! The 256-bit data key and its public identifier.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Result, VaultError};

pub const KEY_LEN: usize = 32;
pub const KEY_ID_LEN: usize = 8;

/// The secret key that encrypts attachments. Wiped from memory when dropped and
/// never printed (its `Debug` shows only the id).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; KEY_LEN]);

impl DataKey {
    /// A fresh key from the OS random source.
    pub fn generate() -> Result<DataKey> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes)
            .map_err(|e| VaultError::Crypto(format!("no OS randomness: {e}")))?;
        Ok(DataKey(bytes))
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN]) -> DataKey {
        DataKey(bytes)
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<DataKey> {
        <[u8; KEY_LEN]>::try_from(bytes).ok().map(DataKey)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The key's public identifier: stored in each encrypted blob's header (so a
    /// wrong key is told apart from altered data) and shown to operators to compare desks.
    /// A one-way hash: it reveals nothing usable about the key.
    pub fn id(&self) -> KeyId {
        let digest = Sha256::new()
            .chain_update(b"sesame-vault/key-id/v1\0")
            .chain_update(self.0)
            .finalize();
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&digest[..KEY_ID_LEN]);
        KeyId(id)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKey({})", self.id())
    }
}

impl PartialEq for DataKey {
    fn eq(&self, other: &Self) -> bool {
        // Constant time is not needed for equality of two keys this desk already holds,
        // but comparing ids avoids touching the key bytes twice.
        self.id() == other.id() && self.0 == other.0
    }
}
impl Eq for DataKey {}

/// A key's fingerprint, shown as `3F2A-91C0-7B11-04DE`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub(crate) [u8; KEY_ID_LEN]);

impl KeyId {
    pub fn as_bytes(&self) -> &[u8; KEY_ID_LEN] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, pair) in self.0.chunks(2).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            write!(f, "{:02X}{:02X}", pair[0], pair[1])?;
        }
        Ok(())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_readable() {
        let key = DataKey::from_bytes([7; KEY_LEN]);
        assert_eq!(key.id(), DataKey::from_bytes([7; KEY_LEN]).id());
        assert_ne!(key.id(), DataKey::from_bytes([8; KEY_LEN]).id());
        let text = key.id().to_string();
        assert_eq!(text.len(), 19, "{text}");
        assert_eq!(text.matches('-').count(), 3, "{text}");
        assert!(
            !format!("{key:?}").contains("0707"),
            "Debug must not show key bytes"
        );
    }

    #[test]
    fn generated_keys_differ() {
        assert_ne!(DataKey::generate().unwrap(), DataKey::generate().unwrap());
    }
}
