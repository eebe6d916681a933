//! The access-control system's usage log and the inactivity list, on a real SQLite
//! desk: the log (Windows-1252, `;`) moves each badge's last passage, and the badges
//! unused for long are deactivated after review, with a reason.

use sesame_core::{BadgeStatus, ErrorCode};
use sesame_service::{
    deactivate_unused_badges, import_usage_log, inactive_badges, record_activations, BadgeRef,
    CsvImportInput, DeactivateUnusedInput,
};
use sesame_test_support::day;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::new_request;

/// Windows-1252 bytes of a text in Latin-1 (as an access-control export would write `°`).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 character"))
        .collect()
}

fn deactivation(badges: Vec<BadgeRef>, reason: &str) -> DeactivateUnusedInput {
    DeactivateUnusedInput {
        badges,
        reason: reason.into(),
        ..DeactivateUnusedInput::default()
    }
}

#[tokio::test]
async fn usage_log_and_reviewed_deactivation() {
    let desk = TestDesk::sqlite().await;
    let printed = desk.printed(new_request("Durand", "Zoé")).await;
    let na = printed.badge.unwrap().number;
    record_activations(&desk, vec![na.clone()]).await.unwrap();

    // Last seen at a door more than a year ago.
    let seen = day(-400).format("%d/%m/%Y");
    let log = format!(
        "N° de badge;Date;Heure;Porte\r\n{na};{seen};08:15;Hall\r\nX1;{seen};08:20;Hall\r\n"
    );
    let report = import_usage_log(
        &desk,
        CsvImportInput {
            content: latin1(&log).into(),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!((report.accepted, report.badges_updated), (1, 1));
    assert_eq!(report.refused[0].code, "usage.unknown_badge");

    // unused for over a year: on the list
    let list = inactive_badges(&desk, None).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].last_door.as_deref(), Some("Hall"));
    let err = deactivate_unused_badges(&desk, deactivation(vec![], "unused"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "lifecycle.nothing_selected");
    let selection = vec![BadgeRef {
        id: list[0].row.badge.id,
        version: list[0].row.badge.version,
    }];
    let err = deactivate_unused_badges(&desk, deactivation(selection.clone(), " "))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "lifecycle.reason_required");
    let outcome = deactivate_unused_badges(&desk, deactivation(selection, "not used for a year"))
        .await
        .unwrap();
    assert_eq!(outcome.changed.len(), 1);
    assert_eq!(outcome.changed[0].badge.status, BadgeStatus::Deactivated);
    assert!(inactive_badges(&desk, None).await.unwrap().is_empty());
}
