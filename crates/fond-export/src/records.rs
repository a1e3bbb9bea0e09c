//! The authority file as an export writes it: people, bodies and
//! periodicals reduced to what the TEI personography and the tables
//! carry, built from the model's records (`fond_model::authority`) by
//! `From`. Mentions are the model's own [`Mention`]s.

use fond_model::authority::{Body, LifeYear, Periodical, Person, Point};
use serde::Serialize;
use std::fmt;

/// A year of birth or death as printed (`1937?`, `?`, `1890/91`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifeDate {
    /// `None` when printed as `?`.
    pub year: Option<i32>,
    /// Further possible years (`1891` of `1890/91`).
    pub alternatives: Vec<i32>,
    /// Printed with a question mark, or one of several years.
    pub uncertain: bool,
    pub printed: String,
}

/// A date as precise as the text gives it (`1926`, `1926-07`,
/// `1926-07-23`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl fmt::Display for PartialDate {
    /// ISO 8601 at the date's precision, which is also a valid TEI
    /// `@when`/`@from` (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A month or day out of range would make an invalid attribute;
        // fall back to the coarser precision rather than write it.
        match (self.month, self.day) {
            (Some(m @ 1..=12), Some(d @ 1..=31)) => {
                write!(f, "{:04}-{:02}-{:02}", self.year, m, d)
            }
            (Some(m @ 1..=12), _) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// An office held: body, role, from, to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeEntry {
    /// The body's id in the authority file, when it is one of its bodies.
    pub body: Option<String>,
    /// The body as the text names it.
    pub body_text: String,
    pub role: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// The text gives the dates only roughly ("early 1930").
    pub approximate: bool,
}

/// A person of the authority file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonEntry {
    /// Stable id (`bukharin-n-i`); becomes the `xml:id` the documents
    /// point to.
    pub id: String,
    /// The name as printed (`Ordzhonikidze, G. K.`).
    pub name: String,
    pub surname: String,
    pub forenames: Option<String>,
    /// Other names: real name, pseudonyms, nicknames, other spellings.
    pub variants: Vec<String>,
    pub born: Option<LifeDate>,
    pub died: Option<LifeDate>,
    /// Expelled, arrested, executed or died in the camps, as the glossary
    /// says.
    pub repressed: bool,
    pub offices: Vec<OfficeEntry>,
    /// The glossary's biography, as printed.
    pub biography: Option<String>,
}

/// A body (institution) of the authority file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgEntry {
    pub id: String,
    pub name: String,
    /// `party`, `state`, `security`, … as the authority file classes it.
    pub kind: String,
    pub parent: Option<String>,
    /// Other names and abbreviations, Latin and Cyrillic.
    pub variants: Vec<String>,
}

/// A newspaper or journal of the authority file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodicalEntry {
    pub id: String,
    pub title: String,
    /// The English gloss the edition gives.
    pub translation: Option<String>,
    pub variants: Vec<String>,
}

/// Sheets as the Russian convention prints them (`l. 5`, `ll. 8-23`).
pub(crate) fn sheets_text(s: &fond_model::Sheets) -> String {
    match s {
        fond_model::Sheets::Single { sheet } => format!("l. {sheet}"),
        fond_model::Sheets::List { items } => format!("ll. {}", items.join(", ")),
        fond_model::Sheets::Range { from, to } => format!("ll. {from}-{to}"),
    }
}

impl From<&LifeYear> for LifeDate {
    fn from(y: &LifeYear) -> LifeDate {
        LifeDate {
            year: y.year,
            alternatives: y.alternatives.clone(),
            uncertain: y.uncertain,
            printed: y.printed.clone(),
        }
    }
}

impl From<&Point> for PartialDate {
    fn from(p: &Point) -> PartialDate {
        PartialDate {
            year: p.year,
            month: p.month,
            day: p.day,
        }
    }
}

impl From<&Person> for PersonEntry {
    /// Variants are the real name, pseudonyms, other names and aliases,
    /// each once, never the name itself.
    fn from(p: &Person) -> PersonEntry {
        let mut variants: Vec<String> = Vec::new();
        for n in p
            .real_name
            .iter()
            .chain(&p.pseudonyms)
            .chain(&p.other_names)
            .chain(p.aliases.iter().map(|a| &a.name))
        {
            if !variants.contains(n) && n != &p.name {
                variants.push(n.clone());
            }
        }
        PersonEntry {
            id: p.id.0.clone(),
            name: p.name.clone(),
            surname: p.surname.clone(),
            forenames: p.forenames.clone(),
            variants,
            born: p.born.as_ref().map(LifeDate::from),
            died: p.died.as_ref().map(LifeDate::from),
            repressed: p.repressed(),
            offices: p
                .offices
                .iter()
                .map(|o| OfficeEntry {
                    body: o.body.as_ref().map(|b| b.0.clone()),
                    body_text: o.body_text.clone(),
                    role: o.role.clone(),
                    from: o.from.as_ref().map(PartialDate::from),
                    to: o.to.as_ref().map(PartialDate::from),
                    approximate: o.from.is_some_and(|p| p.approximate)
                        || o.to.is_some_and(|p| p.approximate),
                })
                .collect(),
            biography: p.biography.clone(),
        }
    }
}

impl From<&Body> for OrgEntry {
    fn from(b: &Body) -> OrgEntry {
        // The kind as the model writes it (`party`, `trade-union`).
        let kind = serde_json::to_value(b.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        OrgEntry {
            id: b.id.0.clone(),
            name: b.name.clone(),
            kind,
            parent: b.parent.as_ref().map(|p| p.0.clone()),
            variants: b
                .aliases
                .iter()
                .chain(&b.abbreviations)
                .chain(&b.russian)
                .cloned()
                .collect(),
        }
    }
}

impl From<&Periodical> for PeriodicalEntry {
    fn from(p: &Periodical) -> PeriodicalEntry {
        PeriodicalEntry {
            id: p.id.0.clone(),
            title: p.title.clone(),
            translation: p.translation.clone(),
            variants: p.aliases.iter().chain(&p.russian).cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_never_write_an_invalid_value() {
        let d = |year, month, day| PartialDate { year, month, day }.to_string();
        assert_eq!(d(1926, Some(7), Some(3)), "1926-07-03");
        assert_eq!(d(1926, Some(7), None), "1926-07");
        assert_eq!(d(1926, Some(13), Some(3)), "1926");
        assert_eq!(d(930, None, None), "0930");
    }
}
