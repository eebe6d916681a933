//! The Badges screen's own services (finding a badge, the zone approvals still
//! pending, a day's visitors) on a real SQLite desk (run under
//! `scripts/with-keyring.sh`: the desk opens its keyring entry).

use chrono::Days;
use sesame_core::{
    AttachmentKind, DispatchMethod, HolderDetails, RequestAction, RequestDetails, RequestKind,
    ZoneDetails, ZoneKind, ZoneVerdict,
};
use sesame_service::{
    create_day_pass, find_badges, pending_zone_approvals, record_zone_decision,
    request_zone_access, save_zone, transition_request, visitors_of_day, Desk, SaveZoneInput,
    TransitionInput, VisitorsDayInput, ZoneAccessInput, ZoneDecisionInput,
};
use sesame_store::NewRequest;
use uuid::Uuid;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let vault = sesame_vault::KeyVault::open(
        &format!("sesame-test-ui-lifecycle-{}", Uuid::now_v7().simple()),
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

/// A staff badge, printed, handed over and activated.
async fn active_badge(desk: &Desk, family: &str) -> sesame_core::Badge {
    let store = desk.store();
    let op = desk.operator().to_string();
    let new = NewRequest {
        holder_id: None,
        holder: holder(family, "staff"),
        request: RequestDetails::new(RequestKind::NewBadge),
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

#[tokio::test]
async fn badges_are_found_by_number_or_by_holder_name() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let martin = active_badge(&desk, "Martin").await;
    let dupont = active_badge(&desk, "Dupont").await;

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

#[tokio::test]
async fn pending_zone_approvals_list_only_the_zones_still_undecided() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    for (key, kind) in [("Bât B", ZoneKind::Building), ("P1", ZoneKind::CarPark)] {
        save_zone(
            &desk,
            SaveZoneInput {
                zone: ZoneDetails {
                    key: key.into(),
                    label_fr: format!("Zone {key}"),
                    label_en: format!("Zone {key}"),
                    kind,
                    approver_name: "Claire Martin".into(),
                    approver_email: "claire.martin@example.org".into(),
                    active: true,
                },
                expected_version: None,
            },
        )
        .await
        .unwrap();
    }
    let badge = active_badge(&desk, "Durand").await;
    assert!(pending_zone_approvals(&desk).await.unwrap().is_empty());
    let request = request_zone_access(
        &desk,
        ZoneAccessInput {
            badge_id: badge.id.to_string(),
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
        ZoneDecisionInput {
            request_id: id.to_string(),
            zone: "P1".into(),
            verdict: ZoneVerdict::Refused,
            reason: Some("car park full".into()),
        },
    )
    .await
    .unwrap();
    let pending = pending_zone_approvals(&desk).await.unwrap();
    assert_eq!(pending[0].pending, vec!["Bât B"]);
    assert_eq!(pending[0].decisions.len(), 1);
    assert_eq!(pending[0].decisions[0].zone, "P1");

    record_zone_decision(
        &desk,
        ZoneDecisionInput {
            request_id: id.to_string(),
            zone: "Bât B".into(),
            verdict: ZoneVerdict::Approved,
            reason: None,
        },
    )
    .await
    .unwrap();
    assert!(pending_zone_approvals(&desk).await.unwrap().is_empty());
}

#[tokio::test]
async fn visitors_of_a_chosen_day_are_the_day_passes_covering_it() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let first = today() + Days::new(3);
    let last = first + Days::new(1);
    create_day_pass(
        &desk,
        NewRequest {
            holder_id: None,
            holder: HolderDetails {
                presence_days_per_week: 0,
                ..holder("Leroy", "visitor")
            },
            request: RequestDetails {
                wanted_from: Some(first),
                wanted_until: Some(last),
                ..RequestDetails::new(RequestKind::DayPass)
            },
        },
    )
    .await
    .unwrap();
    for (day, expected) in [(first, 1), (last, 1), (last + Days::new(1), 0)] {
        let visitors = visitors_of_day(&desk, VisitorsDayInput { day: Some(day) })
            .await
            .unwrap();
        assert_eq!(visitors.len(), expected, "{day}");
    }
    let visitors = visitors_of_day(&desk, VisitorsDayInput { day: Some(first) })
        .await
        .unwrap();
    assert_eq!(visitors[0].family_name, "Leroy");
    assert_eq!(visitors[0].first_day, first);
    // No day: today at the desk, when nobody is expected.
    assert!(visitors_of_day(&desk, VisitorsDayInput::default())
        .await
        .unwrap()
        .is_empty());
}
