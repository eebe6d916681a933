//! `sesamectl templates`: an administrator exports a template, edits it, imports it
//! back (checked first), lists the versions and puts an older one back.

use sesame_test_support::cli::Sesamectl;

#[test]
fn templates_travel_as_files_and_versions_can_be_put_back() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let listed = site.run(&["templates", "list"]);
    listed.assert_success();
    assert!(
        listed.text().contains("the built-in templates"),
        "{}",
        listed.text()
    );

    let exported = site.file("staff.toml");
    site.run(&[
        "templates",
        "export",
        "staff.toml",
        "--out",
        exported.to_str().unwrap(),
    ])
    .assert_success();
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("category = \"staff\""), "{text}");

    std::fs::write(&exported, text.replace("#1F5FAD", "#6C3483")).unwrap();
    site.run(&["templates", "import", exported.to_str().unwrap()])
        .assert_success();
    let broken = site.file("broken.toml");
    std::fs::write(&broken, text.replace("width = 85.6", "width = 185.6")).unwrap();
    let refused = site.run(&["templates", "import", broken.to_str().unwrap()]);
    refused.assert_exit(2);
    assert!(
        refused.text().contains("print.template_invalid"),
        "{}",
        refused.text()
    );

    site.run(&["templates", "builtin"]).assert_success();
    let versions = site.run(&["templates", "versions", "--json"]).json();
    let numbers: Vec<i64> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1], "the refused import saved nothing");

    site.run(&["templates", "restore", "1"]).assert_success();
    let list = site.run(&["templates", "list", "--json"]).json();
    assert_eq!(list["version"], 3);
    assert_eq!(list["officeTemplates"], true);
    let again = site.file("again.toml");
    site.run(&[
        "templates",
        "export",
        "staff.toml",
        "--out",
        again.to_str().unwrap(),
    ])
    .assert_success();
    assert!(std::fs::read_to_string(&again).unwrap().contains("#6C3483"));

    let picture = site.file("Car Park.png");
    std::fs::write(
        &picture,
        include_bytes!("../../sesame-print/templates/logo.png"),
    )
    .unwrap();
    site.run(&["templates", "image", picture.to_str().unwrap()])
        .assert_success();
    let images = site.run(&["templates", "images", "--json"]).json();
    assert_eq!(images[0]["name"], "CarPark.png");
}
