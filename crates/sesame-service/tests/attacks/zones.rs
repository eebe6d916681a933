//! Zone decisions belong to the zone's approver (or a supervisor in their stead), and
//! the record names who really decided: the desk's operator, whatever the client sends.
//! Changing a zone, its approver included, is a supervisor's.

use sesame_core::{ErrorCode, OperatorRole, RequestAction, ZoneDetails, ZoneKind};
use sesame_service::{
    add_operator, record_zone_decision, request_history, request_zone_access, save_zone,
    zone_approvals, AddOperatorInput, RequestId, SaveZoneInput, ZoneAccessInput, ZoneDecisionInput,
};
use sesame_test_support::desk::{walk, TestDesk};
use sesame_test_support::fixtures::new_request_in;

fn zone(key: &str, approver: &str) -> SaveZoneInput {
    SaveZoneInput {
        zone: ZoneDetails {
            key: key.into(),
            label_fr: format!("Zone {key}"),
            label_en: format!("Zone {key}"),
            kind: ZoneKind::Building,
            approver_name: approver.into(),
            approver_email: "approver@example.org".into(),
            active: true,
        },
        expected_version: None,
    }
}

/// A decision as the webview sends it, with a decider's name slipped in.
fn decision_claiming(id: RequestId, zone: &str, claimed_by: &str) -> ZoneDecisionInput {
    serde_json::from_value(serde_json::json!({
        "requestId": id,
        "zone": zone,
        "verdict": "approved",
        "reason": null,
        "recordedBy": claimed_by,
        "approver": claimed_by,
    }))
    .expect("unknown fields are ignored")
}

async fn only_the_approver_or_a_supervisor_decides(alice: TestDesk) {
    let bob = alice.another_desk("bob").await;

    // A clerk cannot make themselves a zone's approver.
    let err = save_zone(&bob, zone("Labo", "bob")).await.unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    assert!(err.to_string().contains("change_zones"), "{err}");

    // Claire Martin approves the lab; the data room's approver is not an operator.
    add_operator(
        &alice,
        AddOperatorInput {
            name: "cmartin".into(),
            display_name: "Claire Martin".into(),
            role: OperatorRole::Clerk,
            pin: "246813".into(),
        },
    )
    .await
    .unwrap();
    let claire = alice.another_desk("cmartin").await;
    save_zone(&alice, zone("Labo", "Claire Martin"))
        .await
        .unwrap();
    save_zone(&alice, zone("Salle serveurs", "Paul Roux"))
        .await
        .unwrap();
    let badge = alice
        .active_badge(new_request_in("Perrin", "Marc", &[]))
        .await;
    let id = RequestId(
        request_zone_access(
            &alice,
            ZoneAccessInput {
                badge_id: badge.id.into(),
                zones: vec!["Labo".into(), "Salle serveurs".into()],
                notes: None,
            },
        )
        .await
        .unwrap()
        .request
        .id,
    );
    walk(
        &alice,
        id,
        &[RequestAction::Evaluate, RequestAction::Approve],
    )
    .await;

    // A clerk who is not the approver cannot decide, even claiming to be someone else.
    for zone in ["Labo", "Salle serveurs"] {
        let err = record_zone_decision(&bob, decision_claiming(id, zone, "cmartin"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "operator.supervisor_required");
        assert!(err.to_string().contains("decide_zone_access"), "{err}");
    }
    // Nor can the lab's approver decide for the data room.
    let err = record_zone_decision(
        &claire,
        decision_claiming(id, "Salle serveurs", "Paul Roux"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "operator.supervisor_required");
    let approvals = zone_approvals(&alice, id).await.unwrap();
    assert!(approvals.decisions.is_empty(), "{approvals:?}");

    // The approver decides for their zone, a supervisor for the other; each record and
    // audit line names the desk's operator, not the name the client sent.
    record_zone_decision(&claire, decision_claiming(id, "Labo", "alice"))
        .await
        .unwrap();
    let approvals =
        record_zone_decision(&alice, decision_claiming(id, "Salle serveurs", "cmartin"))
            .await
            .unwrap();
    assert!(approvals.pending.is_empty());
    let by_zone: Vec<_> = approvals
        .decisions
        .iter()
        .map(|d| (d.zone.as_str(), d.recorded_by.as_str()))
        .collect();
    assert!(by_zone.contains(&("Labo", "cmartin")), "{by_zone:?}");
    assert!(
        by_zone.contains(&("Salle serveurs", "alice")),
        "{by_zone:?}"
    );
    let audited: Vec<_> = request_history(&alice, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "approve_zone")
        .map(|e| {
            (
                e.after.unwrap()["zone"].as_str().unwrap().to_owned(),
                e.operator,
            )
        })
        .collect();
    assert_eq!(
        audited,
        [
            ("Labo".to_owned(), "cmartin".to_owned()),
            ("Salle serveurs".to_owned(), "alice".to_owned())
        ]
    );

    claire.close().await;
    bob.close().await;
    alice.finish().await;
}
on_both_desks!(only_the_approver_or_a_supervisor_decides);
