//! Dates are typed as the interface's language writes them, whatever the computer's
//! locale: jj/mm/aaaa in French, the office's order in English; a date that cannot
//! be read is named under its field.

use crate::harness::AppSession;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_desk_reads_day_month_year_and_names_an_unreadable_date() {
    let app = AppSession::start().await;
    let field = app.wait_for("[data-testid=filter-expiring]").await;
    assert_eq!(
        field.attr("placeholder").await.unwrap().as_deref(),
        Some("jj/mm/aaaa")
    );
    app.type_into("[data-testid=filter-expiring]", "24/12/2099")
        .await;
    app.click("[data-testid=queue-screen] h1").await;
    let shown = app
        .client
        .execute(
            "return document.querySelector('[data-testid=filter-expiring]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shown, "24/12/2099");
    assert!(app
        .client
        .find_all(fantoccini::Locator::Css(
            "[data-testid=filter-expiring-problem]"
        ))
        .await
        .unwrap()
        .is_empty());

    // Month first, as an English system would write it: refused, and said so.
    let field = app.wait_for("[data-testid=filter-expiring]").await;
    field.clear().await.unwrap();
    field.send_keys("12/24/2099").await.unwrap();
    app.click("[data-testid=queue-screen] h1").await;
    app.wait_for_text(
        "[data-testid=filter-expiring-problem]",
        "écrivez-la jj/mm/aaaa",
    )
    .await;
    app.screenshot("date-field-problem").await;
    app.close().await;
}
