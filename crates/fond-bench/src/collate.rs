//! Benchmark material for `fond bench collate`: witness pairs cut from the
//! corpus and a timer. Nothing here asserts a time; timing belongs to the
//! benchmark command, never to tests.
//!
//! The pairs are the printed edition (Markdown) and the web transcription
//! of letters 31–38 of *Stalin's Letters to Molotov*: two real,
//! independently damaged witnesses of the same text. Sizes up to the
//! length of that text are prefixes of it, the web side cut where the
//! alignment says the book prefix ends. Longer pairs repeat the text; each
//! copy renames a quarter of its vocabulary (the same way on both sides, so
//! that copies read like further letters rather than the same one again,
//! which would leave no token unique), and the second witness gets a small
//! dose of extra variants: dropped, inserted, re-cased and swapped words.

use fond_collate::{align, join, tokenize, Token};
use serde::Deserialize;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The sizes `fond bench collate` measures: the four pairs cut from
/// the corpus, and a long pair for the near-linear claim.
pub const SIZES: [usize; 5] = [500, 1000, 2000, 4000, 100_000];

/// The time [`fond_collate::align`] takes on a pair, classification included.
pub fn time_align(a: &[Token], b: &[Token]) -> Duration {
    let start = Instant::now();
    let al = align(&[a, b]);
    let elapsed = start.elapsed();
    std::hint::black_box(al.map(|al| al.columns.len()).unwrap_or(0));
    elapsed
}

/// What the peer collator (`bench/collatex_peer.py`) reports.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PeerReport {
    /// Time of the peer's collation alone.
    pub seconds: f64,
    /// The peer's own token counts.
    pub tokens: Vec<usize>,
    /// The peer's version.
    pub collatex: String,
    pub peak_rss_mb: Option<f64>,
}

/// Why the peer collator gave no figure.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("cannot start {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("gave up after {0:?}")]
    Timeout(Duration),
    #[error("exited with {status}: {stderr}")]
    Failed {
        status: std::process::ExitStatus,
        stderr: String,
    },
    #[error("unreadable report {output:?}: {source}")]
    Report {
        output: String,
        source: serde_json::Error,
    },
    #[error("waiting for it: {0}")]
    Wait(std::io::Error),
}

/// Runs `python script a b` (the CollateX peer) and reads its report,
/// killing it after `timeout`: CollateX's time grows with the square of the
/// witnesses, and a benchmark must end.
pub fn run_peer(
    python: &str,
    script: &Path,
    a: &Path,
    b: &Path,
    timeout: Duration,
) -> Result<PeerReport, PeerError> {
    let mut child = Command::new(python)
        .arg(script)
        .arg(a)
        .arg(b)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| PeerError::Spawn {
            program: python.to_string(),
            source,
        })?;
    let start = Instant::now();
    loop {
        match child.try_wait().map_err(PeerError::Wait)? {
            Some(_) => break,
            None if start.elapsed() > timeout => {
                // Best effort: the child may have exited in between.
                let _ = child.kill();
                let _ = child.wait();
                return Err(PeerError::Timeout(timeout));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let out = child.wait_with_output().map_err(PeerError::Wait)?;
    if !out.status.success() {
        return Err(PeerError::Failed {
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let output = String::from_utf8_lossy(&out.stdout).trim().to_string();
    serde_json::from_str(&output).map_err(|source| PeerError::Report { output, source })
}

/// A witness pair for the benchmark.
#[derive(Debug, Clone)]
pub struct BenchPair {
    /// The nominal size: tokens of the first witness.
    pub tokens: usize,
    pub a: Vec<Token>,
    pub b: Vec<Token>,
}

impl BenchPair {
    /// The witnesses as plain texts, for a peer collator; tokenizing them
    /// again gives the same tokens.
    pub fn texts(&self) -> (String, String) {
        (join(&self.a), join(&self.b))
    }
}

/// The texts of letters 31–38 in the book (Markdown, from `## Letter 31` to
/// the heading of the 1929 chapter that follows letter 38) and in the web
/// transcription (from `Letter 31` on), with the book's Markdown markup
/// removed. `None` if a marker is missing.
pub fn molotov_31_38(book: &str, web: &str) -> Option<(String, String)> {
    let start = marker_line(book, 31, 0)?;
    let end = line_offset(book, BOOK_AFTER_38, start)?;
    let book = fond_model::Markup::Markdown.reading_text(book.get(start..end)?);
    let web = slice_letters(web, 31, None)?.to_string();
    Some((book, web))
}

/// The line that ends letter 38 in the book: the next chapter's heading.
pub const BOOK_AFTER_38: &str = "## 1929";

/// Byte offset of the first line at or after `from` that is `line` (with
/// surrounding whitespace ignored).
pub fn line_offset(text: &str, line: &str, from: usize) -> Option<usize> {
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        if offset >= from && l.trim() == line {
            return Some(offset);
        }
        offset += l.len();
    }
    None
}

/// The text from the line `Letter {first}` (however decorated: `## Letter
/// 31`, `**Letter 31**`) up to the line `Letter {until}` or the end.
pub fn slice_letters(text: &str, first: u32, until: Option<u32>) -> Option<&str> {
    let start = marker_line(text, first, 0)?;
    let end = match until {
        Some(n) => marker_line(text, n, start + 1)?,
        None => text.len(),
    };
    text.get(start..end)
}

/// Byte offset of the first line at or after `from` that reads `Letter n`
/// once `#`, `*` and spaces are stripped.
fn marker_line(text: &str, n: u32, from: usize) -> Option<usize> {
    let want = format!("Letter {n}");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset >= from && line.trim().trim_matches(|c| c == '#' || c == '*').trim() == want {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Pairs of about each of `sizes` tokens from two witnesses of one text.
pub fn corpus_pairs(book: &str, web: &str, sizes: &[usize]) -> Vec<BenchPair> {
    let (a, b) = (tokenize(book), tokenize(web));
    sizes
        .iter()
        .map(|&size| {
            if size <= a.len() {
                let (ca, cb) = cut(&a, &b, size);
                BenchPair {
                    tokens: size,
                    a: a[..ca].to_vec(),
                    b: b[..cb].to_vec(),
                }
            } else {
                repeated(&a, &b, size)
            }
        })
        .collect()
}

/// Where to cut both witnesses so that the first keeps about `size`
/// tokens and the second the text aligned with them.
fn cut(a: &[Token], b: &[Token], size: usize) -> (usize, usize) {
    let Ok(al) = align(&[a, b]) else {
        return (size, size.min(b.len()));
    };
    for col in &al.columns {
        let (Some(ca), Some(cb)) = (col.cells.first(), col.cells.get(1)) else {
            continue;
        };
        if ca.tokens.end < size {
            continue;
        }
        // Inside an agreement column both sides advance together.
        if col.variant.is_none() {
            let k = size.saturating_sub(ca.tokens.start);
            return (size, (cb.tokens.start + k).min(b.len()));
        }
        return (ca.tokens.start, cb.tokens.start);
    }
    (a.len(), b.len())
}

/// `size` tokens of repeated, varied copies of the pair.
fn repeated(a: &[Token], b: &[Token], size: usize) -> BenchPair {
    let copies = size / a.len().max(1) + 1;
    let mut rng = Lcg(0x5eed);
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for r in 0..copies {
        copy_into(&mut ta, a, r, None);
        copy_into(&mut tb, b, r, Some(&mut rng));
    }
    let (ta, tb) = (tokenize(&join(&ta)), tokenize(&join(&tb)));
    // The second witness is cut at the same proportion of its copies.
    let kb = ((size as u128 * tb.len() as u128) / ta.len().max(1) as u128) as usize;
    BenchPair {
        tokens: size,
        a: ta[..size.min(ta.len())].to_vec(),
        b: tb[..kb.min(tb.len())].to_vec(),
    }
}

/// Appends copy `r` of `tokens`: a quarter of the words (by a hash of
/// their form and `r`, two low bits zero) renamed, and, with `rng`, extra
/// variants about every 20 tokens.
fn copy_into(out: &mut Vec<Token>, tokens: &[Token], r: usize, mut rng: Option<&mut Lcg>) {
    let mut i = 0;
    while i < tokens.len() {
        let mut t = tokens[i].clone();
        // A copy starts a new word, whatever its first token is.
        t.space_before |= i == 0;
        if r > 0 && t.is_word() && fnv(&t.norm, r) & 3 == 0 {
            t.text = format!("{}{r}", t.display());
        }
        i += 1;
        if let Some(rng) = rng.as_deref_mut() {
            match rng.next() % 80 {
                0 => continue,
                1 => out.push(word("indeed")),
                2 => t.text = t.text.to_uppercase(),
                3 if i < tokens.len() => {
                    out.push(tokens[i].clone());
                    i += 1;
                }
                _ => {}
            }
        }
        out.push(t);
    }
}

fn word(text: &str) -> Token {
    Token {
        text: text.to_string(),
        norm: text.to_string(),
        start: 0,
        end: text.len(),
        kind: fond_collate::TokenKind::Word,
        space_before: true,
    }
}

fn fnv(s: &str, r: usize) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325 ^ r as u64;
    for byte in s.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A fixed-seed generator: the pairs must be the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_sliced_at_their_markers() {
        let text = "intro\n## Letter 31\n\nbody 31\n**Letter 32**\nbody 32\n### Letter 33\n";
        assert_eq!(
            slice_letters(text, 31, Some(32)),
            Some("## Letter 31\n\nbody 31\n")
        );
        assert_eq!(
            slice_letters(text, 32, None),
            Some("**Letter 32**\nbody 32\n### Letter 33\n")
        );
        assert_eq!(slice_letters(text, 34, None), None);
    }

    #[test]
    fn pairs_have_the_requested_sizes() {
        let book =
            "Dear Viacheslav, I had a look at the transcript. Where is Sergo? Shame on him! "
                .repeat(3);
        let web = "Dear Viacheslav, I had a look at the transcript. Where's Sergo? Shame on him. "
            .repeat(3);
        let pairs = corpus_pairs(&book, &web, &[10, 200]);
        assert_eq!(pairs[0].a.len(), 10);
        assert!((9..=11).contains(&pairs[0].b.len()), "{}", pairs[0].b.len());
        assert_eq!(pairs[1].a.len(), 200);
        assert!(
            (180..=220).contains(&pairs[1].b.len()),
            "{}",
            pairs[1].b.len()
        );
        // Deterministic.
        assert_eq!(corpus_pairs(&book, &web, &[200])[0].b, pairs[1].b);
        // Texts give back the tokens.
        let (ta, _) = pairs[1].texts();
        let again: Vec<String> = tokenize(&ta).into_iter().map(|t| t.text).collect();
        let orig: Vec<String> = pairs[1].a.iter().map(|t| t.text.clone()).collect();
        assert_eq!(again, orig);
    }
}
