//! A queue of any size written straight into a new SQLite file, as a fixture would:
//! the end-to-end tests and the app's start benchmark (`benches/app_start.rs`).

use sqlx::Connection;

/// Creates the database through the store (migrations), then `rows` holders and
/// requests (`TITULAIRE000001`…, submitted a month ago) in two statements.
pub async fn seed_queue(data_dir: &std::path::Path, rows: u32) {
    std::fs::create_dir_all(data_dir).unwrap();
    let url = format!("sqlite://{}", data_dir.join("sesame.sqlite3").display());
    sesame_store::Store::open(&url).await.unwrap().close().await;
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let numbers =
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})");
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
