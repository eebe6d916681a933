//! Finding a badge from the Badges screen, on a real SQLite desk: by its number or by
//! the start of its holder's family name.

use sesame_service::find_badges;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::new_request;

#[tokio::test]
async fn badges_are_found_by_number_or_by_holder_name() {
    let desk = TestDesk::sqlite().await;
    let martin = desk.active_badge(new_request("Martin", "Zoé")).await;
    let dupont = desk.active_badge(new_request("Dupont", "Zoé")).await;

    let by_number = find_badges(&desk, format!("  {}  ", dupont.number))
        .await
        .unwrap();
    assert_eq!(by_number[0].badge.id, dupont.id, "the exact number first");
    assert!(by_number.iter().all(|row| row.badge.id != martin.id));

    // A prefix of the family name, any case.
    let by_name = find_badges(&desk, "mart".into()).await.unwrap();
    assert_eq!(
        by_name.iter().map(|row| row.badge.id).collect::<Vec<_>>(),
        vec![martin.id]
    );
    assert_eq!(by_name[0].family_name, "Martin");

    assert!(find_badges(&desk, "Zzyzx".into()).await.unwrap().is_empty());
    assert!(find_badges(&desk, "   ".into()).await.unwrap().is_empty());
}
