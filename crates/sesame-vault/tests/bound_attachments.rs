//! Attachments sealed bound to their row (id, request, kind, media type), on SQLite
//! and PostgreSQL, with the key from a real Secret Service (scripts/with-keyring.sh):
//! what someone with write access to the database can no longer do, and the upgrade
//! of the blobs older versions left (first encrypted format, and plain).

use crate::common;

use std::sync::Arc;

use common::{jpeg_with, new_request, TestVault, OPERATOR};
use sesame_core::{AttachmentKind, ErrorCode};
use sesame_store::{AttachmentContext, BlobCodec, CodecError, PlainCodec, Store, StoreError};
use sesame_test_support::{on_both, TestDb};
use sesame_vault::{
    codec_error_code, desk_codec, XChaChaCodec, CODEC_NAME, PLAIN_CODEC_NAME, V1_CODEC_NAME,
};
use uuid::Uuid;

fn codec_code(error: &StoreError) -> Option<&'static str> {
    match error {
        StoreError::Codec { reason, .. } => codec_error_code(reason),
        _ => None,
    }
}

/// The store of `db` with a new key of its own (a desk holding the key).
fn keyed(db: &TestDb, vault: &TestVault) -> Store {
    vault.vault.load_or_create().unwrap();
    db.store
        .clone()
        .with_codec(desk_codec(&vault.vault).unwrap())
}

async fn request(store: &Store, family: &str) -> Uuid {
    store
        .create_request(new_request(family), OPERATOR)
        .await
        .unwrap()
        .request
        .id
}

/// `bytes` as a literal of the test database's binary type.
fn blob_literal(db: &TestDb, bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if db.sqlite_file().is_some() {
        format!("X'{hex}'")
    } else {
        format!("'\\x{hex}'::bytea")
    }
}

async fn codec_of(db: &TestDb, id: Uuid) -> String {
    // Counted per name: raw_count reads numbers only.
    for name in [CODEC_NAME, V1_CODEC_NAME, PLAIN_CODEC_NAME] {
        let sql = format!(
            "SELECT COUNT(*) FROM attachment_blobs WHERE attachment_id = '{id}' AND codec = '{name}'"
        );
        if db.raw_count(&sql).await == 1 {
            return name.to_owned();
        }
    }
    panic!("attachment {id} has no blob under a known codec")
}

/// (a) A photo's stored bytes and codec copied onto another request's photo row are
/// refused with `vault.wrong_row`, and the original still opens.
async fn a_photo_copied_onto_another_request_is_refused(db: &TestDb) {
    let vault = TestVault::new("bound_copy");
    let store = keyed(db, &vault);
    let petit = request(&store, "Petit").await;
    let grand = request(&store, "Grand").await;
    let a = store
        .put_attachment(petit, AttachmentKind::Photo, &jpeg_with(b"PETIT"), OPERATOR)
        .await
        .unwrap();
    let b = store
        .put_attachment(grand, AttachmentKind::Photo, &jpeg_with(b"GRAND"), OPERATOR)
        .await
        .unwrap();

    db.raw_execute(&format!(
        "UPDATE attachment_blobs SET
             data = (SELECT data FROM attachment_blobs WHERE attachment_id = '{a}'),
             codec = (SELECT codec FROM attachment_blobs WHERE attachment_id = '{a}')
         WHERE attachment_id = '{b}'",
        a = a.id,
        b = b.id
    ))
    .await
    .unwrap();

    let error = store.get_attachment(b.id).await.unwrap_err();
    assert_eq!(error.code(), "attachment.codec_failed");
    assert_eq!(codec_code(&error), Some("vault.wrong_row"), "{error}");
    assert!(error.to_string().contains(&b.id.to_string()), "{error}");
    assert_eq!(
        store.get_attachment(a.id).await.unwrap().bytes,
        jpeg_with(b"PETIT")
    );
}
on_both!(a_photo_copied_onto_another_request_is_refused);

/// (b) A row relabelled in the database (an ID scan passed off as the photo, a JPEG
/// declared PNG) no longer opens; once put back, it does.
async fn a_relabelled_kind_or_media_type_is_refused(db: &TestDb) {
    let vault = TestVault::new("bound_relabel");
    let store = keyed(db, &vault);
    let id = request(&store, "Relabel").await;
    let scan = store
        .put_attachment(
            id,
            AttachmentKind::IdDocumentFront,
            &jpeg_with(b"SCAN"),
            OPERATOR,
        )
        .await
        .unwrap();
    let photo = store
        .put_attachment(id, AttachmentKind::Photo, &jpeg_with(b"FACE"), OPERATOR)
        .await
        .unwrap();

    // Swap the two rows' kinds: the scan claims to be the badge photo and back.
    db.raw_execute(&format!(
        "UPDATE attachments SET kind = 'other' WHERE id = '{}'",
        photo.id
    ))
    .await
    .unwrap();
    db.raw_execute(&format!(
        "UPDATE attachments SET kind = 'photo' WHERE id = '{}'",
        scan.id
    ))
    .await
    .unwrap();
    for moved in [scan.id, photo.id] {
        let error = store.get_attachment(moved).await.unwrap_err();
        assert_eq!(codec_code(&error), Some("vault.wrong_row"), "{error}");
    }
    db.raw_execute(&format!(
        "UPDATE attachments SET kind = 'id_document_front' WHERE id = '{}'",
        scan.id
    ))
    .await
    .unwrap();
    db.raw_execute(&format!(
        "UPDATE attachments SET kind = 'photo' WHERE id = '{}'",
        photo.id
    ))
    .await
    .unwrap();
    assert_eq!(
        store.get_attachment(scan.id).await.unwrap().bytes,
        jpeg_with(b"SCAN")
    );

    db.raw_execute(&format!(
        "UPDATE attachments SET media_type = 'image/png' WHERE id = '{}'",
        photo.id
    ))
    .await
    .unwrap();
    let error = store.get_attachment(photo.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.wrong_row"), "{error}");

    // The desk's own relabelling (a newer photo puts this one aside) still opens.
    db.raw_execute(&format!(
        "UPDATE attachments SET media_type = 'image/jpeg' WHERE id = '{}'",
        photo.id
    ))
    .await
    .unwrap();
    store
        .put_attachment(id, AttachmentKind::Photo, &jpeg_with(b"NEWER"), OPERATOR)
        .await
        .unwrap();
    let previous = store.get_attachment(photo.id).await.unwrap();
    assert_eq!(previous.meta.kind, AttachmentKind::PreviousPhoto);
    assert_eq!(previous.bytes, jpeg_with(b"FACE"));
}
on_both!(a_relabelled_kind_or_media_type_is_refused);

/// (c) A `plain` row inserted behind the desk's back is refused by a desk holding a
/// key, even after the upgrade that seals the queue's old plain rows ran.
async fn a_plain_row_inserted_later_is_refused(db: &TestDb) {
    let vault = TestVault::new("bound_plain");
    let store = keyed(db, &vault);
    let id = request(&store, "Injected").await;
    // The queue's first opening with the key: nothing to upgrade, and plain is done.
    let first = store.upgrade_attachment_blobs().await.unwrap();
    assert!(first.plain_included);

    let injected = Uuid::now_v7();
    db.raw_execute(&format!(
        "INSERT INTO attachments (id, request_id, kind, media_type, byte_size, created_by, created_at)
         VALUES ('{injected}', '{id}', 'photo', 'image/jpeg', 10, 'someone', '2026-01-01T00:00:00Z')"
    ))
    .await
    .unwrap();
    db.raw_execute(&format!(
        "INSERT INTO attachment_blobs (attachment_id, codec, data) VALUES ('{injected}', 'plain', {})",
        blob_literal(db, &jpeg_with(b"INJECTED"))
    ))
    .await
    .unwrap();

    let error = store.get_attachment(injected).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.plain_refused"), "{error}");
    // Later openings do not launder it into a sealed blob.
    let again = store.upgrade_attachment_blobs().await.unwrap();
    assert!(!again.plain_included);
    assert_eq!(again.resealed, 0);
    assert_eq!(codec_of(db, injected).await, PLAIN_CODEC_NAME);
    let error = store.get_attachment(injected).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.plain_refused"), "{error}");
}
on_both!(a_plain_row_inserted_later_is_refused);

/// Seals as versions before the row-bound format did (the attachment id alone).
#[derive(Debug)]
struct FirstFormatCodec(XChaChaCodec);

impl BlobCodec for FirstFormatCodec {
    fn name(&self) -> &str {
        V1_CODEC_NAME
    }
    fn seal(&self, context: &AttachmentContext, plain: &[u8]) -> Result<Vec<u8>, CodecError> {
        self.0.seal_v1_for_tests(context, plain)
    }
    fn open(
        &self,
        codec: &str,
        context: &AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, CodecError> {
        self.0.open(codec, context, stored)
    }
}

/// (d) A queue with first-format blobs and plain blobs, opened with the key: all
/// sealed bound to their rows, contents intact, and a second pass changes nothing.
async fn old_blobs_are_sealed_bound_to_their_rows(db: &TestDb) {
    let vault = TestVault::new("bound_upgrade");
    let key = vault.vault.load_or_create().unwrap();
    let id = request(&db.store, "Ancien").await;
    let plain_store = db.store.clone().with_codec(Arc::new(PlainCodec));
    let scan = plain_store
        .put_attachment(
            id,
            AttachmentKind::IdDocumentFront,
            &jpeg_with(b"OLD-SCAN"),
            OPERATOR,
        )
        .await
        .unwrap();
    let v1_store = db
        .store
        .clone()
        .with_codec(Arc::new(FirstFormatCodec(XChaChaCodec::new(&key))));
    let photo = v1_store
        .put_attachment(id, AttachmentKind::Photo, &jpeg_with(b"OLD-FACE"), OPERATOR)
        .await
        .unwrap();
    let back = v1_store
        .put_attachment(
            id,
            AttachmentKind::IdDocumentBack,
            &jpeg_with(b"OLD-BACK"),
            OPERATOR,
        )
        .await
        .unwrap();
    assert_eq!(codec_of(db, scan.id).await, PLAIN_CODEC_NAME);
    assert_eq!(codec_of(db, photo.id).await, V1_CODEC_NAME);

    let store = db
        .store
        .clone()
        .with_codec(desk_codec(&vault.vault).unwrap());
    // First-format blobs open as they are; plain ones only once sealed.
    assert_eq!(
        store.get_attachment(photo.id).await.unwrap().bytes,
        jpeg_with(b"OLD-FACE")
    );
    let first = store.upgrade_attachment_blobs().await.unwrap();
    assert_eq!(first.resealed, 3);
    assert_eq!(first.failed, 0);
    assert!(first.plain_included);
    for (attachment, bytes) in [
        (scan.id, b"OLD-SCAN".as_slice()),
        (photo.id, b"OLD-FACE".as_slice()),
        (back.id, b"OLD-BACK".as_slice()),
    ] {
        assert_eq!(codec_of(db, attachment).await, CODEC_NAME);
        assert_eq!(
            store.get_attachment(attachment).await.unwrap().bytes,
            jpeg_with(bytes)
        );
    }

    let second = store.upgrade_attachment_blobs().await.unwrap();
    assert_eq!(second.resealed, 0);
    assert!(!second.plain_included);
    // Now bound: relabelling the upgraded scan is refused like any other.
    db.raw_execute(&format!(
        "UPDATE attachments SET kind = 'other' WHERE id = '{}'",
        scan.id
    ))
    .await
    .unwrap();
    let error = store.get_attachment(scan.id).await.unwrap_err();
    assert_eq!(codec_code(&error), Some("vault.wrong_row"), "{error}");
}
on_both!(old_blobs_are_sealed_bound_to_their_rows);

/// Two desks upgrading the same queue at once: each blob is sealed again once, and
/// every one opens afterwards.
async fn two_desks_upgrading_at_once_do_no_harm(db: &TestDb) {
    let vault = TestVault::new("bound_race");
    let key = vault.vault.load_or_create().unwrap();
    let id = request(&db.store, "Concurrent").await;
    let v1_store = db
        .store
        .clone()
        .with_codec(Arc::new(FirstFormatCodec(XChaChaCodec::new(&key))));
    let mut ids = Vec::new();
    for n in 0..40u8 {
        let meta = v1_store
            .put_attachment(id, AttachmentKind::Other, &jpeg_with(&[b'A', n]), OPERATOR)
            .await
            .unwrap();
        ids.push((meta.id, n));
    }
    let one = db
        .store
        .clone()
        .with_codec(desk_codec(&vault.vault).unwrap());
    let two = db
        .store
        .clone()
        .with_codec(desk_codec(&vault.vault).unwrap());
    let (a, b) = tokio::join!(
        one.upgrade_attachment_blobs(),
        two.upgrade_attachment_blobs()
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.resealed + b.resealed, 40, "{a:?} {b:?}");
    for (attachment, n) in ids {
        assert_eq!(
            one.get_attachment(attachment).await.unwrap().bytes,
            jpeg_with(&[b'A', n])
        );
    }
}
on_both!(two_desks_upgrading_at_once_do_no_harm);
