//! Exports for the access-control system: the formats Sésame ships, the check of a
//! profile an office defines, and the file a run writes. The badges a run selects
//! and the runs themselves are in the store (`Store::access_export_badges`,
//! `Store::record_access_export_run`).

mod formats;
mod render;

pub use formats::{formats, genetec_card_sync, genetec_import_tool, kantech_entrapass, sesame};
pub use render::{date, render, usable_delimiter, ExportLine, RenderedFile};

use crate::{ExportField, ExportProfile};

/// The largest photo side a profile may ask for, in pixels.
pub const MAX_PHOTO_SIDE: u32 = 2000;
/// The smallest.
pub const MIN_PHOTO_SIDE: u32 = 32;

/// What makes a profile unusable; the settings say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileProblem {
    /// The id is not 1 to 40 lowercase letters, digits and `-`.
    Id,
    Name,
    NoColumns,
    /// A column without a header.
    Header,
    Delimiter,
    /// A photo side outside 32 to 2000 pixels.
    PhotoSize,
    /// A photo column, but no photos written.
    PhotoColumn,
    /// A schedule of 0 days or more than a year.
    Schedule,
}

/// Checks a profile before it is saved or run.
pub fn check_profile(profile: &ExportProfile) -> Result<(), ProfileProblem> {
    let id_ok = (1..=40).contains(&profile.id.len())
        && profile
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !profile.id.starts_with('-');
    if !id_ok {
        return Err(ProfileProblem::Id);
    }
    if profile.name.trim().is_empty() {
        return Err(ProfileProblem::Name);
    }
    if profile.columns.is_empty() {
        return Err(ProfileProblem::NoColumns);
    }
    if profile.columns.iter().any(|c| c.header.trim().is_empty()) {
        return Err(ProfileProblem::Header);
    }
    if !usable_delimiter(profile.file.delimiter) {
        return Err(ProfileProblem::Delimiter);
    }
    match profile.photos {
        Some(photos) => {
            let side = MIN_PHOTO_SIDE..=MAX_PHOTO_SIDE;
            if !side.contains(&photos.width) || !side.contains(&photos.height) {
                return Err(ProfileProblem::PhotoSize);
            }
        }
        None => {
            let wants_photo = profile
                .columns
                .iter()
                .any(|c| matches!(c.field, ExportField::PhotoFile | ExportField::PhotoPath));
            if wants_photo {
                return Err(ProfileProblem::PhotoColumn);
            }
        }
    }
    if matches!(profile.every_days, Some(days) if !(1..=366).contains(&days)) {
        return Err(ProfileProblem::Schedule);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_format_is_a_valid_profile() {
        for format in formats() {
            assert_eq!(check_profile(&format), Ok(()), "{}", format.id);
        }
    }

    #[test]
    fn each_problem_is_named() {
        let check = |change: &dyn Fn(&mut ExportProfile)| {
            let mut profile = genetec_import_tool();
            change(&mut profile);
            check_profile(&profile).unwrap_err()
        };
        assert_eq!(check(&|p| p.id = "Genetec".into()), ProfileProblem::Id);
        assert_eq!(check(&|p| p.id = "../x".into()), ProfileProblem::Id);
        assert_eq!(check(&|p| p.name = " ".into()), ProfileProblem::Name);
        assert_eq!(check(&|p| p.columns.clear()), ProfileProblem::NoColumns);
        assert_eq!(
            check(&|p| p.columns[0].header.clear()),
            ProfileProblem::Header
        );
        assert_eq!(
            check(&|p| p.file.delimiter = '"'),
            ProfileProblem::Delimiter
        );
        assert_eq!(
            check(&|p| p.photos.as_mut().unwrap().width = 5000),
            ProfileProblem::PhotoSize
        );
        assert_eq!(check(&|p| p.photos = None), ProfileProblem::PhotoColumn);
        assert_eq!(check(&|p| p.every_days = Some(0)), ProfileProblem::Schedule);
    }
}
