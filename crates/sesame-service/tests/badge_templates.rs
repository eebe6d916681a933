//! Badge templates from the settings screen, on a real desk: the office's own file
//! is checked before it is written, a refused one changes nothing, and going back to
//! the built-in set keeps the office's files aside.

use sesame_core::ErrorCode;
use sesame_service::{
    install_template, list_templates, restore_builtin_templates, ServiceError, TemplateList,
    TemplateUpload,
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
    assert_eq!(after.templates.len(), before.templates.len());
    let stored = std::fs::read_to_string(desk.file("templates/visitor.toml")).unwrap();
    assert!(stored.contains("#2E86C1"));

    let back = restore_builtin_templates(&desk).await.unwrap();
    assert!(!back.office_templates);
    let aside: Vec<_> = std::fs::read_dir(desk.data_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("templates.replaced-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the office's files are kept aside");
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
    assert!(!desk.file("templates").exists(), "nothing is left behind");
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
