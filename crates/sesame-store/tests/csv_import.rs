//! CSV import into the queue, each test on SQLite and on PostgreSQL: a spreadsheet's
//! file read with a report of refused rows, dry runs, encodings, neutralised formulas in
//! the export, holders updated across rows and chunks, progress while a file streams
//! in, and a file refused late leaving nothing behind.

use std::sync::Mutex;

use sesame_core::{AuditEntity, ErrorCode, RequestStatus};
use sesame_store::{ImportProgress, ImportReport, QueueQuery, StoreError};
use sesame_test_support::{day, on_both, TestDb};
use sqlx::Connection;

/// The refused rows as (row, code), in the report's order.
fn refusals(report: &ImportReport) -> Vec<(u64, &str)> {
    report
        .refused
        .iter()
        .map(|r| (r.row, r.code.as_str()))
        .collect()
}

async fn csv_import_reports_and_exports_neutralise(db: &TestDb) {
    let store = &db.store;
    // Missions that end after the pinned day, written as a French spreadsheet would.
    let zoe_end = day(300);
    let jean_pierre_end = day(20);
    let file = format!(
        "\u{feff}Nom;Prénom;Courriel;Catégorie;Matricule;Jours de présence;Fin mission;Zones\r\n\
                Martin;Zoé;zoe@example.fr;Personnel;HR1;3;{};\"Bât A|Parking\"\r\n\
                =HYPERLINK(\"http://x\");Eve;eve@example.fr;staff;HR2;5;;\r\n\
                Faux;Mail;pas-un-mail;staff;HR3;5;;\r\n\
                Durand;Léo;;Martien;HR4;5;;\r\n\
                Lebrun;\"Jean\nPierre\";;visiteur;HR5;1;{};\r\n",
        zoe_end.format("%d/%m/%Y"),
        jean_pierre_end.format("%d/%m/%Y"),
    );
    let dry = store
        .import_csv(file.as_bytes(), "import", true)
        .await
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!(dry.accepted, 2);
    assert!(dry.created.is_empty());
    assert_eq!(store.info().await.unwrap().requests, 0);

    let report = store
        .import_csv(file.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(report.encoding, "utf-8");
    assert_eq!(report.delimiter, ";");
    assert_eq!(report.rows_read, 5);
    assert_eq!(report.created.len(), 2);
    assert_eq!(
        refusals(&report),
        vec![
            (3, "holder.invalid_email"),
            (4, "holder.unknown_category"),
            // A line break inside a name: refused, the other rows still go in.
            (5, "holder.invalid_characters"),
        ]
    );
    assert!(report.refused[2].message.contains("givenNames"));
    assert_eq!(store.info().await.unwrap().requests, 2);
    let zoe = store
        .list_requests(&QueueQuery {
            search: Some("zoe".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(zoe.rows[0].zones, vec!["Bât A", "Parking"]);
    assert_eq!(zoe.rows[0].mission_end, Some(zoe_end));

    // importing again reuses the holders found by HR number
    let again = store
        .import_csv(file.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(again.created.len(), 2);
    assert_eq!(store.info().await.unwrap().holders, 2);

    // Windows-1252 with commas
    let cp1252 = b"family_name,given_names,category\r\nL\xe9vy,No\xebl,visitor\r\n";
    let report = store.import_csv(cp1252, "import", false).await.unwrap();
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!(
        store
            .list_requests(&QueueQuery {
                search: Some("noel levy".into()),
                ..Default::default()
            })
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    let err = store
        .import_csv(b"nom;prenom\nA;B\n", "import", false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "import.missing_columns");

    let csv = String::from_utf8(
        store
            .export_queue_csv(
                &QueueQuery {
                    sort: sesame_store::QueueSortField::HolderName,
                    ..Default::default()
                },
                Default::default(),
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(csv.starts_with("\u{feff}request_id;status;kind;family_name"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert!(!csv.contains(";=HYPERLINK"));
    assert!(!csv.contains("Jean\nPierre"));
    assert_eq!(csv.lines().filter(|l| l.contains(";submitted;")).count(), 5);
}
on_both!(csv_import_reports_and_exports_neutralise);

async fn import_updates_holders_across_rows_and_chunks(db: &TestDb) {
    let store = &db.store;
    // 4 500 rows cross several chunks; HR7 comes back in the last one with a new unit
    // and another kind, and must update the same holder, not create a second one.
    let mut csv = String::from("nom,prenom,categorie,matricule,service,type\n");
    for i in 0..4500 {
        csv.push_str(&format!("Nom{i},Prénom{i},staff,HR{i},Unit A,nouveau\n"));
    }
    csv.push_str("Nom7,Prénom7,staff,HR7,Unit B,renouvellement\n");
    let report = store
        .import_csv(csv.as_bytes(), "import", false)
        .await
        .unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.created.len(), 4501);
    let info = store.info().await.unwrap();
    assert_eq!((info.requests, info.holders), (4501, 4500));
    let hr7 = store
        .list_requests(&QueueQuery {
            search: Some("hr7".into()),
            limit: Some(500),
            ..Default::default()
        })
        .await
        .unwrap()
        .rows
        .into_iter()
        .filter(|r| r.external_id.as_deref() == Some("HR7"))
        .collect::<Vec<_>>();
    assert_eq!(hr7.len(), 2);
    assert_eq!(hr7[0].holder_id, hr7[1].holder_id);
    assert!(hr7.iter().all(|r| r.unit.as_deref() == Some("Unit B")));
    let holder_audit = store
        .audit_for(AuditEntity::Holder, &hr7[0].holder_id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = holder_audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "update"]);
    let counts = store.count_by_status().await.unwrap();
    assert_eq!(
        counts
            .iter()
            .find(|c| c.status == RequestStatus::Submitted)
            .unwrap()
            .count,
        4501
    );
}
on_both!(import_updates_holders_across_rows_and_chunks);

async fn an_import_reports_its_progress_chunk_by_chunk(db: &TestDb) {
    let store = &db.store;
    // 5 000 rows: refusals early, in the middle and at the end, and a repeat of row 1
    // (same HR number and kind) far from it.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 1..=5000 {
        let category = if [10, 2600, 4990].contains(&i) {
            "Martien"
        } else {
            "staff"
        };
        let hr = if i == 4000 { 1 } else { i };
        csv.push_str(&format!("Nom{i},Prénom{i},{category},HR{hr}\n"));
    }
    for dry_run in [true, false] {
        let steps: Mutex<Vec<ImportProgress>> = Mutex::new(Vec::new());
        let report = store
            .import_csv_reporting(csv.as_bytes(), "import", dry_run, &|step| {
                steps.lock().unwrap().push(step)
            })
            .await
            .unwrap();
        assert_eq!(
            refusals(&report),
            vec![
                (10, "holder.unknown_category"),
                (2600, "holder.unknown_category"),
                (4000, "import.duplicate_row"),
                (4990, "holder.unknown_category")
            ]
        );
        assert_eq!((report.rows_read, report.accepted), (5000, 4996));
        assert_eq!(report.created.len(), if dry_run { 0 } else { 4996 });

        let steps = steps.into_inner().unwrap();
        assert!(
            steps.len() >= 3,
            "one report per chunk and one at the end: {steps:?}"
        );
        assert!(steps.iter().all(|s| s.dry_run == dry_run));
        assert!(steps.windows(2).all(|w| w[0].rows_read <= w[1].rows_read
            && w[0].bytes_read <= w[1].bytes_read
            && w[0].refused <= w[1].refused));
        assert!(steps[0].rows_read < 5000 && steps[0].bytes_read < steps[0].bytes_total);
        let last = steps.last().unwrap();
        assert_eq!((last.rows_read, last.refused), (5000, 4));
        assert_eq!(last.bytes_read, last.bytes_total);
        assert_eq!(last.bytes_total, csv.len() as u64);
    }
    let info = store.info().await.unwrap();
    assert_eq!((info.requests, info.holders), (4996, 4996));
}
on_both!(an_import_reports_its_progress_chunk_by_chunk);

async fn a_file_refused_after_rows_went_in_leaves_nothing(db: &TestDb) {
    let store = &db.store;
    // Valid rows are written a chunk at a time before the reader reaches row 100 001
    // (the rows after 3 000 are refused one by one, so they count without being
    // written): the file is refused whole and the transaction takes them back.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 1..=100_001 {
        let category = if i <= 3000 { "staff" } else { "Martien" };
        csv.push_str(&format!("Nom{i},P,{category},HR{i}\n"));
    }
    let steps = Mutex::new(0u64);
    let error = store
        .import_csv_reporting(csv.as_bytes(), "import", false, &|step| {
            *steps.lock().unwrap() = step.rows_read
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::CsvTooLarge {
                rows: 100_001,
                max: 100_000
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.code(), "import.too_large");
    assert!(
        *steps.lock().unwrap() >= 2000,
        "a chunk of rows was written before the refusal"
    );
    let info = store.info().await.unwrap();
    assert_eq!((info.requests, info.holders), (0, 0));
}
on_both!(a_file_refused_after_rows_went_in_leaves_nothing);

/// On SQLite an import's commit leaves its pages in the WAL and a checkpoint in the
/// background copies them into the database file: a reader of the file alone (WAL
/// ignored) finds the rows there soon after the report.
#[tokio::test]
async fn an_imports_rows_reach_the_database_file_after_its_report() {
    let db = TestDb::sqlite().await;
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 1..=3000 {
        csv.push_str(&format!("Nom{i},P,staff,HR{i}\n"));
    }
    let report = db
        .store
        .import_csv(csv.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(report.created.len(), 3000);
    let file_alone = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db.sqlite_file().unwrap().path)
        .immutable(true);
    let mut in_file = 0;
    for _ in 0..200 {
        let mut conn = sqlx::SqliteConnection::connect_with(&file_alone)
            .await
            .unwrap();
        // Before the checkpoint the file may not even hold the tables (the schema is
        // in the WAL too).
        in_file = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM requests")
            .fetch_one(&mut conn)
            .await
            .unwrap_or(0);
        if in_file == 3000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        in_file, 3000,
        "the import's rows in the database file itself"
    );
    db.finish().await;
}
