//! The linking stage's place in the CLI, and the people and bodies
//! commands.
//!
//! Linking itself is `fond-link`'s: a plain function of the edition and
//! its authority sources. Here it runs after every ingest that changed the
//! edition, stamped with the edition's fingerprint, and its records and
//! mentions are stored. Commands that look a name up by any spelling
//! rebuild the authority from the stored source (tens of milliseconds)
//! rather than keep a second copy of its indexes.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use fond_authority::{Authority, Person};
use fond_model::authority::{Entity, EntityKind, Mention, MentionField, Record};
use fond_model::Document;
use fond_store::{Archive, DocFilter, StoredSource};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

fn source_texts(stored: &[StoredSource]) -> Vec<fond_link::SourceText<'_>> {
    stored
        .iter()
        .map(|s| fond_link::SourceText {
            name: &s.source.name,
            shape: s.source.shape,
            text: &s.text,
        })
        .collect()
}

/// The authority built from the archive's edition, if it holds one (see
/// [`fond_link::authority`]).
pub fn authority(archive: &Archive) -> Result<Option<Authority>> {
    let stored = archive.stored_sources()?;
    Ok(fond_link::authority(&source_texts(&stored)))
}

/// The fingerprint links made now would carry.
fn links_stamp(archive: &Archive) -> Result<String> {
    Ok(links_stamp_for(&archive.fingerprint()?.unwrap_or_default()))
}

/// The fingerprint links made from the edition of fingerprint
/// `edition_fp` carry.
pub fn links_stamp_for(edition_fp: &str) -> String {
    fond_ingest::sha256_hex(format!("{}\n{edition_fp}", fond_link::VERSION).as_bytes())
}

/// The mentions linking the whole edition again would give `changed`
/// documents, computed for them alone (see [`fond_link::relink`]);
/// `None` when only a whole linking can say — and so when an editor's
/// mention decision stands on one of them: decisions are applied, and
/// their outcomes recorded, by the whole linking (`link_archive`).
pub fn relink(archive: &Archive, changed: &[Document]) -> Result<Option<Vec<Mention>>> {
    let decided = archive.corrections()?.into_iter().any(|c| {
        c.sets()
            && matches!(
                c.target.field,
                fond_model::correction::Field::Mention { .. }
            )
            && changed.iter().any(|d| d.id == c.target.document)
    });
    if decided {
        return Ok(None);
    }
    let sources = archive.sources()?;
    let key: Vec<String> = sources
        .iter()
        .map(|s| format!("{}:{}", s.name, s.sha256))
        .collect();
    let key = key.join("\n");
    let auth = {
        let cached = AUTHORITY.lock().ok().and_then(|c| {
            c.as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, a)| a.clone())
        });
        match cached {
            Some(a) => a,
            None => {
                let a = std::sync::Arc::new(authority(archive)?);
                if let Ok(mut c) = AUTHORITY.lock() {
                    *c = Some((key, a.clone()));
                }
                a
            }
        }
    };
    let shapes: Vec<fond_link::SourceText<'_>> = sources
        .iter()
        .map(|s| fond_link::SourceText {
            name: &s.name,
            shape: s.shape,
            text: "",
        })
        .collect();
    Ok(fond_link::relink_with(
        auth.as_ref().as_ref(),
        changed,
        &shapes,
    ))
}

/// The authority of the sources last relinked with, by their names and
/// hashes: a process that corrects again and again (the reading room)
/// builds it once.
type CachedAuthority = (String, std::sync::Arc<Option<Authority>>);
static AUTHORITY: std::sync::Mutex<Option<CachedAuthority>> = std::sync::Mutex::new(None);

/// Whether the stored links were made from the stored edition.
pub fn links_current(archive: &Archive) -> Result<bool> {
    Ok(archive.links_fingerprint()?.as_deref() == Some(links_stamp(archive)?.as_str()))
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
    let stored = archive.stored_sources()?;
    let docs = archive.documents(&DocFilter::default())?;
    let mut linked = fond_link::link(&docs, &source_texts(&stored))?;
    // The editors' mention decisions, applied to every new linking.
    let corrections = archive.corrections()?;
    let outcomes = fond_link::decisions::apply(&mut linked.mentions, &docs, &corrections);
    archive.replace_links_for(&edition_fp, &linked.records, &linked.mentions, &fp)?;
    if !outcomes.is_empty() {
        archive.record_outcomes(&outcomes)?;
    }
    Ok((
        Some((linked.records.len(), linked.mentions.len())),
        linked.notes,
    ))
}

fn people_records(archive: &Archive) -> Result<Vec<Person>> {
    Ok(archive
        .entities(Some(EntityKind::Person))?
        .into_iter()
        .filter_map(|r| match r {
            Record::Person(p) => Some(p),
            _ => None,
        })
        .collect())
}

fn person_json(p: &Person, mentions: usize) -> Result<Value> {
    Ok(serde_json::to_value(fond_web::contract::PersonJson::of(
        p, mentions,
    ))?)
}

/// `fond people`: every person record.
pub fn people(archive: &Archive, json_out: bool, out: &mut impl Write) -> Result<()> {
    let people = people_records(archive)?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for m in archive.all_mentions(false)? {
        if let (Entity::Person(id), false) = (&m.entity, m.field.is_party()) {
            *counts.entry(id.0.clone()).or_default() += 1;
        }
    }
    for p in &people {
        let n = counts.get(&p.id.0).copied().unwrap_or(0);
        if json_out {
            serde_json::to_writer(&mut *out, &fond_web::contract::PersonJson::of(p, n))?;
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
fn kwic(doc: &Document, m: &Mention) -> String {
    let text = match m.field {
        MentionField::Body => doc.body_text(),
        MentionField::Note(n) => doc
            .notes
            .iter()
            .find(|x| x.n == n)
            .map(|x| x.text.clone())
            .unwrap_or_default(),
        MentionField::Sender | MentionField::Addressee => {
            return format!("({}) {}", m.field, m.surface)
        }
    };
    let (s, e) = (m.start, m.end);
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
/// A person's letters (sent or received), by year and by correspondent:
/// (held in full, known by metadata), and a correspondent's years.
#[derive(Default)]
struct Letters {
    by_year: BTreeMap<String, (usize, usize)>,
    by_correspondent: BTreeMap<String, (usize, usize, std::collections::BTreeSet<String>)>,
}

/// A document that names the person: the document, its mentions of them,
/// and every name linked in it.
struct Naming<'m> {
    doc: Document,
    of_them: Vec<&'m Mention>,
    all: Vec<Mention>,
}

/// A document the person is named in: id, title, how often, a line in
/// context.
type NamedIn = (String, String, usize, String);

/// `fond person QUERY`.
pub fn person(archive: &Archive, query: &str, json_out: bool, out: &mut impl Write) -> Result<()> {
    let people = people_records(archive)?;
    let p = find_person(archive, &people, query)?;
    let mentions = archive.mentions_of(&Entity::Person(p.id.clone()))?;
    let mut docs: BTreeMap<String, Vec<&Mention>> = BTreeMap::new();
    for m in &mentions {
        docs.entry(m.doc_id.clone()).or_default().push(m);
    }
    // Each document read once, with every name linked in it.
    let mut naming = Vec::with_capacity(docs.len());
    for (d, of_them) in docs {
        if let Some(doc) = archive.document(&d)? {
            let all = archive.mentions_in(&d)?;
            naming.push(Naming { doc, of_them, all });
        }
    }
    let beside = named_beside(p, &naming);
    let lines: Vec<NamedIn> = naming
        .iter()
        .map(|n| {
            let m = n
                .of_them
                .iter()
                .find(|m| m.field == MentionField::Body)
                .unwrap_or(&n.of_them[0]);
            (
                n.doc.id.clone(),
                n.doc.title.clone(),
                n.of_them.len(),
                kwic(&n.doc, m),
            )
        })
        .collect();
    let letters = letters_of(p, &people, &naming);
    let named = mentions.iter().filter(|m| !m.field.is_party()).count();
    if json_out {
        return write_person_json(out, p, named, &letters, &lines, &beside);
    }
    write_person_text(out, p, &letters, &lines, &beside)
}

/// The person a query names: the glossary's lookup knows every spelling;
/// people the archive knows by their authority URIs alone (TEI and CMIF
/// parties) are found by their name or URI.
fn find_person<'a>(archive: &Archive, people: &'a [Person], query: &str) -> Result<&'a Person> {
    let from_glossary =
        authority(archive)?.and_then(|auth| auth.lookup(query).first().map(|(id, _)| id.clone()));
    Ok(match from_glossary {
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
    })
}

/// The people most often named beside them: in the same documents.
fn named_beside(p: &Person, naming: &[Naming<'_>]) -> Vec<(String, usize)> {
    let mut beside: HashMap<String, usize> = HashMap::new();
    for n in naming {
        let mut seen = std::collections::HashSet::new();
        for m in &n.all {
            if let Entity::Person(other) = &m.entity {
                if *other != p.id && seen.insert(other.0.clone()) {
                    *beside.entry(other.0.clone()).or_default() += 1;
                }
            }
        }
    }
    let mut beside: Vec<(String, usize)> = beside.into_iter().collect();
    beside.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    beside.truncate(10);
    beside
}

/// Their letters by year and by correspondent, across the archive:
/// letters they sent or received, held in full or known by their metadata
/// only.
fn letters_of(p: &Person, people: &[Person], naming: &[Naming<'_>]) -> Letters {
    let mut letters = Letters::default();
    let Letters {
        by_year,
        by_correspondent,
    } = &mut letters;
    let names: HashMap<&str, &str> = people
        .iter()
        .map(|q| (q.id.0.as_str(), q.name.as_str()))
        .collect();
    for Naming { doc, of_them, all } in naming {
        let sent = of_them.iter().any(|m| m.field == MentionField::Sender);
        let received = of_them.iter().any(|m| m.field == MentionField::Addressee);
        if !sent && !received {
            continue;
        }
        let year = doc
            .date
            .interval
            .as_ref()
            .and_then(|i| i.year())
            .map_or_else(|| "undated".to_string(), |y| y.to_string());
        let (full, meta) = if doc.metadata_only { (0, 1) } else { (1, 0) };
        let e = by_year.entry(year.clone()).or_default();
        (e.0, e.1) = (e.0 + full, e.1 + meta);
        let mut others: Vec<(MentionField, &Vec<String>)> = Vec::new();
        if sent {
            others.push((MentionField::Addressee, &doc.addressees));
        }
        if received {
            others.push((MentionField::Sender, &doc.senders));
        }
        for (field, printed) in others {
            for (i, name) in printed.iter().enumerate() {
                let person = all
                    .iter()
                    .find(|m| m.field == field && m.start == i && m.resolved)
                    .map(|m| m.entity.id());
                if person == Some(p.id.0.as_str()) {
                    continue;
                }
                let who = person
                    .and_then(|id| names.get(id).copied())
                    .unwrap_or(name)
                    .to_string();
                let e = by_correspondent.entry(who).or_default();
                (e.0, e.1) = (e.0 + full, e.1 + meta);
                e.2.insert(year.clone());
            }
        }
    }
    letters
}

fn write_person_json(
    out: &mut impl Write,
    p: &Person,
    named: usize,
    letters: &Letters,
    lines: &[NamedIn],
    beside: &[(String, usize)],
) -> Result<()> {
    let Letters {
        by_year,
        by_correspondent,
    } = letters;
    let mut v = person_json(p, named)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("biography".into(), json!(p.biography));
        o.insert(
                "letters_by_correspondent".into(),
                json!(by_correspondent
                    .iter()
                    .map(|(who, (full, meta, years))| json!({"correspondent": who, "in_full": full, "metadata_only": meta, "years": years}))
                    .collect::<Vec<_>>()),
            );
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
    Ok(())
}

fn write_person_text(
    out: &mut impl Write,
    p: &Person,
    letters: &Letters,
    lines: &[NamedIn],
    beside: &[(String, usize)],
) -> Result<()> {
    let Letters {
        by_year,
        by_correspondent,
    } = letters;
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
    if !by_year.is_empty() {
        writeln!(out, "letters by year (in full + known by metadata):")?;
        for (y, (full, meta)) in by_year {
            writeln!(out, "  {y:<8} {full} + {meta}")?;
        }
        writeln!(
            out,
            "letters by correspondent (in full + known by metadata; years):"
        )?;
        let mut rows: Vec<_> = by_correspondent.iter().collect();
        rows.sort_by(|a, b| (b.1 .0 + b.1 .1).cmp(&(a.1 .0 + a.1 .1)).then(a.0.cmp(b.0)));
        for (who, (full, meta, years)) in rows {
            let first = years.iter().next().map_or("", String::as_str);
            let last = years.iter().next_back().map_or("", String::as_str);
            let span = if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            };
            writeln!(out, "  {who:<36} {full} + {meta}  {span}")?;
        }
    }
    writeln!(out, "documents ({}):", lines.len())?;
    for (id, _, n, k) in lines {
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
    let mentions = archive.mentions_of(&Entity::Body(b.id.clone()))?;
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
        .entities(Some(EntityKind::Person))?
        .into_iter()
        .map(|r| (r.entity().id().to_string(), r.name().to_string()))
        .collect();
    let edges = network_edges(archive, graph)?;
    let mut nodes: Vec<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    nodes.sort();
    nodes.dedup();
    let labelled: Vec<(&str, String)> = nodes
        .iter()
        .map(|n| {
            let label = people.get(*n).cloned().unwrap_or_else(|| n.to_string());
            (n.as_str(), label)
        })
        .collect();
    let directed = matches!(graph, Graph::Letters);
    match format {
        NetworkFormat::Csv => write_edges_csv(&edges, out)?,
        NetworkFormat::Gexf => write_gexf(&labelled, &edges, directed, out)?,
        NetworkFormat::Graphml => write_graphml(&labelled, &edges, directed, out)?,
    }
    Ok(())
}

/// The weighted edges between people: sender → addressee per letter, or
/// every pair of people named in one document's text and notes.
fn network_edges(archive: &Archive, graph: Graph) -> Result<BTreeMap<(String, String), usize>> {
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut by_doc: BTreeMap<String, Vec<Mention>> = BTreeMap::new();
    for m in archive.all_mentions(false)? {
        if m.entity.kind() == EntityKind::Person && m.resolved {
            by_doc.entry(m.doc_id.clone()).or_default().push(m);
        }
    }
    for ms in by_doc.values() {
        match graph {
            Graph::Letters => {
                for s in ms.iter().filter(|m| m.field == MentionField::Sender) {
                    for a in ms.iter().filter(|m| m.field == MentionField::Addressee) {
                        *edges
                            .entry((s.entity.id().to_string(), a.entity.id().to_string()))
                            .or_default() += 1;
                    }
                }
            }
            Graph::Mentions => {
                let mut ids: Vec<&str> = ms
                    .iter()
                    .filter(|m| !m.field.is_party())
                    .map(|m| m.entity.id())
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
    Ok(edges)
}

fn edge_kind(directed: bool) -> &'static str {
    if directed {
        "directed"
    } else {
        "undirected"
    }
}

fn write_gexf(
    nodes: &[(&str, String)],
    edges: &BTreeMap<(String, String), usize>,
    directed: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    use fond_text::escape_markup as esc;
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">")?;
    writeln!(out, "  <graph defaultedgetype=\"{}\">", edge_kind(directed))?;
    writeln!(out, "    <nodes>")?;
    for (id, label) in nodes {
        writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\"/>",
            esc(id),
            esc(label)
        )?;
    }
    writeln!(out, "    </nodes>\n    <edges>")?;
    for (i, ((a, b), w)) in edges.iter().enumerate() {
        writeln!(
            out,
            "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{w}\"/>",
            esc(a),
            esc(b)
        )?;
    }
    writeln!(out, "    </edges>\n  </graph>\n</gexf>")
}

fn write_graphml(
    nodes: &[(&str, String)],
    edges: &BTreeMap<(String, String), usize>,
    directed: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    use fond_text::escape_markup as esc;
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
    writeln!(out, "  <graph edgedefault=\"{}\">", edge_kind(directed))?;
    for (id, label) in nodes {
        writeln!(
            out,
            "    <node id=\"{}\"><data key=\"label\">{}</data></node>",
            esc(id),
            esc(label)
        )?;
    }
    for ((a, b), w) in edges {
        writeln!(
            out,
            "    <edge source=\"{}\" target=\"{}\"><data key=\"weight\">{w}</data></edge>",
            esc(a),
            esc(b)
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

/// What the linker makes of the name a mention decision names, before
/// any decision: the edition as stored, linked afresh (the stored links
/// have the decisions in them).
pub fn linked_value(
    archive: &Archive,
    doc: &Document,
    field: &fond_model::correction::Field,
) -> Result<fond_model::correction::Value> {
    let stored = archive.stored_sources()?;
    let docs = archive.documents(&DocFilter::default())?;
    let linked = fond_link::link(&docs, &source_texts(&stored))?;
    Ok(fond_link::decisions::linked_value(
        &linked.mentions,
        doc,
        field,
    ))
}

/// Mention decisions the linking stage found in conflict (the linker now
/// makes something else of the name), for `fond check`: the edition's
/// findings list the decisions whose name is gone.
pub fn decision_findings(archive: &Archive) -> Result<Vec<fond_model::Finding>> {
    use fond_model::correction::{Field, State};
    let mut out = Vec::new();
    for r in archive.correction_rows(None)? {
        let c = &r.correction;
        let Field::Mention { exact, place, .. } = &c.target.field else {
            continue;
        };
        if r.state != Some(State::Conflict) {
            continue;
        }
        let (source, line) = archive
            .document(&c.target.document)?
            .and_then(|d| {
                d.witnesses
                    .first()
                    .map(|w| (w.source.clone(), w.first_line))
            })
            .unwrap_or_default();
        out.push(fond_model::Finding {
            kind: fond_model::FindingKind::CorrectionConflict,
            source,
            line,
            document: Some(c.target.document.clone()),
            message: format!(
                "correction {} of mention \"{exact}\" ({place}): recorded as linked {}, now linked {}, decided {}; not applied (made by {} at {}); decide it again or revert it",
                c.id,
                c.recovered.shown(),
                r.now.as_ref().map(|v| v.shown()).unwrap_or_else(|| "(nothing)".into()),
                c.value.shown(),
                c.by,
                c.at
            ),
        });
    }
    Ok(out)
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
                    m.entity.id().to_string()
                } else {
                    m.candidates
                        .iter()
                        .map(Entity::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
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
