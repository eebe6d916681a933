//! Attacks on the desk: each module tries one way around a rule (an export, a key, a
//! viewed scan, a preview, a zone decision…) and shows that it is refused or recorded.
//! Tests that touch the database run on SQLite and on PostgreSQL (`on_both_desks!`).

/// Declares a test body `async fn name(alice: TestDesk)` (alice: the queue's first
/// operator, so its supervisor) once and runs it on a SQLite desk and on a PostgreSQL
/// desk, as `name::sqlite` and `name::postgres`.
macro_rules! on_both_desks {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let alice = sesame_test_support::desk::TestDesk::sqlite_as("alice").await;
                super::$name(alice).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(alice) = sesame_test_support::desk::TestDesk::postgres_as("alice").await
                else {
                    return;
                };
                // The first desk of a PostgreSQL queue creates the data key (SQLite: on opening).
                sesame_service::init_key(&alice)
                    .await
                    .expect("the queue's data key");
                super::$name(alice).await;
            }
        }
    };
}

mod database_roles;
mod exports;
mod id_scans;
mod keys;
mod outbox_lease;
mod output_retention;
mod preview;
mod text_injection;
mod zones;

/// The output folder every test of this binary writes to (the variable is the
/// process's, so all tests share one folder; names say whose file is whose).
fn output_folder() -> &'static std::path::Path {
    static FOLDER: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    FOLDER
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary output folder");
            std::env::set_var(sesame_service::PRINT_DIR_ENV, dir.path());
            dir
        })
        .path()
}
