//! `sesamectl mail`: the binary sends what the desk queued to a real SMTP server on
//! loopback (scripts/smtp-test-server.sh), lists the outbox and retries a message.

use sesame_service::{create_request, save_mail_settings, SaveMailSettingsInput};
use sesame_test_support::cli::Sesamectl;
use sesame_test_support::fixtures::{holder_with_email, request_for};
use sesame_test_support::mail::settings_for_port;
use sesame_test_support::smtp::{free_port, SmtpServer};

#[tokio::test]
async fn mail_send_outbox_and_retry_from_the_command_line() {
    let site = Sesamectl::new(env!("CARGO_BIN_EXE_sesamectl"), "alice");
    let port = free_port();
    // The office's settings, and a request registered at the desk, which queues its
    // "received" message.
    let desk = site.desk().await;
    save_mail_settings(
        &desk,
        SaveMailSettingsInput {
            settings: settings_for_port(port),
            password: None,
        },
    )
    .await
    .unwrap();
    let holder = holder_with_email("Lefèvre", "Zoé", Some("zoe@univ.example"));
    create_request(&desk, request_for(holder)).await.unwrap();
    desk.close().await;

    // Server down: exit status 1, the message waits.
    let down = site.run(&["mail", "send"]);
    down.assert_exit(1);
    assert!(down.text().contains("to retry later 1"), "{}", down.text());
    let outbox = site.run(&["mail", "outbox", "--json"]);
    outbox.assert_success();
    let messages = outbox.json();
    let messages = messages.as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["status"], "queued");
    assert_eq!(messages[0]["attempts"], 1);
    let id = messages[0]["id"].as_str().unwrap().to_owned();

    // Cancel, then retry: due again at once, and sent now that the server is up.
    let server = SmtpServer::start_on(port, None);
    site.run(&["mail", "cancel", &id, "--reason", "test"])
        .assert_success();
    site.run(&["mail", "retry", &id]).assert_success();
    let sent = site.run(&["mail", "send"]);
    sent.assert_success();
    assert!(sent.text().contains("sent 1"), "{}", sent.text());
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Votre demande de badge a bien été reçue");
    assert_eq!(mails[0].to, "zoe@univ.example");

    let listing = site.run(&["mail", "outbox", "--status", "sent"]);
    assert!(listing.text().contains("sent 1"), "{}", listing.text());
    assert!(
        listing.text().contains("zoe@univ.example"),
        "{}",
        listing.text()
    );
    let bad = site.run(&["mail", "retry", "nope"]);
    bad.assert_exit(2);
    assert!(bad.text().contains("error[mail.bad_id]"), "{}", bad.text());
}
