//! The office the desk works for and where this desk writes its files: given once at
//! first start (with the categories the office keeps and the first supervisor), then
//! changed in Settings › General (its Office section) or with `sesamectl office`.
//!
//! The name and logo are the queue's (every desk prints the same badges): they live in
//! the shared settings. The output folder is this computer's: it lives in `desk.json`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk_config::{read_config, write_config};
use crate::ids::FileBytes;
use crate::operators::{set_up_first_supervisor, sign_in_state, DeskSession, FirstSupervisorInput};
use crate::output_folder::{output_folder_choice, OutputFolderChoice};
use crate::{Desk, ServiceError};

/// The shared setting holding [`StoredOffice`].
const OFFICE_SETTING: &str = "office";
/// Longest office name: it is printed on a card's top band.
pub const MAX_OFFICE_NAME_CHARS: usize = 80;
/// Largest logo: it travels in the shared settings to every desk.
pub const MAX_OFFICE_LOGO_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredOffice {
    name: String,
    /// The logo file (PNG or JPEG), base64.
    #[serde(default)]
    logo_base64: Option<String>,
}

/// The office as Settings › Office shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OfficeSettings {
    /// Empty until the office gives one (badges then print "Sésame").
    pub name: String,
    /// The logo (PNG or JPEG, base64), if the office gave one.
    pub logo_base64: Option<String>,
    pub output_folder: OutputFolderChoice,
}

/// What a supervisor saves in Settings › Office.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OfficeInput {
    pub name: String,
    /// `None` keeps no logo (the badges show Sésame's).
    pub logo_base64: Option<String>,
    /// An absolute folder; `None` keeps the one in use.
    pub output_folder: Option<String>,
}

/// A category a new queue may keep, with its labels.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupCategory {
    pub key: String,
    pub label_fr: String,
    pub label_en: String,
}

/// What the first-start setup starts from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirstStartDefaults {
    pub categories: Vec<SetupCategory>,
    pub output_folder: OutputFolderChoice,
}

/// Everything the first-start setup asks, submitted at once.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirstStartInput {
    pub office: OfficeInput,
    /// The keys of the categories to keep (at least one).
    pub categories: Vec<String>,
    pub supervisor: FirstSupervisorInput,
}

/// The categories and output folder the first-start setup offers. Only while the
/// queue has no supervisor (`operator.setup_done` afterwards).
pub async fn first_start_defaults(desk: &Desk) -> Result<FirstStartDefaults, ServiceError> {
    if !sign_in_state(desk).await?.setup_needed {
        return Err(sesame_store::StoreError::SetupDone.into());
    }
    let policy = desk.store.policy().await?;
    Ok(FirstStartDefaults {
        categories: policy
            .categories
            .iter()
            .map(|c| SetupCategory {
                key: c.key.clone(),
                label_fr: c.label_fr.clone(),
                label_en: c.label_en.clone(),
            })
            .collect(),
        output_folder: output_folder_choice(desk),
    })
}

/// Sets up a new queue in one go: checks everything first (so a refusal changes
/// nothing), then creates the first supervisor and signs them in, and saves, as
/// them, the office's name and logo, the categories kept and this desk's folder.
pub async fn set_up_desk(desk: &Desk, input: FirstStartInput) -> Result<DeskSession, ServiceError> {
    let office = checked_office(&input.office)?;
    let mut policy = desk.store.policy().await?;
    let keep: Vec<&str> = input.categories.iter().map(|k| k.trim()).collect();
    if let Some(unknown) = keep.iter().find(|k| policy.category(k).is_none()) {
        return Err(ServiceError::SetupCategories {
            detail: format!("'{unknown}' is not one of the categories offered"),
        });
    }
    policy.categories.retain(|c| keep.contains(&c.key.as_str()));
    if policy.categories.is_empty() {
        return Err(ServiceError::SetupCategories {
            detail: "keep at least one category".into(),
        });
    }
    let folder = chosen_folder(desk, input.office.output_folder.as_deref())?;

    let session = set_up_first_supervisor(desk, input.supervisor).await?;
    let actor = desk.actor()?;
    desk.store.set_policy(&policy, &actor).await?;
    save_office(desk, &office, &actor).await?;
    if let Some(folder) = folder {
        save_folder(desk, folder)?;
    }
    Ok(session)
}

/// The office's name, logo and this desk's output folder.
pub async fn office_settings(desk: &Desk) -> Result<OfficeSettings, ServiceError> {
    let stored = stored_office(desk).await?;
    Ok(OfficeSettings {
        name: stored.name,
        logo_base64: stored.logo_base64,
        output_folder: output_folder_choice(desk),
    })
}

/// A supervisor changes the office's name or logo, or this desk's output folder.
pub async fn save_office_settings(
    desk: &Desk,
    input: OfficeInput,
) -> Result<OfficeSettings, ServiceError> {
    desk.require_supervisor(crate::SensitiveAction::ChangeSettings, "office")?;
    let office = checked_office(&input)?;
    let folder = chosen_folder(desk, input.output_folder.as_deref())?;
    save_office(desk, &office, &desk.actor()?).await?;
    if let Some(folder) = folder {
        save_folder(desk, folder)?;
    }
    office_settings(desk).await
}

/// The office as the badge templates print it.
pub(crate) async fn print_office(desk: &Desk) -> Result<sesame_print::Office, ServiceError> {
    let stored = stored_office(desk).await?;
    let logo = match &stored.logo_base64 {
        Some(data) => Some(logo_bytes(data)?.into()),
        None => None,
    };
    let category_labels = desk
        .store
        .policy()
        .await?
        .categories
        .into_iter()
        .map(|c| {
            let label = sesame_print::LocalText::PerLocale {
                fr: c.label_fr,
                en: Some(c.label_en),
            };
            (c.key, label)
        })
        .collect();
    Ok(sesame_print::Office {
        name: Some(stored.name).filter(|n| !n.trim().is_empty()),
        logo,
        category_labels,
        images: Default::default(),
    })
}

async fn stored_office(desk: &Desk) -> Result<StoredOffice, ServiceError> {
    Ok(desk.store.typed_setting(OFFICE_SETTING, "office").await?)
}

async fn save_office(desk: &Desk, office: &StoredOffice, actor: &str) -> Result<(), ServiceError> {
    let value = serde_json::to_value(office).expect("the office serialises");
    desk.store
        .save_setting(OFFICE_SETTING, &value, actor)
        .await?;
    Ok(())
}

/// The name trimmed and within bounds, the logo a picture a badge can print.
fn checked_office(input: &OfficeInput) -> Result<StoredOffice, ServiceError> {
    let name = input.name.trim();
    let length = name.chars().count();
    if length == 0 || length > MAX_OFFICE_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ServiceError::OfficeNameInvalid {
            max: MAX_OFFICE_NAME_CHARS,
        });
    }
    if let Some(data) = &input.logo_base64 {
        logo_bytes(data)?;
    }
    Ok(StoredOffice {
        name: name.to_owned(),
        logo_base64: input.logo_base64.clone(),
    })
}

/// The logo's bytes, refused when too large or not a PNG or JPEG a badge can print.
fn logo_bytes(data: &str) -> Result<Vec<u8>, ServiceError> {
    let bytes = FileBytes::from_base64(data)
        .into_bytes()
        .map_err(|detail| ServiceError::OfficeLogo { detail })?;
    if bytes.len() > MAX_OFFICE_LOGO_BYTES {
        return Err(ServiceError::OfficeLogoTooLarge {
            bytes: bytes.len(),
            max: MAX_OFFICE_LOGO_BYTES,
        });
    }
    sesame_print::check_office_logo(&bytes).map_err(|e| ServiceError::OfficeLogo {
        detail: match e {
            sesame_print::PrintError::TemplateImage { message, .. } => message,
            other => other.to_string(),
        },
    })?;
    Ok(bytes)
}

/// The folder a supervisor chose, unless this computer's administrator fixed it
/// (then a choice would be saved and never used: refused).
fn chosen_folder(desk: &Desk, folder: Option<&str>) -> Result<Option<PathBuf>, ServiceError> {
    let folder = checked_folder(folder)?;
    let current = output_folder_choice(desk);
    match folder {
        Some(path) if current.fixed => Err(ServiceError::OutputFolderFixed {
            path: path.display().to_string(),
            fixed: current.path,
        }),
        other => Ok(other),
    }
}

/// An absolute folder that takes a file, or can be made inside one that does. Nothing
/// is created here: a setup refused later must leave the disk as it was.
fn checked_folder(folder: Option<&str>) -> Result<Option<PathBuf>, ServiceError> {
    let Some(folder) = folder.map(str::trim).filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    let path = PathBuf::from(folder);
    let refuse = |detail: String| ServiceError::OutputFolderInvalid {
        path: folder.to_owned(),
        detail,
    };
    if !path.is_absolute() {
        return Err(refuse(
            "give the whole path, from the root of the disk".into(),
        ));
    }
    let existing = path
        .ancestors()
        .find(|p| p.exists())
        .ok_or_else(|| refuse("no part of it exists".into()))?;
    if !existing.is_dir() {
        return Err(refuse(format!("{} is a file", existing.display())));
    }
    probe_writable(existing).map_err(|e| refuse(e.to_string()))?;
    Ok(Some(path))
}

/// Writes and removes a file, as printing will: a read-only folder is refused now.
fn probe_writable(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".sesame-probe-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// Creates the folder and keeps it as this desk's in `desk.json`.
fn save_folder(desk: &Desk, folder: PathBuf) -> Result<(), ServiceError> {
    std::fs::create_dir_all(&folder).map_err(|e| ServiceError::OutputFolderInvalid {
        path: folder.display().to_string(),
        detail: e.to_string(),
    })?;
    let mut config = read_config(&desk.data_dir)?;
    config.output_folder = Some(folder);
    write_config(&desk.data_dir, &config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_or_unwritable_folder_is_refused_with_its_path() {
        let error = checked_folder(Some("prints")).unwrap_err();
        assert_eq!(
            sesame_core::ErrorCode::code(&error),
            "office.output_folder_invalid"
        );
        assert!(error.to_string().contains("prints"));
        assert_eq!(checked_folder(Some("  ")).unwrap(), None);

        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("a/b");
        assert_eq!(
            checked_folder(Some(inside.to_str().unwrap())).unwrap(),
            Some(inside.clone())
        );
        assert!(!inside.exists(), "checking creates nothing");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the probe is gone"
        );
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let error = checked_folder(Some(file.join("sub").to_str().unwrap())).unwrap_err();
        assert!(error.to_string().contains("is a file"), "{error}");
    }

    #[test]
    fn an_office_needs_a_name_and_a_printable_logo() {
        let input = |name: &str, logo: Option<&str>| OfficeInput {
            name: name.into(),
            logo_base64: logo.map(str::to_owned),
            output_folder: None,
        };
        for bad in ["", "   ", &"x".repeat(MAX_OFFICE_NAME_CHARS + 1), "a\u{7}b"] {
            let error = checked_office(&input(bad, None)).unwrap_err();
            assert_eq!(sesame_core::ErrorCode::code(&error), "office.name_invalid");
        }
        let ok = checked_office(&input("  Bureau des badges ", None)).unwrap();
        assert_eq!(ok.name, "Bureau des badges");

        use base64::Engine as _;
        let text = base64::engine::general_purpose::STANDARD.encode(b"not a picture");
        let error = checked_office(&input("Bureau", Some(&text))).unwrap_err();
        assert_eq!(
            sesame_core::ErrorCode::code(&error),
            "office.logo_unreadable"
        );

        let mut png = Vec::new();
        image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let logo = base64::engine::general_purpose::STANDARD.encode(&png);
        assert!(checked_office(&input("Bureau", Some(&logo))).is_ok());

        let huge =
            base64::engine::general_purpose::STANDARD.encode(vec![0u8; MAX_OFFICE_LOGO_BYTES + 1]);
        let error = checked_office(&input("Bureau", Some(&huge))).unwrap_err();
        assert_eq!(
            sesame_core::ErrorCode::code(&error),
            "office.logo_too_large"
        );
    }
}
