//! Two desks on one PostgreSQL queue sharing the data key. Needs a real Secret Service
//! (scripts/with-keyring.sh) and a PostgreSQL server (scripts/pg-test-server.sh).

use crate::common;

use common::{jpeg_with, new_request, TestVault, OPERATOR};
use sesame_core::AttachmentKind;
use sesame_test_support::db::open_pinned;
use sesame_test_support::PgDatabase;
use sesame_vault::{codec_for_desk, init_desk_key, keys_in_use};

#[tokio::test]
async fn desks_of_a_shared_queue_share_one_key() {
    let first = TestVault::new("pg_first");
    let second = first.second_desk();
    let Some(pg) = PgDatabase::create("sesame_vault").await else {
        return;
    };
    let url = pg.url.clone();

    // On a shared queue no key appears by itself: the first desk initialises it.
    let store = open_pinned(&url).await;
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
    let store_b = open_pinned(&url).await.with_codec(desk_b.codec);
    assert_eq!(store_b.get_attachment(meta.id).await.unwrap().bytes, photo);
    store_b.close().await;

    pg.drop_database().await;
}
