//! Reading the book's Glossary of Names.
//!
//! Entries come in two markups: `**Name** (dates). text` in the first half
//! and `- Name** (dates). text` in the second (the conversion lost the
//! opening asterisks and made a list item). A page break splits an entry:
//! its continuation is a line of its own, often with a list marker
//! (`- tionary Military Council …`, `- Economic Council, 1930–31. …`), but
//! it never carries the `**` that closes an entry's name — that is the
//! rule that tells entries from continuations. Cross-reference entries
//! (`- Nikolai.** See Bukharin, N. I.`, `Koba.** Nickname for Stalin.`)
//! become aliases.

use crate::offices::{fates, party_member_from, OfficeReader};
use crate::person::{LifeYear, Origin, Person, PersonId};
use crate::AuthorityError;
use regex::Regex;
use std::sync::LazyLock;

static DATES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<born>\d{4}(?:/\d{2,4})?\s*\??|\?)?\s*[–-]\s*(?P<died>\d{4}(?:/\d{2,4})?\s*\??|\?)?\s*$")
        .expect("static regex")
});
static INITIALS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^,\s*((?:[A-Z][a-z]?\.\s*)+)").expect("static regex"));

pub use fond_text::glossary::RawEntry;

/// What an entry says.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Person(Box<Person>),
    /// `Grisha.** See Zinoviev, G. Ye.` / `Koba.** Nickname for Stalin.`
    Alias {
        alias: String,
        target: String,
        line: u32,
        text: String,
    },
}

/// The glossary's entries, continuation lines joined to the entry they
/// continue (the rule is `fond_text::glossary`'s, shared with the book
/// reader's salutation names).
pub fn raw_entries(book: &str) -> Result<Vec<RawEntry>, AuthorityError> {
    let lines: Vec<&str> = book.lines().collect();
    let out = fond_text::glossary::entries(&lines, GLOSSARY)
        .ok_or(AuthorityError::MissingSection { section: GLOSSARY })?;
    if out.is_empty() {
        return Err(AuthorityError::EmptySection { section: GLOSSARY });
    }
    Ok(out)
}

/// The section's title in the book.
const GLOSSARY: &str = "Glossary of Names";

/// Splits a leading balanced parenthesis off `s`: (content, rest).
fn take_paren(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if !s.starts_with('(') {
        return None;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s[1..i], &s[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// What a parenthesis in a name says.
enum NameNote {
    RealName(String),
    Pseudonym(String),
    Other(String),
    Dates(Option<LifeYear>, Option<LifeYear>),
}

fn read_paren(content: &str) -> NameNote {
    let c = content.replace('*', "");
    let c = c.trim();
    if let Some(d) = DATES.captures(c) {
        return NameNote::Dates(
            d.name("born").and_then(|m| LifeYear::parse(m.as_str())),
            d.name("died").and_then(|m| LifeYear::parse(m.as_str())),
        );
    }
    let lower = c.to_lowercase();
    for p in ["real name:", "real name"] {
        if lower.starts_with(p) {
            return NameNote::RealName(c[p.len()..].trim().to_string());
        }
    }
    for p in ["party pseudonym:", "pseudonym:"] {
        if lower.starts_with(p) {
            return NameNote::Pseudonym(c[p.len()..].trim().to_string());
        }
    }
    NameNote::Other(c.to_string())
}

/// Initials of forenames as printed: `G. Ye.` → `G`, `Ye`; `Jan E.` → `J`,
/// `E`; titles and lower-case particles (`Sir`, `ogly`) are skipped.
pub fn initials_of(forenames: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in forenames.split([' ', '.']).filter(|w| !w.is_empty()) {
        if w == "Sir" || !w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let is_initial = w.chars().count() <= 2 && w.chars().all(char::is_alphabetic);
        if is_initial {
            out.push(w.to_string());
        } else if let Some(f) = w.chars().next() {
            out.push(f.to_string());
        }
    }
    out
}

/// Full forenames among printed forenames (`Jan E.` → `Jan`).
fn full_forenames(forenames: &str) -> Vec<String> {
    forenames
        .split(' ')
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| {
            w.chars().count() > 2 && w.chars().next().is_some_and(char::is_uppercase) && *w != "Sir"
        })
        .map(str::to_string)
        .collect()
}

/// Splits a printed name into surname and forenames: `Bukharin, N. I.`;
/// without a comma the first word is the surname (`Chiang Kai-shek`,
/// `Kasumov Mir Bashir Fattakh ogly`).
pub fn split_name(name: &str) -> (String, Option<String>) {
    if let Some((s, f)) = name.split_once(',') {
        let f = f.trim();
        return (s.trim().to_string(), (!f.is_empty()).then(|| f.to_string()));
    }
    match name.split_once(' ') {
        Some((s, f)) => (s.trim().to_string(), Some(f.trim().to_string())),
        None => (name.trim().to_string(), None),
    }
}

/// Reads one entry.
pub fn read_entry(raw: &RawEntry, offices: &OfficeReader) -> Option<Entry> {
    let (name_part, rest) = raw.text.split_once("**")?;
    let rest = rest.replace("**", "");
    let mut real_name = None;
    let mut pseudonyms = Vec::new();
    let mut other_names = Vec::new();
    let mut born = None;
    let mut died = None;
    // Parentheses inside the bold name (`Amas (real name: Amirbekov), A. S.`).
    let mut name = String::new();
    let mut s = name_part.trim();
    while let Some(open) = s.find('(') {
        name.push_str(&s[..open]);
        let Some((content, after)) = take_paren(&s[open..]) else {
            break;
        };
        match read_paren(content) {
            NameNote::RealName(r) => real_name = Some(r),
            NameNote::Pseudonym(p) => pseudonyms.push(p),
            NameNote::Other(o) => other_names.push(o),
            NameNote::Dates(b, d) => {
                born = b;
                died = d;
            }
        }
        s = after;
    }
    name.push_str(s);
    let mut name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    name = name.replace(" ,", ",").trim().to_string();
    // `Kovalev.`, `Eastman, Max.`: the full stop closes the bold name; an
    // initial's stays (`Bukharin, N. I.`).
    if name.ends_with('.') {
        let last = name[..name.len() - 1]
            .rsplit([' ', ','])
            .next()
            .unwrap_or("");
        if last.chars().count() > 2 {
            name.pop();
        }
    }
    // Parentheses after the name: real name, pseudonym, life dates.
    let mut rest: &str = rest.trim_start();
    while let Some((content, after)) = take_paren(rest) {
        match read_paren(content) {
            NameNote::RealName(r) => real_name = Some(r),
            NameNote::Pseudonym(p) => pseudonyms.push(p),
            NameNote::Other(o) => other_names.push(o),
            NameNote::Dates(b, d) => {
                born = b;
                died = d;
            }
        }
        rest = after.trim_start();
    }
    // `Lukashin** (real name: Srapionian), S. L. First secretary …`: the
    // initials come after the parenthesis.
    if let Some(c) = INITIALS_AFTER.captures(rest) {
        if let (Some(all), Some(ini)) = (c.get(0), c.get(1)) {
            name = format!("{name}, {}", ini.as_str().trim());
            rest = &rest[all.end()..];
        }
    }
    let biography = rest
        .trim_start_matches(['.', ' '])
        .replace('*', "")
        .trim()
        .to_string();
    let line = raw.line;
    if let Some(target) = biography.strip_prefix("See ") {
        return Some(Entry::Alias {
            alias: name,
            target: target.trim().trim_end_matches('.').to_string(),
            line,
            text: raw.text.replace('*', ""),
        });
    }
    if let Some(target) = biography.strip_prefix("Nickname for ") {
        return Some(Entry::Alias {
            alias: name,
            target: target.trim().trim_end_matches('.').to_string(),
            line,
            text: raw.text.replace('*', ""),
        });
    }
    let (surname, forenames) = split_name(&name);
    let initials = forenames.as_deref().map(initials_of).unwrap_or_default();
    let known_forenames = forenames.as_deref().map(full_forenames).unwrap_or_default();
    let id_parts: Vec<&str> = std::iter::once(surname.as_str())
        .chain(initials.iter().map(String::as_str))
        .collect();
    let biography = (!biography.is_empty()).then_some(biography);
    let bio = biography.as_deref().unwrap_or("");
    Some(Entry::Person(Box::new(Person {
        id: PersonId(fond_text::slug_any_script(&id_parts)),
        name: name.clone(),
        surname,
        forenames,
        initials,
        known_forenames,
        patronymic: None,
        real_name,
        pseudonyms,
        other_names,
        born,
        died,
        party_member_from: party_member_from(bio),
        offices: offices.read(bio),
        fates: fates(bio),
        biography,
        aliases: Vec::new(),
        origin: Origin::Glossary { line },
        evidence: Vec::new(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bodies::builtin_bodies;
    use crate::person::Fate;
    use fond_text::glossary::is_entry_line;

    fn entry(text: &str) -> Entry {
        let r = OfficeReader::new(&builtin_bodies());
        read_entry(
            &RawEntry {
                line: 1,
                text: text.to_string(),
            },
            &r,
        )
        .unwrap()
    }

    fn person(text: &str) -> Person {
        match entry(text) {
            Entry::Person(p) => *p,
            Entry::Alias { .. } => panic!("alias: {text}"),
        }
    }

    #[test]
    fn both_markups_and_continuations() {
        let book = "## Glossary of Names\n\nThe term *repressed* …\n\n**Bukharin, N. I.** (1888–1938). Party member from 1906.\n\n- Chernov, M. A.** (1891–1938). Chairman of Committee on Procurement of Agricultural Products and\n\n- member of USSR Commissariat of Trade, 1930. Repressed.\n- Unshlikht, I. S.** (1879–1938). Deputy chairman of Revolu-\n\n- tionary Military Council, 1925–30.\n\n# Index\n";
        let e = raw_entries(book).unwrap();
        assert_eq!(e.len(), 3);
        assert!(e[1]
            .text
            .ends_with("Products and member of USSR Commissariat of Trade, 1930. Repressed."));
        assert!(e[2].text.contains("Revolutionary Military Council"));
        assert!(is_entry_line("- Nikolai.** See Bukharin, N. I."));
        assert!(!is_entry_line(
            "- Economic Council, 1930–31. RSFSR commissar."
        ));
        assert!(matches!(
            raw_entries("no glossary"),
            Err(AuthorityError::MissingSection { .. })
        ));
    }

    #[test]
    fn names_dates_and_pseudonyms() {
        let p = person("Ordzhonikidze, G. K.** (Party pseudonym: *Sergo*) (1886–1937). Party member from 1903. Committed suicide.");
        assert_eq!(p.id.0, "ordzhonikidze-g-k");
        assert_eq!(p.pseudonyms, vec!["Sergo"]);
        assert_eq!(p.fates, vec![Fate::Suicide]);
        let p =
            person("Amas (real name: Amirbekov), A. S.** (1904–1937?). Party member from 1917.");
        assert_eq!(
            (p.surname.as_str(), p.real_name.as_deref()),
            ("Amas", Some("Amirbekov"))
        );
        assert_eq!(
            p.died.as_ref().map(|d| (d.year, d.uncertain)),
            Some((Some(1937), true))
        );
        let p = person("Lukashin** (real name: Srapionian), S. L. First secretary of Central Committee of Armenian Communist Party, 1921.");
        assert_eq!(p.name, "Lukashin, S. L.");
        assert!(p
            .biography
            .as_deref()
            .is_some_and(|b| b.starts_with("First secretary")));
        let p = person("Warski, A.** (real name: **A. Warszawski**) (1868–1937). Participated.");
        assert_eq!(p.real_name.as_deref(), Some("A. Warszawski"));
        let p = person("Popov, N. N.** (1890/91–1938). Party member from 1919.");
        assert_eq!(
            p.born.as_ref().map(|b| b.alternatives.clone()),
            Some(vec![1891])
        );
        let p = person("Yurovskii, L. N.** (1884– ?). Chief of Currency Administration.");
        assert_eq!(
            p.died.as_ref().map(|d| (d.year, d.uncertain)),
            Some((None, true))
        );
        let p = person("Kasumov Mir Bashir Fattakh ogly** (1876–1949). Party member from 1910.");
        assert_eq!(p.surname, "Kasumov");
        let p = person("Togliatti (pseudonym: Ercoli), Palmiro** (1893–1964). General secretary.");
        assert_eq!(
            (p.name.as_str(), p.pseudonyms.clone()),
            ("Togliatti, Palmiro", vec!["Ercoli".to_string()])
        );
        assert_eq!(p.known_forenames, vec!["Palmiro"]);
    }

    #[test]
    fn cross_references() {
        match entry("Grisha.** See Zinoviev, G. Ye.") {
            Entry::Alias { alias, target, .. } => assert_eq!(
                (alias.as_str(), target.as_str()),
                ("Grisha", "Zinoviev, G. Ye")
            ),
            e => panic!("{e:?}"),
        }
        match entry("Koba.** Nickname for Stalin.") {
            Entry::Alias { target, .. } => assert_eq!(target, "Stalin"),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn initials() {
        assert_eq!(initials_of("G. Ye."), vec!["G", "Ye"]);
        assert_eq!(initials_of("Jan E."), vec!["J", "E"]);
        assert_eq!(initials_of("Sir Henri"), vec!["H"]);
        assert_eq!(initials_of("Rukhulla Ali ogly"), vec!["R", "A"]);
    }
}
