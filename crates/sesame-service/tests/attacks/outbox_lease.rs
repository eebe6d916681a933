//! Two desks drain one outbox. Each message must reach the SMTP server exactly once,
//! however the desks' clocks differ and however long a run takes: the leases are the
//! database's, and a desk checks its lease on a message right before sending it.
//! Each scenario on SQLite and on PostgreSQL, against the real loopback SMTP server,
//! which counts what it receives.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sesame_core::Clock;
use sesame_mail::{Deliver, OutboxMessage, SendFailure, SendOptions, SmtpMailer};
use sesame_service::{
    mail_outbox, save_mail_settings, send_due_mail, MailStatus, OutboxQuery, SaveMailSettingsInput,
};
use sesame_test_support::desk::{open_desk, TestDesk};
use sesame_test_support::fixtures::new_request;
use sesame_test_support::smtp::SmtpServer;
use tokio::sync::Notify;

/// `desk` mailing to `server`, with one "request received" message queued per holder.
async fn queue_messages(desk: &TestDesk, server: &SmtpServer, holders: usize) {
    save_mail_settings(
        desk,
        SaveMailSettingsInput {
            settings: server.settings(),
            password: None,
        },
    )
    .await
    .unwrap();
    for n in 0..holders {
        desk.registered(new_request(&format!("Martin{n}"), "Zoé"))
            .await;
    }
    let queued = mail_outbox(desk, OutboxQuery::default()).await.unwrap();
    assert_eq!(queued.len(), holders);
}

/// Panics unless the server received each of the outbox's messages exactly once, and
/// the outbox says each is sent.
async fn assert_each_sent_once(desk: &TestDesk, server: &SmtpServer) {
    let outbox = mail_outbox(desk, OutboxQuery::default()).await.unwrap();
    let mut deliveries: HashMap<String, usize> = HashMap::new();
    for mail in server.received() {
        *deliveries
            .entry(mail.message_id.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let twice: Vec<_> = deliveries.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    assert_eq!(deliveries.len(), outbox.len(), "{deliveries:?}");
    for message in &outbox {
        assert_eq!(message.status, MailStatus::Sent, "{message:?}");
        assert!(
            deliveries
                .keys()
                .any(|id| id.contains(&message.id.to_string())),
            "{} never reached the server",
            message.id
        );
    }
}

/// Desk B's clock runs an hour ahead of desk A's: by B's clock every lease A took a
/// minute ago ran out long ago. Both drain the outbox at once; no message goes twice.
async fn a_desk_with_its_clock_ahead_never_sends_what_another_is_sending(a: TestDesk) {
    let server = SmtpServer::start();
    queue_messages(&a, &server, 30).await;
    let ahead = Clock::pinned(a.clock().local_now() + chrono::Duration::hours(1));
    let b = open_desk(a.options_as("desk-b").clock(ahead)).await;

    let (from_a, from_b) = tokio::join!(send_due_mail(&a), send_due_mail(&b));
    let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
    assert_eq!(from_a.sent + from_b.sent, 30, "{from_a:?} {from_b:?}");
    assert_each_sent_once(&a, &server).await;
    b.close().await;
    a.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_ahead_on_sqlite() {
    a_desk_with_its_clock_ahead_never_sends_what_another_is_sending(
        TestDesk::sqlite_as("desk-a").await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_ahead_on_postgres() {
    if let Some(desk) = TestDesk::postgres_as("desk-a").await {
        a_desk_with_its_clock_ahead_never_sends_what_another_is_sending(desk).await;
    }
}

/// The SMTP client, held up on the first message it is given until told to go on:
/// a slow exchange with the server, as long as the test needs.
struct SlowFirstMessage {
    smtp: SmtpMailer,
    first_done: AtomicBool,
    sending_first: Notify,
    go_on: Notify,
}

impl Deliver for SlowFirstMessage {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendFailure> {
        if !self.first_done.swap(true, Ordering::SeqCst) {
            self.sending_first.notify_one();
            self.go_on.notified().await;
        }
        self.smtp.deliver(message).await
    }
}

/// Leases short enough to run out during the test.
const CLAIM_LEASE: Duration = Duration::from_millis(800);

/// Desk A claims both messages, then takes so long over the first that its lease on
/// the second runs out; desk B takes the second and sends it. A must then skip it.
async fn a_desk_whose_lease_ran_out_mid_run_skips_the_message(a: TestDesk) {
    let server = SmtpServer::start();
    queue_messages(&a, &server, 2).await;
    let b = a.another_desk("desk-b").await;
    let slow = SlowFirstMessage {
        smtp: SmtpMailer::new(&server.settings(), None).unwrap(),
        first_done: AtomicBool::new(false),
        sending_first: Notify::new(),
        go_on: Notify::new(),
    };
    let store = a.store().await;
    let options = SendOptions {
        claim_lease: CLAIM_LEASE,
        send_lease: Duration::from_secs(60),
        batch: 10,
    };
    let run_a = sesame_mail::send_due_through(&store, &slow, a.clock().now(), "desk-a", options);
    let meanwhile_b = async {
        slow.sending_first.notified().await;
        // A is sending message 1 (its lease renewed); its lease on message 2 runs out.
        tokio::time::sleep(CLAIM_LEASE + Duration::from_millis(700)).await;
        let from_b = send_due_mail(&b).await.unwrap();
        slow.go_on.notify_one();
        from_b
    };
    let (from_a, from_b) = tokio::join!(run_a, meanwhile_b);
    let from_a = from_a.unwrap();
    assert_eq!((from_b.sent, from_b.skipped), (1, 0), "{from_b:?}");
    assert_eq!((from_a.sent, from_a.skipped), (1, 1), "{from_a:?}");
    assert_each_sent_once(&a, &server).await;
    store.close().await;
    b.close().await;
    a.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lease_runs_out_mid_run_on_sqlite() {
    a_desk_whose_lease_ran_out_mid_run_skips_the_message(TestDesk::sqlite_as("desk-a").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lease_runs_out_mid_run_on_postgres() {
    if let Some(desk) = TestDesk::postgres_as("desk-a").await {
        a_desk_whose_lease_ran_out_mid_run_skips_the_message(desk).await;
    }
}
