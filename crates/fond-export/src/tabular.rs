//! Flat tables for spreadsheets and pandas: documents, notes, archival
//! references, people, mentions. Each table comes as CSV and as JSON
//! Lines with the same columns in the same order.
//!
//! CSV follows RFC 4180: fields holding a comma, a double quote or a line
//! break are quoted, quotes doubled, records end with CRLF. The file
//! starts with a UTF-8 byte-order mark, without which Excel reads UTF-8 as
//! a legacy code page (every em dash and Cyrillic name garbled); pandas
//! and the `csv` crate skip it. Lists (senders, references) are joined
//! with `; ` in CSV and stay arrays in JSON Lines; an absent value is an
//! empty cell in CSV and `null` in JSON.
//!
//! Values are written as they are: a cell that begins with `=` is not
//! defused for spreadsheets, because that would change the data pandas
//! reads. Open exports of untrusted sources with formulas disabled.

use crate::records::{OfficeEntry, PersonEntry};
use crate::ExportError;
use crate::{EntityKind, Field, Mention};
use fond_model::{CallForm, Document, Precision, Qualifier};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// A table row: its columns, as CSV cells and as a JSON object.
trait Row: Serialize {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// The cells, one per column, in `COLUMNS` order.
    fn cells(&self) -> Vec<String>;
}

fn write_csv<W: Write, R: Row>(mut w: W, rows: impl Iterator<Item = R>) -> Result<(), ExportError> {
    let err = |source| ExportError::WriteTable {
        table: R::TABLE,
        source,
    };
    let csv_err = |e: csv::Error| err(std::io::Error::other(e));
    w.write_all("\u{FEFF}".as_bytes()).map_err(err)?;
    let mut out = csv_writer(w);
    out.write_record(R::COLUMNS).map_err(csv_err)?;
    for r in rows {
        let cells = r.cells();
        debug_assert_eq!(cells.len(), R::COLUMNS.len(), "{}", R::TABLE);
        out.write_record(&cells).map_err(csv_err)?;
    }
    out.flush().map_err(err)
}

/// The CSV writer of every table: RFC 4180 quoting (only the cells that
/// need it), CRLF after each record.
fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

fn write_jsonl<W: Write, R: Row>(
    mut w: W,
    rows: impl Iterator<Item = R>,
) -> Result<(), ExportError> {
    for r in rows {
        serde_json::to_writer(&mut w, &r).map_err(|source| ExportError::Json {
            table: R::TABLE,
            source,
        })?;
        w.write_all(b"\n")
            .map_err(|source| ExportError::WriteTable {
                table: R::TABLE,
                source,
            })?;
    }
    w.flush().map_err(|source| ExportError::WriteTable {
        table: R::TABLE,
        source,
    })
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn list(v: &[String]) -> String {
    v.join("; ")
}

fn precision(p: Precision) -> &'static str {
    match p {
        Precision::Day => "day",
        Precision::PartOfMonth => "part-of-month",
        Precision::Month => "month",
        Precision::Season => "season",
        Precision::Year => "year",
        Precision::OpenEnded => "open-ended",
        Precision::Range => "range",
        Precision::Undetermined => "undetermined",
    }
}

fn qualifier(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::NotBefore => "not-before",
        Qualifier::NotAfter => "not-after",
        Qualifier::Approximate => "approximate",
    }
}

// ---------------------------------------------------------------- documents

/// One document: the columns of `fond list --json`, flattened.
#[derive(Debug, Serialize)]
struct DocumentRow<'a> {
    id: &'a str,
    kind: &'static str,
    collection: &'a str,
    number: Option<u32>,
    chapter: Option<&'a str>,
    title: &'a str,
    date_written: Option<&'a str>,
    date_editorial: Option<&'a str>,
    date_edtf: Option<&'a str>,
    date_earliest: Option<String>,
    date_latest: Option<String>,
    date_precision: Option<&'static str>,
    date_qualifier: Option<&'static str>,
    date_calendar: Option<&'a str>,
    date_disagreement: bool,
    place: Option<&'a str>,
    senders: &'a [String],
    addressees: &'a [String],
    note_count: usize,
    archival_refs: Vec<String>,
    /// `source:first-last` per witness.
    witnesses: Vec<String>,
    quoted_in: Option<&'a str>,
    quotes: &'a [String],
    /// Words of the body text (whitespace-separated).
    words: usize,
}

impl<'a> DocumentRow<'a> {
    fn new(d: &'a Document) -> DocumentRow<'a> {
        let i = d.date.interval.as_ref();
        DocumentRow {
            id: &d.id,
            kind: d.kind.as_str(),
            collection: &d.collection,
            number: d.number,
            chapter: d.chapter.as_deref(),
            title: &d.title,
            date_written: d.date.written.as_deref(),
            date_editorial: d.date.editorial.as_deref(),
            date_edtf: i.map(|i| i.edtf.as_str()),
            date_earliest: i.and_then(|i| i.earliest).map(|d| d.iso()),
            date_latest: i.and_then(|i| i.latest).map(|d| d.iso()),
            date_precision: i.map(|i| precision(i.precision)),
            date_qualifier: i.map(|i| qualifier(i.qualifier)),
            date_calendar: i.map(|i| i.calendar.as_str()),
            date_disagreement: d.date.disagreement,
            place: d.place.as_deref(),
            senders: &d.senders,
            addressees: &d.addressees,
            note_count: d.notes.len(),
            archival_refs: d.archival_refs(),
            witnesses: d
                .witnesses
                .iter()
                .map(|w| format!("{}:{}-{}", w.source, w.first_line, w.last_line))
                .collect(),
            quoted_in: d.quoted_in.as_deref(),
            quotes: &d.quotes,
            words: d
                .body
                .iter()
                .map(|b| b.plain_text().split_whitespace().count())
                .sum(),
        }
    }
}

impl Row for DocumentRow<'_> {
    const TABLE: &'static str = "documents";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "kind",
        "collection",
        "number",
        "chapter",
        "title",
        "date_written",
        "date_editorial",
        "date_edtf",
        "date_earliest",
        "date_latest",
        "date_precision",
        "date_qualifier",
        "date_calendar",
        "date_disagreement",
        "place",
        "senders",
        "addressees",
        "note_count",
        "archival_refs",
        "witnesses",
        "quoted_in",
        "quotes",
        "words",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.into(),
            self.kind.into(),
            self.collection.into(),
            opt(&self.number),
            opt(&self.chapter),
            self.title.into(),
            opt(&self.date_written),
            opt(&self.date_editorial),
            opt(&self.date_edtf),
            opt(&self.date_earliest),
            opt(&self.date_latest),
            opt(&self.date_precision),
            opt(&self.date_qualifier),
            opt(&self.date_calendar),
            self.date_disagreement.to_string(),
            opt(&self.place),
            list(self.senders),
            list(self.addressees),
            self.note_count.to_string(),
            list(&self.archival_refs),
            list(&self.witnesses),
            opt(&self.quoted_in),
            list(self.quotes),
            self.words.to_string(),
        ]
    }
}

/// Documents, one row each, in the order given (edition order).
pub fn documents_csv<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_csv(w, docs.iter().map(DocumentRow::new))
}

/// [`documents_csv`] as JSON Lines.
pub fn documents_jsonl<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_jsonl(w, docs.iter().map(DocumentRow::new))
}

// -------------------------------------------------------------------- notes

/// One editorial note.
#[derive(Debug, Serialize)]
struct NoteRow<'a> {
    doc_id: &'a str,
    /// The letter number of the document, for joining with the print
    /// edition.
    doc_number: Option<u32>,
    n: u32,
    /// The author's name (`Russian editors`, `Lars T. Lih`), else the
    /// role (`editors`, `editor`, `translator`).
    by: String,
    /// `editors`, `editor`, `translator` or `other`.
    by_role: &'static str,
    /// `superscript`, `glued` or `lost`.
    call: &'static str,
    /// Index of the body block holding the call.
    call_block: Option<u32>,
    relocated: bool,
    special_file: bool,
    archival_refs: Vec<String>,
    cross_refs: Vec<&'a str>,
    text: &'a str,
    /// Line in the source where the note starts.
    line: u32,
}

impl Row for NoteRow<'_> {
    const TABLE: &'static str = "notes";
    const COLUMNS: &'static [&'static str] = &[
        "doc_id",
        "doc_number",
        "n",
        "by",
        "call",
        "call_block",
        "relocated",
        "special_file",
        "archival_refs",
        "cross_refs",
        "text",
        "line",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.doc_id.into(),
            opt(&self.doc_number),
            self.n.to_string(),
            self.by.clone(),
            self.call.into(),
            opt(&self.call_block),
            self.relocated.to_string(),
            self.special_file.to_string(),
            list(&self.archival_refs),
            self.cross_refs.join("; "),
            self.text.into(),
            self.line.to_string(),
        ]
    }
}

fn note_rows(docs: &[Document]) -> impl Iterator<Item = NoteRow<'_>> {
    docs.iter().flat_map(|d| {
        d.notes.iter().map(move |n| NoteRow {
            doc_id: &d.id,
            doc_number: d.number,
            n: n.n,
            by: n.by.label(),
            by_role: n.by.role.as_str(),
            call: match n.call {
                CallForm::Superscript => "superscript",
                CallForm::Glued => "glued",
                CallForm::Lost => "lost",
            },
            call_block: n.call_block,
            relocated: n.relocated,
            special_file: n.special_file,
            archival_refs: n.archival_refs.iter().map(|r| r.normalized()).collect(),
            cross_refs: n.cross_refs.iter().map(|c| c.text.as_str()).collect(),
            text: &n.text,
            line: n.line,
        })
    })
}

/// Every editorial note of the documents.
pub fn notes_csv<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_csv(w, note_rows(docs))
}

/// [`notes_csv`] as JSON Lines.
pub fn notes_jsonl<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_jsonl(w, note_rows(docs))
}

// ----------------------------------------------------------- archival refs

/// One archival reference cited by a note, with its parts.
#[derive(Debug, Serialize)]
struct ArchivalRefRow<'a> {
    doc_id: &'a str,
    note: u32,
    /// As printed (`Ibid., d. 615, ll. 1–2`).
    printed: &'a str,
    /// `RTsKhIDNI f. 17, op. 3, d. 510, l. 5`.
    normalized: String,
    archive: &'a str,
    fond: &'a str,
    opis: Option<&'a str>,
    delo: Option<&'a str>,
    sheets: Option<String>,
    /// Printed as `Ibid.`; the missing parts come from the reference it
    /// repeats.
    ibid: bool,
}

impl Row for ArchivalRefRow<'_> {
    const TABLE: &'static str = "archival_refs";
    const COLUMNS: &'static [&'static str] = &[
        "doc_id",
        "note",
        "printed",
        "normalized",
        "archive",
        "fond",
        "opis",
        "delo",
        "sheets",
        "ibid",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.doc_id.into(),
            self.note.to_string(),
            self.printed.into(),
            self.normalized.clone(),
            self.archive.into(),
            self.fond.into(),
            opt(&self.opis),
            opt(&self.delo),
            opt(&self.sheets),
            self.ibid.to_string(),
        ]
    }
}

fn ref_rows(docs: &[Document]) -> impl Iterator<Item = ArchivalRefRow<'_>> {
    docs.iter().flat_map(|d| {
        d.notes.iter().flat_map(move |n| {
            n.archival_refs.iter().map(move |r| ArchivalRefRow {
                doc_id: &d.id,
                note: n.n,
                printed: &r.text,
                normalized: r.normalized(),
                archive: &r.archive,
                fond: &r.fond,
                opis: r.opis.as_deref(),
                delo: r.delo.as_deref(),
                sheets: r.sheets.as_ref().map(crate::records::sheets_text),
                ibid: r.ibid,
            })
        })
    })
}

/// Every archival reference the notes cite, one row per citation.
pub fn archival_refs_csv<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_csv(w, ref_rows(docs))
}

/// [`archival_refs_csv`] as JSON Lines.
pub fn archival_refs_jsonl<W: Write>(w: W, docs: &[Document]) -> Result<(), ExportError> {
    write_jsonl(w, ref_rows(docs))
}

// ------------------------------------------------------------------- people

/// One person: the columns of `fond people --json`.
#[derive(Debug, Serialize)]
struct PersonRow<'a> {
    id: &'a str,
    name: &'a str,
    surname: &'a str,
    forenames: Option<&'a str>,
    variants: &'a [String],
    born: Option<&'a str>,
    died: Option<&'a str>,
    born_year: Option<i32>,
    died_year: Option<i32>,
    repressed: bool,
    offices: &'a [OfficeEntry],
    /// Mentions in texts (bodies and notes; not as a letter's party).
    mentions: usize,
}

/// `member, Politburo (1926-07–1930)`.
fn office_text(o: &OfficeEntry) -> String {
    let mut s = String::new();
    if let Some(r) = &o.role {
        s.push_str(r);
        s.push_str(", ");
    }
    // The body as the text names it: a reader of the sheet wants
    // "Politburo", not the id `politburo` (JSON Lines has both).
    s.push_str(&o.body_text);
    if o.from.is_some() || o.to.is_some() {
        s.push_str(&format!(" ({}–{})", opt(&o.from), opt(&o.to)));
    }
    s
}

impl Row for PersonRow<'_> {
    const TABLE: &'static str = "people";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "surname",
        "forenames",
        "variants",
        "born",
        "died",
        "born_year",
        "died_year",
        "repressed",
        "offices",
        "mentions",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.into(),
            self.name.into(),
            self.surname.into(),
            opt(&self.forenames),
            list(self.variants),
            opt(&self.born),
            opt(&self.died),
            opt(&self.born_year),
            opt(&self.died_year),
            self.repressed.to_string(),
            self.offices
                .iter()
                .map(office_text)
                .collect::<Vec<_>>()
                .join("; "),
            self.mentions.to_string(),
        ]
    }
}

fn person_rows<'a>(
    people: &'a [PersonEntry],
    mentions: &[Mention],
) -> impl Iterator<Item = PersonRow<'a>> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in mentions {
        if m.entity.kind() == crate::EntityKind::Person
            && matches!(m.field, Field::Body | Field::Note(_))
        {
            *counts.entry(m.entity.id()).or_default() += 1;
        }
    }
    let counts: Vec<usize> = people
        .iter()
        .map(|p| counts.get(p.id.as_str()).copied().unwrap_or(0))
        .collect();
    people.iter().zip(counts).map(|(p, n)| PersonRow {
        id: &p.id,
        name: &p.name,
        surname: &p.surname,
        forenames: p.forenames.as_deref(),
        variants: &p.variants,
        born: p.born.as_ref().map(|b| b.printed.as_str()),
        died: p.died.as_ref().map(|b| b.printed.as_str()),
        born_year: p.born.as_ref().and_then(|b| b.year),
        died_year: p.died.as_ref().and_then(|b| b.year),
        repressed: p.repressed,
        offices: &p.offices,
        mentions: n,
    })
}

/// People, with the number of mentions of each in `mentions`.
pub fn people_csv<W: Write>(
    w: W,
    people: &[PersonEntry],
    mentions: &[Mention],
) -> Result<(), ExportError> {
    write_csv(w, person_rows(people, mentions))
}

/// [`people_csv`] as JSON Lines; `offices` are objects (`body`,
/// `body_text`, `role`, `from`, `to`, `approximate`).
pub fn people_jsonl<W: Write>(
    w: W,
    people: &[PersonEntry],
    mentions: &[Mention],
) -> Result<(), ExportError> {
    write_jsonl(w, person_rows(people, mentions))
}

// ----------------------------------------------------------------- mentions

/// A mention as a table row: its entity as two columns, its candidates
/// as `kind:id` joined by `; ` in CSV and as a list in JSON.
#[derive(Serialize)]
struct MentionRow<'a> {
    doc_id: &'a str,
    field: Field,
    entity_kind: EntityKind,
    entity_id: &'a str,
    start: usize,
    end: usize,
    surface: &'a str,
    confidence: f64,
    resolved: bool,
    how: &'a str,
    candidates: Vec<String>,
}

impl<'a> From<&'a Mention> for MentionRow<'a> {
    fn from(m: &'a Mention) -> Self {
        MentionRow {
            doc_id: &m.doc_id,
            field: m.field,
            entity_kind: m.entity.kind(),
            entity_id: m.entity.id(),
            start: m.start,
            end: m.end,
            surface: &m.surface,
            confidence: m.confidence,
            resolved: m.resolved,
            how: &m.how,
            candidates: m.candidates.iter().map(ToString::to_string).collect(),
        }
    }
}

impl Row for MentionRow<'_> {
    const TABLE: &'static str = "mentions";
    const COLUMNS: &'static [&'static str] = &[
        "doc_id",
        "field",
        "entity_kind",
        "entity_id",
        "start",
        "end",
        "surface",
        "confidence",
        "resolved",
        "how",
        "candidates",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.doc_id.to_string(),
            self.field.to_string(),
            self.entity_kind.as_str().into(),
            self.entity_id.to_string(),
            self.start.to_string(),
            self.end.to_string(),
            self.surface.to_string(),
            self.confidence.to_string(),
            self.resolved.to_string(),
            self.how.to_string(),
            list(&self.candidates),
        ]
    }
}

/// Mentions, one row each: a span of a document's body or note (byte
/// offsets), or a party (`start` is its index), and what it refers to.
pub fn mentions_csv<W: Write>(w: W, mentions: &[Mention]) -> Result<(), ExportError> {
    write_csv(w, mentions.iter().map(MentionRow::from))
}

/// [`mentions_csv`] as JSON Lines.
pub fn mentions_jsonl<W: Write>(w: W, mentions: &[Mention]) -> Result<(), ExportError> {
    write_jsonl(w, mentions.iter().map(MentionRow::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> String {
        let mut w = csv_writer(Vec::new());
        w.write_record(cells).unwrap_or_else(|e| panic!("{e}"));
        let bytes = w.into_inner().unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn quotes_only_what_needs_quoting() {
        assert_eq!(record(&["a", "b c", ""]), "a,b c,\r\n");
        assert_eq!(
            record(&["x,y", "say \"no\"", "two\nlines", "cr\r"]),
            "\"x,y\",\"say \"\"no\"\"\",\"two\nlines\",\"cr\r\"\r\n"
        );
    }

    #[test]
    fn json_keys_are_the_csv_columns() {
        fn keys<R: Row>(r: &R) -> Vec<String> {
            match serde_json::to_value(r) {
                Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
                _ => Vec::new(),
            }
        }
        fn sorted(c: &[&str]) -> Vec<String> {
            let mut v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        }
        let m = Mention {
            doc_id: "d".into(),
            field: Field::Note(2),
            entity: fond_model::authority::Entity::new(crate::EntityKind::Body, "politburo"),
            start: 1,
            end: 9,
            surface: "Politburo".into(),
            confidence: 1.0,
            resolved: true,
            how: "name".into(),
            candidates: vec![],
        };
        let row = MentionRow::from(&m);
        assert_eq!(keys(&row), sorted(<MentionRow as Row>::COLUMNS));
        assert_eq!(row.cells().len(), <MentionRow as Row>::COLUMNS.len());
        let p = PersonEntry {
            id: "x".into(),
            name: "X".into(),
            surname: "X".into(),
            forenames: None,
            variants: vec![],
            born: None,
            died: None,
            repressed: false,
            offices: vec![],
            biography: None,
        };
        let rows: Vec<PersonRow<'_>> = person_rows(std::slice::from_ref(&p), &[m]).collect();
        assert_eq!(keys(&rows[0]), sorted(PersonRow::COLUMNS));
        assert_eq!(rows[0].cells().len(), PersonRow::COLUMNS.len());
    }
}
