//! `sesamectl` and the access-control system's side: the card on a real pcscd's
//! virtual reader bound to a badge, found again, refused for a second live badge and
//! taken off; a loan card lent, listed and returned; an export profile started from
//! Genetec's format, saved and run.

use sesame_test_support::card_reader::{VirtualReaders, READER_A};
use sesame_test_support::cli::Sesamectl;
use sesame_test_support::fixtures::active_badge;

#[tokio::test]
async fn a_card_is_bound_found_refused_for_another_badge_and_taken_off() {
    let pcsc = VirtualReaders::start();
    let socket = pcsc.socket();
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice")
        .env("PCSCLITE_CSOCK_NAME", socket.to_str().unwrap());
    let store = site.store().await;
    let first = active_badge(&store, "Premier", &[], "alice").await;
    let second = active_badge(&store, "Second", &[], "alice").await;
    store.close().await;

    let readers = site.run(&["card", "readers"]);
    readers.assert_success();
    assert!(
        readers.stdout().contains(&format!("{READER_A}\tno card")),
        "{}",
        readers.stdout()
    );
    let _card = pcsc.lay_card(READER_A, "04A224B2C35E80");
    let bound = site.run(&["card", "bind", &first.number]);
    bound.assert_success();
    assert_eq!(
        bound.stdout().trim(),
        format!(
            "card 04A224B2C35E80 bound to badge {} (read on {READER_A})",
            first.number
        )
    );
    let identified = site.run(&["card", "identify"]);
    identified.assert_success();
    assert!(
        identified
            .stdout()
            .contains(&format!("badge {} (active) of Zoé Premier", first.number)),
        "{}",
        identified.stdout()
    );

    // The same card for a second live badge, typed: refused with its code.
    let refused = site.run(&[
        "card",
        "bind",
        &second.number,
        "--uid",
        "04:a2:24:b2:c3:5e:80",
    ]);
    assert!(!refused.success());
    assert!(
        refused.stderr().contains("badge.card_serial_taken"),
        "{}",
        refused.stderr()
    );
    let unbound = site.run(&["card", "unbind", &first.number]);
    unbound.assert_success();
    let rebound = site.run(&[
        "card",
        "bind",
        &second.number,
        "--uid",
        "04:a2:24:b2:c3:5e:80",
    ]);
    rebound.assert_success();
    assert!(
        rebound.stdout().contains(&second.number),
        "{}",
        rebound.stdout()
    );
}

#[tokio::test]
async fn a_profile_from_genetecs_format_is_saved_and_run() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    let badge = active_badge(&store, "Export", &[], "alice").await;
    store.close().await;

    let listed = site.run(&["access-export", "list"]);
    listed.assert_success();
    let shown = site.run(&["access-export", "show", "genetec-import-tool"]);
    shown.assert_success();
    let mut profile: serde_json::Value = serde_json::from_str(&shown.stdout()).unwrap();
    profile["id"] = "portes-siege".into();
    profile["name"] = "Portes du siège".into();
    profile["facilityCode"] = "35".into();
    let file = site.file("profil.json");
    std::fs::write(&file, profile.to_string()).unwrap();
    site.run(&["access-export", "save", file.to_str().unwrap()])
        .assert_success();

    let folder = site.file("export");
    let run = site.run(&[
        "access-export",
        "run",
        "portes-siege",
        "--folder",
        folder.to_str().unwrap(),
    ]);
    run.assert_success();
    let csv: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert_eq!(csv.len(), 1, "{}", run.stdout());
    let text = std::fs::read_to_string(&csv[0]).unwrap();
    assert!(text.starts_with("Cardholder first name,"), "{text}");
    assert!(
        text.contains(&badge.number) && text.contains(",35,"),
        "{text}"
    );
    let runs = site.run(&["access-export", "runs", "portes-siege"]);
    runs.assert_success();
    let lines: Vec<String> = runs.stdout().lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("1 badges") && lines[0].contains(csv[0].to_str().unwrap()),
        "{lines:?}"
    );

    // A profile that cannot be used is refused with its code, nothing saved.
    profile["columns"] = serde_json::json!([]);
    std::fs::write(&file, profile.to_string()).unwrap();
    let refused = site.run(&["access-export", "save", file.to_str().unwrap()]);
    assert!(
        refused.stderr().contains("access_export.no_columns"),
        "{}",
        refused.stderr()
    );
}

#[tokio::test]
async fn a_loan_card_is_lent_listed_and_returned() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    let mut policy = store.policy().await.unwrap();
    for category in &mut policy.categories {
        category.temporary_badge_days = 3;
    }
    store.set_policy(&policy, "alice").await.unwrap();
    let badge = active_badge(&store, "Oubli", &[], "alice").await;
    store.close().await;

    let too_long = site.run(&[
        "loan",
        "lend",
        &badge.number,
        "--reason",
        "oubli",
        "--days",
        "4",
    ]);
    assert!(
        too_long.stderr().contains("loan.bad_days"),
        "{}",
        too_long.stderr()
    );
    let lent = site.run(&[
        "loan",
        "lend",
        &badge.number,
        "--reason",
        "oubli",
        "--days",
        "2",
        "--uid",
        "0a0b0c0d",
    ]);
    lent.assert_success();
    let out = lent.stdout();
    assert!(
        out.contains(", card 0A0B0C0D;")
            && out.contains(&format!("badge {} suspended", badge.number)),
        "{out}"
    );
    let loan_number = out
        .strip_prefix("loan card ")
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the loan card's number")
        .to_owned();
    let listed = site.run(&["loan", "list"]);
    listed.assert_success();
    assert!(
        listed.stdout().contains(&loan_number) && listed.stdout().contains("(oubli)"),
        "{}",
        listed.stdout()
    );
    let back = site.run(&["loan", "return", &loan_number]);
    back.assert_success();
    assert_eq!(
        back.stdout().trim(),
        format!(
            "loan card {loan_number} returned; badge {} is active",
            badge.number
        )
    );
    assert!(site.run(&["loan", "list"]).stdout().trim().is_empty());
}
