//! No internal name reaches the screen: the office's rules, read from the real
//! backend (so a rule added in Rust without its label fails here), are shown with
//! labels and explanations in French and in English, and nothing on the screen looks
//! like a field name, a key or a message code.

use crate::harness::AppSession;

/// The identifier-like words the page shows: camelCase, snake_case, dotted codes
/// (the same rule as `ui/src/lib/i18n/identifiers.ts`).
async fn identifiers_on_screen(app: &AppSession) -> Vec<String> {
    let found = app
        .client
        .execute(
            r#"document.querySelectorAll("details").forEach((d) => (d.open = true));
               const text = document.querySelector("[data-testid=settings-policy]").innerText;
               return text.match(/\b(?:[a-z]+[A-Z][A-Za-z]*|[a-z0-9]+_[a-z0-9_]+|[a-z]+(?:\.[a-z_]+){2,})\b/g) ?? [];"#,
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_editor_shows_labels_not_field_names_in_both_languages() {
    let app = AppSession::start().await;
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-tab-policy]").await;
    app.wait_for("[data-testid=category-staff]").await;
    app.wait_for_text("[data-testid=settings-policy]", "Durées de conservation")
        .await;
    assert_eq!(identifiers_on_screen(&app).await, Vec::<String>::new());
    app.screenshot("rules-fr").await;

    let switch = app.wait_for("[data-testid=language-switch]").await;
    switch.select_by_value("en").await.unwrap();
    app.wait_for_text("[data-testid=settings-policy]", "Retention")
        .await;
    assert_eq!(identifiers_on_screen(&app).await, Vec::<String>::new());
    app.screenshot("rules-en").await;
    app.close().await;
}
