//! Editorial notes: telling them from running text, putting back the ones a
//! page break dropped into a body or another note, and reading what they
//! say (author, archival references, cross references, Special File).

use crate::refs::{self, RefContext};
use crate::text::{self, Para};
use fond_model::{Block, CallForm, Finding, FindingKind, Inline, Marginal, Note};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static STRICT_SIGNATURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Z]\.\s*){1,2}[A-Z][a-z]+\.?$").expect("static regex"));

/// A paragraph of running text after notes were taken out, with page-break
/// splits rejoined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPara {
    pub text: String,
    pub line: u32,
    pub last_line: u32,
}

/// A note as found: number, paragraphs, where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNote {
    pub n: u32,
    pub paras: Vec<String>,
    pub line: u32,
    pub relocated: bool,
}

#[derive(Debug, Default)]
pub struct NoteScan {
    pub body: Vec<BodyPara>,
    pub notes: Vec<RawNote>,
    /// Lines where a page break was repaired.
    pub repaired: Vec<u32>,
}

/// The number a paragraph starts with, if it reads `N. text`.
pub fn note_number(para: &str) -> Option<u32> {
    // By hand: this runs on every paragraph of the book.
    let digits = para.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 3 || para.as_bytes().get(digits) != Some(&b'.') {
        return None;
    }
    let rest = para[digits + 1..].trim_start();
    if rest.is_empty() && para.len() > digits + 1 {
        return None;
    }
    para[..digits].parse().ok()
}

/// A whole paragraph that is a signature: initials and a surname.
pub fn is_signature_line(para: &str) -> bool {
    let t = text::strip_markup(para);
    let t = t.trim().trim_matches(|c| c == '[' || c == ']');
    STRICT_SIGNATURE.is_match(t.trim())
}

fn calls_in(text: &str) -> Vec<u32> {
    text::sup_calls(text)
}

/// Splits an editorial text. Its notes are numbered through the whole
/// text; a paragraph `N. …` is a note when N is the next note number and
/// the call `N` already appeared in the running text. The running text
/// interrupted by notes (a page break) is rejoined.
pub fn split_editorial(paras: &[Para]) -> NoteScan {
    let mut scan = NoteScan::default();
    let mut seen_calls: BTreeSet<u32> = BTreeSet::new();
    let mut expected = 1u32;
    // Whether the previous paragraph was a note: decides where a
    // following continuation paragraph belongs.
    let mut after_note = false;
    let mut pending_join = false;
    for p in paras {
        let joined = p.joined();
        let is_note = note_number(&joined).is_some_and(|n| {
            // Notes may be missing from the text (lost in conversion): allow
            // a gap of a few numbers when the call was seen.
            n >= expected && n < expected + 4 && seen_calls.contains(&n)
        });
        if is_note {
            let n = note_number(&joined).unwrap_or(expected);
            let interrupted = scan
                .body
                .last()
                .is_some_and(|b| !text::ends_sentence(&b.text));
            if interrupted {
                pending_join = true;
            }
            scan.notes.push(RawNote {
                n,
                paras: vec![joined],
                line: p.first_line,
                relocated: interrupted,
            });
            expected = n + 1;
            after_note = true;
            continue;
        }
        if after_note {
            // A continuation: it belongs to the body if the body was left
            // mid-sentence; to the last note if that note was.
            let cont = text::starts_continuation(&joined);
            let note_open = scan
                .notes
                .last()
                .and_then(|n| n.paras.last())
                .is_some_and(|t| !text::ends_sentence(t));
            if cont && !pending_join && note_open {
                if let Some(n) = scan.notes.last_mut() {
                    let last = n.paras.len() - 1;
                    text::join_into(&mut n.paras[last], &joined);
                }
                continue;
            }
        }
        after_note = false;
        seen_calls.extend(calls_in(&joined));
        push_body(&mut scan, joined, p, &mut pending_join);
    }
    scan
}

/// Appends a body paragraph, rejoining it to the previous one when a page
/// break split a sentence (the previous one does not end a sentence and
/// this one starts in lowercase).
fn push_body(scan: &mut NoteScan, joined: String, p: &Para, pending_join: &mut bool) {
    let join = scan.body.last().is_some_and(|b| {
        !text::ends_sentence(&b.text)
            && (text::starts_continuation(&joined)
                || (text::ends_with_function_word(&b.text) && note_number(&joined).is_none()))
    });
    if join {
        if let Some(b) = scan.body.last_mut() {
            text::join_into(&mut b.text, &joined);
            b.last_line = p.last_line;
            scan.repaired.push(p.first_line);
        }
    } else {
        scan.body.push(BodyPara {
            text: joined,
            line: p.first_line,
            last_line: p.last_line,
        });
    }
    *pending_join = false;
}

/// Splits a letter. Its notes follow the text: they start at the first
/// paragraph `1.` after the signature (`signed_at`, an index into `paras`)
/// whose call was seen; before that, a run of notes is taken out only where
/// a page break evidently dropped it (the text before it stops mid-sentence
/// or the text after it resumes in lowercase).
pub fn split_letter(paras: &[Para], notes_from: usize) -> NoteScan {
    let mut scan = NoteScan::default();
    let mut seen_calls: BTreeSet<u32> = BTreeSet::new();
    let mut expected = 1u32;
    let mut pending_join = false;
    let joined: Vec<String> = paras.iter().map(|p| p.joined()).collect();
    let mut i = 0;
    // Running text, with interleaved notes taken out.
    while i < notes_from.min(paras.len()) {
        let t = &joined[i];
        if note_number(t) == Some(expected)
            && seen_calls.contains(&expected)
            && calls_in(t).is_empty()
        {
            // Collect the run of consecutive note paragraphs.
            let mut j = i;
            let mut run_expected = expected;
            while j < notes_from
                && note_number(&joined[j]) == Some(run_expected)
                && calls_in(&joined[j]).is_empty()
            {
                run_expected += 1;
                j += 1;
            }
            let before_open = scan
                .body
                .last()
                .is_some_and(|b| !text::ends_sentence(&b.text));
            let after_cont = joined.get(j).is_some_and(|t| text::starts_continuation(t));
            if before_open || after_cont {
                for k in i..j {
                    scan.notes.push(RawNote {
                        n: expected,
                        paras: vec![joined[k].clone()],
                        line: paras[k].first_line,
                        relocated: true,
                    });
                    expected += 1;
                }
                pending_join = true;
                i = j;
                continue;
            }
        }
        seen_calls.extend(calls_in(t));
        push_body(&mut scan, t.clone(), &paras[i], &mut pending_join);
        i += 1;
    }
    // The notes block. A note quoting a document carries that document's
    // own numbered points: a `1.` after a paragraph ending in a colon opens
    // a quoted list, and numbers rising from there (gaps of one allowed:
    // the print skips) continue it; a number that falls back is a note
    // again.
    let mut quoted: Option<u32> = None;
    let mut prev_colon = false;
    let mut prev_signed = false;
    for k in notes_from..paras.len() {
        let t = &joined[k];
        let num = note_number(t);
        let mut is_note = false;
        if let Some(m) = num {
            if prev_colon && m == 1 && !scan.notes.is_empty() {
                quoted = Some(1);
            } else if quoted.is_some_and(|q| m > q && m <= q + 2) {
                quoted = Some(m);
            } else if m == expected || scan.notes.is_empty() {
                is_note = true;
                quoted = None;
            } else if m == 1 && prev_signed {
                // Numbering falls back to 1 with no colon to open a
                // quotation: what looked like notes was a reader's remarks
                // with numbered points (Tomskii's under letter 23). They
                // go back to the text; the notes start here.
                for n in scan.notes.drain(..) {
                    for (k, p) in n.paras.into_iter().enumerate() {
                        let line = if k == 0 { n.line } else { n.line + k as u32 };
                        scan.body.push(BodyPara {
                            text: p,
                            line,
                            last_line: line,
                        });
                    }
                }
                expected = 1;
                is_note = true;
                quoted = None;
            } else {
                quoted = Some(m);
            }
        }
        prev_colon = text::strip_markup(t).trim_end().ends_with(':');
        prev_signed = looks_like_signature_block(t);
        if is_note {
            let n = num.unwrap_or(expected);
            scan.notes.push(RawNote {
                n,
                paras: vec![t.clone()],
                line: paras[k].first_line,
                relocated: false,
            });
            expected = n + 1;
        } else if let Some(last) = scan.notes.last_mut() {
            // A page break inside a note: the sentence resumes in lowercase.
            let open = last.paras.last().is_some_and(|p| !text::ends_sentence(p));
            if open && text::starts_continuation(t) {
                let l = last.paras.len() - 1;
                text::join_into(&mut last.paras[l], t);
                scan.repaired.push(paras[k].first_line);
            } else {
                last.paras.push(t.clone());
            }
        } else {
            let mut pj = false;
            push_body(&mut scan, t.clone(), &paras[k], &mut pj);
        }
    }
    scan
}

/// A paragraph of a name and perhaps a date on short lines ("Tomskii" /
/// "1 September"): how a reader's remark appended to a letter ends.
fn looks_like_signature_block(t: &str) -> bool {
    let lines: Vec<&str> = t
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = lines.first() else {
        return false;
    };
    let name = text::strip_markup(first);
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 3
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        && !name.ends_with(':')
        && lines.len() <= 3
        && lines.iter().all(|l| l.split_whitespace().count() <= 4)
}

/// Index of the paragraph where a letter's notes begin: the first `1.`
/// paragraph after the signature whose call was seen before it, else the
/// first `1.` paragraph (no call inside) after the last call of the text,
/// else none.
pub fn notes_start(paras: &[Para], signed_at: Option<usize>) -> usize {
    let joined: Vec<String> = paras.iter().map(|p| p.joined()).collect();
    let mut calls_before: Vec<BTreeSet<u32>> = Vec::with_capacity(joined.len());
    let mut acc = BTreeSet::new();
    for t in &joined {
        calls_before.push(acc.clone());
        acc.extend(calls_in(t));
    }
    // Notes follow the signature and every call: other readers' remarks
    // appended after the signature carry calls of their own and may have
    // numbered points (letter 23), so the notes cannot start before the
    // last call.
    let last_call = joined
        .iter()
        .rposition(|t| !calls_in(t).is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    let from = signed_at.map(|s| s + 1).unwrap_or(0).max(last_call);
    let candidate =
        |k: usize| note_number(&joined[k]) == Some(1) && calls_in(&joined[k]).is_empty();
    if let Some(k) = (from..joined.len())
        .find(|&k| candidate(k) && (calls_before[k].contains(&1) || acc.is_empty()))
    {
        return k;
    }
    if signed_at.is_some() {
        if let Some(k) = (from..joined.len()).find(|&k| candidate(k)) {
            return k;
        }
    }
    // No signature: after the paragraph holding the last call.
    (last_call..joined.len())
        .find(|&k| candidate(k))
        .unwrap_or(joined.len())
}

/// Builds the model's notes: locates calls in the body blocks, reads the
/// author, archival references (resolving `Ibid.` in order through the
/// document), cross references and the Special File.
pub fn build_notes(
    raw: &[RawNote],
    blocks: &[Block],
    doc_id: &str,
    source: &str,
    findings: &mut Vec<Finding>,
    _editorial: bool,
) -> Vec<Note> {
    let call_at = call_positions(blocks);
    build_notes_with_calls(
        raw,
        &call_at,
        &[],
        doc_id,
        source,
        findings,
        &mut RefContext::default(),
    )
}

/// Where each note call stands: `(note number, block index)`.
pub fn call_positions(blocks: &[Block]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        for i in &b.inlines {
            if let Inline::NoteCall { n } = i {
                out.push((*n, bi as u32));
            }
        }
    }
    out
}

/// As [`build_notes`], with the call positions given (`(n, block)`) and
/// calls standing outside the body (on the editorial date) listed apart.
pub fn build_notes_with_calls(
    raw: &[RawNote],
    call_at: &[(u32, u32)],
    outside_calls: &[u32],
    doc_id: &str,
    source: &str,
    findings: &mut Vec<Finding>,
    ctx: &mut RefContext,
) -> Vec<Note> {
    // `Ibid.` before this document cites anything of its own repeats the
    // last reference of the text before it (the previous letter's notes):
    // resolved, and listed for the editor to confirm.
    let mut own_ref_seen = false;
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let body = r
            .paras
            .iter()
            .map(|p| {
                let t = text::strip_markup(p);
                t.trim().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        // Drop the leading number: the note's text starts after `N. `.
        let prefix = format!("{}.", r.n);
        let body = body
            .strip_prefix(&prefix)
            .map(|s| s.trim_start().to_string())
            .unwrap_or(body);
        let scan = refs::scan_archival_refs(&body, ctx);
        for a in &scan.refs {
            if a.ibid && !own_ref_seen {
                findings.push(Finding {
                    kind: FindingKind::Other,
                    source: source.to_string(),
                    line: r.line,
                    document: Some(doc_id.to_string()),
                    message: format!(
                        "note {}: \"{}\" repeats a reference made before this document; read as {}",
                        r.n,
                        a.text,
                        a.normalized()
                    ),
                });
            }
            if !a.ibid {
                own_ref_seen = true;
            }
        }
        for ib in &scan.unresolved_ibid {
            findings.push(Finding {
                kind: FindingKind::UnresolvedIbid,
                source: source.to_string(),
                line: r.line,
                document: Some(doc_id.to_string()),
                message: format!("note {}: \"{ib}\" has no earlier reference to repeat", r.n),
            });
        }
        let call = call_at.iter().find(|c| c.0 == r.n);
        let (form, block) = match call {
            Some((_, b)) => (CallForm::Superscript, Some(*b)),
            None if outside_calls.contains(&r.n) => (CallForm::Superscript, None),
            None => {
                findings.push(Finding {
                    kind: FindingKind::NoteWithoutCall,
                    source: source.to_string(),
                    line: r.line,
                    document: Some(doc_id.to_string()),
                    message: format!("note {} has no call in the text (lost in conversion)", r.n),
                });
                (CallForm::Lost, None)
            }
        };
        if r.relocated {
            findings.push(Finding {
                kind: FindingKind::RepairedPageBreak,
                source: source.to_string(),
                line: r.line,
                document: Some(doc_id.to_string()),
                message: format!(
                    "note {} stood inside the text (page break) and was put back with the notes",
                    r.n
                ),
            });
        }
        out.push(Note {
            n: r.n,
            call: form,
            call_block: block,
            by: refs::note_author(&body),
            archival_refs: scan.refs,
            cross_refs: refs::scan_cross_refs(&body),
            special_file: refs::mentions_special_file(&body),
            relocated: r.relocated,
            line: r.line,
            text: body,
        });
    }
    let have: BTreeSet<u32> = raw.iter().map(|r| r.n).collect();
    let mut reported = BTreeSet::new();
    for (n, _) in call_at.iter().chain(
        outside_calls
            .iter()
            .map(|n| (*n, 0))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        if !have.contains(n) && reported.insert(*n) {
            findings.push(Finding {
                kind: FindingKind::CallWithoutNote,
                source: source.to_string(),
                line: raw.first().map(|r| r.line).unwrap_or(0),
                document: Some(doc_id.to_string()),
                message: format!("call {n} has no note"),
            });
        }
    }
    out
}

static MARGINAL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "Molotov's notation: "1925=?"", "Molotov's notation on this letter is: "…""
        r#"(?P<who>[A-Z][a-z]+)'s\s+(?:notation|note|comment|resolution|inscription)(?:\s+on this letter)?(?:\s+is)?:\s*["“](?P<text>[^"”]+)["”]"#,
        // "a notation by Molotov: "…"", "a comment by Bukharin, "…""
        r#"(?:notation|comment|note|inscription|resolution)\s+by\s+(?P<who>[A-Z][a-z]+)[:,]?\s*["“](?P<text>[^"”]+)["”]"#,
        // "in Bukharin's hand, is: "…""
        r#"in\s+(?P<who>[A-Z][a-z]+)'s\s+hand,?\s*(?:is|are|reads)?:?\s*["“](?P<text>[^"”]+)["”]"#,
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(upper|lower) (right|left)-hand corner|on the back|in the margins?|at the top|at the bottom")
        .expect("static regex")
});

/// Other readers' marks that the notes report, with who made them and
/// where on the sheet.
pub fn marginalia(notes: &[Note]) -> Vec<Marginal> {
    let mut out = Vec::new();
    for n in notes {
        // Every mark the note reports, in the order it reports them.
        let mut found: Vec<(usize, usize, String, String)> = Vec::new();
        for re in MARGINAL.iter() {
            for c in re.captures_iter(&n.text) {
                let (Some(who), Some(text), Some(whole)) =
                    (c.name("who"), c.name("text"), c.get(0))
                else {
                    continue;
                };
                found.push((
                    whole.start(),
                    whole.end(),
                    who.as_str().to_string(),
                    text.as_str().trim().to_string(),
                ));
            }
        }
        found.sort();
        let mut prev_end = 0;
        for (start, end, by, text) in found {
            if start < prev_end {
                continue;
            }
            // The place is the last one named between the previous mark
            // and the end of this one.
            let place = PLACE
                .find_iter(&n.text[prev_end..end])
                .last()
                .map(|m| m.as_str().to_lowercase());
            prev_end = end;
            let m = Marginal {
                by,
                text,
                place,
                note: n.n,
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(src: &str) -> Vec<Para> {
        let lines: Vec<&str> = src.lines().collect();
        text::paragraphs(&lines, 0, lines.len())
    }

    #[test]
    fn a_note_dropped_by_a_page_break_goes_back_and_the_sentence_rejoins() {
        let p = paras(
            "Acted alone.<sup>1</sup> Nevertheless,\n\n1. Ibid., f. 325, op. 1, d. 418.\n\nas can be seen, he was.",
        );
        let s = split_editorial(&p);
        assert_eq!(s.notes.len(), 1);
        assert!(s.notes[0].relocated);
        assert_eq!(s.body.len(), 1);
        assert!(!s.body[0].text.contains("Ibid"));
    }

    #[test]
    fn numbered_points_with_calls_are_not_notes() {
        let p = paras(
            "Dear Viacheslav,<sup>1</sup>\n\n1. I received the resolution.<sup>2</sup>\n\n2. No objections.\n\nJ. Stalin\n\n1. On the back is Bukharin's note.\n\n2. Approved on 24 June.",
        );
        let start = notes_start(&p, Some(3));
        assert_eq!(start, 4);
        let s = split_letter(&p, start);
        assert_eq!(s.body.len(), 4);
        assert_eq!(s.notes.iter().map(|n| n.n).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn a_note_quoting_numbered_points_keeps_them() {
        let p = paras(
            "Text.<sup>1</sup> More.<sup>2</sup>\n\nJ. Stalin\n\n1. The decree said:\n\n1. To do this.\n\n2. To do that.\n\n2. No evidence.",
        );
        let start = notes_start(&p, Some(1));
        let s = split_letter(&p, start);
        assert_eq!(s.notes.len(), 2);
        assert_eq!(s.notes[0].paras.len(), 3);
    }

    #[test]
    fn quoted_lists_that_restart_and_skip_do_not_steal_note_numbers() {
        let p = paras(
            "A.<sup>1</sup> B.<sup>2</sup> C.<sup>3</sup>\n\nJ. Stalin\n\n1. Notation.\n\n2. The decree:\n\n1. Provide aid.\n\n2. Implement.\n\nThe committees:\n\n1. Investigate.\n\n3. Eliminate.\n\n4. Require.\n\n3. See note 4 to letter 74.",
        );
        let start = notes_start(&p, Some(1));
        let s = split_letter(&p, start);
        assert_eq!(
            s.notes.iter().map(|n| n.n).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert!(s.notes[2].paras[0].contains("letter 74"));
    }

    #[test]
    fn signatures() {
        assert!(is_signature_line("J. Stalin.<sup>12</sup>"));
        assert!(is_signature_line("[J. Stalin]"));
        assert!(!is_signature_line("Andreev\tMolotov"));
    }

    #[test]
    fn readers_marks_with_their_place() {
        let note = Note {
            n: 1,
            call: CallForm::Superscript,
            call_block: None,
            text: "In the upper right-hand corner there is a notation by Molotov: \"1925=?\" In the upper left-hand corner there is a comment by Bukharin, \"I agree.\" On the back, in Rykov's hand, is: \"Read.\"".into(),
            by: fond_model::NoteAuthor::editors(),
            archival_refs: vec![],
            cross_refs: vec![],
            special_file: false,
            relocated: false,
            line: 1,
        };
        let m = marginalia(&[note]);
        let got: Vec<(&str, &str, Option<&str>)> = m
            .iter()
            .map(|m| (m.by.as_str(), m.text.as_str(), m.place.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Molotov", "1925=?", Some("upper right-hand corner")),
                ("Bukharin", "I agree.", Some("upper left-hand corner")),
                ("Rykov", "Read.", Some("on the back")),
            ]
        );
    }
}
