//! Attachments, each test on SQLite and on PostgreSQL: bytes stored in the database
//! with type and size checks, replaced photos kept and restorable, photo-check reviews
//! and their override rates, and the blob codec the store seals bytes with.

use sesame_core::{AttachmentKind, ErrorCode, RequestAction};
use sesame_store::RequestDetail;
use sesame_test_support::fixtures::{fake_jpeg, new_request, pdf};
use sesame_test_support::{on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";
const BOB: &str = "bob";

async fn attachments_are_stored_in_the_database(db: &TestDb) {
    let store = &db.store;
    let d = store
        .create_request(new_request("Photo", "Graphe"), ALICE)
        .await
        .unwrap();
    let id = d.request.id;
    let photo = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(7), ALICE)
        .await
        .unwrap();
    assert_eq!(photo.media_type, sesame_core::MediaType::Jpeg);
    let back = store.get_attachment(photo.id).await.unwrap();
    assert_eq!(back.bytes, fake_jpeg(7));
    assert_eq!(back.meta, photo);
    let front = store
        .put_attachment(id, AttachmentKind::IdDocumentFront, &pdf(), ALICE)
        .await
        .unwrap();
    assert_eq!(store.get_attachment(front.id).await.unwrap().bytes, pdf());
    // a PDF is no photo; random bytes are nothing
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Photo, &pdf(), ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.unsupported_type"
    );
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Other, b"GIF89a....", ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.unsupported_type"
    );
    let huge = {
        let mut b = fake_jpeg(0);
        b.resize(sesame_store::MAX_ATTACHMENT_BYTES + 1, 0);
        b
    };
    assert_eq!(
        store
            .put_attachment(id, AttachmentKind::Photo, &huge, ALICE)
            .await
            .unwrap_err()
            .code(),
        "attachment.too_large"
    );
    // certifying, then replacing the photo, clears the certification
    let v = store.get_request(id).await.unwrap().request.version;
    let certified = store
        .transition(id, v, RequestAction::CertifyPhoto, ALICE, None)
        .await
        .unwrap();
    assert!(certified.request.photo_certified.is_some());
    let new_photo = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(8), BOB)
        .await
        .unwrap();
    let after = store.get_request(id).await.unwrap();
    assert!(after.request.photo_certified.is_none());
    assert_eq!(after.attachments.len(), 3);
    assert!(after.attachments.iter().any(|a| a.id == new_photo.id));
    // The replaced photo stays, as a previous photo, until retention removes it.
    let previous = store.get_attachment(photo.id).await.unwrap();
    assert_eq!(previous.meta.kind, AttachmentKind::PreviousPhoto);
    assert!(previous.meta.replaced_at.is_some());
    assert_eq!(previous.bytes, fake_jpeg(7));
    assert_eq!(
        store.get_attachment(new_photo.id).await.unwrap().bytes,
        fake_jpeg(8)
    );
    store
        .delete_attachment(front.id, ALICE, Some("wrong person"))
        .await
        .unwrap();
    let actions: Vec<String> = store
        .audit_for_request(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.ends_with(&[
        "add".into(),
        "add".into(),
        "certify_photo".into(),
        "replace".into(),
        "delete".into()
    ]));
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM attachment_blobs").await,
        2
    );
}
on_both!(attachments_are_stored_in_the_database);

async fn previous_photos_can_be_restored(db: &TestDb) {
    let store = &db.store;
    let id = store
        .create_request(new_request("Retour", "Photo"), ALICE)
        .await
        .unwrap()
        .request
        .id;
    let first = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(1), ALICE)
        .await
        .unwrap();
    let second = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(2), ALICE)
        .await
        .unwrap();
    let third = store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(3), ALICE)
        .await
        .unwrap();
    let kinds = |detail: &RequestDetail| {
        let mut kinds: Vec<(Uuid, AttachmentKind)> =
            detail.attachments.iter().map(|a| (a.id, a.kind)).collect();
        kinds.sort_by_key(|(id, _)| *id);
        kinds
    };
    let detail = store.get_request(id).await.unwrap();
    assert_eq!(
        kinds(&detail),
        vec![
            (first.id, AttachmentKind::PreviousPhoto),
            (second.id, AttachmentKind::PreviousPhoto),
            (third.id, AttachmentKind::Photo)
        ]
    );
    // The first photo is the badge photo again; the current one is put aside.
    let stale = detail.request.version;
    let restored = store.restore_photo(id, first.id, stale, BOB).await.unwrap();
    assert_eq!(restored.kind, AttachmentKind::Photo);
    let detail = store.get_request(id).await.unwrap();
    assert_eq!(
        kinds(&detail),
        vec![
            (first.id, AttachmentKind::Photo),
            (second.id, AttachmentKind::PreviousPhoto),
            (third.id, AttachmentKind::PreviousPhoto)
        ]
    );
    assert_eq!(
        store
            .restore_photo(id, second.id, stale, BOB)
            .await
            .unwrap_err()
            .code(),
        "store.version_conflict",
        "a restore is made on the version the operator saw"
    );
    assert_eq!(
        store
            .restore_photo(id, first.id, detail.request.version, BOB)
            .await
            .unwrap_err()
            .code(),
        "store.not_found",
        "only a previous photo can be restored"
    );
    let history = store.audit_for_request(id).await.unwrap();
    assert_eq!(history.last().unwrap().action, "restore");
    assert_eq!(history.last().unwrap().operator, BOB);
}
on_both!(previous_photos_can_be_restored);

async fn photo_reviews_give_the_override_rate_per_check(db: &TestDb) {
    use sesame_store::{CheckOutcome, PhotoCheckOutcome, PhotoOverride, PhotoReview};
    let store = &db.store;
    let outcome = |check: &str, outcome: CheckOutcome, overridden: bool| PhotoCheckOutcome {
        check: check.into(),
        outcome,
        overridden,
    };
    let mut saved = Vec::new();
    for (i, review) in [
        PhotoReview::default(),
        PhotoReview {
            outcomes: vec![outcome("head_covering", CheckOutcome::Warn, true)],
            overridden: Some(PhotoOverride {
                reason: "religious head covering".into(),
                countersigned_by: None,
            }),
        },
        PhotoReview {
            outcomes: vec![
                outcome("background", CheckOutcome::Fail, true),
                outcome("eyes_open", CheckOutcome::Warn, true),
            ],
            overridden: Some(PhotoOverride {
                reason: "hair taken for the background".into(),
                countersigned_by: Some("superviseur".into()),
            }),
        },
        PhotoReview {
            outcomes: vec![outcome("background", CheckOutcome::Warn, false)],
            overridden: None,
        },
    ]
    .into_iter()
    .enumerate()
    {
        let id = store
            .create_request(new_request("Revue", &format!("N{i}")), ALICE)
            .await
            .unwrap()
            .request
            .id;
        let meta = store
            .put_badge_photo(
                id,
                &fake_jpeg(i as u8),
                ALICE,
                serde_json::json!({}),
                &review,
            )
            .await
            .unwrap();
        saved.push((id, meta));
    }
    let stats = store.photo_check_stats().await.unwrap();
    assert_eq!(stats.photos_saved, 4);
    assert_eq!(stats.photos_overridden, 2);
    let background = stats
        .checks
        .iter()
        .find(|c| c.check == "background")
        .unwrap();
    assert_eq!(
        (
            background.refused,
            background.refusals_overridden,
            background.warned,
            background.warnings_overridden
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(stats.checks.len(), 3);
    // The override's reason is in the photo's audit entry, with who countersigned.
    let (id, meta) = &saved[2];
    let entry = store
        .audit_for_request(*id)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.entity_id == meta.id.to_string())
        .unwrap();
    assert_eq!(
        entry.reason.as_deref(),
        Some("hair taken for the background")
    );
    assert_eq!(
        entry.after.unwrap()["override"]["countersignedBy"],
        "superviseur"
    );
}
on_both!(photo_reviews_give_the_override_rate_per_check);

/// A toy codec standing in for encryption: proves the store hands bytes through it
/// and refuses blobs it cannot read without destroying them.
#[derive(Debug)]
struct XorCodec;

impl sesame_store::BlobCodec for XorCodec {
    fn name(&self) -> &str {
        "xor-test"
    }
    fn seal(
        &self,
        _: &sesame_store::AttachmentContext,
        plain: &[u8],
    ) -> Result<Vec<u8>, sesame_store::CodecError> {
        Ok(plain.iter().map(|b| b ^ 0x5A).collect())
    }
    fn open(
        &self,
        codec: &str,
        _: &sesame_store::AttachmentContext,
        stored: &[u8],
    ) -> Result<Vec<u8>, sesame_store::CodecError> {
        match codec {
            "xor-test" => Ok(stored.iter().map(|b| b ^ 0x5A).collect()),
            "plain" => Ok(stored.to_vec()),
            other => Err(sesame_store::CodecError(format!("unknown codec {other}"))),
        }
    }
}

async fn attachment_codec_wraps_the_bytes(db: &TestDb) {
    let plain_store = db.store.clone();
    let coded_store = db.store.clone().with_codec(std::sync::Arc::new(XorCodec));
    let d = plain_store
        .create_request(new_request("Codec", "Test"), ALICE)
        .await
        .unwrap();
    let old = plain_store
        .put_attachment(d.request.id, AttachmentKind::IdDocumentBack, &pdf(), ALICE)
        .await
        .unwrap();
    let new = coded_store
        .put_attachment(d.request.id, AttachmentKind::Photo, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    assert_eq!(
        coded_store.get_attachment(new.id).await.unwrap().bytes,
        fake_jpeg(9)
    );
    assert_eq!(
        coded_store.get_attachment(old.id).await.unwrap().bytes,
        pdf(),
        "older plain blobs stay readable"
    );
    let err = plain_store.get_attachment(new.id).await.unwrap_err();
    assert_eq!(err.code(), "attachment.codec_failed");
    assert_eq!(
        coded_store.get_attachment(new.id).await.unwrap().bytes,
        fake_jpeg(9),
        "nothing destroyed"
    );
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM attachment_blobs WHERE codec = 'xor-test'")
            .await,
        1
    );
}
on_both!(attachment_codec_wraps_the_bytes);
