//! Attachments through a real `sesame_store::Store` on SQLite, with the key from a
//! real Secret Service (run through scripts/with-keyring.sh).

use crate::common;

use std::sync::Arc;

use common::{contains, jpeg_with, new_request, raw_blob, TestVault, OPERATOR};
use sesame_core::{AttachmentKind, ErrorCode};
use sesame_store::{PlainCodec, StoreError};
use sesame_vault::{codec_error_code, desk_codec, KeyMissingCodec, XChaChaCodec, CODEC_NAME};

fn codec_code(error: &StoreError) -> Option<&'static str> {
    match error {
        StoreError::Codec { reason, .. } => codec_error_code(reason),
        _ => None,
    }
}

#[tokio::test]
async fn photos_are_encrypted_in_the_database_and_read_back() {
    let desk = TestVault::new("store_roundtrip");
    let db = common::sqlite_file();
    let key = desk.vault.load_or_create().unwrap();
    let store = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());

    let request = store
        .create_request(new_request("Martin"), OPERATOR)
        .await
        .unwrap();
    let photo = jpeg_with(b"FACE-OF-ALICE-MARTIN");
    let meta = store
        .put_attachment(request.request.id, AttachmentKind::Photo, &photo, OPERATOR)
        .await
        .unwrap();
    assert_eq!(store.get_attachment(meta.id).await.unwrap().bytes, photo);
    store.close().await;

    let (codec, stored) = raw_blob(&db.path, meta.id).await;
    assert_eq!(codec, CODEC_NAME);
    assert!(
        !contains(&stored, b"FACE-OF-ALICE-MARTIN"),
        "plaintext visible in the database"
    );
    assert!(
        !contains(&stored, b"JFIF"),
        "JPEG header visible in the database"
    );
    assert!(
        contains(&stored, key.id().as_bytes()),
        "the blob names its key"
    );

    // A new vault instance (the app restarted) reads the key back from the keyring.
    let reopened = db.store().await.with_codec(Arc::new(XChaChaCodec::new(
        &sesame_vault::KeyVault::open(desk.vault.service(), desk.vault.account())
            .unwrap()
            .load()
            .unwrap(),
    )));
    assert_eq!(reopened.get_attachment(meta.id).await.unwrap().bytes, photo);
    reopened.close().await;
}

#[tokio::test]
async fn a_wrong_or_missing_key_fails_clearly_and_destroys_nothing() {
    let desk = TestVault::new("store_wrong_key");
    let other = desk.second_desk();
    let db = common::sqlite_file();
    desk.vault.load_or_create().unwrap();
    let other_key = other.vault.load_or_create().unwrap();

    let store = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());
    let request = store
        .create_request(new_request("Durand"), OPERATOR)
        .await
        .unwrap();
    let photo = jpeg_with(b"DURAND");
    let meta = store
        .put_attachment(request.request.id, AttachmentKind::Photo, &photo, OPERATOR)
        .await
        .unwrap();
    store.close().await;
    let (_, before) = raw_blob(&db.path, meta.id).await;

    let wrong = db
        .store()
        .await
        .with_codec(Arc::new(XChaChaCodec::new(&other_key)));
    let error = wrong.get_attachment(meta.id).await.unwrap_err();
    assert_eq!(error.code(), "attachment.codec_failed");
    assert_eq!(codec_code(&error), Some("vault.wrong_key"), "{error}");
    wrong.close().await;

    let keyless = db.store().await.with_codec(Arc::new(KeyMissingCodec));
    let error = keyless.get_attachment(meta.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.key_missing"), "{error}");
    // Nor may a desk without the key write photos in clear.
    let error = keyless
        .put_attachment(
            request.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"NEW"),
            OPERATOR,
        )
        .await
        .unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.key_missing"), "{error}");
    keyless.close().await;

    let (_, after) = raw_blob(&db.path, meta.id).await;
    assert_eq!(before, after, "the stored blob is untouched");
    let right = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());
    assert_eq!(right.get_attachment(meta.id).await.unwrap().bytes, photo);
    right.close().await;
}

#[tokio::test]
async fn tampered_or_moved_blobs_are_refused() {
    use sqlx::Connection;
    let desk = TestVault::new("store_tamper");
    let db = common::sqlite_file();
    desk.vault.load_or_create().unwrap();
    let store = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());
    let first = store
        .create_request(new_request("Petit"), OPERATOR)
        .await
        .unwrap();
    let second = store
        .create_request(new_request("Grand"), OPERATOR)
        .await
        .unwrap();
    let a = store
        .put_attachment(
            first.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"PETIT"),
            OPERATOR,
        )
        .await
        .unwrap();
    let b = store
        .put_attachment(
            second.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"GRAND"),
            OPERATOR,
        )
        .await
        .unwrap();
    store.close().await;

    // Someone with database access copies Petit's photo onto Grand's row.
    let (_, petit_blob) = raw_blob(&db.path, a.id).await;
    let mut connection = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE attachment_blobs SET data = ? WHERE attachment_id = ?")
        .bind(&petit_blob)
        .bind(b.id.to_string())
        .execute(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();

    let store = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());
    let error = store.get_attachment(b.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.wrong_row"), "{error}");
    assert_eq!(
        store.get_attachment(a.id).await.unwrap().bytes,
        jpeg_with(b"PETIT")
    );
    store.close().await;
}

#[tokio::test]
async fn photos_stored_before_encryption_are_sealed_then_read() {
    let desk = TestVault::new("store_plain");
    let db = common::sqlite_file();
    let plain_store = db.store().await.with_codec(Arc::new(PlainCodec));
    let request = plain_store
        .create_request(new_request("Ancien"), OPERATOR)
        .await
        .unwrap();
    let old = plain_store
        .put_attachment(
            request.request.id,
            AttachmentKind::IdDocumentFront,
            &jpeg_with(b"OLD-SCAN"),
            OPERATOR,
        )
        .await
        .unwrap();
    plain_store.close().await;

    desk.vault.load_or_create().unwrap();
    let store = db
        .store()
        .await
        .with_codec(desk_codec(&desk.vault).unwrap());
    // A desk holding the key reads plain blobs once it has sealed them (it does when
    // it opens: `Desk::open_with`).
    let error = store.get_attachment(old.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.plain_refused"), "{error}");
    store.upgrade_attachment_blobs().await.unwrap();
    assert_eq!(
        store.get_attachment(old.id).await.unwrap().bytes,
        jpeg_with(b"OLD-SCAN")
    );
    let new = store
        .put_attachment(
            request.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"NEW-PHOTO"),
            OPERATOR,
        )
        .await
        .unwrap();
    store.close().await;
    assert_eq!(raw_blob(&db.path, old.id).await.0, CODEC_NAME);
    assert_eq!(raw_blob(&db.path, new.id).await.0, CODEC_NAME);
}

#[tokio::test]
async fn a_single_desk_gets_a_key_on_first_open_but_never_a_second_one() {
    let desk = TestVault::new("desk_codec");
    let other = desk.second_desk();
    let db = common::sqlite_file();
    let store = db.store().await;
    let opened = sesame_vault::codec_for_desk(&desk.vault, &db.url)
        .await
        .unwrap();
    assert!(opened.created);
    assert_eq!(opened.key, Some(desk.vault.fingerprint().unwrap()));
    let store = store.with_codec(opened.codec);
    let request = store
        .create_request(new_request("Premier"), OPERATOR)
        .await
        .unwrap();
    let meta = store
        .put_attachment(
            request.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"P1"),
            OPERATOR,
        )
        .await
        .unwrap();
    store.close().await;

    let again = sesame_vault::codec_for_desk(&desk.vault, &db.url)
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.key, opened.key);

    // Another keyring entry on the same file (e.g. the database copied to a new PC):
    // no fresh key that would split the data; the desk runs keyless until it imports.
    let copied = sesame_vault::codec_for_desk(&other.vault, &db.url)
        .await
        .unwrap();
    assert_eq!(copied.key, None);
    assert_eq!(other.vault.status().state, sesame_vault::KeyState::Missing);
    let store = db.store().await.with_codec(copied.codec);
    let error = store.get_attachment(meta.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.key_missing"), "{error}");
    store.close().await;

    let usage = sesame_vault::keys_in_use(&db.url).await.unwrap();
    assert_eq!(
        usage.encrypted.get(&opened.key.unwrap().to_string()),
        Some(&1)
    );
    assert_eq!(usage.plain, 0);
}
