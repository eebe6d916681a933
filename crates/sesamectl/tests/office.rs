//! `sesamectl office`: an administrator names the office and gives its logo from the
//! command line; a folder the machine's administrator fixed is not chosen over.

use sesame_test_support::cli::Sesamectl;

#[test]
fn office_show_and_set_from_the_command_line() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let shown = site.run(&["office", "show"]);
    shown.assert_success();
    assert!(shown.text().contains("(none"), "{}", shown.text());

    let logo = site.file("logo.png");
    std::fs::write(
        &logo,
        include_bytes!("../../sesame-print/templates/logo.png"),
    )
    .unwrap();
    let set = site.run(&[
        "office",
        "set",
        "--name",
        "Service des cartes — Campus Nord",
        "--logo",
        logo.to_str().unwrap(),
    ]);
    set.assert_success();
    let json = site.run(&["office", "show", "--json"]);
    json.assert_success();
    let office = json.json();
    assert_eq!(office["name"], "Service des cartes — Campus Nord");
    assert!(office["logoBase64"].is_string());
    // The tests' desks write to the folder SESAME_PRINT_DIR fixes.
    assert_eq!(office["outputFolder"]["fixed"], true);

    // A name alone keeps the logo; a folder over the fixed one is refused by its code.
    site.run(&["office", "set", "--name", "Service des cartes"])
        .assert_success();
    assert!(site.run(&["office", "show", "--json"]).json()["logoBase64"].is_string());
    let refused = site.run(&["office", "set", "--folder", "/srv/badges"]);
    refused.assert_exit(2);
    assert!(
        refused.text().contains("office.output_folder_fixed"),
        "{}",
        refused.text()
    );
    let not_a_logo = site.run(&[
        "office",
        "set",
        "--logo",
        site.file("none.png").to_str().unwrap(),
    ]);
    not_a_logo.assert_exit(2);
}
