//! The words prose dates are written in: month names (English, German,
//! French, Russian, with the abbreviations and older forms editions print),
//! weekdays, parts of a month, seasons, the words that make a date
//! approximate, Roman month numerals, ordinal days, and how a short year is
//! completed.
//!
//! Three readers parse prose dates, each with a grammar of its own because
//! each reads a different thing: a printed edition's bracketed editorial
//! dates and its authors' datelines (`fond-ingest`'s `dates`), a date in a
//! line of any edition in four languages (`fond-ingest`'s `plain::datefind`),
//! and the span at the end of an office in a biography (`fond-authority`'s
//! `offices`). What a word means is decided here, once, so that "Sept."
//! is September, "mid" is days 11–20 and summer is June to August in all
//! three.

/// `january` … `december`, lower case.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The number (1–12) of an English month's full name, any case.
pub fn english_month(name: &str) -> Option<u8> {
    let l = name.to_lowercase();
    ENGLISH_MONTHS
        .iter()
        .position(|m| *m == l)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The English month names capitalised and joined by `|`, for a regular
/// expression's alternation (`January|February|…|December`).
pub fn english_months_alternation() -> String {
    ENGLISH_MONTHS
        .iter()
        .map(|m| {
            let mut c = m.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// An EDTF date as an English reader writes it (`1925-07-13` → `13 July
/// 1925`, `1925-07` → `July 1925`, `1925-07/1925-09` → `July 1925 –
/// September 1925`, `1925-07-13?` → `13 July 1925?`, `1925~` → `c. 1925`,
/// an open end `..`); `None` for a form not written so here (seasons, sets,
/// unspecified digits), which the caller shows as it is.
pub fn edtf_in_words(edtf: &str) -> Option<String> {
    let edtf = edtf.trim();
    if let Some((a, b)) = edtf.split_once('/') {
        let side = |s: &str| match s {
            ".." | "" => Some("…".to_string()),
            s => edtf_in_words(s),
        };
        return Some(format!("{} – {}", side(a)?, side(b)?));
    }
    let (core, circa, doubt) = {
        let mut core = edtf;
        let (mut circa, mut doubt) = (false, false);
        loop {
            if let Some(c) = core.strip_suffix('~') {
                (core, circa) = (c, true);
            } else if let Some(c) = core.strip_suffix('?') {
                (core, doubt) = (c, true);
            } else if let Some(c) = core.strip_suffix('%') {
                (core, circa, doubt) = (c, true, true);
            } else {
                break;
            }
        }
        (core, circa, doubt)
    };
    let mut parts = core.split('-');
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = match parts.next() {
        Some(m) => {
            let m: usize = m.parse().ok().filter(|m| (1..=12).contains(m))?;
            let name = ENGLISH_MONTHS[m - 1];
            let mut c = name.chars();
            Some(
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default(),
            )
        }
        None => None,
    };
    let day = match parts.next() {
        Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    let mut out = match (day, month) {
        (Some(d), Some(m)) => format!("{d} {m} {year}"),
        (None, Some(m)) => format!("{m} {year}"),
        _ => year.to_string(),
    };
    if circa {
        out = format!("c. {out}");
    }
    if doubt {
        out.push('?');
    }
    Some(out)
}

/// Every month's full names, in the four languages (Russian in the
/// nominative and the genitive a date uses), and the Spanish and Italian
/// January some letters carry.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january",
        "januar",
        "jänner",
        "janvier",
        "январь",
        "января",
        "enero",
        "gennaio",
    ],
    &[
        "february",
        "februar",
        "feber",
        "février",
        "fevrier",
        "февраль",
        "февраля",
    ],
    &["march", "märz", "maerz", "marz", "mars", "март", "марта"],
    &["april", "avril", "апрель", "апреля"],
    &["may", "mai", "май", "мая"],
    &["june", "juni", "juin", "июнь", "июня"],
    &["july", "juli", "juillet", "июль", "июля"],
    &["august", "août", "aout", "август", "августа"],
    &["september", "septembre", "сентябрь", "сентября"],
    &["october", "oktober", "octobre", "октябрь", "октября"],
    &["november", "novembre", "ноябрь", "ноября"],
    &[
        "december",
        "dezember",
        "décembre",
        "decembre",
        "декабрь",
        "декабря",
    ],
];

/// Older and abbreviated forms editions print (`Juny`, `Mch.`, `Jenner`,
/// `Hornung`).
const OLD_FORMS: [(&str, u8); 14] = [
    ("juny", 6),
    ("junius", 6),
    ("julius", 7),
    ("jenner", 1),
    ("hornung", 2),
    ("mertz", 3),
    ("merz", 3),
    ("mch", 3),
    ("augt", 8),
    ("decr", 12),
    ("novr", 11),
    ("octr", 10),
    ("nvbr", 11),
    ("xbr", 12),
];

/// The month a word names, in English, German, French or Russian, full or
/// abbreviated (`Sept`, `Febr`, `Oktbr`, `Dez`, `déc`, `сент`); a trailing
/// dot is ignored. An abbreviation is a prefix of one month's names only
/// (of at least three letters), or such a prefix with letters dropped
/// before a final `br`/`r` (`oktbr`, `novbr`); one that could be two
/// months is none.
pub fn month(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    if let Some(m) = OLD_FORMS.iter().find(|(f, _)| *f == w).map(|(_, m)| *m) {
        return Some(m);
    }
    month_by_names(&w)
}

fn month_number(index: usize) -> u8 {
    u8::try_from(index + 1).unwrap_or(0)
}

fn month_by_names(w: &str) -> Option<u8> {
    if let Some(i) = MONTH_NAMES.iter().position(|names| names.contains(&w)) {
        return Some(month_number(i));
    }
    // "Mar" and "Jun"/"Jul" stay unambiguous at three letters.
    let stems = [
        w,
        w.strip_suffix("br").unwrap_or(w),
        w.strip_suffix('r').unwrap_or(w),
    ];
    let mut hit = None;
    for stem in stems.iter().filter(|s| s.chars().count() >= 3) {
        for (i, names) in MONTH_NAMES.iter().enumerate() {
            if names.iter().any(|n| n.starts_with(stem)) {
                match hit {
                    None => hit = Some(month_number(i)),
                    Some(h) if h == month_number(i) => {}
                    Some(_) => return None,
                }
            }
        }
        if hit.is_some() {
            return hit;
        }
    }
    hit
}

/// Whether a word is a month's full name or one of the usual
/// abbreviations, which are read as a month without a dot (any other
/// shortening needs its dot, so that a place such as "Maer" is not read as
/// March).
pub fn is_month_word(word: &str) -> bool {
    const ABBR: [&str; 19] = [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec",
        "dez", "febr", "mch", "juny", "augt", "decr",
    ];
    let w = word.to_lowercase();
    ABBR.contains(&w.as_str())
        || OLD_FORMS.iter().any(|(f, _)| *f == w)
        || MONTH_NAMES.iter().any(|names| names.contains(&w.as_str()))
}

/// Whether a word names a day of the week, in any of the four languages,
/// full or in the usual English abbreviation.
pub fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 36] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
        "mon",
        "tues",
        "wed",
        "thurs",
        "fri",
        "sat",
        "sun",
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    DAYS.contains(&w.as_str())
}

/// A Roman month numeral, lower case (`xii` → 12), as dates print them
/// (`29. XII. 1886`).
pub fn roman_month(word: &str) -> Option<u8> {
    const R: [&str; 12] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    R.iter().position(|r| *r == word).map(month_number)
}

/// Whether a word, lower case, makes the date after it approximate
/// (`ca.`, `circa`, `um`, `vers`, `около`, `probably`).
pub fn is_circa(word: &str) -> bool {
    matches!(
        word,
        "ca" | "c"
            | "circa"
            | "um"
            | "gegen"
            | "vers"
            | "about"
            | "около"
            | "etwa"
            | "probably"
            | "perhaps"
            | "wahrscheinlich"
            | "vermutlich"
            | "vielleicht"
            | "prob"
    )
}

/// A third of a month: "early July" is days 1–10, "mid-July" 11–20, "late
/// July" 21 to the month's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthPart {
    Early,
    Middle,
    Late,
}

impl MonthPart {
    /// The part a word, lower case, names (`early`, `beginning`, `Anfang`,
    /// `début`, `начале`; `mid`, `Mitte`, `milieu`; `late`, `end`, `Ende`,
    /// `fin`, `конце`).
    pub fn of_word(word: &str) -> Option<MonthPart> {
        match word {
            "early" | "beginning" | "start" | "anfang" | "début" | "debut" | "начало"
            | "начале" => Some(MonthPart::Early),
            "mid" | "middle" | "mitte" | "milieu" | "середина" | "середине" => {
                Some(MonthPart::Middle)
            }
            "late" | "end" | "ende" | "fin" | "конец" | "конце" => Some(MonthPart::Late),
            _ => None,
        }
    }

    /// Its first and last day in a month of `days_in_month` days.
    pub fn days(self, days_in_month: u8) -> (u8, u8) {
        match self {
            MonthPart::Early => (1, 10),
            MonthPart::Middle => (11, 20),
            MonthPart::Late => (21, days_in_month),
        }
    }
}

/// A meteorological season: spring March–May, summer June–August, autumn
/// September–November, winter December to the end of February of the next
/// year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl Season {
    /// The season a word, lower case, names, in the four languages
    /// (`Frühjahr`, `été`, `осенью`).
    pub fn of_word(word: &str) -> Option<Season> {
        match word {
            "spring" | "frühling" | "frühjahr" | "printemps" | "весна" | "весной" => {
                Some(Season::Spring)
            }
            "summer" | "sommer" | "été" | "лето" | "летом" => Some(Season::Summer),
            "autumn" | "fall" | "herbst" | "automne" | "осень" | "осенью" => {
                Some(Season::Autumn)
            }
            "winter" | "hiver" | "зима" | "зимой" => Some(Season::Winter),
            _ => None,
        }
    }

    /// The EDTF season code (21 spring … 24 winter): `1926-22` is summer
    /// 1926.
    pub fn edtf_code(self) -> u8 {
        match self {
            Season::Spring => 21,
            Season::Summer => 22,
            Season::Autumn => 23,
            Season::Winter => 24,
        }
    }

    /// The season of an EDTF season code.
    pub fn from_edtf_code(code: u8) -> Option<Season> {
        match code {
            21 => Some(Season::Spring),
            22 => Some(Season::Summer),
            23 => Some(Season::Autumn),
            24 => Some(Season::Winter),
            _ => None,
        }
    }

    /// Its first and last month, as (year offset, month): winter 1926 runs
    /// from (0, 12) to (1, 2), December 1926 to February 1927.
    pub fn months(self) -> ((i32, u8), (i32, u8)) {
        match self {
            Season::Spring => ((0, 3), (0, 5)),
            Season::Summer => ((0, 6), (0, 8)),
            Season::Autumn => ((0, 9), (0, 11)),
            Season::Winter => ((0, 12), (1, 2)),
        }
    }

    /// Its middle month (an approximate point standing for the season:
    /// winter's is January of the next year).
    pub fn middle_month(self) -> (i32, u8) {
        match self {
            Season::Spring => (0, 4),
            Season::Summer => (0, 7),
            Season::Autumn => (0, 10),
            Season::Winter => (1, 1),
        }
    }
}

/// A day of the month as printed, with or without an English ordinal
/// suffix (`12`, `1st`, `22nd`, `3rd`, `28th`), 1–31.
pub fn ordinal_day(token: &str) -> Option<u8> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A two-digit year in the century that puts it nearest `reference` (a
/// year the collection prints in full): `53` near 1860 is 1853, `05` near
/// 1898 is 1905.
pub fn year_near(two_digits: i32, reference: i32) -> i32 {
    let century = reference.div_euclid(100) * 100;
    [century - 100, century, century + 100]
        .into_iter()
        .map(|c| c + two_digits)
        .min_by_key(|y| (y - reference).abs())
        .unwrap_or(century + two_digits)
}

/// The second year of a range printed short (`1924–29`, `1898–1902`,
/// `1917–8`): it takes the first year's leading digits and is never
/// before it. `None` when `digits` is not a number.
pub fn range_end_year(first: i32, digits: &str) -> Option<i32> {
    let n: i32 = digits.parse().ok()?;
    if digits.len() >= 4 {
        return Some(n);
    }
    let base = 10i32.pow(u32::try_from(digits.len()).ok()?);
    let mut y = first - first.rem_euclid(base) + n;
    if y < first {
        y += base;
    }
    Some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edtf_dates_read_as_words() {
        for (edtf, words) in [
            ("1925-07-13", Some("13 July 1925")),
            ("1925-07", Some("July 1925")),
            ("1925", Some("1925")),
            ("1925-07/1925-09", Some("July 1925 – September 1925")),
            ("1930-08-06/..", Some("6 August 1930 – …")),
            ("1925-07-13?", Some("13 July 1925?")),
            ("1925~", Some("c. 1925")),
            ("1925-21", None),
            ("1925-13-01", None),
            ("19XX", None),
            ("", None),
        ] {
            assert_eq!(edtf_in_words(edtf).as_deref(), words, "{edtf}");
        }
    }

    #[test]
    fn months_by_full_name() {
        assert_eq!(english_month("July"), Some(7));
        assert_eq!(english_month("DECEMBER"), Some(12));
        assert_eq!(english_month("Sept"), None);
        assert!(english_months_alternation().starts_with("January|February|"));
        assert!(english_months_alternation().ends_with("|December"));
    }

    #[test]
    fn months_in_four_languages_and_their_abbreviations() {
        assert_eq!(month("Sept"), Some(9));
        assert_eq!(month("Sept."), Some(9));
        assert_eq!(month("Oktbr"), Some(10));
        assert_eq!(month("Febr"), Some(2));
        assert_eq!(month("Dez"), Some(12));
        assert_eq!(month("août"), Some(8));
        assert_eq!(month("сентября"), Some(9));
        assert_eq!(month("Hornung"), Some(2));
        assert_eq!(month("Jun"), Some(6));
        assert_eq!(month("Ma"), None);
        // A prefix of two months' names is neither.
        assert_eq!(month("ju"), None);
        assert!(is_month_word("Sept"));
        assert!(!is_month_word("Maer"));
    }

    #[test]
    fn parts_seasons_and_days() {
        assert_eq!(MonthPart::of_word("mitte"), Some(MonthPart::Middle));
        assert_eq!(MonthPart::Late.days(30), (21, 30));
        assert_eq!(Season::of_word("летом"), Some(Season::Summer));
        assert_eq!(Season::Winter.months(), ((0, 12), (1, 2)));
        assert_eq!(Season::from_edtf_code(23), Some(Season::Autumn));
        assert_eq!(ordinal_day("22nd"), Some(22));
        assert_eq!(ordinal_day("32"), None);
        assert_eq!(ordinal_day("3x"), None);
        assert!(is_weekday("Sonnabend"));
        assert!(is_weekday("Wed."));
        assert_eq!(roman_month("xii"), Some(12));
    }

    #[test]
    fn short_years() {
        assert_eq!(year_near(53, 1860), 1853);
        assert_eq!(year_near(5, 1898), 1905);
        assert_eq!(range_end_year(1924, "29"), Some(1929));
        assert_eq!(range_end_year(1898, "02"), Some(1902));
        assert_eq!(range_end_year(1898, "1902"), Some(1902));
        assert_eq!(range_end_year(1917, "8"), Some(1918));
        assert_eq!(range_end_year(1917, "x"), None);
    }
}
