//! The accuracy set and its table: for each check, how many pictures without its fault
//! it refuses, and how many with its fault it lets through, over the labelled real
//! portraits and the variants derived from them.
//!
//! Checks are named by their JSON name (`CheckId::name`), so that the same scoring can
//! read the verdicts of another engine (the one before a change) from a file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use sesame_photo::{
    CheckKind, ImportedPhoto, OverallVerdict, PhotoEngine, PhotoReport, PhotoRules, Verdict,
};

use super::labels::{portrait, portraits, Label, Labels};
use super::variants;

/// One row of the table: a check (or a group of checks, when a labelled fault is
/// rightly caught by any of several), the labels that say its fault is present, and the
/// labels under which it is not scored (the picture shows something the check may
/// rightly react to although it is not its fault: a face off-centre in a wide photo is
/// re-centred by the crop unless it is cut, so the framing checks are not scored on it).
pub struct Target {
    pub row: &'static str,
    pub checks: &'static [&'static str],
    pub faults: &'static [&'static str],
    pub not_scored_when: &'static [&'static str],
    /// A warning counts as caught: for the checks that only warn (head covering,
    /// occlusion).
    pub warning_catches: bool,
}

const fn target(check: &'static [&'static str], faults: &'static [&'static str]) -> Target {
    Target {
        row: check[0],
        checks: check,
        faults,
        not_scored_when: &[],
        warning_catches: false,
    }
}

const fn clean_only(
    check: &'static [&'static str],
    not_scored_when: &'static [&'static str],
) -> Target {
    Target {
        row: check[0],
        checks: check,
        faults: &[],
        not_scored_when,
        warning_catches: false,
    }
}

/// A row per check, then the groups.
pub const TARGETS: [Target; 27] = [
    Target {
        row: "face_count",
        checks: &["face_count"],
        faults: &["several_faces"],
        // A face cut by the edge may rightly go unseen: refused for "no face" then.
        not_scored_when: &["face_cut_off"],
        warning_catches: false,
    },
    clean_only(&["inter_eye_distance"], &["small_face"]),
    clean_only(&["head_height"], &["face_cut_off"]),
    clean_only(&["centring"], &["face_cut_off", "off_centre"]),
    clean_only(&["eye_line"], &["face_cut_off", "off_centre"]),
    target(&["roll"], &["roll_tilted"]),
    target(&["yaw"], &["yaw_turned"]),
    target(&["pitch"], &["pitch_tilted"]),
    Target {
        row: "eyes_open",
        checks: &["eyes_open"],
        faults: &["eyes_closed"],
        not_scored_when: &["dark_glasses"],
        warning_catches: false,
    },
    target(&["eyes_visible"], &["glasses_glare", "dark_glasses"]),
    target(&["mouth_closed"], &["mouth_open"]),
    target(&["expression"], &["smile"]),
    Target {
        row: "head_covering",
        checks: &["head_covering"],
        faults: &["head_covering"],
        not_scored_when: &[],
        warning_catches: true,
    },
    Target {
        row: "occlusion",
        checks: &["occlusion"],
        faults: &["occlusion"],
        not_scored_when: &[],
        warning_catches: true,
    },
    target(&["sharpness"], &["blurred"]),
    target(&["exposure"], &["too_dark", "too_bright"]),
    clean_only(&["clipping"], &["too_dark", "too_bright"]),
    clean_only(&["dynamic_range"], &["too_dark", "too_bright"]),
    target(&["illumination"], &["uneven_light"]),
    target(&["colour"], &["greyscale"]),
    target(&["background_uniformity"], &["busy_background"]),
    target(&["background_brightness"], &["dark_background"]),
    clean_only(&["resolution"], &["small_face"]),
    target(&["compression"], &["compressed"]),
    // `small_face` is coarse: a face small in the frame is fine when it has the pixels
    // (the crop enlarges it), so many of its "let through" are right.
    Target {
        row: "size*",
        checks: &["inter_eye_distance", "resolution"],
        faults: &["small_face"],
        not_scored_when: &[],
        warning_catches: false,
    },
    Target {
        row: "framing*",
        checks: &["head_height", "centring", "eye_line"],
        faults: &["face_cut_off"],
        not_scored_when: &[],
        warning_catches: false,
    },
    Target {
        row: "light*",
        checks: &["exposure", "clipping", "dynamic_range"],
        faults: &["too_dark", "too_bright"],
        not_scored_when: &[],
        warning_catches: false,
    },
];

/// What a case shows for one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    Clean,
    Faulty,
    NotScored,
}

impl Target {
    pub fn truth(&self, labels: &Labels) -> Truth {
        let any = |names: &[&str], label: Label| names.iter().any(|f| labels.get(f) == label);
        if any(self.not_scored_when, Label::Yes) || any(self.not_scored_when, Label::Unclear) {
            Truth::NotScored
        } else if any(self.faults, Label::Yes) {
            Truth::Faulty
        } else if any(self.faults, Label::Unclear) {
            Truth::NotScored
        } else {
            Truth::Clean
        }
    }
}

/// A picture of the set.
pub struct Case {
    pub name: String,
    /// "real" (a labelled photo) or "derived".
    pub set: &'static str,
    pub photo: ImportedPhoto,
    pub labels: Labels,
    /// A plain, frontal, well-lit portrait: must not be refused.
    pub acceptable: bool,
}

/// The verdicts an engine gave on one case, by check name.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub overall: OverallVerdict,
    pub verdicts: BTreeMap<String, Verdict>,
    /// The measured values (empty when read from another engine's file).
    pub values: BTreeMap<String, f64>,
}

impl Outcome {
    pub fn of(report: &PhotoReport) -> Outcome {
        Outcome {
            overall: report.verdict,
            verdicts: report
                .checks
                .iter()
                .map(|c| (c.id.name().to_owned(), c.verdict))
                .collect(),
            values: report
                .checks
                .iter()
                .filter_map(|c| Some((c.id.name().to_owned(), c.value?)))
                .collect(),
        }
    }
}

/// The real portraits (verified rows unless asked) and the derived variants.
pub fn cases(engine: &PhotoEngine, include_unverified: bool) -> Vec<Case> {
    let all = portraits(include_unverified);
    let mut out: Vec<Case> = all
        .iter()
        .map(|p| Case {
            name: p.file.clone(),
            set: "real",
            photo: p.import(),
            labels: p.labels.clone(),
            acceptable: false,
        })
        .collect();
    let giunchedi = portrait(&all, "thumbor_giunchedi.jpg");
    let hopper = portrait(&all, "mpl_grace_hopper.jpg");
    out.extend(
        variants::derived(engine, &giunchedi, &hopper)
            .into_iter()
            .map(|d| Case {
                name: d.name,
                set: "derived",
                photo: d.photo,
                labels: d.labels,
                acceptable: d.acceptable,
            }),
    );
    out
}

/// Checks every case with `engine` on two threads (the machine's cores).
pub fn run(engine: &PhotoEngine, cases: &[Case], rules: &PhotoRules) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    let mut outcomes: Vec<Option<Outcome>> = vec![None; cases.len()];
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(&mut outcomes);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(case) = cases.get(i) else {
                    break;
                };
                let report = engine.check(&case.photo, rules).expect("checks run");
                done.lock().unwrap()[i] = Some(Outcome::of(&report));
            });
        }
    });
    outcomes
        .into_iter()
        .map(|o| o.expect("every case ran"))
        .collect()
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Row {
    /// Cases without the check's fault, and how many of them it refused (warned, for a
    /// warning-only check).
    pub clean: usize,
    pub refused: usize,
    /// Cases with the fault, and how many it caught (failed; warned for a warning-only
    /// check) and merely warned about.
    pub faulty: usize,
    pub caught: usize,
    pub warned: usize,
    /// Faulty cases it could not measure (no face found: the photo is refused anyway).
    pub unmeasured: usize,
}

impl Row {
    pub fn let_through(&self) -> usize {
        self.faulty - self.caught
    }
}

/// The table, per set ("real", "derived", "all") and check, plus the overall rows.
pub type Table = BTreeMap<(String, String), Row>;

impl Target {
    /// Whether any of the row's checks caught the picture, and whether one only warned.
    pub fn flags(&self, outcome: &Outcome) -> (bool, bool, bool) {
        let verdicts: Vec<Verdict> = self
            .checks
            .iter()
            .map(|c| {
                outcome
                    .verdicts
                    .get(*c)
                    .copied()
                    .unwrap_or(Verdict::Skipped)
            })
            .collect();
        let failed = verdicts.contains(&Verdict::Fail);
        let warned = verdicts.contains(&Verdict::Warn);
        let caught = failed || (self.warning_catches && warned);
        let unmeasured = verdicts.iter().all(|v| *v == Verdict::Skipped);
        (caught, warned && !caught, unmeasured)
    }
}

pub fn score(cases: &[Case], outcomes: &[Outcome]) -> Table {
    let mut table = Table::new();
    for (case, outcome) in cases.iter().zip(outcomes) {
        for set in [case.set, "all"] {
            for target in &TARGETS {
                let (caught, warned, unmeasured) = target.flags(outcome);
                let row = table
                    .entry((set.to_owned(), target.row.to_owned()))
                    .or_default();
                match target.truth(&case.labels) {
                    Truth::Clean => {
                        row.clean += 1;
                        row.refused += usize::from(caught);
                    }
                    Truth::Faulty => {
                        row.faulty += 1;
                        row.caught += usize::from(caught);
                        row.warned += usize::from(warned);
                        row.unmeasured += usize::from(unmeasured);
                    }
                    Truth::NotScored => {}
                }
            }
            // Overall: acceptable portraits refused; faulty pictures not refused (not
            // even warned, when their only faults are warning-only).
            let refused = outcome.overall == OverallVerdict::Refused;
            let row = table
                .entry((set.to_owned(), "OVERALL".to_owned()))
                .or_default();
            if case.acceptable {
                row.clean += 1;
                row.refused += usize::from(refused);
            }
            let faults: Vec<&Target> = TARGETS
                .iter()
                .filter(|t| t.truth(&case.labels) == Truth::Faulty)
                .collect();
            if !faults.is_empty() {
                row.faulty += 1;
                let refusable = faults.iter().any(|t| !t.warning_catches);
                let caught = if refusable {
                    refused
                } else {
                    outcome.overall != OverallVerdict::Accepted
                };
                row.caught += usize::from(caught);
                row.warned += usize::from(
                    refusable && outcome.overall == OverallVerdict::AcceptedWithWarnings,
                );
            }
        }
    }
    table
}

/// The table as the benchmark prints it.
pub fn format(table: &Table) -> String {
    let mut out = String::new();
    for set in ["real", "derived", "all"] {
        let _ = writeln!(
            out,
            "\n{set:<8} {:<22} {:>6} {:>8} {:>7} {:>12} {:>7} {:>10}",
            "check", "clean", "refused", "faulty", "let through", "warned", "unmeasured"
        );
        let rows = TARGETS.iter().map(|t| t.row).chain(["OVERALL"]);
        for check in rows {
            let Some(row) = table.get(&(set.to_owned(), check.to_owned())) else {
                continue;
            };
            let _ = writeln!(
                out,
                "{:<8} {check:<22} {:>6} {:>8} {:>7} {:>12} {:>7} {:>10}",
                "",
                row.clean,
                row.refused,
                row.faulty,
                row.let_through(),
                row.warned,
                row.unmeasured
            );
        }
    }
    let _ = writeln!(
        out,
        "\nclean: pictures without the check's fault (OVERALL: acceptable portraits); refused: \
         of those, refused by it (warned, for head covering and occlusion, which never refuse);\n\
         faulty: pictures with its fault; let through: of those, not refused (warned: only a \
         warning; unmeasured: no face found, so refused for the face count instead).\n\
         Rows marked * group checks that may each rightly catch one labelled fault."
    );
    out
}

pub fn baseline_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sesame-photo/tests/portraits/accuracy-baseline.tsv")
}

/// The table as committed: one line per set and check.
pub fn to_tsv(table: &Table) -> String {
    let mut out = String::from(
        "# Accuracy of the photo checks on the labelled portraits and their derived variants.\n\
         # Regenerate with: cargo bench -p sesame-photo --bench accuracy -- --write-baseline\n\
         # set\tcheck\tclean\trefused\tfaulty\tlet_through\n",
    );
    for ((set, check), row) in table {
        let _ = writeln!(
            out,
            "{set}\t{check}\t{}\t{}\t{}\t{}",
            row.clean,
            row.refused,
            row.faulty,
            row.let_through()
        );
    }
    out
}

/// (clean, refused, faulty, let through) per set and check, from the committed file.
pub fn read_baseline() -> BTreeMap<(String, String), [usize; 4]> {
    let text = std::fs::read_to_string(baseline_path()).expect("the baseline is committed");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let n = |i: usize| f[i].parse::<usize>().expect("a count");
            ((f[0].to_owned(), f[1].to_owned()), [n(2), n(3), n(4), n(5)])
        })
        .collect()
}

/// Every way `table` is worse than the baseline: more false refusals or more faults let
/// through on the same pictures. Empty when nothing got worse.
pub fn regressions(table: &Table) -> Vec<String> {
    let baseline = read_baseline();
    let mut out = Vec::new();
    for ((set, check), [clean, refused, faulty, let_through]) in &baseline {
        let key = (set.clone(), check.clone());
        let Some(row) = table.get(&key) else {
            out.push(format!("{set} {check}: no longer measured"));
            continue;
        };
        if (row.clean, row.faulty) != (*clean, *faulty) {
            out.push(format!(
                "{set} {check}: the set changed ({} clean, {} faulty; baseline {clean}, {faulty}): \
                 regenerate the baseline",
                row.clean, row.faulty
            ));
        }
        if row.refused > *refused {
            out.push(format!(
                "{set} {check}: refuses {} clean pictures (baseline {refused})",
                row.refused
            ));
        }
        if row.let_through() > *let_through {
            out.push(format!(
                "{set} {check}: lets {} faulty pictures through (baseline {let_through})",
                row.let_through()
            ));
        }
    }
    out
}

/// Every check has its row, and the checks that only warn are scored on warnings.
pub fn targets_match_the_engine() {
    for id in sesame_photo::CheckId::ALL {
        let target = TARGETS
            .iter()
            .find(|t| t.row == id.name())
            .unwrap_or_else(|| panic!("no accuracy row for {}", id.name()));
        if id.kind() == CheckKind::Warning {
            assert!(target.warning_catches, "{}", id.name());
        }
    }
}
