//! A holder's archive holds every decrypted ID scan: a clerk cannot write one, a
//! supervisor's export is in the audit log (who, which holder, what it held, no
//! personal data), and the file is readable by its owner only.

use sesame_core::{AttachmentKind, AuditEntity, ErrorCode, HolderDetails};
use sesame_service::{
    add_request_document, export_holder_archive, DocumentInput, FileBytes, HolderId,
    HOLDER_EXPORTED,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder, jpeg_with, pdf, request_for};

/// The archives of `holder` in the output folder (their names hold the holder's id).
fn archives_of(holder: HolderId) -> Vec<std::path::PathBuf> {
    let prefix = format!("holder-{}", holder.0.simple());
    std::fs::read_dir(super::output_folder())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .collect()
}

async fn a_holder_archive_is_a_supervisors_audited_owner_only_file(alice: TestDesk) {
    super::output_folder();
    let bob = alice.another_desk("bob").await;
    let details = HolderDetails {
        external_id: Some("HR-7731".into()),
        ..holder("Lemaire", "Sophie")
    };
    let request = alice
        .with_photo(request_for(details), &jpeg_with(b"Sophie-Lemaire-"))
        .await;
    let scan = add_request_document(
        &alice,
        DocumentInput {
            request_id: request.request.id.into(),
            kind: AttachmentKind::IdDocumentFront,
            data: FileBytes::from(pdf()),
        },
    )
    .await
    .unwrap()
    .attachments
    .into_iter()
    .find(|a| a.kind == AttachmentKind::IdDocumentFront)
    .unwrap();
    let holder_id = HolderId(request.holder.id);

    // A clerk asking for the archive gets a refusal naming the action, and no file.
    let err = export_holder_archive(&bob, holder_id).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("export_holder_data"), "{err}");
    assert!(archives_of(holder_id).is_empty());

    let store = alice.store().await;
    let holder_key = request.holder.id.to_string();
    let audit_of_holder = || store.audit_for(AuditEntity::Holder, &holder_key);
    assert!(!audit_of_holder()
        .await
        .unwrap()
        .iter()
        .any(|e| e.action == HOLDER_EXPORTED));

    let export = export_holder_archive(&alice, holder_id).await.unwrap();
    assert_eq!(export.files, 2, "the photo and the ID scan");
    assert_eq!(
        archives_of(holder_id),
        [std::path::PathBuf::from(&export.path)]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&export.path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "the archive is readable by its owner only");
    }

    let entries = audit_of_holder().await.unwrap();
    let exported: Vec<_> = entries
        .iter()
        .filter(|e| e.action == HOLDER_EXPORTED)
        .collect();
    assert_eq!(exported.len(), 1, "{entries:#?}");
    let entry = exported[0];
    assert_eq!(entry.operator, "alice");
    assert_eq!(entry.entity_id, request.holder.id.to_string());
    let details = entry.after.as_ref().unwrap();
    let listed: Vec<_> = details["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(listed.contains(&scan.id.to_string()), "{details}");
    assert_eq!(details["requests"][0], request.request.id.to_string());
    let written = details.to_string();
    for personal in ["Lemaire", "Sophie", "HR-7731"] {
        assert!(!written.contains(personal), "{personal} in {written}");
    }

    store.close().await;
    bob.close().await;
    alice.finish().await;
}
on_both_desks!(a_holder_archive_is_a_supervisors_audited_owner_only_file);
