//! Reader for a web compilation of unnumbered archival documents separated
//! only by layout: each scraped block opens with a line indented by one
//! space; a block that opens with `* …alternate translation…` is a further
//! witness of the document before it; a block whose paragraphs end in a
//! signature is a document, the rest is the compiler's editorial text.
//!
//! Such a page holds one person's documents. Who signs them is the edition
//! profile's `author`; without one, the name that signs most blocks. The
//! shape is chosen by a profile (or `--shape web-compilation`), never
//! guessed: a short capitalised line closing a block is too common in
//! letters of every kind to tell this page from them.

use crate::text::{self, Para};
use crate::web_letters::web_paragraphs;
use crate::{dates, notes, Parsed, ReadContext};
use fond_model::{
    Block, BlockKind, CallForm, DocDate, DocKind, Document, Finding, FindingKind, Note, NoteAuthor,
    Witness,
};
use regex::Regex;
use std::sync::LazyLock;

/// A signature line: an optional office ("Secretary of the VKP CC",
/// "People's Commissar"), initials, a surname, an optional bracketed remark.
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{L}'()]+\s+){0,6}?(?:\p{Lu}\.\s*){0,3}(?P<name>\p{Lu}\p{L}+(?:-\p{Lu}\p{L}+)?)\.?(?:\s*\[.*)?$")
        .expect("static regex")
});

/// Who signs the page's documents.
struct Signer {
    name: String,
}

/// What every document of the page shares.
struct Page<'a> {
    ctx: &'a ReadContext<'a>,
    lines: &'a [&'a str],
    collection: &'a str,
    signer: &'a Signer,
}

impl Signer {
    /// The profile's author (its last word, as signatures print it), else
    /// the name on most signature lines, if it signs two at least.
    fn of(lines: &[&str], author: Option<&str>) -> Signer {
        if let Some(a) = author.and_then(|a| a.split_whitespace().last()) {
            return Signer {
                name: a.trim_end_matches('.').to_string(),
            };
        }
        // Keyed case-blind ("LUNACHARSKY" signs for "Lunacharsky"); the name kept is
        // the first printed in running case.
        let mut counts: std::collections::HashMap<String, (usize, String)> = Default::default();
        for l in lines {
            let Some(n) = SIGNATURE.captures(l.trim()).and_then(|c| c.name("name")) else {
                continue;
            };
            let n = n.as_str();
            let e = counts.entry(n.to_lowercase()).or_insert((0, n.to_string()));
            e.0 += 1;
            if e.1.chars().skip(1).all(char::is_uppercase) {
                e.1 = n.to_string();
            }
        }
        let name = counts
            .into_values()
            .filter(|(k, _)| *k >= 2)
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
            .map(|(_, n)| n)
            .unwrap_or_default();
        Signer { name }
    }

    fn signs(&self, line: &str) -> bool {
        let line = line.trim();
        !self.name.is_empty()
            && line
                .split('[')
                .next()
                .is_some_and(|l| l.split_whitespace().count() <= 8)
            && SIGNATURE
                .captures(line)
                .and_then(|c| c.name("name"))
                .is_some_and(|n| n.as_str().to_lowercase() == self.name.to_lowercase())
    }
}

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[—–-]\s*([^,]+),\s*(.+?),?\s*(\d{4})?\.?$").expect("static regex")
});
static CIPHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\[?\s*by (cipher|code)\b").expect("static regex"));

struct Segment {
    start: usize,
    end: usize,
}

/// The page's segments: scraped blocks (a line indented by exactly one
/// space) and the compiler's asterisked remarks. A scraped block of one or
/// two lines (a title fragment, a copyright line) opens the block after it
/// rather than standing alone.
fn segments(lines: &[&str]) -> Vec<Segment> {
    let mut starts: Vec<usize> = vec![0];
    for (i, l) in lines.iter().enumerate().skip(1) {
        if (l.starts_with(' ') && !l.starts_with("  ") && !l.trim().is_empty())
            || l.starts_with("* ")
        {
            starts.push(i);
        }
    }
    let raw: Vec<Segment> = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| Segment {
            start: s,
            end: starts.get(k + 1).copied().unwrap_or(lines.len()),
        })
        .collect();
    let mut segments: Vec<Segment> = Vec::new();
    let mut carry: Option<usize> = None;
    for seg in raw {
        let filled = lines[seg.start..seg.end]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .count();
        let start = carry.take().unwrap_or(seg.start);
        if filled < 3 && seg.end < lines.len() {
            carry = Some(start);
            continue;
        }
        segments.push(Segment {
            start,
            end: seg.end,
        });
    }

    segments
}

/// Reads the page; `author` is the profile's, who signs its documents.
pub fn read(ctx: &ReadContext<'_>, author: Option<&str>) -> Parsed {
    let lines: Vec<&str> = ctx.text.lines().collect();
    let mut parsed = Parsed::default();
    let signer = Signer::of(&lines, author);
    // The compiler signs as "—Name, Role, Year": that names the collection.
    let compiler = lines.iter().find_map(|l| {
        ATTRIBUTION
            .captures(l.trim())
            .map(|c| (c[1].trim().to_string(), c[2].trim().to_string()))
    });
    let base = compiler
        .as_ref()
        .map(|(_, role)| fond_text::slug_ascii(role.trim_end_matches("Administrator").trim()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "web-compilation".into());
    parsed.title = compiler
        .as_ref()
        .map(|(_, r)| r.trim_end_matches("Administrator").trim().to_string())
        .unwrap_or_else(|| ctx.name.to_string());
    let collection = ctx.collection_for(&base);
    let compiler_name = compiler
        .as_ref()
        .map(|(n, r)| format!("{n}, {r}"))
        .unwrap_or_else(|| "compiler".into());

    let segments = segments(&lines);
    let mut order = 0u32;
    for seg in &segments {
        let mut paras = text::paragraphs(&lines, seg.start, seg.end);
        // Boilerplate left by the site ("Copyright: Xxxx") belongs to no
        // document: say so rather than let it into a text.
        while paras
            .first()
            .is_some_and(|p| p.head().starts_with("Copyright:"))
        {
            let p = paras.remove(0);
            parsed.findings.push(Finding {
                kind: FindingKind::UnplacedLine,
                source: ctx.name.to_string(),
                line: p.first_line,
                document: None,
                message: format!(
                    "site boilerplate \"{}\" left out of every document",
                    p.head()
                ),
            });
        }
        if paras.is_empty() {
            continue;
        }
        let paras = explode_short_lines(paras);
        let alternate = paras[0].head().starts_with("* ")
            && paras[0].joined().to_lowercase().contains("translation");
        if alternate {
            if let Some(prev) = parsed
                .documents
                .iter_mut()
                .rev()
                .find(|d| d.kind != DocKind::EditorialText)
            {
                add_alternate_translation(ctx, &lines, &paras, prev, &compiler_name, &signer);
                continue;
            }
        }
        let sig_at = paras.iter().position(|p| {
            p.joined().split('\n').any(|l| signer.signs(l)) || signer.signs(&p.joined())
        });
        order += 1;
        match sig_at {
            Some(s) => {
                let page = Page {
                    ctx,
                    lines: &lines,
                    collection: &collection,
                    signer: &signer,
                };
                let doc = archival_document(&page, &paras, s, order, &mut parsed.findings);
                parsed.documents.push(doc);
            }
            None => {
                let doc = compiler_text(ctx, &lines, seg, &collection, order, &mut parsed.findings);
                parsed.documents.push(doc);
            }
        }
    }
    parsed
}

fn witness_text(lines: &[&str], first: u32, last: u32) -> String {
    lines[(first - 1) as usize..last as usize].join("\n")
}

/// A signed document's parts as the page sets them out.
struct SignedParts {
    blocks: Vec<Block>,
    addressees: Vec<String>,
    kind: DocKind,
    date: DocDate,
}

/// Reads a signed document's paragraphs: a cipher heading makes it a
/// coded telegram; address lines (`To …`, `and to …`) before the text name
/// the addressees; the paragraph at `sig_at` is the closing and the
/// signature; a dateline after it dates the document.
fn signed_parts(paras: &[Para], sig_at: usize, signer: &Signer) -> SignedParts {
    let mut blocks = Vec::new();
    let mut addressees: Vec<String> = Vec::new();
    let mut kind = DocKind::Letter;
    let mut date = DocDate::default();
    let mut in_text = false;
    for (i, p) in paras.iter().enumerate() {
        let j = p.joined();
        let t = j.trim();
        if CIPHER.is_match(t) {
            kind = DocKind::CodedTelegram;
            blocks.push(Block {
                kind: BlockKind::Heading,
                inlines: text::inlines(t),
                line: p.first_line,
            });
            continue;
        }
        if i > sig_at {
            if let Some((_, d)) = dates::parse_dateline(t, None) {
                if date.written.is_none() {
                    date.written = Some(t.to_string());
                    date.interval = Some(d.clone());
                    date.written_interval = Some(d);
                }
                blocks.push(Block {
                    kind: BlockKind::Dateline,
                    inlines: text::inlines(t),
                    line: p.first_line,
                });
                continue;
            }
        }
        if i == sig_at {
            for l in j.split('\n') {
                let kind = if signer.signs(l) {
                    BlockKind::Signature
                } else {
                    BlockKind::Closing
                };
                blocks.push(Block {
                    kind,
                    inlines: text::inlines(l.trim()),
                    line: p.first_line,
                });
            }
            continue;
        }
        if !in_text && i < sig_at && t.starts_with("To ") && t.split_whitespace().count() <= 14 {
            for part in t.split('\n') {
                let a = part
                    .trim()
                    .trim_start_matches("To ")
                    .trim_end_matches(['.', ','])
                    .trim();
                if !a.is_empty() {
                    addressees.push(a.to_string());
                }
            }
            blocks.push(Block {
                kind: BlockKind::Address,
                inlines: text::inlines(t),
                line: p.first_line,
            });
            continue;
        }
        if !in_text && i < sig_at && t.starts_with("and to ") {
            addressees.push(
                t.trim_start_matches("and to ")
                    .trim_end_matches(['.', ','])
                    .to_string(),
            );
            blocks.push(Block {
                kind: BlockKind::Address,
                inlines: text::inlines(t),
                line: p.first_line,
            });
            continue;
        }
        in_text = true;
        let kind = if i + 1 == sig_at && t.split_whitespace().count() <= 6 {
            BlockKind::Closing
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(t),
            line: p.first_line,
        });
    }
    // "To Ivanov, Petrov." names people: split them.
    if addressees.len() == 1
        && addressees[0]
            .split(',')
            .all(|w| w.split_whitespace().count() == 1)
    {
        addressees = addressees[0]
            .split(',')
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
    }
    SignedParts {
        blocks,
        addressees,
        kind,
        date,
    }
}

/// A signed document: address lines, text, signature, date.
fn archival_document(
    page: &Page<'_>,
    paras: &[Para],
    sig_at: usize,
    order: u32,
    findings: &mut Vec<Finding>,
) -> Document {
    let Page {
        ctx,
        lines,
        collection,
        signer,
    } = *page;
    let SignedParts {
        blocks,
        addressees,
        kind,
        mut date,
    } = signed_parts(paras, sig_at, signer);
    let first = paras.first().map(|p| p.first_line).unwrap_or(1);
    let last = paras.last().map(|p| p.last_line).unwrap_or(first);
    let slug_tail = match &date.interval {
        Some(d) => d.edtf.clone(),
        None => format!("undated-{}", fond_text::slug_ascii(&addressees.join(" "))),
    };
    let id = format!("{collection}/{slug_tail}");
    if date.interval.is_none() {
        date.interval = Some(fond_model::HistDate::undetermined(""));
        findings.push(Finding {
            kind: FindingKind::NoDate,
            source: ctx.name.to_string(),
            line: first,
            document: Some(id.clone()),
            message: "the document carries no date and the source gives none".into(),
        });
    }
    let title = format!(
        "{} from {} to {}{}",
        if kind == DocKind::CodedTelegram {
            "Cipher telegram"
        } else {
            "Letter"
        },
        signer.name,
        addressees.join(", "),
        date.written
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default()
    );
    Document {
        id,
        kind,
        collection: collection.to_string(),
        number: None,
        chapter: None,
        title,
        date,
        place: None,
        senders: vec![signer.name.clone()],
        addressees,
        body: blocks,
        notes: vec![],
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line: first,
            last_line: last,
            label: "web transcription".into(),
            text: witness_text(lines, first, last),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: vec![],
        order,
        ..Document::new("", "", DocKind::Letter)
    }
}

/// A block that opens with the compiler's asterisked remark on another
/// translation: the remark becomes a note of the document, the translation
/// a second witness, and the compiler's closing remarks further notes.
fn add_alternate_translation(
    ctx: &ReadContext<'_>,
    lines: &[&str],
    paras: &[Para],
    doc: &mut Document,
    compiler: &str,
    signer: &Signer,
) {
    let remark = paras[0].joined();
    // The other translation may carry the form's heading ("BY CODE").
    if paras.iter().any(|p| CIPHER.is_match(p.head())) {
        doc.kind = DocKind::CodedTelegram;
        doc.title = doc.title.replacen("Letter", "Cipher telegram", 1);
    }
    let sig = paras
        .iter()
        .position(|p| p.joined().split('\n').any(|l| signer.signs(l)));
    // After the signature: short lines (date, archival notes) still belong
    // to the translation; the first long paragraph starts the compiler's
    // closing remarks.
    let text_end = match sig {
        Some(s) => (s + 1..paras.len())
            .find(|&k| paras[k].joined().split_whitespace().count() >= 10)
            .unwrap_or(paras.len()),
        None => paras.len(),
    };
    let first = paras
        .get(1)
        .map(|p| p.first_line)
        .unwrap_or(paras[0].first_line);
    let last = paras[..text_end]
        .last()
        .map(|p| p.last_line)
        .unwrap_or(first);
    let translator = Regex::new(r"offered\s+by\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)")
        .ok()
        .and_then(|r| r.captures(&remark).map(|c| c[1].to_string()));
    doc.witnesses.push(Witness {
        source: ctx.name.to_string(),
        first_line: first,
        last_line: last,
        label: match &translator {
            Some(t) => format!("alternate translation by {t}"),
            None => "alternate translation".into(),
        },
        text: witness_text(lines, first, last),
        markup: fond_model::Markup::Plain,
    });
    let mut n = doc.notes.len() as u32;
    let mut push_note = |text: String, line: u32| {
        n += 1;
        doc.notes.push(Note {
            n,
            call: CallForm::Lost,
            call_block: None,
            text: text.clone(),
            by: NoteAuthor::other(compiler.to_string()),
            archival_refs: vec![],
            cross_refs: crate::refs::scan_cross_refs(&text),
            special_file: crate::refs::mentions_special_file(&text),
            relocated: false,
            line,
        });
    };
    push_note(
        text::strip_markup(remark.trim_start_matches("* ")),
        paras[0].first_line,
    );
    if text_end < paras.len() {
        let closing: Vec<String> = paras[text_end..].iter().map(|p| p.joined()).collect();
        push_note(closing.join("\n\n"), paras[text_end].first_line);
    }
    let _ = notes::note_number; // the compiler's notes carry no numbers of their own
}

/// The compiler's own text (an introduction), with its title recovered from
/// the quotation it makes of it, its author and date from its signature
/// block, its notes with calls run into the words.
fn compiler_text(
    ctx: &ReadContext<'_>,
    lines: &[&str],
    seg: &Segment,
    collection: &str,
    order: u32,
    findings: &mut Vec<Finding>,
) -> Document {
    let paras = web_paragraphs(lines, seg.start, seg.end);
    let fragment = lines[seg.start].trim().to_string();
    let joined_all: String = paras
        .iter()
        .map(|p| p.joined())
        .collect::<Vec<_>>()
        .join("\n");
    // The scraped title fragment is completed by a quotation in the text.
    let title = Regex::new(r#"["“]([^"”]{10,120})["”]"#)
        .ok()
        .and_then(|r| {
            r.captures_iter(&joined_all)
                .map(|c| c[1].to_string())
                .find(|q| !fragment.is_empty() && q.contains(&fragment))
        })
        .unwrap_or_else(|| fragment.clone());
    let author_at = paras
        .iter()
        .position(|p| p.joined().starts_with("Notes prepared by"));
    let author = author_at.and_then(|k| {
        let j = paras[k].joined();
        let rest = j.trim_start_matches("Notes prepared by").trim().to_string();
        if rest.is_empty() {
            paras.get(k + 1).map(|p| {
                p.joined()
                    .split('\n')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
        } else {
            Some(rest)
        }
    });
    let mut date = DocDate::default();
    if let Some(k) = author_at {
        for p in paras.iter().skip(k + 1).take(3) {
            for l in p.joined().split('\n') {
                if let Some((_, d)) = dates::parse_dateline(l.trim(), None) {
                    if date.written.is_none() {
                        date.written = Some(l.trim().to_string());
                        date.interval = Some(d.clone());
                        date.written_interval = Some(d);
                    }
                }
            }
        }
    }
    let notes_from = paras
        .iter()
        .position(|p| notes::note_number(&p.joined()) == Some(1))
        .unwrap_or(paras.len());
    let scan = notes::split_letter(&paras, notes_from);
    let mut blocks = Vec::new();
    for (k, bp) in scan.body.iter().enumerate() {
        let t = bp.text.trim();
        // Cyrillic poster captions reached us as Latin OCR garbage: kept
        // as printed, marked as headings of the poster, never as prose.
        let kind = if k == 0 || t.starts_with("poster ") || is_caption_garbage(t) {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(t),
            line: bp.line,
        });
    }
    let id = format!(
        "{collection}/{}",
        fond_text::slug_ascii(&format!("introduction {title}"))
    );
    let notes = notes::build_notes(&scan.notes, &blocks, &id, ctx.name, findings, true);
    let notes = notes
        .into_iter()
        .map(|mut n| {
            if n.by.is_unnamed_editors() {
                n.by = NoteAuthor::other(author.clone().unwrap_or_else(|| "compiler".into()));
            }
            n
        })
        .collect();
    let first = seg.start as u32 + 1;
    let last = paras.last().map(|p| p.last_line).unwrap_or(first);
    Document {
        id,
        kind: DocKind::EditorialText,
        collection: collection.to_string(),
        number: None,
        chapter: None,
        title: format!("Introduction to \"{title}\""),
        date,
        place: None,
        senders: author.into_iter().collect(),
        addressees: vec![],
        body: blocks,
        notes,
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line: first,
            last_line: last,
            label: "web transcription".into(),
            text: witness_text(lines, first, last),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: vec![],
        order,
        ..Document::new("", "", DocKind::Letter)
    }
}

/// Paragraphs made only of short lines (address blocks, signature and
/// date, "[By cipher]" over "To Ivanov, Petrov.") are lists of lines,
/// not prose: each line becomes a unit of its own.
fn explode_short_lines(paras: Vec<Para>) -> Vec<Para> {
    let mut out = Vec::with_capacity(paras.len());
    for p in paras {
        let short = p.lines.len() > 1 && p.lines.iter().all(|l| l.split_whitespace().count() <= 10);
        if short {
            for (k, l) in p.lines.iter().enumerate() {
                let n = p.first_line + k as u32;
                out.push(Para {
                    first_line: n,
                    last_line: n,
                    lines: vec![l.clone()],
                });
            }
        } else {
            out.push(p);
        }
    }
    out
}

/// Uppercase Latin lines with no English words: OCR of Cyrillic captions.
fn is_caption_garbage(t: &str) -> bool {
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6
        && letters.iter().all(|c| c.is_uppercase())
        && t.split_whitespace().count() <= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Documents of a commissar\n\n To the Gubkom of Tula\n\nSend the grain at once.\nThe matter admits no delay.\nNo excuses will be accepted.\n\nA. Lunacharsky\n12.3.1921\n\n To the Gubkom of Orel\n\nThe schools stay open all winter.\nTeachers are to be paid in kind.\nReport by telegraph.\n\nPeople's Commissar A. LUNACHARSKY\n\n Our remarks on these two documents follow here, and they are long enough\nto be a text of their own, signed by nobody at all in particular.\nThey say what the compiler thinks.\n";

    fn read_page(author: Option<&str>) -> Parsed {
        let ctx = ReadContext {
            name: "page.txt",
            text: PAGE,
            collection_suffix: "",
        };
        read(&ctx, author)
    }

    #[test]
    fn the_signer_is_the_profiles_author_or_the_name_signing_most_blocks() {
        for author in [None, Some("Anatoly Lunacharsky")] {
            let p = read_page(author);
            let letters: Vec<_> = p
                .documents
                .iter()
                .filter(|d| d.kind == DocKind::Letter)
                .collect();
            assert_eq!(letters.len(), 2, "{author:?}: {:#?}", p.documents);
            for l in letters {
                assert_eq!(l.senders, ["Lunacharsky"]);
                assert!(l.title.starts_with("Letter from Lunacharsky to"));
            }
        }
    }

    #[test]
    fn a_page_signed_by_someone_else_yields_no_documents_of_the_author() {
        let p = read_page(Some("Trotsky"));
        assert!(p.documents.iter().all(|d| d.kind == DocKind::EditorialText));
    }
}
