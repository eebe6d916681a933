//! The settings screen's database choice: a PostgreSQL queue is tested before it is
//! saved, its password goes to the real OS keyring (scripts/with-keyring.sh) and never
//! to the desk's file, and the next start connects with it.

use sesame_core::ErrorCode;
use sesame_service::{
    database_settings, paths, save_database_settings, DatabaseChoice, DatabaseSettingsInput, Desk,
};
use sqlx::Connection;

const PG_URL_VAR: &str = "SESAME_TEST_PG_URL";

/// A fresh database on the test server, named for this test.
async fn fresh_pg_database() -> String {
    let admin_url = std::env::var(PG_URL_VAR).unwrap_or_else(|_| {
        panic!("{PG_URL_VAR} is not set: start a test server with `eval \"$(scripts/pg-test-server.sh start)\"`")
    });
    let name = format!("sesame_settings_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("reach the test server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// Each test process gets its own keyring service, so tests never share secrets.
fn private_keyring() {
    std::env::set_var(
        "SESAME_KEYRING_SERVICE",
        format!("sesame-test-{}", uuid::Uuid::now_v7()),
    );
    std::env::remove_var("SESAME_DATABASE_URL");
}

#[tokio::test]
async fn a_postgres_queue_is_saved_without_its_password_which_goes_to_the_keyring() {
    private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let local = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let desk = Desk::open(dir.path(), &local).await.unwrap();

    let target = fresh_pg_database().await;
    let mut with_password = url::Url::parse(&target).unwrap();
    with_password.set_password(Some("s3cr3t-é")).unwrap();
    let saved = save_database_settings(
        &desk,
        DatabaseSettingsInput {
            choice: DatabaseChoice::Postgres {
                url: with_password.to_string(),
            },
            password: None,
        },
    )
    .await
    .unwrap();
    assert!(saved.password_stored, "the password is in the keyring");
    let DatabaseChoice::Postgres { url } = &saved.choice else {
        panic!("{:?}", saved.choice)
    };
    assert!(!url.contains("s3cr3t"), "{url}");

    let file = std::fs::read_to_string(dir.path().join("desk.json")).unwrap();
    assert!(file.contains("postgres://"), "{file}");
    assert!(!file.contains("s3cr3t"), "the password leaked into {file}");

    // The next start: the saved URL, with the keyring's password put back.
    std::env::set_var(paths::DATA_DIR_ENV, dir.path());
    let next = paths::database_url().unwrap();
    assert!(next.contains("s3cr3t"), "{next}");
    let reopened = Desk::open(dir.path(), &next).await.unwrap();
    let shown = database_settings(&reopened).await.unwrap();
    assert!(shown.in_use.starts_with("postgres://"), "{}", shown.in_use);
    assert!(!shown.in_use.contains("s3cr3t"), "{}", shown.in_use);
}

#[tokio::test]
async fn an_unreachable_server_is_reported_and_nothing_is_saved() {
    private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let local = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let desk = Desk::open(dir.path(), &local).await.unwrap();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = save_database_settings(
        &desk,
        DatabaseSettingsInput {
            choice: DatabaseChoice::Postgres {
                url: format!("postgres://desk@127.0.0.1:{port}/sesame"),
            },
            password: Some("x".into()),
        },
    )
    .await
    .unwrap_err();
    assert!(error.code().starts_with("store."), "{}", error.code());
    assert!(!dir.path().join("desk.json").exists());
    let shown = database_settings(&desk).await.unwrap();
    assert_eq!(shown.choice, DatabaseChoice::Sqlite { path: None });
}

#[tokio::test]
async fn a_sqlite_file_is_named_in_the_data_folder_never_elsewhere() {
    private_keyring();
    let dir = tempfile::tempdir().unwrap();
    let local = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let desk = Desk::open(dir.path(), &local).await.unwrap();
    for outside in [
        "/tmp/queue.sqlite3",
        "../queue.sqlite3",
        "sub/queue.sqlite3",
        "..",
    ] {
        let error = save_database_settings(
            &desk,
            DatabaseSettingsInput {
                choice: DatabaseChoice::Sqlite {
                    path: Some(outside.into()),
                },
                password: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(error.code(), "settings.bad_database_url", "{outside}");
    }
    assert!(!dir.path().join("desk.json").exists());
    let saved = save_database_settings(
        &desk,
        DatabaseSettingsInput {
            choice: DatabaseChoice::Sqlite {
                path: Some("training.sqlite3".into()),
            },
            password: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        saved.choice,
        DatabaseChoice::Sqlite {
            path: Some("training.sqlite3".into())
        }
    );
    assert!(
        dir.path().join("training.sqlite3").is_file(),
        "created and migrated"
    );
}
