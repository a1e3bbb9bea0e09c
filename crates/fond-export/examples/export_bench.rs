//! How long exporting the whole reference archive takes (not a test).
//!
//! `cargo run --release -p fond-export --example export_bench [OUT_DIR]`
//!
//! Builds the edition, the authority and the mentions as the CLI does
//! (not timed), then times the TEI export of every document plus the
//! personography, writing the files, and the CSV and JSON Lines tables.
//! Throughput is given against the corpus's bytes (what was read) and the
//! TEI's bytes (what was written).

#[path = "../tests/common/mod.rs"]
mod common;

use fond_export::{tabular, tei};
use std::time::{Duration, Instant};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

fn mb_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("fond-export-bench"));
    let t = Instant::now();
    let c = common::corpus();
    let setup = t.elapsed();
    let corpus_bytes: u64 = c.edition.sources.iter().map(|s| s.bytes).sum();
    let docs = &c.edition.documents;

    let ctx = tei::TeiContext::for_sources(&c.edition.sources)
        .with_mentions(c.mentions.iter().cloned())
        .with_edition(common::reference_edition());
    let (tei_time, files) = best_of(5, || {
        tei::edition_files(docs, &ctx, &c.people, &c.orgs, &c.periodicals)
    });
    let files = files?;
    let tei_bytes: usize = files.iter().map(|(_, x)| x.len()).sum();
    let (write_time, r) = best_of(3, || tei::write_files(&out_dir, &files));
    r?;
    let (ctx_time, _) = best_of(5, || {
        tei::TeiContext::for_sources(&c.edition.sources).with_mentions(c.mentions.iter().cloned())
    });

    let (tables_time, table_bytes) = best_of(5, || -> Result<usize, fond_export::ExportError> {
        let mut n = 0;
        for jsonl in [false, true] {
            let mut b = Vec::new();
            if jsonl {
                tabular::documents_jsonl(&mut b, docs)?;
                tabular::notes_jsonl(&mut b, docs)?;
                tabular::archival_refs_jsonl(&mut b, docs)?;
                tabular::people_jsonl(&mut b, &c.people, &c.mentions)?;
                tabular::mentions_jsonl(&mut b, &c.mentions)?;
            } else {
                tabular::documents_csv(&mut b, docs)?;
                tabular::notes_csv(&mut b, docs)?;
                tabular::archival_refs_csv(&mut b, docs)?;
                tabular::people_csv(&mut b, &c.people, &c.mentions)?;
                tabular::mentions_csv(&mut b, &c.mentions)?;
            }
            n += b.len();
        }
        Ok(n)
    });
    let table_bytes = table_bytes?;

    println!("corpus: {} sources, {:.2} MB; {} documents, {} people, {} bodies, {} periodicals, {} mentions",
        c.edition.sources.len(), corpus_bytes as f64 / 1e6, docs.len(), c.people.len(), c.orgs.len(),
        c.periodicals.len(), c.mentions.len());
    println!(
        "setup (ingest + authority + linking, not export): {:.2} s",
        setup.as_secs_f64()
    );
    println!(
        "context with mentions:  {:>8.2} ms",
        ctx_time.as_secs_f64() * 1e3
    );
    println!(
        "TEI, {} files in memory: {:>8.2} ms  ({:.2} MB of TEI; {:.0} MB/s written, {:.0} MB/s of corpus)",
        files.len(),
        tei_time.as_secs_f64() * 1e3,
        tei_bytes as f64 / 1e6,
        mb_s(tei_bytes, tei_time),
        mb_s(corpus_bytes as usize, tei_time)
    );
    println!(
        "TEI files to disk:      {:>8.2} ms  ({})",
        write_time.as_secs_f64() * 1e3,
        out_dir.display()
    );
    println!(
        "CSV + JSON Lines, 5 tables each: {:>8.2} ms  ({:.2} MB; {:.0} MB/s)",
        tables_time.as_secs_f64() * 1e3,
        table_bytes as f64 / 1e6,
        mb_s(table_bytes, tables_time)
    );
    let total = ctx_time + tei_time + write_time;
    println!(
        "whole TEI export (context + files + write): {:.3} s (target < 2 s)",
        total.as_secs_f64()
    );
    Ok(())
}
