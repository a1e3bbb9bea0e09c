//! What `fond bench collate` will print, until the CLI has the command:
//! fond's aligner against CollateX on witness pairs cut from the corpus.
//!
//! ```sh
//! cargo run --release -p fond-collate --example bench_collate -- \
//!     [--corpus ../shared/corpus] [--sizes 500,1000,2000,4000,100000] [--runs 5] \
//!     [--peer crates/fond-collate/bench/collatex_peer.py] [--peer-max 2000] \
//!     [--peer-timeout 900] [--python python3]
//! ```
//!
//! fond's time is the median of `--runs` runs of [`align`] (classification
//! included); CollateX runs once per size up to `--peer-max` tokens.

use fond_collate::bench::{corpus_pairs, molotov_31_38, run_peer, time_align, SIZES};
use fond_collate::{align, Alignment};
use std::path::PathBuf;
use std::time::Duration;

struct Args {
    corpus: PathBuf,
    sizes: Vec<usize>,
    runs: usize,
    peer: Option<PathBuf>,
    peer_max: usize,
    peer_timeout: Duration,
    python: String,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        corpus: PathBuf::from("../shared/corpus"),
        sizes: SIZES.to_vec(),
        runs: 5,
        peer: None,
        peer_max: 2000,
        peer_timeout: Duration::from_secs(900),
        python: "python3".to_string(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{v:?}: {e}"));
        match flag.as_str() {
            "--corpus" => args.corpus = PathBuf::from(value()?),
            "--sizes" => {
                args.sizes = value()?
                    .split(',')
                    .map(|s| number(s.trim().to_string()))
                    .collect::<Result<_, _>>()?
            }
            "--runs" => args.runs = number(value()?)?.max(1),
            "--peer" => args.peer = Some(PathBuf::from(value()?)),
            "--peer-max" => args.peer_max = number(value()?)?,
            "--peer-timeout" => args.peer_timeout = Duration::from_secs(number(value()?)? as u64),
            "--python" => args.python = value()?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let book = std::fs::read_to_string(args.corpus.join("letters-to-molotov-1925-1936.book.md"))?;
    let web = std::fs::read_to_string(args.corpus.join("letters-to-molotov-31-38.web.txt"))?;
    let (book, web) = molotov_31_38(&book, &web).ok_or("letters 31–38 not found in the corpus")?;
    let pairs = corpus_pairs(&book, &web, &args.sizes);
    let dir = std::env::temp_dir().join(format!("fond-collate-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    println!(
        "{:>8}  {:>15}  {:>12}  {:>9}  {:>7}  {:>9}  {:>12}  {:>9}  {:>8}",
        "tokens",
        "witness tokens",
        "fond",
        "variants",
        "agree",
        "CollateX",
        "peer tokens",
        "peer RSS",
        "ratio"
    );
    for pair in &pairs {
        // One run unmeasured, so that the first size does not pay for cold
        // caches and the allocator's first growth.
        time_align(&pair.a, &pair.b);
        let mut times: Vec<Duration> = (0..args.runs)
            .map(|_| time_align(&pair.a, &pair.b))
            .collect();
        times.sort_unstable();
        let fond = times[times.len() / 2];
        let (variants, agree) = align(&[&pair.a, &pair.b])
            .map(|al: Alignment| {
                let st = al.stats();
                (
                    al.variants().count(),
                    100.0 * st.agreeing[0] as f64 / st.tokens[0].max(1) as f64,
                )
            })
            .unwrap_or((0, 0.0));
        // CollateX's time, token counts, peak memory, and the ratio.
        let mut peer: [String; 4] = std::array::from_fn(|_| "-".to_string());
        if let Some(script) = args.peer.as_ref().filter(|_| pair.tokens <= args.peer_max) {
            let (ta, tb) = pair.texts();
            let pa = dir.join(format!("a-{}.txt", pair.tokens));
            let pb = dir.join(format!("b-{}.txt", pair.tokens));
            std::fs::write(&pa, ta)?;
            std::fs::write(&pb, tb)?;
            match run_peer(&args.python, script, &pa, &pb, args.peer_timeout) {
                Ok(r) => {
                    let tokens: Vec<String> = r.tokens.iter().map(usize::to_string).collect();
                    peer = [
                        format!("{:.2} s", r.seconds),
                        tokens.join("/"),
                        r.peak_rss_mb.map_or("-".into(), |mb| format!("{mb:.0} MB")),
                        format!("{:.0}×", r.seconds / fond.as_secs_f64()),
                    ];
                }
                Err(e) => peer[0] = format!("({e})"),
            }
        }
        let [p_time, p_tokens, p_rss, p_ratio] = &peer;
        println!(
            "{:>8}  {:>15}  {:>9.2} ms  {:>9}  {:>6.1}%  {:>9}  {:>12}  {:>9}  {:>8}",
            pair.tokens,
            format!("{}/{}", pair.a.len(), pair.b.len()),
            fond.as_secs_f64() * 1e3,
            variants,
            agree,
            p_time,
            p_tokens,
            p_rss,
            p_ratio
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
