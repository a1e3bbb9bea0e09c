//! The one place fond reads the clock: the moment an editor's entry is
//! made (RFC 3339, UTC, to the second) and today's day (UTC), which decides
//! whether an embargo has lapsed. Everything else takes the time as a
//! value, so tests can fix it.

use crate::Day;

/// Seconds since 1970-01-01T00:00:00Z by the system clock (0 if the clock
/// is set before it).
pub fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// [`unix_seconds`] as a signed number, as SQLite stores times.
pub fn unix_time() -> i64 {
    i64::try_from(unix_seconds()).unwrap_or(i64::MAX)
}

/// Nanoseconds since the epoch: not a time to show, a number that differs
/// between two entries made one after the other (ids mint from it).
pub fn unix_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The day (UTC) a moment falls on.
pub fn day_of(unix_seconds: u64) -> Day {
    i64::try_from(unix_seconds / 86_400)
        .ok()
        .and_then(Day::from_days_since_epoch)
        .unwrap_or(Day {
            year: 1970,
            month: 1,
            day: 1,
        })
}

/// A moment as RFC 3339 in UTC to the second (`2026-12-06T07:30:00Z`).
pub fn rfc3339(unix_seconds: u64) -> String {
    let rest = unix_seconds % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        day_of(unix_seconds).iso(),
        rest / 3600,
        (rest / 60) % 60,
        rest % 60
    )
}

/// Today (UTC).
pub fn today_utc() -> Day {
    day_of(unix_seconds())
}

/// Now (UTC) as RFC 3339, and the day it falls on, read together so the
/// two agree at midnight.
pub fn now_utc() -> (String, Day) {
    let secs = unix_seconds();
    (rfc3339(secs), day_of(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_and_days() {
        // 2026-12-06T07:30:05Z
        let t = 1_796_542_205;
        assert_eq!(rfc3339(t), "2026-12-06T07:30:05Z");
        assert_eq!(day_of(t).iso(), "2026-12-06");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
