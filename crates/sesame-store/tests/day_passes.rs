//! Day passes, on SQLite and on PostgreSQL: the notice each category asks for, and the
//! list of visitors expected on a day.

use chrono::Days;
use sesame_core::{ErrorCode, RequestAction, RequestKind};
use sesame_store::NewRequest;
use sesame_test_support::fixtures::new_request;
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn day_pass(family: &str, from: chrono::NaiveDate, until: chrono::NaiveDate) -> NewRequest {
    let mut new = new_request(family, "Visiteur");
    new.holder.category = "visitor".into();
    new.holder.presence_days_per_week = 0;
    new.request.kind = RequestKind::DayPass;
    new.request.zones = vec!["Accueil".into()];
    new.request.wanted_from = Some(from);
    new.request.wanted_until = Some(until);
    new
}

async fn day_passes_need_notice_and_list_visitors(db: &TestDb) {
    let store = &db.store;
    let t = day(0);
    // tomorrow is less than 24 h away from any moment of today after midnight
    for first in [t, t + Days::new(1)] {
        let err = store
            .create_request(day_pass("Tard", first, first), ALICE)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "day_pass.too_late", "{first}");
    }
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM requests").await, 0);
    let early = store
        .create_request(day_pass("Alpha", t + Days::new(2), t + Days::new(3)), ALICE)
        .await
        .unwrap();
    // the notice is per category: visitors of this office may come the same day
    let mut policy = store.policy().await.unwrap();
    policy
        .categories
        .iter_mut()
        .find(|c| c.key == "visitor")
        .unwrap()
        .day_pass_notice_hours = 0;
    store.set_policy(&policy, ALICE).await.unwrap();
    let same_day = store
        .create_request(day_pass("Beta", t, t), ALICE)
        .await
        .unwrap();
    let refused = store
        .create_request(day_pass("Gamma", t, t + Days::new(1)), ALICE)
        .await
        .unwrap();
    store
        .transition(
            refused.request.id,
            1,
            RequestAction::Refuse,
            BOB,
            Some("no host"),
        )
        .await
        .unwrap();

    let today_list = store.expected_visitors(t).await.unwrap();
    assert_eq!(
        today_list
            .iter()
            .map(|v| v.family_name.as_str())
            .collect::<Vec<_>>(),
        vec!["Beta"]
    );
    assert_eq!(today_list[0].zones, vec!["Accueil"]);
    assert_eq!(today_list[0].request_id, same_day.request.id);
    let later = store.expected_visitors(t + Days::new(3)).await.unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].request_id, early.request.id);
    assert_eq!(
        (later[0].first_day, later[0].last_day),
        (t + Days::new(2), t + Days::new(3))
    );
    assert!(store
        .expected_visitors(t + Days::new(4))
        .await
        .unwrap()
        .is_empty());
}
on_both!(day_passes_need_notice_and_list_visitors);
