//! Fires once every check has passed continuously for a while (about a second), on a
//! frame where both eyes are open.

use std::time::{Duration, Instant};

use crate::report::{CheckId, OverallVerdict, PhotoReport, Verdict};

/// A blink closes the eyes for 0.1-0.4 s: shorter than this does not restart the hold
/// (people blink every few seconds, so a one-second hold would rarely end otherwise).
const BLINK: Duration = Duration::from_millis(400);

/// Feed it each live frame's report; it says when to take the still. Time is passed in
/// so the rule is the same for a real camera and for frames replayed in tests.
#[derive(Debug, Clone)]
pub struct AutoCapture {
    hold: Duration,
    passing_since: Option<Instant>,
    closed_since: Option<Instant>,
}

impl Default for AutoCapture {
    fn default() -> Self {
        AutoCapture::new(Duration::from_secs(1))
    }
}

/// Whether every check passes but the eyes, which are closed.
fn only_blinking(report: &PhotoReport) -> bool {
    report.eyes_open == Some(false)
        && report.checks.iter().all(|c| {
            c.id == CheckId::EyesOpen || matches!(c.verdict, Verdict::Pass | Verdict::Skipped)
        })
}

impl AutoCapture {
    pub fn new(hold: Duration) -> AutoCapture {
        AutoCapture {
            hold,
            passing_since: None,
            closed_since: None,
        }
    }

    /// True when this frame completes `hold` of frames where every check passed and has
    /// both eyes open; it then starts over, so it fires once per steady pose. A blink
    /// pauses the hold without restarting it; eyes closed for longer restart it.
    pub fn observe(&mut self, report: &PhotoReport, at: Instant) -> bool {
        if only_blinking(report) && self.passing_since.is_some() {
            let closed = *self.closed_since.get_or_insert(at);
            if at.duration_since(closed) > BLINK {
                self.reset();
            }
            return false;
        }
        self.closed_since = None;
        if report.verdict != OverallVerdict::Accepted || report.eyes_open != Some(true) {
            self.passing_since = None;
            return false;
        }
        let since = *self.passing_since.get_or_insert(at);
        if at.duration_since(since) >= self.hold {
            self.passing_since = None;
            return true;
        }
        false
    }

    /// How far through the hold the current steady pose is, 0-1 (for a progress ring).
    pub fn progress(&self, now: Instant) -> f64 {
        match self.passing_since {
            None => 0.0,
            Some(since) => (now.duration_since(since).as_secs_f64()
                / self.hold.as_secs_f64().max(1e-9))
            .min(1.0),
        }
    }

    pub fn reset(&mut self) {
        self.passing_since = None;
        self.closed_since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{overall, CheckKind, CheckResult};

    /// A frame's report: every check passes, but the eyes when `eyes_open` is false.
    fn frame(eyes_open: bool) -> PhotoReport {
        let checks: Vec<CheckResult> = CheckId::ALL
            .iter()
            .map(|&id| CheckResult {
                id,
                verdict: if id == CheckId::EyesOpen && !eyes_open {
                    Verdict::Fail
                } else {
                    Verdict::Pass
                },
                value: Some(1.0),
                unit: String::new(),
                threshold: String::new(),
                rule: None,
                hint: None,
                kind: CheckKind::Overridable,
                age_ms: None,
            })
            .collect();
        PhotoReport {
            verdict: overall(&checks),
            checks,
            face: None,
            faces: Vec::new(),
            image_width: 1280,
            image_height: 720,
            crop: None,
            landmarks: None,
            eyes_open: Some(eyes_open),
            fix_first: None,
            quality_score: None,
        }
    }

    fn run(trigger: &mut AutoCapture, frames: &[bool], start: Instant) -> Option<usize> {
        frames.iter().enumerate().find_map(|(i, &open)| {
            let at = start + Duration::from_millis(40 * i as u64);
            trigger.observe(&frame(open), at).then_some(i)
        })
    }

    #[test]
    fn a_blink_pauses_the_hold_and_the_still_waits_for_open_eyes() {
        let start = Instant::now();
        let mut trigger = AutoCapture::new(Duration::from_secs(1));
        // Open from frame 0; a 200 ms blink at frames 10-14; one second has passed at
        // frame 25, which is open: it fires there, not during the blink.
        let mut frames = vec![true; 40];
        frames[10..15].fill(false);
        assert_eq!(run(&mut trigger, &frames, start), Some(25));

        // The hold ends during a blink: it waits for the eyes to open.
        let mut trigger = AutoCapture::new(Duration::from_secs(1));
        let mut frames = vec![true; 40];
        frames[24..28].fill(false);
        assert_eq!(run(&mut trigger, &frames, start), Some(28));
    }

    #[test]
    fn eyes_closed_for_longer_than_a_blink_restart_the_hold() {
        let start = Instant::now();
        let mut trigger = AutoCapture::new(Duration::from_secs(1));
        // Closed for 600 ms (frames 5-19): the hold restarts at frame 20.
        let mut frames = vec![true; 60];
        frames[5..20].fill(false);
        assert_eq!(run(&mut trigger, &frames, start), Some(45));
        // Closed from the start: nothing until they open.
        let mut trigger = AutoCapture::new(Duration::from_secs(1));
        let mut frames = vec![true; 60];
        frames[..10].fill(false);
        assert_eq!(run(&mut trigger, &frames, start), Some(35));
    }
}
