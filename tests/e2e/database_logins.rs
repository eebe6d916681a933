//! A desk on a PostgreSQL queue whose operators sign in with their own database
//! login: the real window asks for the login's password, PostgreSQL checks it, and
//! the queue works as that login.

use sesame_store::Store;
use sesame_test_support::db::{self, PgDatabase};

use crate::harness::{self, AppSession};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_signs_in_with_their_database_login() {
    let Some(pg) = PgDatabase::create("e2e_logins").await else {
        return;
    };
    // The window signs in as the harness's operator: that login, on the test server.
    db::drop_logins(&[harness::E2E_OPERATOR]).await;
    let owner = Store::open(&pg.url)
        .await
        .expect("the owner opens the queue");
    owner.secure_database().await.expect("secured by its owner");
    owner
        .create_login(
            harness::E2E_OPERATOR,
            harness::E2E_DISPLAY_NAME,
            "clerk",
            harness::E2E_PIN,
        )
        .await
        .expect("the clerk's login");
    owner.close().await;

    let home = tempfile::tempdir().unwrap();
    let login_url = db::without_user(&pg.url);
    let app = AppSession::start_with_env(
        home.path(),
        &home.path().join("data"),
        &[("SESAME_DATABASE_URL", login_url.as_ref())],
    )
    .await;
    app.open_intake(&[("familyName", "Base"), ("givenNames", "Aline")])
        .await;
    app.click("[data-testid=intake-submit]").await;
    app.wait_for_text("[data-testid=queue-table]", "BASE").await;
    app.wait_for_text("[data-testid=status-database]", "postgres://")
        .await;

    // Signed out: the form asks for the password, and the database refuses a wrong one.
    app.click("[data-testid=sign-out]").await;
    app.wait_for_text("[data-testid=sign-in-form]", "Mot de passe")
        .await;
    app.screenshot("sign-in-database-login").await;
    app.type_into("[data-testid=sign-in-pin]", "not-the-password")
        .await;
    app.click("[data-testid=sign-in-submit]").await;
    app.wait_for_text(
        "[data-testid=error-banner]",
        "refusé par la base de données",
    )
    .await;
    app.type_into("[data-testid=sign-in-pin]", harness::E2E_PIN)
        .await;
    app.click("[data-testid=sign-in-submit]").await;
    app.wait_for_text("[data-testid=queue-table]", "BASE").await;
    app.close().await;

    pg.drop_database().await;
    db::drop_logins(&[harness::E2E_OPERATOR]).await;
}
