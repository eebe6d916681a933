//! ID documents attached at intake and viewed from the request screen, on a real SQLite desk.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sesame_core::{
    AttachmentKind, ErrorCode, HolderDetails, MediaType, RequestDetails, RequestKind,
};
use sesame_service::{
    add_request_document, create_request, get_attachment_content, get_request, remove_attachment,
    Desk, DocumentInput, RemoveAttachmentInput,
};
use sesame_store::NewRequest;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

async fn desk_with_request(dir: &tempfile::TempDir) -> (Desk, String) {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let desk = Desk::open(dir.path(), &url).await.unwrap();
    let new = NewRequest {
        holder_id: None,
        holder: HolderDetails {
            family_name: "Durand".into(),
            given_names: "Zoé".into(),
            email: None,
            phone: None,
            organisation: None,
            unit: None,
            category: "staff".into(),
            external_id: None,
            presence_days_per_week: 5,
            mission_start: None,
            mission_end: None,
        },
        request: RequestDetails::new(RequestKind::NewBadge),
    };
    let id = create_request(&desk, new)
        .await
        .unwrap()
        .request
        .id
        .to_string();
    (desk, id)
}

#[tokio::test]
async fn a_pdf_scan_is_attached_viewed_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, id) = desk_with_request(&dir).await;
    let detail = add_request_document(
        &desk,
        DocumentInput {
            request_id: id.clone(),
            kind: AttachmentKind::IdDocumentFront,
            data: STANDARD.encode(PDF),
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
    let content = get_attachment_content(&desk, meta.id.to_string())
        .await
        .unwrap();
    assert_eq!(STANDARD.decode(content.data).unwrap(), PDF);

    let after = remove_attachment(
        &desk,
        RemoveAttachmentInput {
            attachment_id: meta.id.to_string(),
            reason: Some("another person's card".into()),
        },
    )
    .await
    .unwrap();
    assert!(after.attachments.is_empty());
}

#[tokio::test]
async fn a_file_that_is_neither_jpeg_nor_pdf_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, id) = desk_with_request(&dir).await;
    let error = add_request_document(
        &desk,
        DocumentInput {
            request_id: id.clone(),
            kind: AttachmentKind::IdDocumentBack,
            data: STANDARD.encode(b"MZ\x90\x00 not a scan"),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "attachment.unsupported_type");
    assert!(get_request(&desk, id).await.unwrap().attachments.is_empty());
}

#[tokio::test]
async fn photos_are_refused_here_they_go_through_the_photo_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, id) = desk_with_request(&dir).await;
    let error = add_request_document(
        &desk,
        DocumentInput {
            request_id: id,
            kind: AttachmentKind::Photo,
            data: STANDARD.encode([0xFF, 0xD8, 0xFF, 0xE0]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "attachment.photo_not_a_document");
}
