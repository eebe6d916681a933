//! The `Store`: opens SQLite or PostgreSQL by URL and dispatches every call to the
//! backend's compiled queries.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sesame_core::{
    AttachmentKind, AuditEntity, AuditEntry, Badge, BadgeAction, Holder, HolderDetails, Policy,
    ReplacementCause, RequestAction,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use uuid::Uuid;

use crate::backends::{postgres, sqlite};
use crate::codec::{BlobCodec, PlainCodec};
use crate::error::{Result, StoreError};
use crate::types::*;
use crate::{csv_export, csv_import};

/// Default queue page size.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 500;
/// Largest photo or document accepted (a 600 dpi A4 scan as PDF fits).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;
/// A desk's claim on a request to print lapses after this long (a crashed desk
/// must not hold requests forever).
pub const PRINT_CLAIM_MINUTES: i64 = 30;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The queue store. Cheap to clone (pools are shared).
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    location: String,
    codec: Arc<dyn BlobCodec>,
}

macro_rules! dispatch {
    ($self:expr, $module:ident :: $function:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::Sqlite(pool) => sqlite::ops::$module::$function(pool, $($arg),*).await,
            Backend::Postgres(pool) => postgres::ops::$module::$function(pool, $($arg),*).await,
        }
    };
    ($self:expr, $function:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::Sqlite(pool) => sqlite::ops::$function(pool, $($arg),*).await,
            Backend::Postgres(pool) => postgres::ops::$function(pool, $($arg),*).await,
        }
    };
}

// After the macro, which it uses: the badge's life after printing (issue 7).
mod lifecycle;
// Zones, oppositions, day passes, renewals (issue 7), after the macro too.
mod after_print;
// Operators and roles (issue 8).
mod operators;
// Retention purge and holders' rights (issue 8).
mod retention;

/// The URL from `SESAME_DATABASE_URL`, else a SQLite file at `default_sqlite`.
pub fn database_url_from_env(default_sqlite: &Path) -> String {
    match std::env::var("SESAME_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().to_owned(),
        _ => format!("sqlite://{}", default_sqlite.display()),
    }
}

/// Hides the password of a PostgreSQL URL for display.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest).to_owned())
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `sqlite://PATH` (file and folder created), `sqlite::memory:`, or `postgres://…`.
    pub async fn open(url: &str) -> Result<Store> {
        let url = url.trim();
        let open_error = |source| StoreError::Open {
            url: redact(url),
            source,
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(open_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(15))
                .connect_with(options)
                .await
                .map_err(open_error)?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            return Ok(Store {
                backend: Backend::Postgres(pool),
                location: redact(url),
                codec: Arc::new(PlainCodec),
            });
        }
        let Some(path) = sqlite_path(url) else {
            return Err(StoreError::UnsupportedUrl { url: redact(url) });
        };
        let memory = path == ":memory:" || path.is_empty();
        let mut options = SqliteConnectOptions::new()
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15))
            .synchronous(SqliteSynchronous::Normal)
            // 32 MiB of page cache per connection (default 2 MiB): the queue's indexes
            // stay in memory at 100 000 requests, which is what keeps imports fast.
            .pragma("cache_size", "-32768");
        if memory {
            options = options.in_memory(true);
        } else {
            let file = PathBuf::from(&path);
            if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| open_error(sqlx::Error::Io(e)))?;
            }
            options = options
                .filename(&file)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal);
        }
        let pool = SqlitePoolOptions::new()
            // One connection for an in-memory database: each connection would be its own database.
            .max_connections(if memory { 1 } else { 8 })
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            backend: Backend::Sqlite(pool),
            location: url.to_owned(),
            codec: Arc::new(PlainCodec),
        })
    }

    /// Uses `codec` for attachment bytes from now on (e.g. encryption, issue 8).
    pub fn with_codec(mut self, codec: Arc<dyn BlobCodec>) -> Store {
        self.codec = codec;
        self
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Where the database is, without any password.
    pub fn location(&self) -> &str {
        &self.location
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    pub async fn info(&self) -> Result<DbInfo> {
        let [schema_version, requests, holders, badges, attachments, audit_entries] =
            dispatch!(self, info())?;
        Ok(DbInfo {
            backend: self.backend_name().to_owned(),
            location: self.location.clone(),
            schema_version,
            requests,
            holders,
            badges,
            attachments,
            audit_entries,
        })
    }

    // --- settings -----------------------------------------------------------------

    /// The eligibility rules and badge number format every desk shares.
    pub async fn policy(&self) -> Result<Policy> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite::ops::load_policy(&mut *pool.acquire().await?).await,
            Backend::Postgres(pool) => {
                postgres::ops::load_policy(&mut *pool.acquire().await?).await
            }
        }
    }

    pub async fn set_policy(&self, policy: &Policy, operator: &str) -> Result<()> {
        dispatch!(self, save_policy(policy, operator))
    }

    // --- requests -----------------------------------------------------------------

    pub async fn create_request(&self, new: NewRequest, operator: &str) -> Result<RequestDetail> {
        dispatch!(self, requests::create_request(new, operator))
    }

    pub async fn get_request(&self, id: Uuid) -> Result<RequestDetail> {
        dispatch!(self, requests::get_request(id))
    }

    /// Applies `action` if the request is still at `expected_version`; refused
    /// actions and stale versions change nothing.
    pub async fn transition(
        &self,
        id: Uuid,
        expected_version: i64,
        action: RequestAction,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<RequestDetail> {
        dispatch!(
            self,
            requests::transition(id, expected_version, action, operator, reason)
        )
    }

    /// Takes approved requests to print; returns those this desk now holds.
    pub async fn claim_for_print(&self, ids: &[Uuid], operator: &str) -> Result<Vec<Uuid>> {
        dispatch!(self, requests::claim_for_print(ids, operator))
    }

    pub async fn release_print_claims(&self, ids: &[Uuid], operator: &str) -> Result<Vec<Uuid>> {
        dispatch!(self, requests::release_print_claims(ids, operator))
    }

    // --- printing -----------------------------------------------------------------

    /// What printing `ids` would do now, without writing anything (the preview):
    /// approved requests with the numbers they would get (flagged provisional),
    /// printed ones as reprints of their badge, the rest skipped with why.
    /// `with_photos: false` leaves the photos out (a quick check before printing).
    pub async fn print_selection(
        &self,
        ids: &[Uuid],
        operator: &str,
        with_photos: bool,
    ) -> Result<PrintSelection> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            printing::print_selection(codec, ids, operator, with_photos)
        )
    }

    /// Prints `ids` in one write transaction: approved requests get their badge
    /// (number and validity) and are marked printed; printed ones are reprinted with
    /// their own number only when `reprint_reason` is given (audited `reprint`).
    /// `render` receives the cards in the order asked and the transaction commits
    /// only if it returns `Ok`: on an error nothing is written and no number is used.
    /// Requests another desk holds (`claim_for_print`) are skipped, not waited for.
    /// `render` is not called when nothing is printable (`rendered` is `None`).
    pub async fn print_batch<T, E>(
        &self,
        ids: &[Uuid],
        operator: &str,
        reprint_reason: Option<&str>,
        render: impl FnOnce(&[PrintItem]) -> std::result::Result<T, E>,
    ) -> std::result::Result<PrintBatchOutcome<T>, E>
    where
        E: From<StoreError>,
    {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            printing::print_batch(codec, ids, operator, reprint_reason, render)
        )
    }

    /// Records that a printed request's badge was printed again, with why.
    pub async fn record_reprint(
        &self,
        request_id: Uuid,
        operator: &str,
        reason: &str,
    ) -> Result<PrintedBadge> {
        dispatch!(self, printing::record_reprint(request_id, operator, reason))
    }

    pub async fn list_requests(&self, query: &QueueQuery) -> Result<QueuePage> {
        dispatch!(self, queue::list_requests(query))
    }

    /// Requests per status, every status listed (zeros included).
    pub async fn count_by_status(&self) -> Result<Vec<StatusCount>> {
        dispatch!(self, queue::count_by_status(&QueueQuery::default()))
    }

    /// Counts per status within the queue filters of `query` (its statuses are ignored).
    pub async fn count_by_status_filtered(&self, query: &QueueQuery) -> Result<Vec<StatusCount>> {
        dispatch!(self, queue::count_by_status(query))
    }

    /// The request's history: its changes, attachments and badge, oldest first.
    pub async fn audit_for_request(&self, id: Uuid) -> Result<Vec<AuditEntry>> {
        dispatch!(self, audit_for_request(id))
    }

    pub async fn audit_for(&self, entity: AuditEntity, id: &str) -> Result<Vec<AuditEntry>> {
        dispatch!(self, audit_for_entity(entity, id))
    }

    // --- holders ------------------------------------------------------------------

    pub async fn get_holder(&self, id: Uuid) -> Result<Holder> {
        dispatch!(self, requests::get_holder(id))
    }

    pub async fn update_holder(
        &self,
        id: Uuid,
        expected_version: i64,
        details: HolderDetails,
        operator: &str,
    ) -> Result<Holder> {
        dispatch!(
            self,
            requests::update_holder(id, expected_version, details, operator)
        )
    }

    // --- attachments --------------------------------------------------------------

    /// Stores a photo or document (JPEG, PNG; PDF for documents) on an open request,
    /// replacing the previous one of that kind. Bumps the request's version.
    pub async fn put_attachment(
        &self,
        request_id: Uuid,
        kind: AttachmentKind,
        bytes: &[u8],
        operator: &str,
    ) -> Result<AttachmentMeta> {
        let codec = self.codec.as_ref();
        dispatch!(
            self,
            attachments::put_attachment(codec, request_id, kind, bytes, operator, None)
        )
    }

    /// [`Store::put_attachment`], keeping `details` (e.g. a photo's crop and rotation) in
    /// the audit entry's `after.details`, in the same transaction as the attachment.
    pub async fn put_attachment_with_details(
        &self,
        request_id: Uuid,
        kind: AttachmentKind,
        bytes: &[u8],
        operator: &str,
        details: serde_json::Value,
    ) -> Result<AttachmentMeta> {
        let codec = self.codec.as_ref();
        let details = Some(details);
        dispatch!(
            self,
            attachments::put_attachment(codec, request_id, kind, bytes, operator, details)
        )
    }

    pub async fn get_attachment(&self, id: Uuid) -> Result<Attachment> {
        let codec = self.codec.as_ref();
        dispatch!(self, attachments::get_attachment(codec, id))
    }

    pub async fn delete_attachment(
        &self,
        id: Uuid,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        dispatch!(self, attachments::delete_attachment(id, operator, reason))
    }

    // --- badges -------------------------------------------------------------------

    pub async fn get_badge(&self, id: Uuid) -> Result<Badge> {
        dispatch!(self, badges::get_badge(id))
    }

    pub async fn find_badge(&self, number: &str) -> Result<Badge> {
        dispatch!(self, badges::find_badge_by_number(number))
    }

    pub async fn list_badges(&self, query: &BadgeQuery) -> Result<Vec<BadgeRow>> {
        dispatch!(self, badges::list_badges(query))
    }

    /// Applies a badge action (activate, suspend, resume, renew, oppose, deactivate,
    /// return, expire). `Replace` goes through [`Store::replace_badge`].
    pub async fn badge_transition(
        &self,
        id: Uuid,
        expected_version: i64,
        action: BadgeAction,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<Badge> {
        if let BadgeAction::Replace { cause } = action {
            self.replace_badge(id, expected_version, cause, operator, reason)
                .await?;
            return self.get_badge(id).await;
        }
        dispatch!(
            self,
            badges::badge_transition(id, expected_version, action, operator, reason)
        )
    }

    /// Stops a badge and opens the replacement request (zones carried over).
    pub async fn replace_badge(
        &self,
        id: Uuid,
        expected_version: i64,
        cause: ReplacementCause,
        operator: &str,
        reason: Option<&str>,
    ) -> Result<RequestDetail> {
        dispatch!(
            self,
            badges::replace_badge(id, expected_version, cause, operator, reason)
        )
    }

    pub async fn set_card_serial(
        &self,
        id: Uuid,
        expected_version: i64,
        serial: Option<&str>,
        operator: &str,
    ) -> Result<Badge> {
        dispatch!(
            self,
            badges::set_card_serial(id, expected_version, serial, operator)
        )
    }

    // --- CSV ----------------------------------------------------------------------

    /// Imports holders and requests from CSV bytes. Valid rows go in together in one
    /// transaction; the report lists refused rows and why. `dry_run` writes nothing.
    pub async fn import_csv(
        &self,
        bytes: &[u8],
        operator: &str,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let policy = self.policy().await?;
        let parsed = csv_import::parse(bytes, &policy)?;
        dispatch!(self, import::import_rows(parsed, operator, dry_run))
    }

    /// The whole queue matching `query` (its page size and cursor are ignored).
    pub async fn export_queue_csv(
        &self,
        query: &QueueQuery,
        options: CsvOptions,
    ) -> Result<Vec<u8>> {
        let mut page_query = QueueQuery {
            limit: Some(MAX_PAGE_SIZE),
            cursor: None,
            ..query.clone()
        };
        let mut rows = Vec::new();
        loop {
            let page = self.list_requests(&page_query).await?;
            rows.extend(page.rows.iter().map(csv_export::queue_cells));
            match page.next_cursor {
                Some(cursor) => page_query.cursor = Some(cursor),
                None => break,
            }
        }
        csv_export::write_csv(csv_export::QUEUE_HEADER, rows, options)
    }

    /// Badges for the access-control system (by default the active ones).
    pub async fn export_badges_csv(
        &self,
        query: &BadgeQuery,
        options: CsvOptions,
    ) -> Result<Vec<u8>> {
        let query = if query.statuses.is_empty() {
            BadgeQuery {
                statuses: vec![sesame_core::BadgeStatus::Active],
                ..query.clone()
            }
        } else {
            query.clone()
        };
        let rows = self.list_badges(&query).await?;
        csv_export::write_csv(
            csv_export::BADGE_HEADER,
            rows.iter().map(csv_export::badge_cells),
            options,
        )
    }
}

// The e-mail outbox's methods (issue 7).
#[path = "store_outbox.rs"]
mod outbox_methods;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db").as_deref(),
            Some("/tmp/a.db")
        );
        assert_eq!(
            sqlite_path("sqlite://data/a.db?mode=rwc").as_deref(),
            Some("data/a.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:").as_deref(), Some(":memory:"));
        assert_eq!(sqlite_path("mysql://x"), None);
    }
}
