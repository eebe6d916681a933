//! Secured zones after printing, on a real SQLite desk: a zone-access request goes
//! through each zone's approver, the list of approvals still pending, and the rights
//! exported for the access-control system.

use sesame_core::{ErrorCode, RequestAction, RequestStatus, ZoneDetails, ZoneKind, ZoneVerdict};
use sesame_service::{
    badge_zones, export_zone_rights, get_request, pending_zone_approvals, record_zone_decision,
    request_zone_access, save_zone, transition_request, zone_approvals, Destination, RequestId,
    SaveZoneInput, TransitionInput, ZoneAccessInput, ZoneDecisionInput, ZoneRightsExportInput,
    ZoneRightsFormat, PRINT_DIR_ENV,
};
use sesame_test_support::desk::{walk, TestDesk};
use sesame_test_support::fixtures::new_request_in;

/// Building "Bât B" and car park "P1", both approved by Claire Martin.
async fn save_zones(desk: &TestDesk) {
    for (key, kind) in [("Bât B", ZoneKind::Building), ("P1", ZoneKind::CarPark)] {
        let zone = ZoneDetails {
            key: key.into(),
            label_fr: format!("Zone {key}"),
            label_en: format!("Zone {key}"),
            kind,
            approver_name: "Claire Martin".into(),
            approver_email: "claire.martin@example.org".into(),
            active: true,
        };
        save_zone(
            desk,
            SaveZoneInput {
                zone,
                expected_version: None,
            },
        )
        .await
        .unwrap();
    }
}

fn decision(
    id: RequestId,
    zone: &str,
    verdict: ZoneVerdict,
    reason: Option<&str>,
) -> ZoneDecisionInput {
    ZoneDecisionInput {
        request_id: id,
        zone: zone.into(),
        verdict,
        reason: reason.map(str::to_owned),
    }
}

#[tokio::test]
async fn zone_access_goes_through_the_approver_and_is_exported() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    save_zones(&desk).await;
    let badge = desk
        .active_badge(new_request_in("Martin", "Zoé", &[]))
        .await;
    let err = request_zone_access(
        &desk,
        ZoneAccessInput {
            badge_id: badge.id.into(),
            zones: vec!["Bât Z".into()],
            notes: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "zone.unknown");
    let request = request_zone_access(
        &desk,
        ZoneAccessInput {
            badge_id: badge.id.into(),
            zones: vec!["Bât B".into(), "P1".into()],
            notes: Some("new office".into()),
        },
    )
    .await
    .unwrap();
    let id = RequestId(request.request.id);
    walk(
        &desk,
        id,
        &[RequestAction::Evaluate, RequestAction::Approve],
    )
    .await;
    record_zone_decision(&desk, decision(id, "Bât B", ZoneVerdict::Approved, None))
        .await
        .unwrap();
    record_zone_decision(
        &desk,
        decision(id, "P1", ZoneVerdict::Refused, Some("car park full")),
    )
    .await
    .unwrap();
    assert!(zone_approvals(&desk, id).await.unwrap().pending.is_empty());
    let version = get_request(&desk, id).await.unwrap().request.version;
    let done = transition_request(
        &desk,
        TransitionInput {
            id,
            expected_version: version,
            action: RequestAction::Activate,
            reason: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(done.request.status, RequestStatus::Activated);
    let zones = badge_zones(&desk, badge.id.into()).await.unwrap();
    assert_eq!(
        zones.iter().map(|z| z.key.as_str()).collect::<Vec<_>>(),
        vec!["Bât B"]
    );

    let export = |format| {
        export_zone_rights(
            &desk,
            ZoneRightsExportInput {
                format,
                destination: Destination::OutputFolder,
            },
        )
    };
    let csv = export(ZoneRightsFormat::Csv).await.unwrap();
    let text = std::fs::read_to_string(&csv.path).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for spreadsheets");
    assert!(
        text.contains(&format!(
            "{};;active;granted;Bât B;building;Martin;Zoé",
            badge.number
        )),
        "{text}"
    );
    let json = export(ZoneRightsFormat::Json).await.unwrap();
    assert!(json.path.ends_with(".json"));
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json.path).unwrap()).unwrap();
    assert_eq!(value["rights"][0]["zone"], "Bât B");
    assert_eq!(value["rights"][0]["access"], "granted");
}

#[tokio::test]
async fn pending_zone_approvals_list_only_the_zones_still_undecided() {
    let desk = TestDesk::sqlite().await;
    save_zones(&desk).await;
    let badge = desk
        .active_badge(new_request_in("Durand", "Zoé", &[]))
        .await;
    assert!(pending_zone_approvals(&desk).await.unwrap().is_empty());
    let request = request_zone_access(
        &desk,
        ZoneAccessInput {
            badge_id: badge.id.into(),
            zones: vec!["Bât B".into(), "P1".into()],
            notes: None,
        },
    )
    .await
    .unwrap();
    let id = request.request.id;

    let pending = pending_zone_approvals(&desk).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].request_id, id);
    assert_eq!(pending[0].family_name, "Durand");
    assert_eq!(pending[0].pending, vec!["Bât B", "P1"]);

    record_zone_decision(
        &desk,
        decision(id.into(), "P1", ZoneVerdict::Refused, Some("car park full")),
    )
    .await
    .unwrap();
    let pending = pending_zone_approvals(&desk).await.unwrap();
    assert_eq!(pending[0].pending, vec!["Bât B"]);
    assert_eq!(pending[0].decisions.len(), 1);
    assert_eq!(pending[0].decisions[0].zone, "P1");

    record_zone_decision(
        &desk,
        decision(id.into(), "Bât B", ZoneVerdict::Approved, None),
    )
    .await
    .unwrap();
    assert!(pending_zone_approvals(&desk).await.unwrap().is_empty());
}
