//! Holders the directory describes (those of the categories its groups give): their
//! names, e-mails and units kept as the directory has them, and their live badges
//! listed for review once they are gone from it or disabled there.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sesame_core::{BadgeAction, BadgeStatus, ErrorCode, HolderDetails};
use sesame_directory::{DirectoryPerson, People, PersonKey};
use sesame_store::{BadgeBatchOutcome, BadgeQuery, BadgeRef, BadgeRow, BadgeSkip};
use ts_rs::TS;
use uuid::Uuid;

use crate::{Desk, ServiceError};

/// Badges that still open doors, or will once handed over.
const LIVE: [BadgeStatus; 3] = [
    BadgeStatus::Issued,
    BadgeStatus::Active,
    BadgeStatus::Suspended,
];

/// Why a badge is on the leavers' list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LeaverCause {
    /// No one in the directory has the holder's HR number or e-mail.
    Gone,
    /// Their account is disabled in the directory.
    Disabled,
}

/// A live badge whose holder left the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryLeaver {
    #[serde(flatten)]
    pub row: BadgeRow,
    pub cause: LeaverCause,
}

/// One holder whose details changed to the directory's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderUpdate {
    pub holder_id: Uuid,
    /// Their name after the update.
    pub name: String,
    /// The holder fields that changed (`familyName`, `givenNames`, `email`, `unit`, `externalId`).
    pub fields: Vec<String>,
}

/// What a sync did (or would do, on a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectorySyncReport {
    pub dry_run: bool,
    pub updated: Vec<HolderUpdate>,
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Holders gone from the directory or disabled there (their badges are on the
    /// leavers' list, for review).
    #[ts(type = "number")]
    pub leavers: u64,
    /// Holders the directory's details could not be written to, with why.
    pub refused: Vec<BadgeSkip>,
}

/// The badges the operator reviewed on the leavers' list, and why they go.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeactivateLeaversInput {
    /// Each badge with the version the operator saw on the list.
    pub badges: Vec<BadgeRef>,
    /// Badges named by their number instead (the command line).
    #[serde(default)]
    pub badge_numbers: Vec<String>,
    pub reason: String,
}

pub(crate) fn person_key(external_id: Option<&str>, email: Option<&str>) -> PersonKey {
    let clean = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    PersonKey {
        external_id: clean(external_id),
        email: clean(email),
    }
}

fn holder_name(family_name: &str, given_names: &str) -> String {
    format!("{} {}", given_names, family_name).trim().to_owned()
}

/// The live badges of the directory's categories.
async fn directory_badges(desk: &Desk, categories: &[&str]) -> Result<Vec<BadgeRow>, ServiceError> {
    let rows = desk
        .store
        .list_badges(&BadgeQuery {
            statuses: LIVE.to_vec(),
            ..BadgeQuery::default()
        })
        .await?;
    Ok(rows
        .into_iter()
        .filter(|row| categories.contains(&row.category.as_str()))
        .collect())
}

fn cause(people: &People, key: &PersonKey) -> Option<LeaverCause> {
    match people.find(key) {
        None => Some(LeaverCause::Gone),
        Some(person) if person.disabled => Some(LeaverCause::Disabled),
        Some(_) => None,
    }
}

/// The live badges whose holders are gone from the directory or disabled there.
pub async fn directory_leavers(desk: &Desk) -> Result<Vec<DirectoryLeaver>, ServiceError> {
    let (mut directory, settings) = super::connect(desk).await?;
    let people = directory.everyone().await?;
    directory.close().await;
    let rows = directory_badges(desk, &settings.directory_categories()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let key = person_key(row.external_id.as_deref(), row.email.as_deref());
            cause(&people, &key).map(|cause| DirectoryLeaver { row, cause })
        })
        .collect())
}

/// Deactivates the reviewed badges with the reason, each audited. The directory is
/// asked again first: a badge whose holder came back (or changed since the review) is
/// left alone and reported.
pub async fn deactivate_leavers(
    desk: &Desk,
    input: DeactivateLeaversInput,
) -> Result<BadgeBatchOutcome, ServiceError> {
    if input.badges.is_empty() && input.badge_numbers.iter().all(|n| n.trim().is_empty()) {
        return Err(ServiceError::NoBadgeSelected);
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::DeactivationReasonRequired);
    }
    let actor = desk.actor()?;
    let leavers = directory_leavers(desk).await?;
    let mut outcome = BadgeBatchOutcome::default();
    let mut wanted: Vec<(Option<Uuid>, Option<i64>, String)> = input
        .badges
        .iter()
        .map(|b| (Some(b.id), Some(b.version), String::new()))
        .collect();
    wanted.extend(
        input
            .badge_numbers
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(|n| (None, None, n.to_owned())),
    );
    let mut done = HashSet::new();
    for (id, version, number) in wanted {
        let leaver = leavers.iter().find(|l| match id {
            Some(id) => l.row.badge.id == id,
            None => l.row.badge.number == number,
        });
        let Some(leaver) = leaver else {
            let number = match id {
                Some(id) => desk
                    .store
                    .get_badge(id)
                    .await
                    .map(|b| b.number)
                    .unwrap_or_else(|_| id.to_string()),
                None => number,
            };
            let refused = ServiceError::NotALeaver {
                number: number.clone(),
            };
            outcome.skipped.push(BadgeSkip {
                badge_id: id.unwrap_or_else(Uuid::nil),
                badge_number: Some(number),
                code: refused.code().to_owned(),
                message: refused.to_string(),
            });
            continue;
        };
        let badge = &leaver.row.badge;
        if !done.insert(badge.id) {
            continue;
        }
        let version = version.unwrap_or(badge.version);
        match desk
            .store
            .badge_transition(
                badge.id,
                version,
                BadgeAction::Deactivate,
                &actor,
                Some(reason),
            )
            .await
        {
            Ok(changed) => outcome.changed.push(BadgeRow {
                badge: changed,
                ..leaver.row.clone()
            }),
            Err(error) => outcome.skipped.push(BadgeSkip {
                badge_id: badge.id,
                badge_number: Some(badge.number.clone()),
                code: error.code().to_owned(),
                message: error.to_string(),
            }),
        }
    }
    Ok(outcome)
}

/// The holder's details with what the directory says of them.
fn as_directory_says(
    details: &HolderDetails,
    person: &DirectoryPerson,
) -> (HolderDetails, Vec<String>) {
    let mut next = details.clone();
    let mut fields = Vec::new();
    let mut take = |field: &str, current: &mut String, theirs: &str| {
        if !theirs.is_empty() && current != theirs {
            *current = theirs.to_owned();
            fields.push(field.to_owned());
        }
    };
    take("familyName", &mut next.family_name, &person.family_name);
    take("givenNames", &mut next.given_names, &person.given_names);
    let mut take_optional = |field: &str, current: &mut Option<String>, theirs: &Option<String>| {
        if theirs.is_some() && current != theirs {
            current.clone_from(theirs);
            fields.push(field.to_owned());
        }
    };
    take_optional("email", &mut next.email, &person.email);
    take_optional("unit", &mut next.unit, &person.unit);
    if next.external_id.is_none() {
        take_optional("externalId", &mut next.external_id, &person.external_id);
    }
    (next, fields)
}

/// Updates the names, e-mails, units (and missing HR numbers) of the holders of live
/// badges in the directory's categories to the directory's, each audited; counts the
/// leavers. A dry run only reports.
pub async fn sync_from_directory(
    desk: &Desk,
    dry_run: bool,
) -> Result<DirectorySyncReport, ServiceError> {
    let (mut directory, settings) = super::connect(desk).await?;
    let people = directory.everyone().await?;
    directory.close().await;
    let actor = desk.actor()?;
    let mut report = DirectorySyncReport {
        dry_run,
        ..DirectorySyncReport::default()
    };
    let mut seen = HashSet::new();
    for row in directory_badges(desk, &settings.directory_categories()).await? {
        let holder_id = row.badge.holder_id;
        if !seen.insert(holder_id) {
            continue;
        }
        let key = person_key(row.external_id.as_deref(), row.email.as_deref());
        let person = match people.find(&key) {
            Some(person) if !person.disabled => person,
            _ => {
                report.leavers += 1;
                continue;
            }
        };
        let holder = desk.store.get_holder(holder_id).await?;
        let (details, fields) = as_directory_says(&holder.details, person);
        if fields.is_empty() {
            report.unchanged += 1;
            continue;
        }
        let update = HolderUpdate {
            holder_id,
            name: holder_name(&details.family_name, &details.given_names),
            fields,
        };
        if dry_run {
            report.updated.push(update);
            continue;
        }
        match desk
            .store
            .update_holder(holder_id, holder.version, details, &actor)
            .await
        {
            Ok(_) => report.updated.push(update),
            Err(error) => report.refused.push(BadgeSkip {
                badge_id: row.badge.id,
                badge_number: Some(row.badge.number.clone()),
                code: error.code().to_owned(),
                message: error.to_string(),
            }),
        }
    }
    Ok(report)
}
