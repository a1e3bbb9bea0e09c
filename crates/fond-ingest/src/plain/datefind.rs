//! Finding a date inside a line, in the conventions letter editions print
//! in English, German, French and Russian.
//!
//! `dates.rs` reads the two date forms of one edition family exactly; this
//! module is the general finder the plain-text letter reader uses on any
//! collection. It scans a line as tokens (numbers, words, a few symbols),
//! treats editorial brackets and braces as transparent (`February 14,
//! [1819]` is a day; `Sunday Morn{g.}` a weekday), and tries the printed
//! forms from the most to the least specific at each position:
//!
//! | form | example |
//! |---|---|
//! | day month year | `12 April 1871`, `26. Apr. 1774`, `d. 8. Jan. 77` |
//! | month day year | `April 12, 1871`, `Oct. 26,1853`, `June 14th [1856]` |
//! | numeric, day first | `3.1. 1893`, `10.1.1939` |
//! | Roman month | `29. XII. 1886` |
//! | a span of days | `March 18-28, 1875` |
//! | two months | `Sept, or Oct., 1861` |
//! | part of a month | `[Anfang September] 1890`, `early July 1927` |
//! | month year | `July, 1856`, `ca. Mai 1891` |
//! | season year | `summer of 1853` |
//! | day month (no year) | `Den 14. August`, `September 10` (year from context) |
//! | a year | `1778.` |
//!
//! A two-digit year (`'53`, `d. 6. März 76`) takes its century from the
//! collection (the century that puts it nearest the years the collection
//! prints in full), or from the edition profile; never a fixed century.
//! Calendar rules (Julian dates) are the edition profile's business, not
//! this finder's: dates come out Gregorian unless told otherwise.

use fond_model::{Day, HistDate, Precision, Qualifier};
use fond_text::date_words::{self, is_circa, is_weekday, roman_month, MonthPart, Season};

/// What the finder needs to know beyond the line itself.
#[derive(Debug, Clone, Default)]
pub struct DateContext {
    /// The year a date without one is taken to be in (the previous dated
    /// letter's), if any.
    pub default_year: Option<i32>,
    /// A full year near the collection's dates, to give two-digit years
    /// their century.
    pub reference_year: Option<i32>,
    /// The calendar to record (`gregorian` unless a profile says `julian`
    /// for this collection and period).
    pub calendar: Option<String>,
}

/// A date found in a line: the interval, where it was printed, and
/// whether the year was printed (rather than taken from context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub date: HistDate,
    /// Byte span of the date in the line.
    pub start: usize,
    pub end: usize,
    pub year_printed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// Digits, with how many there were, whether a `.` followed directly,
    /// and whether an apostrophe came before (`'53`).
    Num {
        v: u32,
        digits: usize,
        dot: bool,
        apostrophe: bool,
    },
    /// A word, lowercased, without a trailing dot, and whether a dot
    /// followed it (an abbreviation: `Febr.`).
    Word(String, bool),
    /// `-`, `–`, `—`, `/`, `,` and the like.
    Sym(char),
    /// `?` printed inside the date: uncertain.
    Query,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let b: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < b.len() {
        let (at, c) = b[i];
        if c.is_ascii_digit() {
            let mut j = i;
            let mut v: u64 = 0;
            while j < b.len() && b[j].1.is_ascii_digit() {
                v = (v * 10 + u64::from(b[j].1 as u32 - '0' as u32)).min(u64::from(u32::MAX));
                j += 1;
            }
            let digits = j - i;
            // Ordinal endings: 14th, 1st, 2nd, 3rd, 1er, 2e.
            let mut k = j;
            while k < b.len() && b[k].1.is_ascii_alphabetic() && k - j < 2 {
                k += 1;
            }
            let suffix: String = b[j..k].iter().map(|x| x.1.to_ascii_lowercase()).collect();
            if matches!(
                suffix.as_str(),
                "th" | "st" | "nd" | "rd" | "er" | "e" | "d"
            ) {
                j = k;
            }
            let dot = j < b.len() && b[j].1 == '.';
            let apostrophe = i > 0 && matches!(b[i - 1].1, '\'' | '’');
            let end = if dot {
                b[j].0 + 1
            } else {
                b.get(j).map_or(s.len(), |x| x.0)
            };
            out.push(Token {
                tok: Tok::Num {
                    v: v as u32,
                    digits,
                    dot,
                    apostrophe,
                },
                start: at,
                end,
            });
            i = if dot { j + 1 } else { j };
        } else if c.is_alphabetic() {
            let mut j = i;
            while j < b.len() && b[j].1.is_alphabetic() {
                j += 1;
            }
            let word: String = b[i..j].iter().flat_map(|x| x.1.to_lowercase()).collect();
            let dot = j < b.len() && b[j].1 == '.';
            let end = if dot {
                b[j].0 + 1
            } else {
                b.get(j).map_or(s.len(), |x| x.0)
            };
            out.push(Token {
                tok: Tok::Word(word, dot),
                start: at,
                end,
            });
            i = if dot { j + 1 } else { j };
        } else {
            match c {
                '?' => out.push(Token {
                    tok: Tok::Query,
                    start: at,
                    end: at + c.len_utf8(),
                }),
                '-' | '–' | '—' | '/' | ',' | '&' => out.push(Token {
                    tok: Tok::Sym(c),
                    start: at,
                    end: at + c.len_utf8(),
                }),
                // Brackets, braces, quotes, dots and spaces are transparent.
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// Finds the first date in `text`. `None` when there is none.
pub fn find(text: &str, ctx: &DateContext) -> Option<Found> {
    let toks = tokens(text);
    let mut best: Option<Found> = None;
    for i in 0..toks.len() {
        if let Some(f) = match_at(&toks, i, ctx) {
            // A date with its year printed wins over one without, however
            // early the latter stands ("Friday, Feb. 18 … 1819").
            if f.year_printed {
                return Some(finish(f, text));
            }
            if best.is_none() {
                best = Some(f);
            }
        }
    }
    best.map(|f| finish(f, text))
}

fn finish(mut f: Found, text: &str) -> Found {
    // A query just after the date (`[March 2, 1817?]`) makes it uncertain.
    let after =
        text[f.end..].trim_start_matches(|c: char| c == ']' || c == ')' || c.is_whitespace());
    if after.starts_with('?') && f.date.qualifier == Qualifier::Exact && f.date.earliest.is_some() {
        qualify(&mut f.date, true);
    }
    f.date.text = text[f.start..f.end].trim().to_string();
    f
}

/// The tokens from `i` on, skipping words that qualify the date without
/// changing it ("probably", "ca.") and noting uncertainty.
struct Cursor<'a> {
    toks: &'a [Token],
    i: usize,
    uncertain: bool,
}

impl Cursor<'_> {
    fn skip_noise(&mut self) {
        while let Some(t) = self.toks.get(self.i) {
            match &t.tok {
                Tok::Query => {
                    self.uncertain = true;
                    self.i += 1;
                }
                Tok::Word(w, _)
                    if is_circa(w) || w == "of" || w == "or" || w == "im" || w == "en" =>
                {
                    if is_circa(w) {
                        self.uncertain = true;
                    }
                    self.i += 1;
                }
                Tok::Word(w, _) if is_weekday(w) => self.i += 1,
                Tok::Sym(',') => self.i += 1,
                _ => break,
            }
        }
    }
    fn peek(&mut self) -> Option<&Tok> {
        self.skip_noise();
        self.toks.get(self.i).map(|t| &t.tok)
    }
    /// The date found from `start` to the cursor, qualified by what the
    /// cursor saw (`?`, `ca.`), its year printed.
    fn found(&self, mut h: HistDate, start: usize) -> Option<Found> {
        qualify(&mut h, self.uncertain);
        Some(Found {
            date: h,
            start,
            end: self.end(),
            year_printed: true,
        })
    }

    fn end(&self) -> usize {
        self.toks.get(self.i.saturating_sub(1)).map_or(0, |t| t.end)
    }
}

fn year_of(tok: &Tok, ctx: &DateContext, allow_short: bool) -> Option<(i32, bool)> {
    let Tok::Num {
        v,
        digits,
        apostrophe,
        ..
    } = *tok
    else {
        return None;
    };
    if digits == 4 && (1000..=2100).contains(&v) {
        return Some((v as i32, true));
    }
    if digits == 2 && (allow_short || apostrophe) {
        return Some((date_words::year_near(v as i32, ctx.reference_year?), true));
    }
    None
}

fn day_of(tok: &Tok) -> Option<u8> {
    match *tok {
        Tok::Num { v, digits, .. } if digits <= 2 && (1..=31).contains(&v) => Some(v as u8),
        _ => None,
    }
}

fn month_tok(tok: &Tok) -> Option<u8> {
    match tok {
        // A full name or a usual abbreviation stands alone; any other
        // shortening needs its dot (`Oktbr.`), so that a place such as
        // "Maer" is not read as March.
        Tok::Word(w, dot) => date_words::month(w).filter(|_| *dot || date_words::is_month_word(w)),
        _ => None,
    }
}

// Long: the date forms tried at one token, most specific first; the order
// is the rule, and it reads best as one list.
fn match_at(toks: &[Token], i: usize, ctx: &DateContext) -> Option<Found> {
    let start = toks[i].start;
    let mut c = Cursor {
        toks,
        i,
        uncertain: false,
    };
    // A qualifier before the date.
    let mut part = None;
    if let Tok::Word(w, _) = &toks[i].tok {
        if is_circa(w) {
            c.uncertain = true;
            c.i += 1;
        } else if let Some(p) = MonthPart::of_word(w) {
            part = Some(p);
            c.i += 1;
            // "mid-July", "Ende des Monats"
            if matches!(toks.get(c.i).map(|t| &t.tok), Some(Tok::Sym('-'))) {
                c.i += 1;
            }
        } else if let Some(season) = Season::of_word(w) {
            c.i += 1;
            let (y, _) = year_of(c.peek()?, ctx, true)?;
            c.i += 1;
            let ((_, first_month), (later, last_month)) = season.months();
            let first = Day::new(y, first_month, 1)?;
            let last = Day::last_of_month(y + later, last_month);
            let s = season.edtf_code();
            let mut d = interval(format!("{y}-{s}"), first, last, Precision::Season, ctx);
            qualify(&mut d, c.uncertain);
            return Some(Found {
                date: d,
                start,
                end: c.end(),
                year_printed: true,
            });
        }
    }
    let first = c.peek()?.clone();
    // Day first: 12 April 1871, 26. Apr. 1774, 3.1. 1893, 29. XII. 1886.
    if part.is_none() {
        if let Some(day) = day_of(&first) {
            let save = c.i;
            c.i += 1;
            if let Some(next) = c.peek().cloned() {
                let month = month_tok(&next).or_else(|| match (&first, &next) {
                    (
                        Tok::Num { dot: true, .. },
                        Tok::Num {
                            v,
                            digits,
                            dot: true,
                            ..
                        },
                    ) if *digits <= 2 && (1..=12).contains(v) => Some(*v as u8),
                    (Tok::Num { dot: true, .. }, Tok::Word(w, _)) => roman_month(w),
                    _ => None,
                });
                if let Some(month) = month {
                    c.i += 1;
                    // A span: "18-28 March" is rare; "12–15 July" handled by month-day.
                    let numeric = !matches!(next, Tok::Word(..)) || roman_month_word(&next);
                    let year = c
                        .peek()
                        .cloned()
                        .and_then(|t| year_of(&t, ctx, true).map(|y| (y, t)));
                    if let Some(((y, _), _)) = year {
                        c.i += 1;
                        let d = Day::new(y, month, day)?;
                        let h = interval(d.iso(), d, d, Precision::Day, ctx);
                        return c.found(h, start);
                    }
                    if !numeric {
                        return without_year(day, month, start, c.end(), c.uncertain, ctx);
                    }
                    return None;
                }
            }
            c.i = save;
        }
    }
    // Month first: April 12, 1871; March 18-28, 1875; Sept, or Oct., 1861;
    // July, 1856; Mai 1891.
    if let Some(month) = month_tok(&first) {
        c.i += 1;
        let next = c.peek().cloned();
        // Two months: "Sept. or Oct. 1861", "Juli/August 1890" — joined by
        // a word or a sign, never merely side by side.
        let joined = toks[c.i.saturating_sub(1)..c.i]
            .iter()
            .chain(toks.get(i + 1))
            .any(|t| matches!(&t.tok, Tok::Word(w, _) if matches!(w.as_str(), "or" | "oder" | "ou" | "und" | "and" | "bis" | "или")));
        if let Some(m2) = next
            .as_ref()
            .and_then(month_tok)
            .filter(|m2| *m2 > month && joined)
        {
            c.i += 1;
            if matches!(c.peek(), Some(Tok::Sym('-' | '–' | '/'))) {
                c.i += 1;
            }
            let (y, _) = year_of(c.peek()?, ctx, true)?;
            c.i += 1;
            let h = two_months(y, month, m2, ctx);
            return c.found(h, start);
        }
        if let Some(Tok::Sym('-' | '–' | '/')) = next {
            c.i += 1;
            while matches!(toks.get(c.i).map(|t| &t.tok), Some(Tok::Sym('-' | '–'))) {
                c.i += 1;
            }
            // A day left blank: "May--, 1862".
            if let Some((y, _)) = c.peek().cloned().and_then(|t| year_of(&t, ctx, false)) {
                c.i += 1;
                let h = month_interval(y, month, part, ctx);
                return c.found(h, start);
            }
            if let Some(m2) = c.peek().and_then(month_tok).filter(|m2| *m2 > month) {
                c.i += 1;
                let (y, _) = year_of(c.peek()?, ctx, true)?;
                c.i += 1;
                let h = two_months(y, month, m2, ctx);
                return c.found(h, start);
            }
            return None;
        }
        if let Some(t) = next.clone() {
            // Month year.
            if let Some((y, _)) = year_of(&t, ctx, false) {
                c.i += 1;
                let h = month_interval(y, month, part, ctx);
                return c.found(h, start);
            }
            if let Some(day) = day_of(&t).filter(|_| part.is_none()) {
                c.i += 1;
                // A span of days: "March 18-28, 1875"; alternatives:
                // "February 23 or 25, 1820" (the interval covers both).
                let mut day2 = None;
                let joiner = matches!(toks.get(c.i).map(|t| &t.tok), Some(Tok::Sym('-' | '–')))
                    || matches!(toks.get(c.i).map(|t| &t.tok), Some(Tok::Word(w, _)) if matches!(w.as_str(), "or" | "oder" | "ou" | "und" | "and" | "bis" | "to"));
                if joiner {
                    let save = c.i;
                    c.i += 1;
                    if let Some(d2) = toks
                        .get(c.i)
                        .and_then(|t| day_of(&t.tok))
                        .filter(|d2| *d2 > day)
                    {
                        day2 = Some(d2);
                        c.i += 1;
                    } else {
                        c.i = save;
                    }
                }
                // After month and day a year is printed in full, or with an
                // apostrophe ('53): a bare "25" is another day.
                if let Some(y) = c.peek().cloned().and_then(|t| year_of(&t, ctx, false)) {
                    c.i += 1;
                    let d = Day::new(y.0, month, day)?;
                    let h = match day2 {
                        Some(d2) => {
                            let e = Day::new(y.0, month, d2)?;
                            interval(
                                format!("{}/{}", d.iso(), e.iso()),
                                d,
                                e,
                                Precision::Range,
                                ctx,
                            )
                        }
                        None => interval(d.iso(), d, d, Precision::Day, ctx),
                    };
                    return c.found(h, start);
                }
                return without_year(day, month, start, c.end(), c.uncertain, ctx);
            }
        }
        return None;
    }
    // A year alone (four digits in a plausible range).
    if part.is_none() {
        if let Tok::Num { v, digits: 4, .. } = first {
            if (1000..=2100).contains(&v) {
                c.i += 1;
                let y = v as i32;
                let h = interval(
                    format!("{y}"),
                    Day::first_of_month(y, 1),
                    Day::last_of_month(y, 12),
                    Precision::Year,
                    ctx,
                );
                return c.found(h, start);
            }
        }
    }
    None
}

fn roman_month_word(t: &Tok) -> bool {
    matches!(t, Tok::Word(w, _) if roman_month(w).is_some() && date_words::month(w).is_none())
}

fn without_year(
    day: u8,
    month: u8,
    start: usize,
    end: usize,
    uncertain: bool,
    ctx: &DateContext,
) -> Option<Found> {
    if day > Day::days_in_month(2000, month) {
        return None;
    }
    let mut h = match ctx.default_year.and_then(|y| Day::new(y, month, day)) {
        Some(d) => interval(d.iso(), d, d, Precision::Day, ctx),
        None => {
            let mut u = HistDate::undetermined("");
            u.edtf = format!("XXXX-{month:02}-{day:02}");
            u
        }
    };
    qualify(&mut h, uncertain);
    Some(Found {
        date: h,
        start,
        end,
        year_printed: false,
    })
}

fn two_months(y: i32, month: u8, m2: u8, ctx: &DateContext) -> HistDate {
    interval(
        format!("{y}-{month:02}/{y}-{m2:02}"),
        Day::first_of_month(y, month),
        Day::last_of_month(y, m2),
        Precision::Range,
        ctx,
    )
}

fn month_interval(y: i32, month: u8, part: Option<MonthPart>, ctx: &DateContext) -> HistDate {
    match part {
        None => interval(
            format!("{y}-{month:02}"),
            Day::first_of_month(y, month),
            Day::last_of_month(y, month),
            Precision::Month,
            ctx,
        ),
        Some(p) => {
            let (a, b) = p.days(Day::days_in_month(y, month));
            let first = Day::first_of_month(y, month);
            let a = Day { day: a, ..first };
            let b = Day { day: b, ..first };
            interval(
                format!("{}/{}", a.iso(), b.iso()),
                a,
                b,
                Precision::PartOfMonth,
                ctx,
            )
        }
    }
}

fn interval(
    edtf: String,
    first: Day,
    last: Day,
    precision: Precision,
    ctx: &DateContext,
) -> HistDate {
    HistDate {
        text: String::new(),
        edtf,
        earliest: Some(first),
        latest: Some(last),
        precision,
        qualifier: Qualifier::Exact,
        calendar: ctx.calendar.clone().unwrap_or_else(|| "gregorian".into()),
    }
}

fn qualify(h: &mut HistDate, uncertain: bool) {
    if uncertain && h.earliest.is_some() {
        h.qualifier = Qualifier::Approximate;
        h.edtf = h
            .edtf
            .split('/')
            .map(|p| format!("{p}?"))
            .collect::<Vec<_>>()
            .join("/");
    }
}

/// How much of a line a found date and its usual company (a place, a
/// weekday, `den`, `am`, `le`) make up: a dateline is almost nothing
/// else. Returns the number of words outside the date that are neither.
pub fn words_besides(line: &str, f: &Found) -> usize {
    const COMPANY: [&str; 26] = [
        "den", "d", "am", "le", "the", "on", "of", "in", "at", "bei", "im", "morning", "evening",
        "night", "noon", "morn", "abend", "abends", "morgen", "morgens", "mittag", "nachts",
        "soir", "matin", "g", "postmark",
    ];
    let outside = format!("{} {}", &line[..f.start], &line[f.end..]);
    outside
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            let lw = w.to_lowercase();
            let company = is_weekday(&lw)
                || is_circa(&lw)
                || COMPANY.contains(&lw.as_str())
                || lw == "date"
                || lw == "dated";
            // Capitalised words are the place; lower-case ones are prose.
            !company && !w.chars().next().is_some_and(char::is_uppercase)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> DateContext {
        DateContext {
            default_year: None,
            reference_year: Some(1800),
            calendar: None,
        }
    }

    fn edtf(s: &str) -> String {
        find(s, &ctx()).map(|f| f.date.edtf).unwrap_or_default()
    }

    #[test]
    fn the_forms_editions_print() {
        assert_eq!(edtf("12 April 1871"), "1871-04-12");
        assert_eq!(edtf("April 12, 1871"), "1871-04-12");
        assert_eq!(edtf("London, March 18-28, 1875"), "1875-03-18/1875-03-28");
        assert_eq!(edtf("29. XII. 1886"), "1886-12-29");
        assert_eq!(edtf("3.1. 1893"), "1893-01-03");
        assert_eq!(edtf("ca. Mai 1891"), "1891-05?");
        assert_eq!(edtf("[Anfang September] 1890"), "1890-09-01/1890-09-10");
        assert_eq!(edtf("1778."), "1778");
        assert_eq!(edtf("Feb. 23, 1817."), "1817-02-23");
        assert_eq!(edtf("Sunday Morn{g.} February 14, [1819]."), "1819-02-14");
        assert_eq!(
            edtf("[London,] Sunday Evening [March 2, 1817?].[10]"),
            "1817-03-02?"
        );
        assert_eq!(edtf("Am 26. Apr. 1774."), "1774-04-26");
        assert_eq!(edtf("d. 6. März 76. Weimar."), "1776-03-06");
        assert_eq!(edtf("Thun d. 8. Oktbr. 79."), "1779-10-08");
        assert_eq!(edtf("Down, June 14th [1856]."), "1856-06-14");
        assert_eq!(edtf("PHILADELPHIA, PA. Oct. 26,1853."), "1853-10-26");
        assert_eq!(
            edtf("(Date not given, but Sept, or Oct., 1861.)"),
            "1861-09/1861-10"
        );
        assert_eq!(edtf("summer of 1853"), "1853-22");
        assert_eq!(edtf("Sep. 28th 1860."), "1860-09-28");
        assert_eq!(edtf("10.1.1939"), "1939-01-10");
        assert_eq!(edtf("[February 23 or 25, 1820.]"), "1820-02-23/1820-02-25");
        assert_eq!(edtf("Genf den 2. Nvbr. 1779."), "1779-11-02");
        assert_eq!(edtf("ESMERALDA, Sunday, May--, 1862."), "1862-05");
    }

    #[test]
    fn no_date_no_answer() {
        assert_eq!(edtf("Tuesday Morning."), "");
        assert_eq!(edtf("I went to see him about it"), "");
        assert_eq!(edtf("May I ask you"), "");
    }

    #[test]
    fn a_date_without_a_year_takes_the_context_year() {
        let c = DateContext {
            default_year: Some(1817),
            ..ctx()
        };
        let f = find("Den 14. August.", &c).unwrap();
        assert_eq!(f.date.edtf, "1817-08-14");
        assert!(!f.year_printed);
    }

    #[test]
    fn two_digit_years_take_the_collections_century() {
        let c = DateContext {
            reference_year: Some(1860),
            ..ctx()
        };
        assert_eq!(
            find("NEW YORK..., Oct. Saturday '53.", &c).map(|f| f.date.edtf),
            Some("1853-10".into())
        );
    }
}
