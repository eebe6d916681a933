//! The mail tests' queue and requests. The SMTP server on loopback, the databases and
//! the fixtures come from `sesame-test-support`.

use sesame_core::{AttachmentKind, RequestDetails, RequestKind};
use sesame_store::{NewRequest, RequestDetail, Store};
use sesame_test_support::fixtures::{approve, fake_jpeg, holder_with_email, print};
pub use sesame_test_support::mail::settings_for_port;
pub use sesame_test_support::smtp::{free_port, SmtpServer};
use sesame_test_support::TestDb;

pub const DESK: &str = "desk-1";

/// A throwaway SQLite queue with the pinned clock.
pub async fn sqlite_queue() -> TestDb {
    TestDb::sqlite().await
}

fn new_badge(family: &str, given: &str, email: Option<&str>) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder: holder_with_email(family, given, email),
        request: RequestDetails::new(RequestKind::NewBadge),
    }
}

pub async fn create(
    store: &Store,
    family: &str,
    given: &str,
    email: Option<&str>,
) -> RequestDetail {
    store
        .create_request(new_badge(family, given, email), DESK)
        .await
        .unwrap()
}

/// Takes a created request through photo, consent, certification, approval and
/// printing: it gets its badge.
pub async fn printed(store: &Store, id: uuid::Uuid) -> RequestDetail {
    store
        .put_attachment(id, AttachmentKind::Photo, &fake_jpeg(7), DESK)
        .await
        .unwrap();
    approve(store, id, DESK).await;
    print(store, id, DESK).await
}
