//! `fond collate ID` and `fond bench collate`: a document's witnesses
//! aligned token by token, and the aligner against CollateX.

use anyhow::{bail, Context, Result};
use fond_bench::collate::{corpus_pairs, molotov_31_38, run_peer, time_align, SIZES};
use fond_collate::{
    align, render_terminal, tei_parallel_segmentation, tokenize, RenderOptions, TeiOptions, Token,
    Witness,
};
use fond_store::Archive;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

const SIGLA: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Tei,
}

pub fn collate(
    archive: &Archive,
    doc: &fond_model::Document,
    format: Format,
    hide_trivial: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let _ = archive;
    if doc.witnesses.len() < 2 {
        bail!(
            "{} has {} witness; collation needs two or more",
            doc.id,
            doc.witnesses.len()
        );
    }
    let tokens: Vec<Vec<Token>> = doc
        .witnesses
        .iter()
        .take(SIGLA.len())
        .map(|w| tokenize(&w.reading_text()))
        .collect();
    let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
    let al = align(&refs)?;
    let witnesses: Vec<Witness> = tokens
        .iter()
        .zip(SIGLA)
        .map(|(t, s)| Witness::new(s, t))
        .collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &al.table(&witnesses)?)?;
            writeln!(out)?;
        }
        Format::Tei => {
            writeln!(
                out,
                "{}",
                tei_parallel_segmentation(&al, &witnesses, &TeiOptions { hide_trivial })?
            )?;
        }
        Format::Text => {
            for (w, s) in doc.witnesses.iter().zip(SIGLA) {
                writeln!(
                    out,
                    "{s}: {} lines {}–{} ({})",
                    w.source, w.first_line, w.last_line, w.label
                )?;
            }
            writeln!(out)?;
            write!(
                out,
                "{}",
                render_terminal(
                    &al,
                    &witnesses,
                    &RenderOptions {
                        width: 120,
                        hide_trivial,
                        color: false
                    }
                )?
            )?;
            let st = al.stats();
            writeln!(
                out,
                "{} trivial and {} substantive variants",
                st.trivial(),
                st.substantive()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The aligner on pairs cut from letters 31–38 (book against web), timed
/// against the Python CollateX in the same run when `peer` is given.
pub fn bench(
    corpus: &Path,
    sizes: Option<Vec<usize>>,
    runs: usize,
    peer: Option<&Path>,
    peer_max: usize,
    python: &str,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let book = std::fs::read_to_string(corpus.join("letters-to-molotov-1925-1936.book.md"))
        .with_context(|| format!("{}: the book is not there", corpus.display()))?;
    let web = std::fs::read_to_string(corpus.join("letters-to-molotov-31-38.web.txt"))
        .with_context(|| format!("{}: the web letters are not there", corpus.display()))?;
    let (book, web) =
        molotov_31_38(&book, &web).context("letters 31–38 not found in the corpus")?;
    let sizes = sizes.unwrap_or_else(|| SIZES.to_vec());
    let pairs = corpus_pairs(&book, &web, &sizes);
    let dir = std::env::temp_dir().join(format!("fond-collate-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    writeln!(
        out,
        "fond bench collate — pairs cut from letters 31–38 (book / web), {runs} runs (median)"
    )?;
    writeln!(
        out,
        "peer: CollateX (Python), {}",
        if peer.is_some() {
            "same pairs, same run"
        } else {
            "not run (pass --peer bench/collatex_peer.py)"
        }
    )?;
    writeln!(
        out,
        "{:>8}  {:>13}  {:>11}  {:>10}  {:>9}  {:>10}",
        "tokens", "witnesses", "fond", "CollateX", "peer RSS", "ratio"
    )?;
    for pair in &pairs {
        time_align(&pair.a, &pair.b);
        let mut times: Vec<Duration> = (0..runs).map(|_| time_align(&pair.a, &pair.b)).collect();
        times.sort_unstable();
        let fond = times[times.len() / 2];
        let mut peer_cols = ["-".to_string(), "-".to_string(), "-".to_string()];
        if let Some(script) = peer.filter(|_| pair.tokens <= peer_max) {
            let (ta, tb) = pair.texts();
            let pa = dir.join(format!("a-{}.txt", pair.tokens));
            let pb = dir.join(format!("b-{}.txt", pair.tokens));
            std::fs::write(&pa, ta)?;
            std::fs::write(&pb, tb)?;
            match run_peer(python, script, &pa, &pb, Duration::from_secs(900)) {
                Ok(r) => {
                    peer_cols = [
                        format!("{:.2} s", r.seconds),
                        r.peak_rss_mb.map_or("-".into(), |mb| format!("{mb:.0} MB")),
                        format!("{:.0}×", r.seconds / fond.as_secs_f64()),
                    ]
                }
                Err(e) => peer_cols[0] = format!("({e})"),
            }
        }
        writeln!(
            out,
            "{:>8}  {:>13}  {:>8.2} ms  {:>10}  {:>9}  {:>10}",
            pair.tokens,
            format!("{}/{}", pair.a.len(), pair.b.len()),
            fond.as_secs_f64() * 1e3,
            peer_cols[0],
            peer_cols[1],
            peer_cols[2]
        )?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    writeln!(
        out,
        "targets: 4,000-token pair < 50 ms; 100,000-token pair < 2 s and 500 MB"
    )?;
    Ok(ExitCode::SUCCESS)
}
