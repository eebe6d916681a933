//! The queue, each test on SQLite and on PostgreSQL: search that ignores case and
//! accents (names, e-mail, badge numbers, renamed holders), filters and status counts,
//! keyset pagination that walks every row once in every sort order, and pages reached
//! by position (a jump) that are the same rows as the walk.

use sesame_core::{ErrorCode, RequestAction, RequestKind, RequestStatus};
use sesame_store::{QueueQuery, QueueSortField};
use sesame_test_support::fixtures::{new_request, printed_staff_badge};
use sesame_test_support::{day, on_both, TestDb};
use sqlx::Connection;
use uuid::Uuid;

const ALICE: &str = "alice";

/// The queue's first page for what is typed in its search box.
fn search(words: &str) -> QueueQuery {
    QueueQuery {
        search: Some(words.into()),
        ..Default::default()
    }
}
const BOB: &str = "bob";

async fn search_ignores_case_and_accents(db: &TestDb) {
    let store = &db.store;
    let zoe = store
        .create_request(new_request("Martin", "Zoé"), ALICE)
        .await
        .unwrap();
    let zoe2 = store
        .create_request(new_request("DUPONT", "ZOE"), ALICE)
        .await
        .unwrap();
    store
        .create_request(new_request("Éloïse", "Çelik"), ALICE)
        .await
        .unwrap();
    let ids = |page: sesame_store::QueuePage| page.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    let found = ids(store.list_requests(&search("zoe")).await.unwrap());
    assert_eq!(found.len(), 2);
    assert!(found.contains(&zoe.request.id) && found.contains(&zoe2.request.id));
    assert_eq!(
        ids(store.list_requests(&search("ZOÉ mar")).await.unwrap()),
        vec![zoe.request.id]
    );
    assert_eq!(
        store
            .list_requests(&search("eloise"))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        store
            .list_requests(&search("celi"))
            .await
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(
        ids(store
            .list_requests(&search("zoe.martin@example.fr"))
            .await
            .unwrap()),
        vec![zoe.request.id]
    );
    assert_eq!(
        store
            .list_requests(&search("nobody"))
            .await
            .unwrap()
            .rows
            .len(),
        0
    );
    // badge numbers become searchable once issued
    let a = printed_staff_badge(store, "Badge", "Holder", ALICE, BOB).await;
    let number = a.badge.unwrap().number;
    assert_eq!(
        ids(store
            .list_requests(&search(&number.to_lowercase()))
            .await
            .unwrap()),
        vec![a.request.id]
    );
    assert_eq!(
        ids(store.list_requests(&search("b00000")).await.unwrap()),
        vec![a.request.id]
    );
    // renaming the holder updates the search words of their requests
    let mut details = zoe.holder.details.clone();
    details.family_name = "Lefèvre".into();
    details.email = Some("zoe.lefevre@example.fr".into());
    let holder = store
        .update_holder(zoe.holder.id, zoe.holder.version, details.clone(), BOB)
        .await
        .unwrap();
    assert_eq!(holder.version, zoe.holder.version + 1);
    assert_eq!(
        ids(store.list_requests(&search("lefevre")).await.unwrap()),
        vec![zoe.request.id]
    );
    assert!(ids(store.list_requests(&search("martin")).await.unwrap()).is_empty());
    let stale = store
        .update_holder(zoe.holder.id, zoe.holder.version, details, BOB)
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(search_ignores_case_and_accents);

async fn one_letter_words_narrow_the_other_words(db: &TestDb) {
    let store = &db.store;
    let marie = store
        .create_request(new_request("Dupont", "Marie"), ALICE)
        .await
        .unwrap();
    let jean = store
        .create_request(new_request("Dupont", "Jean"), ALICE)
        .await
        .unwrap();
    let julie = store
        .create_request(new_request("Mallet", "Julie"), ALICE)
        .await
        .unwrap();
    let found = |s: &'static str| async move {
        let mut ids: Vec<Uuid> = store
            .list_requests(&search(s))
            .await
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<Uuid>| {
        ids.sort();
        ids
    };
    let (marie, jean, julie) = (marie.request.id, jean.request.id, julie.request.id);
    // a one-letter word beside longer ones: each word must still prefix a term
    assert_eq!(found("dupont m").await, vec![marie]);
    assert_eq!(found("j dupont").await, vec![jean]);
    assert_eq!(found("ma j").await, vec![julie]);
    assert_eq!(found("du j m").await, Vec::<Uuid>::new());
    // one-letter words alone
    assert_eq!(found("j").await, sorted(vec![jean, julie]));
    assert_eq!(found("m j").await, vec![julie]);
    assert_eq!(found("d m").await, vec![marie]);
    // the counts agree with the rows
    let counts = store
        .count_by_status_filtered(&search("dupont j"))
        .await
        .unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 1);
}
on_both!(one_letter_words_narrow_the_other_words);

async fn words_of_every_density_give_the_same_rows_pages_counts_and_positions(db: &TestDb) {
    let store = &db.store;
    // 4 000 holders whose three words start with "m" (Martin, Marie or Mathilde, and
    // their HR number): "m" prefixes three terms per request, as "m" or "ma" do at a
    // million requests, so it is checked row by row rather than read whole. "durand"
    // is in between (300 holders), "julie" and "jean" are rare.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 0..4000 {
        let given = if i % 2 == 0 { "Marie" } else { "Mathilde" };
        csv.push_str(&format!("Martin,{given},staff,M{i}\n"));
    }
    for i in 0..300 {
        csv.push_str(&format!("Durand,Léa,staff,M5{i:03}\n"));
    }
    csv.push_str("Martin,Julie,staff,M9999\nDupont,Jean,staff,D1\n");
    import_all(store, &csv).await;
    let query = |search: &str| QueueQuery {
        search: Some(search.into()),
        sort: QueueSortField::HolderName,
        limit: Some(200),
        ..Default::default()
    };

    // "m" alone, walked page by page: every Martin once, in the sort's order.
    let walk = rows_of(store, &query("m")).await;
    assert_eq!(walk.len(), 4301);
    assert!(walk.iter().all(|row| row.family_name != "Dupont"));
    let distinct: std::collections::HashSet<Uuid> = walk.iter().map(|row| row.id).collect();
    assert_eq!(distinct.len(), 4301);
    // counted and reached by position, "m" is the same rows
    let counts = store.count_by_status_filtered(&query("m")).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 4301);
    let at = store
        .list_requests(&QueueQuery {
            start: Some(3000),
            limit: Some(50),
            ..query("m")
        })
        .await
        .unwrap();
    let expected: Vec<Uuid> = walk[3000..3050].iter().map(|row| row.id).collect();
    assert_eq!(at.rows.iter().map(|r| r.id).collect::<Vec<_>>(), expected);

    // beside a sparse word, the dense one is checked on that word's matches
    let found = |search: &'static str| async move {
        store
            .list_requests(&query(search))
            .await
            .unwrap()
            .rows
            .iter()
            .map(|r| format!("{} {}", r.family_name, r.given_names))
            .collect::<Vec<_>>()
    };
    assert_eq!(found("j m").await, vec!["Martin Julie"]);
    assert_eq!(found("m julie").await, vec!["Martin Julie"]);
    assert!(found("dupont m").await.is_empty());
    let counts = store.count_by_status_filtered(&query("m j")).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 1);
    // words in between give the candidates when no word is rarer
    let count = |search: &'static str| async move {
        store
            .count_by_status_filtered(&query(search))
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum::<i64>()
    };
    assert_eq!(count("durand").await, 300);
    assert_eq!(count("durand m").await, 300);
    assert_eq!(count("durand lea").await, 300);
    assert_eq!(found("lea m durand").await.len(), 200);
    // every word dense: a page walks and checks them, a count intersects them
    assert_eq!(count("martin marie").await, 2000);
    let page = store.list_requests(&query("marie martin")).await.unwrap();
    assert_eq!(page.rows.len(), 200);
    assert!(page
        .rows
        .iter()
        .all(|r| r.family_name == "Martin" && r.given_names == "Marie"));
}
on_both!(words_of_every_density_give_the_same_rows_pages_counts_and_positions);

async fn dense_words_follow_renamed_and_erased_holders(db: &TestDb) {
    let store = &db.store;
    // 1 200 Martins and 1 200 Duponts: "m", "d" and "j" each prefix 1 200 terms or
    // more, so each is decided by the first letters a request's words have (its
    // initials), which must follow every change of those words.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 0..1200 {
        csv.push_str(&format!("Martin,Marie,staff,M{i}\n"));
    }
    for i in 0..1200 {
        csv.push_str(&format!("Dupont,Jean,staff,D{i}\n"));
    }
    import_all(store, &csv).await;
    let morel = store
        .create_request(new_request("Morel", "Max"), ALICE)
        .await
        .unwrap();
    let by_name = |words: &str| QueueQuery {
        sort: QueueSortField::HolderName,
        ..search(words)
    };
    // Counted (every match read) and walked page by page: the two ways must agree.
    let count = |words: &'static str| async move {
        let counted: i64 = store
            .count_by_status_filtered(&by_name(words))
            .await
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum();
        let walked = walk_of(store, &by_name(words)).await;
        assert_eq!(walked.len() as i64, counted, "{words}: walked and counted");
        (counted, walked)
    };
    let id = morel.request.id;
    let (m, walked) = count("m").await;
    assert_eq!(m, 1201);
    assert!(walked.contains(&id));
    assert_eq!(count("d").await.0, 1200);
    assert_eq!(count("ma j").await.0, 0);

    // Renamed Jean Durand, without an e-mail: out of "m", into "d" and "j".
    let mut details = morel.holder.details.clone();
    details.family_name = "Durand".into();
    details.given_names = "Jean".into();
    details.email = None;
    store
        .update_holder(morel.holder.id, morel.holder.version, details, BOB)
        .await
        .unwrap();
    let (m, walked) = count("m").await;
    assert_eq!(m, 1200);
    assert!(!walked.contains(&id));
    let (d, walked) = count("d").await;
    assert_eq!(d, 1201);
    assert!(walked.contains(&id));
    assert_eq!(count("j d").await.0, 1201);
    assert_eq!(count("du j").await.0, 1201);
    assert_eq!(count("m j").await.0, 0);
    // Durand sorts after every Dupont: the last of "d".
    assert_eq!(jump(store, &by_name("d"), 1200, 5).await, vec![id]);

    // Refused, then erased: their words are gone, and so are their initials.
    let version = store.get_request(id).await.unwrap().request.version;
    store
        .transition(id, version, RequestAction::Refuse, BOB, Some("duplicate"))
        .await
        .unwrap();
    store
        .anonymise_holder(morel.holder.id, ALICE, "erase", Some("asked"), day(0))
        .await
        .unwrap();
    let (d, walked) = count("d").await;
    assert_eq!(d, 1200);
    assert!(!walked.contains(&id));
    assert_eq!(count("j").await.0, 1200);
}
on_both!(dense_words_follow_renamed_and_erased_holders);

async fn the_upgrade_gives_every_request_the_initials_the_desk_writes(db: &TestDb) {
    let store = &db.store;
    // Words that start with a letter, a digit, a folded letter and another script.
    for (family, given) in [("Ødegaard", "Łukasz"), ("O'Brien", "Zoé"), ("李", "Wei")] {
        store
            .create_request(new_request(family, given), ALICE)
            .await
            .unwrap();
    }
    import_all(
        store,
        "nom,prenom,categorie,matricule\nÉtienne,Ève,staff,7X-12\n",
    )
    .await;
    printed_staff_badge(store, "Badge", "Holder", ALICE, BOB).await;
    let before = stored_initials(db).await;
    assert_eq!(before.len(), 5);
    assert!(before.iter().all(|(_, bits)| *bits != 0));

    // The backfill of the migration that added the initials, on every request again.
    let file = if db.url.starts_with("sqlite:") {
        "sqlite/0015_search_initials.sql"
    } else {
        "postgres/0020_search_initials.sql"
    };
    let text = std::fs::read_to_string(format!("{}/migrations/{file}", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    let start = text.find("UPDATE requests").expect("the backfill");
    let update = &text[start..start + text[start..].find(';').unwrap()];
    db.raw_execute("UPDATE requests SET search_initials = 0")
        .await
        .unwrap();
    assert!(stored_initials(db).await.iter().all(|(_, bits)| *bits == 0));
    db.raw_execute(update).await.unwrap();
    assert_eq!(stored_initials(db).await, before);
}
on_both!(the_upgrade_gives_every_request_the_initials_the_desk_writes);

/// Every request's id and initials, in the ids' order.
async fn stored_initials(db: &TestDb) -> Vec<(String, i64)> {
    let sql = "SELECT id, search_initials FROM requests ORDER BY id";
    if db.url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
    }
}

/// Imports `csv` (every row accepted).
async fn import_all(store: &sesame_store::Store, csv: &str) {
    let report = store
        .import_csv(csv.as_bytes(), "import", false)
        .await
        .unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
}

/// The ids of every row of `query`'s order, walked page by page from the first.
async fn walk_of(store: &sesame_store::Store, query: &QueueQuery) -> Vec<Uuid> {
    rows_of(store, query)
        .await
        .iter()
        .map(|row| row.id)
        .collect()
}

/// Every row of `query`'s order, walked page by page (of 200) from the first.
async fn rows_of(store: &sesame_store::Store, query: &QueueQuery) -> Vec<sesame_store::QueueRow> {
    let mut walk = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_requests(&QueueQuery {
                cursor: cursor.take(),
                limit: Some(200),
                ..query.clone()
            })
            .await
            .unwrap();
        walk.extend(page.rows);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return walk,
        }
    }
}

/// The ids of the `limit` rows from position `start` of `query`'s order (a jump).
async fn jump(
    store: &sesame_store::Store,
    query: &QueueQuery,
    start: usize,
    limit: u32,
) -> Vec<Uuid> {
    let page = store
        .list_requests(&QueueQuery {
            start: Some(start as u64),
            limit: Some(limit),
            ..query.clone()
        })
        .await
        .unwrap();
    page.rows.iter().map(|r| r.id).collect()
}

async fn jumps_under_dense_words_land_where_the_walk_does(db: &TestDb) {
    let store = &db.store;
    // 1 300 Martins ("m" is dense: jumps start from position marks taken once), a third
    // of them approved, and 200 Duponts the search leaves out.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 0..1300 {
        csv.push_str(&format!(
            "Martin,Prénom{:04},staff,M{i}\n",
            (i * 7919) % 1300
        ));
    }
    for i in 0..200 {
        csv.push_str(&format!("Dupont,Anne,staff,D{i}\n"));
    }
    import_all(store, &csv).await;
    db.raw_execute(
        "UPDATE requests SET status = 'approved' WHERE holder_id IN \
         (SELECT id FROM holders WHERE external_id LIKE 'M%' \
          AND CAST(substr(external_id, 2) AS INTEGER) % 3 = 0)",
    )
    .await
    .unwrap();
    let views = [
        QueueQuery {
            sort: QueueSortField::HolderName,
            ..search("m")
        },
        QueueQuery {
            sort: QueueSortField::HolderName,
            direction: sesame_store::SortDirection::Desc,
            ..search("m")
        },
        QueueQuery {
            direction: sesame_store::SortDirection::Desc,
            ..search("m")
        },
        QueueQuery {
            statuses: vec![RequestStatus::Approved],
            sort: QueueSortField::HolderName,
            ..search("m")
        },
        // Every key the same (no mission end): the ids order the rows.
        QueueQuery {
            sort: QueueSortField::MissionEnd,
            ..search("m")
        },
        QueueQuery {
            direction: sesame_store::SortDirection::Asc,
            categories: vec!["staff".into()],
            ..search("m")
        },
    ];
    for view in &views {
        let walk = walk_of(store, view).await;
        let len = walk.len();
        assert!(len >= 434, "{len} rows for {view:?}");
        let starts = [1, 255, 256, 257, 300, 511, 512, 513, len - 2, len - 1];
        for start in starts.into_iter().filter(|start| *start < len) {
            let ids = jump(store, view, start, 3).await;
            assert_eq!(
                ids,
                walk[start..(start + 3).min(len)],
                "{start} of {view:?}"
            );
        }
        let past = jump(store, view, len, 3).await;
        assert!(past.is_empty(), "past the end of {view:?}");
    }

    // A sparse word beside the dense one: no marks, an offset over the candidates.
    let view = QueueQuery {
        sort: QueueSortField::HolderName,
        ..search("prenom12 m")
    };
    let walk = walk_of(store, &view).await;
    assert_eq!(walk.len(), 100);
    for start in [1, 50, 99] {
        assert_eq!(jump(store, &view, start, 1).await, [walk[start]], "{start}");
    }

    // New Martins, first by name, after a jump that keeps the marks of "m" by name:
    // they are taken again, and the jumps land on the new rows.
    assert_eq!(jump(store, &views[0], 1, 1).await.len(), 1);
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 0..300 {
        csv.push_str(&format!("Martin,Aaron{i:03},staff,N{i}\n"));
    }
    import_all(store, &csv).await;
    let walk = walk_of(store, &views[0]).await;
    assert_eq!(walk.len(), 1600);
    for start in [1, 299, 300, 1599] {
        let ids = jump(store, &views[0], start, 1).await;
        assert_eq!(ids, [walk[start]], "{start} after the import");
    }
}
on_both!(jumps_under_dense_words_land_where_the_walk_does);

async fn dense_words_whose_matches_sit_apart_in_the_order_are_all_found(db: &TestDb) {
    let store = &db.store;
    // "ma" and "j" are both dense, but the requests with both sit at the two ends of a
    // long stretch without them, by name and by submission: 30 Abels (Jean Marc),
    // then 20 000 Auberts (Jules: no "ma"), then 60 Martins with a J (Julie), then
    // 2 300 Martins without one (Marc). A walk of the order checking the words on each
    // row stops inside the Auberts; the matches after it are read whole.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    let groups = [
        ("Abel", "Jean Marc", 30),
        ("Aubert", "Jules", 20_000),
        ("Martin", "Julie", 60),
        ("Martin", "Marc", 2_300),
    ];
    let mut number = 0;
    for (family, given, count) in groups {
        for _ in 0..count {
            number += 1;
            csv.push_str(&format!("{family},{given},staff,X{number}\n"));
        }
    }
    import_all(store, &csv).await;
    // On PostgreSQL the import has the planner's statistics refreshed (by the desk, not
    // autovacuum), just after its report: planned for the empty queue, the walk below
    // took 10 s, not milliseconds.
    if db.url.starts_with("postgres") {
        let refreshed = || {
            db.raw_count(
                "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'requests' \
                 AND last_analyze IS NOT NULL",
            )
        };
        let waited = std::time::Instant::now();
        while refreshed().await == 0 {
            assert!(waited.elapsed().as_secs() < 30, "statistics not refreshed");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let names = |page: &sesame_store::QueuePage| {
        page.rows
            .iter()
            .map(|r| format!("{} {}", r.family_name, r.given_names))
            .collect::<Vec<_>>()
    };
    let matches = |abels: usize, julies: usize| {
        let mut names = vec!["Abel Jean Marc".to_owned(); abels];
        names.extend(vec!["Martin Julie".to_owned(); julies]);
        names
    };
    let by_name = QueueQuery {
        sort: QueueSortField::HolderName,
        limit: Some(50),
        ..search("ma j")
    };
    // The first page: the 30 Abels the walk met, then 20 Julies read after it.
    let first = store.list_requests(&by_name).await.unwrap();
    assert_eq!(names(&first), matches(30, 20));
    let walk = walk_of(store, &by_name).await;
    assert_eq!(walk.len(), 90);
    assert_eq!(
        &walk[..50],
        first.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    let counts = store.count_by_status_filtered(&by_name).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 90);
    // Jumps from the position marks walk from the first Abel across the Auberts.
    for start in [29, 30, 45, 89] {
        assert_eq!(
            jump(store, &by_name, start, 1).await,
            [walk[start]],
            "{start}"
        );
    }
    // A page from a position across the stretch: 5 Abels, then 5 Julies.
    assert_eq!(jump(store, &by_name, 25, 10).await, walk[25..35]);
    // Newest first, the second page walks from the 50th Julie into the Auberts and
    // finds the last 10 Julies there, then the Abels after them.
    let newest = QueueQuery {
        limit: Some(50),
        direction: sesame_store::SortDirection::Desc,
        ..search("ma j")
    };
    let first = store.list_requests(&newest).await.unwrap();
    assert_eq!(names(&first), matches(0, 50));
    let second = store
        .list_requests(&QueueQuery {
            cursor: first.next_cursor.clone(),
            ..newest.clone()
        })
        .await
        .unwrap();
    let mut rest = matches(0, 10);
    rest.extend(matches(30, 0));
    assert_eq!(names(&second), rest);
    assert_eq!(second.next_cursor, None);

    // Two statuses (one walk per status, combined), half the matches approved: the
    // same rows in the same order.
    db.raw_execute(
        "UPDATE requests SET status = 'approved' WHERE holder_id IN \
         (SELECT id FROM holders WHERE CAST(substr(external_id, 2) AS INTEGER) % 2 = 0 \
          AND family_name IN ('Abel', 'Martin') AND given_names <> 'Marc')",
    )
    .await
    .unwrap();
    let two_statuses = QueueQuery {
        statuses: vec![RequestStatus::Submitted, RequestStatus::Approved],
        ..by_name.clone()
    };
    assert_eq!(walk_of(store, &two_statuses).await, walk);
    let first = store.list_requests(&two_statuses).await.unwrap();
    assert_eq!(
        first.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        walk[..50]
    );
    assert_eq!(jump(store, &two_statuses, 25, 10).await, walk[25..35]);
}
on_both!(dense_words_whose_matches_sit_apart_in_the_order_are_all_found);

async fn counts_of_dense_words_are_estimated_from_a_sample(db: &TestDb) {
    let store = &db.store;
    // 3 000 Martins ("m" prefixes two terms of each: dense) and 3 000 Duponts, every
    // Dupont and half the Martins approved; one Julie, a rare word.
    let mut csv = String::from("nom,prenom,categorie,matricule\n");
    for i in 0..3000 {
        csv.push_str(&format!("Martin,Paul,staff,M{i}\nDupont,Anne,staff,D{i}\n"));
    }
    csv.push_str("Martin,Julie,staff,J1\n");
    import_all(store, &csv).await;
    db.raw_execute(
        "UPDATE requests SET status = 'approved' WHERE holder_sort LIKE 'dupont%' \
         OR holder_id IN (SELECT id FROM holders WHERE external_id LIKE 'M%' \
                          AND CAST(substr(external_id, 2) AS INTEGER) % 2 = 0)",
    )
    .await
    .unwrap();
    let query = |search: &str| QueueQuery {
        search: Some(search.into()),
        ..Default::default()
    };
    let exact = store.count_by_status_filtered(&query("m")).await.unwrap();
    let count_of = |counts: &[sesame_store::StatusCount], status: RequestStatus| {
        counts.iter().find(|c| c.status == status).unwrap().count
    };
    assert_eq!(count_of(&exact, RequestStatus::Approved), 1500);
    assert_eq!(count_of(&exact, RequestStatus::Submitted), 1501);

    let estimate = store
        .estimate_counts_by_status(&query("m"))
        .await
        .unwrap()
        .expect("a dense word's counts are estimated");
    for (status, exact) in [
        (RequestStatus::Approved, 1500),
        (RequestStatus::Submitted, 1501),
    ] {
        let estimated = count_of(&estimate, status);
        assert!(
            (estimated - exact).abs() <= exact / 10,
            "{status:?}: {estimated} estimated for {exact}"
        );
    }
    assert_eq!(count_of(&estimate, RequestStatus::Printed), 0);
    // the same sample each time: the figures hold still between keystrokes
    assert_eq!(
        store.estimate_counts_by_status(&query("m")).await.unwrap(),
        Some(estimate)
    );

    // where the exact counts are quick, or other filters narrow the queue: none
    for quick in [
        query("julie"),
        query("m julie"),
        QueueQuery::default(),
        QueueQuery {
            categories: vec!["staff".into()],
            ..query("m")
        },
    ] {
        assert_eq!(
            store.estimate_counts_by_status(&quick).await.unwrap(),
            None,
            "{quick:?}"
        );
    }
}
on_both!(counts_of_dense_words_are_estimated_from_a_sample);

async fn queue_filters_and_counts(db: &TestDb) {
    let store = &db.store;
    let mut visitor = new_request("Visit", "Or");
    visitor.holder.category = "visitor".into();
    visitor.request.kind = RequestKind::DayPass;
    visitor.request.zones = vec!["Parking".into()];
    visitor.request.wanted_from = Some(day(2));
    visitor.request.wanted_until = Some(day(3));
    visitor.holder.mission_end = Some(day(10));
    let v = store.create_request(visitor, ALICE).await.unwrap();
    let staff = store
        .create_request(new_request("Staff", "One"), ALICE)
        .await
        .unwrap();
    let approved_one = printed_staff_badge(store, "Staff", "Two", ALICE, BOB).await;
    store
        .transition(
            staff.request.id,
            1,
            RequestAction::Refuse,
            BOB,
            Some("duplicate"),
        )
        .await
        .unwrap();

    let q = |f: fn(&mut QueueQuery)| {
        let mut query = QueueQuery::default();
        f(&mut query);
        query
    };
    let count = |page: sesame_store::QueuePage| page.rows.len();
    assert_eq!(
        count(store.list_requests(&QueueQuery::default()).await.unwrap()),
        3
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.statuses = vec![RequestStatus::Refused]))
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(
                    |q| q.statuses = vec![RequestStatus::Refused, RequestStatus::Printed]
                ))
                .await
                .unwrap()
        ),
        2
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.kinds = vec![RequestKind::DayPass]))
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        count(
            store
                .list_requests(&q(|q| q.categories = vec!["visitor".into()]))
                .await
                .unwrap()
        ),
        1
    );
    let by_zone = store
        .list_requests(&q(|q| q.zone = Some("Parking".into())))
        .await
        .unwrap();
    assert_eq!(by_zone.rows[0].id, v.request.id);
    assert_eq!(by_zone.rows[0].zones, vec!["Parking"]);
    let expiring = store
        .list_requests(&QueueQuery {
            badge_expiring_before: Some(day(500)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        expiring.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![approved_one.request.id]
    );
    let mission = store
        .list_requests(&QueueQuery {
            mission_end_before: Some(day(30)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(mission.rows.len(), 1);
    let submitted_today = store
        .list_requests(&QueueQuery {
            submitted_from: Some(day(0)),
            submitted_until: Some(day(0)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(submitted_today.rows.len(), 3);
    let none = store
        .list_requests(&QueueQuery {
            submitted_until: Some(d(2000, 1, 1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.rows.is_empty());

    let counts = store.count_by_status().await.unwrap();
    assert_eq!(counts.len(), RequestStatus::ALL.len());
    let get = |s: RequestStatus| counts.iter().find(|c| c.status == s).unwrap().count;
    assert_eq!(get(RequestStatus::Submitted), 1);
    assert_eq!(get(RequestStatus::Refused), 1);
    assert_eq!(get(RequestStatus::Approved), 0);
    assert_eq!(get(RequestStatus::Printed), 1);
    // the trigger-kept counters agree with a scan of the queue
    let scanned = store
        .count_by_status_filtered(&QueueQuery {
            submitted_from: Some(d(2000, 1, 1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(scanned, counts);
    let visitors = store
        .count_by_status_filtered(&QueueQuery {
            categories: vec!["visitor".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(visitors.iter().map(|c| c.count).sum::<i64>(), 1);
    let bad = store
        .list_requests(&QueueQuery {
            limit: Some(0),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "store.invalid_query");
    let bad = store
        .list_requests(&QueueQuery {
            cursor: Some("garbage".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "store.invalid_query");
}
on_both!(queue_filters_and_counts);

async fn keyset_pagination_walks_every_row_once(db: &TestDb) {
    let store = &db.store;
    let names = [
        "Zola", "Abel", "Émile", "Martin", "martin", "Bé", "Yves", "Ödön", "Lu", "Kim", "Ng", "Oz",
        "Al",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut req = new_request(name, &format!("G{i}"));
        if i % 3 == 0 {
            req.holder.mission_end = None;
        }
        store.create_request(req, ALICE).await.unwrap();
    }
    use sesame_store::{QueueSortField as F, SortDirection as D};
    for (sort, direction) in [
        (F::HolderName, D::Asc),
        (F::HolderName, D::Desc),
        (F::Submitted, D::Asc),
        (F::Submitted, D::Desc),
        (F::MissionEnd, D::Asc),
        (F::MissionEnd, D::Desc),
    ] {
        let all = store
            .list_requests(&QueueQuery {
                sort,
                direction,
                limit: Some(100),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.rows.len(), names.len());
        assert!(all.next_cursor.is_none());
        let mut walked = Vec::new();
        let mut query = QueueQuery {
            sort,
            direction,
            limit: Some(4),
            ..Default::default()
        };
        loop {
            let page = store.list_requests(&query).await.unwrap();
            assert!(page.rows.len() <= 4);
            walked.extend(page.rows.iter().map(|r| r.id));
            match page.next_cursor {
                Some(c) => query.cursor = Some(c),
                None => break,
            }
        }
        let expected: Vec<Uuid> = all.rows.iter().map(|r| r.id).collect();
        assert_eq!(walked, expected, "{sort:?} {direction:?}");
    }
    let by_name = store
        .list_requests(&QueueQuery {
            sort: F::HolderName,
            limit: Some(3),
            ..Default::default()
        })
        .await
        .unwrap();
    let firsts: Vec<&str> = by_name
        .rows
        .iter()
        .map(|r| r.family_name.as_str())
        .collect();
    assert_eq!(firsts, vec!["Abel", "Al", "Bé"]);
}
on_both!(keyset_pagination_walks_every_row_once);

/// A jump to any position, in every sort, from the top half and the bottom half, with
/// and without a filter (one status, several), shows the rows a walk from the top would
/// reach there, and its cursor carries on from them.
async fn a_page_by_position_is_the_same_rows_as_the_walk(db: &TestDb) {
    let store = &db.store;
    let names = [
        "Zola", "Abel", "Émile", "Martin", "martin", "Bé", "Yves", "Ödön", "Lu", "Kim", "Ng", "Oz",
        "Al", "Abel",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut req = new_request(name, &format!("G{i}"));
        if i % 3 == 0 {
            req.holder.mission_end = None;
        }
        let id = store.create_request(req, ALICE).await.unwrap().request.id;
        if i % 2 == 0 {
            store
                .transition(id, 1, RequestAction::Refuse, BOB, Some("duplicate"))
                .await
                .unwrap();
        }
    }
    use sesame_store::{QueueSortField as F, SortDirection as D};
    for statuses in [
        vec![],
        vec![RequestStatus::Refused],
        // Several statuses: merged from one ordered branch per status.
        vec![RequestStatus::Refused, RequestStatus::Submitted],
    ] {
        for sort in [
            F::HolderName,
            F::Submitted,
            F::MissionEnd,
            F::BadgeValidUntil,
        ] {
            for direction in [D::Asc, D::Desc] {
                let base = QueueQuery {
                    statuses: statuses.clone(),
                    sort,
                    direction,
                    ..Default::default()
                };
                let all: Vec<Uuid> = store
                    .list_requests(&QueueQuery {
                        limit: Some(100),
                        ..base.clone()
                    })
                    .await
                    .unwrap()
                    .rows
                    .iter()
                    .map(|r| r.id)
                    .collect();
                let what = format!("{statuses:?} {sort:?} {direction:?}");
                if statuses.len() == 2 {
                    assert_eq!(all.len(), names.len(), "every request is one or the other");
                }
                for start in 0..=all.len() + 1 {
                    let page = store
                        .list_requests(&QueueQuery {
                            start: Some(start as u64),
                            limit: Some(3),
                            ..base.clone()
                        })
                        .await
                        .unwrap();
                    let ids: Vec<Uuid> = page.rows.iter().map(|r| r.id).collect();
                    let expected = &all[start.min(all.len())..(start + 3).min(all.len())];
                    assert_eq!(ids, expected, "{what}, from {start}");
                    assert_eq!(
                        page.next_cursor.is_some(),
                        start + 3 < all.len(),
                        "{what}, from {start}"
                    );
                    if let Some(cursor) = page.next_cursor {
                        let next = store
                            .list_requests(&QueueQuery {
                                cursor: Some(cursor),
                                start: Some(0),
                                limit: Some(3),
                                ..base.clone()
                            })
                            .await
                            .unwrap();
                        let ids: Vec<Uuid> = next.rows.iter().map(|r| r.id).collect();
                        let expected = &all[start + 3..(start + 6).min(all.len())];
                        assert_eq!(ids, expected, "{what}, after the page from {start}");
                    }
                }
            }
        }
    }
}
on_both!(a_page_by_position_is_the_same_rows_as_the_walk);

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
