//! Reading the book's back-of-book Index: its headings, which of them name
//! people, and its cross-references.
//!
//! An index line is `- Heading, pages` or `- Heading: sub-entry, pages;
//! …`; after a page break the list marker is lost and the line starts
//! with a space. A line continues the previous one when that one ended in
//! `;`, `,` or `:` (a long entry broken over lines). The index ends at the
//! first line that is neither (the facsimile pages' captions).
//!
//! A heading names a person when it is `Surname, Forenames` — one
//! capitalised word, a comma, then one to four initials or capitalised
//! words — (`Bukharin, N. I.`, `Eastman, Max`, `Romanov, Great Prince
//! Mikhail`), or a Chinese name without a comma (a capitalised syllable
//! then a hyphenated one: `Chiang Kai-shek`, `T'ang Shen-chih`). Two kinds
//! of heading the rule misreads are listed by hand: places written `Place,
//! Country` (`Baku, Azerbaijan`, `Hankow, China`), and people without a
//! comma that are not Chinese-style (`Van Min`; glossary names such as
//! `Kasumov Mir Bashir Fattakh ogly` are recognised by the caller).

use crate::AuthorityError;
use fond_text::glossary::section_start;
use regex::Regex;
use std::sync::LazyLock;

static PERSON_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\p{L}'’-]+, (?:(?:[A-Z][a-z]?\.|[A-Z][\p{Ll}'’-]+)\s*){1,4}$")
        .expect("static regex")
});
static CHINESE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\p{Ll}]*(?:['’][\p{Ll}]+)? [A-Z][\p{Ll}]+-[\p{Ll}]+$")
        .expect("static regex")
});

/// Second halves of `Place, Country` headings.
const PLACES: &[&str] = &["China", "Azerbaijan"];
/// People whose headings have no comma and are not Chinese-style.
const PEOPLE_WITHOUT_COMMA: &[&str] = &["Van Min"];

/// One heading of the Index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The heading as printed, markup removed (`Bukharin, N. I.`).
    pub text: String,
    /// 1-based line in the book.
    pub line: u32,
    /// The target of a `See` reference (`Klim. See Voroshilov, K. Ye.`).
    pub see: Option<String>,
    /// The rest of the line after the heading (pages, sub-entries).
    pub rest: String,
    pub kind: HeadingKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingKind {
    Person,
    /// A cross-reference from another name of a person (`Koba. See
    /// Stalin, Josef`).
    PersonAlias,
    Other,
}

/// Is this heading text a person's name by the rule above?
pub fn is_person_name(h: &str) -> bool {
    if h.contains('*') {
        return false;
    }
    if PEOPLE_WITHOUT_COMMA.contains(&h) {
        return true;
    }
    if PERSON_HEADING.is_match(h) {
        let after = h.split_once(", ").map(|x| x.1).unwrap_or("");
        return !PLACES.contains(&after.trim());
    }
    CHINESE_NAME.is_match(h)
}

/// Splits an index line into heading, `See` target and the rest.
fn split_heading(entry: &str) -> (String, Option<String>, String) {
    let e = entry.trim();
    let e = e.replace("(*continued*)", "");
    let e = e.trim();
    // `Klim. *See* Voroshilov, K. Ye.`
    for see in [". *See* ", ". See "] {
        if let Some((h, t)) = e.split_once(see) {
            // Not `…, 104n3. See also …` at the end of a long entry.
            if !h.contains([':', ';']) && !h.chars().any(|c| c.is_ascii_digit()) {
                return (clean(h), Some(clean(t)), String::new());
            }
        }
    }
    let bytes = e.as_bytes();
    let mut cut = e.len();
    for (i, c) in e.char_indices() {
        if c == ':' || c == ';' {
            cut = i;
            break;
        }
        if c == ',' && bytes.get(i + 1) == Some(&b' ') {
            let next = e[i + 2..].chars().next();
            if next.is_some_and(|n| n.is_ascii_digit()) {
                cut = i;
                break;
            }
        }
    }
    (
        clean(&e[..cut]),
        None,
        e[cut..].trim_start_matches([',', ':', ' ']).to_string(),
    )
}

/// Markup and trailing punctuation off; the full stop of a final initial
/// (`Molotov, V. M.`) stays.
fn clean(s: &str) -> String {
    let s = s.replace("<sup>", "").replace("</sup>", "");
    let mut s = s.trim().trim_end_matches(',').trim_end().to_string();
    if s.ends_with('.') {
        let last = s[..s.len() - 1].rsplit([' ', ',']).next().unwrap_or("");
        if last.chars().count() > 2 {
            s.pop();
        }
    }
    s
}

/// Every heading of the Index, in order, continuation lines skipped.
pub fn headings(book: &str) -> Result<Vec<Heading>, AuthorityError> {
    let lines: Vec<&str> = book.lines().collect();
    let start = section_start(&lines, "Index")
        .ok_or(AuthorityError::MissingSection { section: "Index" })?;
    let mut out: Vec<Heading> = Vec::new();
    let mut continues = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if !(line.starts_with("- ") || line.starts_with(' ') || line.starts_with('*')) {
            break;
        }
        let entry = t.strip_prefix("- ").unwrap_or(t);
        let was_continuing = continues;
        continues = entry.ends_with([';', ',', ':']);
        if was_continuing || entry.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let (text, see, rest) = split_heading(entry);
        if text.is_empty() {
            continue;
        }
        let kind = match &see {
            Some(target) if is_person_name(target) && !text.contains(' ') => {
                HeadingKind::PersonAlias
            }
            Some(target) if is_person_name(target) && is_person_name(&text) => {
                HeadingKind::PersonAlias
            }
            Some(_) => HeadingKind::Other,
            None if is_person_name(&text) => HeadingKind::Person,
            None => HeadingKind::Other,
        };
        // `Bukharin, N. I. (continued)` repeats a heading.
        if out.iter().any(|h| h.text == text && h.kind == kind) {
            continue;
        }
        out.push(Heading {
            text,
            line: i as u32 + 1,
            see,
            rest,
            kind,
        });
    }
    if out.is_empty() {
        return Err(AuthorityError::EmptySection { section: "Index" });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_headings_by_rule() {
        for p in [
            "Bukharin, N. I.",
            "Eastman, Max",
            "Romanov, Great Prince Mikhail",
            "Chiang Kai-shek",
            "T'ang Shen-chih",
            "Kviring, Ye. I.",
            "Ter-Vaganian, V. A.",
            "Van Min",
        ] {
            assert!(is_person_name(p), "{p}");
        }
        for o in [
            "Baku, Azerbaijan",
            "Hankow, China",
            "Finance, Commissariat of",
            "Agriculture",
            "Anti-Party Counterrevolutionary Group",
            "Syrtsov-Lominadze affair",
            "Cotton Industry, Chief Administration of",
        ] {
            assert!(!is_person_name(o), "{o}");
        }
    }

    #[test]
    fn lines_continuations_and_see() {
        let book = "# Index\n\n- Absenteeism, 220\n- Bukharin, N. I., 7–8, 34,\n\n- Bukharin, N. I. (*continued*)  \n 168, 173; Politburo, membership in,\n 66, 182\n- Dzerzhinskii, F. Ye.: industrial construction, role in, 95; Politburo, membership in,\n\n- 116; Supreme Economic Council\n- Klim. *See* Voroshilov, K. Ye.\n Koba. *See* Stalin, Josef\n*Izvestiia*, 215\nMolotov and Stalin\n- Ignored, 1\n";
        let h = headings(book).unwrap();
        let texts: Vec<(&str, HeadingKind)> = h.iter().map(|h| (h.text.as_str(), h.kind)).collect();
        assert_eq!(
            texts,
            vec![
                ("Absenteeism", HeadingKind::Other),
                ("Bukharin, N. I.", HeadingKind::Person),
                ("Dzerzhinskii, F. Ye.", HeadingKind::Person),
                ("Klim", HeadingKind::PersonAlias),
                ("Koba", HeadingKind::PersonAlias),
                ("*Izvestiia*", HeadingKind::Other),
            ]
        );
        assert_eq!(h[3].see.as_deref(), Some("Voroshilov, K. Ye."));
    }
}
