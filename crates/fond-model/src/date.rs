//! Historical dates: what was printed, and the interval it stands for.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the proleptic Gregorian calendar. Small and ordered; enough for
/// intervals and ISO output without a date-time library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// A checked day: `None` when the month or day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > Day::days_in_month(year, month) {
            return None;
        }
        Some(Day { year, month, day })
    }
    /// Days since 1970-01-01 of this proleptic Gregorian day (Howard
    /// Hinnant's `days_from_civil`): the day's number for range columns
    /// and arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `n` days after 1970-01-01 (Hinnant's `civil_from_days`);
    /// `None` outside the years this model holds.
    pub fn from_days_since_epoch(n: i64) -> Option<Day> {
        let z = n.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u8::try_from(doy - (153 * mp + 2) / 5 + 1).ok()?;
        let month = u8::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).ok()?;
        let year = i32::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        Day::new(year, month, day)
    }

    pub fn is_leap(year: i32) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
    pub fn days_in_month(year: i32, month: u8) -> u8 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if Day::is_leap(year) => 29,
            2 => 28,
            _ => 0,
        }
    }
    pub fn first_of_month(year: i32, month: u8) -> Day {
        Day {
            year,
            month,
            day: 1,
        }
    }
    pub fn last_of_month(year: i32, month: u8) -> Day {
        Day {
            year,
            month,
            day: Day::days_in_month(year, month),
        }
    }
    /// The day before (for "earlier than X").
    pub fn pred(self) -> Day {
        if self.day > 1 {
            Day {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            Day::last_of_month(self.year, self.month - 1)
        } else {
            Day::last_of_month(self.year - 1, 12)
        }
    }
    /// The day after (for "later than X").
    pub fn succ(self) -> Day {
        if self.day < Day::days_in_month(self.year, self.month) {
            Day {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Day::first_of_month(self.year, self.month + 1)
        } else {
            Day::first_of_month(self.year + 1, 1)
        }
    }
    /// ISO 8601 `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
    pub fn parse_iso(s: &str) -> Option<Day> {
        let mut it = s.splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Day::new(y, m, d)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse_iso(&s).ok_or_else(|| serde::de::Error::custom(format!("not a day: {s}")))
    }
}

/// How finely the interval is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Day,
    /// A part of a month ("Early July", "Late August").
    PartOfMonth,
    Month,
    Season,
    Year,
    /// Only one end is known ("no earlier than 6 August 1930").
    OpenEnded,
    /// A span between two stated points ("Late August–Early September").
    Range,
    Undetermined,
}

/// How the printed date qualifies the interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// The date as given.
    Exact,
    /// "No earlier than", "later than", "after".
    NotBefore,
    /// "No later than", "earlier than", "before".
    NotAfter,
    /// "circa", "?".
    Approximate,
}

/// A historical date: the text as printed and the interval it denotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistDate {
    /// The text as printed.
    pub text: String,
    /// Extended Date/Time Format (ISO 8601-2) value: `1925-07-12`,
    /// `1925-07`, `1930-08-06/..`, `1930-08-21/1930-09-10`.
    pub edtf: String,
    /// First possible day; `None` when open.
    pub earliest: Option<Day>,
    /// Last possible day; `None` when open.
    pub latest: Option<Day>,
    pub precision: Precision,
    pub qualifier: Qualifier,
    /// `gregorian`, or `julian` for Russian dates before 14 February 1918.
    pub calendar: String,
}

impl HistDate {
    /// A date nothing is known of: it overlaps every interval.
    pub fn undetermined(text: &str) -> HistDate {
        HistDate {
            text: text.to_string(),
            edtf: "../..".to_string(),
            earliest: None,
            latest: None,
            precision: Precision::Undetermined,
            qualifier: Qualifier::Exact,
            calendar: "gregorian".into(),
        }
    }

    /// Whether two intervals can denote a common day.
    pub fn overlaps(&self, other: &HistDate) -> bool {
        let a_lo = self.earliest;
        let a_hi = self.latest;
        let b_lo = other.earliest;
        let b_hi = other.latest;
        let lo_ok = match (a_lo, b_hi) {
            (Some(lo), Some(hi)) => lo <= hi,
            _ => true,
        };
        let hi_ok = match (b_lo, a_hi) {
            (Some(lo), Some(hi)) => lo <= hi,
            _ => true,
        };
        lo_ok && hi_ok
    }

    /// Reads a date written in the Extended Date/Time Format (ISO 8601-2)
    /// as a historian types it: a day `1929-08-21`, a month `1929-08`, a
    /// year `1929`, a season `1926-22` (21–24: spring to winter, the
    /// meteorological seasons fond's readers write), an interval of any of
    /// these `1929-08/1929-09`, open at one end `1930-08-06/..`, and the
    /// marks `?` (uncertain), `~` (approximate) or `%` (both) on an end.
    /// The text kept as printed is the input, trimmed; the calendar is
    /// Gregorian.
    pub fn parse_edtf(text: &str) -> Result<HistDate, EdtfError> {
        let s = text.trim();
        let fail = |why: &str| EdtfError {
            text: s.to_string(),
            why: why.to_string(),
        };
        if s.is_empty() {
            return Err(fail("it is empty"));
        }
        let (precision, mut qualifier, earliest, latest);
        let marked;
        match s.split_once('/') {
            None => {
                let p = EdtfPoint::parse(s).map_err(|w| fail(&w))?;
                marked = p.marked;
                earliest = Some(p.first);
                latest = Some(p.last);
                precision = p.precision;
                qualifier = Qualifier::Exact;
            }
            Some((a, b)) => {
                let open = |x: &str| x.is_empty() || x == "..";
                let a = if open(a) {
                    None
                } else {
                    Some(EdtfPoint::parse(a).map_err(|w| fail(&w))?)
                };
                let b = if open(b) {
                    None
                } else {
                    Some(EdtfPoint::parse(b).map_err(|w| fail(&w))?)
                };
                marked =
                    a.as_ref().is_some_and(|p| p.marked) || b.as_ref().is_some_and(|p| p.marked);
                earliest = a.as_ref().map(|p| p.first);
                latest = b.as_ref().map(|p| p.last);
                (precision, qualifier) = match (&a, &b) {
                    (Some(_), Some(_)) => (Precision::Range, Qualifier::Exact),
                    (Some(_), None) => (Precision::OpenEnded, Qualifier::NotBefore),
                    (None, Some(_)) => (Precision::OpenEnded, Qualifier::NotAfter),
                    (None, None) => (Precision::Undetermined, Qualifier::Exact),
                };
                if let (Some(lo), Some(hi)) = (earliest, latest) {
                    if lo > hi {
                        return Err(fail("the interval ends before it starts"));
                    }
                }
            }
        }
        if marked && qualifier == Qualifier::Exact {
            qualifier = Qualifier::Approximate;
        }
        Ok(HistDate {
            text: s.to_string(),
            edtf: s.to_string(),
            earliest,
            latest,
            precision,
            qualifier,
            calendar: "gregorian".into(),
        })
    }

    /// The year of the interval's start, or its end when the start is open.
    pub fn year(&self) -> Option<i32> {
        self.earliest.or(self.latest).map(|d| d.year)
    }
}

/// Why a text is not an EDTF date fond reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdtfError {
    pub text: String,
    pub why: String,
}

impl fmt::Display for EdtfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a date: {}; write a day 1929-08-21, a month 1929-08, a year 1929, or an interval 1929-08/1929-09 (`..` for an open end)",
            self.text, self.why
        )
    }
}

impl std::error::Error for EdtfError {}

/// One end of an EDTF value: the days it covers.
struct EdtfPoint {
    first: Day,
    last: Day,
    precision: Precision,
    /// Carries `?`, `~` or `%`.
    marked: bool,
}

impl EdtfPoint {
    fn parse(s: &str) -> Result<EdtfPoint, String> {
        let (s, marked) = match s.strip_suffix(['?', '~', '%']) {
            Some(rest) => (rest, true),
            None => (s, false),
        };
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, what: &str, len: usize| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("\"{p}\" is not a {what} of {len} digits"));
            }
            p.parse().map_err(|_| format!("\"{p}\" is not a {what}"))
        };
        let year = |p: &str| -> Result<i32, String> {
            num(p, "year", 4).and_then(|y| i32::try_from(y).map_err(|e| e.to_string()))
        };
        let (first, last, precision) = match parts.as_slice() {
            [y] => {
                let y = year(y)?;
                (
                    Day::first_of_month(y, 1),
                    Day::last_of_month(y, 12),
                    Precision::Year,
                )
            }
            [y, m] => {
                let y = year(y)?;
                let m = num(m, "month", 2)?;
                match m {
                    1..=12 => {
                        let m = m as u8;
                        (
                            Day::first_of_month(y, m),
                            Day::last_of_month(y, m),
                            Precision::Month,
                        )
                    }
                    21 => (
                        Day::first_of_month(y, 3),
                        Day::last_of_month(y, 5),
                        Precision::Season,
                    ),
                    22 => (
                        Day::first_of_month(y, 6),
                        Day::last_of_month(y, 8),
                        Precision::Season,
                    ),
                    23 => (
                        Day::first_of_month(y, 9),
                        Day::last_of_month(y, 11),
                        Precision::Season,
                    ),
                    24 => (
                        Day::first_of_month(y, 12),
                        Day::last_of_month(y + 1, 2),
                        Precision::Season,
                    ),
                    _ => return Err(format!("there is no month {m}")),
                }
            }
            [y, m, d] => {
                let y = year(y)?;
                let m = num(m, "month", 2)?;
                let d = num(d, "day", 2)?;
                let day = u8::try_from(m)
                    .ok()
                    .zip(u8::try_from(d).ok())
                    .and_then(|(m, d)| Day::new(y, m, d))
                    .ok_or_else(|| format!("there is no day {y:04}-{m:02}-{d:02}"))?;
                (day, day, Precision::Day)
            }
            _ => return Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into()),
        };
        Ok(EdtfPoint {
            first,
            last,
            precision,
            marked,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn day_numbers_go_both_ways() {
        for (y, m, d, n) in [
            (1970, 1, 1, 0),
            (2000, 2, 29, 11_016),
            (2026, 11, 23, 20_780),
            (1925, 7, 12, -16_244),
        ] {
            let day = Day::new(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"));
            assert_eq!(day.days_since_epoch(), n);
            assert_eq!(Day::from_days_since_epoch(n), Some(day));
        }
    }

    use super::*;

    #[test]
    fn day_arithmetic_crosses_months_and_years() {
        assert_eq!(Day::new(1930, 3, 1).unwrap().pred().iso(), "1930-02-28");
        assert_eq!(Day::new(1932, 3, 1).unwrap().pred().iso(), "1932-02-29");
        assert_eq!(Day::new(1929, 12, 31).unwrap().succ().iso(), "1930-01-01");
        assert!(Day::new(1930, 2, 30).is_none());
        assert_eq!(Day::parse_iso("1926-06-15"), Day::new(1926, 6, 15));
    }

    #[test]
    fn open_intervals_overlap_what_they_reach() {
        let mut a = HistDate::undetermined("x");
        a.earliest = Day::new(1930, 8, 6);
        let mut b = HistDate::undetermined("y");
        b.latest = Day::new(1930, 8, 31);
        b.earliest = Day::new(1930, 8, 1);
        assert!(a.overlaps(&b));
        b.latest = Day::new(1930, 8, 5);
        assert!(!a.overlaps(&b));
    }

    #[test]
    fn edtf_as_a_historian_types_it() {
        let d = HistDate::parse_edtf("1929-08-21").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (d.earliest, d.latest),
            (Day::new(1929, 8, 21), Day::new(1929, 8, 21))
        );
        assert_eq!(d.precision, Precision::Day);
        let m = HistDate::parse_edtf(" 1929-08/1929-09 ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.edtf, "1929-08/1929-09");
        assert_eq!(
            (m.earliest, m.latest),
            (Day::new(1929, 8, 1), Day::new(1929, 9, 30))
        );
        assert_eq!(m.precision, Precision::Range);
        let open = HistDate::parse_edtf("1930-08-06/..").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((open.latest, open.qualifier), (None, Qualifier::NotBefore));
        let summer = HistDate::parse_edtf("1926-22").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summer.latest, Day::new(1926, 8, 31));
        let year = HistDate::parse_edtf("1932?").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (year.precision, year.qualifier),
            (Precision::Year, Qualifier::Approximate)
        );
        for bad in [
            "",
            "21 August 1929",
            "1929-02-30",
            "1929-13",
            "1930/1929",
            "29-08-21",
        ] {
            let e = HistDate::parse_edtf(bad)
                .err()
                .unwrap_or_else(|| panic!("{bad} read"));
            assert!(e.to_string().contains("is not a date"), "{e}");
        }
    }
}
