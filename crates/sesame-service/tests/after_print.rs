//! The badge's life after printing through the service layer, on a real SQLite desk
//! (run under `scripts/with-keyring.sh`: the desk opens its keyring entry).

use chrono::Days;
use sesame_core::{
    AttachmentKind, BadgeStatus, DispatchMethod, ErrorCode, HolderDetails, ReplacementCause,
    RequestAction, RequestDetails, RequestKind, RequestStatus, ZoneDetails, ZoneKind, ZoneVerdict,
};
use sesame_service::{
    badge_zones, create_day_pass, declare_opposition, expected_visitors, export_zone_rights,
    extend_badge, lift_opposition, record_zone_decision, renew_badge, request_zone_access,
    save_zone, transition_request, zone_approvals, DeclareOppositionInput, Desk, ExtendBadgeInput,
    LiftOppositionInput, RenewBadgeInput, SaveZoneInput, TransitionInput, ZoneAccessInput,
    ZoneDecisionInput, ZoneRightsFormat,
};
use sesame_store::NewRequest;
use uuid::Uuid;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let vault = sesame_vault::KeyVault::open(
        &format!("sesame-test-after-print-{}", Uuid::now_v7().simple()),
        "desk",
    )
    .unwrap();
    Desk::open_with_keyring(dir.path(), &url, vault)
        .await
        .expect("desk opens (run under scripts/with-keyring.sh)")
}

fn holder(family: &str, category: &str) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: "Zoé".into(),
        email: Some(format!("{}@example.org", family.to_lowercase())),
        phone: None,
        organisation: Some("Université".into()),
        unit: Some("Laboratoire".into()),
        category: category.into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: Some(today() + Days::new(300)),
    }
}

/// A staff badge with `zones`, printed, handed over and activated.
async fn active_badge(desk: &Desk, family: &str, zones: &[&str]) -> sesame_core::Badge {
    let store = desk.store();
    let op = desk.operator().to_string();
    let new = NewRequest {
        holder_id: None,
        holder: holder(family, "staff"),
        request: RequestDetails {
            zones: zones.iter().map(|z| z.to_string()).collect(),
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    let id = store.create_request(new, &op).await.unwrap().request.id;
    let jpeg = {
        let img = image::RgbImage::from_fn(30, 40, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, image::ImageFormat::Jpeg).unwrap();
        bytes.into_inner()
    };
    store
        .put_attachment(id, AttachmentKind::Photo, &jpeg, &op)
        .await
        .unwrap();
    let mut detail = store.get_request(id).await.unwrap();
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
        RequestAction::MarkPrinted,
        RequestAction::Dispatch {
            method: DispatchMethod::HandedOver,
        },
        RequestAction::Activate,
    ] {
        detail = transition_request(
            desk,
            TransitionInput {
                id: id.to_string(),
                expected_version: detail.request.version,
                action,
                reason: None,
            },
        )
        .await
        .unwrap();
    }
    detail.badge.unwrap()
}

fn zone(key: &str, kind: ZoneKind) -> ZoneDetails {
    ZoneDetails {
        key: key.into(),
        label_fr: format!("Zone {key}"),
        label_en: format!("Zone {key}"),
        kind,
        approver_name: "Claire Martin".into(),
        approver_email: "claire.martin@example.org".into(),
        active: true,
    }
}

#[tokio::test]
async fn zone_access_goes_through_the_approver_and_is_exported() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    for (key, kind) in [("Bât B", ZoneKind::Building), ("P1", ZoneKind::CarPark)] {
        save_zone(
            &desk,
            SaveZoneInput {
                zone: zone(key, kind),
                expected_version: None,
            },
        )
        .await
        .unwrap();
    }
    let badge = active_badge(&desk, "Martin", &[]).await;
    let err = request_zone_access(
        &desk,
        ZoneAccessInput {
            badge_id: badge.id.to_string(),
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
            badge_id: badge.id.to_string(),
            zones: vec!["Bât B".into(), "P1".into()],
            notes: Some("new office".into()),
        },
    )
    .await
    .unwrap();
    let id = request.request.id.to_string();
    let mut detail = request;
    for action in [RequestAction::Evaluate, RequestAction::Approve] {
        detail = transition_request(
            &desk,
            TransitionInput {
                id: id.clone(),
                expected_version: detail.request.version,
                action,
                reason: None,
            },
        )
        .await
        .unwrap();
    }
    for (zone, verdict, reason) in [
        ("Bât B", ZoneVerdict::Approved, None),
        (
            "P1",
            ZoneVerdict::Refused,
            Some("car park full".to_string()),
        ),
    ] {
        record_zone_decision(
            &desk,
            ZoneDecisionInput {
                request_id: id.clone(),
                zone: zone.into(),
                verdict,
                reason,
            },
        )
        .await
        .unwrap();
    }
    assert!(zone_approvals(&desk, id.clone())
        .await
        .unwrap()
        .pending
        .is_empty());
    let version = desk
        .store()
        .get_request(detail.request.id)
        .await
        .unwrap()
        .request
        .version;
    let done = transition_request(
        &desk,
        TransitionInput {
            id: id.clone(),
            expected_version: version,
            action: RequestAction::Activate,
            reason: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(done.request.status, RequestStatus::Activated);
    let zones = badge_zones(&desk, badge.id.to_string()).await.unwrap();
    assert_eq!(
        zones.iter().map(|z| z.key.as_str()).collect::<Vec<_>>(),
        vec!["Bât B"]
    );

    let csv = export_zone_rights(&desk, ZoneRightsFormat::Csv)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&csv.path).unwrap();
    assert!(text.starts_with('\u{feff}'), "BOM for spreadsheets");
    assert!(
        text.contains(&format!(
            "{};;active;granted;Bât B;building;Martin;Zoé",
            badge.number
        )),
        "{text}"
    );
    let json = export_zone_rights(&desk, ZoneRightsFormat::Json)
        .await
        .unwrap();
    assert!(json.path.ends_with(".json"));
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json.path).unwrap()).unwrap();
    assert_eq!(value["rights"][0]["zone"], "Bât B");
    assert_eq!(value["rights"][0]["access"], "granted");
}

#[tokio::test]
async fn opposition_is_declared_and_lifted_by_a_supervisor() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let badge = active_badge(&desk, "Vol", &["Bât A"]).await;
    let outcome = declare_opposition(
        &desk,
        DeclareOppositionInput {
            badge_id: badge.id.to_string(),
            expected_version: badge.version,
            cause: ReplacementCause::Stolen,
            occurred_on: today(),
            circumstances: "stolen from a locker".into(),
            temporary_badge: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.badge.status, BadgeStatus::Opposed);
    assert_eq!(outcome.replacement.request.details.zones, vec!["Bât A"]);
    // the desk's first operator is its supervisor
    let badge = lift_opposition(
        &desk,
        LiftOppositionInput {
            badge_id: badge.id.to_string(),
            expected_version: outcome.badge.version,
            reason: "returned by security".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(badge.status, BadgeStatus::Active);
    let replacement = desk
        .store()
        .get_request(outcome.replacement.request.id)
        .await
        .unwrap();
    assert_eq!(replacement.request.status, RequestStatus::Cancelled);
}

#[tokio::test]
async fn day_passes_renewals_and_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let visitor = |first: chrono::NaiveDate| NewRequest {
        holder_id: None,
        holder: HolderDetails {
            presence_days_per_week: 0,
            ..holder("Visite", "visitor")
        },
        request: RequestDetails {
            wanted_from: Some(first),
            wanted_until: Some(first),
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    let err = create_day_pass(&desk, visitor(today())).await.unwrap_err();
    assert_eq!(err.code(), "day_pass.too_late");
    let pass = create_day_pass(&desk, visitor(today() + Days::new(5)))
        .await
        .unwrap();
    assert_eq!(pass.request.details.kind, RequestKind::DayPass);
    assert!(expected_visitors(&desk, None).await.unwrap().is_empty());
    let listed = expected_visitors(&desk, Some(today() + Days::new(5)))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].family_name, "Visite");

    let badge = active_badge(&desk, "Renouvel", &["Bât A"]).await;
    let renewal = renew_badge(
        &desk,
        RenewBadgeInput {
            badge_id: badge.id.to_string(),
            wanted_until: None,
            notes: None,
        },
    )
    .await
    .unwrap();
    assert!(renewal.photo_reused);
    assert!(
        renewal.request.missing.is_empty(),
        "{:?}",
        renewal.request.missing
    );

    let mission_end = today() + Days::new(500);
    let extended = extend_badge(
        &desk,
        ExtendBadgeInput {
            badge_id: badge.id.to_string(),
            expected_version: badge.version,
            mission_end: Some(mission_end),
            valid_until: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(extended.valid_until, mission_end);
    let err = extend_badge(
        &desk,
        ExtendBadgeInput {
            badge_id: "not-an-id".into(),
            expected_version: 1,
            mission_end: None,
            valid_until: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "request.bad_id");
}
