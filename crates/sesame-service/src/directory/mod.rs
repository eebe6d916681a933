//! The office's directory at the desk: its settings page (the bind password in this
//! desk's keyring), the intake form's search, the photo it holds, and the holders it
//! keeps up to date (`leavers`).

mod leavers;

use serde::{Deserialize, Serialize};
use sesame_directory::{Directory, DirectoryPerson, DirectorySettings};
use sesame_vault::SecretEntry;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::blocking::Blocking;
use crate::photo::{check_photo_bytes, PhotoCheckInput, PhotoCheckOutcome};
use crate::{Desk, RequestId, ServiceError};

pub use leavers::{
    deactivate_leavers, directory_leavers, sync_from_directory, DeactivateLeaversInput,
    DirectoryLeaver, DirectorySyncReport, HolderUpdate, LeaverCause,
};

/// The `settings` key the office's directory settings are saved under.
const SETTINGS_KEY: &str = "directory";
/// How many people the intake search shows at most.
const SEARCH_LIMIT: usize = 20;

/// The directory settings page: the shared settings and this desk's password state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectorySetup {
    pub settings: DirectorySettings,
    /// The settings name a service account and this desk's keyring holds its password.
    pub password_stored: bool,
    /// Why the keyring could not be read, in English (the page shows it as detail).
    pub keyring_problem: Option<String>,
}

/// What the settings page saves: the settings, and a new password when one was typed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDirectorySettingsInput {
    pub settings: DirectorySettings,
    /// Stored in this desk's OS keyring, never in the database. `None` keeps the current one.
    pub password: Option<String>,
}

/// What "test the connection" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryTest {
    #[ts(type = "number")]
    pub people: u64,
    #[ts(type = "number")]
    pub disabled: u64,
    /// People per badge category their groups give, by category key.
    pub by_category: Vec<CategoryCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryCount {
    pub category: String,
    #[ts(type = "number")]
    pub people: u64,
}

pub(crate) async fn load_settings(desk: &Desk) -> Result<DirectorySettings, ServiceError> {
    Ok(desk
        .store
        .typed_setting(SETTINGS_KEY, "directory settings")
        .await?)
}

/// The keyring entry of the settings' service account, on this server.
fn password_slot(settings: &DirectorySettings) -> Result<Option<SecretEntry>, ServiceError> {
    let Some(bind_dn) = &settings.bind_dn else {
        return Ok(None);
    };
    Ok(Some(SecretEntry::for_account(&format!(
        "ldap:{bind_dn}@{}:{}",
        settings.host.to_ascii_lowercase(),
        settings.port
    ))?))
}

async fn stored_password(
    settings: &DirectorySettings,
) -> Result<Option<Zeroizing<String>>, ServiceError> {
    let Some(slot) = password_slot(settings)? else {
        return Ok(None);
    };
    Blocking::Keyring.run(move || Ok(slot.get()?)).await
}

async fn setup(settings: DirectorySettings) -> DirectorySetup {
    let (password_stored, keyring_problem) = match stored_password(&settings).await {
        Ok(found) => (found.is_some(), None),
        Err(error) => (false, Some(error.to_string())),
    };
    DirectorySetup {
        settings,
        password_stored,
        keyring_problem,
    }
}

/// A bound connection with the saved settings; `directory.not_configured` when the
/// office uses none.
pub(crate) async fn connect(desk: &Desk) -> Result<(Directory, DirectorySettings), ServiceError> {
    let settings = load_settings(desk).await?;
    if !settings.enabled {
        return Err(sesame_directory::DirectoryError::NotConfigured.into());
    }
    let password = stored_password(&settings).await?;
    let directory = Directory::connect(&settings, password.as_deref().map(String::as_str)).await?;
    Ok((directory, settings))
}

/// The directory settings and whether this desk has the service account's password.
pub async fn directory_settings(desk: &Desk) -> Result<DirectorySetup, ServiceError> {
    Ok(setup(load_settings(desk).await?).await)
}

/// Whether the office searches a directory at intake.
pub async fn directory_available(desk: &Desk) -> Result<bool, ServiceError> {
    Ok(load_settings(desk).await?.enabled)
}

/// Saves the office's directory settings (a supervisor's action, audited) and the
/// password into this desk's keyring.
pub async fn save_directory_settings(
    desk: &Desk,
    input: SaveDirectorySettingsInput,
) -> Result<DirectorySetup, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "directory")?;
    let password = input.password.map(Zeroizing::new);
    let candidate = input.settings.normalised();
    candidate.validate()?;
    // The password first: if the keyring refuses it, the settings are not changed.
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let slot = password_slot(&candidate)?.ok_or_else(|| {
            sesame_directory::DirectoryError::BadSettings {
                field: "bindDn".into(),
                detail: "a password needs the service account's DN".into(),
            }
        })?;
        Blocking::Keyring
            .run(move || Ok(slot.set(&password)?))
            .await?;
    }
    let value = serde_json::to_value(&candidate).map_err(|e| {
        sesame_directory::DirectoryError::BadSettings {
            field: "settings".into(),
            detail: format!("cannot be written as JSON: {e}"),
        }
    })?;
    desk.store
        .save_setting(SETTINGS_KEY, &value, &desk.actor()?)
        .await?;
    Ok(setup(candidate).await)
}

/// Forgets this desk's directory password (a supervisor's action).
pub async fn clear_directory_password(desk: &Desk) -> Result<DirectorySetup, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "directory")?;
    let settings = load_settings(desk).await?;
    if let Some(slot) = password_slot(&settings)? {
        Blocking::Keyring.run(move || Ok(slot.delete()?)).await?;
    }
    Ok(setup(settings).await)
}

/// Connects with the saved settings and counts who the directory gives.
pub async fn test_directory(desk: &Desk) -> Result<DirectoryTest, ServiceError> {
    let (mut directory, settings) = connect(desk).await?;
    let people = directory.everyone().await?;
    directory.close().await;
    let count =
        |f: &dyn Fn(&DirectoryPerson) -> bool| people.iter().filter(|p| f(p)).count() as u64;
    Ok(DirectoryTest {
        people: people.len() as u64,
        disabled: count(&|p| p.disabled),
        by_category: settings
            .directory_categories()
            .into_iter()
            .map(|category| CategoryCount {
                category: category.to_owned(),
                people: count(&|p| p.category.as_deref() == Some(category)),
            })
            .collect(),
    })
}

/// The people whose name, login or e-mail starts with each typed word (intake).
pub async fn search_directory(
    desk: &Desk,
    text: String,
) -> Result<Vec<DirectoryPerson>, ServiceError> {
    if text.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    let (mut directory, _) = connect(desk).await?;
    let people = directory.search(&text, SEARCH_LIMIT).await?;
    directory.close().await;
    Ok(people)
}

/// The photo the directory holds for the request's holder, checked like an imported
/// file; the photo station shows the verdict and saves it only if the operator does.
pub async fn check_directory_photo(
    desk: &Desk,
    id: RequestId,
) -> Result<PhotoCheckOutcome, ServiceError> {
    let detail = desk.store.get_request(id.0).await?;
    let key = leavers::person_key(
        detail.holder.details.external_id.as_deref(),
        detail.holder.details.email.as_deref(),
    );
    let (mut directory, _) = connect(desk).await?;
    let person = directory.find(&key).await?.ok_or_else(|| {
        sesame_directory::DirectoryError::PersonGone {
            key: key.to_string(),
        }
    })?;
    let jpeg = directory.photo(&person.dn).await?;
    directory.close().await;
    check_photo_bytes(
        desk,
        PhotoCheckInput {
            image: jpeg.into(),
            rules: None,
        },
    )
    .await
}
