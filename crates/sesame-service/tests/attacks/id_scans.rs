//! Looking at someone's ID scan leaves a line in the audit log: who viewed which
//! attachment of which request. Badge photos, on screen all day, do not.

use sesame_core::{AttachmentKind, AuditEntity};
use sesame_service::{
    add_request_document, get_attachment_content, request_history, DocumentInput, FileBytes,
    RequestId, DOCUMENT_VIEWED,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{jpeg_with, new_request, pdf};

async fn viewing_an_id_scan_is_audited(alice: TestDesk) {
    let bob = alice.another_desk("bob").await;
    let request = alice
        .with_photo(new_request("Girard", "Anaïs"), &jpeg_with(b"Anais-Girard-"))
        .await;
    let id = RequestId(request.request.id);
    let mut attachments = add_request_document(
        &alice,
        DocumentInput {
            request_id: id,
            kind: AttachmentKind::IdDocumentBack,
            data: FileBytes::from(pdf()),
        },
    )
    .await
    .unwrap()
    .attachments;
    attachments.sort_by_key(|a| a.kind == AttachmentKind::Photo);
    let (scan, photo) = (&attachments[0], &attachments[1]);
    assert_eq!(
        (scan.kind, photo.kind),
        (AttachmentKind::IdDocumentBack, AttachmentKind::Photo)
    );
    let views = || async {
        request_history(&alice, id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == DOCUMENT_VIEWED)
            .collect::<Vec<_>>()
    };

    // The photo is shown without a trace.
    get_attachment_content(&bob, photo.id.into()).await.unwrap();
    assert!(views().await.is_empty());

    // The scan is shown, and the log says bob saw this side of this request's card.
    let content = get_attachment_content(&bob, scan.id.into()).await.unwrap();
    assert_eq!(content.data.into_bytes().unwrap(), pdf());
    let seen = views().await;
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!(seen[0].operator, "bob");
    assert_eq!(seen[0].entity, AuditEntity::Attachment);
    assert_eq!(seen[0].entity_id, scan.id.to_string());
    assert_eq!(seen[0].request_id, Some(id.0.to_string()));
    assert_eq!(seen[0].after.as_ref().unwrap()["kind"], "id_document_back");

    // Every viewing counts, not just the first.
    get_attachment_content(&alice, scan.id.into())
        .await
        .unwrap();
    let seen = views().await;
    assert_eq!(
        seen.iter().map(|e| e.operator.as_str()).collect::<Vec<_>>(),
        ["bob", "alice"]
    );

    bob.close().await;
    alice.finish().await;
}
on_both_desks!(viewing_an_id_scan_is_audited);
