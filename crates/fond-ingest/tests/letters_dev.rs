//! Whole-collection scores of the plain-text letter reader on real
//! editions nobody here wrote (`../shared/external/letters-dev`), against
//! gold read by hand from the texts (`tests/gold/letters-dev/*.json`: every
//! letter's first line, and for 10–20 letters of each collection the
//! parties, the date as an interval and the footnotes).
//!
//! For each collection it counts: letters found (a found letter matches a
//! gold letter when it starts within two lines of it), spurious letters,
//! dates right (same first and last day; an undated gold letter must stay
//! undated), senders and addressees right (every gold name's distinctive
//! words found in ours), footnotes attached (the letter carries exactly
//! the gold number of notes). The targets are asserted; the table
//! is printed with `--nocapture`.
//!
//! Skips with a message when `../shared` is absent, and fails instead when
//! `FOND_REQUIRE_CORPUS=1` (CI).

mod common;

use fond_ingest::read_source;
use fond_model::{DocKind, Document};
use std::path::PathBuf;

fn shared() -> PathBuf {
    fond_test_support::external("letters-dev")
}

fn gold_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/letters-dev")
}

/// Letters read by hand after the reader was written, which its developer
/// never looked at while writing it (every k-th letter not in the first
/// gold set; `tests/gold/letters-dev-heldout/README.md`).
fn heldout_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/gold/letters-dev-heldout")
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    gold: usize,
    found: usize,
    matched: usize,
    spurious: usize,
    detailed: usize,
    date_right: usize,
    sender_right: usize,
    addressee_right: usize,
    notes_right: usize,
}

impl Score {
    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
}

const STOP: [&str; 22] = [
    "the", "and", "von", "van", "mrs", "miss", "sir", "herr", "his", "her", "sister", "brother",
    "des", "der", "den", "mr", "dr", "rev", "messrs", "co", "mme", "frau",
];

fn keys(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphabetic())
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()))
        .collect()
}

/// Every gold name (names joined by "; ") has a distinctive word in ours.
fn names_match(gold: &str, ours: &[String]) -> bool {
    let ours: Vec<String> = ours.iter().flat_map(|s| keys(s)).collect();
    gold.split(';').all(|g| {
        let k = keys(g.split('(').next().unwrap_or(g));
        k.is_empty() || k.iter().any(|w| ours.contains(w))
    })
}

fn load(path: PathBuf) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(&path).expect("gold file")).expect("gold JSON")
}

fn score(collection: &str, set: &str) -> Option<Score> {
    let gold = load(gold_dir().join(format!("{collection}.json")));
    let detailed = if set == "heldout" {
        load(heldout_dir().join(format!("{collection}.json")))
    } else {
        gold.clone()
    };
    let file = gold["file"].as_str().expect("file");
    let path = shared().join(collection).join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            fond_test_support::available(format!("{} ({e})", path.display()), false);
            return None;
        }
    };
    let read = read_source(file, &bytes, "").unwrap_or_else(|e| panic!("{e}"));
    let letters: Vec<&Document> = read
        .parsed
        .documents
        .iter()
        .filter(|d| d.kind == DocKind::Letter)
        .collect();
    let starts: Vec<u32> = gold["starts"]
        .as_array()
        .expect("starts")
        .iter()
        .filter_map(|v| v.as_u64().map(|n| n as u32))
        .collect();
    let first_line = |d: &Document| d.witnesses.first().map_or(0, |w| w.first_line);
    let near = |s: u32, d: &Document| {
        let f = first_line(d);
        f + 2 >= s && f <= s + 2
    };
    let mut s = Score {
        gold: starts.len(),
        found: letters.len(),
        ..Score::default()
    };
    s.matched = starts
        .iter()
        .filter(|&&g| letters.iter().any(|d| near(g, d)))
        .count();
    s.spurious = letters
        .iter()
        .filter(|d| !starts.iter().any(|&g| near(g, d)))
        .count();
    for d in letters
        .iter()
        .filter(|d| !starts.iter().any(|&g| near(g, d)))
    {
        eprintln!(
            "  {collection}: spurious letter at line {}: {:?}",
            first_line(d),
            d.title
        );
    }
    for g in starts
        .iter()
        .filter(|&&g| !letters.iter().any(|d| near(g, d)))
    {
        eprintln!("  {collection}: missed letter at line {g}");
    }
    for g in detailed["letters"].as_array().expect("letters") {
        s.detailed += 1;
        let start = g["start_line"].as_u64().unwrap_or(0) as u32;
        let Some(d) = letters.iter().find(|d| near(start, d)) else {
            eprintln!("  {collection}: gold letter at line {start} not found");
            continue;
        };
        let earliest = g["earliest"].as_str();
        let latest = g["latest"].as_str();
        let iv = d
            .date
            .interval
            .as_ref()
            .filter(|i| i.earliest.is_some() || i.latest.is_some());
        let date_ok = match (earliest, iv) {
            (None, None) => true,
            (Some(e), Some(i)) => {
                Some(e.to_string()) == i.earliest.map(|x| x.iso())
                    && latest.map(str::to_string) == i.latest.map(|x| x.iso())
            }
            _ => false,
        };
        if date_ok {
            s.date_right += 1;
        } else {
            eprintln!(
                "  {collection}:{start} date: gold {:?}..{:?} ({:?}), ours {:?} from {:?}",
                earliest,
                latest,
                g["date_text"].as_str(),
                iv.map(|i| i.edtf.clone()),
                d.date.written.as_ref().or(d.date.editorial.as_ref())
            );
        }
        if names_match(g["sender"].as_str().unwrap_or(""), &d.senders) {
            s.sender_right += 1;
        } else {
            eprintln!(
                "  {collection}:{start} sender: gold {:?}, ours {:?}",
                g["sender"], d.senders
            );
        }
        if names_match(g["addressee"].as_str().unwrap_or(""), &d.addressees) {
            s.addressee_right += 1;
        } else {
            eprintln!(
                "  {collection}:{start} addressee: gold {:?}, ours {:?}",
                g["addressee"], d.addressees
            );
        }
        let want = g["footnotes"].as_u64().unwrap_or(0) as usize;
        if d.notes.len() == want {
            s.notes_right += 1;
        } else {
            eprintln!(
                "  {collection}:{start} notes: gold {want}, ours {}",
                d.notes.len()
            );
        }
    }
    println!(
        "{collection:<26} {set:<8} letters {}/{} ({:.1}%), spurious {} ({:.1}%), dates {}/{} ({:.0}%), senders {}/{} ({:.0}%), addressees {}/{} ({:.0}%), footnotes {}/{} ({:.0}%)",
        s.matched,
        s.gold,
        Score::pct(s.matched, s.gold),
        s.spurious,
        Score::pct(s.spurious, s.found),
        s.date_right,
        s.detailed,
        Score::pct(s.date_right, s.detailed),
        s.sender_right,
        s.detailed,
        Score::pct(s.sender_right, s.detailed),
        s.addressee_right,
        s.detailed,
        Score::pct(s.addressee_right, s.detailed),
        s.notes_right,
        s.detailed,
        Score::pct(s.notes_right, s.detailed),
    );
    Some(s)
}

/// The targets, held on every collection and on both gold sets:
/// letters found ≥ 95%, spurious ≤ 5%, dates ≥ 90%, senders and
/// addressees ≥ 90%, footnotes attached ≥ 90%.
const TARGETS: [f64; 6] = [95.0, 5.0, 90.0, 90.0, 90.0, 90.0];

/// Floors: (letters found %, spurious % at most, dates %, senders %,
/// addressees %, footnotes %).
fn check(collection: &str, set: &str, floors: [f64; 6]) {
    let Some(s) = score(collection, set) else {
        return;
    };
    let got = [
        Score::pct(s.matched, s.gold),
        Score::pct(s.spurious, s.found),
        Score::pct(s.date_right, s.detailed),
        Score::pct(s.sender_right, s.detailed),
        Score::pct(s.addressee_right, s.detailed),
        Score::pct(s.notes_right, s.detailed),
    ];
    let names = [
        "letters found",
        "spurious",
        "dates",
        "senders",
        "addressees",
        "footnotes",
    ];
    for k in 0..6 {
        if k == 1 {
            assert!(
                got[k] <= floors[k],
                "{collection}: {} {:.1}% above {:.1}%",
                names[k],
                got[k],
                floors[k]
            );
        } else {
            assert!(
                got[k] >= floors[k],
                "{collection}: {} {:.1}% below {:.1}%",
                names[k],
                got[k],
                floors[k]
            );
        }
    }
}

#[test]
fn beethoven() {
    check("beethoven-letters-vol2", "dev", TARGETS);
    check("beethoven-letters-vol2", "heldout", TARGETS);
}

#[test]
fn keats() {
    check("keats-letters", "dev", TARGETS);
    check("keats-letters", "heldout", TARGETS);
}

#[test]
fn goethe() {
    check("goethe-an-lavater", "dev", TARGETS);
    check("goethe-an-lavater", "heldout", TARGETS);
}

#[test]
fn darwin() {
    check("darwin-life-letters-vol1", "dev", TARGETS);
    check("darwin-life-letters-vol1", "heldout", TARGETS);
}

#[test]
fn twain() {
    check("twain-letters-vol1", "dev", TARGETS);
    check("twain-letters-vol1", "heldout", TARGETS);
}

/// Damaged copies of the collections (cut short, lines dropped, lines
/// doubled) never make the general reader fail: every one is read.
#[test]
fn damaged_collections_never_fail_the_reader() {
    let mut tried = 0;
    for c in [
        "beethoven-letters-vol2",
        "keats-letters",
        "goethe-an-lavater",
        "darwin-life-letters-vol1",
        "twain-letters-vol1",
    ] {
        let gold = load(gold_dir().join(format!("{c}.json")));
        let file = gold["file"].as_str().expect("file").to_string();
        let Ok(bytes) = std::fs::read(shared().join(c).join(&file)) else {
            fond_test_support::available(c, false);
            return;
        };
        let text = String::from_utf8_lossy(&bytes).to_string();
        let lines: Vec<&str> = text.lines().collect();
        for k in [3usize, 7] {
            for copy in common::damaged(&lines, k, k as f64 / 10.0) {
                common::never_fails(&file, copy.as_bytes());
                tried += 1;
            }
        }
    }
    println!("damaged copies read: {tried}");
}
