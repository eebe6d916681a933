//! The queue with 100 000 requests on the real app: the counts come at once, and
//! scrolling to the very end keeps the page small (only the rows in view are drawn)
//! while keyset pages load in order. Prints how long it took.

use std::time::{Duration, Instant};

use sqlx::Connection;

use crate::harness::AppSession;

const ROWS: u32 = 100_000;

/// Creates the database through the store (migrations), then 100 000 holders and
/// requests in two statements.
async fn seed(data_dir: &std::path::Path) {
    std::fs::create_dir_all(data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    sesame_store::Store::open(&url).await.unwrap().close().await;
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let numbers =
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS})");
    // The app under test runs on the machine's clock: the requests came in a month ago.
    let submitted = sesame_core::Clock::system().today() - chrono::Days::new(30);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{numbers} INSERT INTO holders (id, family_name, given_names, category, presence_days_per_week,
             version, created_at, updated_at)
         SELECT printf('00000000-0000-7000-8000-%012d', i), printf('Titulaire%06d', i), 'Test',
             'staff', 5, 1, '{submitted}T08:00:00Z', '{submitted}T08:00:00Z' FROM n"
    )))
    .execute(&mut db)
    .await
    .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{numbers} INSERT INTO requests (id, holder_id, kind, status, version, category, holder_sort,
             submitted_on, services, submitted_by, submitted_at, updated_at)
         SELECT printf('00000000-0000-7000-9000-%012d', i), printf('00000000-0000-7000-8000-%012d', i),
             'new_badge', 'submitted', 1, 'staff', printf('titulaire%06d test', i), '{submitted}', '[]',
             'seed', '{submitted}T08:00:00Z', '{submitted}T08:00:00Z' FROM n"
    )))
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_to_the_end_of_100_000_requests_keeps_the_page_small() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    seed(&data_dir).await;

    let app = AppSession::start_in(home.path(), &data_dir).await;
    let started = Instant::now();
    app.wait_for_text("[data-testid=count-all]", &ROWS.to_string())
        .await;
    app.wait_for("[data-testid=queue-row]").await;
    let first_page = started.elapsed();

    // Jump to the bottom as a scrollbar drag would; pages load in order until the end.
    let jumped = Instant::now();
    app.client
        .execute(
            "const v = document.querySelector('[data-testid=queue-viewport]'); v.scrollTop = v.scrollHeight;",
            vec![],
        )
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let last = format!("[data-testid=queue-row][data-index=\"{}\"]", ROWS - 1);
    loop {
        if app
            .client
            .find(fantoccini::Locator::Css(&last))
            .await
            .is_ok()
        {
            break;
        }
        assert!(Instant::now() < deadline, "the last row never showed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let to_end = jumped.elapsed();
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
        "100 000 requests: first rows in {:.2} s, last row after a jump to the end in {:.2} s, {drawn} table rows in the page",
        first_page.as_secs_f64(),
        to_end.as_secs_f64()
    );
    assert!(
        drawn < 100,
        "{drawn} rows drawn: the table is not virtualised"
    );
    // The oldest request (sorted newest first) is the last row.
    app.wait_for_text(&last, "TITULAIRE000001").await;
    app.screenshot("queue-100000-end").await;
    app.close().await;
}
