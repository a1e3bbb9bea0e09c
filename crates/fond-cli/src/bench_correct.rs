//! `fond bench correction`: one correction, from the moment it is stored
//! to the moment the reading room shows it — made in place as the
//! reading room's desk makes it (`correct::apply_one`), the serving site
//! given the changed documents and a fresh index handle
//! (`fond_web::Site::refresh`), the site's document and the site's search
//! checked — against the peer measured in the same run:
//! the full re-derivation `fond correct` did before (every source read
//! again, the edition rewritten, linked again, the index rebuilt). On the
//! reference corpus and on a synthetic archive of `--docs` documents
//! recombined from it (`fond_bench::synthetic_archive`; its recovery is
//! the generator's output, so the peer regenerates it in place of reading
//! sources, which favours the peer).

use crate::inplace::{Relinked, Request, Way};
use crate::search::IndexWay;
use anyhow::{Context, Result};
use fond_model::correction::{Correction, Field, Value};
use fond_model::{Document, Edition};
use fond_store::{Archive, StoredSource};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What one run measured: seconds per correction, and how the in-place
/// ones went.
#[derive(Default)]
struct Runs {
    seconds: Vec<f64>,
    relinked_alone: usize,
    relinked_whole: usize,
    index_updated: usize,
    index_rebuilt: usize,
    rederived: usize,
}

impl Runs {
    fn count(&mut self, way: &Way) {
        match way {
            Way::Rederived => self.rederived += 1,
            Way::InPlace { relinked, index } => {
                match relinked {
                    Relinked::Document => self.relinked_alone += 1,
                    Relinked::Whole => self.relinked_whole += 1,
                }
                match index {
                    Some(IndexWay::Updated { .. }) => self.index_updated += 1,
                    _ => self.index_rebuilt += 1,
                }
            }
        }
    }

    /// p50, p99 and max, in seconds.
    fn figures(&self) -> (f64, f64, f64) {
        let mut v = self.seconds.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        if v.is_empty() {
            return (0.0, 0.0, 0.0);
        }
        let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
        (at(0.5), at(0.99), v[v.len() - 1])
    }
}

/// The correction number `i` makes to `doc`: a word no text has, added
/// to its first note's text (searched, and the most common correction an
/// editor makes to a text). `targets` only picks documents with notes.
fn marked(doc: &Document, i: usize, by: &str) -> (Request, String) {
    let word = format!("zqxbench{by}{i}w");
    let (n, text) = doc
        .notes
        .first()
        .map(|n| (n.n, n.text.clone()))
        .unwrap_or_default();
    let req = Request {
        document: doc.id.clone(),
        field: Field::NoteText { note: n },
        value: Value::Text(format!("{text} {word}")),
        by: "bench".into(),
        why: "benchmark".into(),
    };
    (req, word)
}

/// Whether a fresh search of the archive's index finds `word` in `id`.
fn visible(archive_dir: &Path, word: &str, id: &str) -> Result<bool> {
    let index = fond_search::SearchIndex::open(&crate::search::index_dir(archive_dir))?;
    let r = index.search(word, &fond_search::SearchOptions::default())?;
    Ok(r.hits.iter().any(|h| h.id == id))
}

/// The documents corrected: `n` spread over those with notes.
fn targets(docs: &[Document], n: usize) -> Vec<&Document> {
    let with_notes: Vec<&Document> = docs.iter().filter(|d| !d.notes.is_empty()).collect();
    let step = (with_notes.len() / n.max(1)).max(1);
    with_notes.into_iter().step_by(step).take(n).collect()
}

/// Corrections made in place, each timed from the call until the reading
/// room serving the archive shows it: its document page's text and its
/// search find the new word.
fn in_place(archive_dir: &Path, docs: &[&Document], runs: &mut Runs) -> Result<()> {
    let store = Archive::open_existing(archive_dir)?;
    let site = fond_web::Site::load(archive_dir, crate::restrict::profile_settings(&store)?)?
        .with_search(crate::search::open_index(archive_dir, &store)?);
    drop(store);
    let desk = crate::restrict::ArchiveDesk::new(archive_dir);
    let editor = fond_model::visibility::Viewer::Editor;
    for (i, d) in docs.iter().enumerate() {
        let (req, word) = marked(d, i, "a");
        let t = Instant::now();
        let done = crate::correct::apply_one(archive_dir, req)?;
        let corrected = desk.corrected(&done.way, done.changed.clone(), &done.around);
        site.refresh(
            &corrected.changed,
            corrected.search,
            corrected.written.as_ref(),
        )?;
        let scope = site.scope(editor.clone());
        let shown = site
            .document(&scope, &d.id)
            .is_some_and(|d| d.notes.iter().any(|n| n.text.contains(&word)));
        let found = match site.search() {
            Some(index) => index
                .search(&word, &fond_search::SearchOptions::default())?
                .hits
                .iter()
                .any(|h| h.id == d.id),
            None => false,
        };
        anyhow::ensure!(
            shown && found,
            "{}: the reading room does not show the correction (page: {shown}, search for {word}: {found})",
            d.id
        );
        runs.seconds.push(t.elapsed().as_secs_f64());
        runs.count(&done.way);
    }
    Ok(())
}

/// The peer on the corpus archive: each correction the full way.
fn peer_full(archive_dir: &Path, docs: &[&Document], runs: &mut Runs) -> Result<()> {
    for (i, d) in docs.iter().enumerate() {
        let (req, word) = marked(d, i, "p");
        let t = Instant::now();
        {
            let _lock = crate::writer::lock(archive_dir)?;
            let mut archive = Archive::open_existing(archive_dir)?;
            let from = archive.fingerprint()?;
            let done = crate::inplace::rederived(archive_dir, &mut archive, from.as_deref(), &req)?;
            runs.count(&done.way);
        }
        anyhow::ensure!(
            visible(archive_dir, &word, &d.id)?,
            "{}: peer not visible",
            d.id
        );
        runs.seconds.push(t.elapsed().as_secs_f64());
    }
    Ok(())
}

/// The corpus read and recovered once, with its sources to store.
/// The corpus's sources to store, its recovery, and its files' bytes.
type Corpus = (Vec<StoredSource>, Edition, Vec<(String, Vec<u8>)>);

fn corpus_edition(corpus: &Path) -> Result<Corpus> {
    let (files, _) = crate::ingest::collect_files(&[corpus.to_path_buf()])
        .with_context(|| format!("{}: corpus folder not found", corpus.display()))?;
    let mut contents = Vec::new();
    for (f, name) in &files {
        contents.push((name.clone(), std::fs::read(f)?));
    }
    let inputs: Vec<fond_ingest::SourceInput<'_>> = contents
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice(), ""))
        .collect();
    let read: Vec<fond_ingest::ReadSource> = fond_ingest::read_sources(&inputs)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let (stored, edition) = crate::ingest::recover(Vec::new(), read, "")?;
    Ok((stored, edition, contents))
}

fn report(out: &mut impl Write, label: &str, runs: &Runs) -> Result<()> {
    let (p50, p99, max) = runs.figures();
    writeln!(
        out,
        "{label:<40} {:>4} {:>9.4} {:>9.4} {:>9.4}",
        runs.seconds.len(),
        p50,
        p99,
        max
    )?;
    Ok(())
}

fn ways(out: &mut impl Write, runs: &Runs) -> Result<()> {
    writeln!(
        out,
        "  in place: linked alone {}, whole edition linked {}; index updated {}, rebuilt {}; re-derived {}",
        runs.relinked_alone, runs.relinked_whole, runs.index_updated, runs.index_rebuilt, runs.rederived
    )?;
    Ok(())
}

/// `fond bench correction`.
pub fn bench(
    corpus: &Path,
    docs: usize,
    corrections: usize,
    peer_runs: Option<usize>,
    out: &mut impl Write,
) -> Result<std::process::ExitCode> {
    let (stored, edition, contents) = corpus_edition(corpus)?;
    writeln!(
        out,
        "fond bench correction — one correction stored → shown by the reading room (its page and its search); p50/p99/max in seconds"
    )?;
    writeln!(
        out,
        "peer: the full re-derivation `fond correct` did before (sources read again, the edition rewritten, linked again, the index rebuilt)"
    )?;
    writeln!(
        out,
        "{:<40} {:>4} {:>9} {:>9} {:>9}",
        "", "n", "p50", "p99", "max"
    )?;

    let dir = scratch("corpus");
    {
        let mut archive = Archive::open(&dir)?;
        crate::ingest::ingest_files(&mut archive, &contents, "", None)?;
        let d = crate::writer::derive(&dir, &mut archive);
        anyhow::ensure!(d.problems.is_empty(), "{}", d.problems.join("; "));
    }
    let chosen = targets(&edition.documents, corrections);
    let mut fast = Runs::default();
    in_place(&dir, &chosen, &mut fast)?;
    let mut peer = Runs::default();
    let peer_n = peer_runs.unwrap_or(corrections).min(chosen.len());
    peer_full(&dir, &chosen[..peer_n], &mut peer)?;
    let _ = std::fs::remove_dir_all(&dir);
    let label = format!("corpus ({} documents): in place", edition.documents.len());
    report(out, &label, &fast)?;
    report(out, "corpus: peer (full re-derivation)", &peer)?;
    ways(out, &fast)?;
    ratio(out, &fast, &peer)?;

    if docs > 0 {
        synthetic(
            &stored,
            &edition,
            docs,
            corrections,
            peer_runs.unwrap_or(3),
            out,
        )?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn ratio(out: &mut impl Write, fast: &Runs, peer: &Runs) -> Result<()> {
    let (f50, f99, _) = fast.figures();
    let (p50, p99, _) = peer.figures();
    writeln!(
        out,
        "  in place is {:.1}× faster at p50, {:.1}× at p99 (target: p99 < 1 s: {})",
        p50 / f50.max(1e-9),
        p99 / f99.max(1e-9),
        if f99 < 1.0 { "met" } else { "NOT met" }
    )?;
    Ok(())
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "fond-bench-correction-{}-{tag}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// The synthetic archive: `n` documents recombined from the corpus's,
/// stored with the corpus's sources (so the book's glossary links them),
/// linked and indexed; then the corrections in place, then the peer.
fn synthetic(
    stored: &[StoredSource],
    edition: &Edition,
    n: usize,
    corrections: usize,
    peer_runs: usize,
    out: &mut impl Write,
) -> Result<()> {
    let recovery = || -> Edition {
        let mut documents: Vec<Document> =
            fond_bench::synthetic_archive(&edition.documents, n, 7).collect();
        for (i, d) in documents.iter_mut().enumerate() {
            d.order = u32::try_from(i).unwrap_or(u32::MAX);
        }
        Edition {
            sources: edition.sources.clone(),
            documents,
            findings: Vec::new(),
        }
    };
    let dir = scratch("synthetic");
    let t = Instant::now();
    let first = recovery();
    {
        let mut archive = Archive::open(&dir)?;
        let fp = crate::ingest::fingerprint(stored, &[]);
        archive.replace_edition(stored, &first, &fp, &mut |_| {})?;
        let d = crate::writer::derive(&dir, &mut archive);
        anyhow::ensure!(d.problems.is_empty(), "{}", d.problems.join("; "));
    }
    eprintln!(
        "  (synthetic archive of {n} documents written, linked and indexed in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    let chosen = targets(&first.documents, corrections);
    let mut fast = Runs::default();
    in_place(&dir, &chosen, &mut fast)?;
    let mut peer = Runs::default();
    for (i, d) in chosen.iter().take(peer_runs).enumerate() {
        let (req, word) = marked(d, i, "p");
        let t = Instant::now();
        peer_synthetic(&dir, stored, recovery(), &req)?;
        anyhow::ensure!(visible(&dir, &word, &d.id)?, "{}: peer not visible", d.id);
        peer.seconds.push(t.elapsed().as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(&dir);
    report(out, &format!("synthetic ({n} documents): in place"), &fast)?;
    report(out, "synthetic: peer (full re-derivation)", &peer)?;
    ways(out, &fast)?;
    ratio(out, &fast, &peer)
}

/// The peer on the synthetic archive: what `fond correct` did, with the
/// generator in place of reading the sources: the recovery, the new
/// correction recorded against it, every correction applied, the edition
/// rewritten, linked again and indexed anew.
fn peer_synthetic(
    dir: &Path,
    stored: &[StoredSource],
    mut recovery: Edition,
    req: &Request,
) -> Result<()> {
    let _lock = crate::writer::lock(dir)?;
    let mut archive = Archive::open_existing(dir)?;
    let from = archive.fingerprint()?;
    let doc = recovery
        .documents
        .iter()
        .find(|d| d.id == req.document)
        .context("no such document")?;
    let recovered = fond_ingest::corrections::current(doc, &req.field).context("no such note")?;
    let target = fond_model::correction::Target {
        document: doc.id.clone(),
        field: req.field.clone(),
    };
    let c: Correction = crate::correct::new_correction(target, recovered, req);
    archive.add_corrections(std::slice::from_ref(&c))?;
    let corrections = archive.corrections()?;
    let outcomes = fond_ingest::corrections::apply(&mut recovery, &corrections);
    let fp = crate::ingest::fingerprint(stored, &corrections);
    archive.replace_corrected_edition_from(
        from.as_deref(),
        stored,
        &recovery,
        &fp,
        &outcomes,
        &mut |_| {},
    )?;
    let d = crate::writer::derive(dir, &mut archive);
    anyhow::ensure!(d.problems.is_empty(), "{}", d.problems.join("; "));
    Ok(())
}
