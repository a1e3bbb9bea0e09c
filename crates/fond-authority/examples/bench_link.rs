//! Linking the whole corpus: fond's linker against one regular expression
//! per name variant.
//!
//! `cargo run --release -p fond-authority --example bench_link -- ../shared/corpus`

use std::path::PathBuf;

const SOURCES: [&str; 4] = [
    "letters-to-molotov-1925-1936.book.md",
    "letters-to-molotov-31-38.web.txt",
    "stalin-archive-1936-1939.web.txt",
    "to-all-party-organisations-1920.web.txt",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/corpus".into()),
    );
    let mut read = Vec::new();
    for name in SOURCES {
        let bytes = std::fs::read(dir.join(name))?;
        read.push(fond_ingest::read_source(name, &bytes, "")?);
    }
    let book = std::fs::read_to_string(dir.join(SOURCES[0]))?;
    let edition = fond_ingest::build_edition(read);
    let t = std::time::Instant::now();
    let authority = fond_authority::Authority::from_book(&book)?;
    let build = t.elapsed();
    let mut texts: Vec<String> = Vec::new();
    for d in &edition.documents {
        texts.push(d.body_text());
        texts.extend(d.notes.iter().map(|n| n.text.clone()));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let bytes: usize = refs.iter().map(|t| t.len()).sum();
    let variants = fond_authority::bench::naive_variants(&authority).len();
    // Warm up once, then measure.
    let _ = fond_authority::bench_link(&authority, &refs);
    let (fond, naive) = fond_authority::bench_link(&authority, &refs);
    println!(
        "authority built in {build:.2?}: {} people, {} bodies, {} periodicals",
        authority.people().len(),
        authority.bodies().len(),
        authority.periodicals().len()
    );
    println!(
        "corpus: {} texts, {:.1} MB; naive baseline: {variants} regular expressions",
        refs.len(),
        bytes as f64 / 1e6
    );
    println!("fond linker  {fond:.3?}");
    println!("naive regex  {naive:.3?}");
    println!(
        "ratio        {:.1}× faster",
        naive.as_secs_f64() / fond.as_secs_f64().max(1e-9)
    );
    Ok(())
}
