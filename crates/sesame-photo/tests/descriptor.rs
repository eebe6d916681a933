//! Renewals: the descriptor says whether the new photo looks like the previous badge
//! photo, as a hint. Needs scripts/fetch-portraits.sh.
use sesame_test_support::photos as common;

use common::labels::{portrait, portraits};
use sesame_photo::image::{imageops, RgbImage};
use sesame_photo::{PhotoEngine, SAME_PERSON_DISTANCE};

fn photo(name: &str) -> RgbImage {
    portrait(&portraits(false), name).import().into_image()
}

#[test]
fn two_photos_of_one_person_look_alike_and_two_people_do_not() {
    let engine = PhotoEngine::global().unwrap();
    // Two official portraits of the same man, taken years apart, and one of another man.
    let (obama, obama_cropped, biden) = (
        photo("frec_obama.jpg"),
        photo("frec_obama_partial_face2.jpg"),
        photo("frec_biden.jpg"),
    );
    let same = engine
        .compare_faces(&obama, &obama_cropped)
        .unwrap()
        .unwrap();
    assert!(same.same_person_likely, "{same:?}");
    assert!(same.distance < SAME_PERSON_DISTANCE);
    assert!(same.hint.en.contains("same person") && !same.hint.fr.is_empty());
    let other = engine.compare_faces(&obama, &biden).unwrap().unwrap();
    assert!(!other.same_person_likely, "{other:?}");
    assert!(other.hint.en.contains("Check carefully"), "{other:?}");

    // A badge photo is small: the same face at 413 px wide still matches.
    let small = imageops::thumbnail(&obama, 413, 516);
    let resized = engine.compare_faces(&small, &obama).unwrap().unwrap();
    assert!(resized.distance < same.distance, "{resized:?}");
}

#[test]
fn without_a_face_there_is_nothing_to_compare() {
    let engine = PhotoEngine::global().unwrap();
    let cat = common::photo("chelsea.png");
    assert!(engine
        .compare_faces(&cat, &common::astronaut())
        .unwrap()
        .is_none());
}
