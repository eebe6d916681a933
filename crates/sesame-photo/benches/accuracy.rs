//! Prints the accuracy table of the photo checks: for each check, how many pictures
//! without its fault it refuses and how many with its fault it lets through, over the
//! labelled real portraits (.cache/portraits, scripts/fetch-portraits.sh) and the
//! variants derived from them in memory.
//!
//! `cargo bench -p sesame-photo --bench accuracy` prints it; add (after `--`)
//! `--write-baseline` to record it in tests/portraits/accuracy-baseline.tsv (the test
//! suite fails when a figure gets worse), `--include-unverified` to add the 5 rows whose
//! source is not confirmed, `--cases` to print every picture's verdicts,
//! `--dump DIR` to write the pictures as PNG with a manifest (to run another engine on
//! them) and `--outcomes FILE` to score that engine's verdicts instead of this one's.
use sesame_test_support::photos as common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::accuracy::{self, Outcome};
use sesame_photo::{OverallVerdict, PhotoEngine, PhotoRules, Verdict};

fn parse_verdict(text: &str) -> Verdict {
    match text {
        "pass" => Verdict::Pass,
        "warn" => Verdict::Warn,
        "fail" => Verdict::Fail,
        _ => Verdict::Skipped,
    }
}

fn parse_overall(text: &str) -> OverallVerdict {
    match text {
        "accepted" => OverallVerdict::Accepted,
        "accepted_with_warnings" => OverallVerdict::AcceptedWithWarnings,
        _ => OverallVerdict::Refused,
    }
}

/// Outcomes written by another engine: `name<TAB>overall<TAB>check=verdict,…` per line.
fn read_outcomes(path: &str, cases: &[accuracy::Case]) -> Vec<Outcome> {
    let text = std::fs::read_to_string(path).expect("the outcomes file");
    let by_name: BTreeMap<&str, Outcome> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (name, overall, checks) = (fields.next()?, fields.next()?, fields.next()?);
            let verdicts = checks
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), parse_verdict(v)))
                .collect();
            Some((
                name,
                Outcome {
                    overall: parse_overall(overall),
                    verdicts,
                    values: BTreeMap::new(),
                },
            ))
        })
        .collect();
    cases
        .iter()
        .map(|c| {
            by_name
                .get(c.name.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{} is not in {path}", c.name))
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let engine = PhotoEngine::global().expect("models load");
    let rules = PhotoRules::default();
    let started = std::time::Instant::now();
    let mut cases = accuracy::cases(engine, flag("--include-unverified"));
    if let Some(only) = value("--only") {
        cases.retain(|c| c.name.contains(only.as_str()));
    }
    println!(
        "{} pictures ({} real, {} derived) prepared in {:.1} s",
        cases.len(),
        cases.iter().filter(|c| c.set == "real").count(),
        cases.iter().filter(|c| c.set == "derived").count(),
        started.elapsed().as_secs_f64()
    );
    if let Some(dir) = value("--dump") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut manifest = String::new();
        for (i, case) in cases.iter().enumerate() {
            let file = format!("{i:03}.png");
            case.photo.image().save(dir.join(&file)).unwrap();
            let _ = writeln!(manifest, "{file}\t{}", case.name);
        }
        std::fs::write(dir.join("manifest.tsv"), manifest).unwrap();
        println!("pictures written to {}", dir.display());
        return;
    }
    let started = std::time::Instant::now();
    let outcomes = match value("--outcomes") {
        Some(path) => read_outcomes(&path, &cases),
        None => accuracy::run(engine, &cases, &rules),
    };
    println!("checked in {:.1} s", started.elapsed().as_secs_f64());
    if flag("--cases") {
        for (case, outcome) in cases.iter().zip(&outcomes) {
            let failing: Vec<String> = outcome
                .verdicts
                .iter()
                .filter(|(_, v)| matches!(v, Verdict::Fail | Verdict::Warn))
                .map(|(k, v)| format!("{}{k}", if *v == Verdict::Fail { "!" } else { "~" }))
                .collect();
            println!(
                "{:<48} {:<24} {}",
                case.name,
                format!("{:?}", outcome.overall),
                failing.join(" ")
            );
        }
    }
    if let Some(list) = value("--values") {
        // Chosen checks' values for every picture, to calibrate thresholds.
        let checks: Vec<&str> = list.split(',').collect();
        for (case, outcome) in cases.iter().zip(&outcomes) {
            let values: Vec<String> = checks
                .iter()
                .map(|c| {
                    let v = outcome
                        .values
                        .get(*c)
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or("-".into());
                    let mark = match outcome.verdicts.get(*c) {
                        Some(Verdict::Fail) => "!",
                        Some(Verdict::Warn) => "~",
                        _ => " ",
                    };
                    format!("{mark}{v:>8}")
                })
                .collect();
            let truths: Vec<&str> = checks
                .iter()
                .map(|c| {
                    match accuracy::TARGETS
                        .iter()
                        .find(|t| t.row == *c)
                        .map(|t| t.truth(&case.labels))
                    {
                        Some(accuracy::Truth::Faulty) => "F",
                        Some(accuracy::Truth::Clean) => ".",
                        _ => "?",
                    }
                })
                .collect();
            println!("{:<46} {} {}", case.name, truths.join(""), values.join(" "));
        }
    }
    if flag("--errors") {
        // Which pictures each check gets wrong.
        for target in &accuracy::TARGETS {
            let mut wrong = Vec::new();
            for (case, outcome) in cases.iter().zip(&outcomes) {
                let (caught, warned, unmeasured) = target.flags(outcome);
                let how = if unmeasured {
                    "unmeasured"
                } else if warned {
                    "warned"
                } else {
                    "passed"
                };
                match target.truth(&case.labels) {
                    accuracy::Truth::Clean if caught => {
                        wrong.push(format!("refused {}", case.name))
                    }
                    accuracy::Truth::Faulty if !caught => {
                        wrong.push(format!("let through ({how}) {}", case.name))
                    }
                    _ => {}
                }
            }
            if !wrong.is_empty() {
                println!("{}:\n    {}", target.row, wrong.join("\n    "));
            }
        }
    }
    let table = accuracy::score(&cases, &outcomes);
    print!("{}", accuracy::format(&table));
    if flag("--write-baseline") {
        std::fs::write(accuracy::baseline_path(), accuracy::to_tsv(&table)).unwrap();
        println!(
            "baseline written to {}",
            accuracy::baseline_path().display()
        );
    } else if accuracy::baseline_path().exists() {
        let worse = accuracy::regressions(&table);
        if worse.is_empty() {
            println!("no figure is worse than the baseline");
        } else {
            println!("worse than the baseline:\n  {}", worse.join("\n  "));
        }
    }
}
