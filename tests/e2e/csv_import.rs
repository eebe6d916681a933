//! A large CSV from HR through the real window: the check reports its refused rows,
//! the import shows a progress bar that moves while the rows go in (a chunk at a
//! time), and the queue then counts them.

use std::time::{Duration, Instant};

use crate::harness::AppSession;

const ROWS: usize = 20_000;
/// Rows refused by the check: an unknown category and a repeated HR number.
const REFUSED: [usize; 2] = [7_000, 15_000];

fn hr_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut csv = String::from("Nom;Prénom;Catégorie;Matricule\n");
    for i in 1..=ROWS {
        let category = if i == REFUSED[0] {
            "Martien"
        } else {
            "Personnel"
        };
        let hr = if i == REFUSED[1] { 1 } else { i };
        csv.push_str(&format!("Nom{i:05};Prénom;{category};RH{hr:05}\n"));
    }
    let path = dir.join("export-rh.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// The progress bar's values seen until the import's summary shows (polled).
async fn progress_until_done(app: &AppSession) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut seen = Vec::new();
    loop {
        let state = app
            .client
            .execute(
                "const bar = document.querySelector('[data-testid=task-progress-bar]');
                 const summary = document.querySelector('[data-testid=csv-summary]');
                 return [bar ? Number(bar.value) : null, summary ? summary.textContent : ''];",
                vec![],
            )
            .await
            .unwrap();
        if let Some(value) = state[0].as_f64() {
            seen.push(value as u32);
        }
        if state[1].as_str().unwrap_or("").contains("importée") {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "the import never ended; bar: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_hr_file_goes_in_with_a_moving_progress_bar() {
    let app = AppSession::start().await;
    let file = hr_file(app.data_dir.parent().unwrap());

    app.click("[data-testid=csv-open]").await;
    app.type_into("[data-testid=csv-file]", file.to_str().unwrap())
        .await;
    // The check: nothing written, the two refused rows named by their row numbers.
    app.wait_for_text_within(
        "[data-testid=csv-summary]",
        "20000 lignes lues : 19998 valides, 2 refusées",
        Duration::from_secs(120),
    )
    .await;
    let refused = app
        .wait_for("[data-testid=csv-refused]")
        .await
        .text()
        .await
        .unwrap();
    // Named by their lines in the file (the header is line 1).
    assert!(
        refused.contains("7001") && refused.contains("15001"),
        "{refused}"
    );

    app.click("[data-testid=csv-confirm]").await;
    let seen = progress_until_done(&app).await;
    app.screenshot("csv-import-done").await;
    // The bar showed while rows were still going in, and moved forward.
    assert!(
        seen.iter().any(|v| *v > 0 && *v < 100),
        "no progress between 0 and 100 %: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "the bar went back: {seen:?}"
    );
    app.wait_for_text_within("[data-testid=count-all]", "19998", Duration::from_secs(30))
        .await;
    app.close().await;
}
