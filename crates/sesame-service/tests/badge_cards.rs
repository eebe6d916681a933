//! The physical card through the service, on a real desk and a real pcscd with
//! virtual readers: the card laid on the reader is bound to a badge and shows in its
//! history, a card another live badge holds is refused (nothing changes), a typed
//! UID is written as a read one, the card finds its badge again, and a reader that
//! is not there is named without touching the badge.

use sesame_core::{ErrorCode, RequestAction};
use sesame_service::{
    bind_card, find_badges, identify_card, request_history, transition_request, unbind_card,
    BindCardInput, CardReading, TransitionInput, UnbindCardInput,
};
use sesame_test_support::card_reader::{VirtualReaders, READER_A};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};

fn read_into(badge: &sesame_core::Badge) -> BindCardInput {
    BindCardInput {
        badge_id: badge.id.into(),
        expected_version: badge.version,
        typed_uid: None,
        reader: None,
    }
}

#[tokio::test]
async fn the_card_on_the_reader_is_bound_and_found_again() {
    let pcsc = VirtualReaders::start();
    let desk = TestDesk::sqlite().await;
    let zoe = desk
        .active_badge(request_for(holder_with_email("Lecteur", "Zoé", None)))
        .await;
    let card = pcsc.lay_card(READER_A, "04a224b2c35e80");

    let bound = bind_card(&desk, read_into(&zoe)).await.unwrap();
    assert_eq!(bound.uid, "04A224B2C35E80");
    assert_eq!(bound.reader.as_deref(), Some(READER_A));
    assert_eq!(bound.badge.card_serial.as_deref(), Some("04A224B2C35E80"));
    let history = request_history(&desk, zoe.request_id.into()).await.unwrap();
    let line = history
        .iter()
        .find(|e| e.action == "set_card_serial")
        .expect("the binding in the badge's history");
    assert_eq!(Some(line.operator.clone()), desk.operator());
    assert_eq!(
        line.after,
        Some(serde_json::json!({ "cardSerial": "04A224B2C35E80" }))
    );

    // Whose card is this? The one on the reader, or its UID typed in the search.
    let found = identify_card(&desk, CardReading::default()).await.unwrap();
    assert_eq!(found.uid, "04A224B2C35E80");
    assert_eq!(found.badge.map(|b| b.badge.id), Some(zoe.id));
    let searched = find_badges(&desk, "04:a2:24:b2:c3:5e:80".into())
        .await
        .unwrap();
    assert_eq!(searched.first().map(|b| b.badge.id), Some(zoe.id));

    // Taken off the badge: the card belongs to nobody.
    let unbound = unbind_card(
        &desk,
        UnbindCardInput {
            badge_id: zoe.id.into(),
            expected_version: bound.badge.version,
        },
    )
    .await
    .unwrap();
    assert_eq!(unbound.card_serial, None);
    assert!(identify_card(&desk, CardReading::default())
        .await
        .unwrap()
        .badge
        .is_none());
    card.take_off();
    desk.finish().await;
}

#[tokio::test]
async fn a_card_held_by_another_live_badge_is_refused_and_a_typed_uid_is_checked() {
    let pcsc = VirtualReaders::start();
    let desk = TestDesk::sqlite().await;
    let first = desk
        .active_badge(request_for(holder_with_email("Premier", "Paul", None)))
        .await;
    let second = desk
        .active_badge(request_for(holder_with_email("Second", "Anne", None)))
        .await;
    let typed = BindCardInput {
        typed_uid: Some(" de:ad:be:ef ".into()),
        ..read_into(&first)
    };
    let bound = bind_card(&desk, typed).await.unwrap();
    assert_eq!((bound.uid.as_str(), bound.reader), ("DEADBEEF", None));

    let _card = pcsc.lay_card(READER_A, "DEADBEEF");
    let refused = bind_card(&desk, read_into(&second)).await.unwrap_err();
    assert_eq!(refused.code(), "badge.card_serial_taken");
    assert!(refused.to_string().contains(&first.number), "{refused}");
    let typo = BindCardInput {
        typed_uid: Some("DEADBEE".into()),
        ..read_into(&second)
    };
    assert_eq!(
        bind_card(&desk, typo).await.unwrap_err().code(),
        "card.bad_uid"
    );
    let store = desk.store().await;
    assert_eq!(store.get_badge(second.id).await.unwrap().card_serial, None);
    store.close().await;
    desk.finish().await;
}

#[tokio::test]
async fn without_the_service_or_a_card_the_badge_is_left_as_it_was() {
    let mut pcsc = VirtualReaders::start();
    let desk = TestDesk::sqlite().await;
    let printed = desk
        .printed(request_for(holder_with_email("Sanscarte", "Léa", None)))
        .await;
    let badge = printed.badge.clone().unwrap();
    // A named reader that is not plugged in.
    let elsewhere = BindCardInput {
        reader: Some("ACS ACR1252 1S CL Reader PICC 0".into()),
        ..read_into(&badge)
    };
    assert_eq!(
        bind_card(&desk, elsewhere).await.unwrap_err().code(),
        "card.reader_gone"
    );
    pcsc.stop();
    assert_eq!(
        bind_card(&desk, read_into(&badge))
            .await
            .unwrap_err()
            .code(),
        "card.no_service"
    );
    // The request still goes on (dispatch), the badge without a card.
    let input = TransitionInput {
        id: printed.request.id.into(),
        expected_version: printed.request.version,
        action: RequestAction::Dispatch {
            method: sesame_core::DispatchMethod::HandedOver,
        },
        reason: None,
    };
    let dispatched = transition_request(&desk, input).await.unwrap();
    assert_eq!(dispatched.badge.unwrap().card_serial, None);
    desk.finish().await;
}
