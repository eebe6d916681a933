//! The accuracy of the photo checks on the labelled real portraits and their derived
//! variants must not get worse than the committed baseline
//! (tests/portraits/accuracy-baseline.tsv): no check may refuse more clean pictures or
//! let more faulty ones through. Needs scripts/fetch-portraits.sh and
//! scripts/fetch-test-photos.sh. `cargo bench -p sesame-photo --bench accuracy` prints
//! the table; `-- --write-baseline` records an improvement.
use sesame_test_support::photos as common;

use common::accuracy;
use sesame_photo::{PhotoEngine, PhotoRules};

#[test]
fn every_check_has_a_row_in_the_table() {
    accuracy::targets_match_the_engine();
}

#[test]
fn no_check_refuses_more_clean_pictures_nor_lets_more_faults_through_than_the_baseline() {
    let engine = PhotoEngine::global().expect("models load");
    let cases = accuracy::cases(engine, false);
    let outcomes = accuracy::run(engine, &cases, &PhotoRules::default());
    let table = accuracy::score(&cases, &outcomes);
    let worse = accuracy::regressions(&table);
    assert!(
        worse.is_empty(),
        "worse than tests/portraits/accuracy-baseline.tsv:\n  {}\n{}",
        worse.join("\n  "),
        accuracy::format(&table)
    );
}
