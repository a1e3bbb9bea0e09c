//! Reading a glossary biography: offices with their dates, the year of
//! joining the party, and fates.
//!
//! The glossary writes offices as short sentences: `Politburo member,
//! 1924–29.`, `Chairman of Supreme Economic Council, 1926–30.`, `Central
//! Committee candidate member, 1927.`, `Chairman of … from 1929.`, several
//! offices sharing one date (`Chairman of the Central Control Commission;
//! commissar of Worker-Peasant Inspection; deputy chairman of Council of
//! Commissars and Labor Defense Council, January to November 1926.`). A
//! single date means the office was assumed then (the glossary's preamble
//! says so); the end stays open.

use crate::bodies::{Body, BodyId};
use crate::person::{Fate, Office, OfficeSource, Point};
use fond_text::date_words::{self, MonthPart, Season};
use regex::Regex;
use std::sync::LazyLock;

/// A date word of the glossary: a day and month, a part of a year or a
/// season, or "the end/beginning of", before a year.
static DATE_WORD: LazyLock<String> = LazyLock::new(|| {
    let m = date_words::english_months_alternation();
    format!(
        r"(?:(?:\d{{1,2}} )?(?:{m}) |(?:early|late|mid|autumn|spring|summer|winter) |the (?:end|beginning) of )?\d{{4}}"
    )
});

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    let m = date_words::english_months_alternation();
    let d = DATE_WORD.as_str();
    let alternatives = [
        r"(?P<y1>\d{4})\s*[–-]\s*(?P<y2>\d{2,4})(?:\s+and\s+(?P<y3>\d{4})\s*[–-]\s*(?P<y4>\d{2,4}))?".to_string(),
        format!(r"(?P<m1>{m})\s+to\s+(?P<m2>{m})\s+(?P<ym>\d{{4}})"),
        format!(r"(?P<a>{d})\s+to\s+(?P<b>{d})"),
        format!(r"from\s+(?P<from>{d})"),
        format!(r"(?:prior\s+to|until)\s+(?P<until>{d})"),
        format!(r"(?P<single>{d})"),
    ];
    Regex::new(&format!(
        r"(?:,\s*|\s+)(?:{})\s*\.?\s*$",
        alternatives.join("|")
    ))
    .expect("static regex")
});

static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let d = DATE_WORD.as_str();
    Regex::new(&format!(r"^(?:From|In) (?P<d>{d}),?\s+")).expect("static regex")
});

static POINT: LazyLock<Regex> = LazyLock::new(|| {
    let m = date_words::english_months_alternation();
    Regex::new(&format!(r"^(?:(?P<day>\d{{1,2}}) )?(?:(?P<month>{m}) |(?P<part>early|late|mid|autumn|spring|summer|winter) |the (?P<edge>end|beginning) of )?(?P<year>\d{{4}})$"))
        .expect("static regex")
});

static PARTY: LazyLock<Regex> = LazyLock::new(|| {
    let m = date_words::english_months_alternation();
    Regex::new(&format!(r"(?:Party member from|Joined Bolshevik party,|Member of Russian Social Democratic Workers' Party from) (?:(?P<month>{m}) )?(?P<year>\d{{4}})"))
        .expect("static regex")
});

/// The month an approximate point stands at for a part of a year: a
/// season's middle month (the seasons are the shared ones, so winter 1925
/// is about January 1926), or about February, July and November for
/// "early", "mid" and "late".
fn part_of_year(word: &str) -> Option<(i32, u8)> {
    if let Some(season) = Season::of_word(word) {
        return Some(season.middle_month());
    }
    Some(match MonthPart::of_word(word)? {
        MonthPart::Early => (0, 2),
        MonthPart::Middle => (0, 7),
        MonthPart::Late => (0, 11),
    })
}

fn parse_point(s: &str) -> Option<Point> {
    let c = POINT.captures(s.trim())?;
    let year: i32 = c.name("year")?.as_str().parse().ok()?;
    let mut p = Point::year(year);
    if let Some(m) = c.name("month") {
        p.month = fond_text::english_month(m.as_str());
        p.day = c.name("day").and_then(|d| d.as_str().parse().ok());
    }
    if let Some(part) = c.name("part") {
        let (later, month) = part_of_year(part.as_str())?;
        p = Point::year(year + later);
        p.approximate = true;
        p.month = Some(month);
    }
    if let Some(edge) = c.name("edge") {
        p.approximate = true;
        p.month = Some(if edge.as_str() == "end" { 12 } else { 1 });
    }
    Some(p)
}

/// A date span found at the end of a clause.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    from: Option<Point>,
    to: Option<Point>,
    assumed_only: bool,
}

/// Splits the date off the end of a clause: the rest and the spans (two
/// for `1924–25 and 1928–39`).
fn split_date(clause: &str) -> (String, Vec<Span>) {
    let Some(c) = RANGE.captures(clause) else {
        return (clause.trim_end_matches('.').trim().to_string(), Vec::new());
    };
    let Some(whole) = c.get(0) else {
        return (clause.to_string(), Vec::new());
    };
    let rest = clause[..whole.start()].trim().to_string();
    let mut spans = Vec::new();
    if let (Some(y1), Some(y2)) = (c.name("y1"), c.name("y2")) {
        for (a, b) in [(Some(y1), Some(y2)), (c.name("y3"), c.name("y4"))] {
            let (Some(a), Some(b)) = (a, b) else { continue };
            let Ok(a) = a.as_str().parse::<i32>() else {
                continue;
            };
            let Some(b) = date_words::range_end_year(a, b.as_str()) else {
                continue;
            };
            spans.push(Span {
                from: Some(Point::year(a)),
                to: Some(Point::year(b)),
                assumed_only: false,
            });
        }
    } else if let (Some(m1), Some(m2), Some(y)) = (c.name("m1"), c.name("m2"), c.name("ym")) {
        let year: i32 = y.as_str().parse().unwrap_or(0);
        let mut a = Point::year(year);
        a.month = fond_text::english_month(m1.as_str());
        let mut b = Point::year(year);
        b.month = fond_text::english_month(m2.as_str());
        spans.push(Span {
            from: Some(a),
            to: Some(b),
            assumed_only: false,
        });
    } else if let (Some(a), Some(b)) = (c.name("a"), c.name("b")) {
        spans.push(Span {
            from: parse_point(a.as_str()),
            to: parse_point(b.as_str()),
            assumed_only: false,
        });
    } else if let Some(f) = c.name("from") {
        spans.push(Span {
            from: parse_point(f.as_str()),
            to: None,
            assumed_only: false,
        });
    } else if let Some(u) = c.name("until") {
        spans.push(Span {
            from: None,
            to: parse_point(u.as_str()),
            assumed_only: false,
        });
    } else if let Some(s) = c.name("single") {
        spans.push(Span {
            from: parse_point(s.as_str()),
            to: None,
            assumed_only: true,
        });
    }
    spans.retain(|s| s.from.is_some() || s.to.is_some());
    (rest, spans)
}

/// Roles, longest first so that `deputy chairman` wins over `chairman`.
const ROLES: &[&str] = &[
    "first deputy chairman",
    "deputy chairman",
    "assistant chairman",
    "co-chairman",
    "vice-chairman",
    "chairman",
    "candidate member",
    "presidium member",
    "collegium member",
    "board member",
    "bureau member",
    "editorial staff member",
    "staff member",
    "member",
    "general secretary",
    "secretary general",
    "first secretary",
    "second secretary",
    "executive secretary",
    "secretary",
    "deputy head",
    "department head",
    "head",
    "deputy commissar",
    "assistant commissar",
    "commissar",
    "deputy editor",
    "editor in chief",
    "editor",
    "deputy director",
    "assistant director",
    "director",
    "chief",
    "high official",
    "official",
    "representative",
    "inspector",
    "investigator",
    "executive instructor",
    "instructor",
    "deputy business manager",
    "business manager",
    "trade representative",
    "ambassador",
    "chief arbitrator",
    "procurator",
    "advisor",
    "commissioner",
    "rector",
];

/// Words before a body name that say which republic or region's body it
/// is, or that it is the all-Union one.
const ALL_UNION: &[&str] = &["USSR", "All-Union", "Soviet", "Party", "Communist"];

/// What qualifies a body from behind and still means the all-Union one.
const ALL_UNION_AFTER: &[&str] = &[
    "of All-Union Communist Party",
    "of the All-Union Communist Party",
    "of Russian Communist Party",
    "of USSR",
    "of the USSR",
    "of Council of Commissars",
    "of the Central Committee",
    "of Central Committee",
];

/// Reads offices from biographies; built once from the body table.
#[derive(Debug, Clone)]
pub struct OfficeReader {
    /// (lower-case name, body), longest first.
    names: Vec<(String, BodyId)>,
    /// (lower-case portfolio, commissariat), longest first.
    portfolios: Vec<(String, BodyId)>,
}

#[derive(Debug, Clone)]
struct Found {
    start: usize,
    end: usize,
    body: BodyId,
    /// The role is built into the match (`commissar of finance`).
    role: Option<String>,
}

impl OfficeReader {
    pub fn new(bodies: &[Body]) -> OfficeReader {
        let mut names = Vec::new();
        let mut portfolios = Vec::new();
        for b in bodies {
            for n in std::iter::once(&b.name)
                .chain(&b.aliases)
                .chain(&b.office_only)
                .chain(
                    b.abbreviations
                        .iter()
                        .filter(|a| a.len() > 2 && a.is_ascii()),
                )
            {
                if n.starts_with("the ") {
                    continue;
                }
                names.push((n.to_lowercase(), b.id.clone()));
            }
            for p in &b.portfolio {
                portfolios.push((p.to_lowercase(), b.id.clone()));
            }
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        portfolios.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        OfficeReader { names, portfolios }
    }

    /// Body names in a clause, longest match first, no overlaps; a body
    /// name directly followed by a narrower one (`Central Committee
    /// Orgburo`) yields the narrower one only.
    fn find_bodies(&self, clause: &str) -> Vec<Found> {
        let lower = clause.to_lowercase();
        let mut taken = vec![false; lower.len()];
        let mut found: Vec<Found> = Vec::new();
        // Commissariats first: `commissar of finance`, `Commissariat of
        // Foreign Affairs`.
        for key in [
            "deputy commissar of ",
            "assistant commissar of ",
            "commissar of ",
            "commissariat of ",
        ] {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(key) {
                let s = from + pos;
                from = s + key.len();
                if taken[s] || !boundary_before(&lower, s) {
                    continue;
                }
                let after = &lower[s + key.len()..];
                let after = after.strip_prefix("the ").unwrap_or(after);
                let skip = lower.len() - s - key.len() - after.len();
                for (p, id) in &self.portfolios {
                    if after.starts_with(p.as_str()) && boundary_after(after, p.len()) {
                        let end = s + key.len() + skip + p.len();
                        taken[s..end].iter_mut().for_each(|t| *t = true);
                        let role = key.trim_end_matches(" of ").to_string();
                        found.push(Found {
                            start: s,
                            end,
                            body: id.clone(),
                            role: (role != "commissariat").then_some(role),
                        });
                        break;
                    }
                }
            }
        }
        for (n, id) in &self.names {
            let mut from = 0;
            while let Some(pos) = lower[from..].find(n.as_str()) {
                let s = from + pos;
                let e = s + n.len();
                from = s + 1;
                if taken[s..e].iter().any(|t| *t) {
                    continue;
                }
                if !boundary_before(&lower, s) || !boundary_after(&lower[s..], n.len()) {
                    continue;
                }
                taken[s..e].iter_mut().for_each(|t| *t = true);
                found.push(Found {
                    start: s,
                    end: e,
                    body: id.clone(),
                    role: None,
                });
            }
        }
        found.sort_by_key(|f| f.start);
        // `Central Committee Orgburo`: keep the narrower body.
        let mut out: Vec<Found> = Vec::new();
        for f in found {
            if let Some(last) = out.last() {
                if clause[last.end..f.start].trim().is_empty() && last.role.is_none() {
                    let start = last.start;
                    out.pop();
                    out.push(Found { start, ..f });
                    continue;
                }
            }
            out.push(f);
        }
        out
    }

    /// Reads every office of a biography.
    pub fn read(&self, biography: &str) -> Vec<Office> {
        let mut out = Vec::new();
        for sentence in sentences(biography) {
            let (sentence_rest, sentence_spans) = split_date(&sentence);
            let clauses: Vec<&str> = sentence_rest.split("; ").collect();
            let n = clauses.len();
            for (i, clause) in clauses.iter().enumerate() {
                let (mut rest, mut spans) = if i + 1 == n {
                    (clause.to_string(), sentence_spans.clone())
                } else {
                    split_date(clause)
                };
                let mut shared = false;
                if spans.is_empty() && i + 1 < n && !sentence_spans.is_empty() {
                    spans = sentence_spans.clone();
                    shared = true;
                }
                if let Some(c) = LEADING_DATE.captures(&rest) {
                    if let (Some(d), Some(all)) = (c.name("d"), c.get(0)) {
                        if spans.is_empty() {
                            spans.push(Span {
                                from: parse_point(d.as_str()),
                                to: None,
                                assumed_only: false,
                            });
                        }
                        rest = rest[all.end()..].to_string();
                    }
                }
                out.extend(self.offices_in_clause(&rest, &spans, shared, &sentence));
            }
        }
        out
    }

    fn offices_in_clause(
        &self,
        clause: &str,
        spans: &[Span],
        shared: bool,
        sentence: &str,
    ) -> Vec<Office> {
        let clause = clause
            .trim()
            .trim_start_matches("Also ")
            .trim_start_matches("Simultaneously, ")
            .trim_start_matches("Simultaneously ")
            .trim_start_matches("Subsequently ");
        let found = self.find_bodies(clause);
        let mut offices = Vec::new();
        let mut prev_role: Option<String> = None;
        let mut prev_end = 0usize;
        for f in &found {
            let before = &clause[prev_end.min(f.start)..f.start];
            let after = &clause[f.end..];
            // A possessive body (`Gosplan's railway transport department`)
            // names a unit inside it, not the body.
            if after.starts_with("'s ") || after.starts_with("’s ") {
                prev_end = f.end;
                continue;
            }
            let (pre_role, jurisdiction_before) = role_before(before);
            let post_role = role_after(after);
            let joined = {
                let t = before.trim();
                t == "and" || t == "," || t.is_empty()
            };
            let role = f.role.clone().or(post_role).or(pre_role).or_else(|| {
                if joined {
                    prev_role.clone()
                } else {
                    None
                }
            });
            let jurisdiction = jurisdiction_before.or_else(|| qualifier_after(after));
            let body_text = match &jurisdiction {
                Some(j) if !clause[..f.start].trim_end().ends_with(j.as_str()) => format!(
                    "{} {}",
                    &clause[f.start..f.end],
                    after_qualifier_text(after)
                )
                .trim()
                .to_string(),
                Some(j) => format!("{j} {}", &clause[f.start..f.end]),
                None => clause[f.start..f.end].to_string(),
            };
            prev_role = role.clone();
            prev_end = f.end;
            let body = match &jurisdiction {
                Some(_) => None,
                None => Some(f.body.clone()),
            };
            let spans_or_none: Vec<Option<&Span>> = if spans.is_empty() {
                vec![None]
            } else {
                spans.iter().map(Some).collect()
            };
            for s in spans_or_none {
                offices.push(Office {
                    body: body.clone(),
                    body_text: body_text.clone(),
                    jurisdiction: jurisdiction.clone(),
                    role: role.clone(),
                    from: s.and_then(|s| s.from),
                    to: s.and_then(|s| s.to),
                    assumed_only: s.is_some_and(|s| s.assumed_only),
                    date_shared: shared,
                    text: sentence.trim().to_string(),
                    source: OfficeSource::Glossary,
                });
            }
        }
        offices
    }
}

fn boundary_before(s: &str, i: usize) -> bool {
    i == 0
        || !s[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '-')
}

fn boundary_after(s: &str, len: usize) -> bool {
    !s[len..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '-')
}

/// The role a body name is preceded by (`Deputy chairman of`, `Member of
/// USSR`), and the republic or region qualifying it.
fn role_before(before: &str) -> (Option<String>, Option<String>) {
    let mut t = before.trim_end().to_string();
    // Qualifier words directly before the body: capitalised words that
    // are not roles (`Azerbaidzhan`, `RSFSR`, `Leningrad Regional`).
    let mut qual: Vec<String> = Vec::new();
    while let Some(last) = t.rsplit(' ').next().map(str::to_string) {
        let is_cap = last.chars().next().is_some_and(char::is_uppercase);
        let is_role_word = ROLES.iter().any(|r| r.eq_ignore_ascii_case(&last));
        if is_cap && !is_role_word && !last.is_empty() && last != "Also" {
            qual.insert(0, last.clone());
            t.truncate(t.len() - last.len());
            t = t.trim_end().to_string();
        } else {
            break;
        }
    }
    let qual: Vec<String> = qual
        .into_iter()
        .filter(|w| !ALL_UNION.contains(&w.as_str()))
        .collect();
    let jurisdiction = (!qual.is_empty()).then(|| qual.join(" "));
    let t = t.trim_end();
    let t = t
        .strip_suffix(" of the")
        .or_else(|| t.strip_suffix(" of"))
        .or_else(|| t.strip_suffix(" at"))
        .or_else(|| t.strip_suffix(" for"))
        .or_else(|| t.strip_suffix(" in"))
        .unwrap_or(t);
    let lower = t.to_lowercase();
    // The role ends the text before the body (`deputy chairman of`), or
    // the role names a unit inside it (`head of organization department
    // of`).
    for r in ROLES {
        if lower.ends_with(r) && boundary_before(&lower, lower.len() - r.len()) {
            return (Some(r.to_string()), jurisdiction);
        }
    }
    let mut role_unit: Option<String> = None;
    for r in ROLES {
        if let Some(pos) = lower.rfind(&format!("{r} of ")) {
            if boundary_before(&lower, pos) {
                let unit = &lower[pos + r.len() + 4..];
                if !unit.is_empty()
                    && unit
                        .chars()
                        .all(|c| c.is_lowercase() || c == ' ' || c == '-')
                {
                    let candidate = match (*r, unit) {
                        ("member", "collegium") => "collegium member".to_string(),
                        ("member", "presidium") => "presidium member".to_string(),
                        ("member", "board") => "board member".to_string(),
                        _ => format!("{r} of {unit}"),
                    };
                    if role_unit.as_ref().is_none_or(|c| c.len() < candidate.len()) {
                        role_unit = Some(candidate);
                    }
                }
            }
        }
    }
    (role_unit, jurisdiction)
}

/// `Politburo member`, `Central Committee candidate member`, `Gosplan
/// presidium`.
fn role_after(after: &str) -> Option<String> {
    let a = after.trim_start().to_lowercase();
    let a = a.trim_start_matches(',').trim_start();
    for r in ROLES {
        if a.starts_with(r) && boundary_after(a, r.len()) {
            return Some(r.to_string());
        }
    }
    for (w, r) in [
        ("presidium", "presidium member"),
        ("collegium", "collegium member"),
        ("secretariat", "secretariat member"),
    ] {
        if a.starts_with(w) && boundary_after(a, w.len()) {
            return Some(r.to_string());
        }
    }
    None
}

/// `Central Committee of Rail Workers' Union`: the organisation after
/// "of" when it is not the all-Union party or state.
fn qualifier_after(after: &str) -> Option<String> {
    let a = after.trim_start();
    if !a.starts_with("of ") {
        return None;
    }
    if ALL_UNION_AFTER.iter().any(|p| a.starts_with(p)) {
        return None;
    }
    let q = after_qualifier_text(a);
    let q = q.trim_start_matches("of ").trim();
    q.chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then(|| q.to_string())
}

/// The capitalised phrase after `of` up to a comma, `and` + lower case or
/// the end.
fn after_qualifier_text(after: &str) -> String {
    let a = after.trim_start();
    let Some(rest) = a.strip_prefix("of ") else {
        return String::new();
    };
    let mut words = Vec::new();
    for w in rest.split(' ') {
        let clean = w.trim_end_matches([',', '.', ';']);
        let cap = clean
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '(');
        if !cap && !(!words.is_empty() && (clean == "of" || clean == "and")) {
            break;
        }
        words.push(clean.to_string());
        if w.ends_with(',') || w.ends_with(';') {
            break;
        }
    }
    while words.last().is_some_and(|w| w == "of" || w == "and") {
        words.pop();
    }
    if words.is_empty() {
        String::new()
    } else {
        format!("of {}", words.join(" "))
    }
}

/// Splits a biography into sentences at `. ` before a capital, not after
/// an initial (`V. I. Lenin`) or a short abbreviation.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'.' && i + 2 < b.len() && b[i + 1] == b' ' {
            let next = text[i + 2..].chars().next();
            let word_start = text[..i].rfind([' ', '(']).map(|p| p + 1).unwrap_or(0);
            let word = &text[word_start..i];
            let is_initial = word.len() <= 2
                && word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().all(char::is_alphabetic);
            if next.is_some_and(|c| c.is_uppercase() || c == '(') && !is_initial {
                out.push(text[start..=i].trim().to_string());
                start = i + 2;
            }
        }
        i += 1;
    }
    if start < text.len() {
        let last = text[start..].trim();
        if !last.is_empty() {
            out.push(last.to_string());
        }
    }
    out
}

/// The year (and month) of joining the party.
pub fn party_member_from(biography: &str) -> Option<Point> {
    let c = PARTY.captures(biography)?;
    let mut p = Point::year(c.name("year")?.as_str().parse().ok()?);
    p.month = c
        .name("month")
        .and_then(|m| fond_text::english_month(m.as_str()));
    Some(p)
}

static FATE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})").expect("static regex"));

/// Fates the biography states.
pub fn fates(biography: &str) -> Vec<Fate> {
    let mut out = Vec::new();
    for s in sentences(biography) {
        let l = s.to_lowercase();
        let year = FATE_YEAR
            .captures_iter(&s)
            .last()
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse().ok());
        if l.starts_with("repressed") {
            out.push(Fate::Repressed);
        }
        if l.contains("executed") || l.contains("sentenced to death") {
            out.push(Fate::Executed { year });
        }
        if l.contains("committed suicide") {
            out.push(Fate::Suicide);
        }
        if l.starts_with("assassinated") {
            out.push(Fate::Assassinated);
        }
        if l.starts_with("arrested") {
            out.push(Fate::Arrested { year });
        }
        if l.contains("exonerated") {
            out.push(Fate::Exonerated { year });
        }
        if l.contains("car accident") {
            out.push(Fate::DiedAccident);
        }
        if l.starts_with("emigré") || l.starts_with("emigre") || l.contains("emigrated after") {
            out.push(Fate::Emigrated { year });
        }
        if l.contains("expelled from russia")
            || l.contains("expelled from ussr")
            || l.starts_with("deported")
        {
            out.push(Fate::Expelled { year });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodies::builtin_bodies;

    fn reader() -> OfficeReader {
        OfficeReader::new(&builtin_bodies())
    }

    fn brief(o: &Office) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            o.body
                .as_ref()
                .map(|b| b.0.as_str())
                .unwrap_or(&o.body_text),
            o.role.as_deref().unwrap_or("-"),
            o.from.map(|p| p.to_string()).unwrap_or_default(),
            o.to.map(|p| p.to_string()).unwrap_or_default(),
            if o.assumed_only { "assumed" } else { "" }
        )
    }

    fn read(s: &str) -> Vec<String> {
        reader().read(s).iter().map(brief).collect()
    }

    #[test]
    fn ranges_single_dates_and_from() {
        assert_eq!(
            read("Politburo member, 1924–29."),
            vec!["politburo|member|1924|1929|"]
        );
        assert_eq!(
            read("Central Committee candidate member, 1927."),
            vec!["central-committee|candidate member|1927||assumed"]
        );
        assert_eq!(
            read("Chairman of Central Committee of Rail Workers’ Union from 1929."),
            vec!["Central Committee of Rail Workers’ Union|chairman|1929||"]
        );
        assert_eq!(
            read("Candidate member of politburo, 1926–29."),
            vec!["politburo|candidate member|1926|1929|"]
        );
        assert_eq!(
            read("Central Committee secretary, 1924–25 and 1928–39."),
            vec![
                "central-committee|secretary|1924|1925|",
                "central-committee|secretary|1928|1939|"
            ]
        );
    }

    #[test]
    fn shared_dates_and_joined_bodies() {
        let got = read("Chairman of the Central Control Commission; commissar of Worker-Peasant Inspection; deputy chairman of Council of Commissars and Labor Defense Council, January to November 1926.");
        assert_eq!(
            got,
            vec![
                "ccc|chairman|1926-01|1926-11|",
                "rabkrin|commissar|1926-01|1926-11|",
                "sovnarkom|deputy chairman|1926-01|1926-11|",
                "sto|deputy chairman|1926-01|1926-11|",
            ]
        );
    }

    #[test]
    fn commissariats_and_jurisdictions() {
        assert_eq!(
            read("Commissar of finance, 1930–37."),
            vec!["commissariat-finance|commissar|1930|1937|"]
        );
        assert_eq!(
            read("RSFSR commissar of finance, 1929–37."),
            vec!["RSFSR commissar of finance|commissar|1929|1937|"],
            "a republic's commissariat is not the Union's"
        );
        assert_eq!(
            read("Secretary of Azerbaidzhan Central Committee, 1924."),
            vec!["Azerbaidzhan Central Committee|secretary|1924||assumed"]
        );
        assert_eq!(
            read("Member of USSR Central Executive Committee, 1922–27."),
            vec!["cec|member|1922|1927|"]
        );
        assert_eq!(
            read("Secretary general of Comintern Executive Committee, 1935."),
            vec!["ecci|secretary general|1935||assumed"]
        );
        assert_eq!(
            read("Member of collegium of Commissariat of Transport."),
            vec!["commissariat-transport|collegium member|||"]
        );
        assert_eq!(
            read("Head of Gosplan's railway transport department, 1931."),
            Vec::<String>::new()
        );
        assert_eq!(
            read("Central Committee secretary; member of Central Committee Orgburo, 1925–27."),
            vec![
                "central-committee|secretary|1925|1927|",
                "orgburo|member|1925|1927|"
            ]
        );
    }

    #[test]
    fn months_and_leading_dates() {
        assert_eq!(
            read("Secretary of Abkhazian Regional Party Committee, February 1928 to May 1929."),
            Vec::<String>::new()
        );
        assert_eq!(
            read("Central Committee secretary, April 1929 to February 1934."),
            vec!["central-committee|secretary|1929-04|1934-02|"]
        );
        assert_eq!(
            read("From the end of 1921, assistant chairman of Council of Commissars and Labor Defense Council."),
            vec!["sovnarkom|assistant chairman|1921-12||", "sto|assistant chairman|1921-12||"]
        );
    }

    #[test]
    fn sentences_keep_initials() {
        assert_eq!(
            sentences("Wife of V. M. Molotov. Party member from 1918."),
            vec!["Wife of V. M. Molotov.", "Party member from 1918."]
        );
    }

    #[test]
    fn party_year_and_fates() {
        assert_eq!(
            party_member_from("Party member from April 1917.").map(|p| (p.year, p.month)),
            Some((1917, Some(4)))
        );
        assert_eq!(
            party_member_from("Joined Bolshevik party, 1915.").map(|p| p.year),
            Some(1915)
        );
        assert_eq!(fates("Repressed."), vec![Fate::Repressed]);
        assert_eq!(
            fates("Sentenced to death and executed by firing squad, 1956."),
            vec![Fate::Executed { year: Some(1956) }]
        );
        assert_eq!(
            fates("Emigré, 1918."),
            vec![Fate::Emigrated { year: Some(1918) }]
        );
        assert_eq!(
            fates("Expelled from USSR in 1922."),
            vec![Fate::Expelled { year: Some(1922) }]
        );
        assert_eq!(fates("Committed suicide."), vec![Fate::Suicide]);
    }
}
