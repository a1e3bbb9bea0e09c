//! The linking stage and the people and bodies commands.
//!
//! Linking runs after every ingest that changed the edition: the authority
//! file is built from the edition's own Glossary of Names, Index and
//! Institutional Background (the stored source text), every document's
//! body and notes are linked, and senders and addressees are resolved to
//! people. Records and mentions are stored; commands that look a name up by
//! any spelling rebuild the authority from the stored source (tens of
//! milliseconds) rather than keep a second copy of its indexes.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use fond_authority::{Authority, Entity, Person};
use fond_model::{DocKind, Document, SourceShape};
use fond_store::{Archive, DocFilter, EntityRow, MentionRow};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// Bumped when the linker changes what it derives.
const LINKER_VERSION: &str = "fond-authority r3";

/// The book's own sources of names are not texts that mention people.
fn is_authority_source(d: &Document) -> bool {
    d.kind == DocKind::EditorialText && matches!(d.title.as_str(), "Glossary of Names" | "Index")
}

/// The authority built from the archive's edition, if it holds one: the
/// first book-shaped source (in name order) that has a Glossary of Names.
/// A book without one contributes no authority (it is skipped, not an
/// error), so one small Markdown file cannot take the people away from an
/// archive that holds the edition.
pub fn authority(archive: &Archive) -> Result<Option<Authority>> {
    Ok(authorities(archive)?.0.into_iter().next().map(|(_, a)| a))
}

/// Authorities by source name, and a message per book that gave none.
pub type Authorities = (Vec<(String, Authority)>, Vec<String>);

/// Every book-shaped source's authority, in name order, with a message for
/// each book that yields none.
pub fn authorities(archive: &Archive) -> Result<Authorities> {
    let mut books: Vec<_> = archive
        .stored_sources()?
        .into_iter()
        .filter(|s| s.source.shape == SourceShape::EditionMarkdown)
        .collect();
    books.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for book in books {
        match Authority::from_book(&book.text) {
            Ok(a) => found.push((book.source.name, a)),
            Err(e) => notes.push(format!(
                "{}: no authority from this source ({e}); it contributes no people",
                book.source.name
            )),
        }
    }
    Ok((found, notes))
}

/// The fingerprint links made now would carry.
fn links_stamp(archive: &Archive) -> Result<String> {
    let edition_fp = archive.fingerprint()?.unwrap_or_default();
    Ok(fond_ingest::sha256_hex(
        format!("{LINKER_VERSION}\n{edition_fp}").as_bytes(),
    ))
}

/// Whether the stored links were made from the stored edition.
pub fn links_current(archive: &Archive) -> Result<bool> {
    Ok(archive.links_fingerprint()?.as_deref() == Some(links_stamp(archive)?.as_str()))
}

fn entity_key(e: &Entity) -> (String, String) {
    match e {
        Entity::Person(p) => ("person".into(), p.0.clone()),
        Entity::Body(b) => ("body".into(), b.0.clone()),
        Entity::Periodical(p) => ("periodical".into(), p.0.clone()),
    }
}

/// Records and mentions written (`None`: links were current), and notes.
pub type Linked = (Option<(usize, usize)>, Vec<String>);

/// Links the archive if its links are older than its edition. Returns the
/// number of records and mentions written (`None` when nothing had to be
/// done) and what the authority sources had to say.
pub fn link_archive(archive: &mut Archive) -> Result<Linked> {
    let edition_fp = archive.fingerprint()?.unwrap_or_default();
    let fp = links_stamp(archive)?;
    if archive.links_fingerprint()?.as_deref() == Some(fp.as_str()) {
        return Ok((None, Vec::new()));
    }
    let (mut found, notes) = authorities(archive)?;
    // The first book with a glossary links; the others lend the records
    // the first does not have (an edition split into volumes).
    let extra: Vec<(String, Authority)> = if found.len() > 1 {
        found.split_off(1)
    } else {
        Vec::new()
    };
    let auth = found.into_iter().next().map(|(_, a)| a);
    let (tei, listed) = tei_inputs(archive)?;
    if auth.is_none() && tei.is_empty() && listed.is_empty() {
        archive.replace_links_for(&edition_fp, &[], &[], &fp)?;
        return Ok((Some((0, 0)), notes));
    }
    let docs = archive.documents(&DocFilter::default())?;
    let mut entities = Vec::new();
    let mut mentions = Vec::new();
    let (tei_entities, tei_mentions) = link_tei(auth.as_ref(), &tei, &listed);
    if let Some(auth) = &auth {
        // TEI letters are linked by their own references only (see
        // `link_tei`): the glossary's surname rules are for the book's
        // texts, and a TEI file of fond's export carries its links.
        let tei_ids: std::collections::BTreeSet<&str> =
            tei.iter().map(|(id, _)| id.as_str()).collect();
        let book_docs: Vec<Document> = docs
            .into_iter()
            .filter(|d| !tei_ids.contains(d.id.as_str()))
            .collect();
        link_book(auth, &book_docs, &mut entities, &mut mentions)?;
    }
    entities.extend(tei_entities);
    mentions.extend(tei_mentions);
    if !extra.is_empty() {
        let mut taken: std::collections::HashSet<(String, String)> = entities
            .iter()
            .map(|e| (e.kind.clone(), e.id.clone()))
            .collect();
        for (_, other) in &extra {
            let mut more = Vec::new();
            link_book(other, &[], &mut more, &mut Vec::new())?;
            for e in more {
                if taken.insert((e.kind.clone(), e.id.clone())) {
                    entities.push(e);
                }
            }
        }
    }
    archive.replace_links_for(&edition_fp, &entities, &mentions, &fp)?;
    Ok((Some((entities.len(), mentions.len())), notes))
}

fn row<T: serde::Serialize>(kind: &str, id: &str, name: &str, record: &T) -> Result<EntityRow> {
    Ok(EntityRow {
        kind: kind.into(),
        id: id.into(),
        name: name.into(),
        record: serde_json::to_string(record)?,
    })
}

/// The book's authority file and its mentions in every document.
fn link_book(
    auth: &Authority,
    docs: &[Document],
    entities: &mut Vec<EntityRow>,
    mentions: &mut Vec<MentionRow>,
) -> Result<()> {
    for p in auth.people() {
        entities.push(row("person", &p.id.0, &p.name, p)?);
    }
    for b in auth.bodies() {
        entities.push(row("body", &b.id.0, &b.name, b)?);
    }
    for p in auth.periodicals() {
        entities.push(row("periodical", &p.id.0, &p.title, p)?);
    }
    for d in docs.iter().filter(|d| !is_authority_source(d)) {
        let years = fond_authority::document_years(d);
        for (field, names) in [("sender", &d.senders), ("addressee", &d.addressees)] {
            for (i, name) in names.iter().enumerate() {
                if let Some(pid) = auth.resolve_party(name, years) {
                    mentions.push(MentionRow {
                        doc_id: d.id.clone(),
                        field: field.into(),
                        entity_kind: "person".into(),
                        entity_id: pid.0,
                        start: i as u32,
                        end: i as u32,
                        surface: name.clone(),
                        confidence: 1.0,
                        resolved: true,
                        how: "party".into(),
                        candidates: vec![],
                    });
                }
            }
        }
        for m in auth.link_document(d) {
            let field = match m.doc_id.split_once("#note-") {
                Some((_, n)) => format!("note:{n}"),
                None => "body".into(),
            };
            let (kind, id) = entity_key(&m.entity);
            mentions.push(MentionRow {
                doc_id: d.id.clone(),
                field,
                entity_kind: kind,
                entity_id: id,
                start: m.start as u32,
                end: m.end as u32,
                surface: m.surface.clone(),
                confidence: f64::from(m.confidence),
                resolved: m.resolved,
                how: m.how.to_string(),
                candidates: m.candidates.iter().map(|c| c.to_string()).collect(),
            });
        }
    }
    Ok(())
}

/// A TEI letter's id and its names with authority references.
type TeiNames = (String, Vec<fond_ingest::tei::NameRef>);
/// A personography and the name of the file it came in.
type Listed = (String, fond_ingest::tei::Personography);

/// The names with authority references of every TEI letter the archive
/// holds, by document id, and the personographies among its TEI files
/// (fond's `persons.xml`) with their file names; both in source order.
fn tei_inputs(archive: &Archive) -> Result<(Vec<TeiNames>, Vec<Listed>)> {
    let mut letters = Vec::new();
    let mut listed = Vec::new();
    for s in archive.stored_sources()? {
        if s.source.shape != SourceShape::Tei {
            continue;
        }
        // Stored sources were read when they went in; one that no longer
        // reads is reported the same way the ingest would.
        let no_longer =
            |e: fond_ingest::IngestError| anyhow::anyhow!("stored source no longer reads: {e}");
        // A TEI letter, or the letters a CMIF file describes.
        let found = fond_ingest::tei::letters_names(&s.source.name, &s.text).map_err(no_longer)?;
        match found.is_empty() {
            false => letters.extend(found),
            // A file without a text may be a personography.
            true => {
                if let Some(p) =
                    fond_ingest::tei::personography(&s.source.name, &s.text).map_err(no_longer)?
                {
                    listed.push((s.source.name.clone(), p));
                }
            }
        }
    }
    Ok((letters, listed))
}

/// fond's own personography reference (`persons.xml#org-politburo`) as
/// the entity it names: kind and authority id, by the prefix the export
/// gives bodies and periodicals.
fn fond_ref(uri: &str) -> Option<(&'static str, String)> {
    let (file, frag) = uri.split_once('#')?;
    if file.contains("://") || frag.is_empty() {
        return None;
    }
    Some(if let Some(id) = frag.strip_prefix("org-") {
        ("body", id.to_string())
    } else if let Some(id) = frag.strip_prefix("bibl-") {
        ("periodical", id.to_string())
    } else {
        ("person", frag.to_string())
    })
}

/// Whether the book's authority file has the entity of `kind` and `id`.
fn in_authority(auth: Option<&Authority>, kind: &str, id: &str) -> bool {
    auth.is_some_and(|a| match kind {
        "person" => a
            .person(&fond_authority::PersonId(id.to_string()))
            .is_some(),
        "body" => a.bodies().iter().any(|b| b.id.0 == id),
        _ => a.periodicals().iter().any(|p| p.id.0 == id),
    })
}

/// People of TEI letters, merged into the authority file, and the
/// mentions their names make.
///
/// The rule: a name whose `@ref` points into fond's personography
/// (`persons.xml#bukharin-n-i`, as fond's export writes) is that entity,
/// the glossary's when the archive has the book, else the record the
/// archive's personography gives under that id (an ingested
/// `persons.xml`), else a minimal record of its own under the same id. A
/// party whose name as printed is exactly a glossary person's name is
/// that person. Any other party with URIs becomes a person keyed by its
/// first URI; parties of different letters sharing any URI are one person
/// (the Humboldt letters give both the edition's register and GND). A
/// party without a URI and without an exact glossary name is left
/// unlinked: a bare name is not enough to say two letters mean the same
/// person.
///
/// Every record of a personography goes in, named in a letter or not, as
/// the glossary's records do: the authority file is more than the names
/// the texts happen to use.
fn link_tei(
    auth: Option<&Authority>,
    tei: &[TeiNames],
    listed: &[Listed],
) -> (Vec<EntityRow>, Vec<MentionRow>) {
    let mut rows = Vec::new();
    let mut listed_ids: std::collections::BTreeSet<(&'static str, String)> =
        std::collections::BTreeSet::new();
    for (file, pg) in listed {
        let records = pg
            .people
            .iter()
            .map(|p| ("person", listed_person(file, p)))
            .chain(pg.orgs.iter().map(|o| ("body", listed_org(o))))
            .chain(
                pg.periodicals
                    .iter()
                    .map(|p| ("periodical", listed_periodical(p))),
            );
        for (kind, record) in records {
            let Ok(record) = record else { continue };
            if in_authority(auth, kind, &record.id) || !listed_ids.insert((kind, record.id.clone()))
            {
                continue;
            }
            rows.push(record);
        }
    }
    let mut people: Vec<Person> = Vec::new();
    let mut by_uri: BTreeMap<String, usize> = BTreeMap::new();
    let mut own: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    let mut mentions = Vec::new();
    for (doc_id, names) in tei {
        for name in names {
            let party = name.field == "sender" || name.field == "addressee";
            let uris: Vec<&str> = name.target.split_whitespace().collect();
            let (kind, id, how) = if let Some((kind, id)) = uris.first().and_then(|u| fond_ref(u)) {
                if !in_authority(auth, kind, &id) && !listed_ids.contains(&(kind, id.clone())) {
                    own.entry((kind, id.clone()))
                        .or_insert_with(|| name.surface.clone());
                }
                (kind, id, "tei-ref")
            } else if !party || name.element == "orgName" {
                continue;
            } else if let Some(p) = auth.and_then(|a| {
                a.people()
                    .iter()
                    .find(|p| p.name == name.surface || p.display_name() == name.surface)
            }) {
                ("person", p.id.0.clone(), "tei-exact-name")
            } else {
                if uris.is_empty() {
                    continue;
                }
                let k = match uris.iter().find_map(|u| by_uri.get(*u).copied()) {
                    Some(k) => k,
                    None => {
                        people.push(tei_person(uris[0], &name.surface));
                        people.len() - 1
                    }
                };
                for u in &uris {
                    by_uri.entry(u.to_string()).or_insert(k);
                    if let fond_authority::Origin::Tei { refs } = &mut people[k].origin {
                        if !refs.iter().any(|r| r == u) {
                            refs.push(u.to_string());
                        }
                    }
                }
                if people[k].name != name.surface && !people[k].other_names.contains(&name.surface)
                {
                    people[k].other_names.push(name.surface.clone());
                }
                ("person", people[k].id.0.clone(), "tei-uri")
            };
            mentions.push(MentionRow {
                doc_id: doc_id.clone(),
                field: name.field.clone(),
                entity_kind: kind.into(),
                entity_id: id,
                start: name.start as u32,
                end: name.end as u32,
                surface: name.surface.clone(),
                confidence: 1.0,
                resolved: name.certain,
                how: how.into(),
                candidates: vec![],
            });
        }
    }
    for p in &people {
        if let Ok(r) = row("person", &p.id.0, &p.name, p) {
            rows.push(r);
        }
    }
    // Entities fond's export named whose records the archive does not
    // hold (neither the book nor a personography came with the letters):
    // minimal records under the same ids, so that every mention has its
    // entity.
    for ((kind, id), surface) in own {
        let r = match kind {
            "person" => {
                let mut p = tei_person(&id, &surface);
                p.origin = fond_authority::Origin::Tei {
                    refs: vec![format!("persons.xml#{id}")],
                };
                row("person", &id, &surface, &p)
            }
            "body" => row("body", &id, &surface, &body_record(&id, &surface)),
            _ => row(
                "periodical",
                &id,
                &surface,
                &periodical_record(&id, &surface),
            ),
        };
        if let Ok(r) = r {
            rows.push(r);
        }
    }
    (rows, mentions)
}

fn body_record(id: &str, name: &str) -> fond_authority::Body {
    fond_authority::Body {
        id: fond_authority::BodyId(id.to_string()),
        name: name.to_string(),
        kind: fond_authority::BodyKind::Informal,
        parent: None,
        aliases: Vec::new(),
        abbreviations: Vec::new(),
        russian: Vec::new(),
        portfolio: Vec::new(),
        office_only: Vec::new(),
    }
}

fn periodical_record(id: &str, title: &str) -> fond_authority::Periodical {
    fond_authority::Periodical {
        id: fond_authority::PeriodicalId(id.to_string()),
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
fn listed_person(file: &str, p: &fond_ingest::tei::ListedPerson) -> Result<EntityRow> {
    let life = |y: &fond_ingest::tei::ListedYear| fond_authority::LifeYear {
        year: y.when.or(y.not_before).or(y.not_after),
        uncertain: y.uncertain,
        alternatives: match (y.when, y.not_before, y.not_after) {
            (None, Some(_), Some(hi)) => vec![hi],
            _ => Vec::new(),
        },
        printed: y.printed.clone(),
    };
    let point = |d: &fond_ingest::tei::ListedDate, approximate: bool| fond_authority::Point {
        year: d.year,
        month: d.month,
        day: d.day,
        approximate,
    };
    let mut person = tei_person(&p.xml_id, &p.name);
    person.origin = fond_authority::Origin::Tei {
        refs: vec![format!("{file}#{}", p.xml_id)],
    };
    person.other_names = p.variants.clone();
    person.born = p.born.as_ref().map(life);
    person.died = p.died.as_ref().map(life);
    person.offices = p
        .affiliations
        .iter()
        .map(|a| fond_authority::Office {
            body: a
                .org_id
                .as_deref()
                .and_then(|o| o.strip_prefix("org-"))
                .map(|o| fond_authority::BodyId(o.to_string())),
            body_text: a.org_text.clone(),
            jurisdiction: None,
            role: a.role.clone(),
            from: a.from.as_ref().map(|d| point(d, a.approximate)),
            to: a.to.as_ref().map(|d| point(d, a.approximate)),
            assumed_only: a.from.is_some() && a.to.is_none(),
            date_shared: false,
            text: String::new(),
            source: fond_authority::OfficeSource::Glossary,
        })
        .collect();
    person.biography = p.biography.clone();
    row("person", &p.xml_id, &p.name, &person)
}

fn listed_org(o: &fond_ingest::tei::ListedOrg) -> Result<EntityRow> {
    let id = o.xml_id.strip_prefix("org-").unwrap_or(&o.xml_id);
    let mut body = body_record(id, &o.name);
    // fond writes its kind of body in `@role`; another file's roles are
    // not fond's kinds.
    if let Some(kind) = o.kind.as_deref().and_then(|k| {
        serde_json::from_value::<fond_authority::BodyKind>(Value::String(k.to_string())).ok()
    }) {
        body.kind = kind;
    }
    body.parent = o
        .parent
        .as_deref()
        .and_then(|p| p.strip_prefix("org-"))
        .map(|p| fond_authority::BodyId(p.to_string()));
    body.aliases = o.variants.clone();
    row("body", id, &o.name, &body)
}

fn listed_periodical(p: &fond_ingest::tei::ListedPeriodical) -> Result<EntityRow> {
    let id = p.xml_id.strip_prefix("bibl-").unwrap_or(&p.xml_id);
    let mut record = periodical_record(id, &p.title);
    record.translation = p.translation.clone();
    record.aliases = p.variants.clone();
    row("periodical", id, &p.title, &record)
}

/// A person record for a TEI party: the name as the letter prints it
/// (`Humboldt, Alexander von (1769–1859)`), surname before the comma.
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
        fond_authority::PersonId(uri.to_string()),
        name,
        surname,
        forenames,
        fond_authority::Origin::Tei {
            refs: vec![uri.to_string()],
        },
    )
}

fn people_records(archive: &Archive) -> Result<Vec<Person>> {
    archive
        .entities(Some("person"))?
        .iter()
        .map(|e| serde_json::from_str(&e.record).with_context(|| format!("person record {}", e.id)))
        .collect()
}

fn point_str(p: &Option<fond_authority::Point>) -> Value {
    match p {
        Some(p) => match (p.month, p.day) {
            (Some(m), Some(d)) => json!(format!("{:04}-{:02}-{:02}", p.year, m, d)),
            (Some(m), None) => json!(format!("{:04}-{:02}", p.year, m)),
            _ => json!(format!("{:04}", p.year)),
        },
        None => Value::Null,
    }
}

fn person_json(p: &Person, mentions: usize) -> Value {
    json!({
        "id": p.id.0,
        "name": p.name,
        "surname": p.surname,
        "forenames": p.forenames,
        "real_name": p.real_name,
        "pseudonyms": p.pseudonyms,
        "born": p.born.as_ref().map(|b| b.printed.clone()),
        "died": p.died.as_ref().map(|b| b.printed.clone()),
        "born_year": p.born.as_ref().and_then(|b| b.year),
        "died_year": p.died.as_ref().and_then(|b| b.year),
        "repressed": p.repressed(),
        "party_member_from": point_str(&p.party_member_from),
        "offices": p.offices.iter().map(|o| json!({
            "body": o.body.as_ref().map(|b| b.0.clone()).unwrap_or_else(|| o.body_text.clone()),
            "role": o.role,
            "from": point_str(&o.from),
            "to": point_str(&o.to),
        })).collect::<Vec<_>>(),
        "fates": p.fates,
        "origin": p.origin,
        "mentions": mentions,
    })
}

/// `fond people`: every person record.
pub fn people(archive: &Archive, json_out: bool, out: &mut impl Write) -> Result<()> {
    let people = people_records(archive)?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for m in archive.all_mentions(false)? {
        if m.entity_kind == "person" && m.field != "sender" && m.field != "addressee" {
            *counts.entry(m.entity_id).or_default() += 1;
        }
    }
    for p in &people {
        let n = counts.get(&p.id.0).copied().unwrap_or(0);
        if json_out {
            serde_json::to_writer(&mut *out, &person_json(p, n))?;
            writeln!(out)?;
        } else {
            let life = format!(
                "{}–{}",
                p.born.as_ref().map(|b| b.printed.as_str()).unwrap_or("?"),
                p.died.as_ref().map(|b| b.printed.as_str()).unwrap_or("?")
            );
            writeln!(out, "{:<28} {:<36} {:<12} {:>5}", p.id.0, p.name, life, n)?;
        }
    }
    if !json_out {
        writeln!(out, "{} people", people.len())?;
    }
    Ok(())
}

/// A keyword-in-context line for a mention.
fn kwic(doc: &Document, m: &MentionRow) -> String {
    let text = if m.field == "body" {
        doc.body_text()
    } else if let Some(n) = m
        .field
        .strip_prefix("note:")
        .and_then(|n| n.parse::<u32>().ok())
    {
        doc.notes
            .iter()
            .find(|x| x.n == n)
            .map(|x| x.text.clone())
            .unwrap_or_default()
    } else {
        return format!("({}) {}", m.field, m.surface);
    };
    let (s, e) = (m.start as usize, m.end as usize);
    if e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return m.surface.clone();
    }
    let left: String = text[..s]
        .chars()
        .rev()
        .take(50)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let right: String = text[e..].chars().take(50).collect();
    format!(
        "{}[{}]{}",
        left.replace('\n', " "),
        &text[s..e],
        right.replace('\n', " ")
    )
}

/// `fond person QUERY`.
pub fn person(archive: &Archive, query: &str, json_out: bool, out: &mut impl Write) -> Result<()> {
    // The glossary's lookup knows every spelling; people the archive knows
    // by their authority URIs alone (TEI and CMIF parties) are found by
    // their name or URI.
    let people = people_records(archive)?;
    let from_glossary =
        authority(archive)?.and_then(|auth| auth.lookup(query).first().map(|(id, _)| id.clone()));
    let p = match from_glossary {
        Some(pid) => people
            .iter()
            .find(|p| p.id == pid)
            .context("person not in the archive; run `fond ingest` again")?,
        None => {
            let q = query.to_lowercase();
            people
                .iter()
                .find(|p| p.id.0 == query)
                .or_else(|| people.iter().find(|p| p.name.to_lowercase().contains(&q)))
                .with_context(|| {
                    format!("no person matches \"{query}\"; `fond people` lists them")
                })?
        }
    };
    let mentions = archive.mentions_of("person", &p.id.0)?;
    let mut docs: BTreeMap<String, Vec<&MentionRow>> = BTreeMap::new();
    for m in &mentions {
        docs.entry(m.doc_id.clone()).or_default().push(m);
    }
    // The people most often named beside them: in the same documents.
    let mut beside: HashMap<String, usize> = HashMap::new();
    for d in docs.keys() {
        let mut seen = std::collections::HashSet::new();
        for m in archive.mentions_in(d)? {
            if m.entity_kind == "person"
                && m.entity_id != p.id.0
                && seen.insert(m.entity_id.clone())
            {
                *beside.entry(m.entity_id).or_default() += 1;
            }
        }
    }
    let mut beside: Vec<(String, usize)> = beside.into_iter().collect();
    beside.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    beside.truncate(10);
    let mut lines = Vec::new();
    for (d, ms) in &docs {
        let Some(doc) = archive.document(d)? else {
            continue;
        };
        let m = ms.iter().find(|m| m.field == "body").unwrap_or(&ms[0]);
        lines.push((doc.id.clone(), doc.title.clone(), ms.len(), kwic(&doc, m)));
    }
    // Their letters by year, across the archive: texts held in full and
    // letters known by their metadata only.
    let mut by_year: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for d in docs.keys() {
        if let Some(doc) = archive.document(d)? {
            let year = doc
                .date
                .interval
                .as_ref()
                .and_then(|i| i.year())
                .map_or_else(|| "undated".to_string(), |y| y.to_string());
            let e = by_year.entry(year).or_default();
            if doc.metadata_only {
                e.1 += 1;
            } else {
                e.0 += 1;
            }
        }
    }
    if json_out {
        let mut v = person_json(
            p,
            mentions
                .iter()
                .filter(|m| m.field != "sender" && m.field != "addressee")
                .count(),
        );
        if let Some(o) = v.as_object_mut() {
            o.insert("biography".into(), json!(p.biography));
            o.insert(
                "letters_by_year".into(),
                json!(by_year
                    .iter()
                    .map(|(y, (full, meta))| json!({"year": y, "in_full": full, "metadata_only": meta}))
                    .collect::<Vec<_>>()),
            );
            o.insert(
                "documents".into(),
                json!(lines
                    .iter()
                    .map(|(id, t, n, k)| json!({"id": id, "title": t, "mentions": n, "kwic": k}))
                    .collect::<Vec<_>>()),
            );
            o.insert(
                "beside".into(),
                json!(beside
                    .iter()
                    .map(|(id, n)| json!({"id": id, "documents": n}))
                    .collect::<Vec<_>>()),
            );
        }
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}  ({})", p.name, p.id.0)?;
    let life = format!(
        "{}–{}",
        p.born.as_ref().map(|b| b.printed.as_str()).unwrap_or("?"),
        p.died.as_ref().map(|b| b.printed.as_str()).unwrap_or("?")
    );
    writeln!(
        out,
        "life:       {life}{}",
        if p.repressed() { " · repressed" } else { "" }
    )?;
    if let Some(b) = &p.biography {
        writeln!(out, "biography:  {b}")?;
    }
    if !p.offices.is_empty() {
        writeln!(out, "offices:")?;
        let mut offices: Vec<_> = p.offices.iter().collect();
        offices.sort_by_key(|o| o.from.map(|f| f.year).unwrap_or(i32::MAX));
        for o in offices {
            let span = match (&o.from, &o.to) {
                (Some(f), Some(t)) => format!("{}–{}", f.year, t.year),
                (Some(f), None) => format!("{}–", f.year),
                _ => "?".into(),
            };
            writeln!(
                out,
                "  {:<10} {} {}",
                span,
                o.role.as_deref().unwrap_or(""),
                o.body_text
            )?;
        }
    }
    if by_year.values().any(|(_, m)| *m > 0) {
        writeln!(out, "letters by year (in full + known by metadata):")?;
        for (y, (full, meta)) in &by_year {
            writeln!(out, "  {y:<8} {full} + {meta}")?;
        }
    }
    writeln!(out, "documents ({}):", lines.len())?;
    for (id, _, n, k) in &lines {
        writeln!(out, "  {:<36} {:>2}× {}", id, n, k)?;
    }
    if !beside.is_empty() {
        let names: Vec<String> = beside.iter().map(|(id, n)| format!("{id} ({n})")).collect();
        writeln!(out, "named beside: {}", names.join(", "))?;
    }
    Ok(())
}

/// `fond body QUERY`.
pub fn body(archive: &Archive, query: &str, json_out: bool, out: &mut impl Write) -> Result<()> {
    let auth = authority(archive)?.context("the archive holds no edition")?;
    let Some(b) = auth.find_body(query) else {
        bail!("no body matches \"{query}\"")
    };
    let mentions = archive.mentions_of("body", &b.id.0)?;
    let mut docs: BTreeMap<String, usize> = BTreeMap::new();
    for m in &mentions {
        *docs.entry(m.doc_id.clone()).or_default() += 1;
    }
    if json_out {
        let mut v = serde_json::to_value(b)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("mentions".into(), json!(mentions.len()));
            o.insert("documents".into(), json!(docs));
        }
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}  ({})", b.name, b.id.0)?;
    if !b.aliases.is_empty() {
        writeln!(out, "also:       {}", b.aliases.join(", "))?;
    }
    if !b.abbreviations.is_empty() {
        writeln!(out, "abbrev.:    {}", b.abbreviations.join(", "))?;
    }
    if let Some(p) = &b.parent {
        writeln!(out, "part of:    {}", p.0)?;
    }
    writeln!(
        out,
        "mentions:   {} in {} documents",
        mentions.len(),
        docs.len()
    )?;
    for (d, n) in &docs {
        writeln!(out, "  {d:<40} {n}")?;
    }
    Ok(())
}

/// `fond who --body B --on DATE`.
pub fn who(
    archive: &Archive,
    body: &str,
    on: &str,
    json_out: bool,
    out: &mut impl Write,
) -> Result<()> {
    let day = fond_model::Day::parse_iso(on)
        .or_else(|| {
            on.parse::<i32>()
                .ok()
                .and_then(|y| fond_model::Day::new(y, 7, 1))
        })
        .with_context(|| format!("\"{on}\" is not a date; expected YYYY-MM-DD"))?;
    let auth = authority(archive)?.context("the archive holds no edition")?;
    if auth.find_body(body).is_none() {
        bail!("no body matches \"{body}\"");
    }
    let ids = auth.who(body, (day.year, day.month, day.day));
    let names: Vec<(String, String)> = ids
        .iter()
        .map(|id| {
            (
                id.0.clone(),
                auth.person(id).map(|p| p.name.clone()).unwrap_or_default(),
            )
        })
        .collect();
    if json_out {
        serde_json::to_writer(
            &mut *out,
            &names
                .iter()
                .map(|(id, n)| json!({"id": id, "name": n}))
                .collect::<Vec<_>>(),
        )?;
        writeln!(out)?;
    } else {
        for (id, n) in &names {
            writeln!(out, "{id:<28} {n}")?;
        }
        writeln!(out, "{} members of {body} on {}", names.len(), day.iso())?;
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum NetworkFormat {
    Gexf,
    Graphml,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Graph {
    /// Sender → addressee, one edge per document.
    Letters,
    /// People named in the same document.
    Mentions,
}

/// Writes weighted edges as CSV (`source,target,weight`), quoted by the
/// `csv` crate where a cell needs it (a comma, a quote, a line break).
fn write_edges_csv(edges: &BTreeMap<(String, String), usize>, out: &mut impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["source", "target", "weight"])?;
    for ((a, b), n) in edges {
        w.write_record([a.as_str(), b.as_str(), n.to_string().as_str()])?;
    }
    w.flush()?;
    Ok(())
}

/// `fond network`: the correspondence graph or the co-mention graph.
pub fn network(
    archive: &Archive,
    graph: Graph,
    format: NetworkFormat,
    out: &mut impl Write,
) -> Result<()> {
    let people: HashMap<String, String> = archive
        .entities(Some("person"))?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut by_doc: BTreeMap<String, Vec<MentionRow>> = BTreeMap::new();
    for m in archive.all_mentions(false)? {
        if m.entity_kind == "person" && m.resolved {
            by_doc.entry(m.doc_id.clone()).or_default().push(m);
        }
    }
    for ms in by_doc.values() {
        match graph {
            Graph::Letters => {
                for s in ms.iter().filter(|m| m.field == "sender") {
                    for a in ms.iter().filter(|m| m.field == "addressee") {
                        *edges
                            .entry((s.entity_id.clone(), a.entity_id.clone()))
                            .or_default() += 1;
                    }
                }
            }
            Graph::Mentions => {
                let mut ids: Vec<&str> = ms
                    .iter()
                    .filter(|m| m.field != "sender" && m.field != "addressee")
                    .map(|m| m.entity_id.as_str())
                    .collect();
                ids.sort();
                ids.dedup();
                for i in 0..ids.len() {
                    for j in i + 1..ids.len() {
                        *edges
                            .entry((ids[i].to_string(), ids[j].to_string()))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    let mut nodes: Vec<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    nodes.sort();
    nodes.dedup();
    let label = |id: &str| people.get(id).cloned().unwrap_or_else(|| id.to_string());
    let directed = matches!(graph, Graph::Letters);
    match format {
        NetworkFormat::Csv => {
            write_edges_csv(&edges, out)?;
        }
        NetworkFormat::Gexf => {
            writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(out, "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">")?;
            writeln!(
                out,
                "  <graph defaultedgetype=\"{}\">",
                if directed { "directed" } else { "undirected" }
            )?;
            writeln!(out, "    <nodes>")?;
            for n in &nodes {
                writeln!(
                    out,
                    "      <node id=\"{}\" label=\"{}\"/>",
                    fond_text::escape_markup(n),
                    fond_text::escape_markup(&label(n))
                )?;
            }
            writeln!(out, "    </nodes>\n    <edges>")?;
            for (i, ((a, b), w)) in edges.iter().enumerate() {
                writeln!(
                    out,
                    "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{w}\"/>",
                    fond_text::escape_markup(a),
                    fond_text::escape_markup(b)
                )?;
            }
            writeln!(out, "    </edges>\n  </graph>\n</gexf>")?;
        }
        NetworkFormat::Graphml => {
            writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(
                out,
                "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
            )?;
            writeln!(
                out,
                "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>"
            )?;
            writeln!(
                out,
                "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>"
            )?;
            writeln!(
                out,
                "  <graph edgedefault=\"{}\">",
                if directed { "directed" } else { "undirected" }
            )?;
            for n in &nodes {
                writeln!(
                    out,
                    "    <node id=\"{}\"><data key=\"label\">{}</data></node>",
                    fond_text::escape_markup(n),
                    fond_text::escape_markup(&label(n))
                )?;
            }
            for ((a, b), w) in &edges {
                writeln!(
                    out,
                    "    <edge source=\"{}\" target=\"{}\"><data key=\"weight\">{w}</data></edge>",
                    fond_text::escape_markup(a),
                    fond_text::escape_markup(b)
                )?;
            }
            writeln!(out, "  </graph>\n</graphml>")?;
        }
    }
    Ok(())
}

/// Unresolved mentions, for `fond check`.
pub fn unresolved_findings(archive: &Archive) -> Result<Vec<fond_model::Finding>> {
    let mut out = Vec::new();
    for m in archive.all_mentions(true)? {
        let source = archive
            .document(&m.doc_id)?
            .and_then(|d| {
                d.witnesses
                    .first()
                    .map(|w| (w.source.clone(), w.first_line))
            })
            .unwrap_or_default();
        out.push(fond_model::Finding {
            kind: fond_model::FindingKind::UnresolvedMention,
            source: source.0,
            line: source.1,
            document: Some(m.doc_id.clone()),
            message: format!(
                "\"{}\" ({}) could be any of: {}",
                m.surface,
                m.field,
                if m.candidates.is_empty() {
                    m.entity_id.clone()
                } else {
                    m.candidates.join(", ")
                }
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_csv_quotes_a_name_with_a_comma() {
        let mut edges = BTreeMap::new();
        edges.insert(("Ch'en, Tu-hsiu".to_string(), "plain-id".to_string()), 2);
        edges.insert(("say \"A\"".to_string(), "b".to_string()), 1);
        let mut out = Vec::new();
        write_edges_csv(&edges, &mut out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&out),
            "source,target,weight\n\"Ch'en, Tu-hsiu\",plain-id,2\n\"say \"\"A\"\"\",b,1\n"
        );
    }
}
