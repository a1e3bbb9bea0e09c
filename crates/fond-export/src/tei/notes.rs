//! Editorial notes: paragraphs, archival references as `bibl` with
//! `idno`, cross-references as `ref` to the other document's file, and
//! names as `persName`/`orgName`/`title` where mentions are given.
//!
//! A note's text is one string with paragraphs separated by blank lines;
//! references and names are spans of it. Spans are laid over the text:
//! references first (they are the structure a reader of the apparatus
//! relies on), then names that overlap no reference and stay inside one
//! paragraph.

use super::header::{name_element, Resp};
use super::{file_name, TeiContext};
use crate::records::sheets_text;
use crate::xml::XmlWriter;
use crate::{EntityKind, Field, Mention};
use fond_model::{ArchivalRef, CrossRef, Document, Note};

/// The `xml:id` of note `n` (the first note of that number).
pub(crate) fn note_id(n: u32) -> String {
    format!("note-{n}")
}

/// The `xml:id`s of a document's notes, in order: `note-N`, and
/// `note-N-2`, … for a number printed twice.
pub(crate) fn note_ids(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(doc.notes.len());
    for n in &doc.notes {
        let base = note_id(n.n);
        let mut id = base.clone();
        let mut k = 2;
        while out.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        out.push(id);
    }
    out
}

enum Span<'a> {
    Archival(&'a ArchivalRef),
    Cross(String),
    Name(&'a Mention),
}

/// Writes one note. `unanchored`: its call was lost, so it stands at the
/// end of the text.
pub(crate) fn write(
    w: &mut XmlWriter,
    doc: &Document,
    note: &Note,
    id: &str,
    ctx: &TeiContext,
    resp: &Resp,
    unanchored: bool,
) {
    let n = note.n.to_string();
    // Who wrote the note, then the editors' changes to it: a corrected
    // note points at the `revisionDesc/change`s that corrected it.
    let mut who: Vec<String> = resp.note(&note.by).into_iter().collect();
    who.extend(ctx.note_changes(doc, note.n));
    let who = who.join(" ");
    let mut attrs: Vec<(&str, &str)> = vec![("xml:id", id), ("n", &n)];
    if unanchored {
        attrs.push(("type", "unanchored"));
    }
    if !who.is_empty() {
        attrs.push(("resp", &who));
    }
    attrs.push(("place", "foot"));
    if unanchored {
        w.block("note", &attrs);
    } else {
        w.open("note", &attrs);
    }

    let text = note.text.as_str();
    let (mut spans, unmatched) = structural_spans(doc, note);
    let names = ctx
        .mentions_of(doc)
        .iter()
        .filter(|m| m.field == Field::Note(note.n));
    for m in names {
        let inside = m.start < m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
            && !text[m.start..m.end].contains("\n\n");
        let free = spans.iter().all(|(a, b, _)| m.end <= *a || m.start >= *b);
        if inside && free {
            spans.push((m.start, m.end, Span::Name(m)));
        }
    }
    spans.sort_by_key(|(a, b, _)| (*a, std::cmp::Reverse(*b)));

    let mut spans = spans.into_iter().peekable();
    for (p_start, p_end) in paragraphs(text) {
        w.open("p", &[]);
        let mut pos = p_start;
        // Spans are inside one paragraph (references are single-line
        // citations; names were checked above); one that is not is written
        // as plain text.
        while let Some((a, b, _)) = spans.peek() {
            if *a >= p_end {
                break;
            }
            let (a, b) = (*a, *b);
            let Some((_, _, span)) = spans.next() else {
                break;
            };
            if a < pos || b > p_end {
                continue;
            }
            w.text(&text[pos..a]);
            write_span(w, ctx, &span, &text[a..b]);
            pos = b;
        }
        w.text(&text[pos..p_end]);
        w.close();
    }
    if !unmatched.is_empty() {
        // References the parser found but whose printed form is not a
        // verbatim span of the text (rejoined across a page break).
        w.open("listBibl", &[("type", "archival")]);
        for r in unmatched {
            w.open("bibl", &[("type", "archival")]);
            regularised(w, r);
            w.close();
        }
        w.close();
    }
    w.close();
}

/// Spans of archival and cross references in the note's text, found in
/// order; references whose printed form is not found are returned apart.
fn structural_spans<'a>(
    doc: &Document,
    note: &'a Note,
) -> (Vec<(usize, usize, Span<'a>)>, Vec<&'a ArchivalRef>) {
    let text = note.text.as_str();
    let mut spans = Vec::new();
    let mut unmatched = Vec::new();
    let mut cursor = 0;
    for r in &note.archival_refs {
        match find_from(text, &r.text, cursor) {
            Some(a) => {
                let b = a + r.text.len();
                spans.push((a, b, Span::Archival(r)));
                cursor = b;
            }
            None => unmatched.push(r),
        }
    }
    let mut cursor = 0;
    for c in &note.cross_refs {
        let Some(target) = cross_target(doc, c) else {
            continue;
        };
        if let Some(a) = find_from(text, &c.text, cursor) {
            let b = a + c.text.len();
            if spans.iter().all(|(x, y, _)| b <= *x || a >= *y) {
                spans.push((a, b, Span::Cross(target)));
            }
            cursor = b;
        }
    }
    (spans, unmatched)
}

fn find_from(text: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    text.get(from..)?.find(needle).map(|i| i + from)
}

/// The file (and note) a cross reference points to: letters of the same
/// collection.
fn cross_target(doc: &Document, c: &CrossRef) -> Option<String> {
    match (c.letter, c.note) {
        (Some(l), Some(n)) => Some(format!(
            "{}#{}",
            file_name(&format!("{}/{l}", doc.collection)),
            note_id(n)
        )),
        (Some(l), None) => Some(file_name(&format!("{}/{l}", doc.collection))),
        (None, Some(n)) => Some(format!("#{}", note_id(n))),
        (None, None) => None,
    }
}

/// Byte ranges of the paragraphs (blank-line separated), trimmed.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |a: usize, b: usize| {
        let s = &text[a..b];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if a + lead < b - trail {
            out.push((a + lead, b - trail));
        }
    };
    while let Some(i) = text[start..].find("\n\n") {
        push(start, start + i);
        start += i + 2;
    }
    push(start, text.len());
    if out.is_empty() {
        // An empty note still gets its one (empty) paragraph.
        out.push((0, 0));
    }
    out
}

fn write_span(w: &mut XmlWriter, ctx: &TeiContext, span: &Span<'_>, printed: &str) {
    match span {
        Span::Archival(r) => {
            w.open("bibl", &[("type", "archival")]);
            if printed == r.normalized() {
                regularised(w, r);
            } else {
                // The citation as printed (OCR-damaged, `Ibid.`), and what
                // it stands for.
                w.open("choice", &[]);
                w.inline_leaf("orig", &[], printed);
                w.open("reg", &[]);
                regularised(w, r);
                w.close();
                w.close();
            }
            w.close();
        }
        Span::Cross(target) => w.inline_leaf("ref", &[("target", target)], printed),
        Span::Name(m) => {
            let r = ctx.entity_ref(m.entity.kind(), m.entity.id());
            let mut attrs = vec![("ref", r.as_str())];
            if m.entity.kind() == EntityKind::Periodical {
                attrs.insert(0, ("level", "j"));
            }
            if !m.resolved {
                attrs.push(("cert", "low"));
            }
            w.inline_leaf(name_element(m.entity.kind()), &attrs, printed);
        }
    }
}

/// `RTsKhIDNI f. 17, op. 3, d. 510, l. 5` with its parts marked.
fn regularised(w: &mut XmlWriter, r: &ArchivalRef) {
    w.inline_leaf("orgName", &[("type", "archive")], &r.archive);
    w.text(" f. ");
    w.inline_leaf("idno", &[("type", "fond")], &r.fond);
    if let Some(o) = &r.opis {
        w.text(", op. ");
        w.inline_leaf("idno", &[("type", "opis")], o);
    }
    if let Some(d) = &r.delo {
        w.text(", d. ");
        w.inline_leaf("idno", &[("type", "delo")], d);
    }
    if let Some(s) = &r.sheets {
        w.text(", ");
        w.inline_leaf("idno", &[("type", "sheets")], &sheets_text(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines_and_trim() {
        let t = "One.\n\n Two.\n\n\n";
        let p: Vec<&str> = paragraphs(t).into_iter().map(|(a, b)| &t[a..b]).collect();
        assert_eq!(p, vec!["One.", "Two."]);
        assert_eq!(paragraphs(""), vec![(0, 0)]);
    }
}
