//! `sesamectl purge` and `sesamectl holder export|erase`, run as the real binary on a
//! real Secret Service, and what the binary says when the keyring cannot be reached.

use sesame_core::{AttachmentKind, RequestAction};
use sesame_test_support::cli::{CliRun, Sesamectl};
use sesame_test_support::day;
use sesame_test_support::fixtures::{jpeg_with, new_request};

fn site() -> Sesamectl {
    Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "supervisor")
}

/// Two holders registered by a clerk below the desk, sealed with the binary's key:
/// one with a photo and an open request, one whose request was refused. Returns the
/// first's holder id and the refused request's id.
async fn seed(site: &Sesamectl) -> (String, String) {
    let store = site.store().await;
    let kept = store
        .create_request(new_request("Lovelace", "Ada"), "clerk")
        .await
        .unwrap();
    store
        .put_attachment(
            kept.request.id,
            AttachmentKind::Photo,
            &jpeg_with(b"portrait of Ada Lovelace "),
            "clerk",
        )
        .await
        .unwrap();
    let refused = store
        .create_request(new_request("Byron", "Ada"), "clerk")
        .await
        .unwrap();
    store
        .transition(
            refused.request.id,
            refused.request.version,
            RequestAction::Refuse,
            "clerk",
            Some("no sponsor"),
        )
        .await
        .unwrap();
    store.close().await;
    (kept.holder.id.to_string(), refused.request.id.to_string())
}

fn zip_files(site: &Sesamectl) -> Vec<std::path::PathBuf> {
    site.output_files()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_and_holder_rights_from_the_command_line() {
    let site = site();
    let (holder_id, refused_id) = seed(&site).await;

    // The binary's operator is the first to open the queue: its supervisor.
    let export = site.run(&["holder", "export", &holder_id, "--json"]);
    export.assert_success();
    assert_eq!(export.json()["files"], 1);
    assert_eq!(zip_files(&site).len(), 1);

    // The dry run lists the refused request 91 days on, and changes nothing.
    let later = day(91);
    let plan = site.run_on(later, &["purge", "--dry-run", "--json"]);
    plan.assert_success();
    let plan = plan.json();
    assert_eq!(plan["closedRequests"][0]["requestId"], refused_id);
    let again = site.run_on(later, &["purge", "--dry-run", "--json"]).json();
    assert_eq!(again, plan);

    let purge = site.run_on(later, &["purge"]);
    purge.assert_success();
    assert!(
        purge.stdout().contains("1 closed requests"),
        "{}",
        purge.stdout()
    );

    let erase = site.run(&[
        "holder",
        "erase",
        &holder_id,
        "--reason",
        "letter of 2026-11-20",
    ]);
    erase.assert_success();
    let twice = site.run(&["holder", "erase", &holder_id, "--reason", "again"]);
    twice.assert_exit(2);
    assert!(
        twice.stderr().contains("error[holder.already_anonymised]"),
        "{}",
        twice.stderr()
    );
    let bad = site.run(&["holder", "export", "not-an-id"]);
    assert!(
        bad.stderr().contains("error[request.bad_id]"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn an_unreachable_keyring_is_a_clear_error_and_changes_nothing() {
    let site = site();
    let out = CliRun::of(site.command(&["purge", "--dry-run"]).env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/sesame-bus",
    ));
    out.assert_exit(2);
    assert!(
        out.stderr().contains("error[vault.keyring_unavailable]"),
        "{}",
        out.stderr()
    );
}
