//! The SMTP password from the OS keyring, used to log in to a real server that
//! requires it. Run under scripts/with-keyring.sh (private D-Bus + GNOME Keyring).

use crate::common;

use common::{create, sqlite_queue, SmtpServer, DESK};
use sesame_core::ErrorCode;
use sesame_mail::{
    queue_request_mail, save_settings, send_due, MailStatus, MailTemplate, QueueOutcome,
    SmtpPasswordEntry, SERVICE_ENV,
};

/// A keyring service of its own (nextest runs each test in its own process).
fn use_own_keyring_service(test: &str) -> String {
    let service = format!(
        "fr.sesame.test.mail.{test}.{}",
        uuid::Uuid::now_v7().simple()
    );
    std::env::set_var(SERVICE_ENV, &service);
    service
}

fn keyring_hint(error: impl std::fmt::Display) -> String {
    format!("{error}: run the keyring tests under scripts/with-keyring.sh")
}

#[tokio::test]
async fn logs_in_with_the_password_kept_in_the_keyring() {
    use_own_keyring_service("login");
    let password = "pâss wörd ✓";
    let server = SmtpServer::start_on(common::free_port(), Some(("badges-desk", password)));
    let q = sqlite_queue().await;
    let mut settings = server.settings();
    settings.username = Some("badges-desk".into());
    let settings = save_settings(&q.store, settings, DESK).await.unwrap();
    let entry = SmtpPasswordEntry::for_settings(&settings).unwrap();

    let zoe = create(&q.store, "Lefèvre", "Zoé", Some("zoe@univ.example")).await;
    let QueueOutcome::Queued(message) = queue_request_mail(
        &q.store,
        zoe.request.id,
        MailTemplate::RequestReceived,
        DESK,
    )
    .await
    .unwrap() else {
        panic!("not queued");
    };

    // No password yet: nothing is tried, the message keeps its attempts.
    let missing = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "mail.password_missing", "{missing}");
    let untouched = q.store.get_outbox_message(message.id).await.unwrap();
    assert_eq!(
        (untouched.status, untouched.attempts),
        (MailStatus::Queued, 0)
    );

    // A wrong password: the server refuses the login; the run stops and the message
    // waits for its retry instead of failing for good.
    entry.store("wrong").map_err(keyring_hint).unwrap();
    let refused = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    assert_eq!(
        (refused.sent, refused.retrying, refused.failed),
        (0, 1, 0),
        "{refused:?}"
    );
    assert!(
        refused
            .stopped_by
            .as_deref()
            .unwrap()
            .contains("login was refused"),
        "{refused:?}"
    );
    assert!(server.received().is_empty());

    entry
        .store_async(password.to_owned().into())
        .await
        .map_err(keyring_hint)
        .unwrap();
    assert_eq!(
        entry
            .try_load_async()
            .await
            .unwrap()
            .as_deref()
            .map(String::as_str),
        Some(password)
    );
    let report = send_due(
        &q.store,
        q.store.clock().now() + chrono::Duration::seconds(61),
        DESK,
    )
    .await
    .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].login.as_deref(), Some("badges-desk"));

    entry.remove_async().await.unwrap();
    assert_eq!(entry.try_load_async().await.unwrap(), None);
}

#[tokio::test]
async fn the_password_is_kept_per_login_and_server() {
    let service = use_own_keyring_service("per-login");
    let mut settings = common::settings_for_port(2525);
    settings.username = Some("desk".into());
    let entry = SmtpPasswordEntry::with_service(&service, &settings).unwrap();
    entry.store("s3cret").map_err(keyring_hint).unwrap();
    // Another server: the password is not offered to it.
    settings.host = "localhost".into();
    let other = SmtpPasswordEntry::with_service(&service, &settings).unwrap();
    assert_eq!(other.try_load().unwrap(), None);
    assert_eq!(entry.load().unwrap().as_str(), "s3cret");
    entry.remove().unwrap();
    let gone = entry.load().unwrap_err();
    assert_eq!(gone.code(), "mail.password_missing");
}
