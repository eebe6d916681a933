//! `sesamectl directory` against a real slapd: settings saved from a file with the
//! password from a file, the directory tested and searched, a holder the
//! directory does not know listed as a leaver and their badge deactivated.

use sesame_test_support::cli::Sesamectl;
use sesame_test_support::fixtures::active_badge;
use sesame_test_support::ldap_server::{LdapServer, PEOPLE, SERVICE_PASSWORD};

#[tokio::test]
async fn the_directory_is_set_up_searched_and_its_leavers_deactivated() {
    let server = LdapServer::start();
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    let badge = active_badge(&store, "Parti", &[], "alice").await;
    store.close().await;

    let file = site.file("directory.json");
    std::fs::write(&file, serde_json::to_string(&server.settings()).unwrap()).unwrap();
    let secret = site.file("directory-password");
    std::fs::write(&secret, format!("{SERVICE_PASSWORD}\n")).unwrap();
    let configured = site.run(&[
        "directory",
        "configure",
        "--file",
        file.to_str().unwrap(),
        "--password-file",
        secret.to_str().unwrap(),
    ]);
    configured.assert_success();
    assert!(configured.stdout().contains("password on this desk: yes"));

    let test = site.run(&["directory", "test"]);
    test.assert_success();
    assert!(
        test.stdout()
            .contains(&format!("{PEOPLE} people, {} disabled", PEOPLE / 50)),
        "{}",
        test.stdout()
    );
    let found = site.run(&["directory", "search", "dupont marie"]);
    found.assert_success();
    assert!(
        found
            .stdout()
            .contains("mdupont\tMarie Dupont\tmarie.dupont@univ.example\tPhysique\tstaff"),
        "{}",
        found.stdout()
    );

    let leavers = site.run(&["directory", "leavers"]);
    leavers.assert_success();
    assert!(
        leavers.stdout().contains(&format!("{}\t", badge.number)),
        "{}",
        leavers.stdout()
    );
    assert!(leavers.stdout().contains("gone from the directory"));
    let no_reason = site.run(&[
        "directory",
        "deactivate-leavers",
        &badge.number,
        "--reason",
        " ",
    ]);
    no_reason.assert_exit(2);
    assert!(no_reason.stderr().contains("lifecycle.reason_required"));
    let done = site.run(&[
        "directory",
        "deactivate-leavers",
        &badge.number,
        "--reason",
        "a quitté l'université",
    ]);
    done.assert_success();
    assert!(done
        .stdout()
        .contains(&format!("deactivated {}", badge.number)));
    let again = site.run(&[
        "directory",
        "deactivate-leavers",
        &badge.number,
        "--reason",
        "x",
    ]);
    again.assert_exit(1);
    assert!(
        again.stdout().contains("directory.not_a_leaver"),
        "{}",
        again.stdout()
    );

    drop(server);
    let down = site.run(&["directory", "test"]);
    down.assert_exit(2);
    assert!(
        down.stderr().contains("directory.unreachable"),
        "{}",
        down.stderr()
    );
}
