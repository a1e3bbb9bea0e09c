//! The authority file's records and the links from texts to them: the
//! plain types every crate shares (the store keeps them, the exports write
//! them, the reading room shows them). The algorithms that make them live
//! elsewhere: reading a glossary and linking mentions in `fond-authority`,
//! the linking stage in `fond-link`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable id of a person: a slug of surname and initials as the glossary
/// prints them (`petrov-i-i`, `petrov-a-s`), so two people of one
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
    /// (an entry "X. Nickname for Y").
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
    /// A cross-reference entry of the glossary or index (`Fritz. See
    /// Schmidt`), or its `Nickname for` form.
    CrossReference,
    /// The index spells the surname otherwise (`Slepikov`, `Shvernii`).
    IndexSpelling,
    /// A forename the texts pair with this person's surname and with no
    /// other person's; found alone in the letters.
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
    /// Full forenames known from the texts (`Grigorii` where a text
    /// names "Grigorii" with the surname).
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

    /// The preferred short display name: forenames or initials, then the
    /// surname (`G. K. Ordzhonikidze`).
    pub fn display_name(&self) -> String {
        match &self.forenames {
            Some(f) if !f.is_empty() => format!("{f} {}", self.surname),
            _ => self.surname.clone(),
        }
    }
}

/// Stable id of a body: a readable slug (`council`, `commissariat-finance`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyId(pub String);

impl fmt::Display for BodyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stable id of a periodical (`pravda`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeriodicalId(pub String);

impl fmt::Display for PeriodicalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which side of the system a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Party,
    State,
    /// Security police: a state body "even more thoroughly politicized
    /// than most" (Institutional Background).
    Security,
    Military,
    Comintern,
    TradeUnion,
    /// An informal group (the "seven").
    Informal,
}

/// An institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub id: BodyId,
    /// The name the edition uses.
    pub name: String,
    pub kind: BodyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<BodyId>,
    /// Other English names (`Council of People's Commissars`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Abbreviations, Latin and Cyrillic (`STO`, `СТО`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub abbreviations: Vec<String>,
    /// Russian names in Cyrillic; their romanisations are search keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub russian: Vec<String>,
    /// Portfolio words that follow "commissar of" (commissariats only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub portfolio: Vec<String>,
    /// Names matched only in the parser of glossary offices, never in
    /// running text (too ambiguous there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub office_only: Vec<String>,
}

/// A newspaper or journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Periodical {
    pub id: PeriodicalId,
    /// Title as the edition prints it (italic in print).
    pub title: String,
    /// The English gloss the edition gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// Other spellings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub russian: Vec<String>,
    /// The body that published it, where the book says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<BodyId>,
}

impl Body {
    /// Every name the body goes by in running text.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .chain(&self.abbreviations)
            .chain(&self.russian)
    }
}

impl Periodical {
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.title)
            .chain(&self.aliases)
            .chain(&self.russian)
    }
}

/// The three kinds of authority record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Person,
    /// A party, state or other institution.
    Body,
    /// A newspaper or journal.
    Periodical,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Body, EntityKind::Periodical];

    /// The name the store, the URLs and the JSON contract use.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Body => "body",
            EntityKind::Periodical => "periodical",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference to an authority record: its kind and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "id")]
pub enum Entity {
    Person(PersonId),
    Body(BodyId),
    Periodical(PeriodicalId),
}

impl Entity {
    pub fn new(kind: EntityKind, id: impl Into<String>) -> Entity {
        let id = id.into();
        match kind {
            EntityKind::Person => Entity::Person(PersonId(id)),
            EntityKind::Body => Entity::Body(BodyId(id)),
            EntityKind::Periodical => Entity::Periodical(PeriodicalId(id)),
        }
    }

    pub fn kind(&self) -> EntityKind {
        match self {
            Entity::Person(_) => EntityKind::Person,
            Entity::Body(_) => EntityKind::Body,
            Entity::Periodical(_) => EntityKind::Periodical,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Entity::Person(p) => &p.0,
            Entity::Body(b) => &b.0,
            Entity::Periodical(p) => &p.0,
        }
    }

    /// Reads the written form `kind:id` (`person:petrov-i-i`); the id may
    /// itself hold colons (a URI).
    pub fn parse(s: &str) -> Option<Entity> {
        let (kind, id) = s.split_once(':')?;
        Some(Entity::new(EntityKind::parse(kind)?, id))
    }
}

/// Written `kind:id`, the form candidates, search keys and facets use.
impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

/// An authority record of any kind.
// Unboxed: an archive holds a few thousand records, read once per command;
// the wasted bytes of the smaller variants cost nothing, a box per person
// costs a pattern in every match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Person(Person),
    Body(Body),
    Periodical(Periodical),
}

impl Record {
    pub fn entity(&self) -> Entity {
        match self {
            Record::Person(p) => Entity::Person(p.id.clone()),
            Record::Body(b) => Entity::Body(b.id.clone()),
            Record::Periodical(p) => Entity::Periodical(p.id.clone()),
        }
    }

    pub fn kind(&self) -> EntityKind {
        self.entity().kind()
    }

    /// The name as printed (a periodical's title).
    pub fn name(&self) -> &str {
        match self {
            Record::Person(p) => &p.name,
            Record::Body(b) => &b.name,
            Record::Periodical(p) => &p.title,
        }
    }
}

/// Serialised as the record itself (the kind is known from where it is).
impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Record::Person(p) => p.serialize(s),
            Record::Body(b) => b.serialize(s),
            Record::Periodical(p) => p.serialize(s),
        }
    }
}

/// Where in a document a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionField {
    /// The reading text ([`crate::Document::body_text`]); the span is in
    /// bytes of it.
    Body,
    /// The text of the note with this number; the span is in bytes of it.
    Note(u32),
    /// A sender; the span's `start` is its index in `senders`.
    Sender,
    /// An addressee; `start` is its index in `addressees`.
    Addressee,
}

impl MentionField {
    /// Reads the written form: `body`, `note:3`, `sender`, `addressee`.
    pub fn parse(s: &str) -> Option<MentionField> {
        Some(match s {
            "body" => MentionField::Body,
            "sender" => MentionField::Sender,
            "addressee" => MentionField::Addressee,
            _ => MentionField::Note(s.strip_prefix("note:")?.parse().ok()?),
        })
    }

    /// A sender or addressee: its span is an index, not bytes of a text.
    pub fn is_party(self) -> bool {
        matches!(self, MentionField::Sender | MentionField::Addressee)
    }
}

/// The written form, which the store's `field` column and the exported
/// tables use: `body`, `note:3`, `sender`, `addressee`.
impl fmt::Display for MentionField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MentionField::Body => f.write_str("body"),
            MentionField::Note(n) => write!(f, "note:{n}"),
            MentionField::Sender => f.write_str("sender"),
            MentionField::Addressee => f.write_str("addressee"),
        }
    }
}

impl Serialize for MentionField {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MentionField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MentionField::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a mention field: {s:?}")))
    }
}

/// A link from a span of a document to an authority record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub doc_id: String,
    pub field: MentionField,
    /// The entity, or for an unresolved mention the likeliest candidate.
    pub entity: Entity,
    /// Byte span in the field's text; for a party, `start` = `end` = its
    /// index.
    pub start: usize,
    pub end: usize,
    /// The text of the span (a party: the name as printed).
    pub surface: String,
    pub confidence: f64,
    /// False when several people share the name and nothing decided.
    pub resolved: bool,
    /// Which rule decided (`surname`, `initials`, `party`, `tei-uri`, …).
    pub how: String,
    /// Every candidate when the name was ambiguous (resolved or not).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Entity>,
}

/// The element a source marked a name with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameElement {
    /// A person's name (TEI `persName`).
    Person,
    /// An organisation's name (`orgName`).
    Org,
    /// A title (`title`: periodicals in fond's export).
    Title,
    /// A name of any kind (`name`).
    Name,
}

/// A name the source itself links to an authority: a TEI `@ref` on a party
/// of `correspDesc` or on a name in the text. Readers hand these over with
/// the document, so the linking stage works from the model and never reads
/// the source again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameRef {
    pub field: MentionField,
    /// As [`Mention::start`]: bytes of the field's text, or a party's index.
    pub start: usize,
    pub end: usize,
    /// The URIs of `@ref`, in the order written.
    pub refs: Vec<String>,
    /// The name as printed.
    pub surface: String,
    /// False when the source marks the reference uncertain (`cert="low"`).
    pub certain: bool,
    pub element: NameElement,
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

    #[test]
    fn written_forms_read_back() {
        for s in ["body", "note:12", "sender", "addressee"] {
            assert_eq!(
                MentionField::parse(s).map(|f| f.to_string()).as_deref(),
                Some(s)
            );
        }
        for s in ["note:x", "note:", "notes", ""] {
            assert_eq!(MentionField::parse(s), None, "{s}");
        }
        let e = Entity::parse("person:https://d-nb.info/gnd/118554700").unwrap();
        assert_eq!(e.kind(), EntityKind::Person);
        assert_eq!(e.id(), "https://d-nb.info/gnd/118554700");
        assert_eq!(e.to_string(), "person:https://d-nb.info/gnd/118554700");
        assert_eq!(Entity::parse("place:x"), None);
        let json = serde_json::to_string(&MentionField::Note(3)).unwrap();
        assert_eq!(json, "\"note:3\"");
        assert_eq!(
            serde_json::from_str::<MentionField>(&json).unwrap(),
            MentionField::Note(3)
        );
    }
}
