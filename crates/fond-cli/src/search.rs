//! The search index beside the archive, and the commands that read it:
//! `fond index`, `fond search`, `fond kwic`, `fond similar`.
//!
//! The index lives in `ARCHIVE/search`. It is derived: built from the
//! stored edition and its links, stamped with the links' fingerprint
//! (which covers the edition's), and rebuilt whenever that stamp no longer
//! matches — after every ingest that changed something, or when this
//! engine's indexer changed. Deleting it loses nothing.

use anyhow::{Context, Result};
use clap::ValueEnum;
use fond_authority::Authority;
use fond_model::authority::{Entity, EntityKind};
use fond_search::{
    LinkedEntity, NameVariants, RomanisationVariants, SearchIndex, SearchOptions, SearchResults,
};
use fond_store::{Archive, DocFilter};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Bumped when what the index is built from changes.
const INDEXER_VERSION: &str = "fond-index r1";
/// The file in the index folder that records what it was built from.
const STAMP: &str = "fond-archive.stamp";

pub fn index_dir(archive_dir: &Path) -> PathBuf {
    archive_dir.join("search")
}

pub fn stamp_of(archive: &Archive) -> Result<String> {
    let links = archive.links_fingerprint()?.unwrap_or_default();
    let edition = archive.fingerprint()?.unwrap_or_default();
    Ok(fond_ingest::sha256_hex(
        format!(
            "{INDEXER_VERSION}\n{}\n{edition}\n{links}",
            fond_search::schema::SCHEMA_VERSION
        )
        .as_bytes(),
    ))
}

/// What `fond index` did.
#[derive(Debug, Serialize)]
pub struct IndexReport {
    pub documents: usize,
    /// Bytes of text indexed (titles, bodies, notes).
    pub text_bytes: usize,
    pub index_bytes: u64,
    pub seconds: f64,
    /// Documents indexed again (or taken out) in place, when the index
    /// was updated rather than built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<usize>,
}

impl IndexReport {
    pub fn print(&self, out: &mut impl Write) -> std::io::Result<()> {
        if let Some(n) = self.updated {
            return writeln!(
                out,
                "updated in place: {n} of {} documents indexed again in {:.3} s; index {:.2} MB",
                self.documents,
                self.seconds,
                self.index_bytes as f64 / 1e6
            );
        }
        let mb = self.text_bytes as f64 / 1e6;
        writeln!(
            out,
            "indexed {} documents ({mb:.2} MB of text) in {:.3} s ({:.1} MB/s); index {:.2} MB",
            self.documents,
            self.seconds,
            mb / self.seconds.max(1e-9),
            self.index_bytes as f64 / 1e6
        )
    }
}

/// What the index is built from: every document, the people and bodies
/// linked in each, the collections' spans.
struct Material {
    docs: Vec<fond_model::Document>,
    linked: HashMap<String, Vec<LinkedEntity>>,
    spans: std::collections::BTreeMap<String, (fond_model::Day, fond_model::Day)>,
}

fn material(archive: &Archive) -> Result<Material> {
    let docs = archive.documents(&DocFilter::default())?;
    let names: HashMap<Entity, String> = archive
        .entities(None)?
        .into_iter()
        .map(|r| (r.entity(), r.name().to_string()))
        .collect();
    let linked = linked_entities(archive.all_mentions(false)?, &names);
    let spans = fond_search::schema::collection_spans(&docs);
    Ok(Material {
        docs,
        linked,
        spans,
    })
}

impl Material {
    /// What a document's entry in the index is made of, hashed: the
    /// document, its linked entities and its collection's span.
    fn hash(&self, d: &fond_model::Document) -> String {
        let mut text = serde_json::to_string(d).unwrap_or_default();
        for e in self.linked.get(&d.id).into_iter().flatten() {
            text.push_str(&format!(
                "\n{}\t{}\t{}",
                e.entity, e.name, e.in_people_facet
            ));
        }
        if let Some((lo, hi)) = self.spans.get(&d.collection) {
            text.push_str(&format!("\nspan {}/{}", lo.iso(), hi.iso()));
        }
        fond_ingest::sha256_hex(text.as_bytes())
    }

    /// The file of each document's hash that travels with the index (its
    /// first line the indexer and schema it was built by).
    fn hashes(&self) -> String {
        let mut out = format!("{}\n", indexer_line());
        for d in &self.docs {
            out.push_str(&format!("{}\t{}\n", d.id, self.hash(d)));
        }
        out
    }

    fn text_bytes(&self) -> usize {
        self.docs
            .iter()
            .map(|d| {
                d.title.len()
                    + d.body_text().len()
                    + d.notes.iter().map(|n| n.text.len()).sum::<usize>()
            })
            .sum()
    }
}

/// The file in the index folder with each indexed document's hash.
const HASHES: &str = "fond-documents.hashes";

fn indexer_line() -> String {
    format!("{INDEXER_VERSION} {}", fond_search::schema::SCHEMA_VERSION)
}

/// Builds the index of the archive in `ARCHIVE/search`, whatever is there.
pub fn build_index(archive_dir: &Path, archive: &Archive) -> Result<IndexReport> {
    let started = Instant::now();
    let mut m = material(archive)?;
    let text_bytes = m.text_bytes();
    let dir = index_dir(archive_dir);
    let n = m.docs.len();
    let stamp = stamp_of(archive)?;
    let hashes = m.hashes();
    let docs = std::mem::take(&mut m.docs);
    let index = SearchIndex::build_linked(
        &dir,
        docs.iter().map(|d| {
            let l = m.linked.remove(&d.id).unwrap_or_default();
            (d, l)
        }),
        &fond_search::BuildOptions {
            spans: m.spans,
            // The stamp travels inside the new index, so index and stamp
            // replace the old ones in the same step.
            files: vec![
                (STAMP.to_string(), format!("{stamp}\n")),
                (HASHES.to_string(), hashes),
            ],
            ..fond_search::BuildOptions::default()
        },
    )
    .with_context(|| format!("{}: building the search index", dir.display()))?;
    Ok(IndexReport {
        documents: n,
        text_bytes,
        index_bytes: index.size_bytes(),
        seconds: started.elapsed().as_secs_f64(),
        updated: None,
    })
}

/// Most documents an index is updated in place for after a
/// re-derivation: a tenth of the edition (at least ten). Past it a build
/// costs less than the deletions it would leave behind.
fn update_limit(docs: usize) -> usize {
    (docs / 10).max(10)
}

/// After a re-derivation that changed few documents, the index updated
/// in place for those (their entries compared by hash with what the
/// index holds); `None` when it must be built whole (no hashes, another
/// indexer, too many changed).
fn update_changed(archive_dir: &Path, archive: &Archive) -> Result<Option<IndexReport>> {
    let started = Instant::now();
    let dir = index_dir(archive_dir);
    let Ok(old) = std::fs::read_to_string(dir.join(HASHES)) else {
        return Ok(None);
    };
    let mut lines = old.lines();
    if lines.next() != Some(indexer_line().as_str()) || SearchIndex::open(&dir).is_err() {
        return Ok(None);
    }
    let mut held: HashMap<&str, &str> = lines.filter_map(|l| l.split_once('\t')).collect();
    let m = material(archive)?;
    let mut changed = Vec::new();
    for d in &m.docs {
        if held.remove(d.id.as_str()) != Some(m.hash(d).as_str()) {
            changed.push(d);
        }
    }
    let removed: Vec<String> = held.keys().map(|k| k.to_string()).collect();
    if changed.len() + removed.len() > update_limit(m.docs.len()) {
        return Ok(None);
    }
    let opts = fond_search::BuildOptions {
        spans: m.spans.clone(),
        files: vec![
            (STAMP.to_string(), format!("{}\n", stamp_of(archive)?)),
            (HASHES.to_string(), m.hashes()),
        ],
        ..fond_search::BuildOptions::default()
    };
    let n = changed.len();
    SearchIndex::update(
        &dir,
        changed
            .into_iter()
            .map(|d| (d, m.linked.get(&d.id).cloned().unwrap_or_default())),
        &removed,
        &opts,
    )
    .with_context(|| format!("{}: updating the search index", dir.display()))?;
    Ok(Some(IndexReport {
        documents: m.docs.len(),
        text_bytes: m.text_bytes(),
        index_bytes: SearchIndex::open(&dir)?.size_bytes(),
        seconds: started.elapsed().as_secs_f64(),
        updated: Some(n + removed.len()),
    }))
}

/// Each document's linked people and bodies, as the index takes them,
/// from the mentions (in the links' order) and the records' names: one
/// rule for a build and for an update in place.
fn linked_entities(
    mentions: Vec<fond_model::authority::Mention>,
    names: &HashMap<Entity, String>,
) -> HashMap<String, Vec<LinkedEntity>> {
    let mut linked: HashMap<String, Vec<LinkedEntity>> = HashMap::new();
    for m in mentions {
        // An ambiguous name is not counted for anyone: the facet and
        // `mentions:` should not claim what the linker could not decide.
        if !m.resolved {
            continue;
        }
        // The people facet counts the people a text or its notes name;
        // senders and addressees have facets of their own.
        let in_people_facet = !m.field.is_party() && m.entity.kind() == EntityKind::Person;
        let list = linked.entry(m.doc_id).or_default();
        if let Some(e) = list.iter_mut().find(|e| e.entity == m.entity) {
            e.in_people_facet |= in_people_facet;
            continue;
        }
        let name = names
            .get(&m.entity)
            .cloned()
            .unwrap_or_else(|| m.entity.id().to_string());
        list.push(LinkedEntity {
            entity: m.entity,
            name,
            in_people_facet,
        });
    }
    linked
}

/// How the index followed a change of some documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndexWay {
    /// The documents indexed again in place, the rest untouched.
    Updated { documents: usize },
    /// Built anew: it was not current before, or a changed date moved its
    /// collection's span (the open dates of the collection move with it).
    Rebuilt,
}

/// Brings the index up to date after `changed` documents (already
/// written, with their links) were replaced in place: updated in place
/// when it was current before the change (`was_current`) and no span
/// moved (`spans_before`: each changed collection's span then), else
/// rebuilt. The caller holds the write lock.
pub fn follow_documents(
    archive_dir: &Path,
    archive: &Archive,
    changed: &[fond_model::Document],
    was_current: bool,
    spans_before: &std::collections::BTreeMap<String, Option<(fond_model::Day, fond_model::Day)>>,
) -> Result<IndexWay> {
    let spans = collection_spans_of(archive, changed)?;
    let moved = spans.iter().any(|(c, s)| spans_before.get(c) != Some(s));
    if !was_current || moved {
        build_index(archive_dir, archive)?;
        return Ok(IndexWay::Rebuilt);
    }
    let mut entities = Vec::new();
    let mut mentions = Vec::new();
    for d in changed {
        for m in archive.mentions_in(&d.id)? {
            entities.push(m.entity.clone());
            mentions.push(m);
        }
    }
    entities.sort();
    entities.dedup();
    let names = archive.entity_names(&entities)?;
    let mut linked = linked_entities(mentions, &names);
    let stamp = stamp_of(archive)?;
    let opts = fond_search::BuildOptions {
        spans: spans
            .into_iter()
            .filter_map(|(c, s)| s.map(|s| (c, s)))
            .collect(),
        files: vec![(STAMP.to_string(), format!("{stamp}\n"))],
        ..fond_search::BuildOptions::default()
    };
    let dir = index_dir(archive_dir);
    let done = SearchIndex::update(
        &dir,
        changed
            .iter()
            .map(|d| (d, linked.remove(&d.id).unwrap_or_default())),
        &[],
        &opts,
    )
    .with_context(|| format!("{}: updating the search index", dir.display()))?;
    Ok(IndexWay::Updated {
        documents: done.replaced,
    })
}

/// The span of each changed document's collection, from the archive's
/// columns (see `fond_search::schema::collection_span`).
pub fn collection_spans_of(
    archive: &Archive,
    docs: &[fond_model::Document],
) -> Result<std::collections::BTreeMap<String, Option<(fond_model::Day, fond_model::Day)>>> {
    let mut out = std::collections::BTreeMap::new();
    for d in docs {
        if !out.contains_key(&d.collection) {
            let ends = archive.collection_dates(&d.collection)?;
            out.insert(
                d.collection.clone(),
                fond_search::schema::collection_span(ends),
            );
        }
    }
    Ok(out)
}

/// Whether the index in place was built from the archive as it is now.
pub fn index_current(archive_dir: &Path, archive: &Archive) -> bool {
    let dir = index_dir(archive_dir);
    std::fs::read_to_string(dir.join(STAMP))
        .ok()
        .is_some_and(|s| s.trim() == stamp_of(archive).unwrap_or_default())
        && SearchIndex::open(&dir).is_ok()
}

/// Rebuilds the index if it is missing or older than the archive; `None`
/// when it was current. The caller holds the archive's write lock.
pub fn ensure_index(archive_dir: &Path, archive: &Archive) -> Result<Option<IndexReport>> {
    if index_current(archive_dir, archive) {
        return Ok(None);
    }
    // Few documents changed: those updated in place; else built whole.
    match update_changed(archive_dir, archive) {
        Ok(Some(report)) => return Ok(Some(report)),
        Ok(None) => {}
        Err(e) => eprintln!(
            "fond: the search index could not be updated in place ({}); building it anew",
            crate::render::clean(&format!("{e:#}"))
        ),
    }
    build_index(archive_dir, archive).map(Some)
}

/// Opens the index in place. A reader opening it at the moment a writer
/// swaps a new one in may catch the old one's files going away; once more
/// then finds the new one whole.
fn open_in_place(dir: &Path) -> Result<SearchIndex, fond_search::SearchError> {
    SearchIndex::open(dir).or_else(|_| SearchIndex::open(dir))
}

/// Name variants from the people authority: a name finds the people it
/// may stand for (any romanisation, the Cyrillic, a nickname such as
/// `Koba` or `Sergo`), and through them their surnames and the documents
/// the linker tied to them.
pub struct AuthorityVariants {
    authority: Authority,
    /// Stored entity names (`Lenin, Vladimir`, as the people facet shows
    /// them), lower-cased, to their record: a clicked facet value finds
    /// exactly its entity.
    by_name: HashMap<String, Entity>,
    /// Answers already given, by name: the same names come back query
    /// after query, and a name the authority does not know costs a scan of
    /// every person for near spellings. Bounded.
    memo: std::sync::Mutex<HashMap<String, NameAnswer>>,
}

/// What a name stands for: (keys, entities).
type NameAnswer = (Vec<String>, Vec<String>);

/// Most names the memo keeps before it starts again.
const MEMO_NAMES: usize = 10_000;

impl AuthorityVariants {
    fn new(authority: Authority, by_name: HashMap<String, Entity>) -> Self {
        AuthorityVariants {
            authority,
            by_name,
            memo: Default::default(),
        }
    }

    /// (keys, entities) of a name, computed once.
    fn answer(&self, name: &str) -> NameAnswer {
        if let Some(a) = self.memo.lock().ok().and_then(|m| m.get(name).cloned()) {
            return a;
        }
        let a = (self.compute_keys(name), self.compute_entities(name));
        if let Ok(mut m) = self.memo.lock() {
            if m.len() >= MEMO_NAMES {
                m.clear();
            }
            m.insert(name.to_string(), a.clone());
        }
        a
    }

    /// The people a name stands for: the entity named exactly so, else the
    /// authority's lookup by any spelling.
    fn people(&self, name: &str) -> Vec<fond_authority::PersonId> {
        match self.by_name.get(&name.trim().to_lowercase()) {
            Some(Entity::Person(id)) => vec![id.clone()],
            Some(_) => Vec::new(),
            None => self
                .authority
                .lookup(name)
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        }
    }

    fn body(&self, name: &str) -> Option<&fond_authority::Body> {
        match self.by_name.get(&name.trim().to_lowercase()) {
            Some(Entity::Body(id)) => self.authority.body(id),
            Some(_) => None,
            None => self.authority.find_body(name),
        }
    }
}

impl NameVariants for AuthorityVariants {
    fn keys(&self, name: &str) -> Vec<String> {
        self.answer(name).0
    }

    fn entities(&self, name: &str) -> Vec<String> {
        self.answer(name).1
    }
}

impl AuthorityVariants {
    fn compute_keys(&self, name: &str) -> Vec<String> {
        let mut keys = RomanisationVariants.keys(name);
        for id in self.people(name) {
            if let Some(p) = self.authority.person(&id) {
                keys.push(p.surname.clone());
                for a in &p.aliases {
                    keys.push(a.name.clone());
                }
            }
        }
        if let Some(b) = self.body(name) {
            keys.extend(b.names().cloned());
        }
        keys.sort();
        keys.dedup();
        keys
    }

    fn compute_entities(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .people(name)
            .into_iter()
            .map(|id| Entity::Person(id).to_string())
            .collect();
        if let Some(e @ Entity::Periodical(_)) = self.by_name.get(&name.trim().to_lowercase()) {
            out.push(e.to_string());
        }
        if let Some(b) = self.body(name) {
            out.push(Entity::Body(b.id.clone()).to_string());
        }
        out
    }
}

/// The archive's index, current, with the authority's name variants when
/// the archive holds an edition with a glossary.
///
/// Searching never waits for a writer when there is an index to search:
/// an outdated index (another fond is writing; it will rebuild it) is
/// searched as it is, with a message. Only when there is none at all does
/// the search wait for the lock and build it.
pub fn open_index(archive_dir: &Path, archive: &Archive) -> Result<SearchIndex> {
    let dir = index_dir(archive_dir);
    let index = if index_current(archive_dir, archive) {
        open_in_place(&dir)
            .with_context(|| format!("{}: opening the search index", dir.display()))?
    } else {
        match open_in_place(&dir) {
            Ok(index) => {
                eprintln!(
                    "fond: the search index is older than the archive (another fond is writing it); searching it as it is"
                );
                index
            }
            Err(_) => {
                let _lock = crate::writer::lock(archive_dir)?;
                let mut archive = Archive::open_existing(archive_dir)?;
                let derived = crate::writer::derive(archive_dir, &mut archive);
                for p in &derived.problems {
                    eprintln!("fond: {}", crate::render::clean(p));
                }
                open_in_place(&dir)
                    .with_context(|| format!("{}: opening the search index", dir.display()))?
            }
        }
    };
    Ok(match crate::people::authority(archive)? {
        Some(authority) => {
            let by_name = archive
                .entities(None)?
                .into_iter()
                .map(|r| (r.name().to_lowercase(), r.entity()))
                .collect();
            index.with_name_variants(Box::new(AuthorityVariants::new(authority, by_name)))
        }
        None => index,
    })
}

pub fn index(archive_dir: &Path, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    // Fail on a missing archive before creating its lock file.
    drop(Archive::open_existing(archive_dir)?);
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open_existing(archive_dir)?;
    // The index is built over the links: make them current first.
    match crate::people::link_archive(&mut archive) {
        Ok((_, notes)) => notes
            .iter()
            .for_each(|n| eprintln!("fond: {}", crate::render::clean(n))),
        Err(e) => eprintln!(
            "fond: linking failed, indexing with the previous links: {}",
            crate::render::clean(&format!("{e:#}"))
        ),
    }
    let report = build_index(archive_dir, &archive)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        report.print(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub struct SearchArgs {
    pub query: String,
    pub json: bool,
    pub limit: usize,
    pub page: usize,
}

pub fn search(archive_dir: &Path, args: &SearchArgs, out: &mut impl Write) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let index = open_index(archive_dir, &archive)?;
    let opts = SearchOptions {
        limit: args.limit,
        offset: args.page.saturating_sub(1).saturating_mul(args.limit),
        ..SearchOptions::default()
    };
    let r = match index.search(&args.query, &opts) {
        Ok(r) => r,
        Err(fond_search::SearchError::Query(e)) => {
            // The message points at the problem under the query.
            anyhow::bail!("the query does not parse:\n{e}")
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &r)?;
        writeln!(out)?;
    } else {
        print_results(&r, &opts, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_results(r: &SearchResults, opts: &SearchOptions, out: &mut impl Write) -> Result<()> {
    let shown_from = opts.offset + 1;
    let shown_to = opts.offset + r.hits.len();
    if r.total == 0 {
        writeln!(out, "no documents match")?;
    } else {
        writeln!(
            out,
            "{} documents match; {shown_from}–{shown_to} shown{}",
            r.total,
            if r.partial {
                " (stopped at the time limit: counts are partial)"
            } else {
                ""
            }
        )?;
    }
    for h in &r.hits {
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}  [{}{}]  {:.2}",
            h.id,
            h.title,
            h.kind,
            h.date
                .as_deref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default(),
            h.score
        )?;
        writeln!(out, "    {}", h.snippet)?;
    }
    let facet = |name: &str, m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<(&String, &u64)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let parts: Vec<String> = v.iter().take(8).map(|(k, n)| format!("{k} {n}")).collect();
        format!("{name}: {}", parts.join(", "))
    };
    if r.total > 0 {
        writeln!(out)?;
        writeln!(out, "{}", facet("year", &r.facets.year))?;
        writeln!(out, "{}", facet("kind", &r.facets.kind))?;
        writeln!(out, "{}", facet("from", &r.facets.from))?;
        writeln!(out, "{}", facet("to", &r.facets.to))?;
        writeln!(out, "{}", facet("people", &r.facets.people))?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KwicSortArg {
    Left,
    Right,
    Doc,
}

pub fn kwic(
    archive_dir: &Path,
    term: &str,
    sort: KwicSortArg,
    width: usize,
    csv: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let index = open_index(archive_dir, &archive)?;
    let sort = match sort {
        KwicSortArg::Left => fond_search::KwicSort::Left,
        KwicSortArg::Right => fond_search::KwicSort::Right,
        KwicSortArg::Doc => fond_search::KwicSort::Doc,
    };
    let lines = index
        .kwic(term, sort, width)
        .with_context(|| format!("concordance of \"{term}\""))?;
    if csv {
        fond_search::write_kwic_csv(&lines, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = lines.iter().map(|l| l.id.len()).max().unwrap_or(0);
    for l in &lines {
        // Right-align the left context so the keywords form a column.
        let left: Vec<char> = l.left.trim_start().chars().collect();
        let left: String = left[left.len().saturating_sub(width)..].iter().collect();
        writeln!(
            out,
            "{:id_width$}  {left:>width$} [{}] {}",
            l.id,
            l.keyword,
            l.right.trim_end(),
        )?;
    }
    eprintln!("{} lines", lines.len());
    Ok(ExitCode::SUCCESS)
}

pub fn similar(
    archive_dir: &Path,
    id: &str,
    n: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let archive = crate::writer::open_for_reading(archive_dir)?;
    let doc = crate::find_document(&archive, id)?;
    let index = open_index(archive_dir, &archive)?;
    let similar = index.similar(&doc.id, n)?;
    if json {
        for s in &similar {
            serde_json::to_writer(&mut *out, s)?;
            writeln!(out)?;
        }
    } else {
        writeln!(out, "documents like {} ({}):", doc.id, doc.title)?;
        for s in &similar {
            writeln!(
                out,
                "{:.3}  {}  {}{}",
                s.score,
                s.id,
                s.title,
                s.date
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
