//! People: the record, life dates with their uncertainty, offices, fates.

use crate::bodies::BodyId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable id of a person: a slug of surname and initials as the glossary
/// prints them (`bukharin-n-i`, `kamenev-s-s`), so two people of one
/// surname never share an id and ids do not depend on reading order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub String);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A birth or death year as printed: `1937?` (uncertain), `?` (unknown),
/// `1890/91` (one of two years).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeYear {
    /// The year, `None` when printed as `?`.
    pub year: Option<i32>,
    /// Printed with a question mark (or as `?` alone).
    pub uncertain: bool,
    /// Further possible years (`1891` of `1890/91`).
    pub alternatives: Vec<i32>,
    /// The text as printed.
    pub printed: String,
}

impl LifeYear {
    /// Reads `1937`, `1937?`, `1937 ?`, `?`, `1890/91`, `1890/1891`.
    pub fn parse(s: &str) -> Option<LifeYear> {
        let printed = s.trim().to_string();
        let t = printed.trim_end_matches('?').trim();
        let question = printed.ends_with('?');
        if t.is_empty() {
            return question.then(|| LifeYear {
                year: None,
                uncertain: true,
                alternatives: Vec::new(),
                printed: printed.clone(),
            });
        }
        let mut parts = t.split('/');
        let first: i32 = parts.next()?.trim().parse().ok()?;
        let mut alternatives = Vec::new();
        for p in parts {
            let p = p.trim();
            let n: i32 = p.parse().ok()?;
            // `1890/91`: the second year shares the first's century.
            let full = if p.len() < 4 {
                let base = 10i32.pow(p.len() as u32);
                first - first.rem_euclid(base) + n
            } else {
                n
            };
            alternatives.push(full);
        }
        Some(LifeYear {
            year: Some(first),
            uncertain: question || !alternatives.is_empty(),
            alternatives,
            printed,
        })
    }

    /// The latest year it can be.
    pub fn latest(&self) -> Option<i32> {
        self.alternatives.iter().copied().chain(self.year).max()
    }
}

/// A point in time as precise as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// "early 1930", "late 1917", "autumn 1923": the month is a guess.
    pub approximate: bool,
}

impl Point {
    pub fn year(year: i32) -> Point {
        Point {
            year,
            month: None,
            day: None,
            approximate: false,
        }
    }
    /// The earliest (y, m, d) this point can stand for.
    pub fn earliest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
    /// The latest (y, m, d) this point can stand for.
    pub fn latest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31))
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

/// Where an office record comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OfficeSource {
    Glossary,
    /// The Institutional Background's statements of who sat on a body.
    InstitutionalBackground,
}

/// An office held: body, role, from, to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// The body in the authority file; `None` when the body is not one of
    /// its all-Union institutions (a republic's Central Committee, a trade
    /// union's) or not in the file at all.
    pub body: Option<BodyId>,
    /// The body as the text names it (`Azerbaidzhan Central Committee`).
    pub body_text: String,
    /// Republic, region or organisation that qualifies the body
    /// (`RSFSR`, `Azerbaidzhan`, `Rail Workers' Union`).
    pub jurisdiction: Option<String>,
    /// Normalised role (`member`, `candidate member`, `chairman`,
    /// `deputy commissar`), `None` when the text gives none.
    pub role: Option<String>,
    pub from: Option<Point>,
    pub to: Option<Point>,
    /// A single date: the glossary's convention is that "the position was
    /// assumed at that time"; the end is unknown.
    pub assumed_only: bool,
    /// The date was printed once for several offices in one sentence and
    /// is carried to this one.
    pub date_shared: bool,
    /// The sentence it was read from.
    pub text: String,
    pub source: OfficeSource,
}

/// How a life ended, or what befell a person, as the glossary says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Fate {
    /// The glossary's *repressed*: expelled, arrested, then probably
    /// executed or died in the camps.
    Repressed,
    Executed {
        year: Option<i32>,
    },
    Arrested {
        year: Option<i32>,
    },
    Suicide,
    Assassinated,
    /// Left Russia, or was expelled or deported from it.
    Emigrated {
        year: Option<i32>,
    },
    Expelled {
        year: Option<i32>,
    },
    Exonerated {
        year: Option<i32>,
    },
    DiedAccident,
}

impl Fate {
    /// Repression in the broad sense the `repressed` flag of the contract
    /// means: the glossary's *repressed*, an execution, an arrest.
    pub fn is_repression(&self) -> bool {
        matches!(
            self,
            Fate::Repressed | Fate::Executed { .. } | Fate::Arrested { .. }
        )
    }
}

/// Where a person record comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Origin {
    /// An entry of the Glossary of Names (1-based line in the book).
    Glossary { line: u32 },
    /// Not in the glossary: a person heading of the back-of-book Index.
    Index { heading: String, line: u32 },
    /// Not in the glossary: named by the glossary's cross-reference only
    /// ("Koba. Nickname for Stalin").
    GlossaryReference { entry: String, line: u32 },
    /// Not in the glossary: named in the Institutional Background.
    InstitutionalBackground { text: String },
    /// A party of a TEI letter (`correspAction/persName`), keyed by its
    /// authority URIs (`@ref`: GND, the edition's own register).
    Tei { refs: Vec<String> },
}

/// What kind of other name an alias is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AliasKind {
    /// A cross-reference entry of the glossary or index (`Grisha. See
    /// Zinoviev`), or its `Nickname for` form (`Koba`).
    CrossReference,
    /// The index spells the surname otherwise (`Slepikov`, `Shvernii`).
    IndexSpelling,
    /// A forename the texts pair with this person's surname and with no
    /// other person's (`Viacheslav Molotov`); found alone in the letters.
    Forename,
}

/// Another name of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub kind: AliasKind,
    /// Where it was read (`Glossary of Names, line 5102`).
    pub source: String,
}

/// A person of the authority file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    /// The name as printed (`Ordzhonikidze, G. K.`).
    pub name: String,
    pub surname: String,
    /// Forenames or initials as printed (`G. K.`, `Jan E.`, `Max`).
    pub forenames: Option<String>,
    /// Initials, one per forename (`G`, `K`; `Ye` kept as printed).
    pub initials: Vec<String>,
    /// Full forenames known from the texts (`Grigorii` from "Grigorii
    /// Zinoviev" in the Institutional Background).
    pub known_forenames: Vec<String>,
    /// Patronymic where a text gives it (`Vissarionovich`).
    pub patronymic: Option<String>,
    /// The real name when the printed name is a pseudonym.
    pub real_name: Option<String>,
    pub pseudonyms: Vec<String>,
    /// Other names in parentheses (`Astamboltsian` of Artak).
    pub other_names: Vec<String>,
    pub born: Option<LifeYear>,
    pub died: Option<LifeYear>,
    /// Year (and month) of joining the party.
    pub party_member_from: Option<Point>,
    pub offices: Vec<Office>,
    pub fates: Vec<Fate>,
    /// The glossary text after the life dates, as printed (markup removed).
    pub biography: Option<String>,
    /// Names the person goes by that are not built from the name itself:
    /// cross-reference entries (`Sergo`, `Koba`), index spellings
    /// (`Slepikov` for Slepko), forenames the texts pair with the surname
    /// only with this person (`Viacheslav`).
    pub aliases: Vec<Alias>,
    pub origin: Origin,
    /// Where else the record is attested: index headings with their pages,
    /// background statements.
    pub evidence: Vec<String>,
}

impl Person {
    /// A person known by a name only: every other field empty.
    pub fn named(
        id: PersonId,
        name: &str,
        surname: String,
        forenames: Option<String>,
        origin: Origin,
    ) -> Person {
        Person {
            id,
            name: name.to_string(),
            surname,
            forenames,
            initials: Vec::new(),
            known_forenames: Vec::new(),
            patronymic: None,
            real_name: None,
            pseudonyms: Vec::new(),
            other_names: Vec::new(),
            born: None,
            died: None,
            party_member_from: None,
            offices: Vec::new(),
            fates: Vec::new(),
            biography: None,
            aliases: Vec::new(),
            origin,
            evidence: Vec::new(),
        }
    }

    /// The contract's `repressed` flag.
    pub fn repressed(&self) -> bool {
        self.fates.iter().any(Fate::is_repression)
    }

    /// Is this record from the glossary?
    pub fn in_glossary(&self) -> bool {
        matches!(self.origin, Origin::Glossary { .. })
    }

    /// The preferred short display name: `N. I. Bukharin`.
    pub fn display_name(&self) -> String {
        match &self.forenames {
            Some(f) if !f.is_empty() => format!("{f} {}", self.surname),
            _ => self.surname.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn life_years_as_printed() {
        let y = LifeYear::parse("1937?").unwrap();
        assert_eq!((y.year, y.uncertain), (Some(1937), true));
        let y = LifeYear::parse("?").unwrap();
        assert_eq!((y.year, y.uncertain), (None, true));
        let y = LifeYear::parse("1890/91").unwrap();
        assert_eq!(
            (y.year, y.alternatives.clone(), y.uncertain),
            (Some(1890), vec![1891], true)
        );
        assert_eq!(y.latest(), Some(1891));
        let y = LifeYear::parse(" 1937 ?").unwrap();
        assert_eq!((y.year, y.uncertain), (Some(1937), true));
        let y = LifeYear::parse("1883").unwrap();
        assert_eq!((y.year, y.uncertain), (Some(1883), false));
        assert!(LifeYear::parse("").is_none());
        assert!(LifeYear::parse("late").is_none());
    }
}
