//! Fires once every check has passed continuously for a while (about a second).

use std::time::{Duration, Instant};

use crate::report::{OverallVerdict, PhotoReport};

/// Feed it each live frame's report; it says when to take the still. Time is passed in
/// so the rule is the same for a real camera and for frames replayed in tests.
#[derive(Debug, Clone)]
pub struct AutoCapture {
    hold: Duration,
    passing_since: Option<Instant>,
}

impl Default for AutoCapture {
    fn default() -> Self {
        AutoCapture::new(Duration::from_secs(1))
    }
}

impl AutoCapture {
    pub fn new(hold: Duration) -> AutoCapture {
        AutoCapture {
            hold,
            passing_since: None,
        }
    }

    /// True when this frame completes `hold` of frames where every check passed; it then
    /// starts over, so it fires once per steady pose.
    pub fn observe(&mut self, report: &PhotoReport, at: Instant) -> bool {
        if report.verdict != OverallVerdict::Accepted {
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
    }
}
