//! TEI P5: one file per document (letters, telegrams, notes, editorial
//! texts alike), and a personography with the people, bodies and
//! periodicals the documents point into.
//!
//! The encoding follows what the edition model knows and no more:
//!
//! - **Header.** `titleStmt` with a `respStmt` for everyone a `@resp`
//!   names (the note authors, other readers who commented);
//!   `publicationStmt` with the document's fond id and the rights of its
//!   sources; `sourceDesc` with the print edition's bibliography, the
//!   archival location as `msDesc/msIdentifier`, the readers' marks as
//!   `physDesc/additions`, and the witnesses as `listWit`; `correspDesc`
//!   with both actions, parties pointing into the personography, place
//!   and date (see [`dates`]).
//! - **Body.** The edition's blocks in the order TEI requires: `head` and
//!   `opener` first, then paragraphs and numbered points, then `closer`
//!   and `postscript`; see `body.rs` for how a letter whose blocks do not
//!   fit that order (a signature, then more text) is kept valid.
//! - **Notes** at their calls, `note @n @resp @place="foot"`; notes whose
//!   call was lost at the end of the body with `@type="unanchored"`;
//!   archival references inside notes as `bibl` with `idno`, cross
//!   references as `ref` to the other file.
//! - **Names** as `persName`/`orgName`/`title @ref` where mentions are
//!   supplied, in the body and in the notes.

mod body;
mod collation;
pub mod dates;
mod header;
mod notes;
mod persons;

pub use persons::personography;

use crate::records::{OrgEntry, PeriodicalEntry, PersonEntry};
use crate::xml::{ncname, XmlWriter};
use crate::ExportError;
use crate::{EntityKind, Field, Mention};
use fond_model::{Document, NoteAuthor, Source};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// File name of the personography the documents point into.
pub const PERSONOGRAPHY_FILE: &str = "persons.xml";

/// A printed edition that documents of a collection come from: its
/// bibliography, who its note authors are, its conventions and rights.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintEdition {
    /// The fond collection whose documents it prints.
    pub collection: String,
    pub title: String,
    pub editors: Vec<String>,
    pub translator: Option<String>,
    pub publisher: String,
    pub place: String,
    pub year: i32,
    pub series: Option<String>,
    /// The copyright statement as printed.
    pub rights: String,
    /// The editorial conventions, as the edition states them.
    pub conventions: Vec<String>,
    /// Who added the bracketed words (`supplied @resp`), when the edition
    /// says.
    pub brackets_by: Option<NoteAuthor>,
    /// Where the edition says its letters are kept, when it says so for
    /// the whole series.
    pub series_location: Option<SeriesLocation>,
}

/// The archival location an edition states once for a whole series.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesLocation {
    /// Applies to the numbered documents sent by this party, as the
    /// edition names them.
    pub sender: String,
    pub archive: String,
    pub fond: String,
    pub opis: String,
    pub delo: String,
    /// Where the edition says so (for the header).
    pub statement: String,
}

/// The file an edition profile is written in (`[edition]` table).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFile {
    edition: PrintEdition,
}

impl PrintEdition {
    /// Reads an edition profile: a TOML file with an `[edition]` table of
    /// these fields (`profiles/` in the repository holds the built-in
    /// ones). The error names the line and what is wrong.
    pub fn from_toml(text: &str) -> Result<PrintEdition, String> {
        toml::from_str::<EditionFile>(text)
            .map(|f| f.edition)
            .map_err(|e| {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                    .unwrap_or(1);
                format!("line {line}: {}", e.message())
            })
    }
}

/// One editor's correction applied to a document, for its TEI header's
/// `revisionDesc/change`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub doc_id: String,
    /// The correction's id: the change's `xml:id` is made from it, so an
    /// emendation's `corr/@resp` and a corrected note's `@resp` point at
    /// it.
    pub id: String,
    /// The field corrected, as `fond correct` names it (`note:3:text`).
    pub field: String,
    /// Who made it, as they signed it.
    pub who: String,
    /// When, UTC (`2026-12-06T06:14:32Z`).
    pub when: String,
    /// What changed and why, in words.
    pub text: String,
}

/// What every document's TEI needs besides the document: the sources, the
/// print editions, the mentions, and how the files are published.
#[derive(Debug, Clone)]
pub struct TeiContext {
    sources: BTreeMap<String, Source>,
    editions: Vec<PrintEdition>,
    mentions: BTreeMap<String, Vec<Mention>>,
    /// Party names resolved anywhere in the edition (`Molotov` →
    /// `molotov-v-m`), for naming the readers whose comments a document
    /// carries.
    parties: BTreeMap<String, (EntityKind, String)>,
    /// The editors' corrections applied to each document, by id.
    changes: BTreeMap<String, Vec<Change>>,
    /// File the `@ref`s point into.
    pub personography: String,
    /// Who publishes the export (`publicationStmt/publisher`).
    pub publisher: String,
    /// The statement on the encoding itself (the markup, not the text).
    pub licence: String,
}

impl TeiContext {
    /// A context for an edition read from `sources`; print editions are
    /// attached with [`TeiContext::with_edition`].
    pub fn for_sources(sources: &[Source]) -> TeiContext {
        let ctx = TeiContext {
            sources: sources
                .iter()
                .map(|s| (s.name.clone(), s.clone()))
                .collect(),
            editions: Vec::new(),
            mentions: BTreeMap::new(),
            parties: BTreeMap::new(),
            changes: BTreeMap::new(),
            personography: PERSONOGRAPHY_FILE.into(),
            publisher: "fond".into(),
            licence: "The encoding was generated by fond from the sources named in the source \
                      description. The text keeps the rights of those sources, stated below."
                .into(),
        };
        ctx
    }

    /// Adds (or replaces) the print edition of a collection.
    pub fn with_edition(mut self, edition: PrintEdition) -> TeiContext {
        self.editions.retain(|e| e.collection != edition.collection);
        self.editions.push(edition);
        self
    }

    /// Adds mentions (any documents, any order). Names become `persName`,
    /// `orgName` or `title` with `@ref` in the texts; parties get `@ref`
    /// in `correspDesc`.
    pub fn with_mentions(mut self, mentions: impl IntoIterator<Item = Mention>) -> TeiContext {
        for m in mentions {
            if matches!(m.field, Field::Sender | Field::Addressee) && m.resolved {
                // First resolution wins; the map is ordered so the choice
                // does not depend on hashing.
                self.parties
                    .entry(m.surface.clone())
                    .or_insert_with(|| (m.entity.kind(), m.entity.id().to_string()));
            }
            self.mentions.entry(m.doc_id.clone()).or_default().push(m);
        }
        for list in self.mentions.values_mut() {
            list.sort_by(|a, b| {
                (a.field, a.start, std::cmp::Reverse(a.end)).cmp(&(
                    b.field,
                    b.start,
                    std::cmp::Reverse(b.end),
                ))
            });
        }
        self
    }

    /// Adds the editors' corrections applied to documents (the TEI header's
    /// `revisionDesc`), in the order of the history.
    pub fn with_changes(mut self, changes: impl IntoIterator<Item = Change>) -> TeiContext {
        for c in changes {
            self.changes.entry(c.doc_id.clone()).or_default().push(c);
        }
        self
    }

    /// The `@resp` pointers for a note the editors corrected: its
    /// changes, in the order of the history.
    pub(crate) fn note_changes(&self, doc: &Document, n: u32) -> Vec<String> {
        let fields = [
            format!("note:{n}:text"),
            format!("note:{n}:author"),
            format!("note:{n}:call"),
        ];
        self.changes_of(doc)
            .iter()
            .filter(|c| fields.contains(&c.field))
            .map(|c| format!("#{}", change_id(&c.id)))
            .collect()
    }

    pub(crate) fn changes_of(&self, doc: &Document) -> &[Change] {
        self.changes.get(&doc.id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The print editions attached (for the CMIF export's `bibl`s).
    pub fn editions(&self) -> &[PrintEdition] {
        &self.editions
    }

    pub(crate) fn source(&self, name: &str) -> Option<&Source> {
        self.sources.get(name)
    }

    pub(crate) fn edition_for(&self, doc: &Document) -> Option<&PrintEdition> {
        self.editions
            .iter()
            .find(|e| e.collection == doc.collection)
    }

    pub(crate) fn mentions_of(&self, doc: &Document) -> &[Mention] {
        self.mentions.get(&doc.id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn party(&self, name: &str) -> Option<&(EntityKind, String)> {
        self.parties.get(name)
    }

    /// The `@ref` value for an entity: its record in the personography.
    pub(crate) fn entity_ref(&self, kind: EntityKind, id: &str) -> String {
        format!("{}#{}", self.personography, entity_xml_id(kind, id))
    }
}

/// The `xml:id` of an entity's record in the personography. People keep
/// their authority id (`bukharin-n-i`, as `fond person` shows it); bodies
/// and periodicals get a prefix, because their slugs can equal each other
/// (`bolshevik`) or a person's.
pub fn entity_xml_id(kind: EntityKind, id: &str) -> String {
    match kind {
        EntityKind::Person => ncname(id),
        EntityKind::Body => ncname(&format!("org-{id}")),
        EntityKind::Periodical => ncname(&format!("bibl-{id}")),
    }
}

/// The file a document is written to: its id with `/` as `.`
/// (`letters-to-molotov/57` → `letters-to-molotov.57.xml`), other
/// characters a file system or URI might mind replaced by `-`.
pub fn file_name(doc_id: &str) -> String {
    format!("{}.xml", file_stem(doc_id))
}

fn file_stem(doc_id: &str) -> String {
    let stem: String = doc_id
        .chars()
        .map(|c| match c {
            '/' => '.',
            c if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '-',
        })
        .collect();
    // A leading dot would hide the file; ncname-like prefix keeps it
    // visible and valid as an xml:id.
    ncname(&stem)
}

/// The TEI file of one document.
pub fn document(doc: &Document, ctx: &TeiContext) -> String {
    let mut w = XmlWriter::with_capacity(4096 + doc.body.len() * 512);
    let stem = file_stem(&doc.id);
    w.block(
        "TEI",
        &[("xmlns", TEI_NS), ("xml:id", &stem), ("xml:lang", "en")],
    );
    let resp = header::Resp::of(doc, ctx);
    header::write(&mut w, doc, ctx, &resp);
    body::write(&mut w, doc, ctx, &resp);
    w.finish()
}

/// Every document's file and the personography, as (file name, XML)
/// pairs in edition order, the personography last.
pub fn edition_files(
    docs: &[Document],
    ctx: &TeiContext,
    people: &[PersonEntry],
    orgs: &[OrgEntry],
    periodicals: &[PeriodicalEntry],
) -> Result<Vec<(String, String)>, ExportError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::with_capacity(docs.len() + 1);
    for d in docs {
        let name = file_name(&d.id);
        if let Some(first) = seen.insert(name.clone(), &d.id) {
            return Err(ExportError::DuplicateFile {
                file: name,
                first: first.into(),
                second: d.id.clone(),
            });
        }
        out.push((name, document(d, ctx)));
    }
    if seen.contains_key(&ctx.personography) {
        return Err(ExportError::DuplicateFile {
            file: ctx.personography.clone(),
            first: seen
                .get(&ctx.personography)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            second: "the personography".into(),
        });
    }
    out.push((
        ctx.personography.clone(),
        personography(people, orgs, periodicals)?,
    ));
    Ok(out)
}

/// Writes files into `dir` (created if missing). Each file is written
/// whole; a failure names the file.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::WriteFile {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, xml) in files {
        let path = dir.join(name);
        std::fs::write(&path, xml).map_err(|source| ExportError::WriteFile { path, source })?;
    }
    Ok(())
}

/// The distinct items, in order of first appearance.
pub(crate) fn ordered_unique<T: Ord + Clone>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in items {
        if seen.insert(i.clone()) {
            out.push(i);
        }
    }
    out
}

/// The `xml:id` of the `revisionDesc/change` that records correction
/// `id`.
pub(crate) fn change_id(id: &str) -> String {
    format!("change-{}", crate::xml::ncname(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_stable_and_safe() {
        assert_eq!(
            file_name("letters-to-molotov/57"),
            "letters-to-molotov.57.xml"
        );
        assert_eq!(
            file_name("letters-to-molotov/quoted/1925-06-17-stalin"),
            "letters-to-molotov.quoted.1925-06-17-stalin.xml"
        );
        assert_eq!(file_name("../etc/passwd"), "id-...etc.passwd.xml");
        assert_eq!(file_name("a b:c"), "a-b-c.xml");
    }

    #[test]
    fn entity_ids_do_not_collide_across_kinds() {
        assert_eq!(
            entity_xml_id(EntityKind::Person, "bukharin-n-i"),
            "bukharin-n-i"
        );
        assert_ne!(
            entity_xml_id(EntityKind::Body, "bolshevik"),
            entity_xml_id(EntityKind::Periodical, "bolshevik")
        );
    }
}
