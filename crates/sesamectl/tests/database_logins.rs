//! A PostgreSQL queue whose database enforces the roles, set up and used from the
//! command line: the owner secures it and creates the first logins (`db secure`,
//! `db login`, signed out: the owner's own login is the proof), then each operator
//! runs `sesamectl` on the URL without a user, signing in with their login's password.

use sesame_test_support::cli::{CliRun, Sesamectl};
use sesame_test_support::db::{self, PgDatabase};

const PASSWORD: &str = "guichet-2026";

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_secures_the_queue_and_operators_sign_in_with_their_logins() {
    let Some(pg) = PgDatabase::create("sesamectl_logins").await else {
        return;
    };
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "owner").on_database(&pg.url);
    let tag = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
    let chief = format!("chief_{tag}");
    let clerk = format!("clerk_{tag}");
    let newbie = format!("newbie_{tag}");
    let upkeep = format!("upkeep_{tag}");
    let login_url = db::without_user(&pg.url);

    // The owner (the URL's user) secures the queue and creates the first logins.
    let out = CliRun::feeding(
        &mut site.command_as(
            "owner",
            &[
                "db",
                "secure",
                "--supervisor",
                &chief,
                "--display-name",
                "Cheffe Dupont",
            ],
        ),
        &format!("{PASSWORD}\n"),
    );
    out.assert_success();
    assert!(out.stdout().contains("secured"), "{}", out.text());
    CliRun::feeding(
        &mut site.command_as("owner", &["db", "login", &clerk, "--role", "clerk"]),
        &format!("{PASSWORD}\n"),
    )
    .assert_success();
    let out = CliRun::feeding(
        &mut site.command_as("owner", &["db", "login", "Not A Login"]),
        &format!("{PASSWORD}\n"),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.login_name_invalid"),
        "{}",
        out.text()
    );

    // On the URL without a user, each operator signs in with their login.
    let as_login = |name: &str, args: &[&str]| {
        let mut command = site.command_as(name, args);
        command.env("SESAME_DATABASE_URL", &login_url);
        command
    };
    let out = CliRun::feeding(
        &mut as_login(&clerk, &["operator", "whoami", "--json"]),
        &format!("{PASSWORD}\n"),
    );
    out.assert_success();
    assert_eq!(out.json()["role"], "clerk", "{}", out.text());
    assert_eq!(out.json()["databaseLogin"], true, "{}", out.text());
    let out = CliRun::feeding(
        &mut as_login(&clerk, &["operator", "whoami"]),
        "wrong-password\n",
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.login_refused"),
        "{}",
        out.text()
    );

    // A clerk's login cannot add one; a supervisor's can, and it signs in.
    let out = CliRun::feeding(
        &mut as_login(&clerk, &["operator", "add", &newbie]),
        &format!("{PASSWORD}\n{PASSWORD}\n"),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.supervisor_required"),
        "{}",
        out.text()
    );
    CliRun::feeding(
        &mut as_login(
            &chief,
            &["operator", "add", &newbie, "--display-name", "Léa Nouvelle"],
        ),
        &format!("{PASSWORD}\nnouveau-mot-de-passe\n"),
    )
    .assert_success();
    let out = CliRun::feeding(
        &mut as_login(&newbie, &["operator", "whoami", "--json"]),
        "nouveau-mot-de-passe\n",
    );
    out.assert_success();
    assert_eq!(out.json()["displayName"], "Léa Nouvelle", "{}", out.text());

    // The unattended run's login: housekeeping and its purge, nothing else.
    CliRun::feeding(
        &mut site.command_as("owner", &["db", "login", &upkeep, "--role", "housekeeping"]),
        &format!("{PASSWORD}\n"),
    )
    .assert_success();
    CliRun::feeding(
        &mut as_login(&upkeep, &["housekeeping", "--json"]),
        &format!("{PASSWORD}\n"),
    )
    .assert_success();
    let out = CliRun::feeding(
        &mut as_login(&upkeep, &["operator", "add", "someone"]),
        &format!("{PASSWORD}\n{PASSWORD}\n"),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.housekeeping_only"),
        "{}",
        out.text()
    );

    // Securing is the owner's: an operator's login cannot, signed in or not.
    let out = CliRun::feeding(
        &mut as_login(&chief, &["db", "secure"]),
        &format!("{PASSWORD}\n"),
    );
    out.assert_exit(2);
    assert!(
        out.stderr().contains("operator.sign_in_required"),
        "{}",
        out.text()
    );

    pg.drop_database().await;
    db::drop_logins(&[&chief, &clerk, &newbie, &upkeep]).await;
}
