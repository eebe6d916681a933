//! Personal data over time and the holders' rights, through the desk: a holder's
//! archive (decrypted files included), erasure, and the retention purge, which act for
//! the desk's today and are a supervisor's.

use std::io::Read;

use sesame_core::{ErrorCode, HolderDetails, RequestStatus};
use sesame_service::{
    erase_holder_data, export_holder_archive, get_request, list_requests, request_history,
    retention_plan, retention_purge, EraseHolderInput, HolderId, QueueQuery, RequestId,
    PRINT_DIR_ENV,
};
use sesame_test_support::desk::TestDesk;
use sesame_test_support::fixtures::{holder, jpeg_with, request_for};
use sesame_test_support::pinned_day;

fn erase(holder_id: HolderId, reason: &str) -> EraseHolderInput {
    EraseHolderInput {
        holder_id,
        reason: reason.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_is_exported_then_erased() {
    let desk = TestDesk::sqlite().await;
    let prints = desk.file("out");
    std::env::set_var(PRINT_DIR_ENV, &prints);
    let collins = HolderDetails {
        phone: Some("+33 6 12 34 56 78".into()),
        external_id: Some("HR-1956".into()),
        ..holder("Collins", "Eileen")
    };
    let bytes = jpeg_with(b"Eileen-Collins-pixels-");
    let request = desk.with_photo(request_for(collins), &bytes).await;
    let holder = HolderId(request.holder.id);
    let request_id = RequestId(request.request.id);

    let export = export_holder_archive(&desk, holder).await.unwrap();
    assert!(
        export.path.starts_with(prints.to_str().unwrap()),
        "{export:?}"
    );
    assert_eq!(export.files, 1);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&export.path).unwrap()).unwrap();
    let mut json = String::new();
    zip.by_name("holder.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["holder"]["familyName"], "Collins");
    assert_eq!(value["requests"].as_array().unwrap().len(), 1);
    assert!(!value["audit"].as_array().unwrap().is_empty());
    let name = value["files"][0].as_str().unwrap().to_owned();
    let mut photo_back = Vec::new();
    zip.by_name(&name)
        .unwrap()
        .read_to_end(&mut photo_back)
        .unwrap();
    assert_eq!(photo_back, bytes, "the archive holds the decrypted photo");

    assert_eq!(
        erase_holder_data(&desk, erase(holder, "  "))
            .await
            .unwrap_err()
            .code(),
        "holder.erase_reason_required"
    );
    // The open request is cancelled first, then everything personal goes.
    let erased = erase_holder_data(&desk, erase(holder, "request of 2026-11-20 by letter"))
        .await
        .unwrap();
    assert_eq!((erased.requests, erased.attachments_deleted), (1, 1));
    let after = get_request(&desk, request_id).await.unwrap();
    assert_eq!(after.request.status, RequestStatus::Cancelled);
    assert_eq!(after.holder.details.family_name, "ANONYME");
    assert_eq!(after.holder.details.email, None);
    assert_eq!(after.holder.details.external_id, None);
    assert!(after.attachments.is_empty());
    let history = request_history(&desk, request_id).await.unwrap();
    assert!(history.iter().all(|e| e.redacted));
    assert!(history.iter().any(|e| e.action == "cancel"));
    let found = list_requests(
        &desk,
        QueueQuery {
            search: Some("Collins".into()),
            ..QueueQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(found.rows.is_empty());
    let again = export_holder_archive(&desk, holder).await.unwrap();
    assert_eq!(again.files, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_purge_and_erasure_act_for_today_and_need_a_supervisor() {
    let alice = TestDesk::sqlite_as("alice").await;
    // The purge also cleans the output folder: never the user's own.
    std::env::set_var(PRINT_DIR_ENV, alice.file("out"));
    let bob = alice.another_desk("bob").await;

    let plan = retention_plan(&bob).await.unwrap();
    assert_eq!(plan.today, pinned_day());
    assert_eq!(
        retention_purge(&bob).await.unwrap_err().code(),
        "operator.supervisor_required"
    );
    let report = retention_purge(&alice).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(
        erase_holder_data(
            &bob,
            erase(HolderId(uuid::Uuid::now_v7()), "holder's request")
        )
        .await
        .unwrap_err()
        .code(),
        "operator.supervisor_required"
    );
    // The holder's id is parsed where the text comes in, with the request's code.
    assert_eq!(
        "not-an-id".parse::<HolderId>().unwrap_err().code(),
        "request.bad_id"
    );
}
