//! CSV import into the queue, each test on SQLite and on PostgreSQL: a spreadsheet's
//! file read with a report of refused rows, dry runs, encodings, neutralised formulas in
//! the export, and holders updated across rows and insert chunks.

use sesame_core::{AuditEntity, ErrorCode, RequestStatus};
use sesame_store::QueueQuery;
use sesame_test_support::{day, on_both, TestDb};

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
    let refused: Vec<(u64, &str)> = report
        .refused
        .iter()
        .map(|r| (r.row, r.code.as_str()))
        .collect();
    assert_eq!(
        refused,
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
    // 900 rows cross two insert chunks; HR7 comes back in a later chunk with a new unit
    // and another kind, and must update the same holder, not create a second one.
    let mut csv = String::from("nom,prenom,categorie,matricule,service,type\n");
    for i in 0..900 {
        csv.push_str(&format!("Nom{i},Prénom{i},staff,HR{i},Unit A,nouveau\n"));
    }
    csv.push_str("Nom7,Prénom7,staff,HR7,Unit B,renouvellement\n");
    let report = store
        .import_csv(csv.as_bytes(), "import", false)
        .await
        .unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.created.len(), 901);
    let info = store.info().await.unwrap();
    assert_eq!((info.requests, info.holders), (901, 900));
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
        901
    );
}
on_both!(import_updates_holders_across_rows_and_chunks);
