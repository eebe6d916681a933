//! The data key leaves a desk or replaces its key only at a supervisor's hand, and the
//! audit log says who did it, when, and with which key (by fingerprint), never the key,
//! the key file or the passphrase.

use sesame_core::{AuditEntity, ErrorCode};
use sesame_service::{
    export_key_file, import_key_file, init_key, key_status, Destination, FileBytes, KeyExportInput,
    KeyImportInput, DATA_KEY_AUDIT_ID,
};
use sesame_test_support::desk::TestDesk;

const PASSPHRASE: &str = "correct horse battery staple of the badge office";

async fn key_export_and_import_are_a_supervisors_and_audited(alice: TestDesk) {
    let bob = alice.another_desk("bob").await;
    // The first desk of a PostgreSQL queue creates its key here (a SQLite one did on opening).
    let (fingerprint, _) = init_key(&alice).await.unwrap();
    assert_eq!(
        key_status(&alice).await.unwrap().key.fingerprint,
        Some(fingerprint.clone())
    );
    let export_to = |name: &str| KeyExportInput {
        passphrase: PASSPHRASE.into(),
        destination: Destination::Path(alice.file(name)),
    };
    let store = alice.store().await;
    let key_events = || store.audit_for(AuditEntity::Settings, DATA_KEY_AUDIT_ID);

    // A clerk can neither take the key away nor slip another one in; nothing is recorded.
    let err = export_key_file(&bob, export_to("by-bob.sesamekey"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(!alice.file("by-bob.sesamekey").exists());

    let exported = export_key_file(&alice, export_to("by-alice.sesamekey"))
        .await
        .unwrap();
    let key_file = std::fs::read(&exported.path).unwrap();
    let import = || KeyImportInput {
        content: FileBytes::from(key_file.clone()),
        passphrase: PASSPHRASE.into(),
        force: true,
    };
    let err = import_key_file(&bob, import()).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("key_export"), "{err}");

    let imported = import_key_file(&alice, import()).await.unwrap();
    assert_eq!(imported.fingerprint, fingerprint);

    let entries = key_events().await.unwrap();
    let actions: Vec<_> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.operator.as_str()))
        .collect();
    assert_eq!(
        actions,
        [("key_export", "alice"), ("key_import", "alice")],
        "only the supervisor's export and import are recorded"
    );
    let key_text = String::from_utf8(key_file).unwrap();
    for entry in &entries {
        let details = entry.after.as_ref().unwrap();
        assert_eq!(details["fingerprint"], fingerprint.as_str());
        let written = details.to_string();
        assert!(!written.contains(PASSPHRASE), "{written}");
        for line in key_text.lines().filter(|l| l.len() > 16) {
            assert!(!written.contains(line), "the key file is in {written}");
        }
    }
    assert_eq!(
        entries[1].after.as_ref().unwrap()["outcome"],
        "already_present"
    );

    store.close().await;
    bob.close().await;
    alice.finish().await;
}
on_both_desks!(key_export_and_import_are_a_supervisors_and_audited);
