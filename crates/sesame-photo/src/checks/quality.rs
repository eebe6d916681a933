//! A single 0-100 figure for display: how comfortably every measure sits inside its
//! bands. It decides nothing; the verdicts do.

use crate::report::{CheckResult, Verdict};
use crate::rules::Band;

/// How far `value` is past the edge of `band` that it crossed, 0 inside.
fn beyond(band: &Band, value: f64) -> f64 {
    match (band.min, band.max) {
        (Some(min), _) if value < min => min - value,
        (_, Some(max)) if value > max => value - max,
        _ => 0.0,
    }
}

/// 1 inside the pass band, falling linearly to 0.5 at the edge of the warn band, then
/// towards 0 as far again beyond it.
fn check_score(check: &CheckResult) -> Option<f64> {
    let (value, rule) = (check.value?, check.rule?);
    if check.verdict == Verdict::Skipped {
        return None;
    }
    let past_pass = beyond(&rule.pass, value);
    if past_pass == 0.0 {
        return Some(1.0);
    }
    // The warn band's width beyond the pass band on the side crossed (1 if unbounded).
    let side = if rule.pass.min.is_some_and(|min| value < min) {
        rule.pass.min.zip(rule.warn.min).map(|(p, w)| p - w)
    } else {
        rule.pass.max.zip(rule.warn.max).map(|(p, w)| w - p)
    };
    let width = side.filter(|w| *w > 0.0).unwrap_or(past_pass.max(1e-9));
    let ratio = past_pass / width;
    Some(if ratio <= 1.0 {
        1.0 - 0.5 * ratio
    } else {
        (0.5 * (2.0 - ratio)).max(0.0)
    })
}

/// The mean of the measured checks' scores, 0-100.
pub(super) fn score(checks: &[CheckResult]) -> f64 {
    let scores: Vec<f64> = checks.iter().filter_map(check_score).collect();
    if scores.is_empty() {
        return 0.0;
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    (mean * 1000.0).round() / 10.0
}
