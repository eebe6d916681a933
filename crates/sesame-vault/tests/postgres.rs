//! Two desks on one PostgreSQL queue sharing the data key. Needs a real Secret Service
//! (scripts/with-keyring.sh) and a PostgreSQL server (scripts/pg-test-server.sh).

mod common;

use common::{jpeg_with, new_request, TestVault, OPERATOR};
use sesame_core::AttachmentKind;
use sesame_store::Store;
use sesame_vault::{codec_for_desk, init_desk_key, keys_in_use};
use sqlx::Connection;

const PG_URL_VAR: &str = "SESAME_TEST_PG_URL";
const PG_SKIP_VAR: &str = "SESAME_TEST_SKIP_PG";

/// A fresh database on the test server; `None` only when explicitly skipped.
async fn fresh_database() -> Option<(String, String, String)> {
    let admin_url = match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ if std::env::var(PG_SKIP_VAR).as_deref() == Ok("1") => {
            eprintln!("PostgreSQL test skipped: {PG_SKIP_VAR}=1");
            return None;
        }
        _ => panic!(
            "{PG_URL_VAR} is not set: start a test server with `eval \"$(scripts/pg-test-server.sh start)\"` \
             (or set {PG_SKIP_VAR}=1 to skip the PostgreSQL test explicitly)"
        ),
    };
    let name = format!("sesame_vault_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach {PG_URL_VAR}={admin_url}: {e} (is scripts/pg-test-server.sh running?)"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    admin.close().await.ok();
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url.as_str(), None), |(b, q)| (b, Some(q)));
    let host_end = base.find("://").map_or(0, |i| i + 3);
    let host = match base[host_end..].find('/') {
        Some(slash) => &base[..host_end + slash],
        None => base,
    };
    let url = match query {
        Some(q) => format!("{host}/{name}?{q}"),
        None => format!("{host}/{name}"),
    };
    Some((admin_url.clone(), name, url))
}

async fn drop_database(admin_url: &str, name: &str) {
    if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await;
    }
}

#[tokio::test]
async fn desks_of_a_shared_queue_share_one_key() {
    let first = TestVault::new("pg_first");
    let second = first.second_desk();
    let Some((admin_url, name, url)) = fresh_database().await else {
        return;
    };

    // On a shared queue no key appears by itself: the first desk initialises it.
    let store = Store::open(&url).await.unwrap();
    assert_eq!(codec_for_desk(&first.vault, &url).await.unwrap().key, None);
    let (key, created) = init_desk_key(&first.vault, &url).await.unwrap();
    assert!(created);
    let desk_a = codec_for_desk(&first.vault, &url).await.unwrap();
    assert_eq!(desk_a.key, Some(key.id()));
    let store = store.with_codec(desk_a.codec);
    let request = store
        .create_request(new_request("Reseau"), OPERATOR)
        .await
        .unwrap();
    let photo = jpeg_with(b"RESEAU-PHOTO");
    let meta = store
        .put_attachment(request.request.id, AttachmentKind::Photo, &photo, OPERATOR)
        .await
        .unwrap();
    store.close().await;

    let usage = keys_in_use(&url).await.unwrap();
    assert_eq!(
        usage.encrypted.get(&key.id().to_string()),
        Some(&1),
        "{usage:?}"
    );

    // The second desk may not start its own key, and cannot read until it imports.
    let error = init_desk_key(&second.vault, &url).await.unwrap_err();
    assert_eq!(sesame_core::ErrorCode::code(&error), "vault.queue_has_key");
    let file = first.vault.export("shared queue passphrase").unwrap();
    second
        .vault
        .import(&file, "shared queue passphrase", false)
        .unwrap();
    let desk_b = codec_for_desk(&second.vault, &url).await.unwrap();
    let store_b = Store::open(&url).await.unwrap().with_codec(desk_b.codec);
    assert_eq!(store_b.get_attachment(meta.id).await.unwrap().bytes, photo);
    store_b.close().await;

    drop_database(&admin_url, &name).await;
}
