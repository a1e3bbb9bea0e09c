//! Reader for a whole printed edition converted to Markdown.
//!
//! The book's own table of contents gives its top-level units (foreword,
//! introduction, year chapters, appendix, glossary, index); chapters hold
//! the numbered letters. Markers, headings and page breaks are inconsistent
//! (OCR), so every rule here works from what the text shows, not from the
//! file's name or line numbers.

use crate::letter::{self, LetterDefaults};
use crate::names::NameBook;
use crate::notes::{self, NoteScan};
use crate::text::{self, Para};
use crate::{Parsed, ReadContext};
use fond_model::{Block, BlockKind, DocDate, DocKind, Document, Finding, FindingKind, Witness};
use regex::Regex;
use std::sync::LazyLock;

static LETTER_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?Letter\s+(\d{1,3})(?:\*\*)?\s*$").expect("static regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.+?)\s*$").expect("static regex"));
static CONTENTS_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?)(?:,\s*<i>(.+?)</i>)?\s*\t\s*([ivxlcdmI0-9]+)\s*$").expect("static regex")
});
static CHAPTER_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^CHAPTER\s+[A-Z]+\s+(\d{4}(?:\s*[–-]\s*\d{4})?)$").expect("static regex")
});
static TITLE_PEOPLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\w+)'s\s+Letters\s+to\s+(\w+)").expect("static regex"));
static QUOTED_DOC_ADDRESS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^TO\s+[A-Z ,.'’-]{20,}$").expect("static regex"));

/// Whether the text looks like a whole edition in Markdown: a level-1
/// title, a table of contents, and numbered letter markers.
pub fn detect(text: &str) -> bool {
    let mut contents = false;
    let mut markers = 0;
    for line in text.lines().take(20_000) {
        if line.trim() == "# Contents" || line.trim() == "## Contents" {
            contents = true;
        }
        if LETTER_MARKER.is_match(line) {
            markers += 1;
        }
    }
    contents && markers >= 1
}

/// A top-level unit of the book.
#[derive(Debug, Clone)]
struct Unit {
    title: String,
    author: Option<String>,
    /// Year chapter title ("1925", "1931–1936").
    chapter: Option<String>,
    /// 0-based line index of the heading (or first line).
    start: usize,
    end: usize,
}

pub fn read(ctx: &ReadContext<'_>) -> Parsed {
    let text = ctx.text;
    let lines: Vec<&str> = text.lines().collect();
    let mut parsed = Parsed::default();

    let title = lines
        .iter()
        .find_map(|l| l.strip_prefix("# ").map(|s| s.trim().to_string()))
        .unwrap_or_else(|| ctx.name.to_string());
    parsed.title = title.clone();
    let (author, recipient) = match TITLE_PEOPLE.captures(&title) {
        Some(c) => (Some(c[1].to_string()), Some(c[2].to_string())),
        None => (None, None),
    };
    // "Stalin's Letters to Molotov" → collection "letters-to-molotov": the
    // possessive names the author, not the collection.
    let base = match title.split_once("'s ") {
        Some((_, rest)) => fond_text::slug_ascii(rest),
        None => fond_text::slug_ascii(&title),
    };
    let collection = ctx.collection_for(&base);

    let units = units(&lines, &mut parsed.findings, ctx.name);
    let names = NameBook::from_book(&lines, author.as_deref(), recipient.as_deref());
    let defaults = LetterDefaults {
        sender: author.clone(),
        addressee: recipient.clone(),
        source: ctx.name.to_string(),
        collection: collection.clone(),
    };

    let mut order = 0u32;
    for unit in &units {
        match &unit.chapter {
            Some(ch) => read_chapter(
                ctx,
                &lines,
                unit,
                ch,
                &defaults,
                &names,
                &mut order,
                &mut parsed,
            ),
            None => {
                let doc = editorial_text(
                    ctx,
                    &lines,
                    unit.start,
                    unit.end,
                    unit,
                    &collection,
                    &mut order,
                    &mut parsed,
                );
                parsed.documents.push(doc);
            }
        }
    }
    parsed
}

/// Finds the units from the table of contents. Everything before the first
/// unit is front matter; level-1 headings after the last unit start further
/// back-matter units.
fn units(lines: &[&str], findings: &mut Vec<Finding>, source: &str) -> Vec<Unit> {
    let mut entries: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let contents_at = lines
        .iter()
        .position(|l| matches!(l.trim(), "# Contents" | "## Contents"));
    if let Some(at) = contents_at {
        for line in &lines[at + 1..] {
            if HEADING.is_match(line) {
                break;
            }
            if let Some(c) = CONTENTS_ENTRY.captures(line) {
                let raw = c[1].trim().to_string();
                let author = c.get(2).map(|m| m.as_str().trim().to_string());
                if let Some(ch) = CHAPTER_ENTRY.captures(&raw) {
                    let year = ch[1].to_string();
                    entries.push((year.clone(), author, Some(year)));
                } else {
                    entries.push((raw, author, None));
                }
            }
        }
    }
    let mut starts: Vec<Unit> = Vec::new();
    let mut from = contents_at.map(|a| a + 1).unwrap_or(0);
    for (title, author, chapter) in entries {
        let want = norm_heading(&title);
        let want_tail = want.rsplit(':').next().unwrap_or(&want).trim().to_string();
        let found = (from..lines.len()).find(|&i| {
            lines[i].starts_with('#')
                && HEADING.captures(lines[i]).is_some_and(|c| {
                    let h = norm_heading(&c[2]);
                    h == want || h == want_tail
                })
        });
        match found {
            Some(i) => {
                starts.push(Unit {
                    title: display_title(&title),
                    author,
                    chapter,
                    start: i,
                    end: 0,
                });
                from = i + 1;
            }
            None => findings.push(Finding {
                kind: FindingKind::UnplacedLine,
                source: source.to_string(),
                line: 0,
                document: None,
                message: format!("contents entry \"{title}\" has no heading in the text"),
            }),
        }
    }
    // Back matter after the last listed unit: a level-1 heading opens a unit.
    if let Some(last) = starts.last().map(|u| u.start) {
        for (i, line) in lines.iter().enumerate().skip(last + 1) {
            if let Some(c) = HEADING.captures(line) {
                if &c[1] == "#" {
                    starts.push(Unit {
                        title: text::strip_markup(&c[2]).trim().to_string(),
                        author: None,
                        chapter: None,
                        start: i,
                        end: 0,
                    });
                }
            }
        }
    }
    let mut units = Vec::new();
    let first = starts.first().map(|u| u.start).unwrap_or(lines.len());
    if first > 0 {
        units.push(Unit {
            title: "Front matter".into(),
            author: None,
            chapter: None,
            start: 0,
            end: first,
        });
    }
    for i in 0..starts.len() {
        let end = starts.get(i + 1).map(|u| u.start).unwrap_or(lines.len());
        let mut u = starts[i].clone();
        u.end = end;
        units.push(u);
    }
    units
}

fn norm_heading(s: &str) -> String {
    text::strip_markup(s)
        .trim()
        .trim_end_matches('.')
        .to_lowercase()
}

fn display_title(s: &str) -> String {
    s.strip_prefix("Appendix: ")
        .map(|t| format!("Appendix: {t}"))
        .unwrap_or_else(|| s.to_string())
}

/// A chapter: its introduction up to the first letter, then the letters.
#[allow(clippy::too_many_arguments)]
fn read_chapter(
    ctx: &ReadContext<'_>,
    lines: &[&str],
    unit: &Unit,
    chapter: &str,
    defaults: &LetterDefaults,
    names: &NameBook,
    order: &mut u32,
    parsed: &mut Parsed,
) {
    let markers: Vec<(usize, u32)> = (unit.start..unit.end)
        .filter_map(|i| {
            LETTER_MARKER
                .captures(lines[i])
                .and_then(|c| c[1].parse().ok().map(|n| (i, n)))
        })
        .collect();
    let intro_end = markers.first().map(|m| m.0).unwrap_or(unit.end);
    let intro_unit = Unit {
        title: format!("{chapter}: introduction"),
        author: Some("Russian editors".into()),
        chapter: Some(chapter.to_string()),
        start: unit.start,
        end: intro_end,
    };
    let intro = editorial_text(
        ctx,
        lines,
        unit.start,
        intro_end,
        &intro_unit,
        &defaults.collection,
        order,
        parsed,
    );
    let intro_id = intro.id.clone();
    parsed.documents.push(intro);
    let _ = intro_id;
    // `Ibid.` runs on from letter to letter through a chapter.
    let mut refs = crate::refs::RefContext::default();

    marker_work::add((unit.end - unit.start) as u64);
    for (k, &(at, number)) in markers.iter().enumerate() {
        let mut end = markers.get(k + 1).map(|m| m.0).unwrap_or(unit.end);
        // Every line of the letter is visited a bounded number of times
        // (heading search, paragraphs, witness text): counted once here.
        marker_work::add((end - at) as u64);
        // A level-1 or level-2 heading inside the span closes the letter
        // ("## Letters with Undetermined Dates").
        if let Some(h) = (at + 1..end).find(|&i| {
            HEADING
                .captures(lines[i])
                .is_some_and(|c| c[1].len() <= 2 && !LETTER_MARKER.is_match(lines[i]))
        }) {
            end = h;
        }
        let paras = text::split_numbered(text::paragraphs(lines, at + 1, end));
        *order += 1;
        let mut doc = letter::read_letter(
            &paras,
            number,
            chapter,
            defaults,
            names,
            &mut parsed.findings,
            &mut refs,
        );
        doc.order = *order;
        let last_line = paras.last().map(|p| p.last_line).unwrap_or(at as u32 + 1);
        doc.witnesses.push(Witness {
            source: ctx.name.to_string(),
            first_line: at as u32 + 1,
            last_line,
            label: "printed edition".into(),
            text: lines[at..last_line as usize].join("\n"),
            markup: fond_model::Markup::Markdown,
        });
        parsed.documents.push(doc);
    }
}

/// An editorial text (front matter, introduction, chapter introduction,
/// appendix, glossary, index): headings and paragraphs, with its notes
/// taken out of the flow wherever page breaks dropped them. Documents it
/// quotes in full become documents of their own.
#[allow(clippy::too_many_arguments)]
fn editorial_text(
    ctx: &ReadContext<'_>,
    lines: &[&str],
    start: usize,
    end: usize,
    unit: &Unit,
    collection: &str,
    order: &mut u32,
    parsed: &mut Parsed,
) -> Document {
    *order += 1;
    let my_order = *order;
    let id = match &unit.chapter {
        Some(ch) => format!("{collection}/chapter/{}", fond_text::slug_ascii(ch)),
        None => format!("{collection}/{}", fond_text::slug_ascii(&unit.title)),
    };
    let paras: Vec<Para> = text::split_numbered(text::paragraphs(lines, start, end))
        .into_iter()
        .filter(|p| p.head() != "---")
        .collect();
    let NoteScan {
        body,
        notes,
        repaired,
    } = notes::split_editorial(&paras);
    for line in repaired {
        parsed.findings.push(Finding {
            kind: FindingKind::RepairedPageBreak,
            source: ctx.name.to_string(),
            line,
            document: Some(id.clone()),
            message: "page break repaired: note(s) taken out of the running text and the sentence rejoined".into(),
        });
    }
    let EditorialBlocks {
        blocks,
        quotes,
        quoted_calls,
    } = editorial_blocks(ctx, lines, &body, collection, &id, order, parsed);
    let call_at = notes::call_positions(&blocks);
    let notes = notes::build_notes_with_calls(
        &notes,
        &call_at,
        &quoted_calls,
        &id,
        ctx.name,
        &mut parsed.findings,
        &mut crate::refs::RefContext::default(),
    );
    let first_line = paras
        .first()
        .map(|p| p.first_line)
        .unwrap_or(start as u32 + 1);
    let last_line = paras.last().map(|p| p.last_line).unwrap_or(first_line);
    let title = match &unit.author {
        Some(a) if unit.chapter.is_none() => format!("{}, {}", unit.title, a),
        _ => unit.title.clone(),
    };
    Document {
        id,
        kind: DocKind::EditorialText,
        collection: collection.to_string(),
        number: None,
        chapter: unit.chapter.clone(),
        title,
        date: DocDate::default(),
        place: None,
        senders: unit.author.iter().cloned().collect(),
        addressees: vec![],
        body: blocks,
        notes,
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line,
            last_line,
            label: "printed edition".into(),
            text: if last_line >= first_line {
                lines[(first_line - 1) as usize..last_line as usize].join("\n")
            } else {
                String::new()
            },
            markup: fond_model::Markup::Markdown,
        }],
        quotes,
        marginalia: vec![],
        order: my_order,
        ..Document::new("", "", DocKind::Letter)
    }
}

/// An editorial text's blocks, with the documents it quotes in full.
struct EditorialBlocks {
    blocks: Vec<Block>,
    /// The ids of the documents quoted in full.
    quotes: Vec<String>,
    /// Note calls standing inside the quoted texts, which still call the
    /// editorial text's notes.
    quoted_calls: Vec<u32>,
}

/// Headings, numbered points and paragraphs of an editorial text. Quoted
/// documents: an all-capitals address line opens one; the first short
/// paragraph that is a signature closes it; it becomes a document of its
/// own (in `parsed`), and a block says where it stood.
fn editorial_blocks(
    ctx: &ReadContext<'_>,
    lines: &[&str],
    body: &[notes::BodyPara],
    collection: &str,
    id: &str,
    order: &mut u32,
    parsed: &mut Parsed,
) -> EditorialBlocks {
    let mut blocks: Vec<Block> = Vec::new();
    let mut quotes: Vec<String> = Vec::new();
    let mut quoted_calls: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let p = &body[i];
        let joined = p.text.clone();
        if QUOTED_DOC_ADDRESS.is_match(text::strip_markup(&joined).trim()) {
            if let Some(close) =
                (i + 1..body.len().min(i + 400)).find(|&j| notes::is_signature_line(&body[j].text))
            {
                *order += 1;
                let qdoc = quoted_document(ctx, &body[i..=close], collection, id, *order, lines);
                // The introduction's note calls that stand inside the
                // quoted text still call the introduction's notes.
                for q in &body[i..=close] {
                    quoted_calls.extend(text::sup_calls(&q.text));
                }
                quotes.push(qdoc.id.clone());
                blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    inlines: vec![fond_model::Inline::Text {
                        text: format!("[Quoted in full: {}]", qdoc.title),
                    }],
                    line: p.line,
                });
                parsed.documents.push(qdoc);
                i = close + 1;
                continue;
            }
        }
        let kind = if let Some(c) = HEADING.captures(&joined) {
            blocks.push(Block {
                kind: BlockKind::Heading,
                inlines: text::inlines(c[2].trim()),
                line: p.line,
            });
            i += 1;
            continue;
        } else if let Some(label) = letter::point_label(&joined) {
            // Numbered points of a document the text quotes, or of the
            // editors' own lists (the appendix's seven inaccuracies).
            BlockKind::Point { label }
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(&joined),
            line: p.line,
        });
        i += 1;
    }
    EditorialBlocks {
        blocks,
        quotes,
        quoted_calls,
    }
}

/// A document an introduction quotes in full (Stalin's memorandum of 17
/// June 1925): address line, text, date, signature.
fn quoted_document(
    ctx: &ReadContext<'_>,
    body: &[notes::BodyPara],
    collection: &str,
    quoted_in: &str,
    order: u32,
    lines: &[&str],
) -> Document {
    let address = text::strip_markup(&body[0].text)
        .trim()
        .trim_end_matches('.')
        .to_string();
    let sig = body
        .last()
        .map(|p| text::strip_markup(&p.text))
        .unwrap_or_default();
    let sender = sig
        .trim()
        .trim_end_matches('.')
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .to_string();
    // The date is the last short paragraph that parses as one.
    let mut date = DocDate::default();
    for p in body.iter().rev().take(3) {
        let t = text::strip_markup(&p.text);
        if let Some((_place, d)) = crate::dates::parse_dateline(t.trim(), None) {
            date.written = Some(t.trim().to_string());
            date.interval = Some(d.clone());
            date.written_interval = Some(d);
            break;
        }
    }
    let kind = if address.contains("ALL MEMBERS") {
        DocKind::Memorandum
    } else {
        DocKind::Letter
    };
    let day = date
        .interval
        .as_ref()
        .and_then(|d| d.earliest)
        .map(|d| d.iso())
        .unwrap_or_else(|| "undated".into());
    let id = format!(
        "{collection}/quoted/{day}-{}",
        fond_text::slug_ascii(&sender)
    );
    let mut blocks = vec![Block {
        kind: BlockKind::Address,
        inlines: text::inlines(&body[0].text),
        line: body[0].line,
    }];
    for (k, p) in body.iter().enumerate().skip(1) {
        let t = text::strip_markup(&p.text);
        let kind = if k + 1 == body.len() {
            BlockKind::Signature
        } else if date.written.as_deref() == Some(t.trim()) {
            BlockKind::Dateline
        } else if let Some(label) = letter::point_label(&p.text) {
            BlockKind::Point { label }
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(&p.text),
            line: p.line,
        });
    }
    let first = body[0].line;
    let last = body.last().map(|p| p.last_line).unwrap_or(first);
    let title = format!(
        "{} to {}{}",
        if sender.is_empty() {
            "Unknown"
        } else {
            &sender
        },
        address.trim_start_matches("TO ").to_lowercase(),
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
        senders: if sender.is_empty() {
            vec![]
        } else {
            vec![sender]
        },
        addressees: vec![address.trim_start_matches("TO ").to_string()],
        body: blocks,
        notes: vec![],
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line: first,
            last_line: last,
            label: "quoted in the edition's introduction".into(),
            text: lines[(first - 1) as usize..last as usize].join("\n"),
            markup: fond_model::Markup::Markdown,
        }],
        quoted_in: Some(quoted_in.to_string()),
        marginalia: vec![],
        order,
        ..Document::new("", "", DocKind::Letter)
    }
}

/// A per-thread count of the lines the chapter reader visits (the chapter
/// once for its markers, each letter's lines once): the linear-work test
/// compares it across input sizes.
mod marker_work {
    use std::cell::Cell;

    thread_local! {
        static LINES: Cell<u64> = const { Cell::new(0) };
    }

    pub(super) fn add(n: u64) {
        LINES.with(|l| l.set(l.get().saturating_add(n)));
    }

    #[cfg(test)]
    pub(super) fn count() -> u64 {
        LINES.with(|l| l.get())
    }
}

#[cfg(test)]
mod linear_tests {
    use super::*;

    /// A book of one chapter with `n` letters.
    fn book(n: usize) -> String {
        let mut s = String::from(
            "# Letters to Petrov\n\n# Contents\n\nCHAPTER ONE 1925\t1\n\n# 1925\n\nIntro.\n\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "## Letter {}\n\n[12 July 1925]\n\nDear Petrov,\n\nhello {i}\n\nIvanov\n\n",
                i % 999 + 1
            ));
        }
        s
    }

    /// 32,000 `Letter N` markers took 24 s. The reader visits each line a
    /// bounded number of times: 10× the markers, ~10× the counted lines.
    #[test]
    fn letter_markers_are_read_in_linear_time() {
        let mut counted = Vec::new();
        for n in [10_000, 100_000] {
            let text = book(n);
            let ctx = ReadContext {
                name: "book.md",
                text: &text,
                collection_suffix: "",
            };
            let before = marker_work::count();
            let parsed = read(&ctx);
            counted.push(marker_work::count() - before);
            let letters = parsed
                .documents
                .iter()
                .filter(|d| d.kind == fond_model::DocKind::Letter)
                .count();
            assert_eq!(letters, n);
        }
        let ratio = counted[1] as f64 / counted[0] as f64;
        assert!(
            ratio <= 10.5,
            "10× the markers cost {ratio:.1}× the work ({counted:?})"
        );
    }
}
