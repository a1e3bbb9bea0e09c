//! The JSON contract: a document (summary and whole), a note, a mention
//! and a person, as `fond list/show/people/person --json` and the API
//! under `/api/v1/` give them. One set of types serves both, so the two cannot
//! drift; the API's OpenAPI schema lists the same fields, and a test fails
//! when it does not ([`SUMMARY_FIELDS`]).
//!
//! A contract for scripts: fields may be added, never renamed or removed.

use fond_model::authority::{Fate, Mention, MentionField, Origin, Person, Point};
use fond_model::{
    ArchivalRef, Block, CallForm, CrossRef, Document, HistDate, Marginal, Note, Precision,
    Qualifier, Witness,
};
use serde::Serialize;

/// A document's dates: the author's and the editors' as printed, and the
/// interval fond reads from them.
#[derive(Debug, Serialize)]
pub struct DateJson<'a> {
    pub written: Option<&'a str>,
    pub editorial: Option<&'a str>,
    pub edtf: Option<&'a str>,
    /// ISO 8601 days, the interval's ends (`null` when open).
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub precision: Option<Precision>,
    pub qualifier: Option<Qualifier>,
    pub calendar: Option<&'a str>,
    pub disagreement: bool,
    /// The author's dateline as an interval, where it reads as one.
    pub written_edtf: Option<&'a str>,
}

impl<'a> DateJson<'a> {
    pub fn of(d: &'a Document) -> Self {
        let iv: Option<&HistDate> = d.date.interval.as_ref();
        DateJson {
            written: d.date.written.as_deref(),
            editorial: d.date.editorial.as_deref(),
            edtf: iv.map(|i| i.edtf.as_str()),
            earliest: iv.and_then(|i| i.earliest).map(|x| x.iso()),
            latest: iv.and_then(|i| i.latest).map(|x| x.iso()),
            precision: iv.map(|i| i.precision),
            qualifier: iv.map(|i| i.qualifier),
            calendar: iv.map(|i| i.calendar.as_str()),
            disagreement: d.date.disagreement,
            written_edtf: d.date.written_interval.as_ref().map(|i| i.edtf.as_str()),
        }
    }
}

/// Where a witness is: its source and line span (its text is in the whole
/// document only).
#[derive(Debug, Serialize)]
pub struct WitnessRef<'a> {
    pub source: &'a str,
    pub first_line: u32,
    pub last_line: u32,
    pub label: &'a str,
}

/// The fields every document carries, summary or whole.
#[derive(Debug, Serialize)]
pub struct DocumentHead<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub collection: &'a str,
    pub number: Option<u32>,
    pub chapter: Option<&'a str>,
    pub title: &'a str,
    pub date: DateJson<'a>,
    pub place: Option<&'a str>,
    pub senders: &'a [String],
    pub addressees: &'a [String],
    pub note_count: usize,
    /// The archival references its notes cite, normalised.
    pub archival_refs: Vec<String>,
    pub quoted_in: Option<&'a str>,
    pub quotes: &'a [String],
    /// Known by its metadata only (a CMIF entry): no text is held.
    pub metadata_only: bool,
    /// The letter's full text online, where its metadata says.
    pub online: Option<&'a str>,
    /// The fields the editors corrected (`date`, `place`, `note:3:text`):
    /// their values are the corrections', not the engine's recovery.
    pub corrected: &'a [String],
}

impl<'a> DocumentHead<'a> {
    pub fn of(d: &'a Document) -> Self {
        DocumentHead {
            id: &d.id,
            kind: d.kind.as_str(),
            collection: &d.collection,
            number: d.number,
            chapter: d.chapter.as_deref(),
            title: &d.title,
            date: DateJson::of(d),
            place: d.place.as_deref(),
            senders: &d.senders,
            addressees: &d.addressees,
            note_count: d.notes.len(),
            archival_refs: d.archival_refs(),
            quoted_in: d.quoted_in.as_deref(),
            quotes: &d.quotes,
            metadata_only: d.metadata_only,
            online: d.online.as_deref(),
            corrected: &d.corrected,
        }
    }
}

/// One document in a list: `fond list --json`, `/api/v1/documents`.
#[derive(Debug, Serialize)]
pub struct DocumentSummary<'a> {
    #[serde(flatten)]
    pub head: DocumentHead<'a>,
    pub witnesses: Vec<WitnessRef<'a>>,
}

impl<'a> DocumentSummary<'a> {
    pub fn of(d: &'a Document) -> Self {
        DocumentSummary {
            head: DocumentHead::of(d),
            witnesses: d
                .witnesses
                .iter()
                .map(|w| WitnessRef {
                    source: &w.source,
                    first_line: w.first_line,
                    last_line: w.last_line,
                    label: &w.label,
                })
                .collect(),
        }
    }
}

/// An editorial note.
#[derive(Debug, Serialize)]
pub struct NoteJson<'a> {
    pub n: u32,
    pub text: &'a str,
    /// Who wrote it: the name the edition gives, else the role.
    pub by: String,
    /// `editors`, `editor`, `translator` or `other`.
    pub by_role: &'static str,
    /// The references it cites, normalised.
    pub archival_refs: Vec<String>,
    /// The same, with their parts.
    pub references: &'a [ArchivalRef],
    pub cross_refs: &'a [CrossRef],
    pub special_file: bool,
    pub call: CallForm,
    pub call_block: Option<u32>,
    pub relocated: bool,
    pub line: u32,
}

impl<'a> NoteJson<'a> {
    pub fn of(n: &'a Note) -> Self {
        NoteJson {
            n: n.n,
            text: &n.text,
            by: n.by.label(),
            by_role: n.by.role.as_str(),
            archival_refs: n.archival_refs.iter().map(|r| r.normalized()).collect(),
            references: &n.archival_refs,
            cross_refs: &n.cross_refs,
            special_file: n.special_file,
            call: n.call,
            call_block: n.call_block,
            relocated: n.relocated,
            line: n.line,
        }
    }
}

/// A name in the document linked to (or not decided for) an entity.
#[derive(Debug, Serialize)]
pub struct MentionJson<'a> {
    /// `body`, `note:N`, `sender`, `addressee`.
    pub field: MentionField,
    pub start: usize,
    pub end: usize,
    pub surface: &'a str,
    /// `person:ID`, `body:ID`, `periodical:ID`.
    pub entity: String,
    pub confidence: f64,
    pub resolved: bool,
}

impl<'a> MentionJson<'a> {
    pub fn of(m: &'a Mention) -> Self {
        MentionJson {
            field: m.field,
            start: m.start,
            end: m.end,
            surface: &m.surface,
            entity: m.entity.to_string(),
            confidence: m.confidence,
            resolved: m.resolved,
        }
    }
}

/// One whole document: `fond show --json`, `/api/v1/documents/{id}`.
#[derive(Debug, Serialize)]
pub struct DocumentJson<'a> {
    #[serde(flatten)]
    pub head: DocumentHead<'a>,
    /// The witnesses with their texts.
    pub witnesses: &'a [Witness],
    pub body_text: String,
    pub notes: Vec<NoteJson<'a>>,
    pub body: &'a [Block],
    pub marginalia: &'a [Marginal],
    /// Each sender and addressee with the person they were linked to
    /// (`{"name", "person"}`, `person` null when undecided), and every
    /// linked name ([`DocumentJson::with_links`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_ids: Option<Vec<PartyJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressee_ids: Option<Vec<PartyJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<MentionJson<'a>>>,
}

/// A party of the letter and the person it was linked to.
#[derive(Debug, Serialize)]
pub struct PartyJson<'a> {
    pub name: &'a str,
    pub person: Option<&'a str>,
}

impl<'a> DocumentJson<'a> {
    pub fn of(d: &'a Document) -> Self {
        DocumentJson {
            head: DocumentHead::of(d),
            witnesses: &d.witnesses,
            body_text: d.body_text(),
            notes: d.notes.iter().map(NoteJson::of).collect(),
            body: &d.body,
            marginalia: &d.marginalia,
            sender_ids: None,
            addressee_ids: None,
            mentions: None,
        }
    }

    /// The document with its links: the parties' people and every
    /// mention.
    pub fn with_links(d: &'a Document, mentions: &'a [Mention]) -> Self {
        let parties = |field: MentionField, names: &'a [String]| -> Vec<PartyJson<'a>> {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| PartyJson {
                    name: n,
                    person: mentions
                        .iter()
                        .find(|m| m.field == field && m.start == i)
                        .map(|m| m.entity.id()),
                })
                .collect()
        };
        DocumentJson {
            sender_ids: Some(parties(MentionField::Sender, &d.senders)),
            addressee_ids: Some(parties(MentionField::Addressee, &d.addressees)),
            mentions: Some(mentions.iter().map(MentionJson::of).collect()),
            ..DocumentJson::of(d)
        }
    }
}

/// The fields of a document summary, in the order they serialise: what
/// the OpenAPI `Document` schema must list.
pub const SUMMARY_FIELDS: [&str; 18] = [
    "id",
    "kind",
    "collection",
    "number",
    "chapter",
    "title",
    "date",
    "place",
    "senders",
    "addressees",
    "note_count",
    "archival_refs",
    "quoted_in",
    "quotes",
    "metadata_only",
    "online",
    "corrected",
    "witnesses",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_fields_are_the_contract() {
        let d = fond_model::Document {
            number: Some(1),
            title: "Letter 1".into(),
            senders: vec!["A".into()],
            addressees: vec!["B".into()],
            ..fond_model::Document::new("c/1", "c", fond_model::DocKind::Letter)
        };
        let v = serde_json::to_value(DocumentSummary::of(&d)).unwrap_or_default();
        let keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = SUMMARY_FIELDS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        let date = &v["date"];
        for k in [
            "written",
            "editorial",
            "edtf",
            "earliest",
            "latest",
            "precision",
            "qualifier",
            "calendar",
            "disagreement",
            "written_edtf",
        ] {
            assert!(date.get(k).is_some(), "date.{k}");
        }
    }
}

/// A date of the authority file as precise as the text gives it
/// (`1926`, `1926-07`, `1926-07-23`).
fn point(p: &Option<Point>) -> Option<String> {
    p.as_ref().map(Point::to_string)
}

/// An office as the person contract gives it.
#[derive(Debug, Serialize)]
pub struct OfficeJson<'a> {
    /// The body's id where the authority file has it, else its name as
    /// the text gives it.
    pub body: &'a str,
    pub from: Option<String>,
    pub role: Option<&'a str>,
    pub to: Option<String>,
}

/// The fields of [`PersonJson`], in order; the OpenAPI `Person` schema is
/// built from this list, and a test checks it against the struct.
pub const PERSON_FIELDS: [&str; 16] = [
    "born",
    "born_year",
    "died",
    "died_year",
    "fates",
    "forenames",
    "id",
    "mentions",
    "name",
    "offices",
    "origin",
    "party_member_from",
    "pseudonyms",
    "real_name",
    "repressed",
    "surname",
];

/// A person of the authority file: a line of `fond people --json`, and
/// the head of `fond person --json` and `/api/v1/people/{id}`. Fields in
/// alphabetical order, the order the first version of these outputs had.
#[derive(Debug, Serialize)]
pub struct PersonJson<'a> {
    /// Year of birth as printed (`1888`, `1890/91`, `?`).
    pub born: Option<&'a str>,
    pub born_year: Option<i32>,
    pub died: Option<&'a str>,
    pub died_year: Option<i32>,
    pub fates: &'a [Fate],
    pub forenames: Option<&'a str>,
    pub id: &'a str,
    /// How often the texts and notes name them (as sender or addressee
    /// not counted).
    pub mentions: usize,
    pub name: &'a str,
    pub offices: Vec<OfficeJson<'a>>,
    /// Where the record comes from (a glossary entry, an index heading, a
    /// TEI party with its URIs).
    pub origin: &'a Origin,
    pub party_member_from: Option<String>,
    pub pseudonyms: &'a [String],
    pub real_name: Option<&'a str>,
    pub repressed: bool,
    pub surname: &'a str,
}

impl<'a> PersonJson<'a> {
    pub fn of(p: &'a Person, mentions: usize) -> Self {
        PersonJson {
            born: p.born.as_ref().map(|b| b.printed.as_str()),
            born_year: p.born.as_ref().and_then(|b| b.year),
            died: p.died.as_ref().map(|b| b.printed.as_str()),
            died_year: p.died.as_ref().and_then(|b| b.year),
            fates: &p.fates,
            forenames: p.forenames.as_deref(),
            id: &p.id.0,
            mentions,
            name: &p.name,
            offices: p
                .offices
                .iter()
                .map(|o| OfficeJson {
                    body: o
                        .body
                        .as_ref()
                        .map_or(o.body_text.as_str(), |b| b.0.as_str()),
                    from: point(&o.from),
                    role: o.role.as_deref(),
                    to: point(&o.to),
                })
                .collect(),
            origin: &p.origin,
            party_member_from: point(&p.party_member_from),
            pseudonyms: &p.pseudonyms,
            real_name: p.real_name.as_deref(),
            repressed: p.repressed(),
            surname: &p.surname,
        }
    }
}

/// A page of search results: `/api/v1/search`. The results are
/// `fond search --json`'s (`fond_search::SearchResults`: `total`, `hits`,
/// `facets`, `partial`), with the page asked for beside them.
#[derive(Debug, Serialize)]
pub struct SearchPage<'a> {
    #[serde(flatten)]
    pub results: &'a fond_search::SearchResults,
    pub page: usize,
    pub limit: usize,
    pub query: &'a str,
    /// Present (true) when the query was cut to its first characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_cut: Option<bool>,
    /// Says how, when it was cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}
