//! Photos imported in bulk: how an office moves from a spreadsheet and a photo folder.
//! Each photo is matched to its holder's open request by a key (HR number, e-mail or
//! name: the file's name, or the row of a list naming the file), checked and cropped
//! like a photo imported at the desk, and saved only when nothing needs the operator:
//! a photo the checks refuse, or that needs a reason or an identity confirmation, is
//! reported for the desk and nothing is saved for it.
//!
//! One call per photo, so the screen shows progress and can stop between two photos
//! (each photo is its own transaction: stopping loses nothing saved).

use serde::{Deserialize, Serialize};
use sesame_core::{text, RequestStatus};
use sesame_photo::{import_photo, CheckId, ImportLimits};
use sesame_store::{HolderKey, QueueQuery, QueueRow, RefusedRow};
use ts_rs::TS;
use uuid::Uuid;

use super::save::Judgement;
use super::{check_imported, decode_base64, office_rules::office_photo_rules};
use crate::blocking::Blocking;
use crate::{Desk, FileBytes, RequestId, ServiceError};

/// What to import: the photo files chosen, and the list naming whose each is (none:
/// each file is named after its holder, e.g. `A1234.jpg`, `zoe.dupont@univ.fr.jpg`,
/// `DUPONT_Zoe.jpg`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoImportPlanInput {
    pub key: HolderKey,
    pub list: Option<FileBytes>,
    pub file_names: Vec<String>,
}

/// One photo to import and the key of its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedPhoto {
    pub file_name: String,
    pub key: String,
}

/// Which photos will be imported, and what does not add up before starting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhotoImportPlan {
    pub photos: Vec<PlannedPhoto>,
    /// Rows of the list that name no file or no holder.
    pub refused_rows: Vec<RefusedRow>,
    /// Files the list names that were not chosen.
    pub missing_files: Vec<String>,
    /// Files chosen that the list does not name (left out).
    pub unlisted_files: Vec<String>,
}

/// The key a file's own name gives: its name without the extension, `_` read as a space
/// (so `DUPONT_Zoe.jpg` names Zoé Dupont).
fn key_of_file_name(file_name: &str) -> String {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 4 => stem,
        _ => name,
    };
    stem.replace('_', " ").trim().to_owned()
}

/// The photos to import: from the list when there is one, else from the files' names.
pub async fn plan_photo_import(
    _desk: &Desk,
    input: PhotoImportPlanInput,
) -> Result<PhotoImportPlan, ServiceError> {
    let Some(list) = input.list else {
        return Ok(PhotoImportPlan {
            photos: input
                .file_names
                .iter()
                .map(|file_name| PlannedPhoto {
                    file_name: file_name.clone(),
                    key: key_of_file_name(file_name),
                })
                .collect(),
            refused_rows: Vec::new(),
            missing_files: Vec::new(),
            unlisted_files: Vec::new(),
        });
    };
    let bytes = list
        .into_bytes()
        .map_err(|detail| ServiceError::FileEncoding { detail })?;
    let parsed = sesame_store::parse_photo_list(&bytes, input.key)?;
    let chosen = |name: &str| {
        input
            .file_names
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
            .cloned()
    };
    let mut plan = PhotoImportPlan {
        photos: Vec::new(),
        refused_rows: parsed.refused,
        missing_files: Vec::new(),
        unlisted_files: Vec::new(),
    };
    for row in parsed.rows {
        match chosen(&row.file_name) {
            Some(file_name) => plan.photos.push(PlannedPhoto {
                file_name,
                key: row.key,
            }),
            None => plan.missing_files.push(row.file_name),
        }
    }
    plan.unlisted_files = input
        .file_names
        .iter()
        .filter(|f| !plan.photos.iter().any(|p| &p.file_name == *f))
        .cloned()
        .collect();
    Ok(plan)
}

/// One photo of a bulk import, with its holder's key.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkPhotoInput {
    pub file_name: String,
    pub key: String,
    pub key_kind: HolderKey,
    pub image: FileBytes,
    /// Checks and matches, saving nothing.
    pub dry_run: bool,
}

/// What became of one photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BulkPhotoOutcome {
    /// Saved on its holder's request.
    Saved,
    /// Would be saved (a dry run).
    Accepted,
    /// The operator must decide at the desk (a refusal to override, a warning to
    /// acknowledge, the same person to confirm, several requests): nothing saved.
    NeedsDesk,
    /// Cannot be used (unreadable, no face or several, no such holder): nothing saved.
    Refused,
}

/// A bulk import's report line for one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkPhotoRow {
    pub file_name: String,
    pub key: String,
    pub outcome: BulkPhotoOutcome,
    pub request_id: Option<RequestId>,
    /// "DUPONT Zoé", once the holder is found.
    pub holder: Option<String>,
    /// Why it needs the desk or is refused: an error code the UI translates.
    pub code: Option<String>,
    /// The checks that stopped it.
    pub checks: Vec<CheckId>,
}

impl BulkPhotoRow {
    fn new(input: &BulkPhotoInput) -> BulkPhotoRow {
        BulkPhotoRow {
            file_name: input.file_name.clone(),
            key: input.key.clone(),
            outcome: BulkPhotoOutcome::Refused,
            request_id: None,
            holder: None,
            code: None,
            checks: Vec::new(),
        }
    }

    fn stop(mut self, outcome: BulkPhotoOutcome, error: &ServiceError) -> BulkPhotoRow {
        self.outcome = outcome;
        self.code = Some(sesame_core::ErrorCode::code(error).to_owned());
        self
    }
}

fn folded_words(text_value: &str) -> Vec<String> {
    let mut words = text::search_terms(text_value);
    words.sort();
    words.dedup();
    words
}

/// Whether the request's holder is the one `key` names.
fn is_holder(row: &QueueRow, kind: HolderKey, key: &str) -> bool {
    let key = key.trim();
    match kind {
        HolderKey::HrId => row
            .external_id
            .as_deref()
            .is_some_and(|id| id.trim().eq_ignore_ascii_case(key)),
        HolderKey::Email => row
            .email
            .as_deref()
            .is_some_and(|email| email.trim().eq_ignore_ascii_case(key)),
        HolderKey::Name => {
            folded_words(&format!("{} {}", row.family_name, row.given_names)) == folded_words(key)
        }
    }
}

/// The open requests (still being put together) of the holder `key` names.
async fn open_requests_of(
    desk: &Desk,
    kind: HolderKey,
    key: &str,
) -> Result<Vec<QueueRow>, ServiceError> {
    let page = desk
        .store
        .look_up_requests(&QueueQuery {
            search: Some(key.to_owned()),
            statuses: RequestStatus::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .collect(),
            limit: Some(50),
            ..QueueQuery::default()
        })
        .await?;
    Ok(page
        .rows
        .into_iter()
        .filter(|row| is_holder(row, kind, key))
        .collect())
}

/// Matches, checks, crops and (unless a dry run, and only when nothing needs the
/// operator) saves one photo of a bulk import. A photo that cannot be used is a line of
/// the report, not an error: the import goes on with the next.
pub async fn import_request_photo(
    desk: &Desk,
    input: BulkPhotoInput,
) -> Result<BulkPhotoRow, ServiceError> {
    let mut row = BulkPhotoRow::new(&input);
    let requests = open_requests_of(desk, input.key_kind, &input.key).await?;
    let request = match requests.as_slice() {
        [] => {
            let error = ServiceError::NoOpenRequestForHolder {
                key: input.key.clone(),
            };
            return Ok(row.stop(BulkPhotoOutcome::Refused, &error));
        }
        [one] => one,
        several => {
            let error = ServiceError::SeveralOpenRequests {
                key: input.key.clone(),
                count: several.len(),
            };
            return Ok(row.stop(BulkPhotoOutcome::NeedsDesk, &error));
        }
    };
    row.request_id = Some(RequestId(request.id));
    row.holder = Some(format!(
        "{} {}",
        request.family_name.to_uppercase(),
        request.given_names
    ));
    let request_id: Uuid = request.id;
    let rules = office_photo_rules(desk).await?;
    let image = input.image.clone();
    let checked = Blocking::Photo
        .run(move || {
            let bytes = image
                .into_bytes()
                .map_err(|detail| ServiceError::PhotoEncoding { detail })?;
            let photo = import_photo(&bytes, &ImportLimits::default())?;
            check_imported(&photo, &rules)
        })
        .await;
    let outcome = match checked {
        Ok(outcome) => outcome,
        Err(error) => return Ok(row.stop(BulkPhotoOutcome::Refused, &error)),
    };
    let judged = Judgement::of(&outcome.report);
    if !judged.blocking.is_empty() {
        row.checks = judged.blocking.clone();
        let error = ServiceError::PhotoRefused {
            failures: String::new(),
        };
        return Ok(row.stop(BulkPhotoOutcome::Refused, &error));
    }
    if !judged.to_override.is_empty() {
        row.checks = judged.to_override.clone();
        let error = ServiceError::PhotoOverrideReasonRequired {
            checks: String::new(),
        };
        return Ok(row.stop(BulkPhotoOutcome::NeedsDesk, &error));
    }
    let detail = desk.store.get_request(request_id).await?;
    if super::history::previous_badge_photo(desk, &detail)
        .await?
        .is_some()
    {
        let error = ServiceError::SamePersonUnconfirmed {
            kind: detail.request.details.kind.as_str().to_owned(),
        };
        return Ok(row.stop(BulkPhotoOutcome::NeedsDesk, &error));
    }
    let (Some(cropped), Some(edits)) = (&outcome.cropped_jpeg_base64, &outcome.edits) else {
        let error = ServiceError::PhotoRefused {
            failures: CheckId::FaceCount.name().to_owned(),
        };
        return Ok(row.stop(BulkPhotoOutcome::Refused, &error));
    };
    if input.dry_run {
        row.outcome = BulkPhotoOutcome::Accepted;
        return Ok(row);
    }
    let jpeg = decode_base64(cropped)?;
    let details = serde_json::json!({
        "photoEdits": edits,
        "report": outcome.report,
        "bulkImport": { "fileName": input.file_name },
    });
    match desk
        .store
        .put_badge_photo(
            request_id,
            &jpeg,
            &desk.actor()?,
            details,
            &judged.review(None),
        )
        .await
    {
        Ok(_) => {
            row.outcome = BulkPhotoOutcome::Saved;
            Ok(row)
        }
        // Another desk closed or changed the request meanwhile: a line, not a stop.
        Err(error) => Ok(row.stop(BulkPhotoOutcome::Refused, &error.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_after_its_holder_gives_the_key() {
        assert_eq!(key_of_file_name("A1234.jpg"), "A1234");
        assert_eq!(key_of_file_name("photos/DUPONT_Zoé.JPEG"), "DUPONT Zoé");
        assert_eq!(
            key_of_file_name("zoe.dupont@univ.fr.jpg"),
            "zoe.dupont@univ.fr"
        );
        assert_eq!(key_of_file_name("Martin-Léo"), "Martin-Léo");
    }

    #[test]
    fn names_match_whatever_the_order_case_and_accents() {
        assert_eq!(folded_words("DUPONT Zoé"), folded_words("zoe dupont"));
        assert_ne!(folded_words("Dupont Zoé"), folded_words("Dupont Zoé Marie"));
    }
}
