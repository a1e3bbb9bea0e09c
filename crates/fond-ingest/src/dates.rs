//! Reading printed dates: the editors' bracketed dates and the authors'
//! datelines.
//!
//! The two are kept apart because they follow different conventions. The
//! editors write English prose dates with qualifiers ("No earlier than 6
//! August 1930", "Late August–Early September 1930"); the authors wrote
//! whatever was at hand: American slash dates in the translation
//! (`Sochi 7/28/25`, month first), Russian dotted dates (`10.1.1939`, day
//! first), or a place and a prose date (`Moscow, 19 May 1925.`).
//!
//! Conventions of the intervals built here:
//! * `earliest` and `latest` are inclusive days; `None` is an open end.
//! * "Early" a month is days 1–10, "mid" 11–20, "Late" 21 to the end;
//!   "first half" 1–15 and "second half" 16 to the end.
//! * Seasons are written as EDTF season codes (`1926-22` for summer 1926)
//!   and stand for meteorological seasons: spring March–May, summer
//!   June–August, autumn September–November, winter December of the year
//!   to the end of February of the next.
//! * EDTF interval ends are written at the precision printed
//!   (`1926-07/1926-08`, `1930-08-21/1930-09-10`, `1932/1932-05`); parts of
//!   months and seasons have no EDTF unit usable inside an interval, so
//!   their ends are written as days.
//! * The calendar is `gregorian`: which dates an edition prints in the
//!   Julian calendar is its profile's to say (`julian_before`, applied by
//!   [`crate::profile::apply`]). The days themselves are taken as printed.

use std::sync::LazyLock;

use fond_model::{Day, HistDate, Precision, Qualifier};
use fond_text::date_words::{self, MonthPart, Season};
use regex::{Captures, Regex};

/// Parses the editors' bracketed date, given without its brackets: "12 July
/// 1925", "July 1925", "Later than 1 August 1925", "Early July 1927", "Late
/// August–Early September 1930", "No earlier than 6 August 1930", "earlier
/// than 17 November 1929", "1932, before June 1932", "No later than 15
/// September 1930", "1927", "Summer 1926", "mid-July 1926", "12–15 July
/// 1925", "between 1 and 5 August 1930", "July 1925?", "circa 1926".
///
/// Returns `None` when the text is not a date (the brackets held an
/// editorial insertion such as "sic"), so the caller can report it.
pub fn parse_editorial(text: &str) -> Option<HistDate> {
    let printed = text.trim();
    let cleaned = clean_editorial(printed);
    if cleaned.is_empty() {
        return None;
    }
    let mut s = cleaned.as_str();
    // Uncertainty markers: a trailing "?" (EDTF `?`) or a leading "circa"
    // (EDTF `~`). They qualify the whole expression.
    let mut mark = "";
    if let Some(rest) = s.strip_suffix('?') {
        s = rest.trim_end();
        mark = "?";
    }
    if let Some(m) = CIRCA.find(s) {
        s = &s[m.end()..];
        mark = "~";
    }
    let mut d = parse_expression(s)?;
    if !mark.is_empty() {
        d.edtf = mark_edtf(&d.edtf, mark);
        if d.qualifier == Qualifier::Exact {
            d.qualifier = Qualifier::Approximate;
        }
    }
    d.text = printed.to_string();
    Some(d)
}

/// Parses an author's dateline: "Rostov 7/12", "7/20/25", "Sochi, 6/25/26",
/// "8/3 (Tuesday)", "23 August 1929", "9/1/1929", "2/1936", "10.1.1939",
/// "10/1.-39 g.", "July 1920", "Moscow, 19 May 1925.", "May 22, 2007".
///
/// Slash dates are American, month first, unless the first number cannot be
/// a month (`26/5/26`); dotted dates and dates with a dash or `g.` (*god*,
/// year) before the year are Russian, day first. A two-digit year takes
/// the century nearest `context_year` (else the twentieth).
/// When the dateline prints no year, `context_year` (the editors' year)
/// supplies it; without one the date is undetermined and its EDTF leaves the
/// year unspecified (`XXXX-07-12`).
///
/// Returns the place (the words before the date, without commas or a
/// leading "Sent from"; `None` when there are none) and the date, whose
/// `text` is the whole dateline as printed. `None` when the line is not a
/// dateline.
pub fn parse_dateline(text: &str, context_year: Option<i32>) -> Option<(Option<String>, HistDate)> {
    let printed = text.trim();
    let fields = read_dateline(printed, context_year)?;
    let year = fields.year.or(context_year);
    let mut date = match (year, fields.day) {
        (Some(y), Some(d)) => single(Point::Day(Day::new(y, fields.month, d)?)),
        (Some(y), None) => single(Point::Month {
            year: y,
            month: fields.month,
        }),
        (None, day) => {
            // No year anywhere: keep what was printed, but claim no interval.
            let mut u = HistDate::undetermined(printed);
            u.edtf = match day {
                Some(d) => format!("XXXX-{:02}-{d:02}", fields.month),
                None => format!("XXXX-{:02}", fields.month),
            };
            u
        }
    };
    date.text = printed.to_string();
    Some((fields.place, date))
}

/// Cheap check used while segmenting: is this whole line a dateline?
pub fn looks_like_dateline(line: &str) -> bool {
    read_dateline(line.trim(), None).is_some()
}

// ---------------------------------------------------------------------------
// Points and intervals

/// A point of time at the precision it was printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Point {
    Day(Day),
    Month {
        year: i32,
        month: u8,
    },
    Year(i32),
    /// A part of a month or a season: a run of days with no EDTF unit of its
    /// own (seasons carry their EDTF code, 21–24, for standalone use).
    Span {
        first: Day,
        last: Day,
        season: Option<u8>,
    },
}

impl Point {
    fn first(self) -> Day {
        match self {
            Point::Day(d) => d,
            Point::Month { year, month } => Day::first_of_month(year, month),
            Point::Year(y) => Day::first_of_month(y, 1),
            Point::Span { first, .. } => first,
        }
    }

    fn last(self) -> Day {
        match self {
            Point::Day(d) => d,
            Point::Month { year, month } => Day::last_of_month(year, month),
            Point::Year(y) => Day::last_of_month(y, 12),
            Point::Span { last, .. } => last,
        }
    }

    /// EDTF for the point standing alone.
    fn edtf(self) -> String {
        match self {
            Point::Span {
                first,
                season: Some(code),
                ..
            } => format!("{:04}-{code}", first.year),
            Point::Span {
                first,
                last,
                season: None,
            } => format!("{}/{}", first.iso(), last.iso()),
            _ => self.start_edtf(),
        }
    }

    /// EDTF for the point as the start of an interval.
    fn start_edtf(self) -> String {
        match self {
            Point::Day(d) => d.iso(),
            Point::Month { year, month } => format!("{year:04}-{month:02}"),
            Point::Year(y) => format!("{y:04}"),
            Point::Span { first, .. } => first.iso(),
        }
    }

    /// EDTF for the point as the end of an interval.
    fn end_edtf(self) -> String {
        match self {
            Point::Span { last, .. } => last.iso(),
            _ => self.start_edtf(),
        }
    }

    fn precision(self) -> Precision {
        match self {
            Point::Day(_) => Precision::Day,
            Point::Month { .. } => Precision::Month,
            Point::Year(_) => Precision::Year,
            Point::Span {
                season: Some(_), ..
            } => Precision::Season,
            Point::Span { season: None, .. } => Precision::PartOfMonth,
        }
    }

    /// The unit right after this one, at the same precision where there is
    /// one ("later than July 1925" starts with August 1925).
    fn next(self) -> Point {
        match self {
            Point::Day(d) => Point::Day(d.succ()),
            Point::Month { year, month: 12 } => Point::Month {
                year: year + 1,
                month: 1,
            },
            Point::Month { year, month } => Point::Month {
                year,
                month: month + 1,
            },
            Point::Year(y) => Point::Year(y + 1),
            Point::Span { last, .. } => Point::Day(last.succ()),
        }
    }

    /// The unit right before this one ("before June 1932" ends with May).
    fn prev(self) -> Point {
        match self {
            Point::Day(d) => Point::Day(d.pred()),
            Point::Month { year, month: 1 } => Point::Month {
                year: year - 1,
                month: 12,
            },
            Point::Month { year, month } => Point::Month {
                year,
                month: month - 1,
            },
            Point::Year(y) => Point::Year(y - 1),
            Point::Span { first, .. } => Point::Day(first.pred()),
        }
    }
}

fn build(
    edtf: String,
    earliest: Option<Day>,
    latest: Option<Day>,
    precision: Precision,
    qualifier: Qualifier,
) -> HistDate {
    HistDate {
        text: String::new(),
        edtf,
        earliest,
        latest,
        precision,
        qualifier,
        calendar: "gregorian".into(),
    }
}

fn single(p: Point) -> HistDate {
    build(
        p.edtf(),
        Some(p.first()),
        Some(p.last()),
        p.precision(),
        Qualifier::Exact,
    )
}

fn range(from: Point, to: Point) -> Option<HistDate> {
    if from.first() > to.last() {
        return None;
    }
    let edtf = format!("{}/{}", from.start_edtf(), to.end_edtf());
    Some(build(
        edtf,
        Some(from.first()),
        Some(to.last()),
        Precision::Range,
        Qualifier::Exact,
    ))
}

/// Adds an EDTF uncertainty (`?`) or approximation (`~`) mark to every
/// stated end of the value.
fn mark_edtf(edtf: &str, mark: &str) -> String {
    edtf.split('/')
        .map(|part| {
            if part == ".." || part.is_empty() {
                part.to_string()
            } else {
                format!("{part}{mark}")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------
// Editorial dates

static CIRCA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:circa|ca\.|c\.|approximately|about|around)\s*").expect("static regex")
});

/// `1932, before June 1932`: a year, then a narrower statement inside it.
static YEAR_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*,\s*(.+)$").expect("static regex"));

/// Trims what is not part of the date: brackets the caller may have left,
/// trailing punctuation, doubled whitespace.
fn clean_editorial(s: &str) -> String {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let s = s.trim_end_matches(|c: char| matches!(c, '.' | ',' | ';' | ':') || c.is_whitespace());
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How an open-ended statement bounds the interval.
#[derive(Clone, Copy)]
enum Bound {
    /// "No earlier than X": from the start of X.
    FromInclusive,
    /// "Later than X", "after X": from the unit after X.
    FromExclusive,
    /// "No later than X": to the end of X.
    ToInclusive,
    /// "Earlier than X", "before X": to the unit before X.
    ToExclusive,
}

/// Longest phrases first, so that "no earlier than" is not read as
/// "earlier than".
const BOUNDS: [(&str, Bound); 10] = [
    ("no earlier than ", Bound::FromInclusive),
    ("not earlier than ", Bound::FromInclusive),
    ("not before ", Bound::FromInclusive),
    ("no later than ", Bound::ToInclusive),
    ("not later than ", Bound::ToInclusive),
    ("not after ", Bound::ToInclusive),
    ("later than ", Bound::FromExclusive),
    ("after ", Bound::FromExclusive),
    ("earlier than ", Bound::ToExclusive),
    ("before ", Bound::ToExclusive),
];

fn parse_expression(s: &str) -> Option<HistDate> {
    if let Some(c) = YEAR_PREFIX.captures(s) {
        let year: i32 = c[1].parse().ok()?;
        return parse_within_year(year, &c[2]);
    }
    parse_clause(s, None)
}

/// A clause with no year prefix: a bound, a range, or a point.
/// `default_year` fills a year the clause does not print.
fn parse_clause(s: &str, default_year: Option<i32>) -> Option<HistDate> {
    let lower = s.to_lowercase();
    for (phrase, bound) in BOUNDS {
        if let Some(rest) = lower.strip_prefix(phrase) {
            let p = parse_point(rest, default_year, None)?;
            return Some(open_ended(p, bound));
        }
    }
    if let Some(rest) = lower.strip_prefix("between ") {
        let (a, b) = rest.split_once(" and ")?;
        return parse_range(a, b, default_year);
    }
    // A range has one dash (or "to"/"through") between two points; "mid-"
    // is a prefix, not a range, so it is rewritten first.
    let norm = lower.replace("mid-", "mid ");
    for (i, c) in norm.char_indices() {
        if matches!(c, '–' | '—' | '-' | '‒' | '−') {
            let (a, b) = (&norm[..i], &norm[i + c.len_utf8()..]);
            if let Some(d) = parse_range(a, b, default_year) {
                return Some(d);
            }
        }
    }
    for sep in [" to ", " through "] {
        if let Some((a, b)) = norm.split_once(sep) {
            return parse_range(a, b, default_year);
        }
    }
    parse_point(&norm, default_year, None).map(single)
}

/// "1932, before June 1932": the year bounds the open end of the clause.
fn parse_within_year(year: i32, rest: &str) -> Option<HistDate> {
    let inner = parse_clause(rest, Some(year))?;
    let y = Point::Year(year);
    let earliest = match inner.earliest {
        Some(d) if d > y.first() => d,
        _ => y.first(),
    };
    let latest = match inner.latest {
        Some(d) if d < y.last() => d,
        _ => y.last(),
    };
    if earliest > latest {
        return None;
    }
    // The ends keep their printed precision: the year where the clause left
    // an end open, the clause's own end where it stated one.
    let (start_edtf, end_edtf) = match inner.edtf.split_once('/') {
        Some((a, b)) => (
            if a == ".." {
                y.start_edtf()
            } else {
                a.to_string()
            },
            if b == ".." {
                y.end_edtf()
            } else {
                b.to_string()
            },
        ),
        None => (inner.edtf.clone(), inner.edtf.clone()),
    };
    if inner.qualifier == Qualifier::Exact && inner.edtf.split_once('/').is_none() {
        // "1932, June 1932": nothing to intersect beyond the clause itself.
        return Some(inner);
    }
    Some(build(
        format!("{start_edtf}/{end_edtf}"),
        Some(earliest),
        Some(latest),
        if inner.precision == Precision::OpenEnded {
            Precision::Range
        } else {
            inner.precision
        },
        inner.qualifier,
    ))
}

fn open_ended(p: Point, bound: Bound) -> HistDate {
    let (edtf, earliest, latest, qualifier) = match bound {
        Bound::FromInclusive => (
            format!("{}/..", p.start_edtf()),
            Some(p.first()),
            None,
            Qualifier::NotBefore,
        ),
        Bound::FromExclusive => {
            let n = p.next();
            (
                format!("{}/..", n.start_edtf()),
                Some(n.first()),
                None,
                Qualifier::NotBefore,
            )
        }
        Bound::ToInclusive => (
            format!("../{}", p.end_edtf()),
            None,
            Some(p.last()),
            Qualifier::NotAfter,
        ),
        Bound::ToExclusive => {
            let n = p.prev();
            (
                format!("../{}", n.end_edtf()),
                None,
                Some(n.last()),
                Qualifier::NotAfter,
            )
        }
    };
    build(edtf, earliest, latest, Precision::OpenEnded, qualifier)
}

/// "12–15 July 1925", "Late August–Early September 1930", "July–August
/// 1926", "December 1929–January 1930": the right end is complete (or takes
/// `default_year`), the left end takes what it does not print from it.
fn parse_range(a: &str, b: &str, default_year: Option<i32>) -> Option<HistDate> {
    let right = parse_point(b, default_year, None)?;
    let right_first = right.first();
    let left = parse_point(a, Some(right_first.year), Some(right_first.month))?;
    if left.first() <= right.last() {
        return range(left, right);
    }
    // "December–January 1930": a left month without its own year belongs
    // to the year before. A bare day never wraps ("15–12 July" is wrong).
    if !has_year(a) && a.split_whitespace().any(|t| month_token(t).is_some()) {
        let left = parse_point(a, Some(right_first.year - 1), Some(right_first.month))?;
        return range(left, right);
    }
    None
}

fn has_year(s: &str) -> bool {
    s.split_whitespace().any(|t| year_token(t).is_some())
}

/// A part of a month before its name: its halves ("first half"), or a
/// third ("early", "mid", "late": the shared words and days).
#[derive(Clone, Copy)]
enum PartOfMonth {
    FirstHalf,
    SecondHalf,
    Third(MonthPart),
}

impl PartOfMonth {
    /// The part the words start with, and how many words it takes.
    fn starting(words: &[&str]) -> Option<(usize, PartOfMonth)> {
        match words {
            ["first", "half", ..] => Some((2, PartOfMonth::FirstHalf)),
            ["second", "half", ..] => Some((2, PartOfMonth::SecondHalf)),
            [w, ..] => Some((1, PartOfMonth::Third(MonthPart::of_word(w)?))),
            _ => None,
        }
    }

    /// Its first and last day in a month of `days` days.
    fn days(self, days: u8) -> (u8, u8) {
        match self {
            PartOfMonth::FirstHalf => (1, 15),
            PartOfMonth::SecondHalf => (16, days),
            PartOfMonth::Third(third) => third.days(days),
        }
    }
}

/// One point: "12 July 1925", "July 12, 1925", "July 1925", "Early July
/// 1927", "mid-July 1926", "Summer 1926", "1927", and, as the left end of a
/// range only, "12" or "July" (filled from `year`/`month`).
fn parse_point(s: &str, year: Option<i32>, month: Option<u8>) -> Option<Point> {
    let norm = s.to_lowercase().replace("mid-", "mid ").replace(',', " ");
    let words: Vec<&str> = norm
        .split_whitespace()
        .filter(|w| !matches!(*w, "the" | "of"))
        .collect();
    if words.is_empty() {
        return None;
    }
    if let Some((n, part)) = PartOfMonth::starting(&words) {
        let (y, m) = match &words[n..] {
            [m] => (year?, month_token(m)?),
            [m, y] => (year_token(y)?, month_token(m)?),
            _ => return None,
        };
        let (from, to) = part.days(Day::days_in_month(y, m));
        return Some(Point::Span {
            first: Day::new(y, m, from)?,
            last: Day::new(y, m, to)?,
            season: None,
        });
    }
    match words.as_slice() {
        [y] if year_token(y).is_some() => Some(Point::Year(year_token(y)?)),
        [d] if day_token(d).is_some() => Some(Point::Day(Day::new(year?, month?, day_token(d)?)?)),
        [m] if month_token(m).is_some() => Some(Point::Month {
            year: year?,
            month: month_token(m)?,
        }),
        [s] if season_token(s).is_some() => season(year?, season_token(s)?),
        [d, m] if day_token(d).is_some() && month_token(m).is_some() => {
            Some(Point::Day(Day::new(year?, month_token(m)?, day_token(d)?)?))
        }
        [m, d] if month_token(m).is_some() && day_token(d).is_some() => {
            Some(Point::Day(Day::new(year?, month_token(m)?, day_token(d)?)?))
        }
        [m, y] if month_token(m).is_some() && year_token(y).is_some() => Some(Point::Month {
            year: year_token(y)?,
            month: month_token(m)?,
        }),
        [s, y] if season_token(s).is_some() && year_token(y).is_some() => {
            season(year_token(y)?, season_token(s)?)
        }
        [d, m, y] if day_token(d).is_some() => Some(Point::Day(Day::new(
            year_token(y)?,
            month_token(m)?,
            day_token(d)?,
        )?)),
        [m, d, y] => Some(Point::Day(Day::new(
            year_token(y)?,
            month_token(m)?,
            day_token(d)?,
        )?)),
        _ => None,
    }
}

fn season(year: i32, season: Season) -> Option<Point> {
    let ((_, first_month), (later, last_month)) = season.months();
    Some(Point::Span {
        first: Day::new(year, first_month, 1)?,
        last: Day::last_of_month(year + later, last_month),
        season: Some(season.edtf_code()),
    })
}

fn year_token(t: &str) -> Option<i32> {
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

fn day_token(t: &str) -> Option<u8> {
    date_words::ordinal_day(t)
}

/// A month's name or one of its usual abbreviations ("Sept.", "Jan"): an
/// editorial date or a dateline spells its month out, so a shortening
/// outside the usual ones is not read as a month.
fn month_token(t: &str) -> Option<u8> {
    let word = t.trim_end_matches('.');
    date_words::month(word).filter(|_| date_words::is_month_word(word))
}

fn season_token(t: &str) -> Option<Season> {
    Season::of_word(&t.to_lowercase())
}

// ---------------------------------------------------------------------------
// Datelines

/// What a dateline states, before a year is supplied.
struct DatelineFields {
    place: Option<String>,
    day: Option<u8>,
    month: u8,
    year: Option<i32>,
}

const MONTH_RE: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";

/// A whole-line dateline. The place is one to three capitalised words (any
/// script, hyphenated names allowed); the date is one of the printed forms.
/// A weekday in parentheses may follow ("8/3 (Tuesday)"). Telegram forms
/// print "Sent from Moscow, 3 June 1926" or "Sent June 3": "Sent" is not a
/// place.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let place = r"\p{Lu}\p{L}+(?:[-'’]\p{L}+)*(?:\s+\p{Lu}\p{L}+(?:[-'’]\p{L}+)*){0,2}";
    let pattern = format!(
        r"(?x)^
        (?:(?i:sent(?:\ from)?)\s+)?
        (?:(?P<place>{place})\s*(?:,\s*|\s))?
        (?:
            (?P<my_m>\d{{1,2}})/(?P<my_y>\d{{4}})
          | (?P<r_d>\d{{1,2}})[./](?P<r_m>\d{{1,2}})\.?\s*-\s*(?P<r_y>\d{{4}}|\d{{2}})(?:\s*[gг]\.?)?
          | (?P<dot_d>\d{{1,2}})\.(?P<dot_m>\d{{1,2}})\.(?P<dot_y>\d{{4}}|\d{{2}})(?:\s*[gг]\.?)?
          | (?P<s_a>\d{{1,2}})/(?P<s_b>\d{{1,2}})(?:/(?P<s_y>\d{{4}}|\d{{2}}))?
          | (?P<dm_d>\d{{1,2}})\s+(?P<dm_m>(?i:{MONTH_RE}))\.?(?:,?\s+(?P<dm_y>\d{{4}}))?
          | (?P<md_m>(?i:{MONTH_RE}))\.?\s+(?P<md_d>\d{{1,2}})(?:,?\s+(?P<md_y>\d{{4}}))?
          | (?P<m_m>(?i:{MONTH_RE}))\.?,?\s+(?P<m_y>\d{{4}})
        )
        (?:\s*\((?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\))?
        \s*\.?$"
    );
    Regex::new(&pattern).expect("static regex")
});

fn read_dateline(line: &str, context_year: Option<i32>) -> Option<DatelineFields> {
    // Emphasis marks and a Markdown hard break may wrap the line.
    let line = line
        .trim()
        .trim_matches(|c| c == '*' || c == '_')
        .trim_end_matches('\\')
        .trim();
    let c = DATELINE.captures(line)?;
    let mut place = c
        .name("place")
        .map(|m| m.as_str().trim_matches(',').trim().to_string());
    // A month name is never a place: such a parse means the line is
    // something else. A weekday before the date is part of the date, not a
    // place.
    if let Some(p) = &place {
        if p.split_whitespace().any(|w| month_token(w).is_some()) {
            return None;
        }
        if date_words::is_weekday(p) {
            place = None;
        }
    }
    let (day, month, year) = dateline_numbers(&c, context_year)?;
    let max = Day::days_in_month(year.unwrap_or(2000), month);
    if max == 0 || day.is_some_and(|d| d == 0 || d > max) {
        return None;
    }
    Some(DatelineFields {
        place,
        day,
        month,
        year,
    })
}

/// The day, month and year a dateline prints, with the convention of its
/// form applied.
fn dateline_numbers(
    c: &Captures,
    context_year: Option<i32>,
) -> Option<(Option<u8>, u8, Option<i32>)> {
    let num = |name: &str| -> Option<u32> { c.name(name).and_then(|m| m.as_str().parse().ok()) };
    let year = |name: &str| -> Option<i32> {
        let m = c.name(name)?;
        let y: i32 = m.as_str().parse().ok()?;
        // A two-digit year takes the century nearest the editors' year
        // where there is one; without it, these readers' editions are of
        // the twentieth century (the general reader never assumes one).
        Some(if m.as_str().len() == 2 {
            date_words::year_near(y, context_year.unwrap_or(1950))
        } else {
            y
        })
    };
    let small = |v: u32| u8::try_from(v).ok();
    if c.name("my_m").is_some() {
        return Some((None, small(num("my_m")?)?, year("my_y")));
    }
    if c.name("r_d").is_some() {
        return Some((Some(small(num("r_d")?)?), small(num("r_m")?)?, year("r_y")));
    }
    if c.name("dot_d").is_some() {
        return Some((
            Some(small(num("dot_d")?)?),
            small(num("dot_m")?)?,
            year("dot_y"),
        ));
    }
    if c.name("s_a").is_some() {
        let (a, b) = (small(num("s_a")?)?, small(num("s_b")?)?);
        // American order, unless the first number cannot be a month
        // ("26/5/26" under a letter of May 1926).
        let (day, month) = if a > 12 && b <= 12 { (a, b) } else { (b, a) };
        return Some((Some(day), month, year("s_y")));
    }
    if let Some(m) = c.name("dm_m") {
        return Some((
            Some(small(num("dm_d")?)?),
            month_token(m.as_str())?,
            year("dm_y"),
        ));
    }
    if let Some(m) = c.name("md_m") {
        return Some((
            Some(small(num("md_d")?)?),
            month_token(m.as_str())?,
            year("md_y"),
        ));
    }
    let m = c.name("m_m")?;
    Some((None, month_token(m.as_str())?, year("m_y")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Option<Day> {
        Day::new(y, m, d)
    }

    fn ed(s: &str) -> HistDate {
        match parse_editorial(s) {
            Some(d) => d,
            None => panic!("editorial date {s:?} did not parse"),
        }
    }

    fn dl(s: &str, year: Option<i32>) -> (Option<String>, HistDate) {
        match parse_dateline(s, year) {
            Some(d) => d,
            None => panic!("dateline {s:?} did not parse"),
        }
    }

    #[test]
    fn editorial_day() {
        let d = ed("12 July 1925");
        assert_eq!(d.text, "12 July 1925");
        assert_eq!(d.edtf, "1925-07-12");
        assert_eq!((d.earliest, d.latest), (day(1925, 7, 12), day(1925, 7, 12)));
        assert_eq!(d.precision, Precision::Day);
        assert_eq!(d.qualifier, Qualifier::Exact);
        assert_eq!(d.calendar, "gregorian");
    }

    #[test]
    fn editorial_month_and_year() {
        let d = ed("July 1925");
        assert_eq!(d.edtf, "1925-07");
        assert_eq!((d.earliest, d.latest), (day(1925, 7, 1), day(1925, 7, 31)));
        assert_eq!(d.precision, Precision::Month);
        let d = ed("January 1933");
        assert_eq!((d.earliest, d.latest), (day(1933, 1, 1), day(1933, 1, 31)));
        let d = ed("February 1936");
        assert_eq!(d.latest, day(1936, 2, 29));
        let d = ed("1927");
        assert_eq!(d.edtf, "1927");
        assert_eq!(d.precision, Precision::Year);
        assert_eq!((d.earliest, d.latest), (day(1927, 1, 1), day(1927, 12, 31)));
    }

    #[test]
    fn editorial_later_than_is_the_next_day() {
        let d = ed("Later than 1 August 1925");
        assert_eq!(d.edtf, "1925-08-02/..");
        assert_eq!((d.earliest, d.latest), (day(1925, 8, 2), None));
        assert_eq!(d.precision, Precision::OpenEnded);
        assert_eq!(d.qualifier, Qualifier::NotBefore);
        let d = ed("Later than 28 July 1935");
        assert_eq!(d.earliest, day(1935, 7, 29));
        let d = ed("after July 1925");
        assert_eq!(d.edtf, "1925-08/..");
        assert_eq!(d.earliest, day(1925, 8, 1));
    }

    #[test]
    fn editorial_no_earlier_than_is_the_day_itself() {
        let d = ed("No earlier than 6 August 1930");
        assert_eq!(d.edtf, "1930-08-06/..");
        assert_eq!((d.earliest, d.latest), (day(1930, 8, 6), None));
        assert_eq!(d.qualifier, Qualifier::NotBefore);
        assert_eq!(
            ed("No earlier than 23 August 1930").earliest,
            day(1930, 8, 23)
        );
    }

    #[test]
    fn editorial_earlier_than_and_before_end_the_day_before() {
        let d = ed("earlier than 17 November 1929");
        assert_eq!(d.edtf, "../1929-11-16");
        assert_eq!((d.earliest, d.latest), (None, day(1929, 11, 16)));
        assert_eq!(d.qualifier, Qualifier::NotAfter);
        assert_eq!(d.precision, Precision::OpenEnded);
        assert_eq!(ed("Earlier than 20 April 1930").latest, day(1930, 4, 19));
        let d = ed("before 23 April 1933");
        assert_eq!(d.edtf, "../1933-04-22");
        let d = ed("before March 1931");
        assert_eq!(d.edtf, "../1931-02");
        assert_eq!(d.latest, day(1931, 2, 28));
    }

    #[test]
    fn editorial_no_later_than_is_the_day_itself() {
        let d = ed("No later than 15 September 1930");
        assert_eq!(d.edtf, "../1930-09-15");
        assert_eq!((d.earliest, d.latest), (None, day(1930, 9, 15)));
        assert_eq!(d.qualifier, Qualifier::NotAfter);
    }

    #[test]
    fn editorial_year_then_before_month() {
        let d = ed("1932, before June 1932");
        assert_eq!((d.earliest, d.latest), (day(1932, 1, 1), day(1932, 5, 31)));
        assert_eq!(d.edtf, "1932/1932-05");
        assert_eq!(d.precision, Precision::Range);
        assert_eq!(d.qualifier, Qualifier::NotAfter);
        // The year may be left to the prefix.
        assert_eq!(ed("1932, before June").latest, day(1932, 5, 31));
        let d = ed("1930, after 10 October");
        assert_eq!(
            (d.earliest, d.latest),
            (day(1930, 10, 11), day(1930, 12, 31))
        );
        assert_eq!(d.edtf, "1930-10-11/1930");
    }

    #[test]
    fn editorial_parts_of_month() {
        let d = ed("Early July 1927");
        assert_eq!((d.earliest, d.latest), (day(1927, 7, 1), day(1927, 7, 10)));
        assert_eq!(d.precision, Precision::PartOfMonth);
        assert_eq!(d.edtf, "1927-07-01/1927-07-10");
        let d = ed("mid-July 1926");
        assert_eq!((d.earliest, d.latest), (day(1926, 7, 11), day(1926, 7, 20)));
        let d = ed("Late February 1932");
        assert_eq!((d.earliest, d.latest), (day(1932, 2, 21), day(1932, 2, 29)));
        let d = ed("end of June 1926");
        assert_eq!(d.latest, day(1926, 6, 30));
        let d = ed("second half of August 1929");
        assert_eq!((d.earliest, d.latest), (day(1929, 8, 16), day(1929, 8, 31)));
    }

    #[test]
    fn editorial_ranges_keep_the_printed_precision() {
        let d = ed("Late August–Early September 1930");
        assert_eq!((d.earliest, d.latest), (day(1930, 8, 21), day(1930, 9, 10)));
        assert_eq!(d.edtf, "1930-08-21/1930-09-10");
        assert_eq!(d.precision, Precision::Range);
        let d = ed("12–15 July 1925");
        assert_eq!(d.edtf, "1925-07-12/1925-07-15");
        let d = ed("12-15 July 1925");
        assert_eq!(d.edtf, "1925-07-12/1925-07-15");
        let d = ed("30 June — 2 July 1926");
        assert_eq!(d.edtf, "1926-06-30/1926-07-02");
        let d = ed("July–August 1926");
        assert_eq!(d.edtf, "1926-07/1926-08");
        assert_eq!((d.earliest, d.latest), (day(1926, 7, 1), day(1926, 8, 31)));
        let d = ed("December–January 1930");
        assert_eq!(d.edtf, "1929-12/1930-01");
        let d = ed("1925–1926");
        assert_eq!(d.edtf, "1925/1926");
        let d = ed("mid-July–early August 1926");
        assert_eq!(d.edtf, "1926-07-11/1926-08-10");
        let d = ed("between 1 and 5 August 1930");
        assert_eq!(d.edtf, "1930-08-01/1930-08-05");
        assert!(parse_editorial("15–12 July 1925").is_none());
    }

    #[test]
    fn editorial_seasons_use_edtf_codes() {
        let d = ed("Summer 1926");
        assert_eq!(d.edtf, "1926-22");
        assert_eq!(d.precision, Precision::Season);
        assert_eq!((d.earliest, d.latest), (day(1926, 6, 1), day(1926, 8, 31)));
        let d = ed("winter 1929");
        assert_eq!(d.edtf, "1929-24");
        assert_eq!((d.earliest, d.latest), (day(1929, 12, 1), day(1930, 2, 28)));
        assert_eq!(ed("the autumn of 1930").edtf, "1930-23");
    }

    #[test]
    fn editorial_tolerates_case_punctuation_and_whitespace() {
        let d = ed("  later THAN 1 August 1925. ");
        assert_eq!(d.earliest, day(1925, 8, 2));
        assert_eq!(d.text, "later THAN 1 August 1925.");
        assert_eq!(ed("[12 July 1925]").edtf, "1925-07-12");
        assert_eq!(ed("12  July\n1925;").edtf, "1925-07-12");
        assert_eq!(ed("July 12, 1925").edtf, "1925-07-12");
        assert_eq!(ed("12 Sept. 1925").edtf, "1925-09-12");
    }

    #[test]
    fn editorial_uncertainty_marks() {
        let d = ed("July 1925?");
        assert_eq!(d.edtf, "1925-07?");
        assert_eq!(d.qualifier, Qualifier::Approximate);
        let d = ed("circa 1926");
        assert_eq!(d.edtf, "1926~");
        assert_eq!(d.qualifier, Qualifier::Approximate);
    }

    #[test]
    fn editorial_rejects_what_is_not_a_date() {
        for s in [
            "sic",
            "ellipsis in original",
            "a party institution",
            "",
            "12",
            "July",
            "Stalin 1925",
            "31 June 1925",
        ] {
            assert!(parse_editorial(s).is_none(), "{s:?} should not parse");
        }
    }

    #[test]
    fn the_calendar_is_the_profiles_to_say() {
        // The reader takes days as printed; a profile's `julian_before`
        // marks the Julian ones (profile::tests).
        assert_eq!(ed("12 July 1917").calendar, "gregorian");
        assert_eq!(ed("14 February 1918").calendar, "gregorian");
    }

    #[test]
    fn every_editorial_date_of_the_book_parses() {
        // The bracketed dates under the letter markers of the printed edition.
        let all = [
            "12 July 1925",
            "July 1925",
            "Later than 1 August 1925",
            "August 1925",
            "Early July 1927",
            "earlier than 17 November 1929",
            "Earlier than 20 April 1930",
            "No earlier than 6 August 1930",
            "No earlier than 23 August 1930",
            "Late August–Early September 1930",
            "No later than 15 September 1930",
            "before March 1931",
            "1932, before June 1932",
            "January 1933",
            "before 23 April 1933",
            "Later than 28 July 1935",
            "September 1935",
            "February 1936",
        ];
        for s in all {
            assert!(parse_editorial(s).is_some(), "{s:?}");
        }
    }

    #[test]
    fn dateline_place_and_month_day_with_context_year() {
        let (place, d) = dl("Rostov 7/12", Some(1925));
        assert_eq!(place.as_deref(), Some("Rostov"));
        assert_eq!(d.text, "Rostov 7/12");
        assert_eq!(d.edtf, "1925-07-12");
        assert_eq!(d.precision, Precision::Day);
        let (place, d) = dl("8/3 (Tuesday)", Some(1926));
        assert_eq!(place, None);
        assert_eq!(d.text, "8/3 (Tuesday)");
        assert_eq!(d.earliest, day(1926, 8, 3));
    }

    #[test]
    fn dateline_without_any_year_is_undetermined() {
        let (_, d) = dl("9/4", None);
        assert_eq!(d.edtf, "XXXX-09-04");
        assert_eq!(d.precision, Precision::Undetermined);
        assert_eq!((d.earliest, d.latest), (None, None));
    }

    #[test]
    fn dateline_american_slash_years() {
        let (place, d) = dl("7/20/25", None);
        assert_eq!(place, None);
        assert_eq!(d.edtf, "1925-07-20");
        let (place, d) = dl("Sochi 7/28/25", Some(1929));
        assert_eq!(place.as_deref(), Some("Sochi"));
        assert_eq!(d.edtf, "1925-07-28", "a printed year wins over the context");
        // A two-digit year takes the century nearest the editors' year.
        assert_eq!(dl("6/25/76", Some(1776)).1.edtf, "1776-06-25");
        let (place, d) = dl("Sochi, 6/25/26", None);
        assert_eq!(place.as_deref(), Some("Sochi"));
        assert_eq!(d.edtf, "1926-06-25");
        assert_eq!(dl("9/1/1929", None).1.edtf, "1929-09-01");
        assert_eq!(dl("9/2/1930", None).1.edtf, "1930-09-02");
        // Stalin's slip (1926 for 1927) is kept as printed.
        assert_eq!(dl("6/24/26", Some(1927)).1.edtf, "1926-06-24");
    }

    #[test]
    fn dateline_day_first_when_the_first_number_is_no_month() {
        assert_eq!(dl("26/5/26", None).1.edtf, "1926-05-26");
    }

    #[test]
    fn dateline_month_and_year() {
        let (_, d) = dl("2/1936", None);
        assert_eq!(d.edtf, "1936-02");
        assert_eq!(d.precision, Precision::Month);
        let (_, d) = dl("July 1920", None);
        assert_eq!(d.edtf, "1920-07");
        assert_eq!(d.calendar, "gregorian");
    }

    #[test]
    fn dateline_prose_dates() {
        assert_eq!(dl("23 August 1929", None).1.edtf, "1929-08-23");
        assert_eq!(dl("5 August 1935", None).1.edtf, "1935-08-05");
        assert_eq!(dl("16 September 1926", None).1.edtf, "1926-09-16");
        let (place, d) = dl("Moscow, 19 May 1925.", None);
        assert_eq!(place.as_deref(), Some("Moscow"));
        assert_eq!(d.edtf, "1925-05-19");
        assert_eq!(d.text, "Moscow, 19 May 1925.");
        let (place, d) = dl("Moscow, 8 June 1929", None);
        assert_eq!(place.as_deref(), Some("Moscow"));
        assert_eq!(d.edtf, "1929-06-08");
        let (place, d) = dl("Sent from Moscow, 3 June 1926", None);
        assert_eq!(place.as_deref(), Some("Moscow"));
        assert_eq!(d.edtf, "1926-06-03");
        let (place, d) = dl("Sent June 3  ", Some(1926));
        assert_eq!(place, None);
        assert_eq!(d.edtf, "1926-06-03");
        assert_eq!(dl("May 22, 2007", None).1.edtf, "2007-05-22");
        assert_eq!(dl("2 June 1926", None).1.edtf, "1926-06-02");
    }

    #[test]
    fn dateline_russian_forms_are_day_first() {
        assert_eq!(dl("10.1.1939", None).1.edtf, "1939-01-10");
        assert_eq!(dl("10/1.-39 g.", None).1.edtf, "1939-01-10");
        assert_eq!(dl("12.7.25", None).1.edtf, "1925-07-12");
        assert_eq!(dl("7/9-30", None).1.edtf, "1930-09-07");
        assert_eq!(dl("8.11.1956 g.", None).1.edtf, "1956-11-08");
    }

    #[test]
    fn dateline_tolerates_markup() {
        assert_eq!(dl("*Sochi 8/9/25*", None).1.edtf, "1925-08-09");
        assert_eq!(dl("9/26/35  ", None).1.edtf, "1935-09-26");
    }

    #[test]
    fn not_datelines() {
        for s in [
            "Com. Molotov,",
            "J. Stalin",
            "Received and deciphered June 3",
            "Written in July 1920",
            "1927",
            "9/31 =?",
            "13/13",
            "Moscow",
            "Source : Works, Vol. 4, November, 1917 - 1920",
            "I received your letter of 20 September.",
            "Central Committee",
            "July Plenum 1926",
        ] {
            assert!(
                parse_dateline(s, Some(1926)).is_none(),
                "{s:?} is not a dateline"
            );
            assert!(!looks_like_dateline(s), "{s:?} is not a dateline");
        }
    }

    #[test]
    fn looks_like_dateline_matches_parse() {
        for s in [
            "Rostov 7/12",
            "7/20/25",
            "8/3 (Tuesday)",
            "10.1.1939",
            "Moscow, 19 May 1925.",
        ] {
            assert!(looks_like_dateline(s), "{s:?}");
        }
    }

    #[test]
    fn dateline_rejects_impossible_days_in_the_context_year() {
        assert!(parse_dateline("2/29", Some(1926)).is_none());
        assert!(parse_dateline("2/29", Some(1928)).is_some());
    }
}
