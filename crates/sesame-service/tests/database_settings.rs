//! The settings screen's database choice: a PostgreSQL queue is tested before it is
//! saved, its password goes to the real OS keyring (scripts/with-keyring.sh) and never
//! to the desk's file, and the next start connects with it.

use sesame_core::ErrorCode;
use sesame_service::{
    database_settings, paths, save_database_settings, DatabaseChoice, DatabaseSettingsInput,
    DeskOptions,
};
use sesame_test_support::desk::{open_desk, TestDesk};
use sesame_test_support::smtp::free_port;
use sesame_test_support::PgDatabase;

/// The desk's secrets other than its data key (the PostgreSQL password) go to the
/// keyring service named by the environment: a private one for this test's process.
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
    let Some(target) = PgDatabase::create("sesame_settings").await else {
        return;
    };
    let desk = TestDesk::sqlite().await;

    let mut with_password = url::Url::parse(&target.url).unwrap();
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

    let file = std::fs::read_to_string(desk.file("desk.json")).unwrap();
    assert!(file.contains("postgres://"), "{file}");
    assert!(!file.contains("s3cr3t"), "the password leaked into {file}");

    // The next start: the saved URL, with the keyring's password put back.
    std::env::set_var(paths::DATA_DIR_ENV, desk.data_dir());
    let next = paths::database_url().unwrap();
    assert!(next.contains("s3cr3t"), "{next}");
    let reopened = open_desk(DeskOptions {
        database_url: next,
        ..desk.options_as(&desk.operator().unwrap())
    })
    .await;
    let shown = database_settings(&reopened).await.unwrap();
    assert!(shown.in_use.starts_with("postgres://"), "{}", shown.in_use);
    assert!(!shown.in_use.contains("s3cr3t"), "{}", shown.in_use);
    reopened.close().await;
    target.drop_database().await;
}

#[tokio::test]
async fn an_unreachable_server_is_reported_and_nothing_is_saved() {
    private_keyring();
    let desk = TestDesk::sqlite().await;
    // A port nobody listens on.
    let port = free_port();
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
    assert!(!desk.file("desk.json").exists());
    let shown = database_settings(&desk).await.unwrap();
    assert_eq!(shown.choice, DatabaseChoice::Sqlite { path: None });
}

#[tokio::test]
async fn a_sqlite_file_is_named_in_the_data_folder_never_elsewhere() {
    private_keyring();
    let desk = TestDesk::sqlite().await;
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
    assert!(!desk.file("desk.json").exists());
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
        desk.file("training.sqlite3").is_file(),
        "created and migrated"
    );
}
