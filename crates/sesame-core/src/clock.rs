//! "Now" and "today", from one place.
//!
//! Every rule that depends on the date (a day pass's notice, a badge's expiry, the
//! retention periods, the daily housekeeping) asks a [`Clock`] instead of the
//! system, so tests pin the day they run on and `sesamectl housekeeping --today`
//! can replay a day. The desk opens with [`Clock::system`]; nothing else in the
//! crates reads the system time for a decision.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Where "now" comes from. Cheap to clone: clones of a pinned clock share their
/// time, so a test that advances its clock advances the store's and the desk's too.
#[derive(Debug, Clone, Default)]
pub struct Clock(Source);

#[derive(Debug, Clone, Default)]
enum Source {
    /// The machine's clock; "today" is the office's local calendar day.
    #[default]
    System,
    /// A pinned office-local time that runs forward from when it was pinned (so
    /// events keep their order), moved on only by [`Clock::advance`].
    Pinned(Arc<Mutex<Pin>>),
}

#[derive(Debug)]
struct Pin {
    /// The office-local time at `since`.
    at: NaiveDateTime,
    since: Instant,
    /// When true, time does not run between reads.
    frozen: bool,
}

impl Pin {
    fn local_now(&self) -> NaiveDateTime {
        if self.frozen {
            return self.at;
        }
        let elapsed = Duration::from_std(self.since.elapsed()).unwrap_or(Duration::zero());
        self.at + elapsed
    }
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Clock {
        Clock(Source::System)
    }

    /// A clock pinned to `at`, office-local time, that runs forward from there.
    pub fn pinned(at: NaiveDateTime) -> Clock {
        Clock(Source::Pinned(Arc::new(Mutex::new(Pin {
            at,
            since: Instant::now(),
            frozen: false,
        }))))
    }

    /// A clock pinned to `day` at `time`, office-local, that runs forward from there.
    pub fn pinned_on(day: NaiveDate, time: NaiveTime) -> Clock {
        Clock::pinned(day.and_time(time))
    }

    /// A clock stopped at `at`, office-local time: every read gives the same instant
    /// until [`Clock::advance`] moves it.
    pub fn frozen(at: NaiveDateTime) -> Clock {
        Clock(Source::Pinned(Arc::new(Mutex::new(Pin {
            at,
            since: Instant::now(),
            frozen: true,
        }))))
    }

    /// True for the machine's clock.
    pub fn is_system(&self) -> bool {
        matches!(self.0, Source::System)
    }

    /// Now, as a UTC instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Pinned(pin) => local_to_utc(lock(pin).local_now()),
        }
    }

    /// The office's calendar day now.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// Now, as the office's wall-clock time (date and time without a zone).
    pub fn local_now(&self) -> NaiveDateTime {
        match &self.0 {
            Source::System => Local::now().naive_local(),
            Source::Pinned(pin) => lock(pin).local_now(),
        }
    }

    /// Moves a pinned clock (and every clone of it) forward by `by` (backward when
    /// negative). The system clock cannot be moved: this returns false for it.
    pub fn advance(&self, by: Duration) -> bool {
        match &self.0 {
            Source::System => false,
            Source::Pinned(pin) => {
                let mut pin = lock(pin);
                pin.at += by;
                true
            }
        }
    }
}

fn lock(pin: &Mutex<Pin>) -> std::sync::MutexGuard<'_, Pin> {
    // A pin is updated by single assignments: a poisoned lock still holds a whole value.
    pin.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The instant an office-local time names. In the hour a daylight-saving change
/// repeats, the earlier instant; in the hour it skips, the time an hour later.
fn local_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match Local.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        chrono::LocalResult::None => local_to_utc(local + Duration::hours(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_pinned_clock_gives_its_day_whatever_the_machine_says() {
        let clock = Clock::pinned_on(day(2031, 2, 28), NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        assert_eq!(clock.today(), day(2031, 2, 28));
        assert!(!clock.is_system());
        let local = clock.now().with_timezone(&Local).naive_local();
        assert_eq!(local.date(), day(2031, 2, 28));
    }

    #[test]
    fn clones_share_their_time_and_advance_together() {
        let clock = Clock::frozen(day(2030, 12, 31).and_hms_opt(23, 0, 0).unwrap());
        let other = clock.clone();
        let before = other.now();
        assert_eq!(clock.now(), before, "a frozen clock does not run");
        assert!(clock.advance(Duration::hours(2)));
        assert_eq!(other.today(), day(2031, 1, 1));
        assert_eq!(other.now() - before, Duration::hours(2));
    }

    #[test]
    fn a_running_pinned_clock_moves_forward() {
        let clock = Clock::pinned(day(2030, 6, 1).and_hms_opt(9, 0, 0).unwrap());
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > first);
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(clock.is_system());
        assert!(!clock.advance(Duration::days(1)));
    }
}
