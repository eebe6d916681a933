//! Visitors' day passes on a real SQLite desk: the notice they need, the visitors
//! expected on a chosen day, their arrival (the host e-mailed) and departure (the
//! badge back, or housekeeping closing the visit after its day), and the refused
//! visitors' list intake checks. Dates are written relative to the pinned day.

use sesame_core::{ErrorCode, RequestDetails, RequestKind};
use sesame_service::{
    add_refused_visitor, check_in_visitor, check_out_visitor, create_day_pass, create_request,
    mail_outbox, refused_visitors, remove_refused_visitor, run_housekeeping, save_mail_settings,
    visitors_of_day, CheckInInput, CheckOutInput, HousekeepingOptions, MailTemplate,
    NewRefusedVisitor, NewRequest, OutboxQuery, RequestId, SaveMailSettingsInput, VisitHost,
    VisitorsDayInput,
};
use sesame_test_support::day;
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{day_pass_request, request_for, visitor};
use sesame_test_support::mail::settings_for_port;
use sesame_test_support::smtp::free_port;

async fn visitors_on(desk: &TestDesk, day: chrono::NaiveDate) -> Vec<sesame_service::VisitorRow> {
    visitors_of_day(desk, VisitorsDayInput { day: Some(day) })
        .await
        .unwrap()
}

#[tokio::test]
async fn day_passes_need_notice_and_are_listed_on_their_day() {
    let desk = TestDesk::sqlite().await;
    // Asked for as a new badge: the desk makes it a day pass.
    let asked_for = |first| NewRequest {
        holder_id: None,
        holder: visitor("Visite", "Zoé"),
        request: RequestDetails {
            wanted_from: Some(first),
            wanted_until: Some(first),
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    };
    let err = create_day_pass(&desk, asked_for(day(0)), None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "day_pass.too_late");
    let pass = create_day_pass(&desk, asked_for(day(5)), None)
        .await
        .unwrap();
    assert_eq!(pass.request.details.kind, RequestKind::DayPass);
    assert!(visitors_of_day(&desk, VisitorsDayInput::default())
        .await
        .unwrap()
        .is_empty());
    let listed = visitors_on(&desk, day(5)).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].family_name, "Visite");
}

#[tokio::test]
async fn visitors_of_a_chosen_day_are_the_day_passes_covering_it() {
    let desk = TestDesk::sqlite().await;
    let (first, last) = (day(3), day(4));
    create_day_pass(
        &desk,
        day_pass_request(visitor("Leroy", "Zoé"), first, last),
        None,
    )
    .await
    .unwrap();
    for (day, expected) in [(first, 1), (last, 1), (day(5), 0)] {
        assert_eq!(visitors_on(&desk, day).await.len(), expected, "{day}");
    }
    let visitors = visitors_on(&desk, first).await;
    assert_eq!(visitors[0].family_name, "Leroy");
    assert_eq!(visitors[0].first_day, first);
    // No day: today at the desk, when nobody is expected.
    assert!(visitors_of_day(&desk, VisitorsDayInput::default())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_visitor_arrives_their_host_is_told_and_they_leave_or_housekeeping_closes_the_visit() {
    let desk = TestDesk::sqlite().await;
    std::env::set_var(sesame_service::PRINT_DIR_ENV, desk.file("out"));
    save_mail_settings(
        &desk,
        SaveMailSettingsInput {
            settings: settings_for_port(free_port()),
            password: None,
        },
    )
    .await
    .unwrap();
    let host = VisitHost {
        name: "Pr Anne Martin".into(),
        email: Some("anne.martin@univ.example".into()),
    };
    let mut holder = visitor("Leroy", "Zoé");
    holder.organisation = Some("Acme".into());
    let pass = create_day_pass(
        &desk,
        day_pass_request(holder, day(3), day(4)),
        Some(host.clone()),
    )
    .await
    .unwrap();
    let id: RequestId = pass.request.id.into();
    let bad_host = create_day_pass(
        &desk,
        day_pass_request(visitor("Autre", "Léo"), day(3), day(3)),
        Some(VisitHost {
            name: " ".into(),
            email: None,
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(bad_host.code(), "visit.host_invalid");
    let bad_email = create_day_pass(
        &desk,
        day_pass_request(visitor("Autre", "Léo"), day(3), day(3)),
        Some(VisitHost {
            name: "Anne Martin".into(),
            email: Some("anne.martin".into()),
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(bad_email.code(), "visit.host_invalid");
    assert_eq!(visitors_on(&desk, day(3)).await.len(), 1, "nothing created");

    let early = check_in_visitor(
        &desk,
        CheckInInput {
            request_id: id,
            day: Some(day(2)),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(early.code(), "visit.not_expected");
    let on_day_3 = desk.desk_on(day(3)).await;
    let arrived = check_in_visitor(
        &on_day_3,
        CheckInInput {
            request_id: id,
            day: None,
        },
    )
    .await
    .unwrap();
    assert!(arrived.host_told);
    assert_eq!(arrived.visit.day, day(3));
    let again = check_in_visitor(
        &on_day_3,
        CheckInInput {
            request_id: id,
            day: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(again.code(), "visit.already_in");
    let outbox = mail_outbox(&desk, OutboxQuery::default()).await.unwrap();
    let told = outbox
        .iter()
        .find(|m| m.template == MailTemplate::VisitorArrived)
        .expect("the host's message");
    assert_eq!(told.recipient, "anne.martin@univ.example");
    assert!(
        told.subject.contains("Zoé Leroy (Acme)"),
        "{}",
        told.subject
    );
    assert!(told.body.contains("Pr Anne Martin"), "{}", told.body);

    let listed = visitors_on(&desk, day(3)).await;
    assert_eq!(listed[0].host.as_ref(), Some(&host));
    assert_eq!(
        listed[0].visit.as_ref().map(|v| v.id),
        Some(arrived.visit.id)
    );
    let left = check_out_visitor(
        &on_day_3,
        CheckOutInput {
            request_id: id,
            day: None,
            badge_returned: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(left.badge_returned, Some(true));
    assert!(!left.automatic_checkout);
    let twice = check_out_visitor(
        &on_day_3,
        CheckOutInput {
            request_id: id,
            day: None,
            badge_returned: true,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(twice.code(), "visit.already_out");

    // Day 4: in, never checked out; housekeeping on day 5 closes the visit.
    let on_day_4 = desk.desk_on(day(4)).await;
    check_in_visitor(
        &on_day_4,
        CheckInInput {
            request_id: id,
            day: None,
        },
    )
    .await
    .unwrap();
    let on_day_5 = desk.desk_on(day(5)).await;
    let report = run_housekeeping(&on_day_5, HousekeepingOptions::default())
        .await
        .unwrap();
    assert_eq!(report.visits_closed.len(), 1, "{:?}", report.visits_closed);
    let closed = &report.visits_closed[0];
    assert_eq!(closed.visit.day, day(4));
    assert!(closed.visit.automatic_checkout);
    assert_eq!(closed.visit.badge_returned, None);
    assert_eq!(closed.family_name, "Leroy");
    let again = run_housekeeping(&on_day_5, HousekeepingOptions::default())
        .await
        .unwrap();
    assert!(again.visits_closed.is_empty());
    desk.finish().await;
}

#[tokio::test]
async fn intake_refuses_a_person_on_the_refused_visitors_list_until_taken_off() {
    let desk = TestDesk::sqlite().await;
    let entry = add_refused_visitor(
        &desk,
        NewRefusedVisitor {
            family_name: "Indésirable".into(),
            given_names: "Jean  Marc".into(),
            organisation: None,
            reason: "comportement lors de la visite du 3 mars".into(),
        },
    )
    .await
    .unwrap();
    let incomplete = add_refused_visitor(&desk, NewRefusedVisitor::default())
        .await
        .unwrap_err();
    assert_eq!(incomplete.code(), "visit.refused_incomplete");
    assert_eq!(refused_visitors(&desk).await.unwrap(), vec![entry.clone()]);

    let listed = visitor("INDESIRABLE", "jean marc");
    let refused = create_day_pass(
        &desk,
        day_pass_request(listed.clone(), day(3), day(3)),
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "visit.refused_visitor");
    assert!(refused.to_string().contains("comportement"), "{refused}");
    let refused = create_request(&desk, request_for(listed.clone()))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "visit.refused_visitor");
    assert!(visitors_on(&desk, day(3)).await.is_empty());

    remove_refused_visitor(&desk, entry.id.into())
        .await
        .unwrap();
    assert!(refused_visitors(&desk).await.unwrap().is_empty());
    create_day_pass(&desk, day_pass_request(listed, day(3), day(3)), None)
        .await
        .unwrap();
    desk.finish().await;
}
