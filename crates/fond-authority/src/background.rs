//! Reading the Introduction's "Institutional Background to the Letters":
//! who sat on the Politburo when, and the forenames it pairs with
//! surnames ("Viacheslav Molotov").
//!
//! The section states memberships in a few sentence shapes, read here:
//! a roster (`In 1925 full members of the Politburo were A, B, and C`; `In
//! 1930 the Politburo consisted of …`), a promotion (`in January 1926
//! Viacheslav Molotov was promoted to full member`), a demotion (`Kamenev
//! demoted to candidate member`), a joining (`Klim Voroshilov also became
//! a member at this time`) and a removal (`Rykov was removed at the end of
//! 1930`). A roster is a complete list of the body's full members at some
//! time in its year.

use crate::offices::sentences;
use crate::AuthorityError;
use fond_text::glossary::section_start;
use regex::Regex;
use std::sync::LazyLock;

static MONTHS: LazyLock<String> = LazyLock::new(fond_text::date_words::english_months_alternation);

static ROSTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^In (?P<year>\d{4}) (?:full members of the (?P<b1>[A-Z][\w-]+) were|the (?P<b2>[A-Z][\w-]+) consisted of) (?P<list>[^;.]+)")
        .expect("static regex")
});
static PROMOTED: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS.as_str();
    Regex::new(&format!(r"in (?P<month>{months}) (?P<year>\d{{4}}) (?P<name>[A-Z]\w+(?: [A-Z]\w+)?) was promoted to full member"))
        .expect("static regex")
});
static DEMOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<name>[A-Z]\w+(?: [A-Z]\w+)?) demoted to candidate member")
        .expect("static regex")
});
static JOINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<name>[A-Z]\w+(?: [A-Z]\w+)?) also became a member at this time")
        .expect("static regex")
});
static REMOVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<name>[A-Z]\w+(?: [A-Z]\w+)?) was removed at the end of (?P<year>\d{4})")
        .expect("static regex")
});
static FULL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b").expect("static regex")
});

/// A change of membership the section states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Full member from this month on.
    Joined {
        name: String,
        year: i32,
        month: Option<u8>,
    },
    /// Full member until this month, candidate member from it.
    Demoted {
        name: String,
        year: i32,
        month: Option<u8>,
    },
    /// Full member until about this month.
    Removed {
        name: String,
        year: i32,
        month: Option<u8>,
    },
}

/// The complete list of a body's full members at some time in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterText {
    pub body: String,
    pub year: i32,
    /// Names as printed (`Joseph Stalin`, `Voroshilov`).
    pub names: Vec<String>,
    pub text: String,
}

/// What the section says about memberships.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Background {
    pub rosters: Vec<RosterText>,
    /// (body, change, sentence).
    pub changes: Vec<(String, Change, String)>,
    /// Forename–surname pairs (`Lev Kamenev`).
    pub full_names: Vec<(String, String)>,
    /// The section's text, for evidence.
    pub text: String,
}

fn month_of(s: &str) -> Option<u8> {
    fond_text::english_month(s)
}

/// `Joseph Stalin, Lev Kamenev, and Nikolai Bukharin` → names.
fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_start_matches("and ").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Reads the section.
pub fn read(book: &str) -> Result<Background, AuthorityError> {
    let lines: Vec<&str> = book.lines().collect();
    let start = section_start(&lines, "Institutional Background to the Letters").ok_or(
        AuthorityError::MissingSection {
            section: "Institutional Background to the Letters",
        },
    )?;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in &lines[start..] {
        if line.starts_with('#') {
            break;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line.trim());
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let mut bg = Background {
        text: paragraphs.join("\n\n"),
        ..Background::default()
    };
    for p in &paragraphs {
        let mut body: Option<String> = None;
        let mut when: Option<(i32, Option<u8>)> = None;
        for s in sentences(p) {
            for c in FULL_NAME.captures_iter(&s) {
                bg.full_names.push((c[1].to_string(), c[2].to_string()));
            }
            if let Some(c) = ROSTER.captures(&s) {
                let b = c
                    .name("b1")
                    .or(c.name("b2"))
                    .map(|m| m.as_str().to_string());
                let year: i32 = c["year"].parse().unwrap_or(0);
                if let Some(b) = &b {
                    bg.rosters.push(RosterText {
                        body: b.clone(),
                        year,
                        names: split_list(&c["list"]),
                        text: s.clone(),
                    });
                }
                body = b;
            }
            let Some(b) = body.clone() else { continue };
            if let Some(c) = PROMOTED.captures(&s) {
                let y: i32 = c["year"].parse().unwrap_or(0);
                let m = month_of(&c["month"]);
                when = Some((y, m));
                bg.changes.push((
                    b.clone(),
                    Change::Joined {
                        name: c["name"].to_string(),
                        year: y,
                        month: m,
                    },
                    s.clone(),
                ));
            }
            if let (Some(c), Some((y, m))) = (DEMOTED.captures(&s), when) {
                bg.changes.push((
                    b.clone(),
                    Change::Demoted {
                        name: c["name"].to_string(),
                        year: y,
                        month: m,
                    },
                    s.clone(),
                ));
            }
            if let (Some(c), Some((y, m))) = (JOINED.captures(&s), when) {
                bg.changes.push((
                    b.clone(),
                    Change::Joined {
                        name: c["name"].to_string(),
                        year: y,
                        month: m,
                    },
                    s.clone(),
                ));
            }
            if let Some(c) = REMOVED.captures(&s) {
                let y: i32 = c["year"].parse().unwrap_or(0);
                bg.changes.push((
                    b.clone(),
                    Change::Removed {
                        name: c["name"].to_string(),
                        year: y,
                        month: Some(12),
                    },
                    s.clone(),
                ));
            }
        }
    }
    Ok(bg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "## Institutional Background to the Letters\n\nIn 1925 full members of the Politburo were Joseph Stalin, Lev Kamenev, and Nikolai Bukharin; in January 1926 Viacheslav Molotov was promoted to full member and Kamenev demoted to candidate member (Klim Voroshilov also became a member at this time).\n\nIn 1930 the Politburo consisted of Stalin, Voroshilov, and Rykov. Rykov was removed at the end of 1930.\n\n# 1925\n";

    #[test]
    fn rosters_and_changes() {
        let bg = read(TEXT).unwrap();
        assert_eq!(bg.rosters.len(), 2);
        assert_eq!(
            bg.rosters[0].names,
            vec!["Joseph Stalin", "Lev Kamenev", "Nikolai Bukharin"]
        );
        assert_eq!(bg.rosters[1].names, vec!["Stalin", "Voroshilov", "Rykov"]);
        let changes: Vec<&Change> = bg.changes.iter().map(|c| &c.1).collect();
        assert_eq!(
            changes,
            vec![
                &Change::Joined {
                    name: "Viacheslav Molotov".into(),
                    year: 1926,
                    month: Some(1)
                },
                &Change::Demoted {
                    name: "Kamenev".into(),
                    year: 1926,
                    month: Some(1)
                },
                &Change::Joined {
                    name: "Klim Voroshilov".into(),
                    year: 1926,
                    month: Some(1)
                },
                &Change::Removed {
                    name: "Rykov".into(),
                    year: 1930,
                    month: Some(12)
                },
            ]
        );
        assert!(bg
            .full_names
            .contains(&("Viacheslav".into(), "Molotov".into())));
    }
}
