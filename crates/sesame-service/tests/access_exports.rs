//! Exports for the access-control system through the service, on a real SQLite desk:
//! profiles started from the shipped formats write the columns those systems
//! document, photos beside the file at the profile's size, only the changes since
//! the last run when asked (the badges that stopped working included), on
//! housekeeping's schedule, and a run that fails records nothing.

use chrono::Duration;
use sesame_core::{Badge, BadgeAction, BadgeStatus, ErrorCode};
use sesame_service::{
    access_export_runs, access_export_settings, delete_access_export_profile, retention_plan,
    retention_purge, run_access_export, run_housekeeping, save_access_export_profile,
    AccessExportInput, AccessExportOutcome, AccessExportProfileId, Desk, ExportProfile,
    HousekeepingOptions, SaveAccessExportInput, PRINT_DIR_ENV,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};

/// A shipped format, as the settings offer it, with the office's changes.
async fn from_format(
    desk: &Desk,
    id: &str,
    change: impl FnOnce(&mut ExportProfile),
) -> ExportProfile {
    let settings = access_export_settings(desk).await.unwrap();
    let mut profile = settings
        .formats
        .into_iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no shipped format {id}"));
    change(&mut profile);
    let input = SaveAccessExportInput {
        profile: profile.clone(),
        replaces: None,
    };
    save_access_export_profile(desk, input).await.unwrap();
    profile
}

async fn active(desk: &TestDesk, family: &str, given: &str) -> Badge {
    let holder = holder_with_email(
        family,
        given,
        Some(&format!("{}@example.org", family.to_lowercase())),
    );
    desk.active_badge(request_for(holder)).await
}

async fn run(desk: &Desk, id: &str) -> AccessExportOutcome {
    let input = AccessExportInput {
        profile_id: id.into(),
        ..AccessExportInput::default()
    };
    run_access_export(desk, input).await.unwrap()
}

/// The file's lines, split into cells (the test data holds no delimiter or quote).
fn lines(text: &str, delimiter: char) -> Vec<Vec<String>> {
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(delimiter).map(str::to_owned).collect())
        .collect()
}

fn column<'a>(lines: &'a [Vec<String>], header: &str) -> Vec<&'a str> {
    let at = lines[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", lines[0]));
    lines[1..].iter().map(|l| l[at].as_str()).collect()
}

#[tokio::test]
async fn genetec_import_tool_profile_writes_its_fields_and_photos_beside_the_file() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let zoe = active(&desk, "Dupont", "Zoé").await;
    let an = active(&desk, "Nguyễn", "Văn An").await;
    // Printed, never activated: not for the access-control system yet.
    desk.printed(request_for(holder_with_email("Pasencore", "Léa", None)))
        .await;
    let store = desk.store().await;
    store
        .set_card_serial(zoe.id, zoe.version, Some("20508"), "alice")
        .await
        .unwrap();
    store.close().await;
    from_format(&desk, "genetec-import-tool", |p| {
        p.facility_code = "35".into()
    })
    .await;

    let outcome = run(&desk, "genetec-import-tool").await;
    assert_eq!((outcome.badges, outcome.photos), (2, 2));
    assert!(outcome.without_photo.is_empty() && outcome.since.is_none());
    let folder = desk
        .file("out")
        .join("controle-acces")
        .join("genetec-import-tool");
    assert_eq!(outcome.folder, folder.display().to_string());
    assert!(outcome.file.path.starts_with(&outcome.folder));
    let text = std::fs::read_to_string(&outcome.file.path).unwrap();
    let lines = lines(&text, ',');
    // The fields of Genetec's "Database fields supported by the Import tool" the
    // profile binds, one column each.
    assert_eq!(
        lines[0],
        [
            "Cardholder first name",
            "Cardholder last name",
            "Cardholder email",
            "Cardholder description",
            "Cardholder group",
            "Cardholder status",
            "Cardholder activation date",
            "Cardholder expiration date",
            "Picture",
            "Credential name",
            "Card format",
            "Facility code",
            "Card number",
            "Credential status",
            "Credential activation date",
            "Credential expiry date",
        ]
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(column(&lines, "Cardholder last name"), ["Dupont", "Nguyễn"]);
    assert_eq!(column(&lines, "Cardholder first name"), ["Zoé", "Văn An"]);
    assert_eq!(column(&lines, "Cardholder status"), ["Active", "Active"]);
    assert_eq!(column(&lines, "Card format"), ["Standard 26 bits"; 2]);
    assert_eq!(column(&lines, "Facility code"), ["35", "35"]);
    assert_eq!(column(&lines, "Card number"), ["20508", ""]);
    assert_eq!(
        column(&lines, "Cardholder expiration date")[0],
        zoe.valid_until.format("%Y-%m-%d").to_string()
    );
    assert_eq!(
        column(&lines, "Credential name"),
        [zoe.number.as_str(), an.number.as_str()]
    );
    // The picture: a path and file name, a JPEG at the profile's 300 × 400.
    for (picture, badge) in column(&lines, "Picture").iter().zip([&zoe, &an]) {
        let path = std::path::Path::new(picture);
        assert_eq!(path, folder.join(format!("{}.jpg", badge.number)));
        assert_eq!(image::image_dimensions(path).unwrap(), (300, 400));
    }
    desk.finish().await;
}

#[tokio::test]
async fn a_profile_of_changes_writes_what_changed_since_its_last_run_stopped_cards_included() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let first = active(&desk, "Premier", "Anne").await;
    active(&desk, "Second", "Paul").await;
    from_format(&desk, "genetec-card-sync", |p| {
        p.selection.statuses = vec![BadgeStatus::Active];
        p.selection.changes_only = true;
    })
    .await;

    // The first run has no last run: every selected badge.
    desk.clock.advance(Duration::minutes(10));
    let all = run(&desk, "genetec-card-sync").await;
    assert_eq!((all.badges, all.since), (2, None));
    let text = std::fs::read_to_string(&all.file.path).unwrap();
    let header = &lines(&text, ',')[0];
    assert_eq!(
        header,
        &[
            "UniqueId",
            "FirstName",
            "LastName",
            "EmailAddress",
            "Picture",
            "State",
            "ActivationDateInUtc",
            "ExpirationDateInUtc"
        ]
    );
    // The badges changed more than the overlap (5 minutes) before the last run: none.
    desk.clock.advance(Duration::minutes(5));
    let nothing = run(&desk, "genetec-card-sync").await;
    assert_eq!(nothing.badges, 0);
    let runs = access_export_runs(
        &desk,
        AccessExportProfileId {
            id: "genetec-card-sync".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        nothing.since,
        Some(runs[1].started_at - Duration::minutes(5))
    );

    // A card declared lost: the access-control system must learn it, though the
    // profile selects active badges.
    desk.clock.advance(Duration::minutes(5));
    let store = desk.store().await;
    let opposed = store
        .badge_transition(
            first.id,
            first.version,
            BadgeAction::Oppose {
                cause: sesame_core::ReplacementCause::Lost,
            },
            "alice",
            Some("lost in the car park"),
        )
        .await
        .unwrap();
    store.close().await;
    desk.clock.advance(Duration::minutes(5));
    let changed = run(&desk, "genetec-card-sync").await;
    assert_eq!(changed.badges, 1);
    let text = std::fs::read_to_string(&changed.file.path).unwrap();
    let lines = lines(&text, ',');
    assert_eq!(column(&lines, "LastName"), ["Premier"]);
    assert_eq!(column(&lines, "State"), ["Inactive"]);
    assert_eq!(
        column(&lines, "UniqueId"),
        [opposed.holder_id.to_string().as_str()]
    );
    assert_eq!(
        column(&lines, "ExpirationDateInUtc"),
        [opposed
            .valid_until
            .format("%Y-%m-%dT23:59:59Z")
            .to_string()
            .as_str()]
    );

    // Asked for everything: the selection whole (the opposed card is not active).
    let input = AccessExportInput {
        profile_id: "genetec-card-sync".into(),
        everything: true,
        ..AccessExportInput::default()
    };
    let everything = run_access_export(&desk, input).await.unwrap();
    assert_eq!((everything.badges, everything.since), (1, None));
    let runs = access_export_runs(
        &desk,
        AccessExportProfileId {
            id: "genetec-card-sync".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(runs.len(), 4);
    assert_eq!(runs[0].file, everything.file.path);
    let operator = desk.operator().unwrap();
    assert!(runs.iter().all(|r| r.operator == operator && !r.scheduled));
    desk.finish().await;
}

#[tokio::test]
async fn kantech_pattern_is_windows_1252_without_a_header_and_names_what_lost_an_accent() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let zoe = active(&desk, "Dupont", "Zoé").await;
    active(&desk, "Nguyễn", "Văn An").await;
    from_format(&desk, "kantech-entrapass", |_| {}).await;
    let outcome = run(&desk, "kantech-entrapass").await;
    assert_eq!((outcome.badges, outcome.folded_lines), (2, 1));
    let bytes = std::fs::read(&outcome.file.path).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let text: String = bytes.iter().map(|&b| char::from(b)).collect(); // Latin-1 view
    let lines = lines(&text, ',');
    assert_eq!(lines.len(), 2, "no header line: {text}");
    assert_eq!(lines[0][0], "+");
    assert_eq!(lines[0][2], "Zoé Dupont", "é is byte 0xE9 in Windows-1252");
    assert_eq!(lines[1][2], "Van An Nguyen");
    assert_eq!(lines[0][3], "0", "0: a valid card");
    assert_eq!(lines[0][5], zoe.valid_until.format("%Y/%m/%d").to_string());
    desk.finish().await;
}

#[tokio::test]
async fn exported_files_and_photos_go_with_the_output_retention() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let old = active(&desk, "Ancien", "Paul").await;
    from_format(&desk, "genetec-import-tool", |_| {}).await;
    let first = run(&desk, "genetec-import-tool").await;
    let folder = std::path::PathBuf::from(&first.folder);
    let old_photo = folder.join(format!("{}.jpg", old.number));
    // Written long ago: past the office's 30 days for the files the desk writes.
    let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(946_684_800);
    for path in [std::path::Path::new(&first.file.path), &old_photo] {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(long_ago).unwrap();
    }
    let foreign = folder.join("notes de l'installateur.txt");
    std::fs::write(&foreign, b"not the desk's").unwrap();
    let recent = active(&desk, "Recent", "Anne").await;
    let input = AccessExportInput {
        profile_id: "genetec-import-tool".into(),
        everything: false,
        folder: None,
    };
    let second = run_access_export(&desk, input).await.unwrap();
    let recent_photo = folder.join(format!("{}.jpg", recent.number));
    // The second run rewrote Paul's photo too (every badge): age it again.
    let file = std::fs::File::options()
        .write(true)
        .open(&old_photo)
        .unwrap();
    file.set_modified(long_ago).unwrap();

    let plan = retention_plan(&desk).await.unwrap();
    assert_eq!(plan.output_files.files, 2, "{:?}", plan.output_files);
    let report = retention_purge(&desk).await.unwrap();
    assert_eq!(report.output_files.files, 2);
    assert!(!std::path::Path::new(&first.file.path).exists());
    assert!(!old_photo.exists());
    assert!(std::path::Path::new(&second.file.path).exists());
    assert!(recent_photo.exists() && foreign.exists());
    desk.finish().await;
}

#[tokio::test]
async fn housekeeping_runs_the_profiles_due_and_a_failed_run_records_nothing() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    active(&desk, "Planifie", "Jean").await;
    from_format(&desk, "sesame", |p| {
        p.every_days = Some(7);
        p.selection.changes_only = true;
    })
    .await;
    let today = desk.clock.today();
    let real = HousekeepingOptions { dry_run: false };

    let dry = run_housekeeping(&desk, HousekeepingOptions { dry_run: true })
        .await
        .unwrap();
    assert_eq!(dry.exports_due, ["sesame"]);
    assert!(dry.exports.is_empty());
    let first = run_housekeeping(&desk, real.clone()).await.unwrap();
    assert!(first.ok(), "{:?}", first.failures);
    assert_eq!(first.exports.len(), 1);
    assert_eq!(first.exports[0].badges, 1);
    let again = run_housekeeping(&desk, real.clone()).await.unwrap();
    assert!(again.exports.is_empty(), "ran today: due again in 7 days");
    let six_days = desk.desk_on(today + chrono::Days::new(6)).await;
    assert!(run_housekeeping(&six_days, real.clone())
        .await
        .unwrap()
        .exports
        .is_empty());

    // A week later, the folder cannot be written: the step fails, naming the
    // profile, and no run is recorded, so the next run still starts from the first.
    let week = desk.desk_on(today + chrono::Days::new(7)).await;
    std::fs::write(desk.file("blocked"), b"a file, not a folder").unwrap();
    std::env::set_var(PRINT_DIR_ENV, desk.file("blocked"));
    let failed = run_housekeeping(&week, real.clone()).await.unwrap();
    let export_failure = failed.failures.iter().find(|f| f.step == "exports");
    let export_failure = export_failure.expect("the exports step failed");
    assert_eq!(export_failure.profile.as_deref(), Some("sesame"));
    assert_eq!(export_failure.error.code, "print.folder_unwritable");
    let runs = access_export_runs(
        &desk,
        AccessExportProfileId {
            id: "sesame".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(runs.len(), 1);
    assert!(runs[0].scheduled);
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let retried = run_housekeeping(&week, real).await.unwrap();
    assert!(retried.ok(), "{:?}", retried.failures);
    assert_eq!(
        retried.exports[0].since,
        Some(runs[0].started_at - Duration::minutes(5))
    );
    desk.finish().await;
}

#[tokio::test]
async fn profiles_are_a_supervisors_and_each_problem_is_named() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(PRINT_DIR_ENV, desk.file("out"));
    let profile = from_format(&desk, "sesame", |_| {}).await;
    let save = |profile: ExportProfile, replaces: Option<&str>| SaveAccessExportInput {
        profile,
        replaces: replaces.map(str::to_owned),
    };
    let code = |e: sesame_service::ServiceError| e.code();

    let clerk = desk.another_desk("bob").await;
    let refused = save_access_export_profile(&clerk, save(profile.clone(), Some("sesame")))
        .await
        .unwrap_err();
    assert_eq!(code(refused), "operator.supervisor_required");
    // A clerk runs the office's exports, as they export badges.
    assert_eq!(run(&clerk, "sesame").await.badges, 0);

    let mut bad = profile.clone();
    bad.id = "Mon profil".into();
    let err = save_access_export_profile(&desk, save(bad, None))
        .await
        .unwrap_err();
    assert_eq!(code(err), "access_export.bad_id");
    let mut bad = profile.clone();
    bad.file.delimiter = '"';
    let err = save_access_export_profile(&desk, save(bad, Some("sesame")))
        .await
        .unwrap_err();
    assert_eq!(code(err), "access_export.bad_delimiter");
    let err = save_access_export_profile(&desk, save(profile.clone(), None))
        .await
        .unwrap_err();
    assert_eq!(code(err), "access_export.id_taken");
    let input = AccessExportInput {
        profile_id: "nowhere".into(),
        ..AccessExportInput::default()
    };
    let err = run_access_export(&desk, input).await.unwrap_err();
    assert_eq!(code(err), "access_export.unknown_profile");

    // Renamed: the same profile under its new id; then removed.
    let mut renamed = profile.clone();
    renamed.id = "controle-acces".into();
    renamed.name = "  Contrôle d'accès  ".into();
    let settings = save_access_export_profile(&desk, save(renamed, Some("sesame")))
        .await
        .unwrap();
    let ids: Vec<_> = settings
        .profiles
        .iter()
        .map(|p| p.profile.id.as_str())
        .collect();
    assert_eq!(ids, ["controle-acces"]);
    assert_eq!(settings.profiles[0].profile.name, "Contrôle d'accès");
    let settings = delete_access_export_profile(
        &desk,
        AccessExportProfileId {
            id: "controle-acces".into(),
        },
    )
    .await
    .unwrap();
    assert!(settings.profiles.is_empty());
    clerk.close().await;
    desk.finish().await;
}
