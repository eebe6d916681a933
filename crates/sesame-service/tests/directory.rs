//! The office's directory through the service, against a real slapd seeded with
//! several hundred people: settings with the password in the keyring, the intake
//! search, the photo it holds (still checked), holders synced, leavers listed and
//! deactivated after review, housekeeping's sync, and the failures named.

use sesame_core::{BadgeStatus, ErrorCode, HolderDetails};
use sesame_service::{
    check_directory_photo, deactivate_leavers, directory_available, directory_leavers,
    directory_settings, run_housekeeping, save_directory_settings, search_directory,
    sync_from_directory, test_directory, BadgeRef, DeactivateLeaversInput, DirectorySettings,
    HousekeepingOptions, LeaverCause, SaveDirectorySettingsInput,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};
use sesame_test_support::ldap_server::{self, LdapServer, PEOPLE, SERVICE_PASSWORD};
use sesame_test_support::portraits::acceptable_portrait_jpeg;

async fn desk_with_directory(settings: DirectorySettings) -> TestDesk {
    let desk = TestDesk::sqlite().await;
    save_directory_settings(
        &desk,
        SaveDirectorySettingsInput {
            settings,
            password: Some(SERVICE_PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    desk
}

/// A staff holder as the desk once typed them from the directory's person `i`.
fn staff_holder(i: usize, family: &str) -> HolderDetails {
    let person = ldap_server::person(i);
    HolderDetails {
        external_id: Some(person.employee_number),
        ..holder_with_email(
            family,
            &person.given_names,
            Some("old.address@univ.example"),
        )
    }
}

#[tokio::test]
async fn settings_keep_the_password_in_the_keyring_and_the_directory_answers() {
    let server = LdapServer::start();
    let desk = desk_with_directory(server.settings()).await;
    let setup = directory_settings(&desk).await.unwrap();
    assert!(setup.password_stored, "{:?}", setup.keyring_problem);
    assert!(directory_available(&desk).await.unwrap());
    let stored = desk
        .store()
        .await
        .setting("directory")
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.to_string().contains(SERVICE_PASSWORD));

    let test = test_directory(&desk).await.unwrap();
    assert_eq!(test.people, PEOPLE as u64);
    assert_eq!(test.disabled, (PEOPLE / 50) as u64);
    let contractors = test
        .by_category
        .iter()
        .find(|c| c.category == "contractor")
        .unwrap();
    assert_eq!(contractors.people, (PEOPLE / 10) as u64);

    let found = search_directory(&desk, "dupont mar".into()).await.unwrap();
    let marie = found
        .iter()
        .find(|p| p.login.as_deref() == Some("mdupont"))
        .unwrap();
    assert_eq!(marie.category.as_deref(), Some("staff"));
    assert!(search_directory(&desk, "d".into())
        .await
        .unwrap()
        .is_empty());

    // A bad setting is refused and the saved ones are kept.
    let mut wrong = server.settings();
    wrong.person_filter = "objectClass=person".into();
    let refused = save_directory_settings(
        &desk,
        SaveDirectorySettingsInput {
            settings: wrong,
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "directory.bad_settings");
    assert_eq!(
        directory_settings(&desk).await.unwrap().settings,
        server.settings().normalised()
    );
    desk.finish().await;
}

#[tokio::test]
async fn the_directorys_photo_is_checked_like_an_imported_one() {
    let server = LdapServer::start();
    let desk = desk_with_directory(server.settings()).await;
    let marie = ldap_server::person(0);
    server.set_photo(&marie, &acceptable_portrait_jpeg());
    let id = desk
        .registered(request_for(staff_holder(0, "Dupont")))
        .await;
    let outcome = check_directory_photo(&desk, id).await.unwrap();
    assert!(
        !outcome.report.is_refused(),
        "{:?}",
        outcome.report.failures()
    );
    assert!(outcome.cropped_jpeg_base64.is_some());

    let without = desk
        .registered(request_for(staff_holder(1, "Martin")))
        .await;
    let error = check_directory_photo(&desk, without).await.unwrap_err();
    assert_eq!(error.code(), "directory.no_photo");
    let stranger = desk
        .registered(request_for(holder_with_email("Inconnu", "Jo", None)))
        .await;
    let error = check_directory_photo(&desk, stranger).await.unwrap_err();
    assert_eq!(error.code(), "directory.person_gone");
    desk.finish().await;
}

#[tokio::test]
async fn holders_are_synced_and_leavers_deactivated_after_review() {
    let server = LdapServer::start();
    let mut settings = server.settings();
    settings.sync_in_housekeeping = true;
    let desk = desk_with_directory(settings).await;
    // Marie, typed with an old name and address; someone who will leave; a locked
    // account; a staff holder the directory never knew.
    let marie = desk
        .active_badge(request_for(staff_holder(0, "Dupond")))
        .await;
    let leaving = ldap_server::person(5);
    let gone = desk
        .active_badge(request_for(staff_holder(5, &leaving.family_name)))
        .await;
    let locked = desk
        .active_badge(request_for(staff_holder(
            49,
            &ldap_server::person(49).family_name,
        )))
        .await;
    let unknown = desk
        .active_badge(request_for(holder_with_email(
            "Inconnu",
            "Jo",
            Some("jo.inconnu@example.fr"),
        )))
        .await;
    server.remove(&leaving);

    let preview = sync_from_directory(&desk, true).await.unwrap();
    assert!(preview.dry_run);
    assert_eq!(preview.updated.len(), 1, "{preview:?}");
    let store = desk.store().await;
    assert_eq!(
        store
            .get_holder(marie.holder_id)
            .await
            .unwrap()
            .details
            .family_name,
        "Dupond"
    );

    let synced = sync_from_directory(&desk, false).await.unwrap();
    assert_eq!(synced.updated.len(), 1, "{synced:?}");
    assert_eq!(synced.updated[0].name, "Marie Dupont");
    assert_eq!(synced.updated[0].fields, ["familyName", "email", "unit"]);
    assert_eq!(synced.leavers, 3);
    let holder = store.get_holder(marie.holder_id).await.unwrap();
    assert_eq!(holder.details.family_name, "Dupont");
    assert_eq!(
        holder.details.email.as_deref(),
        Some("marie.dupont@univ.example")
    );
    assert_eq!(holder.details.unit.as_deref(), Some("Physique"));

    let leavers = directory_leavers(&desk).await.unwrap();
    let causes: Vec<(String, LeaverCause)> = leavers
        .iter()
        .map(|l| (l.row.badge.number.clone(), l.cause))
        .collect();
    assert_eq!(causes.len(), 3, "{causes:?}");
    assert!(causes.contains(&(gone.number.clone(), LeaverCause::Gone)));
    assert!(causes.contains(&(locked.number.clone(), LeaverCause::Disabled)));
    assert!(causes.contains(&(unknown.number.clone(), LeaverCause::Gone)));

    // Marie is not a leaver: left alone and named. A reason is required.
    let missing_reason = deactivate_leavers(
        &desk,
        DeactivateLeaversInput {
            badges: vec![BadgeRef {
                id: gone.id,
                version: gone.version,
            }],
            badge_numbers: vec![],
            reason: " ".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(missing_reason.code(), "lifecycle.reason_required");
    let outcome = deactivate_leavers(
        &desk,
        DeactivateLeaversInput {
            badges: vec![
                BadgeRef {
                    id: gone.id,
                    version: gone.version,
                },
                BadgeRef {
                    id: marie.id,
                    version: marie.version,
                },
            ],
            badge_numbers: vec![locked.number.clone()],
            reason: "départ (annuaire)".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.changed.len(), 2, "{outcome:?}");
    assert_eq!(outcome.skipped.len(), 1);
    assert_eq!(outcome.skipped[0].code, "directory.not_a_leaver");
    assert_eq!(
        outcome.skipped[0].badge_number.as_deref(),
        Some(marie.number.as_str())
    );
    for badge in [&gone, &locked] {
        let after = store.get_badge(badge.id).await.unwrap();
        assert_eq!(after.status, BadgeStatus::Deactivated);
        assert_eq!(after.status_reason.as_deref(), Some("départ (annuaire)"));
    }
    assert_eq!(
        store.get_badge(marie.id).await.unwrap().status,
        BadgeStatus::Active
    );

    // Housekeeping syncs too; with the directory down, it says so and goes on.
    server.set(&ldap_server::person(0), "ou", "Chimie");
    let report = run_housekeeping(&desk, HousekeepingOptions::default())
        .await
        .unwrap();
    let directory = report.directory.expect("synced in housekeeping");
    assert_eq!(directory.updated[0].fields, ["unit"]);
    assert_eq!(directory.leavers, 1);
    drop(server);
    let report = run_housekeeping(&desk, HousekeepingOptions::default())
        .await
        .unwrap();
    assert!(report.directory.is_none());
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    assert_eq!(report.failures[0].step, "directory");
    assert_eq!(report.failures[0].error.code, "directory.unreachable");
    store.close().await;
    desk.finish().await;
}

#[tokio::test]
async fn a_wrong_password_or_a_missing_one_is_named_and_nothing_is_lost() {
    let mut server = LdapServer::start();
    let desk = TestDesk::sqlite().await;
    let error = search_directory(&desk, "marie".into()).await.unwrap_err();
    assert_eq!(error.code(), "directory.not_configured");
    save_directory_settings(
        &desk,
        SaveDirectorySettingsInput {
            settings: server.settings(),
            password: None,
        },
    )
    .await
    .unwrap();
    let error = search_directory(&desk, "marie".into()).await.unwrap_err();
    assert_eq!(error.code(), "directory.password_missing");
    save_directory_settings(
        &desk,
        SaveDirectorySettingsInput {
            settings: server.settings(),
            password: Some("wrong".into()),
        },
    )
    .await
    .unwrap();
    let error = test_directory(&desk).await.unwrap_err();
    assert_eq!(error.code(), "directory.bad_credentials");
    let mut untrusted = server.ldaps_settings();
    untrusted.ca_certificate = None;
    save_directory_settings(
        &desk,
        SaveDirectorySettingsInput {
            settings: untrusted,
            password: Some(SERVICE_PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    let error = test_directory(&desk).await.unwrap_err();
    assert_eq!(error.code(), "directory.certificate_refused");
    server.stop();
    let error = directory_leavers(&desk).await.unwrap_err();
    assert_eq!(error.code(), "directory.unreachable");
    assert!(directory_settings(&desk).await.unwrap().password_stored);
    desk.finish().await;
}
