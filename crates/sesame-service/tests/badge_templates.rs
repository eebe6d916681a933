//! Badge templates from the settings screen, on a real desk: the office's own file
//! is checked before it is saved, a refused one changes nothing, each save is a
//! version of the whole set in the queue's database, and an older version (or the
//! built-in set) can be put back.

use sesame_core::ErrorCode;
use sesame_service::{
    install_template, list_templates, restore_builtin_templates, restore_template_version,
    template_versions, ServiceError, TemplateList, TemplateUpload,
};
use sesame_test_support::desk::TestDesk;

/// The settings screen sends the office's `visitor.toml`.
async fn install_visitor(
    desk: &TestDesk,
    content: impl Into<String>,
) -> Result<TemplateList, ServiceError> {
    let upload = TemplateUpload {
        file_name: "visitor.toml".into(),
        content: content.into(),
    };
    install_template(desk, upload).await
}

/// The files of the set's newest version in the queue's database.
async fn saved_files(desk: &TestDesk) -> std::collections::BTreeMap<String, String> {
    let store = desk.store().await;
    store.latest_templates().await.unwrap().unwrap().files
}

const BUILTIN_VISITOR: &str = include_str!("../../sesame-print/templates/visitor.toml");

#[tokio::test]
async fn an_office_template_replaces_the_built_in_one_and_can_be_undone() {
    let desk = TestDesk::sqlite().await;
    let before = list_templates(&desk).await.unwrap();
    assert!(!before.office_templates);
    assert!(before.templates.iter().any(|t| t.category == "visitor"));

    let ours = BUILTIN_VISITOR.replace("#C0392B", "#2E86C1");
    let after = install_visitor(&desk, ours).await.unwrap();
    assert!(after.office_templates);
    assert_eq!(after.version, Some(1));
    assert_eq!(after.templates.len(), before.templates.len());
    let stored = saved_files(&desk).await;
    assert!(stored["visitor.toml"].contains("#2E86C1"));
    assert!(
        !desk.file("templates").exists(),
        "kept in the queue, not on this desk"
    );

    let back = restore_builtin_templates(&desk).await.unwrap();
    assert!(!back.office_templates);
    assert_eq!(back.version, Some(2));

    // The office's version is still there, and can be put back.
    let versions = template_versions(&desk).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert!(versions[0].builtin && !versions[1].builtin);
    let again = restore_template_version(&desk, 1).await.unwrap();
    assert!(again.office_templates);
    assert_eq!(again.version, Some(3));
    let stored = saved_files(&desk).await;
    assert!(stored["visitor.toml"].contains("#2E86C1"));
    assert_eq!(
        restore_template_version(&desk, 9).await.unwrap_err().code(),
        "template.no_version"
    );
}

#[tokio::test]
async fn a_desk_s_own_template_folder_becomes_the_first_version() {
    let desk = TestDesk::sqlite().await;
    let folder = desk.file("templates");
    sesame_print::write_default_templates(&folder).unwrap();
    let ours = BUILTIN_VISITOR.replace("#C0392B", "#117A65");
    std::fs::write(folder.join("visitor.toml"), ours).unwrap();
    let listed = list_templates(&desk).await.unwrap();
    assert!(listed.office_templates);
    assert_eq!(listed.version, None);

    let staff =
        include_str!("../../sesame-print/templates/staff.toml").replace("#1F5FAD", "#6C3483");
    let upload = TemplateUpload {
        file_name: "staff.toml".into(),
        content: staff,
    };
    install_template(&desk, upload).await.unwrap();
    let stored = saved_files(&desk).await;
    assert!(
        stored["visitor.toml"].contains("#117A65"),
        "the folder's file"
    );
    assert!(stored["staff.toml"].contains("#6C3483"), "the new one");
}

#[tokio::test]
async fn a_broken_template_is_refused_with_its_line_and_nothing_changes() {
    let desk = TestDesk::sqlite().await;
    let broken = BUILTIN_VISITOR.replace("width = 85.6", "width = 185.6");
    let error = install_visitor(&desk, broken).await.unwrap_err();
    assert!(
        error.code().starts_with("print.template"),
        "{}",
        error.code()
    );
    assert!(desk
        .store()
        .await
        .latest_templates()
        .await
        .unwrap()
        .is_none());
    let error = install_visitor(&desk, "this is [not toml")
        .await
        .unwrap_err();
    assert!(
        error.code().starts_with("print.template"),
        "{}",
        error.code()
    );
    assert!(!list_templates(&desk).await.unwrap().office_templates);
}
