//! `sesamectl` signs in before it reads or writes the queue, as the window does: the
//! operator's PIN from the terminal or `--pin-stdin`, never from the environment;
//! a new queue's first supervisor from `operator setup`; the unattended
//! housekeeping run with its token file, allowed housekeeping and nothing else.

use std::process::Stdio;

use sesame_test_support::cli::{CliRun, Sesamectl, TEST_PIN};

fn site() -> Sesamectl {
    Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice")
}

/// Runs `args` as `operator` with `stdin` as standard input (`--pin-stdin`).
fn run_with_stdin(site: &Sesamectl, operator: &str, stdin: &str, args: &[&str]) -> CliRun {
    CliRun::feeding(&mut site.command_as(operator, args), stdin)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_needs_the_operators_pin() {
    let site = site();
    site.run(&["requests", "list", "--json"]).assert_success();

    // The environment names nobody: without the PIN nothing is read.
    let out = run_with_stdin(&site, "alice", "000000\n", &["requests", "list"]);
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.pin_wrong"),
        "{}",
        out.text()
    );
    let out = run_with_stdin(&site, "alice", "", &["requests", "list"]);
    out.assert_exit(2);
    assert!(
        out.stderr().contains("standard input ended before the PIN"),
        "{}",
        out.text()
    );
    let out = CliRun::of(
        site.command_as("mallory", &["requests", "list"])
            .env("SESAME_OPERATOR", "mallory"),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.pin_wrong"),
        "{}",
        out.text()
    );

    // A clerk added with a first PIN signs in with it, as a clerk.
    run_with_stdin(
        &site,
        "alice",
        &format!("{TEST_PIN}\n135790\n"),
        &["operator", "add", "bob"],
    )
    .assert_success();
    let out = run_with_stdin(&site, "bob", "135790\n", &["operator", "whoami", "--json"]);
    out.assert_success();
    assert_eq!(out.json()["role"], "clerk");
    let out = run_with_stdin(&site, "bob", "135790\n", &["purge"]);
    assert!(
        out.stderr().contains("operator.supervisor_required"),
        "{}",
        out.text()
    );

    // `info` says where the data is without signing in; `operator setup` is refused
    // once a supervisor can sign in.
    let out = run_with_stdin(&site, "nobody", "", &["info", "--json"]);
    out.assert_success();
    let out = run_with_stdin(
        &site,
        "mallory",
        "111111\n",
        &["operator", "setup", "mallory"],
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.setup_done"),
        "{}",
        out.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_queue_starts_with_operator_setup() {
    let fresh = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_sesamectl");
    let url = format!("sqlite://{}", fresh.path().join("queue.sqlite3").display());
    let keyring = format!("sesame-test-cli-setup-{}", std::process::id());
    let run = |args: &[&str], stdin: &str| {
        CliRun::feeding(
            std::process::Command::new(bin)
                .args(args)
                .env("SESAME_DATA_DIR", fresh.path())
                .env("SESAME_DATABASE_URL", &url)
                .env("SESAME_KEYRING_SERVICE", &keyring),
            stdin,
        )
    };
    let out = run(
        &["--operator", "claire", "--pin-stdin", "requests", "list"],
        "975310\n",
    );
    out.assert_exit(2);
    assert!(out.text().contains("operator setup"), "{}", out.text());
    run(
        &[
            "--pin-stdin",
            "operator",
            "setup",
            "claire",
            "--display-name",
            "Claire Martin",
        ],
        "975310\n",
    )
    .assert_success();
    let out = run(
        &[
            "--operator",
            "claire",
            "--pin-stdin",
            "operator",
            "whoami",
            "--json",
        ],
        "975310\n",
    );
    out.assert_success();
    assert_eq!(out.json()["role"], "supervisor");
    assert_eq!(out.json()["displayName"], "Claire Martin");
    // The desk made a data key under this test's own keyring entry.
    let _ = sesame_test_support::desk::keyring_entry(&keyring).remove();
}

#[tokio::test(flavor = "multi_thread")]
async fn unattended_housekeeping_signs_in_with_its_token_only() {
    let site = site();
    let token_file = site.file("housekeeping.token");
    let out = CliRun::of(&mut site.command(&["housekeeping", "--service-account", "--json"]));
    out.assert_exit(2);
    assert!(
        out.stderr().contains("housekeeping.token"),
        "{}",
        out.text()
    );

    site.run(&["operator", "housekeeping-token"])
        .assert_success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the token is its owner's only");
    }
    // Run with nothing on stdin and no PIN: the token is the proof.
    let out = CliRun::of(
        site.command(&["housekeeping", "--service-account", "--json"])
            .stdin(Stdio::null()),
    );
    out.assert_success();
    assert_eq!(out.json()["operator"], "housekeeping");

    // A copied old token stops working once a new one is set up.
    let old = std::fs::read_to_string(&token_file).unwrap();
    let elsewhere = site.file("old.token");
    std::fs::write(&elsewhere, old).unwrap();
    site.run(&["operator", "housekeeping-token"])
        .assert_success();
    let out = CliRun::of(
        site.command(&[
            "housekeeping",
            "--service-account",
            "--token-file",
            elsewhere.to_str().unwrap(),
        ])
        .stdin(Stdio::null()),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.housekeeping_token_invalid"),
        "{}",
        out.text()
    );
}
