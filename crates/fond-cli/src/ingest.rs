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
pub const ENGINE_VERSION: &str = concat!("fond-ingest ", env!("CARGO_PKG_VERSION"), " r2");

/// Largest source file read. Checked on the file's size before it is read,
/// so that a huge file costs nothing (the corpus's largest source, the
/// whole book, is under 1 MB; TEI files have a tighter limit of their own).
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Folder documentation, not transcriptions: skipped when walking a folder
/// (named on the command line, they are read like any file).
fn is_folder_documentation(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING"]
        .iter()
        .any(|p| upper.starts_with(p))
}

/// Expands files and folders into files, sorted, hidden files skipped.
pub fn collect_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("{}: cannot read", p.display()))?;
        if meta.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .with_context(|| format!("{}: cannot list folder", dir.display()))?
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
                    if e.is_dir() {
                        stack.push(e);
                    } else if is_folder_documentation(&name) {
                        skipped.push(format!(
                            "{}: folder documentation, not a transcription",
                            e.display()
                        ));
                    } else {
                        files.push(e);
                    }
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok((files, skipped))
}

/// What an ingest did.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub archive: String,
    pub changed: bool,
    pub sources: Vec<String>,
    pub failed: Vec<String>,
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
    pub seconds: f64,
}

/// The fingerprint of a set of sources under this engine.
pub fn fingerprint(sources: &[StoredSource]) -> String {
    let mut keys: Vec<String> = sources
        .iter()
        .map(|s| format!("{}:{}", s.source.name, s.source.sha256))
        .collect();
    keys.sort();
    fond_ingest::sha256_hex(format!("{ENGINE_VERSION}\n{}", keys.join("\n")).as_bytes())
}

/// Reads the given files (errors collected, not fatal), merges them with
/// the sources the archive already holds, and writes the edition if
/// anything changed.
pub fn ingest_files(
    archive: &mut Archive,
    files: &[(String, Vec<u8>)],
    collection_suffix: &str,
    progress: Option<&ProgressBar>,
) -> Result<(Edition, bool, Vec<String>)> {
    let mut failed = Vec::new();
    let mut fresh: Vec<ReadSource> = Vec::new();
    let inputs: Vec<fond_ingest::SourceInput<'_>> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice(), collection_suffix))
        .collect();
    for r in fond_ingest::read_sources(&inputs) {
        match r {
            Ok(r) => fresh.push(r),
            Err(e) => failed.push(e.to_string()),
        }
        if let Some(p) = progress {
            p.inc(1);
        }
    }
    // Stored sources not given again are kept: re-read them from the text
    // the archive holds.
    let mut all: Vec<ReadSource> = Vec::new();
    for stored in archive.stored_sources()? {
        if fresh.iter().any(|f| f.source.name == stored.source.name) {
            continue;
        }
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
    let fp = fingerprint(&stored);
    let edition = fond_ingest::build_edition(all);
    if archive.fingerprint()?.as_deref() == Some(fp.as_str()) {
        return Ok((edition, false, failed));
    }
    let abort_after: Option<usize> = std::env::var("FOND_FAULT_ABORT_AFTER")
        .ok()
        .and_then(|v| v.parse().ok());
    if let Some(p) = progress {
        p.set_length(p.length().unwrap_or(0) + edition.documents.len() as u64);
        p.set_message("writing");
    }
    archive.replace_edition(&stored, &edition, &fp, &mut |i| {
        if let Some(p) = progress {
            p.inc(1);
        }
        // Fault injection for the interrupted-ingest test: die inside the
        // transaction, as a power cut or kill -9 would.
        if abort_after.is_some_and(|n| i >= n) {
            std::process::abort();
        }
    })?;
    Ok((edition, true, failed))
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
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| f.display().to_string());
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        if size > MAX_SOURCE_BYTES {
            failed.push(format!(
                "{}:1: the file is {size} bytes; sources over {MAX_SOURCE_BYTES} bytes are refused",
                f.display()
            ));
            continue;
        }
        match std::fs::read(f) {
            Ok(b) => contents.push((name, b)),
            Err(e) => failed.push(format!("{}:0: unreadable: {e}", f.display())),
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
    let (edition, changed, read_failed) = ingest_files(&mut archive, &contents, "", bar.as_ref())?;
    if let Some(b) = &bar {
        b.set_message("linking");
    }
    // The linking stage: derived from the stored edition, rebuilt when it
    // changed (its own transaction; the edition is already safe).
    let linked = crate::people::link_archive(&mut archive)?;
    if let Some(b) = &bar {
        b.set_message("indexing");
    }
    // The search index, derived from edition and links, last.
    let indexed = crate::search::ensure_index(archive_dir, &archive)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    failed.extend(read_failed);
    let mut documents: BTreeMap<String, usize> = BTreeMap::new();
    for k in DocKind::ALL {
        let n = edition.documents.iter().filter(|d| d.kind == k).count();
        if n > 0 {
            documents.insert(k.as_str().to_string(), n);
        }
    }
    let summary = Summary {
        archive: archive_dir.display().to_string(),
        changed,
        sources: edition
            .sources
            .iter()
            .map(|s| format!("{} ({})", s.name, s.shape.as_str()))
            .collect(),
        failed: failed.clone(),
        skipped,
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
        linked,
        indexed,
        seconds: started.elapsed().as_secs_f64(),
    };
    for f in &failed {
        eprintln!("fond: {f}");
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        crate::render::summary_text(&summary, out)?;
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
