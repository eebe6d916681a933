//! E-mail end to end: messages queued in a real queue database are sent to a real
//! SMTP server on loopback (aiosmtpd, see scripts/smtp-test-server.sh), and what the
//! server received is checked as a mail program would show it.

use crate::common;

use chrono::Duration;
use common::{create, free_port, printed, settings_for_port, sqlite_queue, SmtpServer, DESK};
use sesame_core::{AuditEntity, DispatchMethod, RequestAction};
use sesame_mail::{
    queue_expiry_reminders, queue_request_mail, save_settings, send_due, MailLanguage, MailStatus,
    MailTemplate, OutboxQuery, QueueOutcome, SkipReason,
};
use sesame_store::Store;

fn queued(outcome: QueueOutcome) -> sesame_store::OutboxMessage {
    match outcome {
        QueueOutcome::Queued(message) => *message,
        other => panic!("expected a queued message, got {other:?}"),
    }
}

async fn status_of(store: &Store, id: uuid::Uuid) -> sesame_store::OutboxMessage {
    store.get_outbox_message(id).await.unwrap()
}

#[tokio::test]
async fn request_mails_reach_the_holder_in_french_and_english() {
    let server = SmtpServer::start();
    let q = sqlite_queue().await;
    save_settings(&q.store, server.settings(), DESK)
        .await
        .unwrap();

    let zoe = create(&q.store, "Lefèvre", "Zoé", Some("zoe.lefevre@univ.example")).await;
    let john = create(
        &q.store,
        "O’Brien",
        "John",
        Some("john.obrien@univ.example"),
    )
    .await;
    q.store
        .set_holder_mail_language(john.holder.id, Some(MailLanguage::En), DESK)
        .await
        .unwrap();
    let fr = queued(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK,
        )
        .await
        .unwrap(),
    );
    let en = queued(
        queue_request_mail(
            &q.store,
            john.request.id,
            MailTemplate::RequestReceived,
            DESK,
        )
        .await
        .unwrap(),
    );
    assert_eq!(
        (fr.language, en.language),
        (MailLanguage::Fr, MailLanguage::En)
    );
    // The same event is queued once only.
    assert_eq!(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK
        )
        .await
        .unwrap(),
        QueueOutcome::AlreadyQueued
    );

    let report = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    assert_eq!(
        (report.sent, report.retrying, report.failed),
        (2, 0, 0),
        "{report:?}"
    );

    let received = server.received();
    assert_eq!(received.len(), 2);
    let to_zoe = received
        .iter()
        .find(|m| m.rcpt_tos == ["zoe.lefevre@univ.example"])
        .expect("Zoé's message");
    assert_eq!(to_zoe.subject, "Votre demande de badge a bien été reçue");
    assert!(
        to_zoe.body.starts_with("Bonjour Zoé Lefèvre,\n"),
        "{}",
        to_zoe.body
    );
    assert!(to_zoe
        .body
        .contains("Votre demande (nouveau badge) a bien été reçue"));
    assert!(
        to_zoe
            .body
            .contains("Cordialement,\nBureau des badges — Campus Nord\n"),
        "{:?}",
        to_zoe.body
    );
    assert_eq!(
        to_zoe.from,
        "Bureau des badges — Campus Nord <badges@univ.example>"
    );
    assert_eq!(to_zoe.mail_from, "badges@univ.example");
    assert_eq!(to_zoe.reply_to.as_deref(), Some("accueil@univ.example"));
    assert_eq!(to_zoe.content_type, "text/plain");
    assert_eq!(to_zoe.charset.as_deref(), Some("utf-8"));
    assert_eq!(
        to_zoe.message_id.as_deref(),
        Some(format!("<{}@univ.example>", fr.id).as_str())
    );
    // Accents travel encoded (the raw message is ASCII) and arrive intact.
    assert!(!to_zoe.raw.contains('é'));

    let to_john = received
        .iter()
        .find(|m| m.rcpt_tos == ["john.obrien@univ.example"])
        .expect("John's message");
    assert_eq!(to_john.subject, "Your badge request has been received");
    assert!(
        to_john.body.starts_with("Dear John O’Brien,\n"),
        "{}",
        to_john.body
    );
    assert!(to_john.body.contains("Kind regards,"));

    // Marked sent, with the attempt counted and the request's history telling it.
    let sent = status_of(&q.store, fr.id).await;
    assert_eq!(sent.status, MailStatus::Sent);
    assert_eq!(sent.attempts, 1);
    assert!(sent.sent_at.is_some());
    let history = q.store.audit_for_request(zoe.request.id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert!(
        actions.contains(&"mail_queued") && actions.contains(&"mail_sent"),
        "{actions:?}"
    );
    // Nothing left to send.
    let again = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn refusal_printing_and_dispatch_messages() {
    let server = SmtpServer::start();
    let q = sqlite_queue().await;
    save_settings(&q.store, server.settings(), DESK)
        .await
        .unwrap();

    // Refused, with the operator's reason.
    let refused = create(&q.store, "Durand", "Léa", Some("lea.durand@univ.example")).await;
    let v = refused.request.version;
    q.store
        .transition(
            refused.request.id,
            v,
            RequestAction::Refuse,
            DESK,
            Some("Mission terminée en décembre"),
        )
        .await
        .unwrap();
    queued(
        queue_request_mail(
            &q.store,
            refused.request.id,
            MailTemplate::RequestRefused,
            DESK,
        )
        .await
        .unwrap(),
    );
    // Not printed yet: no "printed" message for it.
    assert_eq!(
        queue_request_mail(
            &q.store,
            refused.request.id,
            MailTemplate::BadgePrinted,
            DESK
        )
        .await
        .unwrap(),
        QueueOutcome::Skipped(SkipReason::NotApplicable)
    );

    // Printed, then handed over.
    let badge = create(
        &q.store,
        "Martin",
        "Jérôme",
        Some("jerome.martin@univ.example"),
    )
    .await;
    let detail = printed(&q.store, badge.request.id).await;
    let number = detail.badge.as_ref().unwrap().number.clone();
    queued(
        queue_request_mail(&q.store, badge.request.id, MailTemplate::BadgePrinted, DESK)
            .await
            .unwrap(),
    );
    q.store
        .transition(
            badge.request.id,
            detail.request.version,
            RequestAction::Dispatch {
                method: DispatchMethod::HandedOver,
            },
            DESK,
            None,
        )
        .await
        .unwrap();
    queued(
        queue_request_mail(
            &q.store,
            badge.request.id,
            MailTemplate::BadgeDispatched,
            DESK,
        )
        .await
        .unwrap(),
    );

    let report = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    assert_eq!(report.sent, 3, "{report:?}");
    let received = server.received();
    let refusal = received
        .iter()
        .find(|m| m.to == "lea.durand@univ.example")
        .unwrap();
    assert_eq!(
        refusal.subject,
        "Votre demande de badge n’a pas été acceptée"
    );
    assert!(
        refusal
            .body
            .contains("Motif : Mission terminée en décembre\n"),
        "{}",
        refusal.body
    );
    let to_jerome: Vec<_> = received
        .iter()
        .filter(|m| m.to == "jerome.martin@univ.example")
        .collect();
    assert_eq!(to_jerome.len(), 2);
    assert_eq!(
        to_jerome[0].subject,
        format!("Votre badge n° {number} est imprimé")
    );
    assert_eq!(
        to_jerome[1].subject,
        format!("Votre badge n° {number} vous a été remis")
    );
}

#[tokio::test]
async fn a_server_down_is_retried_later_and_the_message_then_delivered() {
    let port = free_port();
    let q = sqlite_queue().await;
    save_settings(&q.store, settings_for_port(port), DESK)
        .await
        .unwrap();
    let zoe = create(&q.store, "Lefèvre", "Zoé", Some("zoe@univ.example")).await;
    let message = queued(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK,
        )
        .await
        .unwrap(),
    );

    // Nobody listens: the run stops, the message waits a minute.
    let t0 = q.store.clock().now();
    let report = send_due(&q.store, t0, DESK).await.unwrap();
    assert_eq!((report.sent, report.retrying), (0, 1), "{report:?}");
    assert!(report.stopped_by.is_some());
    let waiting = status_of(&q.store, message.id).await;
    assert_eq!(waiting.status, MailStatus::Queued);
    assert_eq!(waiting.attempts, 1);
    assert!(waiting
        .last_error
        .as_deref()
        .unwrap()
        .contains(&port.to_string()));
    assert_eq!(
        (waiting.next_attempt_at - t0).num_seconds(),
        60,
        "{waiting:?}"
    );

    // The server comes back; before the minute is over nothing is tried.
    let server = SmtpServer::start_on(port, None);
    let early = send_due(&q.store, t0 + Duration::seconds(30), DESK)
        .await
        .unwrap();
    assert_eq!(early.sent, 0);
    assert!(server.received().is_empty());
    let later = send_due(&q.store, t0 + Duration::seconds(61), DESK)
        .await
        .unwrap();
    assert_eq!(later.sent, 1, "{later:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, "zoe@univ.example");
    let sent = status_of(&q.store, message.id).await;
    assert_eq!((sent.status, sent.attempts), (MailStatus::Sent, 2));
    assert_eq!(sent.last_error, None);
}

#[tokio::test]
async fn permanent_refusals_fail_at_once_temporary_ones_wait() {
    let server = SmtpServer::start();
    let q = sqlite_queue().await;
    save_settings(&q.store, server.settings(), DESK)
        .await
        .unwrap();
    let gone = create(
        &q.store,
        "Parti",
        "Paul",
        Some("rejected.paul@univ.example"),
    )
    .await;
    let busy = create(&q.store, "Occupé", "Anne", Some("later.anne@univ.example")).await;
    let fine = create(&q.store, "Bien", "Marc", Some("marc@univ.example")).await;
    let mut ids = Vec::new();
    for r in [&gone, &busy, &fine] {
        ids.push(
            queued(
                queue_request_mail(&q.store, r.request.id, MailTemplate::RequestReceived, DESK)
                    .await
                    .unwrap(),
            )
            .id,
        );
    }
    let now = q.store.clock().now();
    let report = send_due(&q.store, now, DESK).await.unwrap();
    // A refused recipient does not stop the run: the third message still goes.
    assert_eq!(
        (report.sent, report.retrying, report.failed),
        (1, 1, 1),
        "{report:?}"
    );
    assert_eq!(report.stopped_by, None);
    let failed = status_of(&q.store, ids[0]).await;
    assert_eq!(failed.status, MailStatus::Failed);
    assert!(
        failed.last_error.as_deref().unwrap().contains("550"),
        "{failed:?}"
    );
    let waiting = status_of(&q.store, ids[1]).await;
    assert_eq!(waiting.status, MailStatus::Queued);
    assert_eq!(waiting.next_attempt_at, now + Duration::minutes(1));
    assert_eq!(server.received().len(), 1);
    // Giving up is in the request's history, with the server's answer.
    let history = q.store.audit_for_request(gone.request.id).await.unwrap();
    let failure = history
        .iter()
        .find(|a| a.action == "mail_failed")
        .expect("mail_failed audited");
    assert_eq!(failure.entity, AuditEntity::Request);
    assert!(failure.reason.as_deref().unwrap().contains("550"));
}

#[tokio::test]
async fn after_five_attempts_it_gives_up_and_an_operator_can_retry() {
    let port = free_port();
    let q = sqlite_queue().await;
    save_settings(&q.store, settings_for_port(port), DESK)
        .await
        .unwrap();
    let zoe = create(&q.store, "Lefèvre", "Zoé", Some("zoe@univ.example")).await;
    let message = queued(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK,
        )
        .await
        .unwrap(),
    );
    let mut now = q.store.clock().now();
    let mut waits = Vec::new();
    for _ in 0..5 {
        send_due(&q.store, now, DESK).await.unwrap();
        let m = status_of(&q.store, message.id).await;
        if m.status == MailStatus::Failed {
            break;
        }
        waits.push((m.next_attempt_at - now).num_minutes());
        now = m.next_attempt_at;
    }
    assert_eq!(waits, vec![1, 5, 30, 120]);
    let failed = status_of(&q.store, message.id).await;
    assert_eq!((failed.status, failed.attempts), (MailStatus::Failed, 5));
    // Failed messages are not tried any more.
    let idle = send_due(&q.store, now + Duration::days(1), DESK)
        .await
        .unwrap();
    assert_eq!((idle.sent, idle.retrying, idle.failed), (0, 0, 0));

    // The operator fixed the server and sends it again.
    let server = SmtpServer::start_on(port, None);
    let requeued = q.store.retry_mail(message.id, DESK).await.unwrap();
    assert_eq!(
        (requeued.status, requeued.attempts),
        (MailStatus::Queued, 0)
    );
    let report = send_due(&q.store, q.store.clock().now() + Duration::seconds(1), DESK)
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn expiry_reminders_once_per_badge_and_end_of_validity() {
    let server = SmtpServer::start();
    let q = sqlite_queue().await;
    save_settings(&q.store, server.settings(), DESK)
        .await
        .unwrap();
    let r = create(&q.store, "Lefèvre", "Zoé", Some("zoe@univ.example")).await;
    let detail = printed(&q.store, r.request.id).await;
    let badge = detail.badge.unwrap();
    let no_mail = create(&q.store, "Sansmail", "Luc", None).await;
    printed(&q.store, no_mail.request.id).await;

    // Far from the end: nothing.
    let today = badge.valid_until - chrono::Days::new(60);
    let early = queue_expiry_reminders(&q.store, today, 30, DESK)
        .await
        .unwrap();
    assert_eq!((early.badges, early.queued), (0, 0), "{early:?}");

    // Within 30 days: one reminder; the next day's run adds none.
    let today = badge.valid_until - chrono::Days::new(12);
    let first = queue_expiry_reminders(&q.store, today, 30, DESK)
        .await
        .unwrap();
    assert_eq!(
        (first.badges, first.queued, first.without_email),
        (2, 1, 1),
        "{first:?}"
    );
    let next_day = queue_expiry_reminders(&q.store, today + chrono::Days::new(1), 30, DESK)
        .await
        .unwrap();
    assert_eq!((next_day.queued, next_day.already_queued), (0, 1));

    send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    let until = sesame_mail::format_date(badge.valid_until, MailLanguage::Fr);
    assert_eq!(
        received[0].subject,
        format!("Votre badge n° {} expire le {until}", badge.number)
    );
    assert!(
        received[0].body.contains("(dans 12 jours)"),
        "{}",
        received[0].body
    );
    // On the badge's history.
    let history = q
        .store
        .audit_for(AuditEntity::Badge, &badge.id.to_string())
        .await
        .unwrap();
    assert!(history.iter().any(|a| a.action == "mail_queued"));
    let outbox = q
        .store
        .list_outbox(&OutboxQuery {
            request_id: Some(r.request.id),
            ..OutboxQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].template, MailTemplate::BadgeExpiring);
}

#[tokio::test]
async fn nothing_is_queued_while_mail_is_off_or_without_an_address() {
    let q = sqlite_queue().await;
    let zoe = create(&q.store, "Lefèvre", "Zoé", Some("zoe@univ.example")).await;
    // Never set up: off.
    assert_eq!(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK
        )
        .await
        .unwrap(),
        QueueOutcome::Skipped(SkipReason::Disabled)
    );
    let report = send_due(&q.store, q.store.clock().now(), DESK)
        .await
        .unwrap();
    assert!(report.disabled);

    // On, but this event switched off.
    let mut settings = settings_for_port(free_port());
    settings.notify = vec![MailTemplate::BadgePrinted];
    save_settings(&q.store, settings, DESK).await.unwrap();
    assert_eq!(
        queue_request_mail(
            &q.store,
            zoe.request.id,
            MailTemplate::RequestReceived,
            DESK
        )
        .await
        .unwrap(),
        QueueOutcome::Skipped(SkipReason::Disabled)
    );

    let mut settings = settings_for_port(free_port());
    settings.notify = MailTemplate::ALL.to_vec();
    save_settings(&q.store, settings, DESK).await.unwrap();
    let nobody = create(&q.store, "Sansmail", "Luc", None).await;
    assert_eq!(
        queue_request_mail(
            &q.store,
            nobody.request.id,
            MailTemplate::RequestReceived,
            DESK
        )
        .await
        .unwrap(),
        QueueOutcome::Skipped(SkipReason::NoEmail)
    );
    assert!(q
        .store
        .list_outbox(&OutboxQuery::default())
        .await
        .unwrap()
        .is_empty());
}
