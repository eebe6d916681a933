//! Saving a request's badge photo. The bytes the UI sends are checked again here, and
//! the verdict comes from the checks on the whole original this desk showed the
//! operator (background and resolution can only be judged there), else from the crop.
//!
//! No face, several faces or an unreadable file stop the save. Any other refusal, and
//! the warnings that ask for the operator's word (head covering, occlusion: often
//! religious or medical), may be overridden with a reason, recorded with the photo and
//! its report; the office's rules may ask for a supervisor too. Every check that did
//! not pass is recorded, so the supervisor sees how often each one is overridden.

use serde::{Deserialize, Serialize};
use sesame_core::{OperatorRole, RequestKind};
use sesame_photo::{
    import_photo, CheckId, CheckKind, ImportLimits, PhotoEdits, PhotoEngine, PhotoReport,
    PhotoRules, SourceFormat, Verdict,
};
use sesame_store::{CheckOutcome, PhotoCheckOutcome, PhotoOverride, PhotoReview, RequestDetail};
use ts_rs::TS;

use super::{decode_base64, office_rules::office_photo_rules};
use crate::blocking::Blocking;
use crate::{Desk, RequestId, SensitiveAction, ServiceError};

/// The badge photo the operator accepted, to store on the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavePhotoInput {
    pub request_id: RequestId,
    pub jpeg_base64: String,
    pub edits: PhotoEdits,
    /// Why the photo is saved although checks refused it or asked for the operator's
    /// word; required then, ignored otherwise.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// A renewal or replacement: the operator compared the new photo with the previous
    /// badge's and confirms it shows the same person.
    #[serde(default)]
    pub same_person_confirmed: bool,
}

/// What the checks say about saving a photo.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Judgement {
    /// Failed checks nobody may override (no face, several faces).
    pub(crate) blocking: Vec<CheckId>,
    /// Refusals, and warnings that need the operator's word: saved only with a reason.
    pub(crate) to_override: Vec<CheckId>,
    /// Every check that did not simply pass.
    pub(crate) outcomes: Vec<(CheckId, CheckOutcome)>,
}

impl Judgement {
    pub(crate) fn of(report: &PhotoReport) -> Judgement {
        let mut judged = Judgement::default();
        for check in &report.checks {
            match check.verdict {
                Verdict::Fail => {
                    judged.outcomes.push((check.id, CheckOutcome::Fail));
                    if check.kind == CheckKind::Blocking {
                        judged.blocking.push(check.id);
                    } else {
                        judged.to_override.push(check.id);
                    }
                }
                Verdict::Warn => {
                    judged.outcomes.push((check.id, CheckOutcome::Warn));
                    if check.kind == CheckKind::Warning {
                        judged.to_override.push(check.id);
                    }
                }
                Verdict::Pass | Verdict::Skipped => {}
            }
        }
        if report.face.is_none() && judged.blocking.is_empty() {
            judged.blocking.push(CheckId::FaceCount);
        }
        judged
    }

    /// What is recorded with the photo.
    pub(crate) fn review(&self, overridden: Option<PhotoOverride>) -> PhotoReview {
        let was_overridden = overridden.is_some();
        PhotoReview {
            outcomes: self
                .outcomes
                .iter()
                .map(|(id, outcome)| PhotoCheckOutcome {
                    check: id.name().to_owned(),
                    outcome: *outcome,
                    overridden: was_overridden && self.to_override.contains(id),
                })
                .collect(),
            overridden,
        }
    }
}

fn names(checks: &[CheckId]) -> String {
    checks
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a JPEG carries nothing but the JFIF header before its image data: no EXIF,
/// XMP, ICC or comment segment that could hide metadata (GPS) sent by a tampered UI.
pub(super) fn jpeg_is_bare(bytes: &[u8]) -> bool {
    if bytes.len() < 4 || bytes[..2] != [0xFF, 0xD8] {
        return false;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        match marker {
            0xDA => return true, // start of scan: the headers are over
            0xFF => at += 1,     // fill byte
            0x01 | 0xD0..=0xD7 => at += 2,
            0xE1..=0xEF | 0xFE => return false,
            _ => {
                let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
                at += 2 + length;
            }
        }
    }
    false
}

/// Decodes and measures a badge photo sent by the UI and checks it again: the bytes to
/// store (exactly the checked ones when they carry no metadata) and the report on them.
fn verify_badge_photo(
    jpeg_base64: &str,
    edits: &PhotoEdits,
    rules: &PhotoRules,
) -> Result<(Vec<u8>, PhotoReport), ServiceError> {
    let bytes = decode_base64(jpeg_base64)?;
    let photo = import_photo(&bytes, &ImportLimits::default())?;
    let not_badge = |detail: String| ServiceError::NotABadgePhoto { detail };
    if photo.source_format() != SourceFormat::Jpeg {
        return Err(not_badge(format!(
            "a {:?} image, where a JPEG is expected",
            photo.source_format()
        )));
    }
    let frame = rules.frame;
    let size = (photo.width(), photo.height());
    if size != (frame.width_px, frame.height_px)
        || (edits.output_width, edits.output_height) != size
    {
        return Err(not_badge(format!(
            "{}x{} px (edits say {}x{}), the badge frame is {}x{} px",
            size.0,
            size.1,
            edits.output_width,
            edits.output_height,
            frame.width_px,
            frame.height_px
        )));
    }
    let crop = edits.crop;
    if crop.width == 0
        || crop.height == 0
        || crop.x.saturating_add(crop.width) > edits.source_width
        || crop.y.saturating_add(crop.height) > edits.source_height
    {
        return Err(not_badge(format!(
            "the recorded crop {crop:?} is not inside the {}x{} source",
            edits.source_width, edits.source_height
        )));
    }
    let report = PhotoEngine::global()?.check(&photo, rules)?;
    // Stores exactly the checked bytes when they are clean, else a clean re-encoding.
    let stored = if jpeg_is_bare(&bytes) {
        bytes
    } else {
        photo.to_jpeg(frame.jpeg_quality)?
    };
    Ok((stored, report))
}

/// The checks that still mean something on the cropped badge photo itself: a crop the
/// UI sends back must not fail one of them unless the operator overrode it on the
/// original. (Background and resolution are judged on the wider original only.)
const RECHECKED_ON_THE_CROP: [CheckId; 11] = [
    CheckId::FaceCount,
    CheckId::HeadHeight,
    CheckId::Centring,
    CheckId::EyeLine,
    CheckId::Roll,
    CheckId::Yaw,
    CheckId::EyesOpen,
    CheckId::MouthClosed,
    CheckId::Exposure,
    CheckId::Clipping,
    CheckId::Colour,
];

/// Saves the badge photo on the request (the previous one is kept as a previous photo),
/// with how it was made (`after.details.photoEdits`), the report on its original
/// (`after.details.report`) and any override (`after.override`, reason in the audit
/// entry) in the attachment's audit entry, and every check that did not pass in the
/// photo tables.
pub async fn save_request_photo(
    desk: &Desk,
    input: SavePhotoInput,
) -> Result<RequestDetail, ServiceError> {
    let id = input.request_id.0;
    let rules = office_photo_rules(desk).await?;
    let original = desk.camera.report_for(&input.jpeg_base64);
    let SavePhotoInput {
        jpeg_base64,
        edits,
        override_reason,
        same_person_confirmed,
        ..
    } = input;
    let (jpeg, edits, on_crop) = Blocking::Photo
        .run(move || {
            let (jpeg, report) = verify_badge_photo(&jpeg_base64, &edits, &rules)?;
            Ok((jpeg, edits, report))
        })
        .await?;
    // Without a matching check on the original (another desk's crop, a restart), the
    // checks on the badge photo itself are what is judged and recorded.
    let report = original.unwrap_or_else(|| on_crop.clone());
    let judged = Judgement::of(&report);
    let on_crop = Judgement::of(&on_crop);
    let mut blocking_checks = judged.blocking.clone();
    blocking_checks.extend(on_crop.blocking.iter().copied());
    blocking_checks.extend(on_crop.outcomes.iter().filter_map(|(check, outcome)| {
        (*outcome == CheckOutcome::Fail
            && RECHECKED_ON_THE_CROP.contains(check)
            && !judged.to_override.contains(check))
        .then_some(*check)
    }));
    blocking_checks.dedup();
    if !blocking_checks.is_empty() {
        return Err(ServiceError::PhotoRefused {
            failures: names(&blocking_checks),
        });
    }
    let reason = override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let overridden = if judged.to_override.is_empty() {
        None
    } else {
        let Some(reason) = reason else {
            return Err(ServiceError::PhotoOverrideReasonRequired {
                checks: names(&judged.to_override),
            });
        };
        let policy = desk.store.policy().await?;
        let countersigned_by = if policy.photo.override_needs_supervisor {
            desk.require_supervisor(
                SensitiveAction::OverridePhotoCheck,
                &format!("request:{id}"),
            )?;
            (desk.role() != OperatorRole::Supervisor)
                .then(|| desk.countersigned_by())
                .flatten()
        } else {
            None
        };
        Some(PhotoOverride {
            reason,
            countersigned_by,
        })
    };
    let detail = desk.store.get_request(id).await?;
    if !same_person_confirmed
        && super::history::previous_badge_photo(desk, &detail)
            .await?
            .is_some()
    {
        return Err(ServiceError::SamePersonUnconfirmed {
            kind: detail.request.details.kind.as_str().to_owned(),
        });
    }
    let review = judged.review(overridden.clone());
    let mut details = serde_json::json!({
        "photoEdits": edits,
        "report": report,
    });
    if matches!(
        detail.request.details.kind,
        RequestKind::Renewal | RequestKind::Replacement
    ) && same_person_confirmed
    {
        details["samePersonConfirmed"] = serde_json::json!(true);
    }
    desk.store
        .put_badge_photo(id, &jpeg, &desk.actor()?, details, &review)
        .await?;
    Ok(desk.store.get_request(id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sesame_photo::image::RgbImage;
    use sesame_photo::ImportedPhoto;

    #[test]
    fn only_a_jfif_header_counts_as_bare() {
        let image = RgbImage::from_pixel(16, 16, sesame_photo::image::Rgb([200, 120, 90]));
        let clean = ImportedPhoto::from_image(image).to_jpeg(90).unwrap();
        assert!(jpeg_is_bare(&clean));
        // An APP1 (EXIF) segment slipped in after SOI is metadata.
        let mut tampered = clean[..2].to_vec();
        tampered.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x08, b'E', b'x', b'i', b'f', 0, 0]);
        tampered.extend_from_slice(&clean[2..]);
        assert!(!jpeg_is_bare(&tampered));
        assert!(!jpeg_is_bare(b"not a jpeg"));
        assert!(!jpeg_is_bare(&clean[..20]));
    }
}
