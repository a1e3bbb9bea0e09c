//! Reader for a web page reproducing one document from a printed *Works*
//! edition: author, title, subtitle, date, a `Source :` / `Publisher :`
//! block, the text, the edition's publication remarks ("Written in…",
//! "First published…"), and its footnotes.

use crate::text::{self, Para};
use crate::{dates, notes, Parsed, ReadContext};
use fond_model::{Block, BlockKind, DocDate, DocKind, Document, NoteAuthor, Witness};
use regex::Regex;
use std::sync::LazyLock;

static SOURCE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Source\s*:\s*(.+)$").expect("static regex"));
static PUBLISHER_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Publisher\s*:\s*(.+)$").expect("static regex"));
static TRAILING_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?[^\s\d])\s+(\d{1,2})$").expect("static regex"));
static NOTE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.\s*(\S.*)$").expect("static regex"));

pub fn detect(text: &str) -> bool {
    let head: Vec<&str> = text.lines().take(40).collect();
    head.iter().any(|l| SOURCE_LINE.is_match(l.trim()))
        && head.iter().any(|l| PUBLISHER_LINE.is_match(l.trim()))
}

/// The page's head after the author: the title and subtitle as headings
/// (a subtitle's trailing number is a note call: the calls, with the block
/// they stand in), and the dateline, which dates the document.
fn head_blocks(head: &[&Para]) -> (Vec<Block>, Vec<(u32, u32)>, DocDate) {
    let mut subtitle_calls: Vec<(u32, u32)> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut date = DocDate::default();
    for p in head.iter().skip(1) {
        let j = p.joined();
        if let Some((_, d)) = dates::parse_dateline(&j, None) {
            date.written = Some(j.clone());
            date.interval = Some(d.clone());
            date.written_interval = Some(d);
            blocks.push(Block {
                kind: BlockKind::Dateline,
                inlines: text::inlines(&j),
                line: p.first_line,
            });
            continue;
        }
        let (t, call) = match TRAILING_CALL.captures(&j) {
            Some(c) if blocks.len() == 1 || c[2].parse::<u32>().ok() == Some(1) => (
                format!("{}<sup>{}</sup>", &c[1], &c[2]),
                c[2].parse::<u32>().ok(),
            ),
            _ => (j.clone(), None),
        };
        if let Some(n) = call {
            subtitle_calls.push((n, blocks.len() as u32));
        }
        blocks.push(Block {
            kind: BlockKind::Heading,
            inlines: text::inlines(&t),
            line: p.first_line,
        });
    }
    (blocks, subtitle_calls, date)
}

/// The text after the header: paragraphs (a closing for "Written in …",
/// "First published …") into `blocks`, until the numbered notes start;
/// the notes, numbered from 1 in order, are returned.
fn body_and_notes(paras: &[Para], blocks: &mut Vec<Block>) -> Vec<notes::RawNote> {
    let mut raw_notes: Vec<notes::RawNote> = Vec::new();
    let mut in_notes = false;
    for p in paras {
        let j = p.joined();
        if let Some(c) = NOTE_LINE.captures(&j) {
            if c[1].parse::<u32>().ok() == Some(raw_notes.len() as u32 + 1) {
                in_notes = true;
                raw_notes.push(notes::RawNote {
                    n: raw_notes.len() as u32 + 1,
                    paras: vec![format!("{}. {}", &c[1], &c[2])],
                    line: p.first_line,
                    relocated: false,
                });
                continue;
            }
        }
        if in_notes {
            if let Some(n) = raw_notes.last_mut() {
                n.paras.push(j);
            }
            continue;
        }
        let kind = if j.starts_with("Written in")
            || j.starts_with("First published")
            || j.starts_with("in ")
        {
            BlockKind::Closing
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(&j),
            line: p.first_line,
        });
    }
    raw_notes
}

pub fn read(ctx: &ReadContext<'_>) -> Parsed {
    let lines: Vec<&str> = ctx.text.lines().collect();
    let mut parsed = Parsed::default();
    let paras: Vec<Para> = text::paragraphs(&lines, 0, lines.len());
    let src_at = paras
        .iter()
        .position(|p| SOURCE_LINE.is_match(p.head()))
        .unwrap_or(0);
    // Head: author, title, subtitle (with a call), date.
    let head: Vec<&Para> = paras[..src_at].iter().collect();
    let author = head.first().map(|p| p.joined()).unwrap_or_default();
    let title = head
        .get(1)
        .map(|p| p.joined())
        .unwrap_or_else(|| ctx.name.to_string());
    let (mut blocks, subtitle_calls, date) = head_blocks(&head);
    let source_line = paras.get(src_at).map(|p| p.joined()).unwrap_or_default();
    let works = SOURCE_LINE
        .captures(&source_line)
        .map(|c| c[1].split(',').next().unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let publisher = paras
        .iter()
        .find_map(|p| {
            PUBLISHER_LINE
                .captures(p.head())
                .map(|c| c[1].trim().to_string())
        })
        .unwrap_or_default();
    // The header block runs to the first paragraph that is not a `Key : value` line.
    let body_at = (src_at..paras.len())
        .find(|&i| {
            !paras[i].head().contains(" : ") && !paras[i].head().starts_with("Public Domain")
        })
        .unwrap_or(paras.len());
    let raw_notes = body_and_notes(&paras[body_at..], &mut blocks);
    let surname = author.split_whitespace().last().unwrap_or("").to_string();
    let collection = ctx.collection_for(&fond_text::slug_ascii(&format!("{surname} {works}")));
    let day = date
        .interval
        .as_ref()
        .map(|d| d.edtf.clone())
        .unwrap_or_else(|| "undated".into());
    let id = format!("{collection}/{}-{}", day, fond_text::slug_ascii(&title));
    let mut notes = notes::build_notes_with_calls(
        &raw_notes,
        &subtitle_calls,
        &[],
        &id,
        ctx.name,
        &mut parsed.findings,
        &mut crate::refs::RefContext::default(),
    );
    for n in &mut notes {
        if n.by.is_unnamed_editors() {
            // Unattributed notes of a Works page are that edition's editors'.
            n.by = NoteAuthor::new(
                fond_model::NoteRole::Editors,
                format!("editors of {works} ({publisher})"),
            );
        }
    }
    let addressee = title.trim_start_matches("To ").trim().to_string();
    let kind = if title.starts_with("To All") || title.to_lowercase().contains("organisations") {
        DocKind::Circular
    } else {
        DocKind::Letter
    };
    parsed.title = format!("{author}, {title}");
    let first_line = paras.first().map(|p| p.first_line).unwrap_or(1);
    let last_line = paras
        .last()
        .map(|p| p.last_line)
        .unwrap_or(first_line)
        .max(first_line);
    parsed.documents.push(Document {
        id,
        kind,
        collection,
        number: None,
        chapter: None,
        title: title.clone(),
        date,
        place: None,
        senders: vec![author],
        addressees: vec![addressee],
        body: blocks,
        notes,
        witnesses: vec![Witness {
            source: ctx.name.to_string(),
            first_line,
            last_line,
            label: format!("web transcription of {works}"),
            text: lines[(first_line - 1) as usize..last_line as usize].join("\n"),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: vec![],
        order: 1,
        ..Document::new("", "", DocKind::Letter)
    });
    parsed
}
