//! `Store` methods for the access-control exports: the office's profiles (a shared
//! setting), the badges a run reads and their photos, and the record of runs.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Backend, Store};
use crate::backends::{postgres, sqlite};
use crate::error::Result;
use crate::{AccessExportRun, Attachment, BadgeRow, ExportProfile, ExportSelection};

/// The settings key holding the office's export profiles.
const ACCESS_EXPORT_PROFILES_KEY: &str = "access_export_profiles";

impl Store {
    /// The office's export profiles, in the order it saved them (none before any).
    pub async fn access_export_profiles(&self) -> Result<Vec<ExportProfile>> {
        self.typed_setting(ACCESS_EXPORT_PROFILES_KEY, "export profiles")
            .await
    }

    /// Saves the office's export profiles (audited as a settings change; on
    /// PostgreSQL the database requires the `change_settings` right).
    pub async fn save_access_export_profiles(
        &self,
        profiles: &[ExportProfile],
        operator: &str,
    ) -> Result<()> {
        let value = serde_json::to_value(profiles).expect("profiles serialise");
        self.save_setting(ACCESS_EXPORT_PROFILES_KEY, &value, operator)
            .await
    }

    /// The badges a run of `selection` writes, by number: with `since`, every badge
    /// changed after it (whatever its status); else those in the selection's
    /// statuses. Zones and categories narrow both.
    pub async fn access_export_badges(
        &self,
        selection: &ExportSelection,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<BadgeRow>> {
        let statuses = &selection.statuses;
        let rows: Vec<BadgeRow> = dispatch!(self, access_export::badges(statuses, since))?;
        Ok(rows
            .into_iter()
            .filter(|row| {
                selection.categories.is_empty() || selection.categories.contains(&row.category)
            })
            .filter(|row| {
                selection.zones.is_empty()
                    || row.badge.zones.iter().any(|z| selection.zones.contains(z))
            })
            .collect())
    }

    /// The current photo of a request, opened; `None` when it has none.
    pub async fn request_photo(&self, request_id: Uuid) -> Result<Option<Attachment>> {
        let codec = self.codec.as_ref();
        dispatch!(self, access_export::request_photo(codec, request_id))
    }

    /// Records a run whose file is written.
    pub async fn record_access_export_run(&self, run: &AccessExportRun) -> Result<()> {
        dispatch!(self, access_export::record_run(run))
    }

    /// A profile's runs, newest first.
    pub async fn access_export_runs(&self, profile_id: &str) -> Result<Vec<AccessExportRun>> {
        dispatch!(self, access_export::runs(profile_id))
    }

    /// A profile's newest run.
    pub async fn last_access_export_run(
        &self,
        profile_id: &str,
    ) -> Result<Option<AccessExportRun>> {
        dispatch!(self, access_export::last_run(profile_id))
    }
}
