//! Zones, each test on SQLite and on PostgreSQL: zones and their approvers, the
//! approvers' decisions a zone-access request waits for, and the access-control export.

use sesame_core::{
    AuditEntity, BadgeStatus, ErrorCode, ReplacementCause, RequestAction, RequestDetails,
    RequestKind, RequestStatus, ZoneDetails, ZoneKind, ZoneVerdict,
};
use sesame_store::{CsvOptions, NewRequest, OppositionInput, ZoneAccessState, ZoneRightsExport};
use sesame_test_support::fixtures::{active_badge, walk};
use sesame_test_support::{day, on_both, TestDb};

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn zone(key: &str, kind: ZoneKind, approver: &str) -> ZoneDetails {
    ZoneDetails {
        key: key.into(),
        label_fr: format!("{key} (fr)"),
        label_en: format!("{key} (en)"),
        kind,
        approver_name: approver.into(),
        approver_email: format!("{}@example.fr", approver.to_lowercase().replace(' ', ".")),
        active: true,
    }
}

async fn zones_need_their_approvers(db: &TestDb) {
    let store = &db.store;
    let a = store
        .save_zone(
            zone("Bât A", ZoneKind::Building, "Claire Martin"),
            None,
            ALICE,
        )
        .await
        .unwrap();
    assert_eq!(a.version, 1);
    store
        .save_zone(
            zone("Parking Nord", ZoneKind::CarPark, "Paul Roux"),
            None,
            ALICE,
        )
        .await
        .unwrap();
    // creating twice is a conflict, a stale update too
    let err = store
        .save_zone(zone("Bât A", ZoneKind::Building, "X Y"), None, BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "store.version_conflict");
    let mut renamed = zone("Bât A", ZoneKind::Building, "Claire Martin-Dubois");
    renamed.label_fr = "Bâtiment A".into();
    let a = store
        .save_zone(renamed.clone(), Some(1), BOB)
        .await
        .unwrap();
    assert_eq!((a.version, a.details.label_fr.as_str()), (2, "Bâtiment A"));
    assert_eq!(
        store
            .save_zone(renamed, Some(1), BOB)
            .await
            .unwrap_err()
            .code(),
        "store.version_conflict"
    );
    let mut closed = zone("Labo 9", ZoneKind::Building, "Nina Petit");
    closed.active = false;
    store.save_zone(closed, None, ALICE).await.unwrap();
    assert_eq!(store.list_zones().await.unwrap().len(), 3);
    assert_eq!(
        store
            .check_requestable_zones(&["Nowhere".into()])
            .await
            .unwrap_err()
            .code(),
        "zone.unknown"
    );
    assert_eq!(
        store
            .check_requestable_zones(&["Labo 9".into()])
            .await
            .unwrap_err()
            .code(),
        "zone.inactive"
    );
    let history = store
        .audit_for(AuditEntity::Settings, "zone:Bât A")
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        vec!["create_zone", "update_zone"]
    );

    let badge = active_badge(store, "Zonal", &[], ALICE).await;
    let holder = store.get_holder(badge.holder_id).await.unwrap();
    let request = store
        .create_request(
            NewRequest {
                holder_id: Some(holder.id),
                holder: holder.details.clone(),
                request: RequestDetails {
                    zones: vec!["Bât A".into(), "Parking Nord".into()],
                    previous_badge_id: Some(badge.id),
                    ..RequestDetails::new(RequestKind::ZoneAccess)
                },
            },
            ALICE,
        )
        .await
        .unwrap();
    let approved = walk(
        store,
        request.request.id,
        ALICE,
        &[RequestAction::Evaluate, RequestAction::Approve],
    )
    .await;
    let id = approved.request.id;
    // no approver has answered yet: activation refused, nothing written
    let err = store
        .transition(
            id,
            approved.request.version,
            RequestAction::Activate,
            ALICE,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "zone.decision_pending");
    assert!(err.to_string().contains("Bât A, Parking Nord"), "{err}");

    let err = store
        .record_zone_decision(id, "Parking Nord", ZoneVerdict::Refused, Some(" "), BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let err = store
        .record_zone_decision(id, "Labo 9", ZoneVerdict::Approved, None, BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "zone.not_requested");
    let approvals = store
        .record_zone_decision(id, "Bât A", ZoneVerdict::Approved, None, BOB)
        .await
        .unwrap();
    assert_eq!(approvals.pending, vec!["Parking Nord"]);
    assert_eq!(approvals.decisions[0].approver, "Claire Martin-Dubois");
    assert_eq!(approvals.decisions[0].recorded_by, BOB);
    let err = store
        .record_zone_decision(
            id,
            "Bât A",
            ZoneVerdict::Refused,
            Some("changed my mind"),
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "zone.already_decided");
    store
        .record_zone_decision(
            id,
            "Parking Nord",
            ZoneVerdict::Refused,
            Some("no space left"),
            BOB,
        )
        .await
        .unwrap();
    let approvals = store.zone_approvals(id).await.unwrap();
    assert!(approvals.pending.is_empty());

    let current = store.get_request(id).await.unwrap();
    let done = store
        .transition(
            id,
            current.request.version,
            RequestAction::Activate,
            ALICE,
            None,
        )
        .await
        .unwrap();
    assert_eq!(done.request.status, RequestStatus::Activated);
    let badge = store.get_badge(badge.id).await.unwrap();
    assert_eq!(
        badge.zones,
        vec!["Bât A"],
        "only the approved zone is granted"
    );
    let zones = store.badge_zones(badge.id).await.unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].kind, Some(ZoneKind::Building));
    assert_eq!(zones[0].label_fr.as_deref(), Some("Bâtiment A"));
    assert!(zones[0].active);
    let actions: Vec<String> = store
        .audit_for_request(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for expected in ["approve_zone", "refuse_zone", "activate", "add_zones"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }

    // the access-control export: granted while active, blocked once opposed
    let csv = String::from_utf8(
        store
            .export_zone_rights_csv(CsvOptions {
                delimiter: ';',
                bom: false,
            })
            .await
            .unwrap(),
    )
    .unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "badge_number;card_serial;badge_status;access;zone;zone_kind;family_name;given_names;external_id;valid_from;valid_until"
    );
    let line = lines.next().unwrap();
    assert!(
        line.starts_with(&format!(
            "{};;active;granted;Bât A;building;Zonal;Zoé;",
            badge.number
        )),
        "{line}"
    );
    assert_eq!(
        lines.next(),
        None,
        "the badge without zones of nobody else is listed"
    );
    let outcome = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost in the car park".into(),
                temporary_badge: false,
            },
            ALICE,
        )
        .await
        .unwrap();
    let json: ZoneRightsExport =
        serde_json::from_slice(&store.export_zone_rights_json().await.unwrap()).unwrap();
    assert_eq!(json.rights.len(), 1);
    assert_eq!(json.rights[0].badge_number, outcome.badge.number);
    assert_eq!(json.rights[0].access, ZoneAccessState::Blocked);
    assert_eq!(json.rights[0].badge_status, BadgeStatus::Opposed);
    let raw: serde_json::Value =
        serde_json::from_slice(&store.export_zone_rights_json().await.unwrap()).unwrap();
    assert_eq!(raw["rights"][0]["access"], "blocked");
    assert_eq!(raw["rights"][0]["zoneKind"], "building");
}
on_both!(zones_need_their_approvers);
