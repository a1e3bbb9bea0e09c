//! `fond bench`: figures the issues ask for, each beside a named peer
//! measured in the same run, printed as a ratio. Never used in tests:
//! timings on shared machines are noisy.

use anyhow::{Context, Result};
use clap::Subcommand;
use fond_model::correction::{Action, Correction, Field, State, Status, Target, Value};
use fond_store::Archive;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Ingest throughput against the floor of reading and hashing the same
    /// bytes: the whole corpus once, then replicated under other collection
    /// names.
    Ingest {
        /// The corpus folder.
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// How many copies for the throughput run.
        #[arg(long, default_value_t = 100)]
        replicas: usize,
        /// Repetitions of the single-corpus run (the median is reported).
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// One correction from stored to found by a fresh search, made in
    /// place, against the full re-derivation `fond correct` did before:
    /// p50/p99/max over `--corrections`, on the reference corpus and on a
    /// synthetic archive of `--docs` documents.
    Correction {
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Documents in the synthetic archive (0: the corpus only).
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        #[arg(long, default_value_t = 50)]
        corrections: usize,
        /// Corrections the peer makes (default: as many on the corpus, 3
        /// on the synthetic archive, where each rewrites everything).
        #[arg(long)]
        peer_runs: Option<usize>,
    },
    /// Linking people, bodies and periodicals over the whole corpus,
    /// against one regular expression per name variant.
    Link {
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// The reading room under load (wrk), beside nginx serving the same
    /// page as a file. Uses the archive given by `--archive`.
    Serve {
        /// The document whose page is requested.
        #[arg(long, default_value = "letters-to-molotov/4")]
        doc: String,
        #[arg(long, default_value = "wrk")]
        wrk: String,
        #[arg(long, default_value = "nginx")]
        nginx: String,
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        #[arg(long, default_value_t = 32)]
        connections: u32,
    },
    /// What logins cost the reading room: a document page logged in and a
    /// login through the form, against the same page asked anonymously,
    /// in-process, on a copy of the archive given by `--archive`.
    Sessions {
        #[arg(long, default_value = "letters-to-molotov/4")]
        doc: String,
        #[arg(long, default_value_t = 2000)]
        runs: usize,
        #[arg(long, default_value_t = 20)]
        logins: usize,
    },
    /// Search at scale: a synthetic archive recombined from the real
    /// documents (collection `synthetic-*`), indexed by fond and by SQLite
    /// FTS5; build throughput, index size, and p50/p99 of a fixed query
    /// mix (term, phrase, fuzzy, fielded, date range, faceted) on both.
    Search {
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Documents in the synthetic archive.
        #[arg(long, default_value_t = 1_000_000)]
        docs: usize,
        /// Timed runs of each query, per engine.
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Where to build the two indexes (a temporary folder by default).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// `fond list` at scale: an archive of `--docs` synthetic documents
    /// recombined from the corpus (their witnesses spans of the corpus's
    /// sources), loaded and printed as the table, median of `--runs`.
    List {
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// The witness aligner on pairs of 500 to 100,000 tokens, against the
    /// Python CollateX (`pip install collatex python-Levenshtein`).
    Collate {
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Pair sizes in tokens, comma-separated.
        #[arg(long, value_delimiter = ',')]
        sizes: Option<Vec<usize>>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The peer script (crates/fond-collate/bench/collatex_peer.py).
        #[arg(long)]
        peer: Option<PathBuf>,
        /// Largest size given to the peer (CollateX takes minutes at 4,000).
        #[arg(long, default_value_t = 2000)]
        peer_max: usize,
        #[arg(long, default_value = "python3")]
        python: String,
    },
}

pub fn run(cmd: BenchCommand, archive: &Path, out: &mut impl Write) -> Result<ExitCode> {
    match cmd {
        BenchCommand::Serve {
            doc,
            wrk,
            nginx,
            seconds,
            connections,
        } => crate::bench_serve::bench(archive, &doc, &wrk, &nginx, seconds, connections, out),
        BenchCommand::Sessions { doc, runs, logins } => {
            crate::bench_sessions::bench(archive, &doc, runs.max(1), logins.max(1), out)
        }
        BenchCommand::Ingest {
            corpus,
            replicas,
            runs,
        } => bench_ingest(&corpus, replicas, runs.max(1), out),
        BenchCommand::Link { corpus, runs } => bench_link(&corpus, runs.max(1), out),
        BenchCommand::Correction {
            corpus,
            docs,
            corrections,
            peer_runs,
        } => crate::bench_correct::bench(&corpus, docs, corrections.max(1), peer_runs, out),
        BenchCommand::List { corpus, docs, runs } => bench_list(&corpus, docs, runs.max(1), out),
        BenchCommand::Search {
            corpus,
            docs,
            runs,
            dir,
        } => bench_search(&corpus, docs, runs.max(1), dir, out),
        BenchCommand::Collate {
            corpus,
            sizes,
            runs,
            peer,
            peer_max,
            python,
        } => crate::collate::bench(
            &corpus,
            sizes,
            runs.max(1),
            peer.as_deref(),
            peer_max,
            &python,
            out,
        ),
    }
}

/// The search benchmark (`fond_bench::run_bench`) seeded with the corpus.
/// `fond bench list`: what `fond list` costs on a large archive.
fn bench_list(corpus: &Path, docs: usize, runs: usize, out: &mut impl Write) -> Result<ExitCode> {
    let (files, _) = crate::ingest::collect_files(&[corpus.to_path_buf()])
        .with_context(|| format!("{}: corpus folder not found", corpus.display()))?;
    let mut read = Vec::new();
    for (f, name) in &files {
        read.push(fond_ingest::read_source(name, &std::fs::read(f)?, "")?);
    }
    let stored: Vec<fond_store::StoredSource> = read
        .iter()
        .map(|r| fond_store::StoredSource {
            source: r.source.clone(),
            text: r.text.clone(),
        })
        .collect();
    let edition = fond_ingest::build_edition(read);
    let mut documents: Vec<fond_model::Document> =
        fond_bench::synthetic_archive(&edition.documents, docs, 7).collect();
    for (i, d) in documents.iter_mut().enumerate() {
        d.order = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let synthetic = fond_model::Edition {
        sources: edition.sources.clone(),
        documents,
        findings: Vec::new(),
    };
    let dir = std::env::temp_dir().join(format!("fond-bench-list-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut archive = Archive::open(&dir)?;
    archive.replace_edition(&stored, &synthetic, "bench-list", &mut |_| {})?;
    drop(archive);
    let mut load = Vec::new();
    let mut table = Vec::new();
    let mut decode = Vec::new();
    let mut n = 0;
    for _ in 0..runs {
        // The whole documents, as `fond list --json` reads them.
        let t = Instant::now();
        let archive = Archive::open_existing(&dir)?;
        let full = archive.documents(&fond_store::DocFilter::default())?;
        decode.push(t.elapsed().as_secs_f64());
        drop(full);
        let t = Instant::now();
        let archive = Archive::open_existing(&dir)?;
        let listed = archive.list(&fond_store::DocFilter::default())?;
        load.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        crate::render::list_table(&listed, &mut std::io::sink())?;
        table.push(t.elapsed().as_secs_f64());
        n = listed.len();
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let _ = std::fs::remove_dir_all(&dir);
    let (l, t, d) = (median(&mut load), median(&mut table), median(&mut decode));
    writeln!(
        out,
        "fond bench list — {n} documents: `fond list` (rows from the columns) open+load {l:.3} s + table {t:.3} s = {:.3} s; \
         `fond list --json` path (every document decoded, witnesses cut from {} sources) {d:.3} s (median of {runs})",
        l + t,
        stored.len(),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn bench_search(
    corpus: &Path,
    docs: usize,
    runs: usize,
    dir: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let (files, _) = crate::ingest::collect_files(&[corpus.to_path_buf()])
        .with_context(|| format!("{}: corpus folder not found", corpus.display()))?;
    let files: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    let mut read = Vec::new();
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        read.push(fond_ingest::read_source(&name, &std::fs::read(f)?, "")?);
    }
    let edition = fond_ingest::build_edition(read);
    let cfg = fond_bench::BenchConfig {
        docs,
        dir,
        runs_per_query: runs,
        ..fond_bench::BenchConfig::default()
    };
    let report = fond_bench::run_bench(&edition.documents, &cfg, out)?;
    serde_json::to_writer(&mut *out, &report)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Linking the whole corpus, against the naive peer: one regular
/// expression per name variant over the same texts.
fn bench_link(corpus: &Path, runs: usize, out: &mut impl Write) -> Result<ExitCode> {
    let (files, _) = crate::ingest::collect_files(&[corpus.to_path_buf()])
        .with_context(|| format!("{}: corpus folder not found", corpus.display()))?;
    let files: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    let mut read = Vec::new();
    let mut book = None;
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let r = fond_ingest::read_source(&name, &std::fs::read(f)?, "")?;
        if r.source.shape == fond_model::SourceShape::EditionMarkdown {
            book = Some(r.text.clone());
        }
        read.push(r);
    }
    let book = book.context("the corpus holds no edition in Markdown")?;
    let edition = fond_ingest::build_edition(read);
    let t = Instant::now();
    let auth = fond_authority::Authority::from_book(&book)?;
    let build = t.elapsed().as_secs_f64();
    let mut texts: Vec<String> = Vec::new();
    for d in edition
        .documents
        .iter()
        .filter(|d| !matches!(d.title.as_str(), "Glossary of Names" | "Index"))
    {
        texts.push(d.body_text());
        texts.extend(d.notes.iter().map(|n| n.text.clone()));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let (mut fond, mut naive) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (f, n) = fond_bench::link::bench_link(&auth, &refs);
        fond.push(f.as_secs_f64());
        naive.push(n.as_secs_f64());
    }
    let (f, n) = (median(fond), median(naive));
    writeln!(
        out,
        "fond bench link — {} texts, {:.2} MB, {runs} runs (median)",
        texts.len(),
        bytes as f64 / 1e6
    )?;
    writeln!(
        out,
        "peer: naive linking, one regular expression per name variant"
    )?;
    writeln!(out, "authority file built in {build:.3} s")?;
    writeln!(out, "fond linker:  {f:.3} s (target < 0.3 s)")?;
    writeln!(out, "naive regex:  {n:.3} s")?;
    writeln!(out, "fond is {:.1}× faster", n / f)?;
    Ok(ExitCode::SUCCESS)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn scratch_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fond-bench-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Reads every file and hashes it: the least any ingest must do.
fn floor(files: &[PathBuf], copies: usize) -> Result<(f64, u64)> {
    let t = Instant::now();
    let mut bytes = 0u64;
    for _ in 0..copies {
        for f in files {
            let b = std::fs::read(f)?;
            bytes += b.len() as u64;
            std::hint::black_box(fond_ingest::sha256_hex(&b));
        }
    }
    Ok((t.elapsed().as_secs_f64(), bytes))
}

/// A full ingest into a fresh archive: read, parse, build, write.
fn ingest_once(files: &[PathBuf], copies: usize, dir: &Path) -> Result<(f64, usize)> {
    let t = Instant::now();
    let mut archive = Archive::open(dir)?;
    let mut docs = 0;
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
    for c in 0..copies {
        for f in files {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            contents.push((
                if copies > 1 {
                    format!("r{c:03}/{name}")
                } else {
                    name
                },
                std::fs::read(f)?,
            ));
        }
    }
    if copies == 1 {
        let ed = crate::ingest::ingest_files(&mut archive, &contents, "", None)?.edition;
        docs += ed.documents.len();
    } else {
        // Each copy under its own collection names, all in one transaction.
        let t_read = Instant::now();
        let suffixes: Vec<String> = (0..contents.len())
            .map(|k| format!("-r{:03}", k / files.len()))
            .collect();
        let inputs: Vec<fond_ingest::SourceInput<'_>> = contents
            .iter()
            .zip(&suffixes)
            .map(|((n, b), s)| (n.as_str(), b.as_slice(), s.as_str()))
            .collect();
        let read: Vec<fond_ingest::ReadSource> = fond_ingest::read_sources(&inputs)
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        let stored: Vec<fond_store::StoredSource> = read
            .iter()
            .map(|r| fond_store::StoredSource {
                source: r.source.clone(),
                text: r.text.clone(),
            })
            .collect();
        let fp = crate::ingest::fingerprint(&stored, &[]);
        let read_s = t_read.elapsed().as_secs_f64();
        let t_build = Instant::now();
        let ed = fond_ingest::build_edition(read);
        let build_s = t_build.elapsed().as_secs_f64();
        let t_store = Instant::now();
        archive.replace_edition(&stored, &ed, &fp, &mut |_| {})?;
        eprintln!(
            "  (×{copies}: read+parse {read_s:.3} s · join witnesses {build_s:.3} s · store {:.3} s)",
            t_store.elapsed().as_secs_f64()
        );
        docs += ed.documents.len();
    }
    Ok((t.elapsed().as_secs_f64(), docs))
}

fn bench_ingest(
    corpus: &Path,
    replicas: usize,
    runs: usize,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let (files, _) = crate::ingest::collect_files(&[corpus.to_path_buf()])
        .with_context(|| format!("{}: corpus folder not found", corpus.display()))?;
    let files: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    anyhow::ensure!(!files.is_empty(), "{}: no sources", corpus.display());
    writeln!(
        out,
        "fond bench ingest — corpus {} ({} sources), {} runs",
        corpus.display(),
        files.len(),
        runs
    )?;
    writeln!(
        out,
        "peer: the floor = reading and SHA-256 hashing the same bytes (what any ingest must do)"
    )?;

    let mut t_ingest = Vec::new();
    let mut t_floor = Vec::new();
    let mut bytes = 0;
    let mut docs = 0;
    for i in 0..runs {
        let dir = scratch_dir(&format!("one-{i}"));
        let (t, d) = ingest_once(&files, 1, &dir)?;
        let _ = std::fs::remove_dir_all(&dir);
        t_ingest.push(t);
        docs = d;
        let (f, b) = floor(&files, 1)?;
        t_floor.push(f);
        bytes = b;
    }
    let (ti, tf) = (median(t_ingest), median(t_floor));
    writeln!(out)?;
    writeln!(
        out,
        "{:<34} {:>10} {:>12} {:>10}",
        "run", "seconds", "MB/s", "documents"
    )?;
    let mb = bytes as f64 / 1e6;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        "whole corpus: fond ingest",
        ti,
        mb / ti,
        docs
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        "whole corpus: floor (read+hash)",
        tf,
        mb / tf,
        "-"
    )?;

    // With 1,000 stored corrections, against the same ingest without,
    // interleaved run by run so both see the same machine.
    let n_corr = 1000;
    let dir = scratch_dir("recovery");
    let (_, _) = ingest_once(&files, 1, &dir)?;
    let recovery = Archive::open(&dir)?.edition()?;
    let _ = std::fs::remove_dir_all(&dir);
    let corrections = bench_corrections(&recovery, n_corr);
    let mut t_without = Vec::new();
    let mut t_with = Vec::new();
    let mut t_first = Vec::new();
    let mut t_fresh = Vec::new();
    let mut t_read = Vec::new();
    let mut t_apply = Vec::new();
    let mut held = 0;
    for i in 0..runs {
        // The same steps with and without: an archive that held the
        // edition (emptied, its pages free for the new one), then the
        // timed ingest; and a new archive, then the timed ingest.
        let dir = scratch_dir(&format!("without-{i}"));
        let (t, _) = ingest_corrected(&files, &dir, &[], true)?;
        let _ = std::fs::remove_dir_all(&dir);
        t_without.push(t);
        let dir = scratch_dir(&format!("fresh-{i}"));
        let (t, _) = ingest_corrected(&files, &dir, &[], false)?;
        let _ = std::fs::remove_dir_all(&dir);
        t_fresh.push(t);
        let dir = scratch_dir(&format!("with-{i}"));
        let (t, outcomes) = ingest_corrected(&files, &dir, &corrections, true)?;
        // Reading them back, as every re-derivation does.
        let archive = Archive::open(&dir)?;
        let t0 = Instant::now();
        std::hint::black_box(archive.correction_rows(None)?);
        t_read.push(t0.elapsed().as_secs_f64());
        drop(archive);
        let _ = std::fs::remove_dir_all(&dir);
        t_with.push(t);
        held = outcomes;
        let dir = scratch_dir(&format!("first-{i}"));
        let (t, _) = ingest_corrected(&files, &dir, &corrections, false)?;
        let _ = std::fs::remove_dir_all(&dir);
        t_first.push(t);
        // The pass alone, on a copy of the recovery.
        let mut ed = recovery.clone();
        let t0 = Instant::now();
        std::hint::black_box(fond_ingest::corrections::apply(&mut ed, &corrections));
        t_apply.push(t0.elapsed().as_secs_f64());
    }
    let (tw, tc, ta, t1, tf1) = (
        median(t_without),
        median(t_with),
        median(t_apply),
        median(t_first),
        median(t_fresh),
    );
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        "whole corpus, no correction",
        tw,
        mb / tw,
        docs
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        format!("whole corpus, {} corrections", corrections.len()),
        tc,
        mb / tc,
        docs
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        "  new archive, no correction",
        tf1,
        mb / tf1,
        docs
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        "  new archive, first with them",
        t1,
        mb / t1,
        docs
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12} {:>10}",
        "  of which the apply pass", ta, "-", "-"
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12} {:>10}",
        "  and reading them",
        median(t_read),
        "-",
        "-"
    )?;

    let dir = scratch_dir("replicated");
    let (tr, dr) = ingest_once(&files, replicas, &dir)?;
    let size = std::fs::metadata(dir.join(fond_store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    let (trf, rbytes) = floor(&files, replicas)?;
    let rmb = rbytes as f64 / 1e6;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        format!("×{replicas}: fond ingest"),
        tr,
        rmb / tr,
        dr
    )?;
    writeln!(
        out,
        "{:<34} {:>10.4} {:>12.1} {:>10}",
        format!("×{replicas}: floor (read+hash)"),
        trf,
        rmb / trf,
        "-"
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "whole corpus: {:.3} s (target < 0.5 s); {:.1}× the floor",
        ti,
        ti / tf
    )?;
    writeln!(
        out,
        "×{replicas}: {:.1} MB/s (target ≥ 20 MB/s); {:.1}× the floor; archive {:.1} MB",
        rmb / tr,
        tr / trf,
        size as f64 / 1e6
    )?;
    writeln!(
        out,
        "{} stored corrections ({held} applied): {:.3} s against {:.3} s, {:+.1}% (target < 10%); the apply pass {:.4} s; the first ingest after storing them (every state recorded, a new archive) {:.3} s against {:.3} s, {:+.1}%",
        corrections.len(),
        tc,
        tw,
        (tc / tw - 1.0) * 100.0,
        ta,
        t1,
        tf1,
        (t1 / tf1 - 1.0) * 100.0
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `n` corrections of the recovered edition, every field kind, each
/// recording what the engine recovers (so all of them apply): documents in
/// order, their fields, then their notes' texts and authors, until `n`.
fn bench_corrections(recovery: &fond_model::Edition, n: usize) -> Vec<Correction> {
    let mut out = Vec::with_capacity(n);
    'docs: for round in 0.. {
        let before = out.len();
        for d in &recovery.documents {
            let mut fields = vec![
                Field::Date,
                Field::Dateline,
                Field::Place,
                Field::Senders,
                Field::Addressees,
                Field::Kind,
                Field::Number,
            ];
            for note in &d.notes {
                fields.push(Field::NoteText { note: note.n });
                fields.push(Field::NoteAuthor { note: note.n });
            }
            let Some(field) = fields.get(round) else {
                continue;
            };
            let Some(recovered) = fond_ingest::corrections::current(d, field) else {
                continue;
            };
            let i = out.len();
            let value = match field {
                // Anchored kinds are not among the benchmark's fields.
                Field::Text { .. }
                | Field::Mention { .. }
                | Field::NoteCall { .. }
                | Field::Split { .. }
                | Field::WitnessOf => continue,
                Field::Date => Value::Text(format!("1933-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                Field::Dateline => Value::Text(format!("Sochi, {} August 1933", 1 + i % 28)),
                Field::Place => Value::Text(format!("Place {i}")),
                Field::Senders | Field::Addressees => Value::Names(vec![format!("Person {i}")]),
                Field::Kind => Value::Text("memorandum".into()),
                Field::Number => Value::Number(10_000 + i as u32),
                Field::NoteText { .. } => {
                    Value::Text(format!("Note corrected by the benchmark ({i})."))
                }
                Field::NoteAuthor { .. } => Value::Author(fond_model::NoteAuthor::new(
                    fond_model::NoteRole::Translator,
                    format!("Translator {i}"),
                )),
            };
            out.push(Correction {
                id: format!("bench-{i}"),
                action: Action::Set,
                target: Target {
                    document: d.id.clone(),
                    field: field.clone(),
                },
                recovered,
                value,
                by: "bench".into(),
                at: "2026-01-01T00:00:00Z".into(),
                why: "benchmark".into(),
                status: Status::Active,
                reverts: None,
            });
            if out.len() >= n {
                break 'docs;
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// [`ingest_once`] of one copy into an archive that holds `corrections`
/// (stored before the clock starts); the time and how many applied.
///
/// `settled`: the corrections were applied by an earlier derivation (the
/// archive of an editor at work: their states are recorded), and the
/// edition was then emptied, so the timed ingest writes everything as into
/// a fresh archive. Otherwise the corrections were just stored, and this
/// ingest records every state for the first time.
fn ingest_corrected(
    files: &[PathBuf],
    dir: &Path,
    corrections: &[Correction],
    settled: bool,
) -> Result<(f64, usize)> {
    let mut archive = Archive::open(dir)?;
    archive.add_corrections(corrections)?;
    drop(archive);
    if settled {
        ingest_once(files, 1, dir)?;
        Archive::open(dir)?.replace_edition(
            &[],
            &fond_model::Edition::default(),
            "",
            &mut |_| {},
        )?;
    }
    // Timed as `ingest_once` times: opening the archive, reading the files,
    // the ingest.
    let t = Instant::now();
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        contents.push((name, std::fs::read(f)?));
    }
    let mut archive = Archive::open(dir)?;
    crate::ingest::ingest_files(&mut archive, &contents, "", None)?;
    let secs = t.elapsed().as_secs_f64();
    let applied = archive
        .correction_rows(None)?
        .iter()
        .filter(|r| r.state == Some(State::Applied))
        .count();
    Ok((secs, applied))
}
