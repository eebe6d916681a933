//! The office's template set, on SQLite and on PostgreSQL: each save is a new
//! version of the whole set, audited; the newest is in use; none is ever changed.

use std::collections::BTreeMap;

use sesame_core::AuditEntity;
use sesame_test_support::{on_both, TestDb};

const ALICE: &str = "alice";

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect()
}

async fn template_versions_are_kept_whole_and_never_changed(db: &TestDb) {
    let store = &db.store;
    assert!(store.latest_templates().await.unwrap().is_none());
    let first = files(&[("staff.toml", "a"), ("visitor.toml", "b")]);
    let v1 = store
        .save_templates(&first, true, "built-in", serde_json::json!({}), ALICE)
        .await
        .unwrap();
    let second = files(&[("staff.toml", "a2"), ("visitor.toml", "b")]);
    let v2 = store
        .save_templates(
            &second,
            false,
            "designer: staff.toml",
            serde_json::json!({ "changed": ["staff.toml"] }),
            ALICE,
        )
        .await
        .unwrap();
    assert_eq!((v1, v2), (1, 2));

    let latest = store.latest_templates().await.unwrap().unwrap();
    assert_eq!(
        (latest.version, &latest.files, latest.builtin),
        (2, &second, false)
    );
    assert_eq!(latest.saved_by, ALICE);
    let old = store.template_version(1).await.unwrap().unwrap();
    assert_eq!((old.files, old.builtin), (first, true));
    assert!(store.template_version(3).await.unwrap().is_none());

    let list = store.template_versions().await.unwrap();
    assert_eq!(list.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(list[0].files, ["staff.toml", "visitor.toml"]);
    assert_eq!(list[0].note, "designer: staff.toml");

    let audit = store
        .audit_for(AuditEntity::Settings, "templates")
        .await
        .unwrap();
    let saved: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "template_version")
        .collect();
    assert_eq!(saved.len(), 2);
    assert!(audit.iter().any(|e| e
        .after
        .as_ref()
        .is_some_and(|a| a["changed"][0] == "staff.toml" && a["version"] == 2)));

    assert!(db
        .raw_execute("UPDATE template_versions SET files = '{}'")
        .await
        .is_err());
    assert!(db
        .raw_execute("DELETE FROM template_versions")
        .await
        .is_err());
    assert_eq!(
        db.raw_count("SELECT COUNT(*) FROM template_versions").await,
        2
    );
}
on_both!(template_versions_are_kept_whole_and_never_changed);

async fn a_template_picture_keeps_its_name_for_good(db: &TestDb) {
    let store = &db.store;
    let stamp = b"\x89PNG first picture".to_vec();
    store
        .save_template_image("stamp.png", &stamp, ALICE)
        .await
        .unwrap();
    // The same picture again changes nothing; another one under the name is refused.
    store
        .save_template_image("stamp.png", &stamp, ALICE)
        .await
        .unwrap();
    let err = store
        .save_template_image("stamp.png", b"\x89PNG another", ALICE)
        .await
        .unwrap_err();
    assert_eq!(
        sesame_core::ErrorCode::code(&err),
        "template.image_name_taken"
    );

    let found = store
        .template_images(&["stamp.png".into(), "missing.png".into()])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found["stamp.png"], stamp);
    let list = store.template_image_list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].name.as_str(), list[0].bytes),
        ("stamp.png", stamp.len() as i64)
    );
    assert!(db
        .raw_execute("UPDATE template_images SET sha256 = 'x'")
        .await
        .is_err());
    assert!(db.raw_execute("DELETE FROM template_images").await.is_err());
}
on_both!(a_template_picture_keeps_its_name_for_good);
