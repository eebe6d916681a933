//! dlib's 128-d face descriptor, to tell the operator whether a renewal's new photo
//! looks like the previous badge photo. A hint for a person to check, never a verdict.

use image::RgbImage;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detect::Point;
use crate::error::{PhotoError, Result};
use crate::models::{Network, DESCRIPTOR};
use crate::report::Hint;
use crate::sampling::{self, RotatedSquare};

const SIZE: usize = 150;
/// dlib's face chip (150 px, padding 0.25) in terms of the eye centres: the chip's side
/// is 2 × 0.963 × 1.5 eye distances and its centre 0.524 eye distances below the eye
/// line's middle, square to it (dlib's mean face shape, as dlibx states it).
const CHIP_HALF_SIDE: f32 = 0.963_365 * 1.5;
const CHIP_CENTRE_BELOW_EYES: f32 = 0.524;
/// dlib's rule: two faces closer than this are the same person (99.38 % on LFW).
pub const SAME_PERSON_DISTANCE: f64 = 0.6;

/// A face's 128 numbers. Biometric data: compute it when a comparison is asked and do
/// not store it.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceDescriptor(pub(crate) Vec<f32>);

impl FaceDescriptor {
    /// Euclidean distance: under 0.6 dlib calls them the same person.
    pub fn distance(&self, other: &FaceDescriptor) -> f64 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| f64::from(a - b).powi(2))
            .sum::<f64>()
            .sqrt()
    }
}

/// How alike two photos' faces are: for the operator's eyes only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FaceComparison {
    /// Descriptor distance (dlib): under 0.6 usually the same person.
    pub distance: f64,
    /// `distance` < 0.6. Different people can fall under it (lookalikes, relatives,
    /// children) and one person above it (age, light, pose): never decide on it.
    pub same_person_likely: bool,
    /// "Looks like the same person" or "check carefully".
    pub hint: Hint,
}

impl FaceComparison {
    pub fn of(previous: &FaceDescriptor, new: &FaceDescriptor) -> FaceComparison {
        let distance = (previous.distance(new) * 1000.0).round() / 1000.0;
        let same_person_likely = distance < SAME_PERSON_DISTANCE;
        let hint = if same_person_likely {
            Hint {
                fr: "Ressemble à la même personne : vérifiez tout de même le visage".to_owned(),
                en: "Looks like the same person: still check the face yourself".to_owned(),
            }
        } else {
            Hint {
                fr: "Vérifiez attentivement : le visage diffère de la photo précédente".to_owned(),
                en: "Check carefully: the face differs from the previous photo".to_owned(),
            }
        };
        FaceComparison {
            distance,
            same_person_likely,
            hint,
        }
    }
}

/// dlib's aligned chip around the eye centres (subject's right eye first).
pub(crate) fn chip(right_eye: Point, left_eye: Point) -> RotatedSquare {
    let (dx, dy) = (left_eye.x - right_eye.x, left_eye.y - right_eye.y);
    let eyes = right_eye.midpoint(left_eye);
    RotatedSquare {
        // Square to the eye line, towards the mouth: (dx, dy) turned a quarter clockwise.
        centre: Point {
            x: eyes.x - CHIP_CENTRE_BELOW_EYES * dy,
            y: eyes.y + CHIP_CENTRE_BELOW_EYES * dx,
        },
        side: 2.0 * CHIP_HALF_SIDE * dx.hypot(dy).max(1.0),
        angle: dy.atan2(dx),
        mirrored: false,
    }
}

/// The descriptor network (loaded on the first comparison: it takes most of a second).
pub(crate) struct DescriptorModel {
    network: Network,
}

impl DescriptorModel {
    pub fn load() -> Result<DescriptorModel> {
        Ok(DescriptorModel {
            network: Network::load(&DESCRIPTOR)?,
        })
    }

    pub fn run(&self, image: &RgbImage, chip: RotatedSquare) -> Result<FaceDescriptor> {
        let outputs = self
            .network
            .run(sampling::crop_tensor(image, &chip, SIZE))?;
        outputs
            .into_iter()
            .find(|(_, v)| v.len() == 128)
            .map(|(_, v)| FaceDescriptor(v))
            .ok_or_else(|| PhotoError::Inference {
                detail: "the descriptor did not give 128 numbers".to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chip_sits_below_the_eyes_and_turns_with_them() {
        let square = chip(Point { x: 100.0, y: 100.0 }, Point { x: 140.0, y: 100.0 });
        assert!((square.centre.x - 120.0).abs() < 1e-3);
        assert!((square.centre.y - (100.0 + 0.524 * 40.0)).abs() < 1e-3);
        assert!((square.side - 2.0 * 0.963_365 * 1.5 * 40.0).abs() < 1e-2);
        assert!(square.angle.abs() < 1e-6);
    }

    #[test]
    fn the_comparison_is_a_hint_on_both_sides_of_dlibs_rule() {
        let a = FaceDescriptor(vec![0.0; 128]);
        let mut near = vec![0.0; 128];
        near[0] = 0.5;
        let mut far = vec![0.0; 128];
        far[0] = 0.7;
        let same = FaceComparison::of(&a, &FaceDescriptor(near));
        assert!(same.same_person_likely && same.hint.en.contains("same person"));
        let other = FaceComparison::of(&a, &FaceDescriptor(far));
        assert!(!other.same_person_likely && other.hint.en.contains("Check carefully"));
    }
}
