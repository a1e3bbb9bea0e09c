//! One numbered letter of an edition: editorial date, header (telegram
//! form, dateline, address), salutation, text, closing and signature,
//! postscripts, additions, other readers' comments, and the notes.

use crate::dates;
use crate::names::NameBook;
use crate::notes::{self, BodyPara};
use crate::refs::RefContext;
use crate::text::{self, Para};
use fond_model::{Block, BlockKind, DocDate, DocKind, Document, Finding, FindingKind};
use regex::Regex;
use std::sync::LazyLock;

static EDITORIAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[([^\]]+)\]\s*((?:<sup>[^<]*</sup>)?)\s*$").expect("static regex")
});
static TELEGRAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#{1,6}\s*)?(CODED TELEGRAM|TELEGRAM|NOTE|MEMORANDUM)\s+FROM\s+(.+?)\s+TO\s+(.+?)\s*(?:<sup>[^<]*</sup>)?\s*$")
        .expect("static regex")
});
static POINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\*{1,2})?(\d{1,2}[.)]|[a-h]\))\s").expect("static regex"));
static POSTSCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\*{1,2})?P\.\s?P?\.?\s?S\.").expect("static regex"));
static ADDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^#{1,6}\s*\*?(addition|supplement)\b").expect("static regex")
});
static NAME_SIG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Yours,\s*)?(?:[A-Z][a-z]?\.\s*){0,2}[A-Z][a-z]+(?:\.\s*(?:[A-Z]\.\s*){0,2}[A-Z][a-z]+)?\.?$")
        .expect("static regex")
});

/// What the edition says of all its letters unless a letter says otherwise.
#[derive(Debug, Clone)]
pub struct LetterDefaults {
    pub sender: Option<String>,
    pub addressee: Option<String>,
    pub source: String,
    pub collection: String,
}

/// The label of a numbered point (`1)`, `2.`, `a)`), if the paragraph is one.
pub fn point_label(text: &str) -> Option<String> {
    POINT.captures(text).map(|c| c[1].to_string())
}

/// The signer named by a line, if the line is a signature: a short line of
/// initials and a surname the edition knows, or an editors' bracketed
/// signature (`[V. Molotov]`).
fn signer(line: &str, names: &NameBook, senders: &[String]) -> Option<String> {
    if line.len() > 80 || line.split_whitespace().count() > 6 {
        return None;
    }
    let t = text::strip_markup(line);
    let t = t.trim().trim_end_matches(|c: char| c.is_whitespace());
    let bracketed = t.starts_with('[') && t.ends_with(']');
    let t = t.trim_matches(|c| c == '[' || c == ']').trim();
    if t.split_whitespace().count() > 4 || !NAME_SIG.is_match(t) {
        return None;
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '.')
        .filter(|w| w.len() > 1)
        .collect();
    let last = words.last()?;
    let known = senders.iter().any(|s| s == last) || names.surnames.contains(*last) || bracketed;
    known.then(|| last.to_string())
}

fn strip_emph(t: &str) -> String {
    text::strip_markup(t).trim().to_string()
}

fn is_salutation(t: &str) -> bool {
    let s = strip_emph(t);
    let words = s.split_whitespace().count();
    words <= 9 && (s.ends_with(',') || s.ends_with(':') || s.ends_with('!'))
}

/// Reads one letter from the paragraphs after its marker.
pub fn read_letter(
    paras: &[Para],
    number: u32,
    chapter: &str,
    defaults: &LetterDefaults,
    names: &NameBook,
    findings: &mut Vec<Finding>,
    refs: &mut RefContext,
) -> Document {
    let id = format!("{}/{}", defaults.collection, number);
    let paras: Vec<Para> = paras
        .iter()
        .filter(|p| p.head() != "---")
        .cloned()
        .collect();
    let (mut date, outside_calls, first) = editorial_date(&paras, &id, &defaults.source, findings);
    let context_year = date.interval.as_ref().and_then(|d| d.year());

    let Head {
        blocks: header,
        mut kind,
        mut senders,
        mut addressees,
        place,
        end: idx,
    } = read_head(&paras, first, context_year, names, &mut date);
    let body_paras = &paras[idx..];

    let (scan, sign_names) = scan_body(body_paras, &senders, defaults, names, &id, findings);

    let mut blocks = header;
    let mut in_addition = false;
    let mut signers: Vec<(usize, String)> = Vec::new();
    for bp in &scan.body {
        blocks_for(
            bp,
            names,
            &sign_names,
            &mut blocks,
            &mut in_addition,
            &mut signers,
            &mut date,
            context_year,
        );
    }
    let main_sender = senders.first().cloned().or_else(|| defaults.sender.clone());
    mark_readers_comments(&mut blocks, &signers, main_sender.as_ref());

    let notes = notes::build_notes_with_calls(
        &scan.notes,
        &notes::call_positions(&blocks),
        &outside_calls,
        &id,
        &defaults.source,
        findings,
        refs,
    );

    // A note passed across the table says so in its first note.
    if kind == DocKind::Letter {
        if let Some(n) = notes.first() {
            let t = n.text.to_lowercase();
            if t.starts_with("a note from")
                || t.contains("written at one of the politburo meetings")
                || t.contains("passed during")
            {
                kind = DocKind::Note;
            }
        }
    }
    if senders.is_empty() {
        senders = signers
            .iter()
            .map(|(_, s)| s.clone())
            .filter(|s| main_sender.as_ref() == Some(s))
            .take(1)
            .collect();
        if senders.is_empty() {
            senders.extend(defaults.sender.clone());
        }
    }
    if addressees.is_empty() {
        addressees.extend(defaults.addressee.clone());
    }

    settle_dates(&mut date, &id, number, defaults, &paras, findings);

    let title = match kind {
        DocKind::CodedTelegram => format!(
            "Letter {number}: coded telegram from {} to {}",
            senders.join(" and "),
            addressees.join(" and ")
        ),
        DocKind::Note => format!("Letter {number}: note passed at a meeting"),
        _ => format!("Letter {number}"),
    };
    let marginalia = notes::marginalia(&notes);
    Document {
        id,
        kind,
        collection: defaults.collection.clone(),
        number: Some(number),
        chapter: Some(chapter.to_string()),
        title,
        date,
        place,
        senders,
        addressees,
        body: blocks,
        notes,
        witnesses: vec![],
        marginalia,
        order: 0,
        ..Document::new("", "", DocKind::Letter)
    }
}

/// The editors' date in brackets before the letter, if the first
/// paragraph is one: the date, the note calls printed with it, and where
/// the letter's own paragraphs start.
fn editorial_date(
    paras: &[Para],
    id: &str,
    source: &str,
    findings: &mut Vec<Finding>,
) -> (DocDate, Vec<u32>, usize) {
    let mut date = DocDate::default();
    let mut outside_calls: Vec<u32> = Vec::new();
    let mut idx = 0;
    if let Some(p) = paras.first() {
        let j = p.joined();
        if let Some(c) = EDITORIAL_DATE.captures(j.trim()) {
            let ed = c[1].trim().to_string();
            outside_calls.extend(text::sup_calls(&c[2]));
            match dates::parse_editorial(&ed) {
                Some(d) => date.interval = Some(d),
                None => findings.push(Finding {
                    kind: FindingKind::UnparsedDate,
                    source: source.to_string(),
                    line: p.first_line,
                    document: Some(id.to_string()),
                    message: format!("editorial date \"{ed}\" could not be read as a date"),
                }),
            }
            date.editorial = Some(ed);
            idx = 1;
        }
    }
    (date, outside_calls, idx)
}

/// What the letter's head says: its blocks, kind, parties and place, and
/// where the body starts.
struct Head {
    blocks: Vec<Block>,
    kind: DocKind,
    senders: Vec<String>,
    addressees: Vec<String>,
    place: Option<String>,
    end: usize,
}

/// The head: telegram form, datelines, address lines, salutation; the
/// author's date goes into `date`.
fn read_head(
    paras: &[Para],
    start: usize,
    context_year: Option<i32>,
    names: &NameBook,
    date: &mut DocDate,
) -> Head {
    let mut header: Vec<Block> = Vec::new();
    let mut kind = DocKind::Letter;
    let mut senders: Vec<String> = Vec::new();
    let mut addressees: Vec<String> = Vec::new();
    let mut place: Option<String> = None;
    let mut idx = start;
    let mut telegram = false;
    while idx < paras.len() {
        let p = &paras[idx];
        let j = p.joined();
        let plain = strip_emph(&j);
        if let Some(c) = TELEGRAM.captures(j.trim()) {
            kind = match &c[1] {
                "NOTE" => DocKind::Note,
                "MEMORANDUM" => DocKind::Memorandum,
                _ => DocKind::CodedTelegram,
            };
            telegram = true;
            senders = names.names_or_words(&title_case(&c[2]));
            addressees = names.names_or_words(&title_case(&c[3]));
            header.push(Block {
                kind: BlockKind::Heading,
                inlines: text::inlines(j.trim_start_matches('#').trim()),
                line: p.first_line,
            });
            idx += 1;
            continue;
        }
        if date.written.is_none() && dates::looks_like_dateline(&plain) {
            if let Some((pl, d)) = dates::parse_dateline(&plain, context_year) {
                date.written = Some(plain.clone());
                date.written_interval = Some(d);
                if pl.is_some() {
                    place = pl;
                }
                header.push(Block {
                    kind: BlockKind::Dateline,
                    inlines: text::inlines(&j),
                    line: p.first_line,
                });
                idx += 1;
                continue;
            }
        }
        if is_salutation(&j) {
            let named = names.names_in(&plain);
            if !named.is_empty() {
                addressees = named;
            } else if plain.to_lowercase().contains("seven") {
                addressees = vec!["the seven".into()];
            }
            header.push(Block {
                kind: BlockKind::Salutation,
                inlines: text::inlines(&j),
                line: p.first_line,
            });
            idx += 1;
            idx = further_salutations(paras, idx, names, &mut addressees, &mut header);
            break;
        }
        // Telegram form lines: short, no sentence.
        if telegram && plain.split_whitespace().count() <= 8 && !plain.ends_with('.') {
            if let Some(rest) = plain.strip_prefix("Sent from ") {
                if let Some((pl, d)) = dates::parse_dateline(rest, context_year) {
                    place = pl.or(place);
                    date.written = Some(plain.clone());
                    date.written_interval = Some(d);
                    header.push(Block {
                        kind: BlockKind::Dateline,
                        inlines: text::inlines(&j),
                        line: p.first_line,
                    });
                    idx += 1;
                    continue;
                }
            }
            header.push(Block {
                kind: BlockKind::Address,
                inlines: text::inlines(&j),
                line: p.first_line,
            });
            idx += 1;
            continue;
        }
        break;
    }
    Head {
        blocks: header,
        kind,
        senders,
        addressees,
        place,
        end: idx,
    }
}

/// The body's paragraphs told from its notes (a page break may have put
/// one among the other), with the names that may sign it.
fn scan_body(
    body_paras: &[Para],
    senders: &[String],
    defaults: &LetterDefaults,
    names: &NameBook,
    id: &str,
    findings: &mut Vec<Finding>,
) -> (notes::NoteScan, Vec<String>) {
    // Signature: the first paragraph with a line that signs.
    let mut sign_names: Vec<String> = senders.to_vec();
    if let Some(s) = &defaults.sender {
        sign_names.push(s.clone());
    }
    let signed_at = body_paras.iter().position(|p| {
        p.joined()
            .split('\n')
            .any(|l| signer(l, names, &sign_names).is_some())
    });
    let notes_from = notes::notes_start(body_paras, signed_at);
    let scan = notes::split_letter(body_paras, notes_from);
    for line in &scan.repaired {
        findings.push(Finding {
            kind: FindingKind::RepairedPageBreak,
            source: defaults.source.clone(),
            line: *line,
            document: Some(id.to_string()),
            message: "page break repaired: sentence rejoined across the break".into(),
        });
    }

    (scan, sign_names)
}

/// Salutations after the first, each adding its addressees ("Greetings,
/// X," / "Greetings, Y,"); returns where the body starts.
fn further_salutations(
    paras: &[Para],
    mut idx: usize,
    names: &NameBook,
    addressees: &mut Vec<String>,
    header: &mut Vec<Block>,
) -> usize {
    while let Some(next) = paras.get(idx) {
        let nj = next.joined();
        let named = names.names_in(&strip_emph(&nj));
        if !is_salutation(&nj) || named.is_empty() {
            break;
        }
        for n in named {
            if !addressees.contains(&n) {
                addressees.push(n);
            }
        }
        header.push(Block {
            kind: BlockKind::Salutation,
            inlines: text::inlines(&nj),
            line: next.first_line,
        });
        idx += 1;
    }
    idx
}

/// Blocks signed by someone other than the letter's writer are that
/// reader's comment (a note and its answer on the back of a letter).
fn mark_readers_comments(
    blocks: &mut [Block],
    signers: &[(usize, String)],
    main_sender: Option<&String>,
) {
    let mut from = blocks
        .iter()
        .position(|b| {
            !matches!(
                b.kind,
                BlockKind::Heading
                    | BlockKind::Dateline
                    | BlockKind::Address
                    | BlockKind::Salutation
            )
        })
        .unwrap_or(blocks.len());
    for (at, who) in signers {
        if Some(who) != main_sender {
            for b in blocks.iter_mut().take(*at).skip(from) {
                if matches!(b.kind, BlockKind::Paragraph | BlockKind::Point { .. }) {
                    b.kind = BlockKind::Comment {
                        by: Some(who.clone()),
                    };
                }
            }
        }
        from = at + 1;
    }
}

/// The letter's date: the editors', else the author's; a disagreement
/// between them and a letter with neither are findings.
fn settle_dates(
    date: &mut DocDate,
    id: &str,
    number: u32,
    defaults: &LetterDefaults,
    paras: &[Para],
    findings: &mut Vec<Finding>,
) {
    if date.interval.is_none() {
        date.interval = date.written_interval.clone();
    }
    if let (Some(e), Some(w)) = (&date.interval, &date.written_interval) {
        if date.editorial.is_some() && !e.overlaps(w) {
            date.disagreement = true;
            findings.push(Finding {
                kind: FindingKind::DateDisagreement,
                source: defaults.source.clone(),
                line: paras.first().map(|p| p.first_line).unwrap_or(0),
                document: Some(id.to_string()),
                message: format!(
                    "the author dated it \"{}\", the editors [{}]",
                    date.written.clone().unwrap_or_default(),
                    date.editorial.clone().unwrap_or_default()
                ),
            });
        }
    }
    if date.interval.is_none() {
        date.interval = Some(fond_model::HistDate::undetermined(""));
        findings.push(Finding {
            kind: FindingKind::NoDate,
            source: defaults.source.clone(),
            line: paras.first().map(|p| p.first_line).unwrap_or(0),
            document: Some(id.to_string()),
            message: format!("letter {number} has no date, neither the editors' nor the author's"),
        });
    }
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Turns one body paragraph into blocks: a closing and signature paragraph
/// splits into its parts; points, postscripts and additions get their role.
#[allow(clippy::too_many_arguments)]
fn blocks_for(
    bp: &BodyPara,
    names: &NameBook,
    sign_names: &[String],
    blocks: &mut Vec<Block>,
    in_addition: &mut bool,
    signers: &mut Vec<(usize, String)>,
    date: &mut DocDate,
    context_year: Option<i32>,
) {
    let t = bp.text.trim();
    if ADDITION.is_match(t) {
        *in_addition = true;
        let h = t.trim_start_matches('#').trim();
        blocks.push(Block {
            kind: BlockKind::Addition,
            inlines: text::inlines(h),
            line: bp.line,
        });
        return;
    }
    let lines: Vec<&str> = t.split('\n').collect();
    let sig_line = lines
        .iter()
        .position(|l| signer(l, names, sign_names).is_some());
    if let Some(s) = sig_line {
        if s > 0 {
            let closing = lines[..s].join("\n");
            blocks.push(Block {
                kind: BlockKind::Closing,
                inlines: text::inlines(&closing),
                line: bp.line,
            });
        }
        if let Some(who) = signer(lines[s], names, sign_names) {
            // A nickname signs for its bearer ("Koba" is Stalin).
            let who = names.resolve(&who).unwrap_or(who);
            signers.push((blocks.len(), who));
        }
        blocks.push(Block {
            kind: BlockKind::Signature,
            inlines: text::inlines(lines[s]),
            line: bp.line,
        });
        let rest = lines[s + 1..].join("\n");
        if !rest.trim().is_empty() {
            take_end_date(&rest, date, context_year);
            blocks.push(Block {
                kind: BlockKind::Dateline,
                inlines: text::inlines(&rest),
                line: bp.line,
            });
        }
        *in_addition = false;
        return;
    }
    let plain = strip_emph(t);
    // A paragraph that is only a date is the author's dateline wherever it
    // stands: under the signature ("16 September 1926"), or under the last
    // point of a letter Stalin did not sign (letter 31).
    if plain.split_whitespace().count() <= 5 && dates::looks_like_dateline(&plain) {
        take_end_date(&plain, date, context_year);
        blocks.push(Block {
            kind: BlockKind::Dateline,
            inlines: text::inlines(t),
            line: bp.line,
        });
        return;
    }
    let kind = if POSTSCRIPT.is_match(t) {
        BlockKind::Postscript
    } else if *in_addition {
        BlockKind::Addition
    } else if let Some(label) = point_label(t) {
        BlockKind::Point { label }
    } else if plain.split_whitespace().count() <= 4 && plain.ends_with(',') && !blocks.is_empty() {
        BlockKind::Closing
    } else {
        BlockKind::Paragraph
    };
    blocks.push(Block {
        kind,
        inlines: text::inlines(t),
        line: bp.line,
    });
}

fn take_end_date(text: &str, date: &mut DocDate, context_year: Option<i32>) {
    let plain = strip_emph(text);
    if date.written.is_none() {
        if let Some((_, d)) = dates::parse_dateline(&plain, context_year) {
            date.written = Some(plain);
            date.written_interval = Some(d);
        }
    }
}
