//! The office's photo check thresholds (every desk of a queue judges alike) and the
//! supervisor's view of how often each check is overridden: a check overridden often
//! is miscalibrated, and its thresholds are changed here.

use sesame_photo::PhotoRules;
use sesame_store::PhotoCheckStats;

use crate::{Desk, SensitiveAction, ServiceError};

/// The settings key the thresholds are saved under.
const PHOTO_RULES_KEY: &str = "photo_rules";

/// The thresholds this desk checks photos with: the office's, else the calibrated
/// defaults (a setting saved by an older version keeps its fields; the new ones take
/// their defaults).
pub async fn office_photo_rules(desk: &Desk) -> Result<PhotoRules, ServiceError> {
    Ok(desk
        .store
        .typed_setting(PHOTO_RULES_KEY, "photo thresholds")
        .await?)
}

/// Saves the office's thresholds (a supervisor's change, audited with before and after).
pub async fn save_photo_rules(desk: &Desk, rules: PhotoRules) -> Result<PhotoRules, ServiceError> {
    desk.require_supervisor(SensitiveAction::ChangeSettings, "photo-rules")?;
    let value = serde_json::to_value(&rules)
        .map_err(|e| ServiceError::from(sesame_store::StoreError::Corrupt(e.to_string())))?;
    desk.store
        .save_setting(PHOTO_RULES_KEY, &value, &desk.actor()?)
        .await?;
    office_photo_rules(desk).await
}

/// Back to the calibrated defaults (a supervisor's change, audited).
pub async fn restore_default_photo_rules(desk: &Desk) -> Result<PhotoRules, ServiceError> {
    save_photo_rules(desk, PhotoRules::default()).await
}

/// How many photos were saved, how many over a refusal, and per check how often it
/// refused or warned and was overridden.
pub async fn photo_check_stats(desk: &Desk) -> Result<PhotoCheckStats, ServiceError> {
    Ok(desk.store.photo_check_stats().await?)
}
