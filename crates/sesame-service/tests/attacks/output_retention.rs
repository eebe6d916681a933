//! Personal data outside the database: the printed PDFs, CSV exports and holders'
//! archives a desk leaves in its output folder, and the `.part` files a killed run
//! leaves beside them. Housekeeping's retention purge deletes those past the office's
//! period, and nothing else: not other files, not what a link points to, not subfolders.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use sesame_core::Clock;
use sesame_service::{
    export_queue_csv, run_housekeeping, Desk, HousekeepingOptions, QueueExportInput,
};
use sesame_test_support::desk::{open_desk, TestDesk, OPERATOR};
use sesame_test_support::fixtures::new_request;

/// The instant file ages are measured from: the desk's clock, never ahead of the machine's.
fn purge_now(desk: &Desk) -> DateTime<Utc> {
    desk.clock().now().min(Clock::system().now())
}

/// Writes `bytes` bytes to `dir/name`, last modified `age` before `now`.
fn file_aged(dir: &Path, name: &str, bytes: usize, now: DateTime<Utc>, age: Duration) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, vec![b'x'; bytes]).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified((now - age).into()).unwrap();
    path
}

#[tokio::test]
async fn housekeeping_purges_old_output_files_and_orphan_parts_only() {
    let test_desk = TestDesk::sqlite().await;
    let out = test_desk.file("out");
    let elsewhere = test_desk.file("elsewhere");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    // Its own output folder, whatever SESAME_PRINT_DIR other tests of the process set.
    let desk = open_desk(test_desk.options_as(OPERATOR).output_folder(&out)).await;
    let now = purge_now(&desk);
    let days = Duration::days;

    // Past the default 30 days: a print run and an export, 1000 and 300 bytes.
    let old_pdf = file_aged(&out, "badges-a4-2030-01-02-120000.pdf", 1000, now, days(31));
    let old_csv = file_aged(
        &out,
        "file-des-demandes-2030-01-02-120000-2.csv",
        300,
        now,
        days(90),
    );
    // A print killed two hours ago left its hidden part file: 50 bytes.
    let orphan = file_aged(
        &out,
        ".sesame-badges-a4.pdf-Xy12Ab.part",
        50,
        now,
        Duration::hours(2),
    );
    // Kept: recent, still being written, not the desk's, a key file, in a subfolder.
    let recent = file_aged(
        &out,
        "holder-1a2b3c4d-2030-01-02-120000.zip",
        10,
        now,
        days(29),
    );
    let writing = file_aged(
        &out,
        ".sesame-droits.csv-Ab34Cd.part",
        10,
        now,
        Duration::minutes(5),
    );
    let foreign = file_aged(&out, "mes-notes.pdf", 10, now, days(400));
    let key = file_aged(
        &out,
        "cle-sesame-2030-01-02-120000.sesamekey",
        10,
        now,
        days(400),
    );
    let nested = file_aged(
        &out.join("sub"),
        "badges-2030-01-02-120000.pdf",
        10,
        now,
        days(400),
    );
    // A link named like an old output, pointing outside: neither it nor its target goes.
    let outside = file_aged(
        &elsewhere,
        "badges-2030-01-02-120000.pdf",
        10,
        now,
        days(400),
    );
    #[cfg(unix)]
    let link = {
        let link = out.join("badges-2030-01-03-120000.pdf");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        link
    };
    // A file the desk writes now is fresh.
    test_desk.registered(new_request("Martin", "Zoé")).await;
    let export = export_queue_csv(&desk, QueueExportInput::default())
        .await
        .unwrap();
    assert!(Path::new(&export.path).starts_with(&out));

    let dry = run_housekeeping(&desk, HousekeepingOptions { dry_run: true })
        .await
        .unwrap();
    assert!(dry.ok(), "{:?}", dry.failures);
    let planned = &dry.purge.as_ref().unwrap()["outputFiles"];
    assert_eq!(planned["files"], 2, "{planned}");
    assert_eq!(planned["bytes"], 1300, "{planned}");
    assert_eq!(planned["partFiles"], 1, "{planned}");
    assert_eq!(planned["partBytes"], 50, "{planned}");
    assert!(
        old_pdf.exists() && old_csv.exists() && orphan.exists(),
        "a dry run deletes nothing"
    );

    let run = run_housekeeping(&desk, HousekeepingOptions { dry_run: false })
        .await
        .unwrap();
    assert!(run.ok(), "{:?}", run.failures);
    let report = run.purge.as_ref().unwrap();
    assert_eq!(report["outputFiles"]["files"], 2, "{report}");
    assert_eq!(report["outputFiles"]["bytes"], 1300, "{report}");
    assert_eq!(report["outputFiles"]["partFiles"], 1, "{report}");
    assert_eq!(report["plan"]["outputFiles"]["files"], 2, "{report}");
    for gone in [&old_pdf, &old_csv, &orphan] {
        assert!(!gone.exists(), "{} kept", gone.display());
    }
    for kept in [&recent, &writing, &foreign, &key, &nested, &outside] {
        assert!(kept.exists(), "{} deleted", kept.display());
    }
    #[cfg(unix)]
    assert!(
        link.symlink_metadata().is_ok(),
        "the link itself is left alone"
    );
    assert!(Path::new(&export.path).exists(), "a fresh export is kept");

    // Idempotent: a second run finds nothing more.
    let again = run_housekeeping(&desk, HousekeepingOptions { dry_run: false })
        .await
        .unwrap();
    let report = again.purge.as_ref().unwrap();
    assert_eq!(report["outputFiles"]["files"], 0, "{report}");
    assert_eq!(report["outputFiles"]["partFiles"], 0, "{report}");
    desk.close().await;
    test_desk.finish().await;
}
