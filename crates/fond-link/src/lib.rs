//! The linking stage: from an edition to its authority file and the
//! mentions of its people, bodies and periodicals.
//!
//! [`link`] is a plain function of the edition's documents and of the
//! sources that are authority files themselves (a book's Glossary of
//! Names, a TEI personography). The CLI calls it after every ingest that
//! changed the edition and stores what it returns; tests call the same
//! function. It reads documents as the model gives them: the names a TEI
//! source links by `@ref` arrive as [`Document::name_refs`], so no letter
//! is parsed again here.
//!
//! Two kinds of document are linked two ways:
//!
//! - **Texts of a book with a glossary** (the book's letters, their web
//!   copies): every body and note is searched for every variant of every
//!   name ([`Authority::link_document`]), and senders and addressees are
//!   resolved to people by name and date.
//! - **Documents read from TEI** (other editions' letters, CMIF entries,
//!   fond's own export read back): linked by their own references only
//!   (see [`link_tei`] for the rule). The glossary's surname rules are for
//!   the book's texts, and a TEI file of fond's export carries its links.
//!
//! # Architecture Invariant
//! Linking is derived: it reads the edition and never changes it, and the
//! same edition gives the same records and mentions in the same order.

pub mod decisions;

use fond_authority::{Authority, Person};
use fond_ingest::tei::{ListedOrg, ListedPeriodical, ListedPerson, Personography};
use fond_model::authority::{
    Body, BodyId, BodyKind, Entity, EntityKind, LifeYear, Mention, MentionField, NameElement,
    Office, OfficeSource, Origin, Periodical, PeriodicalId, PersonId, Point, Record,
};
use fond_model::{DocKind, Document, SourceShape};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Part of the links' stamp: bumped when linking changes what it derives,
/// so stored links are rebuilt.
pub const VERSION: &str = "fond-link r4";

/// A stored source as linking needs it: its name, the reader that read it,
/// and its text (authority files are read from their sources).
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub shape: SourceShape,
    pub text: &'a str,
}

/// What linking derives: every authority record (named in a text or not)
/// and every mention, in a stable order, with what the authority sources
/// had to say (a book without a glossary).
#[derive(Debug, Default)]
pub struct Linked {
    pub records: Vec<Record>,
    pub mentions: Vec<Mention>,
    pub notes: Vec<String>,
}

/// Why an edition could not be linked.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// A stored personography no longer reads (the reader changed since
    /// it went in).
    #[error("{source_name}: stored source no longer reads: {error}")]
    Source {
        source_name: String,
        error: fond_ingest::IngestError,
    },
}

/// The book's own sources of names are not texts that mention people.
fn is_authority_source(d: &Document) -> bool {
    d.kind == DocKind::EditorialText && matches!(d.title.as_str(), "Glossary of Names" | "Index")
}

/// Authorities by source name, and a message per book that gave none.
pub type Authorities = (Vec<(String, Authority)>, Vec<String>);

/// Every book-shaped source's authority, in name order, with a message for
/// each book that yields none. A book without a Glossary of Names
/// contributes no authority (it is skipped, not an error), so one small
/// Markdown file cannot take the people away from an archive that holds
/// the edition.
pub fn authorities(sources: &[SourceText<'_>]) -> Authorities {
    let mut books: Vec<&SourceText<'_>> = sources
        .iter()
        .filter(|s| s.shape == SourceShape::EditionMarkdown)
        .collect();
    books.sort_by(|a, b| a.name.cmp(b.name));
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for book in books {
        match Authority::from_book(book.text) {
            Ok(a) => found.push((book.name.to_string(), a)),
            Err(e) => notes.push(format!(
                "{}: no authority from this source ({e}); it contributes no people",
                book.name
            )),
        }
    }
    (found, notes)
}

/// The authority that links the book's texts: the first book-shaped
/// source (in name order) that has a Glossary of Names.
pub fn authority(sources: &[SourceText<'_>]) -> Option<Authority> {
    authorities(sources).0.into_iter().next().map(|(_, a)| a)
}

/// Links an edition: the authority file of its book (and of any
/// personography among its sources) and every mention in its documents.
pub fn link(documents: &[Document], sources: &[SourceText<'_>]) -> Result<Linked, LinkError> {
    let (mut found, notes) = authorities(sources);
    // The first book with a glossary links; the others lend the records
    // the first does not have (an edition split into volumes).
    let extra: Vec<(String, Authority)> = if found.len() > 1 {
        found.split_off(1)
    } else {
        Vec::new()
    };
    let auth = found.into_iter().next().map(|(_, a)| a);
    let shapes: HashMap<&str, SourceShape> = sources.iter().map(|s| (s.name, s.shape)).collect();
    let (tei_docs, book_docs): (Vec<&Document>, Vec<&Document>) =
        documents.iter().partition(|d| read_from_tei(d, &shapes));
    let listed = personographies(documents, sources)?;
    let mut linked = Linked {
        notes,
        ..Linked::default()
    };
    if auth.is_none() && tei_docs.is_empty() && listed.is_empty() {
        return Ok(linked);
    }
    let (tei_records, tei_mentions) = link_tei(auth.as_ref(), &tei_docs, &listed);
    if let Some(auth) = &auth {
        link_book(auth, &book_docs, &mut linked);
    }
    linked.records.extend(tei_records);
    linked.mentions.extend(tei_mentions);
    if !extra.is_empty() {
        let mut taken: HashSet<Entity> = linked.records.iter().map(Record::entity).collect();
        for (_, other) in &extra {
            let mut more = Linked::default();
            link_book(other, &[], &mut more);
            for r in more.records {
                if taken.insert(r.entity()) {
                    linked.records.push(r);
                }
            }
        }
    }
    Ok(linked)
}

/// The mentions [`link`] gives some documents, computed for them alone:
/// what linking a whole edition again would give them, the rest of the
/// links unchanged. That holds for documents linked by the book's
/// glossary: the records come from the authority sources, and each such
/// document's mentions from its own text, parties and date. A document
/// linked by its own references (TEI) shares its people with the other
/// TEI letters (parties merged by URI): then `None`, and the caller links
/// the whole edition. A correction of a document made in place calls
/// this, so that one corrected letter does not relink the archive.
pub fn relink(changed: &[Document], sources: &[SourceText<'_>]) -> Option<Vec<Mention>> {
    relink_with(authority(sources).as_ref(), changed, sources)
}

/// [`relink`] with the authority [`authority`] gives the same sources,
/// built once by a caller that relinks often (the reading room); only
/// the sources' names and shapes are read.
pub fn relink_with(
    auth: Option<&Authority>,
    changed: &[Document],
    sources: &[SourceText<'_>],
) -> Option<Vec<Mention>> {
    let shapes: HashMap<&str, SourceShape> = sources.iter().map(|s| (s.name, s.shape)).collect();
    if changed.iter().any(|d| read_from_tei(d, &shapes)) {
        return None;
    }
    let mut linked = Linked::default();
    if let Some(auth) = auth {
        let docs: Vec<&Document> = changed.iter().collect();
        link_book(auth, &docs, &mut linked);
    }
    Some(linked.mentions)
}

/// Whether a document was read from TEI: every source its witnesses cite
/// is a TEI file, or one the archive does not hold (a witness an imported
/// export of fond describes). Such documents are linked by their own
/// references.
fn read_from_tei(d: &Document, shapes: &HashMap<&str, SourceShape>) -> bool {
    !d.witnesses.is_empty()
        && d.witnesses.iter().all(|w| {
            shapes
                .get(w.source.as_str())
                .is_none_or(|s| *s == SourceShape::Tei)
        })
}

/// The personographies among the TEI sources (fond's `persons.xml`), with
/// their file names, in source order: the TEI sources no document came
/// from.
fn personographies<'a>(
    documents: &[Document],
    sources: &[SourceText<'a>],
) -> Result<Vec<(&'a str, Personography)>, LinkError> {
    let cited: HashSet<&str> = documents
        .iter()
        .flat_map(|d| d.witnesses.iter().map(|w| w.source.as_str()))
        .collect();
    let mut out = Vec::new();
    for s in sources {
        if s.shape != SourceShape::Tei || cited.contains(s.name) {
            continue;
        }
        let read =
            fond_ingest::tei::personography(s.name, s.text).map_err(|error| LinkError::Source {
                source_name: s.name.to_string(),
                error,
            })?;
        if let Some(p) = read {
            out.push((s.name, p));
        }
    }
    Ok(out)
}

/// The book's authority file and its mentions in the given documents.
fn link_book(auth: &Authority, docs: &[&Document], out: &mut Linked) {
    out.records
        .extend(auth.people().iter().cloned().map(Record::Person));
    out.records
        .extend(auth.bodies().iter().cloned().map(Record::Body));
    out.records
        .extend(auth.periodicals().iter().cloned().map(Record::Periodical));
    for d in docs.iter().filter(|d| !is_authority_source(d)) {
        let years = fond_authority::document_years(d);
        for (field, names) in [
            (MentionField::Sender, &d.senders),
            (MentionField::Addressee, &d.addressees),
        ] {
            for (i, name) in names.iter().enumerate() {
                if let Some(pid) = auth.resolve_party(name, years) {
                    out.mentions.push(Mention {
                        doc_id: d.id.clone(),
                        field,
                        entity: Entity::Person(pid),
                        start: i,
                        end: i,
                        surface: name.clone(),
                        confidence: 1.0,
                        resolved: true,
                        how: "party".into(),
                        candidates: Vec::new(),
                    });
                }
            }
        }
        out.mentions.extend(auth.link_document(d));
    }
}

/// fond's own personography reference (`persons.xml#org-council`) as
/// the entity it names, by the prefix the export gives bodies and
/// periodicals.
fn fond_ref(uri: &str) -> Option<Entity> {
    let (file, frag) = uri.split_once('#')?;
    if file.contains("://") || frag.is_empty() {
        return None;
    }
    Some(if let Some(id) = frag.strip_prefix("org-") {
        Entity::new(EntityKind::Body, id)
    } else if let Some(id) = frag.strip_prefix("bibl-") {
        Entity::new(EntityKind::Periodical, id)
    } else {
        Entity::new(EntityKind::Person, frag)
    })
}

/// Whether the book's authority file has the entity.
fn in_authority(auth: Option<&Authority>, e: &Entity) -> bool {
    auth.is_some_and(|a| match e {
        Entity::Person(p) => a.person(p).is_some(),
        Entity::Body(id) => a.bodies().iter().any(|b| &b.id == id),
        Entity::Periodical(id) => a.periodicals().iter().any(|p| &p.id == id),
    })
}

/// People of TEI letters, merged into the authority file, and the
/// mentions their names make.
///
/// The rule: a name whose `@ref` points into fond's personography
/// (`persons.xml#petrov-i-i`, as fond's export writes) is that entity,
/// the glossary's when the archive has the book, else the record the
/// archive's personography gives under that id (an ingested
/// `persons.xml`), else a minimal record of its own under the same id. A
/// party whose name as printed is exactly a glossary person's name is
/// that person. Any other party with URIs becomes a person keyed by its
/// first URI; parties of different letters sharing any URI are one person
/// (an edition may give both its own register and GND). A
/// party without a URI and without an exact glossary name is left
/// unlinked: a bare name is not enough to say two letters mean the same
/// person.
///
/// Every record of a personography goes in, named in a letter or not, as
/// the glossary's records do: the authority file is more than the names
/// the texts happen to use.
fn link_tei(
    auth: Option<&Authority>,
    docs: &[&Document],
    listed: &[(&str, Personography)],
) -> (Vec<Record>, Vec<Mention>) {
    let mut records = Vec::new();
    let mut listed_ids: BTreeSet<Entity> = BTreeSet::new();
    for (file, pg) in listed {
        let all = pg
            .people
            .iter()
            .map(|p| listed_person(file, p))
            .chain(pg.orgs.iter().map(listed_org))
            .chain(pg.periodicals.iter().map(listed_periodical));
        for record in all {
            let e = record.entity();
            if in_authority(auth, &e) || !listed_ids.insert(e) {
                continue;
            }
            records.push(record);
        }
    }
    let mut people: Vec<Person> = Vec::new();
    let mut by_uri: BTreeMap<String, usize> = BTreeMap::new();
    let mut own: BTreeMap<Entity, String> = BTreeMap::new();
    let mut mentions = Vec::new();
    for d in docs {
        for name in &d.name_refs {
            let (entity, how) = if let Some(e) = name.refs.first().and_then(|u| fond_ref(u)) {
                if !in_authority(auth, &e) && !listed_ids.contains(&e) {
                    own.entry(e.clone()).or_insert_with(|| name.surface.clone());
                }
                (e, "tei-ref")
            } else if !name.field.is_party() || name.element == NameElement::Org {
                continue;
            } else if let Some(p) = auth.and_then(|a| {
                a.people()
                    .iter()
                    .find(|p| p.name == name.surface || p.display_name() == name.surface)
            }) {
                (Entity::Person(p.id.clone()), "tei-exact-name")
            } else {
                let Some(first) = name.refs.first() else {
                    continue;
                };
                let k = match name.refs.iter().find_map(|u| by_uri.get(u).copied()) {
                    Some(k) => k,
                    None => {
                        people.push(tei_person(first, &name.surface));
                        people.len() - 1
                    }
                };
                for u in &name.refs {
                    by_uri.entry(u.clone()).or_insert(k);
                    if let Origin::Tei { refs } = &mut people[k].origin {
                        if !refs.contains(u) {
                            refs.push(u.clone());
                        }
                    }
                }
                if people[k].name != name.surface && !people[k].other_names.contains(&name.surface)
                {
                    people[k].other_names.push(name.surface.clone());
                }
                (Entity::Person(people[k].id.clone()), "tei-uri")
            };
            mentions.push(Mention {
                doc_id: d.id.clone(),
                field: name.field,
                entity,
                start: name.start,
                end: name.end,
                surface: name.surface.clone(),
                confidence: 1.0,
                resolved: name.certain,
                how: how.into(),
                candidates: Vec::new(),
            });
        }
    }
    records.extend(people.into_iter().map(Record::Person));
    // Entities fond's export named whose records the archive does not
    // hold (neither the book nor a personography came with the letters):
    // minimal records under the same ids, so that every mention has its
    // entity.
    for (e, surface) in own {
        records.push(match e {
            Entity::Person(id) => {
                let mut p = tei_person(&id.0, &surface);
                p.origin = Origin::Tei {
                    refs: vec![format!("persons.xml#{id}")],
                };
                Record::Person(p)
            }
            Entity::Body(id) => Record::Body(body_record(&id.0, &surface)),
            Entity::Periodical(id) => Record::Periodical(periodical_record(&id.0, &surface)),
        });
    }
    (records, mentions)
}

fn body_record(id: &str, name: &str) -> Body {
    Body {
        id: BodyId(id.to_string()),
        name: name.to_string(),
        kind: BodyKind::Informal,
        parent: None,
        aliases: Vec::new(),
        abbreviations: Vec::new(),
        russian: Vec::new(),
        portfolio: Vec::new(),
        office_only: Vec::new(),
    }
}

fn periodical_record(id: &str, title: &str) -> Periodical {
    Periodical {
        id: PeriodicalId(id.to_string()),
        title: title.to_string(),
        translation: None,
        aliases: Vec::new(),
        russian: Vec::new(),
        publisher: None,
    }
}

/// A personography's person as an authority record: what the
/// personography says (names, life years, offices, biography), the rest
/// derived from the name as for a TEI party. Exporting it writes the same
/// `person` element back.
fn listed_person(file: &str, p: &ListedPerson) -> Record {
    let life = |y: &fond_ingest::tei::ListedYear| LifeYear {
        year: y.when.or(y.not_before).or(y.not_after),
        uncertain: y.uncertain,
        alternatives: match (y.when, y.not_before, y.not_after) {
            (None, Some(_), Some(hi)) => vec![hi],
            _ => Vec::new(),
        },
        printed: y.printed.clone(),
    };
    let point = |d: &fond_ingest::tei::ListedDate, approximate: bool| Point {
        year: d.year,
        month: d.month,
        day: d.day,
        approximate,
    };
    let mut person = tei_person(&p.xml_id, &p.name);
    person.origin = Origin::Tei {
        refs: vec![format!("{file}#{}", p.xml_id)],
    };
    person.other_names = p.variants.clone();
    person.born = p.born.as_ref().map(life);
    person.died = p.died.as_ref().map(life);
    person.offices = p
        .affiliations
        .iter()
        .map(|a| Office {
            body: a
                .org_id
                .as_deref()
                .and_then(|o| o.strip_prefix("org-"))
                .map(|o| BodyId(o.to_string())),
            body_text: a.org_text.clone(),
            jurisdiction: None,
            role: a.role.clone(),
            from: a.from.as_ref().map(|d| point(d, a.approximate)),
            to: a.to.as_ref().map(|d| point(d, a.approximate)),
            assumed_only: a.from.is_some() && a.to.is_none(),
            date_shared: false,
            text: String::new(),
            source: OfficeSource::Glossary,
        })
        .collect();
    person.biography = p.biography.clone();
    Record::Person(person)
}

fn listed_org(o: &ListedOrg) -> Record {
    let id = o.xml_id.strip_prefix("org-").unwrap_or(&o.xml_id);
    let mut body = body_record(id, &o.name);
    // fond writes its kind of body in `@role`; another file's roles are
    // not fond's kinds.
    if let Some(kind) = o.kind.as_deref().and_then(|k| {
        serde_json::from_value::<BodyKind>(serde_json::Value::String(k.to_string())).ok()
    }) {
        body.kind = kind;
    }
    body.parent = o
        .parent
        .as_deref()
        .and_then(|p| p.strip_prefix("org-"))
        .map(|p| BodyId(p.to_string()));
    body.aliases = o.variants.clone();
    Record::Body(body)
}

fn listed_periodical(p: &ListedPeriodical) -> Record {
    let id = p.xml_id.strip_prefix("bibl-").unwrap_or(&p.xml_id);
    let mut record = periodical_record(id, &p.title);
    record.translation = p.translation.clone();
    record.aliases = p.variants.clone();
    Record::Periodical(record)
}

/// A person record for a TEI party: the name as the letter prints it
/// (`Beispiel, Anna von (1769–1859)`), surname before the comma.
fn tei_person(uri: &str, name: &str) -> Person {
    let bare = name.split(" (").next().unwrap_or(name).trim();
    let (surname, forenames) = match bare.split_once(',') {
        Some((s, f)) => (s.trim().to_string(), Some(f.trim().to_string())),
        None => match bare.rsplit_once(' ') {
            Some((f, s)) => (s.to_string(), Some(f.to_string())),
            None => (bare.to_string(), None),
        },
    };
    Person::named(
        PersonId(uri.to_string()),
        name,
        surname,
        forenames,
        Origin::Tei {
            refs: vec![uri.to_string()],
        },
    )
}

#[cfg(test)]
mod tests;
