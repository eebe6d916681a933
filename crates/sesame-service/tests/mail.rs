//! The desk actions queue the holder's e-mails, and a dead SMTP server never fails
//! them: the message waits and goes out once the server is back. Real SQLite desk, real
//! SMTP server on loopback (scripts/smtp-test-server.sh); run under scripts/with-keyring.sh
//! (the desk opens its data key from the keyring).

#[path = "../../sesame-mail/tests/common/mod.rs"]
mod common;

use chrono::{Duration, Utc};
use common::{free_port, holder, settings_for_port, SmtpServer};
use sesame_core::{RequestAction, RequestDetails, RequestKind};
use sesame_mail::{MailStatus, MailTemplate, OutboxQuery};
use sesame_service::{
    cancel_mail, create_request, mail_outbox, mail_outbox_counts, retry_mail, send_due_mail,
    transition_request, Desk, TransitionInput,
};
use sesame_store::NewRequest;

async fn open_desk(dir: &tempfile::TempDir) -> Desk {
    let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
    let vault = sesame_vault::KeyVault::open(
        &format!("fr.sesame.test.mail.{}", uuid::Uuid::now_v7().simple()),
        "data-key",
    )
    .unwrap();
    Desk::open_as(dir.path(), &url, vault, "desk-mail")
        .await
        .unwrap_or_else(|e| panic!("{e}: run this test under scripts/with-keyring.sh"))
}

fn new_request(family: &str, given: &str, email: &str) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder: holder(family, given, Some(email)),
        request: RequestDetails::new(RequestKind::NewBadge),
    }
}

#[tokio::test]
async fn desk_actions_succeed_with_the_server_down_and_the_mail_follows_later() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(&dir).await;
    let port = free_port();
    sesame_mail::save_settings(desk.store(), settings_for_port(port), desk.operator())
        .await
        .unwrap();

    // Registering and refusing work while nothing listens on the SMTP port.
    let created = create_request(&desk, new_request("Lefèvre", "Zoé", "zoe@univ.example"))
        .await
        .expect("the desk action succeeds without the SMTP server");
    let refused = transition_request(
        &desk,
        TransitionInput {
            id: created.request.id.to_string(),
            expected_version: created.request.version,
            action: RequestAction::Refuse,
            reason: Some("Pièce d’identité illisible".into()),
        },
    )
    .await
    .expect("refusing succeeds without the SMTP server");
    assert_eq!(refused.request.status, sesame_core::RequestStatus::Refused);

    let outbox = mail_outbox(&desk, OutboxQuery::default()).await.unwrap();
    let templates: Vec<MailTemplate> = outbox.iter().map(|m| m.template).rev().collect();
    assert_eq!(
        templates,
        vec![MailTemplate::RequestReceived, MailTemplate::RequestRefused]
    );

    // The timer's run fails to connect: the messages wait.
    let t0 = Utc::now();
    let report = send_due_mail(&desk, t0).await.unwrap();
    assert_eq!(report.sent, 0);
    assert!(report.stopped_by.is_some(), "{report:?}");

    // The server is back: both go out on a later run, in order.
    let server = SmtpServer::start_on(port, None);
    let mut sent = 0;
    for minutes in [2, 4] {
        sent += send_due_mail(&desk, t0 + Duration::minutes(minutes))
            .await
            .unwrap()
            .sent;
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
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(&dir).await;
    sesame_mail::save_settings(
        desk.store(),
        settings_for_port(free_port()),
        desk.operator(),
    )
    .await
    .unwrap();
    create_request(
        &desk,
        new_request("Martin", "Jérôme", "jerome@univ.example"),
    )
    .await
    .unwrap();
    let message = mail_outbox(&desk, OutboxQuery::default()).await.unwrap()[0].clone();
    let cancelled = cancel_mail(
        &desk,
        message.id.to_string(),
        Some("Adresse erronée".into()),
    )
    .await
    .unwrap();
    assert_eq!(cancelled.status, MailStatus::Cancelled);
    // A cancelled message is not sent and cannot be cancelled twice.
    let again = cancel_mail(&desk, message.id.to_string(), None)
        .await
        .unwrap_err();
    assert_eq!(sesame_core::ErrorCode::code(&again), "mail.wrong_state");
    let requeued = retry_mail(&desk, message.id.to_string()).await.unwrap();
    assert_eq!(requeued.status, MailStatus::Queued);
    let bad = retry_mail(&desk, "not-an-id".into()).await.unwrap_err();
    assert_eq!(sesame_core::ErrorCode::code(&bad), "mail.bad_id");
}
