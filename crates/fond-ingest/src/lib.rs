//! Reading sources into the edition model.
//!
//! `read_source` checks the bytes (readable, UTF-8, text, not empty),
//! detects the source's shape from its content and runs the reader for that
//! shape. `build_edition` reads every source of an archive and joins what
//! they say of the same document: a web transcription of a printed letter
//! becomes a second witness of that letter, decided by comparing texts.
//!
//! Nothing here touches the disk or the archive: the caller hands in bytes
//! and gets model values back, so the same code serves `fond ingest`, the
//! benchmark and the tests.

pub mod dates;
pub mod refs;

mod book;
mod compilation;
mod letter;
mod names;
mod notes;
pub mod tei;
mod text;
mod web_letters;
mod web_works;
mod witnesses;

use fond_model::{Document, Edition, Finding, Source, SourceShape};
use sha2::{Digest, Sha256};

pub use witnesses::{shingles, similarity};

/// Why a source could not be read. Each names the file and, where it has
/// one, the line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("{file}: the file is empty; expected a transcription")]
    Empty { file: String },
    #[error("{file}:{line}: not UTF-8 text (invalid byte at offset {offset}); expected UTF-8")]
    NotUtf8 {
        file: String,
        line: u32,
        offset: usize,
    },
    #[error("{file}:{line}: binary data (NUL byte); expected a text transcription")]
    Binary { file: String, line: u32 },
    #[error("{file}:{line}: no known shape: {why}; expected {expected}")]
    UnknownShape {
        file: String,
        line: u32,
        why: String,
        expected: String,
    },
    /// A TEI (XML) file that is not well-formed or breaks one of the
    /// reader's limits (DTDs, size, depth, attribute length).
    #[error("{file}:{line}: {problem}")]
    Xml {
        file: String,
        line: u32,
        problem: String,
    },
}

/// What every reader gets: the file's name and text, and how to name its
/// collection.
#[derive(Debug, Clone)]
pub struct ReadContext<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// Appended to every collection name this source yields (the benchmark
    /// replicates the corpus under other collection names).
    pub collection_suffix: &'a str,
}

impl ReadContext<'_> {
    pub fn collection_for(&self, base: &str) -> String {
        format!("{base}{}", self.collection_suffix)
    }
}

/// What one reader produced.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    pub title: String,
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

/// A source read: its record, its text, and what it yielded.
#[derive(Debug, Clone)]
pub struct ReadSource {
    pub source: Source,
    pub text: String,
    pub parsed: Parsed,
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Checks the bytes are a text fond can read and returns the text.
pub fn decode(name: &str, bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty {
            file: name.to_string(),
        });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary {
            file: name.to_string(),
            line: line_of(bytes, pos),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s
            .strip_prefix('\u{feff}')
            .unwrap_or(s)
            .replace("\r\n", "\n")),
        Err(e) => Err(IngestError::NotUtf8 {
            file: name.to_string(),
            line: line_of(bytes, e.valid_up_to()),
            offset: e.valid_up_to(),
        }),
    }
}

fn line_of(bytes: &[u8], pos: usize) -> u32 {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// Detects the shape of a text from its content.
pub fn detect_shape(name: &str, text: &str) -> Result<SourceShape, IngestError> {
    if tei::detect(text) {
        return Ok(SourceShape::Tei);
    }
    if book::detect(text) {
        return Ok(SourceShape::EditionMarkdown);
    }
    if web_letters::detect(text) {
        return Ok(SourceShape::WebLetters);
    }
    if web_works::detect(text) {
        return Ok(SourceShape::WebWorks);
    }
    if compilation::detect(text) {
        return Ok(SourceShape::WebCompilation);
    }
    let first = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i as u32 + 1, l.chars().take(60).collect::<String>()))
        .unwrap_or((1, String::new()));
    Err(IngestError::UnknownShape {
        file: name.to_string(),
        line: first.0,
        why: format!("it begins \"{}\" and has no letter markers, dated documents or signatures fond recognises", first.1),
        expected: "an edition in Markdown (with '# Contents' and 'Letter N' markers), a web transcription of numbered letters, a Works page with a 'Source :' header, or a compilation of dated, signed documents, or a TEI P5 file (root <TEI> in the TEI namespace)".into(),
    })
}

/// Reads one source from its bytes.
pub fn read_source(
    name: &str,
    bytes: &[u8],
    collection_suffix: &str,
) -> Result<ReadSource, IngestError> {
    let text = decode(name, bytes)?;
    read_text(
        name,
        text,
        sha256_hex(bytes),
        bytes.len() as u64,
        collection_suffix,
    )
}

/// One source to read: file name, bytes, collection suffix.
pub type SourceInput<'a> = (&'a str, &'a [u8], &'a str);

/// Reads many sources on all cores, results in input order. Sources are
/// independent until `build_edition`, so this is the one place where
/// ingest runs in parallel.
pub fn read_sources(inputs: &[SourceInput<'_>]) -> Vec<Result<ReadSource, IngestError>> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(inputs.len().max(1));
    if workers <= 1 {
        return inputs
            .iter()
            .map(|(n, b, s)| read_source(n, b, s))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<ReadSource, IngestError>>> =
        (0..inputs.len()).map(|_| None).collect();
    let results = std::sync::Mutex::new(&mut slots);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((n, b, s)) = inputs.get(i) else {
                    break;
                };
                let r = read_source(n, b, s);
                if let Ok(mut guard) = results.lock() {
                    guard[i] = Some(r);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(inputs)
        .map(|(r, (n, _, _))| {
            r.unwrap_or_else(|| {
                Err(IngestError::UnknownShape {
                    file: n.to_string(),
                    line: 0,
                    why: "the reader stopped before finishing".into(),
                    expected: "a readable source".into(),
                })
            })
        })
        .collect()
}

/// Reads one source from already decoded text.
pub fn read_text(
    name: &str,
    text: String,
    sha256: String,
    bytes: u64,
    collection_suffix: &str,
) -> Result<ReadSource, IngestError> {
    let shape = detect_shape(name, &text)?;
    let ctx = ReadContext {
        name,
        text: &text,
        collection_suffix,
    };
    let parsed = match shape {
        SourceShape::EditionMarkdown => book::read(&ctx),
        SourceShape::WebLetters => web_letters::read(&ctx),
        SourceShape::WebWorks => web_works::read(&ctx),
        SourceShape::WebCompilation => compilation::read(&ctx),
        SourceShape::Tei => tei::read(&ctx)?,
    };
    let source = Source {
        name: name.to_string(),
        sha256,
        shape,
        title: parsed.title.clone(),
        bytes,
        lines: text.lines().count() as u32,
    };
    Ok(ReadSource {
        source,
        text,
        parsed,
    })
}

/// Joins the documents of several read sources into one edition: the
/// documents of editions come first, then each web document either joins
/// the document whose text it matches as a further witness, or stands as a
/// document of its own. Sources are taken in name order so that the
/// result does not depend on the order of the command line.
pub fn build_edition(mut sources: Vec<ReadSource>) -> Edition {
    sources.sort_by(|a, b| {
        let rank = |s: &ReadSource| {
            if s.source.shape == SourceShape::EditionMarkdown {
                0
            } else {
                1
            }
        };
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.source.name.cmp(&b.source.name))
    });
    let mut edition = Edition::default();
    let mut order_base = 0u32;
    let mut joiner = witnesses::Joiner::default();
    for s in sources {
        edition.sources.push(s.source.clone());
        edition.findings.extend(s.parsed.findings);
        let mut docs = s.parsed.documents;
        for d in &mut docs {
            d.order += order_base;
        }
        order_base = docs.iter().map(|d| d.order).max().unwrap_or(order_base) + 1;
        if s.source.shape == SourceShape::Tei {
            joiner.add_unjoined(&mut edition.documents, docs);
        } else {
            joiner.add(&mut edition.documents, docs, &mut edition.findings);
        }
    }
    edition
        .documents
        .sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    // Findings in reading order: by source, then line.
    edition
        .findings
        .sort_by(|a, b| (&a.source, a.line).cmp(&(&b.source, b.line)));
    edition
}
