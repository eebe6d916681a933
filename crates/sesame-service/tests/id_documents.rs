//! ID documents attached at intake and viewed from the request screen, on a real SQLite desk.

use sesame_core::{AttachmentKind, ErrorCode, MediaType};
use sesame_service::{
    add_request_document, get_attachment_content, get_request, remove_attachment, DocumentInput,
    FileBytes, RemoveAttachmentInput, RequestId,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{new_request, pdf};

async fn desk_with_request() -> (TestDesk, RequestId) {
    let desk = TestDesk::sqlite().await;
    let id = desk.registered(new_request("Durand", "Zoé")).await;
    (desk, id)
}

/// The file as the intake screen sends it: base64 text.
fn sent(bytes: &[u8]) -> FileBytes {
    use base64::Engine as _;
    FileBytes::from_base64(base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[tokio::test]
async fn a_pdf_scan_is_attached_viewed_and_removed() {
    let (desk, id) = desk_with_request().await;
    let detail = add_request_document(
        &desk,
        DocumentInput {
            request_id: id,
            kind: AttachmentKind::IdDocumentFront,
            data: sent(&pdf()),
        },
    )
    .await
    .unwrap();
    let meta = detail
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::IdDocumentFront)
        .expect("the front side is listed")
        .clone();
    assert_eq!(meta.media_type, MediaType::Pdf);
    let content = get_attachment_content(&desk, meta.id.into()).await.unwrap();
    assert_eq!(content.data.into_bytes().unwrap(), pdf());

    let after = remove_attachment(
        &desk,
        RemoveAttachmentInput {
            attachment_id: meta.id.into(),
            reason: Some("another person's card".into()),
        },
    )
    .await
    .unwrap();
    assert!(after.attachments.is_empty());
}

#[tokio::test]
async fn a_file_that_is_neither_jpeg_nor_pdf_is_refused_and_nothing_is_stored() {
    let (desk, id) = desk_with_request().await;
    let error = add_request_document(
        &desk,
        DocumentInput {
            request_id: id,
            kind: AttachmentKind::IdDocumentBack,
            data: sent(b"MZ\x90\x00 not a scan"),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "attachment.unsupported_type");
    assert!(get_request(&desk, id).await.unwrap().attachments.is_empty());
}

#[tokio::test]
async fn photos_are_refused_here_they_go_through_the_photo_checks() {
    let (desk, id) = desk_with_request().await;
    let error = add_request_document(
        &desk,
        DocumentInput {
            request_id: id,
            kind: AttachmentKind::Photo,
            data: sent(&[0xFF, 0xD8, 0xFF, 0xE0]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "attachment.photo_not_a_document");
}
