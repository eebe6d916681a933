//! Which data keys a database's attachments need, read from the blob headers
//! (the only record of keys the database holds: see `codec`).

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::{ConnectOptions, Connection, Row};
use ts_rs::TS;

use crate::codec::{blob_key_id, PLAIN_CODEC_NAME};
use crate::error::{Result, VaultError};

const BLOB_HEADS: &str = "SELECT codec, substr(data, 1, 64) AS head FROM attachment_blobs";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyUsage {
    /// Encrypted attachments per key fingerprint.
    #[ts(type = "Record<string, number>")]
    pub encrypted: BTreeMap<String, i64>,
    #[ts(type = "number")]
    pub plain: i64,
    /// Blobs whose header cannot be read, or with a codec this build does not know.
    #[ts(type = "number")]
    pub unreadable: i64,
}

impl KeyUsage {
    /// The usage of blobs given as (codec, first bytes), e.g. by
    /// `Store::attachment_blob_heads`.
    pub fn of_blobs(heads: impl IntoIterator<Item = (String, Vec<u8>)>) -> KeyUsage {
        let mut usage = KeyUsage::default();
        for (codec, head) in heads {
            usage.count(&codec, &head);
        }
        usage
    }

    pub(crate) fn count(&mut self, codec: &str, head: &[u8]) {
        match blob_key_id(codec, head) {
            Some(id) => *self.encrypted.entry(id.to_string()).or_default() += 1,
            None if codec == PLAIN_CODEC_NAME => self.plain += 1,
            None => self.unreadable += 1,
        }
    }

    /// Fingerprints other than `key` that some attachments need.
    pub fn other_keys(&self, key: &str) -> Vec<String> {
        self.encrypted
            .keys()
            .filter(|k| *k != key)
            .cloned()
            .collect()
    }
}

/// Counts the attachments of the database at `database_url` (SQLite or PostgreSQL)
/// by the key they need. Reads only the first bytes of each blob. The database must
/// exist and be migrated (call it after `Store::open`).
pub async fn keys_in_use(database_url: &str) -> Result<KeyUsage> {
    let url = database_url.trim();
    if url.ends_with(":memory:") {
        // Each in-memory connection is its own empty database: nothing to read from here.
        return Ok(KeyUsage::default());
    }
    let failed = |source| VaultError::Database {
        path: url.split('@').next_back().unwrap_or(url).into(),
        source,
    };
    let rows: Vec<(String, Vec<u8>)> =
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connection = sqlx::postgres::PgConnectOptions::from_str(url)
                .map_err(failed)?
                .connect()
                .await
                .map_err(failed)?;
            let rows = sqlx::query(BLOB_HEADS)
                .fetch_all(&mut connection)
                .await
                .map_err(failed)?;
            connection.close().await.map_err(failed)?;
            rows.iter()
                .map(|r| Ok((r.try_get("codec")?, r.try_get("head")?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(failed)?
        } else {
            let mut connection = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .map_err(failed)?
                .read_only(true)
                .connect()
                .await
                .map_err(failed)?;
            let rows = sqlx::query(BLOB_HEADS)
                .fetch_all(&mut connection)
                .await
                .map_err(failed)?;
            connection.close().await.map_err(failed)?;
            rows.iter()
                .map(|r| Ok((r.try_get("codec")?, r.try_get("head")?)))
                .collect::<Result<_, sqlx::Error>>()
                .map_err(failed)?
        };
    Ok(KeyUsage::of_blobs(rows))
}
