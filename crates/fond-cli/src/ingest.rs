//! `fond ingest`: read sources, re-derive the edition from every source the
//! archive holds, write it in one transaction.
//!
//! The archive keeps each source's text, so an ingest always rebuilds the
//! whole edition from all sources: a source added later joins the
//! documents it witnesses, and the result does not depend on the order in
//! which sources arrived. When the sources are unchanged the archive is not
//! touched at all, so a re-run leaves it byte for byte as it was.

use anyhow::{Context, Result};
use fond_ingest::{IngestError, ReadSource};
use fond_model::correction::{Correction, Outcome};
use fond_model::{DocKind, Edition};
use fond_store::{Archive, StoredSource};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Bumped whenever the readers change what they derive, so that an
/// archive built by an older engine is rebuilt from its stored sources.
pub const ENGINE_VERSION: &str = concat!("fond-ingest ", env!("CARGO_PKG_VERSION"), " r5");

/// Largest source file read. Reading stops one byte past it, so a huge
/// file (or a device that never ends) costs at most this much; the size
/// the file system reports is not trusted (the corpus's largest source,
/// the whole book, is under 1 MB; TEI files have a tighter limit of their
/// own).
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Folder documentation, not transcriptions: skipped when walking a folder
/// (named on the command line, they are read like any file).
fn is_folder_documentation(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING"]
        .iter()
        .any(|p| upper.starts_with(p))
}

/// What kind of thing a path is, for the walk.
enum Entry {
    Dir,
    File,
    /// Not a regular file or folder (FIFO, device, socket), or a symlink
    /// leading out of the ingest root: skipped, with why.
    Skip(String),
}

/// Classifies `p`, found under `root` (the canonical folder given on the
/// command line; `None` for a path named directly). A symlink is followed
/// only when its target lies inside `root`: a link in a folder of
/// transcriptions must not pull in (and echo a line of) a file elsewhere.
fn classify(p: &Path, root: Option<&Path>) -> Result<Entry> {
    let link = std::fs::symlink_metadata(p).with_context(|| {
        format!(
            "{}: cannot read",
            crate::render::clean(&p.display().to_string())
        )
    })?;
    if link.file_type().is_symlink() {
        if let Some(root) = root {
            match std::fs::canonicalize(p) {
                Ok(target) if target.starts_with(root) => {}
                Ok(_) => {
                    return Ok(Entry::Skip(
                        "a symbolic link to outside the folder being ingested; not followed".into(),
                    ))
                }
                Err(_) => return Ok(Entry::Skip("a symbolic link to nothing".into())),
            }
        }
    }
    let meta = std::fs::metadata(p).with_context(|| {
        format!(
            "{}: cannot read",
            crate::render::clean(&p.display().to_string())
        )
    })?;
    let t = meta.file_type();
    Ok(if t.is_dir() {
        Entry::Dir
    } else if t.is_file() {
        Entry::File
    } else {
        Entry::Skip(format!("{}; only regular files are read", special_kind(&t)))
    })
}

/// What a non-regular file is, in words.
fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a regular file"
}

/// Files found, each with the name it is stored under.
pub type Found = Vec<(PathBuf, String)>;

/// Expands files and folders into files, sorted, hidden files skipped;
/// each file with the name it is stored under (see [`source_name`]).
/// Non-regular files and symlinks out of a folder are skipped with a
/// message.
pub fn collect_files(paths: &[PathBuf]) -> Result<(Found, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let shown = |p: &Path| crate::render::clean(&p.display().to_string()).into_owned();
    for p in paths {
        match classify(p, None)? {
            Entry::Skip(why) => skipped.push(format!("{}: {why}", shown(p))),
            Entry::File => {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_else(|| p.display().to_string());
                files.push((p.clone(), name));
            }
            Entry::Dir => {
                let root = std::fs::canonicalize(p)
                    .with_context(|| format!("{}: cannot read", shown(p)))?;
                let mut stack = vec![p.clone()];
                while let Some(dir) = stack.pop() {
                    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                        .with_context(|| format!("{}: cannot list folder", shown(&dir)))?
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .collect();
                    entries.sort();
                    for e in entries {
                        let name = e
                            .file_name()
                            .map(|n| n.to_string_lossy().to_string())
                            .unwrap_or_default();
                        if name.starts_with('.') {
                            continue;
                        }
                        match classify(&e, Some(&root))? {
                            Entry::Skip(why) => skipped.push(format!("{}: {why}", shown(&e))),
                            Entry::Dir => stack.push(e),
                            Entry::File if is_folder_documentation(&name) => {
                                skipped.push(format!(
                                    "{}: folder documentation, not a transcription",
                                    shown(&e)
                                ));
                            }
                            Entry::File => {
                                let rel = source_name(p, &e);
                                files.push((e, rel));
                            }
                        }
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    Ok((files, skipped))
}

/// The name a file found in a folder is stored under: its path relative to
/// the folder given, `/`-separated. A file at the folder's top level keeps
/// its bare name (as every archive made so far has it, and as document
/// ids, witness labels and TEI round trips carry it); files deeper down are
/// told apart by their folders, so `a/x.web.txt` and `b/x.web.txt` are two
/// sources.
pub fn source_name(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(n.to_string_lossy().to_string()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        return file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
    }
    parts.join("/")
}

/// What [`read_limited`] found.
enum Loaded {
    Bytes(Vec<u8>),
    /// Over the limit: the size the file system gave (refused unread), or
    /// `None` when reading went past the limit.
    TooBig(Option<u64>),
}

/// Reads a regular file, at most `limit` bytes: the size is what was read,
/// not what the file system claims (a device reports 0 and never ends).
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Loaded> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    // Checked on the open handle: what was classified a regular file may
    // have been replaced since.
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    // A regular file that says it is too big is refused unread.
    if meta.len() > limit {
        return Ok(Loaded::TooBig(Some(meta.len())));
    }
    let mut buf = Vec::new();
    f.take(limit + 1).read_to_end(&mut buf)?;
    Ok(if buf.len() as u64 > limit {
        Loaded::TooBig(None)
    } else {
        Loaded::Bytes(buf)
    })
}

/// What an ingest did.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub archive: String,
    pub changed: bool,
    pub sources: Vec<String>,
    pub failed: Vec<String>,
    /// Files kept that contribute nothing, and derived stages that failed
    /// (the previous links or index stay in use).
    pub warnings: Vec<String>,
    pub skipped: Vec<String>,
    pub documents: BTreeMap<String, usize>,
    pub notes: usize,
    pub archival_refs: usize,
    pub witnesses: usize,
    pub multi_witness_documents: usize,
    pub findings: usize,
    /// Authority records and mentions written by the linking stage (absent
    /// when the links were already current).
    pub linked: Option<(usize, usize)>,
    /// The search index, when it had to be rebuilt.
    pub indexed: Option<crate::search::IndexReport>,
    /// The editors' corrections by state (`applied`, `conflict`, ...);
    /// absent when the archive holds none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrections: Option<BTreeMap<String, usize>>,
    pub seconds: f64,
}

/// The fingerprint of a set of sources and the editors' corrections under
/// this engine. A correction added or reverted changes it, so the edition
/// is re-derived and its links and index follow through their stamps.
/// Without corrections it is the sources' fingerprint alone, as archives
/// made before corrections recorded it (they are not rebuilt for nothing).
pub fn fingerprint(sources: &[StoredSource], corrections: &[Correction]) -> String {
    fingerprint_of(sources.iter().map(|s| &s.source), corrections)
}

/// [`fingerprint`] from the sources' records alone (their text is not
/// needed: the hash stands for it).
pub fn fingerprint_of<'a>(
    sources: impl Iterator<Item = &'a fond_model::Source>,
    corrections: &[Correction],
) -> String {
    let mut keys: Vec<String> = sources
        .map(|s| format!("{}:{}", s.name, s.sha256))
        .collect();
    keys.sort();
    let mut text = format!("{ENGINE_VERSION}\n{}", keys.join("\n"));
    if !corrections.is_empty() {
        // The history's order matters (the last correction of a field
        // wins). An entry never changes once stored but for its status
        // (the store refuses a second entry under a taken id), so its id
        // and status stand for it.
        text.push_str("\ncorrections");
        for c in corrections {
            text.push('\n');
            text.push_str(&c.id);
            text.push(if c.status == fond_model::correction::Status::Active {
                '+'
            } else {
                '-'
            });
        }
    }
    fond_ingest::sha256_hex(text.as_bytes())
}

/// What [`ingest_files`] did.
pub struct Ingested {
    pub edition: Edition,
    pub changed: bool,
    /// Files that could not be read, one message each.
    pub failed: Vec<String>,
    /// Files read that contribute nothing (no document, no personography).
    pub warnings: Vec<String>,
    /// What became of each stored correction.
    pub outcomes: Vec<Outcome>,
}

/// Reads the given files (errors collected, not fatal), merges them with
/// the sources the archive already holds, and writes the edition if
/// anything changed. The caller holds the archive's write lock; the write
/// is checked against the fingerprint read here all the same, so that a
/// writer that bypassed the lock cannot have its sources dropped.
pub fn ingest_files(
    archive: &mut Archive,
    files: &[(String, Vec<u8>)],
    collection_suffix: &str,
    progress: Option<&ProgressBar>,
) -> Result<Ingested> {
    let mut failed = Vec::new();
    let mut warnings = Vec::new();
    let mut fresh: Vec<ReadSource> = Vec::new();
    let inputs: Vec<fond_ingest::SourceInput<'_>> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice(), collection_suffix))
        .collect();
    for r in fond_ingest::read_sources(&inputs) {
        match r {
            Ok(r) => {
                if r.parsed.documents.is_empty() && !is_personography(&r) {
                    warnings.push(format!(
                        "{}: no document found in it; it is kept but contributes nothing",
                        r.source.name
                    ));
                }
                fresh.push(r)
            }
            Err(e) => failed.push(e.to_string()),
        }
        if let Some(p) = progress {
            p.inc(1);
        }
    }
    let derived_from = archive.fingerprint()?;
    let kept: Vec<StoredSource> = archive
        .stored_sources()?
        .into_iter()
        .filter(|s| !fresh.iter().any(|f| same_source(&f.source, &s.source)))
        .collect();
    let (written, conflicts) = derive_and_write(
        archive,
        derived_from.as_deref(),
        kept,
        fresh,
        collection_suffix,
        progress,
    )?;
    warnings.extend(conflicts);
    Ok(Ingested {
        edition: written.edition,
        changed: written.changed,
        outcomes: written.outcomes,
        failed,
        warnings,
    })
}

/// Whether a fresh source replaces a stored one: the same name, or the
/// same bytes stored under the bare file name an archive made before
/// sources were named by their folder gave it (`x.web.txt` then,
/// `a/x.web.txt` now), so such an archive does not end up with the file
/// twice.
fn same_source(fresh: &fond_model::Source, stored: &fond_model::Source) -> bool {
    fresh.name == stored.name
        || (!stored.name.contains('/')
            && fresh.sha256 == stored.sha256
            && fresh.name.rsplit('/').next() == Some(stored.name.as_str()))
}

/// A TEI file without a text that lends people (a personography).
fn is_personography(r: &ReadSource) -> bool {
    r.source.shape == fond_model::SourceShape::Tei
        && matches!(
            fond_ingest::tei::personography(&r.source.name, &r.text),
            Ok(Some(_))
        )
}

/// The engine's recovery from `kept` stored sources (re-read from the
/// text the archive holds) plus `fresh` ones: profiles applied, witnesses
/// joined, no correction yet. With the sources to store beside it.
pub fn recover(
    kept: Vec<StoredSource>,
    fresh: Vec<ReadSource>,
    collection_suffix: &str,
) -> Result<(Vec<StoredSource>, Edition)> {
    let mut all: Vec<ReadSource> = Vec::new();
    for stored in kept {
        let StoredSource { source, text } = stored;
        let r = fond_ingest::read_text(
            &source.name,
            text,
            source.sha256.clone(),
            source.bytes,
            collection_suffix,
        )
        .map_err(|e: IngestError| anyhow::anyhow!("stored source no longer reads: {e}"))?;
        all.push(r);
    }
    all.extend(fresh);
    // A profile may choose another reader for its source: apply profiles
    // before taking the sources' records.
    let all = fond_ingest::apply_profiles(all);
    let stored: Vec<StoredSource> = all
        .iter()
        .map(|r| StoredSource {
            source: r.source.clone(),
            text: r.text.clone(),
        })
        .collect();
    Ok((stored, fond_ingest::build_edition(all)))
}

/// What [`write_recovered`] did.
pub struct Written {
    /// The edition: the recovery with the corrections applied.
    pub edition: Edition,
    pub changed: bool,
    /// What became of each stored correction, in the history's order.
    pub outcomes: Vec<Outcome>,
}

/// Re-derives the edition from `kept` stored sources plus `fresh` ones and
/// writes it if its fingerprint differs from the archive's, checked
/// against `derived_from`.
fn derive_and_write(
    archive: &mut Archive,
    derived_from: Option<&str>,
    kept: Vec<StoredSource>,
    fresh: Vec<ReadSource>,
    collection_suffix: &str,
    progress: Option<&ProgressBar>,
) -> Result<(Written, Vec<String>)> {
    let (stored, edition) = recover(kept, fresh, collection_suffix)?;
    let w = write_recovered(archive, derived_from, &stored, edition, progress)?;
    let mut warnings = Vec::new();
    let waiting = w.outcomes.iter().filter(|o| o.state.is_conflict()).count();
    if waiting > 0 {
        warnings.push(format!(
            "{waiting} of {} corrections are in conflict with what the engine now recovers and are not applied; `fond check --kind correction-conflict` lists them",
            w.outcomes.len()
        ));
    }
    Ok((w, warnings))
}

/// Applies the stored corrections to a recovery (the edition = recovery +
/// corrections) and writes the result if its fingerprint (sources and
/// corrections) differs from the archive's, checked against
/// `derived_from`.
pub fn write_recovered(
    archive: &mut Archive,
    derived_from: Option<&str>,
    stored: &[StoredSource],
    mut edition: Edition,
    progress: Option<&ProgressBar>,
) -> Result<Written> {
    // Taken apart rather than copied: every re-derivation reads them all.
    let (corrections, recorded): (Vec<Correction>, Vec<_>) = archive
        .correction_rows(None)?
        .into_iter()
        .map(|r| (r.correction, (r.state, r.now)))
        .unzip();
    let outcomes = fond_ingest::corrections::apply(&mut edition, &corrections);
    let fp = fingerprint(stored, &corrections);
    // Only the outcomes that differ from what the last re-derivation
    // recorded are written (usually none).
    let changed_outcomes: Vec<Outcome> = outcomes
        .iter()
        .zip(&recorded)
        .filter(|(o, (state, now))| *state != Some(o.state) || *now != o.now)
        .map(|(o, _)| o.clone())
        .collect();
    if derived_from == Some(fp.as_str()) {
        return Ok(Written {
            edition,
            changed: false,
            outcomes,
        });
    }
    let abort_after: Option<usize> = std::env::var("FOND_FAULT_ABORT_AFTER")
        .ok()
        .and_then(|v| v.parse().ok());
    if let Some(p) = progress {
        p.set_length(p.length().unwrap_or(0) + edition.documents.len() as u64);
        p.set_message("writing");
    }
    archive.replace_corrected_edition_from(
        derived_from,
        stored,
        &edition,
        &fp,
        &changed_outcomes,
        &mut |i| {
            if let Some(p) = progress {
                p.inc(1);
            }
            // Fault injection for the interrupted-ingest test: die inside
            // the transaction, as a power cut or kill -9 would.
            if abort_after.is_some_and(|n| i >= n) {
                std::process::abort();
            }
        },
    )?;
    Ok(Written {
        edition,
        changed: true,
        outcomes,
    })
}

pub fn run(
    archive_dir: &Path,
    paths: &[PathBuf],
    json: bool,
    shape: Option<fond_model::SourceShape>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (files, skipped) = collect_files(paths)?;
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    for (f, name) in &files {
        let shown = crate::render::clean(&f.display().to_string()).into_owned();
        match read_limited(f, MAX_SOURCE_BYTES) {
            Ok(Loaded::Bytes(b)) => contents.push((name.clone(), b)),
            Ok(Loaded::TooBig(Some(size))) => failed.push(format!(
                "{shown}:1: the file is {size} bytes; sources over {MAX_SOURCE_BYTES} bytes are refused"
            )),
            Ok(Loaded::TooBig(None)) => failed.push(format!(
                "{shown}:1: the file is over {MAX_SOURCE_BYTES} bytes (it grew while read); sources over {MAX_SOURCE_BYTES} bytes are refused"
            )),
            Err(e) => failed.push(format!("{shown}:0: unreadable: {e}")),
        }
    }
    // `--shape`: a profile for each file named on the command line, stored
    // with it, so that later ingests read it the same way.
    if let Some(shape) = shape {
        let named: Vec<String> = paths
            .iter()
            .filter(|p| p.is_file())
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .collect();
        for name in named {
            let p = fond_ingest::profile::Profile {
                source: name.clone(),
                shape: Some(shape.as_str().to_string()),
                ..Default::default()
            };
            let toml =
                fond_ingest::profile::to_toml(&p, &["written by `fond ingest --shape`".into()]);
            contents.push((format!("{name}.profile.toml"), toml.into_bytes()));
        }
    }
    // Two sources under one name would replace each other.
    let mut seen = std::collections::BTreeSet::new();
    contents.retain(|(n, _)| {
        let first = seen.insert(n.clone());
        if !first {
            failed.push(format!(
                "{}: given twice (the same name from two places); only the first is read",
                crate::render::clean(n)
            ));
        }
        first
    });
    // Held from before the stored sources are read until the index is in
    // place: a second writer waits here (or fails with --no-wait).
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open(archive_dir)?;
    let bar = if std::io::stderr().is_terminal() && !json {
        let b = ProgressBar::new(contents.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} {msg:8} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.set_message("reading");
        Some(b)
    } else {
        None
    };
    let ingested = ingest_files(&mut archive, &contents, "", bar.as_ref())?;
    // Fault injection for the recovery test: die after the edition's
    // transaction, before its links and index, as a crash there would.
    if std::env::var("FOND_FAULT_ABORT_AT").as_deref() == Ok("links") {
        std::process::abort();
    }
    if let Some(b) = &bar {
        b.set_message("deriving");
    }
    let derived = crate::writer::derive(archive_dir, &mut archive);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    failed.extend(ingested.failed);
    let mut warnings = ingested.warnings;
    warnings.extend(derived.problems);
    report(
        archive_dir,
        &ingested.edition,
        Report {
            changed: ingested.changed,
            failed,
            warnings,
            skipped,
            linked: derived.linked,
            indexed: derived.indexed,
            corrections: &ingested.outcomes,
            started,
        },
        json,
        out,
    )
}

/// `fond remove SOURCE...`: the edition re-derived without the named
/// sources (by the name `fond ingest` lists them under).
pub fn remove(
    archive_dir: &Path,
    names: &[String],
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    drop(Archive::open_existing(archive_dir)?);
    let _lock = crate::writer::lock(archive_dir)?;
    let mut archive = Archive::open_existing(archive_dir)?;
    let derived_from = archive.fingerprint()?;
    let stored = archive.stored_sources()?;
    for n in names {
        if !stored.iter().any(|s| &s.source.name == n) {
            let held: Vec<String> = stored
                .iter()
                .map(|s| crate::render::clean(&s.source.name).into_owned())
                .collect();
            anyhow::bail!(
                "the archive holds no source \"{}\"; it holds: {}",
                crate::render::clean(n),
                held.join(", ")
            );
        }
    }
    let kept: Vec<StoredSource> = stored
        .into_iter()
        .filter(|s| !names.contains(&s.source.name))
        .collect();
    let (written, mut warnings) = derive_and_write(
        &mut archive,
        derived_from.as_deref(),
        kept,
        Vec::new(),
        "",
        None,
    )?;
    let derived = crate::writer::derive(archive_dir, &mut archive);
    warnings.extend(derived.problems);
    report(
        archive_dir,
        &written.edition,
        Report {
            changed: written.changed,
            failed: Vec::new(),
            warnings,
            skipped: Vec::new(),
            linked: derived.linked,
            indexed: derived.indexed,
            corrections: &written.outcomes,
            started,
        },
        json,
        out,
    )
}

/// What a write did, for [`report`].
struct Report<'a> {
    changed: bool,
    failed: Vec<String>,
    warnings: Vec<String>,
    skipped: Vec<String>,
    linked: Option<(usize, usize)>,
    indexed: Option<crate::search::IndexReport>,
    /// What became of each stored correction.
    corrections: &'a [Outcome],
    started: std::time::Instant,
}

fn report(
    archive_dir: &Path,
    edition: &Edition,
    r: Report<'_>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut documents: BTreeMap<String, usize> = BTreeMap::new();
    for k in DocKind::ALL {
        let n = edition.documents.iter().filter(|d| d.kind == k).count();
        if n > 0 {
            documents.insert(k.as_str().to_string(), n);
        }
    }
    let summary = Summary {
        archive: archive_dir.display().to_string(),
        changed: r.changed,
        sources: edition
            .sources
            .iter()
            .map(|s| format!("{} ({})", s.name, s.shape.as_str()))
            .collect(),
        failed: r.failed.clone(),
        warnings: r.warnings.clone(),
        skipped: r.skipped,
        documents,
        notes: edition.documents.iter().map(|d| d.notes.len()).sum(),
        archival_refs: edition
            .documents
            .iter()
            .flat_map(|d| &d.notes)
            .map(|n| n.archival_refs.len())
            .sum(),
        witnesses: edition.documents.iter().map(|d| d.witnesses.len()).sum(),
        multi_witness_documents: edition
            .documents
            .iter()
            .filter(|d| d.witnesses.len() > 1)
            .count(),
        findings: edition.findings.len(),
        linked: r.linked,
        indexed: r.indexed,
        corrections: (!r.corrections.is_empty()).then(|| {
            let mut m: BTreeMap<String, usize> = BTreeMap::new();
            for o in r.corrections {
                *m.entry(o.state.as_str().to_string()).or_default() += 1;
            }
            m
        }),
        seconds: r.started.elapsed().as_secs_f64(),
    };
    for f in &r.failed {
        eprintln!("fond: {}", crate::render::clean(f));
    }
    for w in &r.warnings {
        eprintln!("fond: {}", crate::render::clean(w));
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        crate::render::summary_text(&summary, out)?;
    }
    Ok(if r.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
