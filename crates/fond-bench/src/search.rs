//! The search benchmark: a synthetic archive recombined from the real
//! documents, index build throughput and size, query latency for a fixed
//! mix, peak memory, and the same mix against SQLite FTS5 over the same
//! documents in the same run, as ratios.
//!
//! Not a test: it asserts nothing about time. `fond bench search --docs N`
//! calls [`run_bench`] with the archive's documents as the seed.

use crate::BenchError;
use fond_model::{Block, DocDate, Document, HistDate, Note};
use fond_search::schema::day_number;
use fond_search::{within, BuildOptions, SearchIndex, SearchOptions};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// Documents in the synthetic archive.
    pub docs: usize,
    /// Where to build the two indexes; a fresh temporary directory when
    /// `None`. Removed afterwards either way.
    pub dir: Option<PathBuf>,
    /// Timed runs of each query of the mix, per engine.
    pub runs_per_query: usize,
    /// Seed of the generator: the same seed gives the same archive.
    pub seed: u64,
    pub build: BuildOptions,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            docs: 100_000,
            dir: None,
            runs_per_query: 20,
            seed: 1925,
            build: BuildOptions::default(),
        }
    }
}

/// A small, fast, deterministic generator (SplitMix64): the archive must
/// be the same for both engines and from run to run.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn shift(d: Option<fond_model::Day>, years: i32) -> Option<fond_model::Day> {
    d.and_then(|d| {
        let day = d
            .day
            .min(fond_model::Day::days_in_month(d.year + years, d.month));
        fond_model::Day::new(d.year + years, d.month, day)
    })
}

/// `n` synthetic documents recombined from `seed_docs`: each takes its
/// kind, parties and date (moved by up to ten years either way) from one
/// real document, the opening block of that document, three to eight
/// paragraphs drawn from any document, and up to three of the notes. The
/// collection names them synthetic: `synthetic-r000123` is the 123rd
/// round through the seed documents.
pub fn synthetic_archive(
    seed_docs: &[Document],
    n: usize,
    seed: u64,
) -> impl Iterator<Item = Document> + '_ {
    let blocks: Vec<&Block> = seed_docs
        .iter()
        .flat_map(|d| d.body.iter())
        .filter(|b| b.plain_text().len() > 40)
        .collect();
    let notes: Vec<&Note> = seed_docs.iter().flat_map(|d| d.notes.iter()).collect();
    let mut rng = Rng(seed);
    (0..n).map_while(move |i| {
        let base = seed_docs.get(rng.below(seed_docs.len()))?;
        let round = i / seed_docs.len().max(1);
        let collection = format!("synthetic-r{round:06}");
        let mut body: Vec<Block> = base.body.iter().take(1).cloned().collect();
        for _ in 0..3 + rng.below(6) {
            if let Some(b) = blocks.get(rng.below(blocks.len())) {
                body.push((*b).clone());
            }
        }
        let mut doc_notes = Vec::new();
        for k in 0..rng.below(4) {
            if let Some(nt) = notes.get(rng.below(notes.len())) {
                let mut nt = (*nt).clone();
                nt.n = k as u32 + 1;
                doc_notes.push(nt);
            }
        }
        let years = rng.below(21) as i32 - 10;
        let interval = base.date.interval.as_ref().map(|h| {
            let earliest = shift(h.earliest, years);
            let latest = shift(h.latest, years);
            let iso = |d: Option<fond_model::Day>| d.map_or("..".to_string(), |d| d.iso());
            HistDate {
                text: h.text.clone(),
                edtf: format!("{}/{}", iso(earliest), iso(latest)),
                earliest,
                latest,
                ..h.clone()
            }
        });
        Some(Document {
            id: format!("{collection}/{i}"),
            kind: base.kind,
            collection,
            number: Some(i as u32),
            chapter: base.chapter.clone(),
            title: base.title.clone(),
            date: DocDate {
                interval,
                ..base.date.clone()
            },
            place: base.place.clone(),
            senders: base.senders.clone(),
            addressees: base.addressees.clone(),
            body,
            notes: doc_notes,
            witnesses: Vec::new(),
            marginalia: base.marginalia.clone(),
            order: i as u32,
            ..Document::new("", "", base.kind)
        })
    })
}

/// The bytes of text a document gives the indexes.
fn text_bytes(d: &Document) -> u64 {
    let notes: usize = d.notes.iter().map(|n| n.text.len()).sum();
    (d.title.len() + d.body_text().len() + notes) as u64
}

/// Peak resident memory of the process so far (`VmHWM`), in bytes.
pub fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak so that each phase is measured on its own (Linux: 5 to
/// `clear_refs`). Best effort: where it fails, peaks accumulate.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One query of the mix in both languages.
struct MixQuery {
    kind: &'static str,
    ours: &'static str,
    /// FTS5 MATCH expression.
    fts: &'static str,
    /// Date overlap `[from, to]` as (year, month) pairs, inclusive.
    date: Option<((i32, u8), (i32, u8))>,
    doc_kind: Option<&'static str>,
    /// FTS5 has no fuzzy matching: the peer expands the word through the
    /// `fts5vocab` table by edit distance, as an FTS5 user would.
    fuzzy: Option<(&'static str, u8)>,
    facets: bool,
}

const fn q(kind: &'static str, ours: &'static str, fts: &'static str) -> MixQuery {
    MixQuery {
        kind,
        ours,
        fts,
        date: None,
        doc_kind: None,
        fuzzy: None,
        facets: false,
    }
}

fn mix() -> Vec<MixQuery> {
    vec![
        q("term", "grain", "grain"),
        q("term", "Bukharin", "bukharin"),
        q("term", "Trotsky", "trotsky"),
        q("term", "Comintern", "comintern"),
        q("term", "procurements", "procurements"),
        q("term", "China", "china"),
        q("phrase", "\"grain procurements\"", "\"grain procurements\""),
        q("phrase", "\"Central Committee\"", "\"central committee\""),
        q("phrase", "\"right deviation\"", "\"right deviation\""),
        q("phrase", "\"foreign trade\"", "\"foreign trade\""),
        q("phrase", "\"Special File\"", "\"special file\""),
        MixQuery {
            fuzzy: Some(("bukharine", 1)),
            ..q("fuzzy", "Bukharine~1", "")
        },
        MixQuery {
            fuzzy: Some(("zinovev", 1)),
            ..q("fuzzy", "Zinovev~1", "")
        },
        MixQuery {
            fuzzy: Some(("procurments", 1)),
            ..q("fuzzy", "procurments~1", "")
        },
        MixQuery {
            fuzzy: Some(("kaganovitch", 2)),
            ..q("fuzzy", "Kaganovitch~2", "")
        },
        q(
            "fielded",
            "from:Stalin to:Molotov grain",
            "{senders}: stalin AND {addressees}: molotov AND grain",
        ),
        q("fielded", "in:notes Politburo", "{notes}: politburo"),
        q("fielded", "to:Bukharin", "{addressees}: bukharin"),
        q("fielded", "in:notes Kamenev", "{notes}: kamenev"),
        MixQuery {
            date: Some(((1929, 6), (1929, 9))),
            ..q("date", "grain date:1929-06..1929-09", "grain")
        },
        MixQuery {
            date: Some(((1930, 8), (1930, 8))),
            ..q("date", "Molotov date:1930-08", "molotov")
        },
        MixQuery {
            date: Some(((1927, 1), (1927, 12))),
            ..q("date", "Trotsky date:1927", "trotsky")
        },
        MixQuery {
            date: Some(((1927, 4), (1927, 7))),
            ..q("date", "China date:1927-04..1927-07", "china")
        },
        MixQuery {
            date: Some(((1930, 1), (1930, 12))),
            doc_kind: Some("letter"),
            facets: true,
            ..q("faceted", "Trotsky kind:letter year:1930", "trotsky")
        },
        MixQuery {
            doc_kind: Some("coded-telegram"),
            facets: true,
            ..q("faceted", "Molotov kind:coded-telegram", "molotov")
        },
        MixQuery {
            date: Some(((1929, 1), (1929, 12))),
            facets: true,
            ..q("faceted", "grain year:1929", "grain")
        },
        MixQuery {
            facets: true,
            ..q("faceted", "opposition", "opposition")
        },
    ]
}

/// Latency figures of one query type.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub kind: String,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

/// Everything the benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub docs: usize,
    pub text_bytes: u64,
    pub generate_secs: f64,
    pub tantivy_build_secs: f64,
    pub tantivy_build_mb_s: f64,
    pub tantivy_index_bytes: u64,
    pub tantivy_build_peak_rss: Option<u64>,
    pub fts5_build_secs: f64,
    pub fts5_build_mb_s: f64,
    pub fts5_index_bytes: u64,
    pub fts5_build_peak_rss: Option<u64>,
    pub tantivy: Vec<Latency>,
    pub fts5: Vec<Latency>,
    pub tantivy_mix_mean_ms: f64,
    pub fts5_mix_mean_ms: f64,
    pub query_peak_rss: Option<u64>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn latencies(samples: &[(&'static str, f64)]) -> Vec<Latency> {
    let mut kinds: Vec<&str> = Vec::new();
    for (k, _) in samples {
        if !kinds.contains(k) {
            kinds.push(k);
        }
    }
    kinds
        .into_iter()
        .map(|k| {
            let mut v: Vec<f64> = samples
                .iter()
                .filter(|(kk, _)| *kk == k)
                .map(|(_, t)| *t)
                .collect();
            v.sort_by(|a, b| a.total_cmp(b));
            let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
            Latency {
                kind: k.to_string(),
                p50_ms: percentile(&v, 0.50),
                p99_ms: percentile(&v, 0.99),
                mean_ms: mean,
            }
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The FTS5 peer: the same documents, a porter/unicode61 FTS5 table for
/// the text and a plain table with indexed columns for kind and dates.
struct Fts5 {
    conn: Connection,
}

impl Fts5 {
    fn build(
        path: &std::path::Path,
        docs: impl Iterator<Item = Document>,
    ) -> Result<Fts5, BenchError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;
             CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, notes, senders, addressees,
                 tokenize = 'porter unicode61 remove_diacritics 2');
             CREATE TABLE meta(rowid INTEGER PRIMARY KEY, kind TEXT, earliest INTEGER, latest INTEGER,
                 year TEXT, sender TEXT, addressee TEXT);",
        )?;
        {
            let tx = conn.unchecked_transaction()?;
            {
                let mut ins = tx.prepare(
                    "INSERT INTO docs(rowid, id, title, body, notes, senders, addressees) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                let mut meta = tx.prepare(
                    "INSERT INTO meta(rowid, kind, earliest, latest, year, sender, addressee) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for (i, d) in docs.enumerate() {
                    let notes: Vec<&str> = d.notes.iter().map(|n| n.text.as_str()).collect();
                    let rowid = i as i64 + 1;
                    ins.execute(params![
                        rowid,
                        d.id,
                        d.title,
                        d.body_text(),
                        notes.join("\n\n"),
                        d.senders.join("; "),
                        d.addressees.join("; ")
                    ])?;
                    let h = d.date.interval.as_ref();
                    let (lo, hi) = match h {
                        Some(h) if h.earliest.is_some() || h.latest.is_some() => (
                            Some(h.earliest.map_or(i64::MIN, day_number)),
                            Some(h.latest.map_or(i64::MAX, day_number)),
                        ),
                        _ => (None, None),
                    };
                    let year = h
                        .and_then(|h| h.year())
                        .map_or("undated".to_string(), |y| y.to_string());
                    meta.execute(params![
                        rowid,
                        d.kind.as_str(),
                        lo,
                        hi,
                        year,
                        d.senders.first(),
                        d.addressees.first()
                    ])?;
                }
            }
            tx.commit()?;
        }
        conn.execute_batch(
            "CREATE INDEX meta_kind ON meta(kind); CREATE INDEX meta_earliest ON meta(earliest);
             CREATE INDEX meta_latest ON meta(latest);
             CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'row');",
        )?;
        Ok(Fts5 { conn })
    }

    /// The same work as a search here: top ten by BM25 with a snippet, the
    /// total, and for faceted queries the four facets.
    fn run(&self, m: &MixQuery) -> Result<u64, BenchError> {
        let mut expr = m.fts.to_string();
        if let Some((word, d)) = m.fuzzy {
            let mut stmt = self.conn.prepare_cached("SELECT term FROM vocab")?;
            let mut rows = stmt.query([])?;
            let mut alts = Vec::new();
            while let Some(r) = rows.next()? {
                let t: String = r.get(0)?;
                if within(&t, word, d) && alts.len() < 50 {
                    alts.push(format!("\"{t}\""));
                }
            }
            expr = if alts.is_empty() {
                format!("\"{word}\"")
            } else {
                alts.join(" OR ")
            };
        }
        let mut cond = String::from("docs MATCH ?1");
        if let Some(((y1, m1), (y2, m2))) = m.date {
            let from = fond_model::Day::new(y1, m1, 1)
                .map(day_number)
                .unwrap_or(i64::MIN);
            let to = fond_model::Day::new(y2, m2, fond_model::Day::days_in_month(y2, m2))
                .map(day_number)
                .unwrap_or(i64::MAX);
            cond.push_str(&format!(
                " AND meta.earliest <= {to} AND meta.latest >= {from}"
            ));
        }
        if let Some(k) = m.doc_kind {
            cond.push_str(&format!(" AND meta.kind = '{k}'"));
        }
        let top_sql = format!(
            "SELECT docs.id, snippet(docs, 2, '«', '»', '…', 30) FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE {cond} ORDER BY docs.rank LIMIT 10"
        );
        let mut stmt = self.conn.prepare_cached(&top_sql)?;
        let mut rows = stmt.query([&expr])?;
        while let Some(r) = rows.next()? {
            let _id: String = r.get(0)?;
            let _snip: Option<String> = r.get(1)?;
        }
        let count_sql =
            format!("SELECT count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE {cond}");
        let total: i64 = self
            .conn
            .prepare_cached(&count_sql)?
            .query_row([&expr], |r| r.get(0))?;
        if m.facets {
            for col in ["year", "kind", "sender", "addressee"] {
                let sql = format!(
                    "SELECT meta.{col}, count(*) FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE {cond} GROUP BY meta.{col}"
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let mut rows = stmt.query([&expr])?;
                while let Some(r) = rows.next()? {
                    let _v: Option<String> = r.get(0)?;
                }
            }
        }
        Ok(total.max(0) as u64)
    }
}

/// Runs the benchmark and prints its figures and ratios to `out`.
pub fn run_bench(
    seed_docs: &[Document],
    cfg: &BenchConfig,
    out: &mut dyn Write,
) -> Result<BenchReport, BenchError> {
    if seed_docs.is_empty() {
        return Err(BenchError::Config(
            "no seed documents: ingest the corpus first".into(),
        ));
    }
    let tmp = match &cfg.dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| BenchError::io(d, e))?;
            tempfile::Builder::new()
                .prefix("fond-search-bench")
                .tempdir_in(d)
                .map_err(|e| BenchError::io(d, e))?
        }
        None => tempfile::Builder::new()
            .prefix("fond-search-bench")
            .tempdir()
            .map_err(|e| BenchError::io(std::env::temp_dir(), e))?,
    };
    let say = |out: &mut dyn Write, s: String| -> Result<(), BenchError> {
        writeln!(out, "{s}").map_err(BenchError::Output)?;
        out.flush().map_err(BenchError::Output)
    };
    say(
        out,
        format!(
            "search benchmark: {} synthetic documents recombined from {} real ones (seed {})",
            cfg.docs,
            seed_docs.len(),
            cfg.seed
        ),
    )?;

    // Generation alone, so that it can be taken out of the build time.
    let t = Instant::now();
    let mut bytes = 0u64;
    for d in synthetic_archive(seed_docs, cfg.docs, cfg.seed) {
        bytes += text_bytes(&d);
    }
    let generate = t.elapsed();
    say(
        out,
        format!(
            "  text: {:.1} MB; generating it alone takes {:.2} s (subtracted below)",
            mb(bytes),
            generate.as_secs_f64()
        ),
    )?;

    reset_peak();
    let index_dir = tmp.path().join("tantivy");
    let t = Instant::now();
    let index = SearchIndex::build_with(
        &index_dir,
        synthetic_archive(seed_docs, cfg.docs, cfg.seed),
        &cfg.build,
    )?;
    let build = t.elapsed().saturating_sub(generate);
    let build_peak = peak_rss();
    let index_bytes = index.size_bytes();
    let segments = index.segment_docs();
    let build_mb_s = mb(bytes) / build.as_secs_f64().max(1e-9);
    say(
        out,
        format!(
            "  tantivy build: {:.2} s, {:.1} MB/s, index {:.1} MB, peak RSS {:.0} MB ({} threads, {} MB budget)",
            build.as_secs_f64(),
            build_mb_s,
            mb(index_bytes),
            mb(build_peak.unwrap_or(0)),
            cfg.build.threads,
            cfg.build.memory_bytes >> 20
        ),
    )?;
    say(
        out,
        format!(
            "  tantivy segments: {} (documents: {})",
            segments.len(),
            segments
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )?;

    reset_peak();
    let db_path = tmp.path().join("fts5.sqlite");
    let t = Instant::now();
    let fts = Fts5::build(&db_path, synthetic_archive(seed_docs, cfg.docs, cfg.seed))?;
    let fts_build = t.elapsed().saturating_sub(generate);
    let fts_peak = peak_rss();
    let fts_bytes = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
    let fts_mb_s = mb(bytes) / fts_build.as_secs_f64().max(1e-9);
    say(
        out,
        format!(
            "  FTS5 build:    {:.2} s, {:.1} MB/s, index {:.1} MB, peak RSS {:.0} MB",
            fts_build.as_secs_f64(),
            fts_mb_s,
            mb(fts_bytes),
            mb(fts_peak.unwrap_or(0))
        ),
    )?;

    // Queries: one untimed warm-up run of each query on each engine (page
    // cache, statement cache), then the timed runs, interleaved so that
    // neither engine gets a warmer machine.
    reset_peak();
    let mix = mix();
    let opts_for = |m: &MixQuery| SearchOptions {
        limit: 10,
        facets: m.facets,
        ..SearchOptions::default()
    };
    let mut totals = Vec::new();
    for m in &mix {
        let r = index.search(m.ours, &opts_for(m))?;
        let f = fts.run(m)?;
        totals.push((m.ours, r.total, f));
    }
    let mut ours: Vec<(&'static str, f64)> = Vec::new();
    let mut theirs: Vec<(&'static str, f64)> = Vec::new();
    for _ in 0..cfg.runs_per_query.max(1) {
        for m in &mix {
            let opts = opts_for(m);
            let t = Instant::now();
            index.search(m.ours, &opts)?;
            ours.push((m.kind, ms(t.elapsed())));
            let t = Instant::now();
            fts.run(m)?;
            theirs.push((m.kind, ms(t.elapsed())));
        }
    }
    let query_peak = peak_rss();
    let lat_ours = latencies(&ours);
    let lat_theirs = latencies(&theirs);
    let mean = |v: &[(&str, f64)]| v.iter().map(|x| x.1).sum::<f64>() / v.len().max(1) as f64;
    let mix_ours = mean(&ours);
    let mix_theirs = mean(&theirs);

    say(out, String::new())?;
    say(
        out,
        format!(
            "  {:<9} {:>11} {:>11} {:>11} {:>11} {:>9}",
            "query", "tantivy p50", "tantivy p99", "FTS5 p50", "FTS5 p99", "FTS5/ours"
        ),
    )?;
    for (a, b) in lat_ours.iter().zip(&lat_theirs) {
        say(
            out,
            format!(
                "  {:<9} {:>8.2} ms {:>8.2} ms {:>8.2} ms {:>8.2} ms {:>8.1}×",
                a.kind,
                a.p50_ms,
                a.p99_ms,
                b.p50_ms,
                b.p99_ms,
                b.mean_ms / a.mean_ms.max(1e-9)
            ),
        )?;
    }
    say(
        out,
        format!(
            "  mix mean: tantivy {:.2} ms, FTS5 {:.2} ms: tantivy is {:.1}× faster over the mix",
            mix_ours,
            mix_theirs,
            mix_theirs / mix_ours.max(1e-9)
        ),
    )?;
    // FTS5 has no fuzzy matching of its own (the peer scans its vocabulary),
    // so the mix is also given without the fuzzy queries.
    let no_fuzzy = |v: &[(&str, f64)]| {
        let t: Vec<(&str, f64)> = v.iter().copied().filter(|x| x.0 != "fuzzy").collect();
        mean(&t)
    };
    say(
        out,
        format!(
            "  without the fuzzy queries: tantivy {:.2} ms, FTS5 {:.2} ms: {:.1}× faster",
            no_fuzzy(&ours),
            no_fuzzy(&theirs),
            no_fuzzy(&theirs) / no_fuzzy(&ours).max(1e-9)
        ),
    )?;
    say(
        out,
        format!(
            "  build: tantivy {:.1} MB/s vs FTS5 {:.1} MB/s ({:.1}×); index size {:.2}× FTS5's; query-phase peak RSS {:.0} MB",
            build_mb_s,
            fts_mb_s,
            build_mb_s / fts_mb_s.max(1e-9),
            index_bytes as f64 / (fts_bytes.max(1)) as f64,
            mb(query_peak.unwrap_or(0))
        ),
    )?;
    say(out, String::new())?;
    say(out, "  matches per query (tantivy / FTS5; tantivy also matches other spellings, stems both scripts and reads uncertain dates as intervals):".into())?;
    for (q, a, b) in &totals {
        say(out, format!("    {q:<40} {a:>9} {b:>9}"))?;
    }
    say(out, format!("  runs per query: {}; both engines return the top 10 with a snippet and the total; faceted queries also count year, kind, sender and addressee", cfg.runs_per_query))?;
    drop(index);
    drop(fts);
    drop(tmp);
    Ok(BenchReport {
        docs: cfg.docs,
        text_bytes: bytes,
        generate_secs: generate.as_secs_f64(),
        tantivy_build_secs: build.as_secs_f64(),
        tantivy_build_mb_s: build_mb_s,
        tantivy_index_bytes: index_bytes,
        tantivy_build_peak_rss: build_peak,
        fts5_build_secs: fts_build.as_secs_f64(),
        fts5_build_mb_s: fts_mb_s,
        fts5_index_bytes: fts_bytes,
        fts5_build_peak_rss: fts_peak,
        tantivy: lat_ours,
        fts5: lat_theirs,
        tantivy_mix_mean_ms: mix_ours,
        fts5_mix_mean_ms: mix_theirs,
        query_peak_rss: query_peak,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Vec<Document> {
        let d = Document {
            id: "c/1".into(),
            kind: fond_model::DocKind::Letter,
            collection: "c".into(),
            number: Some(1),
            chapter: None,
            title: "Letter 1".into(),
            date: DocDate::default(),
            place: None,
            senders: vec!["Stalin".into()],
            addressees: vec!["Molotov".into()],
            body: vec![Block {
                kind: fond_model::BlockKind::Paragraph,
                inlines: vec![fond_model::Inline::Text {
                    text: "The grain procurements are going badly this autumn.".into(),
                }],
                line: 1,
            }],
            notes: Vec::new(),
            witnesses: Vec::new(),
            marginalia: Vec::new(),
            order: 0,
            ..Document::new("", "", fond_model::DocKind::Letter)
        };
        vec![d]
    }

    #[test]
    fn the_generator_is_deterministic_and_marks_its_collections() {
        let s = seed();
        let a: Vec<Document> = synthetic_archive(&s, 5, 7).collect();
        let b: Vec<Document> = synthetic_archive(&s, 5, 7).collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
        assert!(a.iter().all(|d| d.collection.starts_with("synthetic-r")));
        assert_eq!(a[3].id, "synthetic-r000003/3");
    }

    #[test]
    fn percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn fts5_is_in_the_bundled_sqlite() {
        let conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x); INSERT INTO t VALUES ('grain procurements');",
        )
        .unwrap_or_else(|e| panic!("fts5 missing: {e}"));
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t WHERE t MATCH 'grain'", [], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 1);
    }
}
