//! The queue with 100 000 requests on the real app: the counts come at once; End
//! shows the last row from the one page read there, not the pages between; the
//! scrollbar dragged to the middle shows the rows there the same way; the page stays
//! small (only the rows in view are drawn). Prints how long each took.

use std::time::{Duration, Instant};

use crate::harness::AppSession;
use crate::seed::seed_queue;

const ROWS: u32 = 100_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_and_a_drag_show_their_rows_of_100_000_requests_without_reading_those_between() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    seed_queue(&data_dir, ROWS).await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    let started = Instant::now();
    app.wait_for_text("[data-testid=count-all]", &ROWS.to_string())
        .await;
    app.wait_for("[data-testid=queue-row]").await;
    let first_page = started.elapsed();

    // End, from the keyboard on the first row: the last row, read at its position.
    let jumped = Instant::now();
    app.client
        .execute(
            "const row = document.querySelector('[data-testid=queue-row]'); row.focus();
             row.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', bubbles: true}));",
            vec![],
        )
        .await
        .unwrap();
    let last = format!("[data-testid=queue-row][data-index=\"{}\"]", ROWS - 1);
    wait_for_row(&app, &last).await;
    let to_end = jumped.elapsed();
    let loaded = loaded_rows(&app).await;
    assert!(
        loaded <= 1_000,
        "{loaded} rows loaded to show the end: the pages between were read"
    );

    // The scrollbar dragged to the middle: the rows there, read at their position.
    let dragged = Instant::now();
    app.client
        .execute(
            "const v = document.querySelector('[data-testid=queue-viewport]'); v.scrollTop = v.scrollHeight / 2;",
            vec![],
        )
        .await
        .unwrap();
    let middle = format!("[data-testid=queue-row][data-index=\"{}\"]", ROWS / 2);
    wait_for_row(&app, &middle).await;
    let to_middle = dragged.elapsed();
    let after_drag = loaded_rows(&app).await;
    assert!(
        after_drag <= loaded + 400,
        "{after_drag} rows loaded after the drag ({loaded} before): more than the pages in view"
    );
    // Rows by position, newest first: the middle row is the request seeded there.
    app.wait_for_text(&middle, &format!("TITULAIRE{:06}", ROWS - ROWS / 2))
        .await;

    let drawn = app
        .client
        .execute(
            "return document.querySelectorAll('[data-testid=queue-table] tbody tr').length",
            vec![],
        )
        .await
        .unwrap();
    let drawn = drawn.as_u64().unwrap();
    println!(
        "100 000 requests: first rows in {:.2} s; End to the last row in {:.2} s, {loaded} rows loaded; \
         a drag to the middle in {:.2} s, {after_drag} rows loaded; {drawn} table rows in the page",
        first_page.as_secs_f64(),
        to_end.as_secs_f64(),
        to_middle.as_secs_f64(),
    );
    assert!(
        drawn < 100,
        "{drawn} rows drawn: the table is not virtualised"
    );
    // Back to the end, already loaded: the oldest request (newest first) is the last row.
    app.client
        .execute(
            "document.querySelector('[data-testid=queue-viewport]').scrollTop = 1e9;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_for_text(&last, "TITULAIRE000001").await;
    app.screenshot("queue-100000-end").await;
    app.close().await;
}

/// Waits until the row `css` (a real row, not a placeholder) is in the page.
async fn wait_for_row(app: &AppSession, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while app
        .client
        .find(fantoccini::Locator::Css(css))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "{css} never showed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// How many rows the queue holds in memory (the table's `data-loaded-rows`).
async fn loaded_rows(app: &AppSession) -> u64 {
    app.client
        .execute(
            "return Number(document.querySelector('[data-testid=queue-table]').dataset.loadedRows)",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}
