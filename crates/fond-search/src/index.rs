//! The search index: build, open, search, snippets, facets, similar
//! documents.

use crate::analysis::ScriptStemmer;
use crate::compile::Compiler;
use crate::deadline::Deadline;
use crate::error::SearchError;
use crate::matcher::{word_forms, Matcher};
use crate::names::{NameVariants, RomanisationVariants};
use crate::query::{self, ParsedQuery, Scope};
use crate::schema::{self, register_analyzers, Fields, LinkedEntity, SCHEMA_VERSION};
use crate::snippet::{self, FormsCache};
use fond_model::Document;
use serde::Serialize;
use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::{Collector, Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, Order, ReloadPolicy, Score, Searcher, SegmentReader,
    TantivyDocument, Term,
};

/// The file that marks a directory as a fond search index and records the
/// schema version it was built with.
const MARKER: &str = "fond-search.version";
/// Largest segment an update in place merges.
const UPDATE_MERGE_DOCS: usize = 1_000;
/// Most hits one page may hold.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest page: offset plus limit. Deeper paging costs a heap of this
/// size per search; nobody reads that far in a result list.
pub const MAX_DEPTH: usize = 100_000;

/// How a snippet marks the matched words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mark {
    /// `«word»`, plain text.
    #[default]
    Guillemets,
    /// `<mark>word</mark>`, the rest HTML-escaped.
    Html,
}

/// Options of a search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub offset: usize,
    pub limit: usize,
    /// Longest snippet, in characters.
    pub snippet_chars: usize,
    pub mark: Mark,
    /// Collection stops at this time and the result is marked partial.
    pub timeout: Duration,
    /// An absolute deadline instead of `timeout` from the call: a server
    /// sets it when the request arrives, so that the time spent waiting
    /// for a worker and building the query counts too.
    pub deadline: Option<Instant>,
    /// Count the facets (year, kind, sender, addressee, people).
    pub facets: bool,
    /// Most values listed per sender, addressee and people facet.
    pub facet_limit: usize,
    /// Documents the reader may not see (restricted or under embargo),
    /// by id. They are excluded inside the query, so the total, the facet
    /// counts and the pages are computed without them: nothing counted
    /// betrays them.
    pub exclude_ids: Vec<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            offset: 0,
            limit: 10,
            snippet_chars: 200,
            mark: Mark::Guillemets,
            timeout: Duration::from_secs(5),
            deadline: None,
            facets: true,
            facet_limit: 20,
            exclude_ids: Vec::new(),
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub snippet: String,
    pub title: String,
    pub kind: String,
    /// The EDTF value of the document's date; `null` when undated.
    pub date: Option<String>,
}

/// Counts of the matching documents by year, kind, sender, addressee and
/// the people mentioned (as the linking stage resolved them).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub year: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
    pub from: BTreeMap<String, u64>,
    pub to: BTreeMap<String, u64>,
    pub people: BTreeMap<String, u64>,
}

/// The answer to a search: the JSON contract of `fond search --json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// The search stopped at its timeout: `total`, hits and facets count
    /// only the documents seen until then.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// A document like another.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SimilarDoc {
    pub id: String,
    pub score: f32,
    pub title: String,
    pub kind: String,
    pub date: Option<String>,
}

/// Index building options.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Indexing threads. tantivy gives each its own segment buffer.
    pub threads: usize,
    /// Memory for all indexing threads together, in bytes.
    pub memory_bytes: usize,
    /// Per collection, the span that closes open date ends
    /// ([`schema::collection_spans`]); [`SearchIndex::build`] computes it.
    pub spans: BTreeMap<String, (fond_model::Day, fond_model::Day)>,
    /// Files (name, content) written into the new index before it is
    /// moved into place, so that they arrive with it in one step (the
    /// caller's stamp of what the index was built from).
    pub files: Vec<(String, String)>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        BuildOptions {
            threads: cores.clamp(1, 2),
            memory_bytes: 128 << 20,
            spans: BTreeMap::new(),
            files: Vec::new(),
        }
    }
}

/// What [`SearchIndex::update`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Updated {
    /// Documents indexed again.
    pub replaced: usize,
    /// Documents taken out.
    pub removed: usize,
}

/// A search index over the documents of an archive. Derived and
/// rebuildable: it is never the source of truth, and an index of another
/// schema version is refused rather than read.
pub struct SearchIndex {
    /// Word forms of stored texts, for snippets.
    forms: FormsCache,
    reader: IndexReader,
    fields: Fields,
    variants: Box<dyn NameVariants>,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

fn marker_version(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(MARKER))
        .ok()
        .map(|s| s.trim().to_string())
}

fn is_empty_dir(dir: &Path) -> Result<bool, SearchError> {
    let mut it = std::fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    Ok(it.next().is_none())
}

/// Removes the leftovers of an interrupted build or swap: the siblings
/// `<index>.building` and `<index>.old` are fond's own names beside its
/// own index, so whatever state a crash left them in (a build killed
/// before its marker, tantivy's lock files, an old index half deleted)
/// they are cleared rather than refused.
fn remove_leftover(dir: &Path) -> Result<(), SearchError> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(SearchError::io(dir, e)),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(dir).map_err(|e| SearchError::io(dir, e)),
        Ok(_) => std::fs::remove_file(dir).map_err(|e| SearchError::io(dir, e)),
    }
}

/// Puts the finished `staging` index in place of `dir` in one step, so a
/// reader opening `dir` finds either the old index or the new one, never
/// none. On Linux the two directories are exchanged atomically
/// (`renameat2(RENAME_EXCHANGE)`) and the old one, now under the staging
/// name, is deleted after; a crash in between leaves a complete index in
/// place and a leftover the next build clears.
fn swap_into_place(staging: &Path, dir: &Path) -> Result<(), SearchError> {
    if !dir.exists() {
        return std::fs::rename(staging, dir).map_err(|e| SearchError::io(staging, e));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staging, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return remove_leftover(staging),
            // A file system without RENAME_EXCHANGE: the two renames below.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(SearchError::io(staging, e.into())),
        }
    }
    let old = sibling(dir, ".old");
    remove_leftover(&old)?;
    std::fs::rename(dir, &old).map_err(|e| SearchError::io(dir, e))?;
    std::fs::rename(staging, dir).map_err(|e| SearchError::io(staging, e))?;
    remove_leftover(&old)
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    dir.with_file_name(name)
}

impl SearchIndex {
    /// Builds the index of `docs` in `dir`, replacing an index already
    /// there. The new index is built beside it and moved into place, so a
    /// reader never sees half an index and a failed build leaves the old
    /// one.
    pub fn build(dir: &Path, docs: &[Document]) -> Result<SearchIndex, SearchError> {
        let opts = BuildOptions {
            spans: schema::collection_spans(docs),
            ..BuildOptions::default()
        };
        Self::build_with(dir, docs.iter(), &opts)
    }

    /// [`SearchIndex::build`] from any iterator of documents (the benchmark
    /// generates them on the fly), with explicit options.
    pub fn build_with<D: Borrow<Document>>(
        dir: &Path,
        docs: impl IntoIterator<Item = D>,
        opts: &BuildOptions,
    ) -> Result<SearchIndex, SearchError> {
        Self::build_linked(dir, docs.into_iter().map(|d| (d, Vec::new())), opts)
    }

    /// [`SearchIndex::build_with`], each document with the people and
    /// bodies linked in it (for `mentions:` and the `people` facet).
    pub fn build_linked<D: Borrow<Document>>(
        dir: &Path,
        docs: impl IntoIterator<Item = (D, Vec<LinkedEntity>)>,
        opts: &BuildOptions,
    ) -> Result<SearchIndex, SearchError> {
        if dir.exists() && marker_version(dir).is_none() && !is_empty_dir(dir)? {
            return Err(SearchError::NotAnIndex(dir.to_path_buf()));
        }
        let staging = sibling(dir, ".building");
        // Leftovers of an interrupted build or swap (the caller serialises
        // builds, so nothing else is working in them now).
        remove_leftover(&staging)?;
        remove_leftover(&sibling(dir, ".old"))?;
        std::fs::create_dir_all(&staging).map_err(|e| SearchError::io(&staging, e))?;
        // The marker goes in first, so a crashed build's leftovers are
        // recognised as ours and cleared by the next build.
        std::fs::write(staging.join(MARKER), format!("{SCHEMA_VERSION}-building\n"))
            .map_err(|e| SearchError::io(&staging, e))?;

        let (schema, fields) = schema::schema();
        let directory =
            MmapDirectory::open(&staging).map_err(|source| SearchError::OpenDirectory {
                path: staging.clone(),
                source,
            })?;
        let index = Index::open_or_create(directory, schema)?;
        register_analyzers(&index);
        let threads = opts.threads.max(1);
        // tantivy wants at least 15 MB per thread.
        let memory = opts.memory_bytes.max(threads * (16 << 20));
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(threads, memory)?;
        for (d, linked) in docs {
            let d = d.borrow();
            let span = opts.spans.get(&d.collection).copied();
            writer.add_document(schema::to_index_doc(&fields, d, &linked, span))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        drop(index);

        for (name, content) in &opts.files {
            std::fs::write(staging.join(name), content)
                .map_err(|e| SearchError::io(&staging, e))?;
        }
        std::fs::write(staging.join(MARKER), format!("{SCHEMA_VERSION}\n"))
            .map_err(|e| SearchError::io(&staging, e))?;
        swap_into_place(&staging, dir)?;
        Self::open(dir)
    }

    /// Updates the index in `dir` in place: each changed document's old
    /// entry (found by its `id` term) deleted and the new one added, the
    /// `removed` ids deleted, in one commit; then `opts.files` (the
    /// caller's stamp) written, each through a rename. A reader that has
    /// the index open keeps what it had until it reloads
    /// ([`SearchIndex::reload`]); one that opens it after the commit sees
    /// the change. `opts.spans` must give the span of every changed
    /// document's collection as a build over the whole edition would
    /// ([`schema::collection_span`]); when a change moves a span, the
    /// caller rebuilds instead (the open dates of the other documents of
    /// the collection move with it).
    pub fn update<D: Borrow<Document>>(
        dir: &Path,
        changed: impl IntoIterator<Item = (D, Vec<LinkedEntity>)>,
        removed: &[String],
        opts: &BuildOptions,
    ) -> Result<Updated, SearchError> {
        let index = open_index(dir)?;
        let (_, fields) = schema::schema();
        // One thread and tantivy's smallest arena: a few documents.
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 16 << 20)?;
        // Only the small segments updates add are merged (a handful of
        // documents each, so a merge costs little); the build's large
        // segments are left as they are, their deleted entries with them,
        // until the next build. Merging them would cost a correction
        // seconds on a large archive.
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_max_docs_before_merge(UPDATE_MERGE_DOCS);
        writer.set_merge_policy(Box::new(policy));
        let mut done = Updated::default();
        for (d, linked) in changed {
            let d = d.borrow();
            writer.delete_term(Term::from_field_text(fields.id, &d.id));
            let span = opts.spans.get(&d.collection).copied();
            writer.add_document(schema::to_index_doc(&fields, d, &linked, span))?;
            done.replaced += 1;
        }
        for id in removed {
            writer.delete_term(Term::from_field_text(fields.id, id));
            done.removed += 1;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        for (name, content) in &opts.files {
            let tmp = dir.join(format!("{name}.new"));
            std::fs::write(&tmp, content).map_err(|e| SearchError::io(&tmp, e))?;
            std::fs::rename(&tmp, dir.join(name)).map_err(|e| SearchError::io(dir, e))?;
        }
        Ok(done)
    }

    /// Sees the index as it is on disk now (after an update in place by
    /// another handle or process), forgetting the word forms of the old
    /// texts.
    pub fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.forms.clear();
        Ok(())
    }

    /// Whether a build or swap was interrupted beside `dir` (its
    /// `.building` or `.old` sibling exists).
    pub fn has_leftovers(dir: &Path) -> bool {
        [".building", ".old"]
            .iter()
            .any(|s| std::fs::symlink_metadata(sibling(dir, s)).is_ok())
    }

    /// Clears what an interrupted build or swap left beside `dir`. The
    /// caller holds the archive's write lock (no build is running).
    pub fn clear_leftovers(dir: &Path) -> Result<(), SearchError> {
        remove_leftover(&sibling(dir, ".building"))?;
        remove_leftover(&sibling(dir, ".old"))
    }

    /// Opens an index built by [`SearchIndex::build`].
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        // Segments are searched on the calling thread. tantivy's
        // multi-thread executor (one thread per core over the segments)
        // was measured slower on these 2 cores at 100,000 documents, every
        // query type but the date ranges (term p50 1.0 → 1.35 ms, faceted 2.0 →
        // 2.7 ms; `fond bench search --docs 100000`).
        let index = open_index(dir)?;
        let (_, fields) = schema::schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            forms: FormsCache::default(),
            reader,
            fields,
            variants: Box::new(RomanisationVariants),
            dir: dir.to_path_buf(),
        })
    }

    /// Replaces the name variants `from:`, `to:` and `mentions:` use (the
    /// people authority plugs in here).
    pub fn with_name_variants(mut self, variants: Box<dyn NameVariants>) -> SearchIndex {
        self.variants = variants;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Documents per segment, largest first: how far a query can be
    /// spread over the cores.
    pub fn segment_docs(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.num_docs())
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    /// Number of documents indexed.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index takes on disk.
    pub fn size_bytes(&self) -> u64 {
        dir_size(&self.dir)
    }

    /// Parses and compiles a query into the tantivy query it runs as.
    pub fn compile(&self, query: &str) -> Result<(ParsedQuery, Box<dyn Query>), SearchError> {
        let parsed = query::parse(query)?;
        let q = Compiler::new(&self.fields, self.variants.as_ref()).compile(&parsed);
        Ok((parsed, q))
    }

    /// Runs a query: ranked hits with snippets, the total and the facets.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults, SearchError> {
        // Set before the query is compiled: expanding prefixes and fuzzy
        // terms and building the name matcher are part of the budget.
        let deadline = opts
            .deadline
            .unwrap_or_else(|| Instant::now() + opts.timeout);
        let (parsed, q) = self.compile(query)?;
        let q = self.excluding(q, &opts.exclude_ids);
        let searcher = self.reader.searcher();
        let limit = opts.limit.min(MAX_LIMIT);
        let offset = opts.offset.min(MAX_DEPTH.saturating_sub(limit));
        let facets = opts.facets.then(|| {
            let mut c = FacetCollector::for_field("facets");
            for f in ["/year", "/kind", "/from", "/to", "/people"] {
                c.add_facet(f);
            }
            c
        });
        let matcher = Matcher::new(&parsed, self.variants.as_ref());
        if Instant::now() >= deadline {
            // The budget went on waiting and building: nothing collected.
            return Ok(SearchResults {
                total: 0,
                hits: Vec::new(),
                facets: Facets::default(),
                partial: true,
            });
        }
        let page = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        // A query of field restrictions only scores every match alike:
        // list those in edition order rather than in index order.
        let (top, total, facet_counts, partial) = if matcher.is_empty() {
            let by_order = page.order_by_fast_field::<u64>("order", Order::Asc);
            let (top, total, facets, partial) = collect(&searcher, &q, by_order, facets, deadline)?;
            let top: Vec<(f32, DocAddress)> = top.into_iter().map(|(_, a)| (0.0, a)).collect();
            (top, total, facets, partial)
        } else {
            // Equal scores (fuzzy and prefix matches score flat) are
            // broken by edition order: segments are filled by several
            // threads, so index order is not deterministic, and the same
            // query must list the same documents in the same order.
            let by_score = page.tweak_score(|segment: &SegmentReader| {
                let order = segment.fast_fields().u64("order").ok();
                move |doc: DocId, score: Score| {
                    let n = order
                        .as_ref()
                        .and_then(|c| c.first(doc))
                        .unwrap_or(u64::MAX);
                    (score, Reverse(n))
                }
            });
            let (top, total, facets, partial) = collect(&searcher, &q, by_score, facets, deadline)?;
            let top: Vec<(f32, DocAddress)> =
                top.into_iter().map(|((score, _), a)| (score, a)).collect();
            (top, total, facets, partial)
        };

        let stemmer = ScriptStemmer::default();
        let mut hits = Vec::with_capacity(limit);
        for (score, addr) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let snippet = self.snippet(&doc, &parsed, &matcher, &stemmer, opts);
            hits.push(self.hit(&doc, score, snippet));
        }

        let mut out = Facets::default();
        let Some(facet_counts) = facet_counts else {
            return Ok(SearchResults {
                total: total as u64,
                hits,
                facets: out,
                partial,
            });
        };
        for (name, map, limit) in [
            ("/year", &mut out.year, usize::MAX),
            ("/kind", &mut out.kind, usize::MAX),
            ("/from", &mut out.from, opts.facet_limit),
            ("/to", &mut out.to, opts.facet_limit),
            ("/people", &mut out.people, opts.facet_limit),
        ] {
            let mut counts: Vec<(String, u64)> = facet_counts
                .get(name)
                .map(|(f, c)| (last_segment(f), c))
                .collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts.truncate(limit);
            map.extend(counts);
        }
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets: out,
            partial,
        })
    }

    /// `q` without the documents of these ids: a must-not clause over the
    /// indexed `id` field, so that collectors (count, facets, top hits)
    /// never see them.
    fn excluding(&self, q: Box<dyn Query>, ids: &[String]) -> Box<dyn Query> {
        if ids.is_empty() {
            return q;
        }
        let terms = ids
            .iter()
            .map(|id| Term::from_field_text(self.fields.id, id));
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, q),
            (Occur::MustNot, Box::new(TermSetQuery::new(terms))),
        ]))
    }

    fn stored_str(&self, doc: &TantivyDocument, field: Field) -> Option<String> {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    }

    fn stored_all(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, snippet: String) -> Hit {
        let f = &self.fields;
        Hit {
            id: self.stored_str(doc, f.id).unwrap_or_default(),
            score,
            snippet,
            title: self.stored_str(doc, f.title).unwrap_or_default(),
            kind: self.stored_str(doc, f.kind).unwrap_or_default(),
            date: self.stored_str(doc, f.date),
        }
    }

    /// The best fragment of the fields the query searched, with the matched
    /// words marked: the words of this very document that the matcher found
    /// (so another spelling, a prefix expansion or a fuzzy match is marked
    /// as well as an exact stem), in the window that holds most of them
    /// ([`crate::snippet`]).
    fn snippet(
        &self,
        doc: &TantivyDocument,
        parsed: &ParsedQuery,
        matcher: &Matcher,
        stemmer: &ScriptStemmer,
        opts: &SearchOptions,
    ) -> String {
        let f = &self.fields;
        let candidates: Vec<Field> = match parsed.scope {
            Scope::All | Scope::Names => vec![f.body, f.notes, f.title],
            Scope::Body => vec![f.body],
            Scope::Notes => vec![f.notes],
            Scope::Title => vec![f.title],
        };
        let mut best: Option<(usize, String)> = None;
        if !matcher.is_empty() {
            for field in &candidates {
                let text = self.stored_all(doc, *field);
                if text.is_empty() {
                    continue;
                }
                let id = self.stored_str(doc, f.id).unwrap_or_default();
                let words = self
                    .forms
                    .get_or_make((id, field.field_id()), || word_forms(&text, stemmer));
                let spans = matcher.find(&words);
                if spans.is_empty() {
                    continue;
                }
                let (n, s) = snippet::cut(&text, &words, &spans, opts.snippet_chars, opts.mark);
                if n > 0 && best.as_ref().is_none_or(|(m, _)| n > *m) {
                    best = Some((n, s));
                }
            }
        }
        match best {
            Some((_, s)) => s,
            None => {
                // Nothing to mark (a filter-only query): the opening words.
                let text = self.stored_all(doc, f.body);
                let text = if text.trim().is_empty() {
                    self.stored_all(doc, f.title)
                } else {
                    text
                };
                let cut: String = text.chars().take(opts.snippet_chars).collect();
                let mut s = one_line(&cut);
                if cut.len() < text.len() {
                    s.push('…');
                }
                match opts.mark {
                    Mark::Html => fond_text::escape_markup(&s),
                    Mark::Guillemets => s,
                }
            }
        }
    }

    /// The stored document with this id.
    fn address_of(&self, searcher: &Searcher, id: &str) -> Result<DocAddress, SearchError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        top.first()
            .map(|(_, a)| *a)
            .ok_or_else(|| SearchError::UnknownDocument(id.to_string()))
    }

    /// The `n` documents most like `id`, by the terms that characterise it
    /// (tantivy's MoreLikeThis over title and body: the document's
    /// highest tf-idf terms, each boosted by its weight).
    pub fn similar(&self, id: &str, n: usize) -> Result<Vec<SimilarDoc>, SearchError> {
        let searcher = self.reader.searcher();
        let addr = self.address_of(&searcher, id)?;
        let doc: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let body = self.stored_all(&doc, f.body);
        let title = self.stored_str(&doc, f.title).unwrap_or_default();
        let num_docs = searcher.num_docs();
        let mlt = MoreLikeThisQuery::builder()
            // A term in fewer than two documents cannot make another
            // document similar; one in most documents says nothing.
            .with_min_doc_frequency(2)
            .with_max_doc_frequency((num_docs / 2).max(2))
            .with_min_term_frequency(2)
            .with_max_query_terms(30)
            .with_min_word_length(3)
            .with_stop_words(crate::stopwords::english())
            .with_document_fields(vec![
                (f.body, vec![OwnedValue::Str(body)]),
                (f.title, vec![OwnedValue::Str(title)]),
            ]);
        let q = BooleanQuery::new(vec![
            (Occur::Must, Box::new(mlt) as Box<dyn Query>),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.id, id),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = searcher.search(
            &q,
            &TopDocs::with_limit(n.clamp(1, MAX_LIMIT)).order_by_score(),
        )?;
        let mut out = Vec::new();
        for (score, a) in top.into_iter().take(n) {
            let d: TantivyDocument = searcher.doc(a)?;
            let h = self.hit(&d, score, String::new());
            out.push(SimilarDoc {
                id: h.id,
                score,
                title: h.title,
                kind: h.kind,
                date: h.date,
            });
        }
        Ok(out)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    pub(crate) fn variants(&self) -> &dyn NameVariants {
        self.variants.as_ref()
    }

    pub(crate) fn stored_text(&self, doc: &TantivyDocument, field: Field) -> String {
        self.stored_all(doc, field)
    }

    pub(crate) fn stored_id(&self, doc: &TantivyDocument) -> String {
        self.stored_str(doc, self.fields.id).unwrap_or_default()
    }
}

/// Runs a query with a top-docs collector, the count and the facets
/// under one deadline.
fn collect<C: Collector>(
    searcher: &Searcher,
    q: &dyn Query,
    top: C,
    facets: Option<FacetCollector>,
    deadline: Instant,
) -> Result<(C::Fruit, usize, Option<FacetCounts>, bool), SearchError> {
    let collector = Deadline::new((top, Count, facets), deadline);
    let (top, total, facets) = searcher.search(q, &collector)?;
    Ok((top, total, facets, collector.expired()))
}

fn last_segment(f: &tantivy::schema::Facet) -> String {
    f.to_path()
        .last()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Total size of the files under `dir`.
pub fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = BTreeSet::new();
    while let Some(d) = stack.pop() {
        if !seen.insert(d.clone()) {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// The tantivy index in `dir`, with fond's analysers registered, when
/// its marker says this engine's schema version; otherwise why not
/// ([`SearchError::Stale`], [`SearchError::NotAnIndex`]).
fn open_index(dir: &Path) -> Result<Index, SearchError> {
    match marker_version(dir) {
        Some(v) if v == SCHEMA_VERSION => {}
        Some(v) => {
            return Err(SearchError::Stale {
                path: dir.to_path_buf(),
                found: v,
                expected: SCHEMA_VERSION.to_string(),
            })
        }
        None => return Err(SearchError::NotAnIndex(dir.to_path_buf())),
    }
    let directory = MmapDirectory::open(dir).map_err(|source| SearchError::OpenDirectory {
        path: dir.to_path_buf(),
        source,
    })?;
    let index = Index::open(directory)?;
    register_analyzers(&index);
    Ok(index)
}
