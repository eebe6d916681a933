//! Real desks for the tests above the store: a desk (`sesame_service::Desk`) on a
//! throwaway SQLite file or PostgreSQL database, with a keyring entry of its own
//! (the tests run under `scripts/with-keyring.sh`) and the pinned clock.
//!
//! Fixtures that set a state up below the desk (a request with a photo, a printed
//! badge) use [`TestDesk::store`]: the same database, sealed with the same data key,
//! so the desk reads what they wrote as if it had written it. Steps a user takes
//! (dispatch, activation) go through the service, as [`walk`] does.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;
use sesame_core::{Badge, DispatchMethod, RequestAction};
use sesame_service::{
    transition_request, Desk, DeskOptions, Destination, Layout, Locale, NewRequest, PrintJob,
    PrintRunInput, PrinterProfile, RequestDetail, RequestId, SheetLayout, TransitionInput,
};
use sesame_store::Store;
use sesame_vault::{DataKey, KeyVault};
use uuid::Uuid;

use crate::clock::{clock_on, pinned_clock};
use crate::db::PgDatabase;
use crate::fixtures;

/// The operator a test desk opens as unless told otherwise: the first operator of a
/// queue, so its supervisor.
pub const OPERATOR: &str = "desk";

/// From a printed badge to an active one: handed over, then activated by its holder.
pub const TO_ACTIVATION: [RequestAction; 2] = [
    RequestAction::Dispatch {
        method: DispatchMethod::HandedOver,
    },
    RequestAction::Activate,
];

/// A desk on its own database, data folder and keyring entry (removed at the end).
pub struct TestDesk {
    pub desk: Desk,
    pub url: String,
    pub vault: KeyVault,
    pub clock: sesame_core::Clock,
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
}

/// A keyring entry no other test uses (account [`sesame_vault::DEFAULT_ACCOUNT`], as
/// `sesamectl` reads it from `SESAME_KEYRING_SERVICE`).
pub fn private_vault(prefix: &str) -> KeyVault {
    keyring_entry(&format!("sesame-test-{prefix}-{}", Uuid::now_v7().simple()))
}

/// The entry a desk (or `sesamectl` with `SESAME_KEYRING_SERVICE=service`) keeps its
/// data key in.
pub fn keyring_entry(service: &str) -> KeyVault {
    let vault = KeyVault::open(service, sesame_vault::DEFAULT_ACCOUNT).expect("valid names");
    if let Err(error) = vault.try_load() {
        panic!(
            "no usable Secret Service ({error}): run the tests under scripts/with-keyring.sh, \
             e.g. `scripts/with-keyring.sh cargo nextest run -p sesame-service`"
        );
    }
    vault
}

/// A private keyring entry already holding a data key of its own (a desk of another
/// queue).
pub fn vault_with_another_key(prefix: &str) -> KeyVault {
    let vault = private_vault(prefix);
    vault
        .install(&DataKey::generate().expect("a new key"), false)
        .expect("install the key");
    vault
}

/// The database at `url` as a desk holding `vault`'s key sees it, for fixtures: the
/// store seals and opens attachments with that key and reads time from `clock`.
/// The database is created and migrated first if it is new, as a desk would.
pub async fn desk_store(url: &str, vault: &KeyVault, clock: sesame_core::Clock) -> Store {
    let store = Store::open(url)
        .await
        .unwrap_or_else(|e| panic!("open the desk's database {url}: {e}"));
    let codec = sesame_vault::codec_for_desk(vault, url)
        .await
        .unwrap_or_else(|e| panic!("the desk's codec for {url}: {e}"))
        .codec;
    store.with_codec(codec).with_clock(clock)
}

/// Opens a desk, saying how to provide a keyring when that is what failed.
pub async fn open_desk(options: DeskOptions) -> Desk {
    let operator = options.operator.clone().unwrap_or_default();
    Desk::open_with(options).await.unwrap_or_else(|e| {
        panic!("the desk opens as {operator} (run under scripts/with-keyring.sh): {e}")
    })
}

/// Takes a request through `actions` in order through the service, as `desk`'s
/// operator, each on the version the previous step returned; panics naming the step
/// that was refused.
pub async fn walk(
    desk: &Desk,
    id: impl Into<RequestId>,
    actions: &[RequestAction],
) -> RequestDetail {
    let id = id.into();
    let mut detail = sesame_service::get_request(desk, id)
        .await
        .expect("the request");
    for action in actions {
        detail = transition_request(
            desk,
            TransitionInput {
                id,
                expected_version: detail.request.version,
                action: action.clone(),
                reason: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    detail
}

/// A different photo for each fixture of a test.
fn next_photo() -> Vec<u8> {
    static SEED: AtomicU32 = AtomicU32::new(0);
    fixtures::photo_jpeg(SEED.fetch_add(1, Ordering::Relaxed))
}

impl TestDesk {
    /// A desk on a new SQLite file, as [`OPERATOR`].
    pub async fn sqlite() -> TestDesk {
        TestDesk::sqlite_as(OPERATOR).await
    }

    /// A desk on a new SQLite file, as `operator`.
    pub async fn sqlite_as(operator: &str) -> TestDesk {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("desk.sqlite3").display());
        TestDesk::open(dir, url, None, operator).await
    }

    /// A desk on a new database of the test PostgreSQL server, as `operator`; `None`
    /// only when PostgreSQL tests are explicitly skipped.
    pub async fn postgres_as(operator: &str) -> Option<TestDesk> {
        let pg = PgDatabase::create("sesame_desk").await?;
        let dir = tempfile::tempdir().expect("temp dir");
        let url = pg.url.clone();
        Some(TestDesk::open(dir, url, Some(pg), operator).await)
    }

    async fn open(
        dir: tempfile::TempDir,
        url: String,
        pg: Option<PgDatabase>,
        operator: &str,
    ) -> TestDesk {
        let vault = private_vault("desk");
        let clock = pinned_clock();
        let options = DeskOptions::new(dir.path(), &url)
            .keyring(vault.clone())
            .operator(operator)
            .clock(clock.clone());
        TestDesk {
            desk: open_desk(options).await,
            url,
            vault,
            clock,
            dir,
            pg,
        }
    }

    /// What another desk on the same database, data folder, keyring entry and clock
    /// opens with, as `operator`.
    pub fn options_as(&self, operator: &str) -> DeskOptions {
        DeskOptions::new(self.dir.path(), &self.url)
            .keyring(self.vault.clone())
            .operator(operator)
            .clock(self.clock.clone())
    }

    /// Another window on the same queue, opened as the app and `sesamectl` open:
    /// nobody signed in.
    pub async fn signed_out_desk(&self) -> Desk {
        let options = DeskOptions {
            operator: None,
            ..self.options_as("")
        };
        open_desk(options).await
    }

    /// Another desk on the same database (a second operator at the office).
    pub async fn another_desk(&self, operator: &str) -> Desk {
        open_desk(self.options_as(operator)).await
    }

    /// The same desk acting for `day` (its clock pinned there), as housekeeping run
    /// for that day would.
    pub async fn desk_on(&self, day: NaiveDate) -> Desk {
        open_desk(
            self.options_as(&self.desk.operator().expect("signed in"))
                .clock(clock_on(day)),
        )
        .await
    }

    /// The desk's data folder.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A file in the desk's data folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The SQLite file of a desk on SQLite (to look at what is really on disk).
    pub fn sqlite_file(&self) -> PathBuf {
        let path = self
            .url
            .strip_prefix("sqlite://")
            .unwrap_or_else(|| panic!("{} is not a SQLite desk", self.url));
        PathBuf::from(path)
    }

    /// The database below the desk, sealing attachments with the desk's data key, for
    /// fixtures. (Tests assert through the desk.)
    pub async fn store(&self) -> Store {
        desk_store(&self.url, &self.vault, self.clock.clone()).await
    }

    /// `new` registered at the desk, through the service (which queues the holder's
    /// "request received" e-mail when e-mail is on).
    pub async fn registered(&self, new: NewRequest) -> RequestId {
        sesame_service::create_request(&self.desk, new)
            .await
            .expect("the request is registered")
            .request
            .id
            .into()
    }

    /// `new` created by the desk's operator, with `photo` added below the desk (the
    /// photo station's checks are not what the test is about).
    pub async fn with_photo(&self, new: NewRequest, photo: &[u8]) -> RequestDetail {
        let store = self.store().await;
        let detail = fixtures::with_photo(
            &store,
            new,
            photo,
            &self.desk.operator().expect("signed in"),
        )
        .await;
        store.close().await;
        detail
    }

    /// [`TestDesk::with_photo`], then consent, photo certification, review and
    /// approval through the service.
    pub async fn approved_with_photo(&self, new: NewRequest, photo: &[u8]) -> RequestDetail {
        let created = self.with_photo(new, photo).await;
        walk(&self.desk, created.request.id, &fixtures::TO_APPROVAL).await
    }

    /// An approved request with a real photo.
    pub async fn approved(&self, new: NewRequest) -> RequestDetail {
        self.approved_with_photo(new, &next_photo()).await
    }

    /// An approved request, printed (its badge issued, in a one-card batch).
    pub async fn printed(&self, new: NewRequest) -> RequestDetail {
        let approved = self.approved(new).await;
        let store = self.store().await;
        let printed = fixtures::print(
            &store,
            approved.request.id,
            &self.desk.operator().expect("signed in"),
        )
        .await;
        store.close().await;
        printed
    }

    /// A printed badge, handed over and activated through the service.
    pub async fn active_badge(&self, new: NewRequest) -> Badge {
        let printed = self.printed(new).await;
        walk(&self.desk, printed.request.id, &TO_ACTIVATION)
            .await
            .badge
            .expect("an active badge")
    }

    /// Closes the desk and drops its PostgreSQL database.
    pub async fn finish(mut self) {
        self.desk.close().await;
        if let Some(pg) = self.pg.take() {
            pg.drop_database().await;
        }
    }
}

impl Drop for TestDesk {
    fn drop(&mut self) {
        let _ = self.vault.remove();
    }
}

impl std::ops::Deref for TestDesk {
    type Target = Desk;

    fn deref(&self) -> &Desk {
        &self.desk
    }
}

/// A print job of `ids` on A4 sheets, default printer profile, in French.
pub fn a4_print_job(ids: &[RequestId], reprint_reason: Option<&str>) -> PrintJob {
    PrintJob {
        request_ids: ids.to_vec(),
        layout: Layout::A4Sheet(SheetLayout::default()),
        printer: PrinterProfile::default(),
        locale: Locale::Fr,
        reprint_reason: reprint_reason.map(str::to_owned),
    }
}

/// Prints `job` to the PDF at `path` (no printer), as `sesamectl print --out` does.
pub fn print_to_file(job: PrintJob, path: &Path) -> PrintRunInput {
    PrintRunInput {
        job,
        printer_name: None,
        destination: Destination::Path(path.to_path_buf()),
    }
}
