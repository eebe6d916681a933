//! A card's UID as the desk records it.

use crate::CardError;

/// ISO/IEC 14443 UIDs are 4, 7 or 10 bytes; FeliCa's IDm is 8.
const UID_BYTES: std::ops::RangeInclusive<usize> = 4..=10;

/// A card's UID: uppercase hexadecimal, two digits per byte, no separators
/// (`04A224B2C35E80`), however it was read or typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardUid(String);

impl CardUid {
    /// The UID a reader returned.
    pub fn from_bytes(bytes: &[u8]) -> Result<CardUid, CardError> {
        if !UID_BYTES.contains(&bytes.len()) {
            return Err(CardError::BadUid { text: hex(bytes) });
        }
        Ok(CardUid(hex(bytes)))
    }

    /// A UID typed at the desk: hexadecimal digits, in either case, with or without
    /// `:`, `-` or spaces between the bytes (`04:a2:24:b2:c3:5e:80`).
    pub fn parse(typed: &str) -> Result<CardUid, CardError> {
        let digits: String = typed
            .chars()
            .filter(|c| !matches!(c, ':' | '-' | ' '))
            .collect();
        let valid = digits.len() % 2 == 0
            && UID_BYTES.contains(&(digits.len() / 2))
            && digits.chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(CardError::BadUid {
                text: typed.trim().to_owned(),
            });
        }
        Ok(CardUid(digits.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CardUid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_and_read_uids_are_written_alike() {
        let read = CardUid::from_bytes(&[0x04, 0xA2, 0x24, 0xB2, 0xC3, 0x5E, 0x80]).unwrap();
        for typed in [
            "04A224B2C35E80",
            "04:a2:24:b2:c3:5e:80",
            " 04-A2-24-B2-C3-5E-80 ",
            "04 a2 24 b2 c3 5e 80",
        ] {
            assert_eq!(CardUid::parse(typed).unwrap(), read, "{typed}");
        }
        assert_eq!(read.as_str(), "04A224B2C35E80");
        assert_eq!(CardUid::parse("DEADBEEF").unwrap().as_str(), "DEADBEEF");
    }

    #[test]
    fn what_is_not_a_uid_is_named() {
        for typed in [
            "",
            "04A2",
            "04A224B2C35E8",
            "04A224B2C35E8G",
            "0102030405060708090A0B",
            "12345678901",
        ] {
            assert_eq!(
                CardUid::parse(typed).unwrap_err(),
                CardError::BadUid {
                    text: typed.trim().to_owned()
                },
                "{typed}"
            );
        }
        assert!(CardUid::from_bytes(&[1, 2, 3]).is_err());
    }
}
