//! Text that hides what it is: names carrying control or bidi-override characters
//! (a U+202E makes "Martin\u{202E}fdp.exe" read "Martinexe.pdf" on screen and on the
//! badge) are refused wherever a holder's details come in, and names that a
//! spreadsheet would run as a formula are exported as plain text.

use sesame_core::ErrorCode;
use sesame_service::{
    create_request, export_badges_csv, export_queue_csv, import_requests_csv, BadgeExportInput,
    CsvImportInput, Destination, FileBytes, QueueExportInput,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder, request_for};

/// Each free-text identity field, poisoned one at a time, is refused naming the field.
#[tokio::test]
async fn control_and_bidi_characters_are_refused_at_creation() {
    let desk = TestDesk::sqlite().await;
    let poisoned = [
        ("familyName", "\u{202E}", {
            let mut h = holder("Martin", "Zoé");
            h.family_name = "Martin\u{202E}fdp.exe".into();
            h
        }),
        ("givenNames", "\n", {
            let mut h = holder("Martin", "Zoé");
            h.given_names = "Zoé\nAdmin".into();
            h
        }),
        ("givenNames", "\u{2066}", {
            let mut h = holder("Martin", "Zoé");
            h.given_names = "Zo\u{2066}é".into();
            h
        }),
        ("email", "\u{200F}", {
            let mut h = holder("Martin", "Zoé");
            h.email = Some("zoe\u{200F}@example.fr".into());
            h
        }),
        ("unit", "\t", {
            let mut h = holder("Martin", "Zoé");
            h.unit = Some("UMR\t1".into());
            h
        }),
        ("organisation", "\u{85}", {
            let mut h = holder("Martin", "Zoé");
            h.organisation = Some("La\u{85}bo".into());
            h
        }),
        ("externalId", "\u{1B}", {
            let mut h = holder("Martin", "Zoé");
            h.external_id = Some("HR\u{1B}[31m1".into());
            h
        }),
    ];
    for (field, what, details) in poisoned {
        let err = create_request(&desk, request_for(details))
            .await
            .expect_err(&format!("{field} with {what:?} accepted"));
        assert_eq!(err.code(), "holder.invalid_characters", "{field}: {err}");
        assert!(err.to_string().contains(field), "{err}");
    }
    assert_eq!(desk.store().await.info().await.unwrap().requests, 0);

    // Names from everywhere still go in, the zero-width joiner included.
    for (family, given) in [
        ("O’Brien", "Seán"),
        ("محمد", "علي"),
        ("क्\u{200D}षत्रिय", "Anil"),
    ] {
        create_request(&desk, request_for(holder(family, given)))
            .await
            .unwrap_or_else(|e| panic!("{family} {given} refused: {e}"));
    }
    desk.finish().await;
}

#[tokio::test]
async fn control_and_bidi_characters_are_refused_when_a_holder_is_edited() {
    let desk = TestDesk::sqlite().await;
    let created = create_request(&desk, request_for(holder("Martin", "Zoé")))
        .await
        .unwrap();
    let store = desk.store().await;
    let before = store.get_holder(created.holder.id).await.unwrap();
    let mut details = before.details.clone();
    details.family_name = "Martin\u{202D}".into();
    let err = store
        .update_holder(before.id, before.version, details, "desk")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "holder.invalid_characters");
    assert_eq!(store.get_holder(before.id).await.unwrap(), before);
    desk.finish().await;
}

/// A bad row of an HR file is reported with its field; the other rows go in.
#[tokio::test]
async fn a_csv_row_with_hidden_characters_is_refused_and_the_others_imported() {
    let desk = TestDesk::sqlite().await;
    let file = "Nom;Prénom;Courriel;Catégorie\r\n\
                Martin;Zoé;zoe@example.fr;staff\r\n\
                Evil\u{202E}fdp.exe;Eve;eve@example.fr;staff\r\n\
                \"Tab\tName\";Tom;tom@example.fr;staff\r\n\
                Durand;Léo;leo@example.fr;staff\r\n";
    let report = import_requests_csv(
        &desk,
        CsvImportInput {
            content: FileBytes::from(file.as_bytes()),
            dry_run: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.created.len(), 2);
    let refused: Vec<(u64, &str, Option<&str>)> = report
        .refused
        .iter()
        .map(|r| (r.row, r.code.as_str(), r.column.as_deref()))
        .collect();
    assert_eq!(
        refused,
        vec![
            (2, "holder.invalid_characters", Some("familyName")),
            (3, "holder.invalid_characters", Some("familyName")),
        ]
    );
    desk.finish().await;
}

/// Names a spreadsheet would run: with leading spaces, and with the full-width `＝`
/// that spreadsheets read as `=`. Both exports write them behind a quote.
#[tokio::test]
async fn exported_names_never_start_a_formula() {
    let desk = TestDesk::sqlite().await;
    let out = tempfile::tempdir().unwrap();
    let hyperlink = "  =HYPERLINK(\"http://x\")";
    let mut first = holder("Zed", "Hyperlink");
    first.family_name = hyperlink.into();
    let mut second = holder("Zed", "Fullwidth");
    second.family_name = "\u{FF1D}1+1".into();
    second.unit = Some("\u{FF20}SUM(A1)".into());
    desk.active_badge(request_for(first)).await;
    desk.active_badge(request_for(second)).await;

    let queue = export_queue_csv(
        &desk,
        QueueExportInput {
            destination: Destination::Path(out.path().join("queue.csv")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let badges = export_badges_csv(
        &desk,
        BadgeExportInput {
            destination: Destination::Path(out.path().join("badges.csv")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for file in [queue.path, badges.path] {
        let text = std::fs::read_to_string(&file).unwrap();
        let cells: Vec<&str> = text
            .lines()
            .skip(1)
            .flat_map(|line| line.split(';'))
            .map(|cell| cell.trim_start_matches('"'))
            .collect();
        for cell in &cells {
            let first = cell.trim_start().chars().next();
            assert!(
                !matches!(
                    first,
                    Some('=' | '+' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}')
                ),
                "{file}: cell {cell:?} starts a formula"
            );
        }
        assert!(text.contains("'=HYPERLINK("), "{file}: {text}");
        assert!(text.contains("'\u{FF1D}1+1"), "{file}: {text}");
        assert!(text.contains("'\u{FF20}SUM(A1)"), "{file}: {text}");
    }
    desk.finish().await;
}
