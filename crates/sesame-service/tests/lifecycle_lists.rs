//! Dispatch with its list, activation, the follow-up lists, the usage log and
//! housekeeping, through the service layer on a real SQLite desk (run under
//! `scripts/with-keyring.sh`: the desk opens its keyring entry).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Days;
use sesame_core::{
    AttachmentKind, BadgeStatus, DispatchMethod, ErrorCode, HolderDetails, RequestAction,
    RequestDetails, RequestKind, RequestStatus,
};
use sesame_service::{
    deactivate_unused_badges, dispatch_badges, expiring_badges, import_usage_log, inactive_badges,
    last_housekeeping_run, not_activated_badges, record_activations, run_housekeeping,
    CsvImportInput, DeactivateUnusedInput, Desk, DispatchInput, HousekeepingOptions, Locale,
};
use sesame_store::{BadgeRef, NewRequest};
use uuid::Uuid;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

async fn desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let vault = sesame_vault::KeyVault::open(
        &format!("sesame-test-lifecycle-lists-{}", Uuid::now_v7().simple()),
        "desk",
    )
    .unwrap();
    Desk::open_with_keyring(dir.path(), &url, vault)
        .await
        .expect("desk opens (run under scripts/with-keyring.sh)")
}

fn holder(family: &str, email: Option<&str>) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: "Zoé".into(),
        email: email.map(str::to_owned),
        phone: None,
        organisation: Some("Université".into()),
        unit: Some("Laboratoire d’optique".into()),
        category: "staff".into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: Some(today() + Days::new(300)),
    }
}

/// A staff request, approved and printed (its badge issued); returns the request id.
async fn printed(desk: &Desk, family: &str, email: Option<&str>) -> Uuid {
    let store = desk.store();
    let op = desk.operator().to_string();
    let new = NewRequest {
        holder_id: None,
        holder: holder(family, email),
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
    let mut version = store.get_request(id).await.unwrap().request.version;
    for action in [
        RequestAction::RecordImageRightsConsent,
        RequestAction::CertifyPhoto,
        RequestAction::Evaluate,
        RequestAction::Approve,
        RequestAction::MarkPrinted,
    ] {
        version = store
            .transition(id, version, action, &op, None)
            .await
            .unwrap()
            .request
            .version;
    }
    id
}

async fn badge_number(desk: &Desk, request: Uuid) -> String {
    desk.store()
        .get_request(request)
        .await
        .unwrap()
        .badge
        .unwrap()
        .number
}

fn pdftotext(path: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", path, "-"])
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn dispatch_writes_the_list_then_activation_closes_the_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let prints = dir.path().join("prints");
    // One test in this binary uses the print folder; nextest runs each test alone.
    std::env::set_var("SESAME_PRINT_DIR", &prints);
    let desk = desk(&dir).await;
    let a = printed(&desk, "Œuvray", None).await;
    let b = printed(&desk, "Nguyễn", None).await;
    let (na, nb) = (badge_number(&desk, a).await, badge_number(&desk, b).await);

    let err = dispatch_badges(
        &desk,
        DispatchInput {
            request_ids: vec![],
            method: DispatchMethod::InternalMail,
            locale: Locale::Fr,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "lifecycle.nothing_selected");
    let err = dispatch_badges(
        &desk,
        DispatchInput {
            request_ids: vec!["not-an-id".into()],
            method: DispatchMethod::InternalMail,
            locale: Locale::Fr,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "request.bad_id");

    let run = dispatch_badges(
        &desk,
        DispatchInput {
            request_ids: vec![a.to_string(), b.to_string()],
            method: DispatchMethod::InternalMail,
            locale: Locale::Fr,
        },
    )
    .await
    .unwrap();
    assert_eq!(run.dispatched.len(), 2);
    assert!(run.skipped.is_empty());
    assert!(
        run.list.path.starts_with(prints.to_str().unwrap()),
        "{}",
        run.list.path
    );
    assert!(
        run.list.path.contains("bordereau-envoi"),
        "{}",
        run.list.path
    );
    assert_eq!(
        std::fs::metadata(&run.list.path).unwrap().len(),
        run.list.bytes
    );
    let text = pdftotext(&run.list.path);
    for expected in [
        "ŒUVRAY Zoé",
        "NGUYỄN Zoé",
        "Laboratoire d’optique",
        na.as_str(),
        nb.as_str(),
        "courrier interne",
        &run.batch.to_string(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    let status = desk.store().get_request(a).await.unwrap().request.status;
    assert_eq!(status, RequestStatus::Dispatched);

    // Nothing left to dispatch: an error, and no new file.
    let err = dispatch_badges(
        &desk,
        DispatchInput {
            request_ids: vec![a.to_string()],
            method: DispatchMethod::HandedOver,
            locale: Locale::En,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "dispatch.nothing_to_dispatch");
    assert_eq!(std::fs::read_dir(&prints).unwrap().count(), 1);

    // Follow-up: today nothing is late; the explicit delay is checked.
    assert!(not_activated_badges(&desk, None).await.unwrap().is_empty());
    assert_eq!(
        not_activated_badges(&desk, Some(0))
            .await
            .unwrap_err()
            .code(),
        "lifecycle.invalid_days"
    );
    assert_eq!(
        desk.store()
            .not_activated(None, today() + Days::new(14))
            .await
            .unwrap()
            .len(),
        2
    );

    // The holder of a activates; unknown numbers and repeats are reported.
    let outcome = record_activations(&desk, vec![na.clone(), "B999999".into(), na.clone()])
        .await
        .unwrap();
    assert_eq!(outcome.changed.len(), 1);
    assert_eq!(outcome.changed[0].badge.status, BadgeStatus::Active);
    let codes: Vec<&str> = outcome.skipped.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, vec!["store.not_found", "badge.illegal_transition"]);
    assert_eq!(
        desk.store().get_request(a).await.unwrap().request.status,
        RequestStatus::Activated
    );
    let late = desk
        .store()
        .not_activated(None, today() + Days::new(14))
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].request_id, b);
}

#[tokio::test]
async fn usage_log_and_reviewed_deactivation() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let a = printed(&desk, "Durand", None).await;
    let na = badge_number(&desk, a).await;
    record_activations(&desk, vec![na.clone()]).await.unwrap();

    let log = format!("N° de badge;Date;Heure;Porte\r\n{na};01/01/2020;08:15;Hall\r\nX1;01/01/2020;08:20;Hall\r\n");
    let bytes = latin1(&log);
    let report = import_usage_log(
        &desk,
        CsvImportInput {
            content_base64: STANDARD.encode(bytes),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!((report.accepted, report.badges_updated), (1, 1));
    assert_eq!(report.refused[0].code, "usage.unknown_badge");

    // last seen in 2020: unused now
    let list = inactive_badges(&desk, None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].last_door.as_deref(), Some("Hall"));
    let err = deactivate_unused_badges(
        &desk,
        DeactivateUnusedInput {
            badges: vec![],
            reason: "unused".into(),
            days: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "lifecycle.nothing_selected");
    let selection = vec![BadgeRef {
        id: list[0].row.badge.id,
        version: list[0].row.badge.version,
    }];
    let err = deactivate_unused_badges(
        &desk,
        DeactivateUnusedInput {
            badges: selection.clone(),
            reason: " ".into(),
            days: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "lifecycle.reason_required");
    let outcome = deactivate_unused_badges(
        &desk,
        DeactivateUnusedInput {
            badges: selection,
            reason: "not used since 2020".into(),
            days: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.changed.len(), 1);
    assert_eq!(outcome.changed[0].badge.status, BadgeStatus::Deactivated);
    assert!(inactive_badges(&desk, None).await.unwrap().is_empty());
}

/// Windows-1252 bytes of a text in Latin-1 (as an access-control export would write `°`).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 character"))
        .collect()
}

#[tokio::test]
async fn housekeeping_expires_reminds_once_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir).await;
    let store = desk.store();
    // Reminders are queued in the outbox only when e-mail is on.
    sesame_mail::save_settings(
        store,
        sesame_mail::MailSettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port: 2525,
            security: sesame_mail::SmtpSecurity::None,
            from_address: "badges@example.org".into(),
            ..sesame_mail::MailSettings::default()
        },
        desk.operator(),
    )
    .await
    .unwrap();
    let a = printed(&desk, "Rappel", Some("rappel@example.org")).await;
    let b = printed(&desk, "Sansmail", None).await;
    let na = badge_number(&desk, a).await;
    record_activations(&desk, vec![na.clone(), badge_number(&desk, b).await])
        .await
        .unwrap();
    let until = store.find_badge(&na).await.unwrap().valid_until;

    // Ten days before the end: a reminder is due for a (b has no address).
    let ten_before = until - Days::new(10);
    let dry = run_housekeeping(
        &desk,
        HousekeepingOptions {
            today: Some(ten_before),
            dry_run: true,
        },
    )
    .await
    .unwrap();
    assert!(dry.ok() && dry.expired.is_empty() && dry.reminders.is_none());
    let due: Vec<&str> = dry
        .reminders_due
        .iter()
        .map(|b| b.badge_number.as_str())
        .collect();
    assert_eq!(due, vec![na.as_str()]);
    assert!(last_housekeeping_run(&desk).await.unwrap().is_none());

    let first = run_housekeeping(
        &desk,
        HousekeepingOptions {
            today: Some(ten_before),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert!(first.ok(), "{:?}", first.failures);
    let reminders = first.reminders.clone().unwrap();
    assert_eq!((reminders.queued, reminders.without_email), (1, 1));
    assert_eq!(reminders.notice_days, 30);
    let listed = expiring_badges(&desk, Some(3650)).await.unwrap();
    let reminded = listed.iter().find(|e| e.row.badge.number == na).unwrap();
    assert!(reminded.reminded_at.is_some());
    let second = run_housekeeping(
        &desk,
        HousekeepingOptions {
            today: Some(ten_before),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    let reminders = second.reminders.clone().unwrap();
    assert_eq!((reminders.queued, reminders.already_queued), (0, 1));
    assert!(second.reminders_due.is_empty());
    let outbox = store
        .list_outbox(&sesame_store::OutboxQuery::default())
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].recipient, "rappel@example.org");

    // The day after the end: both expire, once.
    let day_after = until + Days::new(1);
    let run = run_housekeeping(
        &desk,
        HousekeepingOptions {
            today: Some(day_after),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(run.expired.len(), 2);
    assert!(run.expired.iter().all(|b| b.status == BadgeStatus::Expired));
    assert_eq!(
        store.find_badge(&na).await.unwrap().status,
        BadgeStatus::Expired
    );
    let again = run_housekeeping(
        &desk,
        HousekeepingOptions {
            today: Some(day_after),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert!(again.expired.is_empty() && again.ok());
    let last = last_housekeeping_run(&desk).await.unwrap().unwrap();
    assert_eq!(last.run_on, day_after);
    assert_eq!(last.report["expired"].as_array().map(Vec::len), Some(0));
}
