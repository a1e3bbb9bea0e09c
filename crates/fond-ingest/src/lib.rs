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

pub mod corrections;
pub mod dates;
pub mod refs;

mod attribution;
mod book;
mod catalogue;
mod compilation;
pub mod html;
mod letter;
mod names;
mod notes;
pub mod plain;
mod plain_text;
pub mod profile;
pub mod tei;
mod text;
mod web_letters;
mod web_works;
mod witnesses;

use fond_model::{Document, Edition, Finding, FindingKind, Source, SourceShape};
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
    /// An edition profile that does not read.
    #[error("{file}:{line}: edition profile: {problem}")]
    Profile {
        file: String,
        line: u32,
        problem: String,
    },
    /// A reader failed on this file (a bug in fond, not in the file). The
    /// file contributes nothing; the others still go in.
    #[error("{file}: the {shape} reader failed ({message}); this is a fault in fond, please report it with the file; try `--shape text` to keep the text as it is")]
    ReaderFailed {
        file: String,
        shape: String,
        message: String,
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
    /// The source does not say which collection it belongs to (a web page
    /// saved without its title): its numbered documents may join the
    /// same-numbered documents of any collection whose text they match.
    pub collection_unnamed: bool,
}

/// A source read: its record, its text, and what it yielded.
#[derive(Debug, Clone)]
pub struct ReadSource {
    pub source: Source,
    pub text: String,
    pub parsed: Parsed,
    /// The collection suffix it was read with (to read it again under a
    /// profile).
    pub collection_suffix: String,
    /// For a profile source: the profile.
    pub profile: Option<profile::Profile>,
    /// Read under the profile that names it.
    pub profile_applied: bool,
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
        Ok(s) => {
            let s = s
                .strip_prefix('\u{feff}')
                .unwrap_or(s)
                .replace("\r\n", "\n");
            // A web page is read as its text (`html.rs`).
            Ok(if html::looks_like_html(&s) {
                html::to_text(&s)
            } else {
                s
            })
        }
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

/// How well one reader fits a text: a score in 0..=1 and, for an
/// editor, what the reader found or lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeFit {
    pub shape: SourceShape,
    pub score: f32,
    pub why: String,
}

/// Every reader's fit for a text, best first. The specialised readers
/// recognise their shape with certainty or not at all; the general letter
/// reader scores by the letters its cues find; plain text always fits a
/// little, so a UTF-8 text is never refused.
pub fn shape_fits(text: &str) -> Vec<ShapeFit> {
    let certain = |shape: SourceShape, hit: bool, what: &str| ShapeFit {
        shape,
        score: if hit { 1.0 } else { 0.0 },
        why: if hit {
            format!("{what}: recognised")
        } else {
            format!("{what}: not recognised")
        },
    };
    let mut fits = vec![
        certain(SourceShape::Tei, tei::detect(text), "TEI P5 root element"),
        certain(
            SourceShape::Profile,
            profile::detect(text),
            "an edition profile ([profile] table)",
        ),
    ];
    // The specialised readers in order; the first that recognises the text
    // wins outright, and the others are not asked (each scans the file).
    type Detector = fn(&str) -> bool;
    let specialised: [(SourceShape, Detector, &str); 3] = [
        (
            SourceShape::EditionMarkdown,
            book::detect,
            "Markdown edition with '# Contents' and 'Letter N' markers",
        ),
        (
            SourceShape::WebLetters,
            web_letters::detect,
            "web transcription of numbered letters with bracketed editorial dates",
        ),
        (
            SourceShape::WebWorks,
            web_works::detect,
            "a Works page with a 'Source :' header",
        ),
    ];
    if fits.iter().all(|f| f.score < 1.0) {
        for (shape, detect, what) in specialised {
            if fits.iter().any(|f| f.score >= 1.0) {
                fits.push(ShapeFit {
                    shape,
                    score: 0.0,
                    why: format!("{what}: not tried"),
                });
            } else {
                fits.push(certain(shape, detect(text), what));
            }
        }
        // The general reader is asked only when no specialised reader
        // recognised the text: it analyses the whole file.
        let specialised = fits.iter().any(|f| f.score >= 1.0);
        let p = if specialised {
            plain::Fit {
                letters: 0,
                why: "not tried: a specialised reader recognised the text".into(),
            }
        } else {
            plain::fit(text)
        };
        // Two letters make a collection; more make it certain, but never
        // as certain as a specialised reader that recognised its shape.
        let score = match p.letters {
            0 => 0.0,
            1 => 0.2,
            n => (0.5 + 0.1 * n as f32).min(0.9),
        };
        fits.push(ShapeFit {
            shape: SourceShape::PlainLetters,
            score,
            why: p.why,
        });
    }
    fits.push(ShapeFit {
        shape: SourceShape::WebCompilation,
        score: 0.0,
        why: "a page of one person's signed documents: chosen by an edition profile or --shape, never guessed".into(),
    });
    fits.push(ShapeFit {
        shape: SourceShape::Text,
        score: 0.05,
        why: "any UTF-8 text".into(),
    });
    fits.sort_by(|a, b| b.score.total_cmp(&a.score));
    fits
}

/// The profile fond infers for a source, as TOML with the readers' fits
/// as comments: what `fond profile PATH` prints for an editor to adjust.
pub fn infer_profile(name: &str, text: &str) -> String {
    let mut fits = shape_fits(text);
    // Show the general reader's own fit even where a specialised reader won.
    if let Some(f) = fits
        .iter_mut()
        .find(|f| f.shape == SourceShape::PlainLetters)
    {
        let p = plain::fit(text);
        if f.score == 0.0 && p.letters > 0 {
            f.why = format!("{} (not chosen)", p.why);
        }
    }
    let chosen = fits.first().map_or(SourceShape::Text, |f| f.shape);
    let mut comments = vec![format!(
        "inferred from {name}; adjust and ingest it beside the source"
    )];
    comments.push("how each reader fits:".into());
    for f in &fits {
        comments.push(format!(
            "  {:<16} {:.2}  {}",
            f.shape.as_str(),
            f.score,
            f.why
        ));
    }
    let mut p = profile::Profile {
        source: name.to_string(),
        shape: Some(chosen.as_str().to_string()),
        ..profile::Profile::default()
    };
    if matches!(chosen, SourceShape::PlainLetters | SourceShape::Text) {
        let ctx = ReadContext {
            name,
            text,
            collection_suffix: "",
        };
        let i = plain::infer(&ctx);
        comments.push(format!(
            "{} letters found; {} table(s) of contents set aside",
            i.letters, i.tables_of_contents
        ));
        p.title = Some(i.title);
        p.collection = Some(i.collection);
        p.author = i.author;
        p.recipient = i.recipient;
        p.century = i.century;
        p.calendar = Some("gregorian".into());
    }
    profile::to_toml(&p, &comments)
}

/// Detects the shape of a text from its content: the best fit.
pub fn detect_shape(_name: &str, text: &str) -> Result<SourceShape, IngestError> {
    Ok(shape_fits(text)
        .first()
        .map_or(SourceShape::Text, |f| f.shape))
}

/// Reads one source from its bytes.
pub fn read_source(
    name: &str,
    bytes: &[u8],
    collection_suffix: &str,
) -> Result<ReadSource, IngestError> {
    read_source_as(name, bytes, collection_suffix, None)
}

/// Reads one source from its bytes with the reader the caller chose
/// (`fond ingest --shape NAME`), or the best fit when `None`.
pub fn read_source_as(
    name: &str,
    bytes: &[u8],
    collection_suffix: &str,
    shape: Option<SourceShape>,
) -> Result<ReadSource, IngestError> {
    let text = decode(name, bytes)?;
    read_text_as(
        name,
        text,
        sha256_hex(bytes),
        bytes.len() as u64,
        collection_suffix,
        shape,
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
    read_text_as(name, text, sha256, bytes, collection_suffix, None)
}

/// Reads one source from decoded text with a chosen reader, or the best
/// fit. A reader that panics is caught here: the file is reported with its
/// name and the other files still go in.
pub fn read_text_as(
    name: &str,
    text: String,
    sha256: String,
    bytes: u64,
    collection_suffix: &str,
    forced: Option<SourceShape>,
) -> Result<ReadSource, IngestError> {
    read_text_with(name, text, sha256, bytes, collection_suffix, forced, None)
}

/// Reads one source under its edition profile (which may choose the
/// reader and tells the general letter reader what the text does not say).
pub fn read_text_with(
    name: &str,
    text: String,
    sha256: String,
    bytes: u64,
    collection_suffix: &str,
    forced: Option<SourceShape>,
    profile: Option<&profile::Profile>,
) -> Result<ReadSource, IngestError> {
    // A source fond knows has its built-in profile unless one is given.
    let profile = profile.or_else(|| profile::built_in(name));
    let from_profile = profile
        .and_then(|p| p.shape.as_deref())
        .and_then(SourceShape::parse);
    let shape = match forced.or(from_profile) {
        Some(s) => s,
        None => detect_shape(name, &text)?,
    };
    let hints = profile.map(plain::Hints::from_profile).unwrap_or_default();
    if shape == SourceShape::Profile {
        let p = profile::parse(&text).map_err(|(line, problem)| IngestError::Profile {
            file: name.to_string(),
            line,
            problem,
        })?;
        return Ok(ReadSource {
            source: Source {
                name: name.to_string(),
                sha256,
                shape,
                title: format!("edition profile for {}", p.source),
                bytes,
                lines: text.lines().count() as u32,
            },
            text,
            parsed: Parsed::default(),
            collection_suffix: collection_suffix.to_string(),
            profile: Some(p),
            profile_applied: false,
        });
    }
    let ctx = ReadContext {
        name,
        text: &text,
        collection_suffix,
    };
    let run = || -> Result<Parsed, IngestError> {
        Ok(match shape {
            SourceShape::EditionMarkdown => book::read(&ctx),
            SourceShape::WebLetters => web_letters::read(&ctx),
            SourceShape::WebWorks => web_works::read(&ctx),
            SourceShape::WebCompilation => {
                compilation::read(&ctx, profile.and_then(|p| p.author.as_deref()))
            }
            SourceShape::Tei => tei::read(&ctx)?,
            SourceShape::PlainLetters => plain::read(&ctx, &hints),
            SourceShape::Text => plain_text::read(&ctx, "it was read as plain text"),
            // Handled above; a profile yields no documents.
            SourceShape::Profile => Parsed::default(),
        })
    };
    let mut parsed = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r?,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            return Err(IngestError::ReaderFailed {
                file: name.to_string(),
                shape: shape.as_str().to_string(),
                message,
            });
        }
    };
    if let Some(p) = profile {
        profile::apply(p, &mut parsed);
    }
    // A text in which the chosen reader found nothing is kept whole.
    let (shape, parsed) = if parsed.documents.is_empty() && shape != SourceShape::Tei {
        let fits = shape_fits(&text);
        let why = fits
            .iter()
            .filter(|f| f.shape != SourceShape::Text)
            .map(|f| f.why.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let mut p = plain_text::read(&ctx, &format!("no letter was recognised ({why})"));
        p.findings.extend(parsed.findings);
        (SourceShape::Text, p)
    } else {
        (shape, parsed)
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
        collection_suffix: collection_suffix.to_string(),
        profile: None,
        profile_applied: false,
    })
}

/// Joins the documents of several read sources into one edition: the
/// documents of editions come first, then each web document either joins
/// the document whose text it matches as a further witness, or stands as a
/// document of its own. Sources are taken in name order so that the
/// result does not depend on the order of the command line.
pub fn build_edition(sources: Vec<ReadSource>) -> Edition {
    join_sources(apply_profiles(sources))
}

/// Reads again, under its profile, each source a profile names (once: a
/// source already read under its profile is left as it is). A profile
/// whose source is not among them, or under which the source does not
/// read, is a finding of the profile; the source then stands as first
/// read. The caller that stores sources applies profiles before it takes
/// their records, since a profile may change a source's shape.
pub fn apply_profiles(mut sources: Vec<ReadSource>) -> Vec<ReadSource> {
    let profiles: Vec<(usize, profile::Profile)> = sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.profile.clone().map(|p| (i, p)))
        .collect();
    if profiles.is_empty() {
        return sources;
    }
    let mut notes: Vec<(usize, Finding)> = Vec::new();
    let mut used = vec![false; profiles.len()];
    for s in sources.iter_mut() {
        let Some(k) = profiles.iter().position(|(_, p)| p.source == s.source.name) else {
            continue;
        };
        used[k] = true;
        if s.profile_applied {
            continue;
        }
        let (pi, p) = &profiles[k];
        match read_text_with(
            &s.source.name,
            s.text.clone(),
            s.source.sha256.clone(),
            s.source.bytes,
            &s.collection_suffix,
            None,
            Some(p),
        ) {
            Ok(mut r) => {
                r.profile_applied = true;
                *s = r;
            }
            Err(e) => notes.push((
                *pi,
                Finding {
                    kind: FindingKind::Other,
                    source: String::new(),
                    line: 1,
                    document: None,
                    message: format!("the profile could not be applied: {e}"),
                },
            )),
        }
    }
    for (k, (pi, p)) in profiles.iter().enumerate() {
        if !used[k] {
            notes.push((
                *pi,
                Finding {
                    kind: FindingKind::Other,
                    source: String::new(),
                    line: 1,
                    document: None,
                    message: format!(
                        "profile for \"{}\", which the archive does not hold",
                        p.source
                    ),
                },
            ));
        }
    }
    for (pi, mut f) in notes {
        f.source = sources[pi].source.name.clone();
        sources[pi].parsed.findings.push(f);
    }
    sources
}

fn join_sources(mut sources: Vec<ReadSource>) -> Edition {
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
            joiner.add(
                &mut edition.documents,
                docs,
                &mut edition.findings,
                s.parsed.collection_unnamed,
            );
        }
    }
    // Letters a catalogue describes and the archive holds in full are one.
    let joined = catalogue::join_entries(&mut edition.documents);
    edition.findings.extend(joined);
    edition
        .documents
        .sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    // Findings in reading order: by source, then line.
    edition
        .findings
        .sort_by(|a, b| (&a.source, a.line).cmp(&(&b.source, b.line)));
    edition
}
