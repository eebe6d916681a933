//! The e-mail outbox in the queue database, each test on SQLite and on PostgreSQL.

use chrono::{Duration, SubsecRound};
use sesame_core::{AuditEntity, ErrorCode};
use sesame_store::{
    MailFailure, MailLanguage, MailStatus, MailTemplate, NewMail, OutboxQuery, Store,
};
use sesame_test_support::fixtures::new_request;
use sesame_test_support::{on_both, TestDb};
use uuid::Uuid;

const ALICE: &str = "alice";

fn mail(request_id: Uuid, holder_id: Uuid, key: &str) -> NewMail {
    NewMail {
        dedupe_key: key.into(),
        request_id: Some(request_id),
        badge_id: None,
        holder_id: Some(holder_id),
        recipient: "zoe@example.fr".into(),
        template: MailTemplate::RequestReceived,
        language: MailLanguage::Fr,
        subject: "Votre demande de badge a bien été reçue".into(),
        body: "Bonjour Zoé,\n\nÇa avance.\n".into(),
    }
}

async fn request(store: &Store) -> (Uuid, Uuid) {
    let detail = store
        .create_request(new_request("Lefèvre", "Zoé"), ALICE)
        .await
        .unwrap();
    (detail.request.id, detail.holder.id)
}

async fn queued_once_per_event_and_audited(db: &TestDb) {
    let store = &db.store;
    let (request_id, holder_id) = request(store).await;
    let first = store
        .enqueue_mail(mail(request_id, holder_id, "request_received:1"), ALICE)
        .await
        .unwrap()
        .expect("queued");
    assert_eq!(first.status, MailStatus::Queued);
    assert_eq!(first.attempts, 0);
    assert_eq!(first.body, "Bonjour Zoé,\n\nÇa avance.\n");
    assert_eq!(first.created_by, ALICE);
    let again = store
        .enqueue_mail(mail(request_id, holder_id, "request_received:1"), ALICE)
        .await
        .unwrap();
    assert_eq!(again, None);
    let listed = store
        .list_outbox(&OutboxQuery {
            request_id: Some(request_id),
            ..OutboxQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(listed, vec![first.clone()]);
    assert_eq!(store.get_outbox_message(first.id).await.unwrap(), first);
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(counts.len(), 4);
    assert_eq!(
        counts
            .iter()
            .find(|c| c.status == MailStatus::Queued)
            .unwrap()
            .count,
        1
    );
    let history = store.audit_for_request(request_id).await.unwrap();
    let queued: Vec<_> = history
        .iter()
        .filter(|a| a.action == "mail_queued")
        .collect();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].entity, AuditEntity::Request);
    assert_eq!(
        queued[0].after.as_ref().unwrap()["messageId"],
        serde_json::json!(first.id)
    );
    // A blank recipient is refused, nothing written.
    let mut blank = mail(request_id, holder_id, "x");
    blank.recipient = " ".into();
    assert!(store.enqueue_mail(blank, ALICE).await.is_err());
    assert_eq!(
        store
            .list_outbox(&OutboxQuery::default())
            .await
            .unwrap()
            .len(),
        1
    );
}
on_both!(queued_once_per_event_and_audited);

/// The lease a sending desk holds while it talks to the SMTP server.
const LEASE: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// A lease that runs out during the test.
const SHORT_LEASE: std::time::Duration = std::time::Duration::from_millis(300);

async fn one_sender_per_message_and_leases_expire(db: &TestDb) {
    let store = &db.store;
    let (request_id, holder_id) = request(store).await;
    let message = store
        .enqueue_mail(mail(request_id, holder_id, "k1"), ALICE)
        .await
        .unwrap()
        .unwrap();
    let now = store.clock().now().trunc_subsecs(6) + Duration::seconds(1);
    // Two desks ask at once: one gets it.
    let (a, b) = tokio::join!(
        store.claim_due_mail(now, 10, "desk-a", SHORT_LEASE),
        store.claim_due_mail(now, 10, "desk-b", SHORT_LEASE)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 1, "{a:?} {b:?}");
    let winner = if a.is_empty() { "desk-b" } else { "desk-a" };
    let loser = if a.is_empty() { "desk-a" } else { "desk-b" };
    // The other may not record an outcome for it, nor renew a lease it does not hold.
    let err = store
        .record_mail_sent(message.id, loser, now)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "mail.wrong_state");
    assert!(store
        .renew_mail_lease(message.id, loser, LEASE)
        .await
        .unwrap()
        .is_none());
    // A crashed sender's lease runs out (by the database's clock) and another desk
    // takes the message; the first may then neither renew it nor record it.
    tokio::time::sleep(SHORT_LEASE * 2).await;
    let retaken = store
        .claim_due_mail(now, 10, loser, SHORT_LEASE)
        .await
        .unwrap();
    assert_eq!(retaken.len(), 1);
    assert!(store
        .renew_mail_lease(message.id, winner, LEASE)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .record_mail_sent(message.id, winner, now)
        .await
        .is_err());
    // Renewed right before sending, the lease outlives the short one it was claimed with.
    let renewed = store
        .renew_mail_lease(message.id, loser, LEASE)
        .await
        .unwrap()
        .expect("the holder of the lease renews it");
    assert_eq!(renewed.id, message.id);
    tokio::time::sleep(SHORT_LEASE * 2).await;
    assert!(store
        .claim_due_mail(now, 10, winner, SHORT_LEASE)
        .await
        .unwrap()
        .is_empty());
    let sent = store
        .record_mail_sent(message.id, loser, now)
        .await
        .unwrap();
    assert_eq!((sent.status, sent.attempts), (MailStatus::Sent, 1));
    assert_eq!(sent.sent_at, Some(now));
    assert!(store
        .renew_mail_lease(message.id, loser, LEASE)
        .await
        .unwrap()
        .is_none());
    assert!(store
        .claim_due_mail(now + Duration::days(1), 10, winner, LEASE)
        .await
        .unwrap()
        .is_empty());
}
on_both!(one_sender_per_message_and_leases_expire);

/// Desks' clocks differ. A desk whose clock runs two hours ahead sees another desk's
/// 15-minute lease as long gone by its own clock: the lease is the database's, so it
/// does not take the message.
async fn leases_follow_the_database_clock_not_the_desks(db: &TestDb) {
    let store = &db.store;
    let (request_id, holder_id) = request(store).await;
    store
        .enqueue_mail(mail(request_id, holder_id, "k-clock"), ALICE)
        .await
        .unwrap()
        .unwrap();
    let now = store.clock().now() + Duration::seconds(1);
    let taken = store
        .claim_due_mail(now, 10, "desk-a", LEASE)
        .await
        .unwrap();
    assert_eq!(taken.len(), 1);
    let ahead = now + Duration::hours(2);
    assert!(
        store
            .claim_due_mail(ahead, 10, "desk-b", LEASE)
            .await
            .unwrap()
            .is_empty(),
        "a desk whose clock runs ahead took a message another desk is sending"
    );
}
on_both!(leases_follow_the_database_clock_not_the_desks);

async fn failures_wait_give_up_and_operators_retry_or_cancel(db: &TestDb) {
    let store = &db.store;
    let (request_id, holder_id) = request(store).await;
    let m = store
        .enqueue_mail(mail(request_id, holder_id, "k2"), ALICE)
        .await
        .unwrap()
        .unwrap();
    let now = store.clock().now().trunc_subsecs(6) + Duration::seconds(1);
    store.claim_due_mail(now, 1, "desk", LEASE).await.unwrap();
    let retry_at = now + Duration::minutes(1);
    let waiting = store
        .record_mail_failure(
            m.id,
            "desk",
            now,
            "connection refused",
            MailFailure::RetryAt(retry_at),
        )
        .await
        .unwrap();
    assert_eq!(waiting.status, MailStatus::Queued);
    assert_eq!(waiting.next_attempt_at, retry_at);
    assert_eq!(waiting.last_error.as_deref(), Some("connection refused"));
    // Not due before its time.
    assert!(store
        .claim_due_mail(now + Duration::seconds(59), 1, "desk", LEASE)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .claim_due_mail(retry_at, 1, "desk", LEASE)
            .await
            .unwrap()
            .len(),
        1
    );
    let failed = store
        .record_mail_failure(
            m.id,
            "desk",
            retry_at,
            "550 no such user",
            MailFailure::GiveUp,
        )
        .await
        .unwrap();
    assert_eq!((failed.status, failed.attempts), (MailStatus::Failed, 2));
    let history = store.audit_for_request(request_id).await.unwrap();
    let failure = history.iter().find(|a| a.action == "mail_failed").unwrap();
    assert_eq!(failure.reason.as_deref(), Some("550 no such user"));

    // Only queued messages can be cancelled, only failed or cancelled ones retried.
    assert_eq!(
        store
            .cancel_mail(m.id, ALICE, None)
            .await
            .unwrap_err()
            .code(),
        "mail.wrong_state"
    );
    let requeued = store.retry_mail(m.id, ALICE).await.unwrap();
    assert_eq!(
        (requeued.status, requeued.attempts),
        (MailStatus::Queued, 0)
    );
    assert_eq!(
        store.retry_mail(m.id, ALICE).await.unwrap_err().code(),
        "mail.wrong_state"
    );
    let cancelled = store
        .cancel_mail(m.id, ALICE, Some("wrong address"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, MailStatus::Cancelled);
    let actions: Vec<String> = store
        .audit_for_request(request_id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .filter(|a| a.starts_with("mail_"))
        .collect();
    assert_eq!(
        actions,
        ["mail_queued", "mail_failed", "mail_retry", "mail_cancel"]
    );
    let only_cancelled = store
        .list_outbox(&OutboxQuery {
            statuses: vec![MailStatus::Cancelled],
            ..OutboxQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(only_cancelled.len(), 1);
    assert_eq!(
        store
            .get_outbox_message(Uuid::now_v7())
            .await
            .unwrap_err()
            .code(),
        "store.not_found"
    );
}
on_both!(failures_wait_give_up_and_operators_retry_or_cancel);

async fn holder_language_and_mail_settings(db: &TestDb) {
    let store = &db.store;
    let (_, holder_id) = request(store).await;
    assert_eq!(store.holder_mail_language(holder_id).await.unwrap(), None);
    store
        .set_holder_mail_language(holder_id, Some(MailLanguage::En), ALICE)
        .await
        .unwrap();
    assert_eq!(
        store.holder_mail_language(holder_id).await.unwrap(),
        Some(MailLanguage::En)
    );
    store
        .set_holder_mail_language(holder_id, None, ALICE)
        .await
        .unwrap();
    assert_eq!(store.holder_mail_language(holder_id).await.unwrap(), None);
    let audit = store
        .audit_for(AuditEntity::Holder, &holder_id.to_string())
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "set_mail_language")
            .count(),
        2
    );
    assert_eq!(
        store
            .set_holder_mail_language(Uuid::now_v7(), Some(MailLanguage::Fr), ALICE)
            .await
            .unwrap_err()
            .code(),
        "store.not_found"
    );

    assert_eq!(store.mail_settings_json().await.unwrap(), None);
    let settings = serde_json::json!({ "enabled": true, "host": "smtp.example.fr" });
    store
        .save_mail_settings_json(&settings, ALICE)
        .await
        .unwrap();
    assert_eq!(store.mail_settings_json().await.unwrap(), Some(settings));
    let audit = store
        .audit_for(AuditEntity::Settings, "mail")
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}
on_both!(holder_language_and_mail_settings);
