//! Visitors at the desk below the service, on SQLite and on PostgreSQL: the host of a
//! day pass, arrival and departure, housekeeping closing the visits nobody checked
//! out, and the refused visitors' list found by name whatever the case and accents.

use sesame_store::{NewRefusedVisitor, Store, VisitHost};
use sesame_test_support::fixtures::{day_pass_request, visitor};
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";

async fn visits_are_recorded_and_closed(db: &TestDb) {
    let store: &Store = &db.store;
    let pass = store
        .create_request(
            day_pass_request(visitor("Leroy", "Zoé"), day(3), day(4)),
            ALICE,
        )
        .await
        .unwrap();
    let id = pass.request.id;
    let host = VisitHost {
        name: "Anne Martin".into(),
        email: Some("Anne.Martin@univ.example".into()),
    };
    let saved = store.set_visit_host(id, Some(&host), ALICE).await.unwrap();
    assert_eq!(
        saved.unwrap().email.as_deref(),
        Some("anne.martin@univ.example")
    );

    let visit = store.check_in(id, day(3), ALICE).await.unwrap();
    assert!(visit.checked_out_at.is_none());
    let out = store.check_out(id, day(3), false, ALICE).await.unwrap();
    assert_eq!(out.badge_returned, Some(false));
    store.check_in(id, day(4), ALICE).await.unwrap();
    let listed = store.expected_visitors(day(4)).await.unwrap();
    assert_eq!(listed[0].host.as_ref().unwrap().name, "Anne Martin");
    assert!(listed[0].visit.is_some());

    let dry = store.close_open_visits(day(5), ALICE, true).await.unwrap();
    assert_eq!(dry.len(), 1);
    let closed = store.close_open_visits(day(5), ALICE, false).await.unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].visit.day, day(4));
    assert!(store
        .close_open_visits(day(5), ALICE, false)
        .await
        .unwrap()
        .is_empty());
    let listed = store.expected_visitors(day(4)).await.unwrap();
    let visit = listed[0].visit.as_ref().unwrap();
    assert!(visit.automatic_checkout);
    assert_eq!(visit.badge_returned, None);
}
on_both!(visits_are_recorded_and_closed);

async fn refused_visitors_are_found_by_name(db: &TestDb) {
    let store: &Store = &db.store;
    let entry = store
        .add_refused_visitor(
            &NewRefusedVisitor {
                family_name: " Écuyer ".into(),
                given_names: "Anne-Lise".into(),
                organisation: Some("Acme".into()),
                reason: "interdit de site".into(),
            },
            ALICE,
        )
        .await
        .unwrap();
    let found = store
        .find_refused_visitor("ECUYER", "anne-lise")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, entry);
    assert!(store
        .find_refused_visitor("Ecuyer", "Anne")
        .await
        .unwrap()
        .is_none());
    store.remove_refused_visitor(entry.id, ALICE).await.unwrap();
    assert!(store.refused_visitors().await.unwrap().is_empty());
    assert!(store.remove_refused_visitor(entry.id, ALICE).await.is_err());
}
on_both!(refused_visitors_are_found_by_name);

async fn a_bulk_import_refuses_the_rows_of_refused_visitors(db: &TestDb) {
    let store: &Store = &db.store;
    store
        .add_refused_visitor(
            &NewRefusedVisitor {
                family_name: "Indésirable".into(),
                given_names: "Jean".into(),
                organisation: None,
                reason: "interdit de site".into(),
            },
            ALICE,
        )
        .await
        .unwrap();
    let file = "Nom;Prénom;Courriel;Catégorie;Matricule;Jours de présence\r\n\
                Martin;Zoé;zoe@example.fr;staff;HR1;5\r\n\
                INDESIRABLE;jean;jean@example.fr;staff;HR2;5\r\n";
    let report = store
        .import_csv(file.as_bytes(), "import", false)
        .await
        .unwrap();
    assert_eq!(report.created.len(), 1);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].row, 2);
    assert_eq!(report.refused[0].code, "visit.refused_visitor");
    assert!(report.refused[0].message.contains("interdit de site"));
}
on_both!(a_bulk_import_refuses_the_rows_of_refused_visitors);
