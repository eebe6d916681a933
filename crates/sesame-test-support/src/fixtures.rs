//! Holders, requests, photos, and the store states tests start from.

use chrono::NaiveDate;
use sesame_core::{
    AttachmentKind, Badge, BadgeStatus, DispatchMethod, HolderDetails, RequestAction,
    RequestDetails, RequestKind, RequestStatus,
};
use sesame_store::{NewRequest, RequestDetail, Store, StoreError};
use uuid::Uuid;

use crate::clock::day;

/// The steps from a complete request to its approval.
pub const TO_APPROVAL: [RequestAction; 4] = [
    RequestAction::RecordImageRightsConsent,
    RequestAction::CertifyPhoto,
    RequestAction::Evaluate,
    RequestAction::Approve,
];

/// A staff member of "Labo", present five days a week, whose mission ends 400 days
/// after the pinned day; the e-mail is made from the names
/// (`zoe.lefevre@example.fr` for Lefèvre Zoé).
pub fn holder(family: &str, given: &str) -> HolderDetails {
    let email = format!(
        "{}.{}@example.fr",
        sesame_core::text::fold(given).replace(' ', "-"),
        sesame_core::text::fold(family).replace(' ', "-")
    );
    holder_with_email(family, given, Some(&email))
}

/// [`holder`] with the e-mail given (or none).
pub fn holder_with_email(family: &str, given: &str, email: Option<&str>) -> HolderDetails {
    HolderDetails {
        family_name: family.into(),
        given_names: given.into(),
        email: email.map(str::to_owned),
        phone: None,
        organisation: Some("Labo".into()),
        unit: Some("Unit 1".into()),
        category: "staff".into(),
        external_id: None,
        presence_days_per_week: 5,
        mission_start: None,
        mission_end: Some(day(400)),
    }
}

/// A visitor of "Labo" (category `visitor`, never present weekly), e-mail made from
/// the names as for [`holder`].
pub fn visitor(family: &str, given: &str) -> HolderDetails {
    HolderDetails {
        category: "visitor".into(),
        presence_days_per_week: 0,
        ..holder(family, given)
    }
}

/// A new badge for a new [`holder`], asking for zone "Bât A".
pub fn new_request(family: &str, given: &str) -> NewRequest {
    request_for(holder(family, given))
}

/// A new badge for a new [`holder`], asking for exactly `zones` (possibly none).
pub fn new_request_in(family: &str, given: &str, zones: &[&str]) -> NewRequest {
    let mut new = new_request(family, given);
    new.request.zones = zones.iter().map(|z| z.to_string()).collect();
    new
}

/// A day pass for `holder`, from `first` to `last` (both included).
pub fn day_pass_request(holder: HolderDetails, first: NaiveDate, last: NaiveDate) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder,
        request: RequestDetails {
            wanted_from: Some(first),
            wanted_until: Some(last),
            ..RequestDetails::new(RequestKind::DayPass)
        },
    }
}

/// A new badge for `holder`, asking for zone "Bât A".
pub fn request_for(holder: HolderDetails) -> NewRequest {
    NewRequest {
        holder_id: None,
        holder,
        request: RequestDetails {
            zones: vec!["Bât A".into()],
            ..RequestDetails::new(RequestKind::NewBadge)
        },
    }
}

/// The smallest bytes that pass the store's JPEG check (signature only, never
/// decoded), different for each `seed`.
pub fn fake_jpeg(seed: u8) -> Vec<u8> {
    jpeg_with(&[seed; 8])
}

/// Bytes that pass the store's JPEG check with `marker` repeated inside (to find them
/// again, or prove they are not there in clear).
pub fn jpeg_with(marker: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    for _ in 0..8 {
        bytes.extend_from_slice(marker);
    }
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// A real 300 × 400 JPEG (decodable, for the photo checks and PDFs) whose pixels
/// depend on `seed`.
pub fn photo_jpeg(seed: u32) -> Vec<u8> {
    photo_as(seed, image::ImageFormat::Jpeg)
}

/// [`photo_jpeg`]'s picture as a PNG (a photo the print engine must convert).
pub fn photo_png(seed: u32) -> Vec<u8> {
    photo_as(seed, image::ImageFormat::Png)
}

fn photo_as(seed: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 400, |x, y| {
        image::Rgb([
            ((x + seed) % 256) as u8,
            ((y * 3 + seed) % 256) as u8,
            (seed % 256) as u8,
        ])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, format)
        .unwrap_or_else(|e| panic!("encode a {format:?} photo: {e}"));
    bytes.into_inner()
}

/// The smallest bytes that pass as a PDF scan.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}

/// Takes a request through `actions` in order, each on the version the previous
/// step returned, as `operator`; panics naming the step that was refused.
pub async fn walk(
    store: &Store,
    id: Uuid,
    operator: &str,
    actions: &[RequestAction],
) -> RequestDetail {
    let mut detail = store.get_request(id).await.expect("the request");
    for action in actions {
        detail = store
            .transition(id, detail.request.version, action.clone(), operator, None)
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    detail
}

/// Creates `new` as `clerk` and adds `photo` to it; returns the request as it stands.
pub async fn with_photo(
    store: &Store,
    new: NewRequest,
    photo: &[u8],
    clerk: &str,
) -> RequestDetail {
    let id = store
        .create_request(new, clerk)
        .await
        .expect("create the request")
        .request
        .id;
    store
        .put_attachment(id, AttachmentKind::Photo, photo, clerk)
        .await
        .expect("add the photo");
    store.get_request(id).await.expect("the request")
}

/// Takes an existing request with its photo through consent, certification, review
/// and approval, as `reviewer`.
pub async fn approve(store: &Store, id: Uuid, reviewer: &str) -> RequestDetail {
    let detail = walk(store, id, reviewer, &TO_APPROVAL).await;
    assert_eq!(detail.request.status, RequestStatus::Approved, "{detail:?}");
    detail
}

/// An approved request with its photo: created with `photo` by `clerk`, approved by
/// `reviewer`.
pub async fn approved_request(
    store: &Store,
    new: NewRequest,
    photo: &[u8],
    clerk: &str,
    reviewer: &str,
) -> RequestDetail {
    let created = with_photo(store, new, photo, clerk).await;
    approve(store, created.request.id, reviewer).await
}

/// Prints an approved request as `printer` (one-card batch, nothing rendered): it gets
/// its badge.
pub async fn print(store: &Store, id: Uuid, printer: &str) -> RequestDetail {
    let outcome = store
        .print_batch(&[id], printer, None, |_| Ok::<_, StoreError>(()))
        .await
        .expect("print the badge");
    assert_eq!(outcome.printed.len(), 1, "{outcome:?}");
    store.get_request(id).await.expect("the request")
}

/// A printed badge: [`approved_request`], then printed by `clerk`.
pub async fn printed_badge(
    store: &Store,
    new: NewRequest,
    photo: &[u8],
    clerk: &str,
    reviewer: &str,
) -> RequestDetail {
    let approved = approved_request(store, new, photo, clerk, reviewer).await;
    print(store, approved.request.id, clerk).await
}

/// [`approved_request`] for [`new_request`]`(family, given)` with `fake_jpeg(1)` as its
/// photo, when the test needs an approved request but not which photo it has.
pub async fn approved_staff_request(
    store: &Store,
    family: &str,
    given: &str,
    clerk: &str,
    reviewer: &str,
) -> RequestDetail {
    approved_request(
        store,
        new_request(family, given),
        &fake_jpeg(1),
        clerk,
        reviewer,
    )
    .await
}

/// [`printed_badge`] for [`new_request`]`(family, given)` with `fake_jpeg(1)` as its
/// photo, when the test needs a printed badge but not which photo it has.
pub async fn printed_staff_badge(
    store: &Store,
    family: &str,
    given: &str,
    clerk: &str,
    reviewer: &str,
) -> RequestDetail {
    printed_badge(
        store,
        new_request(family, given),
        &fake_jpeg(1),
        clerk,
        reviewer,
    )
    .await
}

/// An active staff badge for a new [`holder`] `family` Zoé, asking for exactly `zones`
/// and the `restaurant` service, with `fake_jpeg(3)` as its photo: consent,
/// certification, review, approval, marked printed, handed over and activated, every
/// step by `operator`.
pub async fn active_badge(store: &Store, family: &str, zones: &[&str], operator: &str) -> Badge {
    let mut new = new_request_in(family, "Zoé", zones);
    new.request.services = vec!["restaurant".into()];
    let id = with_photo(store, new, &fake_jpeg(3), operator)
        .await
        .request
        .id;
    walk(store, id, operator, &TO_APPROVAL).await;
    let done = walk(
        store,
        id,
        operator,
        &[
            RequestAction::MarkPrinted,
            RequestAction::Dispatch {
                method: DispatchMethod::HandedOver,
            },
            RequestAction::Activate,
        ],
    )
    .await;
    let badge = done.badge.expect("an active badge");
    assert_eq!(badge.status, BadgeStatus::Active, "{badge:?}");
    badge
}

/// One of scikit-image's photographs (`astronaut.png`, `chelsea.png`…), fetched into
/// `.cache/test-photos` by `scripts/fetch-test-photos.sh` (never committed).
pub fn test_photo(name: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../.cache/test-photos")
        .join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/fetch-test-photos.sh",
        path.display()
    );
    path
}
