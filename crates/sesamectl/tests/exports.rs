//! Where `sesamectl` writes its exports: to the file named with `--out`, or, without
//! it, the queue's CSV to standard output and the zone rights to the output folder.

use sesame_test_support::cli::Sesamectl;
use sesame_test_support::fixtures::new_request;

#[tokio::test]
async fn exports_go_to_the_named_file_or_to_standard_output() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let store = site.store().await;
    store
        .create_request(new_request("Lovelace", "Ada"), "clerk")
        .await
        .unwrap();
    store.close().await;

    // The queue: standard output without --out, the same bytes in the file with it.
    let shown = site.run(&["requests", "export"]);
    shown.assert_success();
    assert!(
        shown.stdout().starts_with('\u{feff}'),
        "BOM for spreadsheets"
    );
    assert!(shown.stdout().contains("Lovelace"), "{}", shown.stdout());
    let csv = site.file("queue.csv");
    let written = site.run(&["requests", "export", "--out", csv.to_str().unwrap()]);
    written.assert_success();
    assert_eq!(std::fs::read(&csv).unwrap(), shown.output.stdout);
    assert!(site.output_files().is_empty(), "{:?}", site.output_files());

    // The zone rights: the file named, else a new file of the output folder.
    let rights = site.file("rights.json");
    let named = site.run(&[
        "zones",
        "export",
        "--format",
        "json",
        "--out",
        rights.to_str().unwrap(),
    ]);
    named.assert_success();
    assert_eq!(named.stdout().trim(), rights.display().to_string());
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&rights).unwrap()).unwrap();
    assert!(value["rights"].is_array(), "{value}");
    assert!(site.output_files().is_empty(), "{:?}", site.output_files());

    let default = site.run(&["zones", "export"]);
    default.assert_success();
    let files = site.output_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(default.stdout().trim(), files[0].display().to_string());
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("droits-zones-") && name.ends_with(".csv"),
        "{name}"
    );
}
