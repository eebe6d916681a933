//! The badge's life after printing, each test on SQLite and PostgreSQL:
//! zones and their approvers, the access-control export, oppositions with replacement
//! and temporary badge, day passes, renewals reusing a recent photo, extensions.

use chrono::Days;
use sesame_core::{
    AttachmentKind, AuditEntity, Badge, BadgeAction, BadgeStatus, DispatchMethod, ErrorCode,
    MissingItem, ReplacementCause, RequestAction, RequestDetails, RequestKind, RequestStatus,
    ZoneDetails, ZoneKind, ZoneVerdict,
};
use sesame_store::{
    CsvOptions, ExtensionInput, NewRequest, OppositionInput, RenewalInput, RequestDetail, Store,
    ZoneAccessState, ZoneRightsExport,
};
use sesame_test_support::fixtures::{self, fake_jpeg, new_request};
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

/// Moves a request with `action`s in order, as `ALICE`.
async fn walk(store: &Store, detail: RequestDetail, actions: &[RequestAction]) -> RequestDetail {
    fixtures::walk(store, detail.request.id, ALICE, actions).await
}

/// A staff badge with `zones`, printed, handed over and activated.
async fn active_badge(store: &Store, family: &str, zones: &[&str]) -> Badge {
    let mut new = new_request(family, "Zoé");
    new.request.zones = zones.iter().map(|z| z.to_string()).collect();
    new.request.services = vec!["restaurant".into()];
    let created = fixtures::with_photo(store, new, &fake_jpeg(3), ALICE).await;
    let done = walk(
        store,
        created,
        &[
            RequestAction::RecordImageRightsConsent,
            RequestAction::CertifyPhoto,
            RequestAction::Evaluate,
            RequestAction::Approve,
            RequestAction::MarkPrinted,
            RequestAction::Dispatch {
                method: DispatchMethod::HandedOver,
            },
            RequestAction::Activate,
        ],
    )
    .await;
    let badge = done.badge.unwrap();
    assert_eq!(badge.status, BadgeStatus::Active);
    badge
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

    let badge = active_badge(store, "Zonal", &[]).await;
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
        request,
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

async fn opposition_replaces_with_confirmed_accreditations(db: &TestDb) {
    let store = &db.store;
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].temporary_badge_days = 10; // staff
    store.set_policy(&policy, ALICE).await.unwrap();
    let badge = active_badge(store, "Perdu", &["Bât A", "Labo 3"]).await;

    // a date in the future is refused and nothing changes
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(1),
                circumstances: "tomorrow".into(),
                temporary_badge: false,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.date_in_future");
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(0),
                circumstances: "   ".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Active
    );
    assert_eq!(db.raw_count("SELECT COUNT(*) FROM oppositions").await, 0);

    let outcome = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Stolen,
                occurred_on: day(-1),
                circumstances: "bag stolen on the tram".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap();
    assert_eq!(outcome.badge.status, BadgeStatus::Opposed);
    assert_eq!(
        outcome.badge.status_reason.as_deref(),
        Some("bag stolen on the tram")
    );
    let replacement = &outcome.replacement;
    assert_eq!(replacement.request.details.kind, RequestKind::Replacement);
    assert_eq!(replacement.request.details.zones, vec!["Bât A", "Labo 3"]);
    assert_eq!(replacement.request.details.services, vec!["restaurant"]);
    assert_eq!(
        replacement.request.details.previous_badge_id,
        Some(badge.id)
    );
    assert_eq!(
        replacement.request.details.replacement_cause,
        Some(ReplacementCause::Stolen)
    );
    assert!(replacement
        .request
        .details
        .notes
        .as_deref()
        .unwrap()
        .contains("bag stolen on the tram"));
    let temporary = outcome.temporary_badge.clone().unwrap();
    assert_eq!(temporary.status, BadgeStatus::Active);
    assert_ne!(temporary.number, badge.number);
    assert_eq!(temporary.zones, badge.zones);
    assert_eq!(temporary.valid_from, day(0));
    assert_eq!(temporary.valid_until, day(9));
    assert_eq!(outcome.opposition.temporary_badge_id, Some(temporary.id));
    assert_eq!(store.oppositions(badge.id).await.unwrap().len(), 1);
    let badge_history: Vec<String> = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        badge_history.contains(&"oppose".to_owned()),
        "{badge_history:?}"
    );
    assert!(badge_history.contains(&"declare_opposition".to_owned()));

    // the carried-over list must be confirmed before approval
    let id = replacement.request.id;
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(9), ALICE)
        .await
        .unwrap();
    let current = walk(
        store,
        store.get_request(id).await.unwrap(),
        &[
            RequestAction::RecordImageRightsConsent,
            RequestAction::CertifyPhoto,
            RequestAction::Evaluate,
        ],
    )
    .await;
    assert_eq!(current.request.status, RequestStatus::ReadyForReview);
    let err = store
        .transition(
            id,
            current.request.version,
            RequestAction::Approve,
            BOB,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "replacement.unconfirmed");
    let carried = store.carried_over(id).await.unwrap();
    assert_eq!(carried.previous_badge_number, badge.number);
    assert_eq!(carried.old_zones, vec!["Bât A", "Labo 3"]);
    assert!(carried.confirmed.is_none());
    let err = store
        .confirm_carried_over(
            id,
            current.request.version,
            vec!["Bât Z".into()],
            vec![],
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "replacement.not_carried_over");
    let confirmed = store
        .confirm_carried_over(
            id,
            current.request.version,
            vec!["Labo 3".into()],
            vec!["restaurant".into()],
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(confirmed.request.details.zones, vec!["Labo 3"]);
    assert_eq!(
        store
            .carried_over(id)
            .await
            .unwrap()
            .confirmed
            .map(|s| s.by),
        Some(BOB.to_owned())
    );
    let printed = walk(
        store,
        confirmed,
        &[RequestAction::Approve, RequestAction::MarkPrinted],
    )
    .await;
    let new_badge = printed.badge.unwrap();
    assert_ne!(
        new_badge.number, badge.number,
        "a replacement gets a new number"
    );
    assert_ne!(new_badge.number, temporary.number);
    assert_eq!(new_badge.zones, vec!["Labo 3"]);
    // once the new card exists, the opposition can no longer be lifted
    let old = store.get_badge(badge.id).await.unwrap();
    let err = store
        .lift_opposition(old.id, old.version, "found it", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.replacement_printed");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Opposed
    );
}
on_both!(opposition_replaces_with_confirmed_accreditations);

async fn lifting_an_opposition_cancels_the_replacement(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Retrouve", &["Bât A"]).await;
    // staff offers no temporary badge by default
    let err = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost".into(),
                temporary_badge: true,
            },
            ALICE,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "opposition.no_temporary_badge");
    assert_eq!(
        store.get_badge(badge.id).await.unwrap().status,
        BadgeStatus::Active
    );
    let outcome = store
        .declare_opposition(
            badge.id,
            badge.version,
            OppositionInput {
                cause: ReplacementCause::Lost,
                occurred_on: day(0),
                circumstances: "lost at lunch".into(),
                temporary_badge: false,
            },
            ALICE,
        )
        .await
        .unwrap();
    let err = store
        .lift_opposition(badge.id, outcome.badge.version, " ", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "request.reason_required");
    let lifted = store
        .lift_opposition(badge.id, outcome.badge.version, "found in the canteen", BOB)
        .await
        .unwrap();
    assert_eq!(lifted.status, BadgeStatus::Active);
    let replacement = store
        .get_request(outcome.replacement.request.id)
        .await
        .unwrap();
    assert_eq!(replacement.request.status, RequestStatus::Cancelled);
    assert!(replacement
        .request
        .status_reason
        .unwrap()
        .contains("found in the canteen"));
    let oppositions = store.oppositions(badge.id).await.unwrap();
    assert_eq!(
        oppositions[0].lifted.as_ref().map(|s| s.by.as_str()),
        Some(BOB)
    );
    let history = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    let lift = history
        .iter()
        .find(|e| e.action == "lift_opposition")
        .unwrap();
    assert_eq!(lift.reason.as_deref(), Some("found in the canteen"));
    // an active badge has nothing to lift
    let err = store
        .lift_opposition(badge.id, lifted.version, "again", BOB)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.illegal_transition");
}
on_both!(lifting_an_opposition_cancels_the_replacement);

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

async fn renewal_reuses_a_recent_photo_only(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Renouvel", &["Bât A"]).await;
    let outcome = store
        .create_renewal(badge.id, RenewalInput::default(), ALICE)
        .await
        .unwrap();
    assert!(outcome.photo_reused);
    assert_eq!(outcome.photo_age_days, Some(0));
    let renewal = &outcome.request;
    assert_eq!(renewal.request.details.kind, RequestKind::Renewal);
    assert_eq!(renewal.holder.id, badge.holder_id);
    assert_eq!(renewal.request.details.zones, vec!["Bât A"]);
    assert_eq!(renewal.request.details.services, vec!["restaurant"]);
    assert!(renewal.missing.is_empty(), "{:?}", renewal.missing);
    let photo = renewal
        .attachments
        .iter()
        .find(|a| a.kind == AttachmentKind::Photo)
        .unwrap();
    assert_eq!(
        store.get_attachment(photo.id).await.unwrap().bytes,
        fake_jpeg(3)
    );
    let ready = walk(store, renewal.clone(), &[RequestAction::Evaluate]).await;
    assert_eq!(ready.request.status, RequestStatus::ReadyForReview);
    let history = store.audit_for_request(renewal.request.id).await.unwrap();
    assert!(history.iter().any(|e| e.action == "reuse_photo"));

    // the same photo, now years too old for the category: the renewal asks for a new one
    db.raw_execute(&format!(
        "UPDATE attachments SET created_at = '{}T10:00:00+00:00'",
        day(-6 * 365)
    ))
    .await
    .unwrap();
    let outcome = store
        .create_renewal(badge.id, RenewalInput::default(), ALICE)
        .await
        .unwrap();
    assert!(!outcome.photo_reused);
    assert!(outcome.photo_age_days.unwrap() > i64::from(outcome.photo_max_age_days));
    assert!(outcome.request.missing.contains(&MissingItem::Photo));
    let evaluated = walk(store, outcome.request, &[RequestAction::Evaluate]).await;
    assert_eq!(evaluated.request.status, RequestStatus::Incomplete);
    assert!(evaluated.missing.contains(&MissingItem::Photo));

    // an opposed badge is not renewed (it is replaced)
    let current = store.get_badge(badge.id).await.unwrap();
    let opposed = store
        .badge_transition(
            current.id,
            current.version,
            BadgeAction::Oppose {
                cause: ReplacementCause::Damaged,
            },
            ALICE,
            Some("broken"),
        )
        .await
        .unwrap();
    let err = store
        .create_renewal(opposed.id, RenewalInput::default(), ALICE)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "renewal.badge_not_renewable");
}
on_both!(renewal_reuses_a_recent_photo_only);

async fn extension_follows_the_mission_within_the_category(db: &TestDb) {
    let store = &db.store;
    let badge = active_badge(store, "Prolonge", &[]).await;
    let holder = store.get_holder(badge.holder_id).await.unwrap();
    assert_eq!(badge.valid_until, holder.details.mission_end.unwrap());
    let new_end = day(600);
    let extended = store
        .extend_badge(
            badge.id,
            badge.version,
            ExtensionInput {
                mission_end: Some(new_end),
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(extended.valid_until, new_end);
    assert_eq!(
        store
            .get_holder(holder.id)
            .await
            .unwrap()
            .details
            .mission_end,
        Some(new_end)
    );
    // never beyond the mission end: refused, and the mission end stays as it was
    let err = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: None,
                valid_until: Some(new_end + Days::new(1)),
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_beyond_mission_end");
    // nor beyond the category's longest validity
    let mut policy = store.policy().await.unwrap();
    policy.categories[0].max_validity_days = 700;
    store.set_policy(&policy, ALICE).await.unwrap();
    let err = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: Some(day(900)),
                valid_until: Some(day(800)),
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "badge.validity_too_long");
    assert_eq!(
        store
            .get_holder(holder.id)
            .await
            .unwrap()
            .details
            .mission_end,
        Some(new_end),
        "a refused extension records nothing"
    );
    let capped = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: Some(day(900)),
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap();
    assert_eq!(capped.valid_until, day(699));
    let history = store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    assert_eq!(history.iter().filter(|e| e.action == "renew").count(), 2);
    let stale = store
        .extend_badge(
            extended.id,
            extended.version,
            ExtensionInput {
                mission_end: None,
                valid_until: None,
            },
            BOB,
        )
        .await
        .unwrap_err();
    assert_eq!(stale.code(), "store.version_conflict");
}
on_both!(extension_follows_the_mission_within_the_category);
