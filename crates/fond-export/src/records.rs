//! The records an export takes besides the edition model: people, bodies
//! and periodicals of the authority file, and mentions of them in the
//! texts. They mirror what the CLI has at hand (the authority's records as
//! `fond people --json` prints them, the store's mention rows), with
//! types of this crate so that it needs neither `fond-authority` nor
//! `fond-store` at run time.

use crate::ExportError;
use serde::Serialize;
use std::fmt;

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Person,
    /// A party, state or Comintern body.
    Body,
    /// A newspaper or journal.
    Periodical,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Body => "body",
            EntityKind::Periodical => "periodical",
        }
    }

    /// Reads the store's `entity_kind` column.
    pub fn parse(s: &str) -> Result<EntityKind, ExportError> {
        match s {
            "person" => Ok(EntityKind::Person),
            "body" => Ok(EntityKind::Body),
            "periodical" => Ok(EntityKind::Periodical),
            _ => Err(ExportError::UnknownEntityKind { kind: s.into() }),
        }
    }
}

/// Which text of a document a mention's span is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// [`fond_model::Document::body_text`].
    Body,
    /// The text of the note with this number.
    Note(u32),
    /// A sender; the mention's `start` is the index in `senders`.
    Sender,
    /// An addressee; `start` is the index in `addressees`.
    Addressee,
}

impl Field {
    /// Reads the store's `field` column (`body`, `note:3`, `sender`,
    /// `addressee`).
    pub fn parse(s: &str) -> Result<Field, ExportError> {
        let unknown = || ExportError::UnknownField { field: s.into() };
        match s {
            "body" => Ok(Field::Body),
            "sender" => Ok(Field::Sender),
            "addressee" => Ok(Field::Addressee),
            _ => {
                let n = s.strip_prefix("note:").ok_or_else(unknown)?;
                n.parse().map(Field::Note).map_err(|_| unknown())
            }
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Body => f.write_str("body"),
            Field::Note(n) => write!(f, "note:{n}"),
            Field::Sender => f.write_str("sender"),
            Field::Addressee => f.write_str("addressee"),
        }
    }
}

impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A span of a document's text linked to an entity (one row of the
/// store's `mentions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub doc_id: String,
    pub field: Field,
    pub entity_kind: EntityKind,
    pub entity_id: String,
    /// Byte span in the field's text; for a party, `start` is its index.
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub confidence: f64,
    /// False when several people share the name and nothing decided; the
    /// entity is then the likeliest candidate.
    pub resolved: bool,
    /// Which rule decided (`surname`, `initials`, `party`, …).
    pub how: String,
    /// Every candidate when the name was ambiguous, as `kind:id`.
    pub candidates: Vec<String>,
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_the_store_writes_them() {
        for s in ["body", "note:12", "sender", "addressee"] {
            assert_eq!(Field::parse(s).map(|f| f.to_string()).ok(), Some(s.into()));
        }
        assert!(matches!(
            Field::parse("note:x"),
            Err(ExportError::UnknownField { .. })
        ));
        assert!(Field::parse("title").is_err());
        assert_eq!(EntityKind::parse("body").ok(), Some(EntityKind::Body));
        assert!(EntityKind::parse("place").is_err());
    }

    #[test]
    fn partial_dates_never_write_an_invalid_value() {
        let d = |year, month, day| PartialDate { year, month, day }.to_string();
        assert_eq!(d(1926, Some(7), Some(3)), "1926-07-03");
        assert_eq!(d(1926, Some(7), None), "1926-07");
        assert_eq!(d(1926, Some(13), Some(3)), "1926");
        assert_eq!(d(930, None, None), "0930");
    }
}
