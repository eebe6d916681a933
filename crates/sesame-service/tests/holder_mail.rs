//! The desk actions queue the holder's e-mails, and a dead SMTP server never fails
//! them: the message waits and goes out once the server is back. Real SQLite desk, real
//! SMTP server on loopback (scripts/smtp-test-server.sh).

use chrono::Duration;
use sesame_core::{ErrorCode, RequestAction, RequestStatus};
use sesame_mail::MailTemplate;
use sesame_service::{
    cancel_mail, create_request, mail_outbox, mail_outbox_counts, retry_mail, save_mail_settings,
    send_due_mail, transition_request, MailId, MailStatus, NewRequest, OutboxQuery,
    SaveMailSettingsInput, TransitionInput,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder_with_email, request_for};
use sesame_test_support::mail::settings_for_port;
use sesame_test_support::smtp::{free_port, SmtpServer};

fn new_request(family: &str, given: &str, email: &str) -> NewRequest {
    request_for(holder_with_email(family, given, Some(email)))
}

/// A desk whose e-mail goes to 127.0.0.1:`port`.
async fn desk_mailing_to(port: u16) -> TestDesk {
    let desk = TestDesk::sqlite_as("desk-mail").await;
    save_mail_settings(
        &desk,
        SaveMailSettingsInput {
            settings: settings_for_port(port),
            password: None,
        },
    )
    .await
    .unwrap();
    desk
}

#[tokio::test]
async fn desk_actions_succeed_with_the_server_down_and_the_mail_follows_later() {
    let port = free_port();
    let desk = desk_mailing_to(port).await;

    // Registering and refusing work while nothing listens on the SMTP port.
    let created = create_request(&desk, new_request("Lefèvre", "Zoé", "zoe@univ.example"))
        .await
        .expect("the desk action succeeds without the SMTP server");
    let refused = transition_request(
        &desk,
        TransitionInput {
            id: created.request.id.into(),
            expected_version: created.request.version,
            action: RequestAction::Refuse,
            reason: Some("Pièce d’identité illisible".into()),
        },
    )
    .await
    .expect("refusing succeeds without the SMTP server");
    assert_eq!(refused.request.status, RequestStatus::Refused);

    let outbox = mail_outbox(&desk, OutboxQuery::default()).await.unwrap();
    let templates: Vec<MailTemplate> = outbox.iter().map(|m| m.template).rev().collect();
    assert_eq!(
        templates,
        vec![MailTemplate::RequestReceived, MailTemplate::RequestRefused]
    );

    // The timer's run fails to connect: the messages wait.
    let report = send_due_mail(&desk).await.unwrap();
    assert_eq!(report.sent, 0);
    assert!(report.stopped_by.is_some(), "{report:?}");

    // The server is back: both go out on later runs (2 and 4 minutes on), in order.
    let server = SmtpServer::start_on(port, None);
    let mut sent = 0;
    for _ in 0..2 {
        desk.clock().advance(Duration::minutes(2));
        sent += send_due_mail(&desk).await.unwrap().sent;
    }
    assert_eq!(sent, 2);
    let received = server.received();
    assert_eq!(received.len(), 2);
    let refusal = received
        .iter()
        .find(|m| m.subject == "Votre demande de badge n’a pas été acceptée")
        .expect("the refusal");
    assert!(
        refusal.body.contains("Motif : Pièce d’identité illisible"),
        "{}",
        refusal.body
    );
    let counts = mail_outbox_counts(&desk).await.unwrap();
    let sent_count = counts
        .iter()
        .find(|c| c.status == MailStatus::Sent)
        .unwrap();
    assert_eq!(sent_count.count, 2);
}

#[tokio::test]
async fn the_operator_cancels_and_retries_from_the_outbox() {
    let desk = desk_mailing_to(free_port()).await;
    create_request(
        &desk,
        new_request("Martin", "Jérôme", "jerome@univ.example"),
    )
    .await
    .unwrap();
    let message = mail_outbox(&desk, OutboxQuery::default()).await.unwrap()[0].clone();
    let id = MailId(message.id);
    let cancelled = cancel_mail(&desk, id, Some("Adresse erronée".into()))
        .await
        .unwrap();
    assert_eq!(cancelled.status, MailStatus::Cancelled);
    // A cancelled message is not sent and cannot be cancelled twice.
    let again = cancel_mail(&desk, id, None).await.unwrap_err();
    assert_eq!(again.code(), "mail.wrong_state");
    let requeued = retry_mail(&desk, id).await.unwrap();
    assert_eq!(requeued.status, MailStatus::Queued);
    // The outbox screen's text becomes an id where it is parsed.
    let bad = "not-an-id".parse::<MailId>().unwrap_err();
    assert_eq!(bad.code(), "mail.bad_id");
}
