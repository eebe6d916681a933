//! The day the tests run on. Every store a test opens takes its time from a clock
//! pinned to that day, and dates that matter relative to "today" are written with
//! [`day`], so a test means the same on any day (and under `faketime`).

use chrono::{Days, NaiveDate, NaiveTime};
use sesame_core::Clock;

/// The variable that moves the pinned day (`YYYY-MM-DD`), e.g. to replay a run.
pub const TODAY_VAR: &str = "SESAME_TEST_TODAY";

/// The day tests run on unless `SESAME_TEST_TODAY` says otherwise: a Wednesday in
/// the middle of March, far from a daylight-saving change and from a year's end.
pub const PINNED_DAY: (i32, u32, u32) = (2031, 3, 12);

/// Office-local time of day the pinned clock starts at (mid-morning, so a whole test
/// runs within the day).
pub const PINNED_TIME: (u32, u32, u32) = (10, 0, 0);

/// The pinned day: `SESAME_TEST_TODAY` when set, else [`PINNED_DAY`].
pub fn pinned_day() -> NaiveDate {
    match std::env::var(TODAY_VAR) {
        Ok(text) if !text.trim().is_empty() => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("{TODAY_VAR}={text} is not a YYYY-MM-DD date: {e}")),
        _ => {
            let (y, m, d) = PINNED_DAY;
            NaiveDate::from_ymd_opt(y, m, d).expect("a valid pinned day")
        }
    }
}

/// A clock pinned to the pinned day at [`PINNED_TIME`], running forward from there
/// (events keep their order). Clones share it: advancing one advances the others.
pub fn pinned_clock() -> Clock {
    clock_on(pinned_day())
}

/// A clock pinned to `day` at [`PINNED_TIME`], running forward from there: a desk
/// acting for another day (`clock_on(day(91))`), as `sesamectl --today` does.
pub fn clock_on(day: NaiveDate) -> Clock {
    let (h, m, s) = PINNED_TIME;
    Clock::pinned_on(day, NaiveTime::from_hms_opt(h, m, s).expect("a valid time"))
}

/// A clock pinned to the very start (00:00) of `day`, running forward from there:
/// what it records comes before anything a `sesamectl --today <day>` run does, since
/// such a run acts at the machine's time of day on that day.
pub fn start_of(day: NaiveDate) -> Clock {
    Clock::pinned_on(day, NaiveTime::MIN)
}

/// The pinned day moved by `offset` days (negative: before it).
pub fn day(offset: i64) -> NaiveDate {
    let today = pinned_day();
    let moved = if offset >= 0 {
        today.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    moved.expect("a day within chrono's range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_relative_to_the_pinned_day() {
        assert_eq!(day(0), pinned_day());
        assert_eq!(day(1) - day(-1), chrono::Duration::days(2));
        assert_eq!(pinned_clock().today(), pinned_day());
        assert_eq!(clock_on(day(3)).today(), day(3));
        assert_eq!(start_of(day(0)).today(), pinned_day());
        assert!(start_of(day(0)).now() < pinned_clock().now());
    }
}
