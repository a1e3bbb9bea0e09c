//! `cargo run --release -p fond-search --example bench -- N [DIR [RUNS]]`:
//! the search benchmark over N synthetic documents recombined from the real
//! corpus (`FOND_CORPUS`, default `../shared/corpus` beside the
//! repository), building in DIR (default: a temporary directory), RUNS
//! timed runs per query. `fond bench search --docs N` can run the same
//! `run_bench` with the archive's documents.
use fond_search::{run_bench, BenchConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = args.next().map(std::path::PathBuf::from);
    let runs: Option<usize> = args.next().map(|s| s.parse()).transpose()?;
    let corpus = std::env::var_os("FOND_CORPUS").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        std::path::PathBuf::from,
    );
    let mut read = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&corpus)?.collect::<Result<Vec<_>, _>>()?;
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let p = e.path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name.starts_with("README") {
            continue;
        }
        read.push(fond_ingest::read_source(&name, &std::fs::read(&p)?, "")?);
    }
    let ed = fond_ingest::build_edition(read);
    let mut cfg = BenchConfig {
        docs: n,
        dir,
        ..BenchConfig::default()
    };
    if let Some(r) = runs {
        cfg.runs_per_query = r;
    }
    let report = run_bench(&ed.documents, &cfg, &mut std::io::stdout())?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
