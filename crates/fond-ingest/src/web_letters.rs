//! Reader for a web transcription of numbered letters of a printed edition
//! (plain text: site navigation, then `Letter N` blocks whose notes follow
//! each letter without a separator, with note calls run into the words).
//!
//! The text is brought to the shape of the printed edition — wrapped lines
//! joined into paragraphs, calls turned into `<sup>` — and then read by the
//! same letter reader, so a letter read from the web and from the book come
//! out as comparable models.

use crate::letter::{self, LetterDefaults};
use crate::names::NameBook;
use crate::text::{self, Para};
use crate::{Parsed, ReadContext};
use fond_model::Witness;
use regex::Regex;
use std::sync::LazyLock;

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*Letter\s+(\d{1,3})\s*$").expect("static regex"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\w+)(?:'s)?\s+Letters\s+to\s+(\w+)\s*$").expect("static regex")
});
static PARA_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}[.)]|[a-h]\)|\[|P\.\s?S\.)").expect("static regex"));
/// A call run into the text: digits glued to a word or punctuation
/// (`Trud.2`, `Wuhan4`), or set after punctuation and a space at a line or
/// word end (`Viacheslav, 1`, `Nanking. 5`).
static GLUED_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:([A-Za-z.,;:)"”’])|([.,;:)"”’]) )(\d{1,2})(\s|$)"#).expect("static regex")
});
static SIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Z]\.\s*){0,2}[A-Z][a-z]+\.?$").expect("static regex"));
static NOTE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\.\s").expect("static regex"));

/// The shape is a run of `Letter N` markers, each followed at once by the
/// editors' bracketed date (`[23 June 1927]`) — with or without the site's
/// title line above them (a page saved without its navigation still has
/// its letters).
pub fn detect(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let has_contents = lines.iter().any(|l| l.trim() == "# Contents");
    if has_contents {
        return false;
    }
    let mut markers = 0;
    let mut dated = 0;
    for (i, l) in lines.iter().enumerate() {
        if MARKER.is_match(l) {
            markers += 1;
            let next = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty());
            if next.is_some_and(|n| {
                n.starts_with('[') && n.ends_with(']') && n.chars().any(|c| c.is_ascii_digit())
            }) {
                dated += 1;
            }
        }
    }
    markers >= 2 && (lines.iter().take(30).any(|l| TITLE.is_match(l)) || dated * 2 >= markers)
}

pub fn read(ctx: &ReadContext<'_>) -> Parsed {
    let lines: Vec<&str> = ctx.text.lines().collect();
    let mut parsed = Parsed::default();
    let (title, author, recipient) = lines
        .iter()
        .take(30)
        .find_map(|l| {
            TITLE
                .captures(l)
                .map(|c| (l.trim().to_string(), c[1].to_string(), c[2].to_string()))
        })
        .unwrap_or_else(|| (ctx.name.to_string(), String::new(), String::new()));
    parsed.title = title;
    // Without the site's title the collection is not named; the letters
    // still join the edition's by their numbers and text (`witnesses.rs`).
    parsed.collection_unnamed = recipient.is_empty();
    let collection = if recipient.is_empty() {
        let stem = ctx.name.rsplit('/').next().unwrap_or(ctx.name);
        ctx.collection_for(&fond_text::slug_ascii(
            stem.split('.').next().unwrap_or(stem),
        ))
    } else {
        ctx.collection_for(&format!("letters-to-{}", fond_text::slug_ascii(&recipient)))
    };
    let names = NameBook::from_book(
        &lines,
        Some(author.as_str()).filter(|a| !a.is_empty()),
        Some(recipient.as_str()).filter(|r| !r.is_empty()),
    );
    let defaults = LetterDefaults {
        sender: Some(author).filter(|a| !a.is_empty()),
        addressee: Some(recipient).filter(|r| !r.is_empty()),
        source: ctx.name.to_string(),
        collection,
    };
    let markers: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            MARKER
                .captures(l)
                .and_then(|c| c[1].parse().ok().map(|n| (i, n)))
        })
        .collect();
    let mut refs = crate::refs::RefContext::default();
    for (k, &(at, number)) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map(|m| m.0).unwrap_or(lines.len());
        let paras = web_paragraphs(&lines, at + 1, end);
        let mut doc = letter::read_letter(
            &paras,
            number,
            "",
            &defaults,
            &names,
            &mut parsed.findings,
            &mut refs,
        );
        doc.chapter = None;
        // Every call of this transcription was run into the words.
        for n in &mut doc.notes {
            if n.call == fond_model::CallForm::Superscript {
                n.call = fond_model::CallForm::Glued;
            }
        }
        doc.order = k as u32 + 1;
        let last = paras.last().map(|p| p.last_line).unwrap_or(at as u32 + 1);
        doc.witnesses.push(Witness {
            source: ctx.name.to_string(),
            first_line: at as u32 + 1,
            last_line: last,
            label: "web transcription".into(),
            text: lines[at..last as usize].join("\n"),
            markup: fond_model::Markup::Plain,
        });
        parsed.documents.push(doc);
    }
    parsed
}

/// Paragraphs of a plain-text transcription: a wrapped line joins the line
/// before unless that ended a sentence or this one opens a point, a note or
/// a bracket; calls run into the text become `<sup>` calls, accepted only in
/// their running order so that ordinary numbers stay numbers.
pub fn web_paragraphs(lines: &[&str], from: usize, to: usize) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut next_call = 1u32;
    let mut blank = true;
    // Notes begin only after the signature (or the date under it): a `1.`
    // before that is a numbered point of the letter.
    let mut signed = false;
    for (i, raw) in lines.iter().enumerate().take(to).skip(from) {
        let n = i as u32 + 1;
        let line = raw.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        let starts_new = blank
            || PARA_START.is_match(line)
            || out.last().is_none_or(|p| {
                let prev = p.lines.last().map(|s| s.as_str()).unwrap_or("");
                text::ends_sentence(prev)
                    || text::strip_markup(prev).split_whitespace().count() <= 3
            });
        let converted = convert_calls(line, &mut next_call, signed);
        if SIGNED.is_match(line) || (crate::dates::looks_like_dateline(line) && out.len() > 1) {
            signed = true;
        }
        blank = false;
        match out.last_mut() {
            Some(p) if !starts_new => {
                p.lines.push(converted);
                p.last_line = n;
            }
            _ => out.push(Para {
                first_line: n,
                last_line: n,
                lines: vec![converted],
            }),
        }
    }
    out
}

fn convert_calls(line: &str, next_call: &mut u32, signed: bool) -> String {
    // A note paragraph's own number is not a call; once the notes begin,
    // the letter's calls are over.
    if let Some(c) = NOTE_NUMBER.captures(line) {
        if signed {
            if c[1].parse::<u32>().ok() == Some(1) && *next_call > 1 {
                *next_call = u32::MAX;
            }
            return line.to_string();
        }
    }
    let mut out = String::with_capacity(line.len() + 16);
    let mut last = 0;
    for c in GLUED_CALL.captures_iter(line) {
        let (Some(whole), Some(num)) = (c.get(0), c.get(3)) else {
            continue;
        };
        let Ok(k) = num.as_str().parse::<u32>() else {
            continue;
        };
        if k != *next_call || whole.start() < last {
            continue;
        }
        // Keep the character before the digits, drop the space, insert the
        // call: "Trud.2", "(R.+Or.+V.),3", "Viacheslav, 1".
        let keep_end = c
            .get(1)
            .or_else(|| c.get(2))
            .map(|m| m.end())
            .unwrap_or(whole.start());
        out.push_str(&line[last..keep_end]);
        out.push_str(&format!("<sup>{k}</sup>"));
        out.push_str(c.get(4).map(|m| m.as_str()).unwrap_or(""));
        last = whole.end();
        *next_call += 1;
    }
    out.push_str(&line[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_run_into_words_become_calls_in_order() {
        let mut k = 1;
        assert_eq!(
            convert_calls("Dear Viacheslav, 1", &mut k, false),
            "Dear Viacheslav,<sup>1</sup>"
        );
        assert_eq!(
            convert_calls("A purge should be conducted in Trud.2", &mut k, false),
            "A purge should be conducted in Trud.<sup>2</sup>"
        );
        assert_eq!(
            convert_calls(
                "send 3 or 4 million; the trinity (R.+Or.+V.),3 I",
                &mut k,
                false
            ),
            "send 3 or 4 million; the trinity (R.+Or.+V.),<sup>3</sup> I"
        );
        assert_eq!(
            convert_calls("the 10 million", &mut k, false),
            "the 10 million"
        );
    }

    #[test]
    fn wrapped_lines_join_and_points_open_paragraphs() {
        let lines = vec![
            "Dear Viacheslav, 1",
            "1) I had a look at the transcript of the",
            "Central Control Commission. It is odd.",
            "2) Note the documents.2",
            "J. Stalin",
            "1. The date is Stalin's.",
        ];
        let p = web_paragraphs(&lines, 0, lines.len());
        let heads: Vec<String> = p.iter().map(|p| p.joined()).collect();
        assert_eq!(heads.len(), 5, "{heads:?}");
        assert_eq!(
            heads[1],
            "1) I had a look at the transcript of the Central Control Commission. It is odd."
        );
        assert_eq!(heads[4], "1. The date is Stalin's.");
    }
}
