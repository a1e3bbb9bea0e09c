//! Letters in plain text or Markdown, from any edition: structure recovery
//! that does not depend on one edition's layout.
//!
//! The reader works in passes over the whole file, each linear in its
//! length:
//!
//! 1. **Frame.** A digital library's own header and licence (Project
//!    Gutenberg's `*** START OF … ***` / `*** END OF …`) are not the
//!    edition; the title and author lines of the header name the
//!    collection.
//! 2. **Cues.** Every paragraph start is tested for the cues editions use
//!    to open a letter (`cues.rs`): a numbered marker in any style, an
//!    editorial heading naming the parties in capitals, a heading ending in
//!    a colon (`To X, in Y:`), a line naming only the addressee.
//! 3. **Boundaries, weighed together.** Numbered markers count only as a
//!    sequence: the longest run whose numbers climb by one (gaps of one or
//!    two allowed) is the edition's numbering, which rules out page
//!    numbers, points and years. Markers standing densely (every line or
//!    two) are a table of contents, reported and never read as letters.
//!    Party headings are the boundaries of editions without numbers; in a
//!    numbered edition they are the heading of the number they follow.
//!    Section titles (`CHAPTER IV.`, `INDEX`, `FOOTNOTES:`, `Anhang`)
//!    end a run of letters; in a stretch without markers, letters signed
//!    and then followed by a new dateline or salutation are split there.
//! 4. **Letters.** Each span is read into heading, dateline (before or
//!    after the text, or in the heading), salutation (alone or run into the
//!    first line), body, closing, signature and postscripts; editorial
//!    narrative after the signature (a bracketed or indented commentary) is
//!    given back to the editors' text. Footnotes in blocks
//!    (`[Footnote 3: …]`), inline (`--[…]`) or gathered at the end of the
//!    book with global numbers are attached to the letter whose call they
//!    answer.
//! 5. **Nothing lost.** Every line outside a letter goes into an editorial
//!    text document, and every heading-like line that was not used is a
//!    finding.
//!
//! Sender and addressee come from the heading, else from the collection
//! (a volume of one person's letters says who wrote them: the title
//! `Letters of John Keats`, `Briefe von Goethe an Lavater`), else stay
//! empty. Dates are read by `datefind.rs`; two-digit years take the
//! collection's century. What an edition knows that its text does not say
//! (calendar, century, who wrote unattributed notes) comes from its
//! profile.

pub mod cues;
pub mod datefind;

use crate::text::{self, Para};
use crate::{Parsed, ReadContext};
use datefind::DateContext;
use fond_model::{
    Block, BlockKind, CallForm, DocDate, DocKind, Document, Finding, FindingKind, Inline, Note,
    NoteAuthor, NoteRole, Witness,
};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// How well a text fits this reader: how many letters it would find, and
/// what it lacks.
#[derive(Debug, Clone)]
pub struct Fit {
    pub letters: usize,
    pub why: String,
}

/// What the edition says of itself, and what a profile adds.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub collection: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub recipient: Option<String>,
    pub note_author: Option<String>,
    pub calendar: Option<String>,
    pub century: Option<i32>,
}

impl Hints {
    /// What a profile tells the reader.
    pub fn from_profile(p: &crate::profile::Profile) -> Hints {
        Hints {
            collection: p.collection.clone(),
            title: p.title.clone(),
            author: p.author.clone(),
            recipient: p.recipient.clone(),
            note_author: p.editors.clone(),
            calendar: p.calendar.clone(),
            century: p.century,
        }
    }
}

/// One line with what the passes need of it.
struct Line<'a> {
    raw: &'a str,
    indent: usize,
    blank: bool,
}

/// A letter's opening, found by the cues.
#[derive(Debug, Clone)]
struct Boundary {
    /// 0-based line of the first heading line.
    line: usize,
    /// Lines of the heading (number, party heading), exclusive end.
    heading_end: usize,
    number: Option<u32>,
    title: String,
    from: Option<String>,
    to: Option<String>,
    /// A date printed in the heading.
    heading_date: Option<String>,
}

struct Analysis<'a> {
    lines: Vec<Line<'a>>,
    /// The same lines as plain strings, for the paragraph splitter.
    raw: Vec<&'a str>,
    /// The edition's own text, without a library's header and licence.
    start: usize,
    end: usize,
    boundaries: Vec<Boundary>,
    /// Lines that end a run of letters (section titles).
    breaks: Vec<usize>,
    /// Lines of tables of contents: (first, last, entries).
    tocs: Vec<(usize, usize, usize)>,
    /// Numbered markers outside the chosen sequence.
    stray: Vec<(usize, String)>,
    /// Lines that are a printed page's furniture, not text: page numbers
    /// standing alone, and running heads (a short line repeated five times
    /// or more, each time interrupting running text).
    noise: std::collections::HashSet<usize>,
    header_title: Option<String>,
    header_author: Option<String>,
}

static START_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*{3}\s*start of (?:this|the) project gutenberg").expect("static regex")
});
static END_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\*{3}\s*end of (?:this|the) project gutenberg|end of (?:the )?project gutenberg)")
        .expect("static regex")
});

fn analyse(text: &str) -> Analysis<'_> {
    let lines: Vec<Line<'_>> = text
        .lines()
        .map(|raw| {
            let indent = raw
                .chars()
                .take_while(|c| c.is_whitespace())
                .map(|c| if c == '\t' { 8 } else { 1 })
                .sum();
            Line {
                raw,
                indent,
                blank: raw.trim().is_empty(),
            }
        })
        .collect();
    let Frame {
        start,
        end,
        header_title,
        header_author,
    } = frame(&lines);
    let t = Paragraphs {
        lines: &lines,
        start,
        end,
    };
    let Markers {
        numbered,
        breaks,
        tocs,
        in_toc,
    } = markers(&t);
    let (chain, stray) = numbering(&numbered, &in_toc);
    let mut party = party_headings(&t);
    let use_numbers = chain.len() >= 3 && chain.len() * 3 >= party.len();
    let mut boundaries = Vec::new();
    if use_numbers {
        boundaries = numbered_boundaries(&t, &numbered, &chain);
    } else if party.len() >= 2 {
        boundaries = std::mem::take(&mut party);
    }
    // A file of one letter (a web page, a single transcription): no
    // sequence of markers, but an opening and a closing a letter has.
    if boundaries.is_empty() {
        if let Some(b) = single_letter(&lines, start, end, party.first()) {
            boundaries.push(b);
        }
    }
    // Drop section breaks that stand inside a heading.
    let noise = page_furniture(&lines, start, end);
    let raw = lines.iter().map(|l| l.raw).collect();
    Analysis {
        noise,
        lines,
        raw,
        start,
        end,
        boundaries,
        breaks,
        tocs,
        stray,
        header_title,
        header_author,
    }
}

/// Where the text proper lies: a digital library's frame (its header, with
/// title and author, up to the START mark; its licence from the END mark)
/// left out.
struct Frame {
    start: usize,
    end: usize,
    header_title: Option<String>,
    header_author: Option<String>,
}

fn frame(lines: &[Line<'_>]) -> Frame {
    let mut start = 0;
    let mut end = lines.len();
    let mut header_title = None;
    let mut header_author = None;
    if let Some(s) = lines
        .iter()
        .take(400)
        .position(|l| START_MARK.is_match(l.raw))
    {
        for l in &lines[..s] {
            let t = l.raw.trim();
            if let Some(v) = t.strip_prefix("Title:") {
                header_title = Some(v.trim().to_string());
            } else if let Some(v) = t.strip_prefix("Author:") {
                header_author = Some(v.trim().to_string());
            }
        }
        // The START line may wrap onto a second line ending in `***`.
        start = s + 1;
        if !lines[s].raw.trim_end().ends_with("***") {
            if let Some(k) = lines[start..]
                .iter()
                .take(3)
                .position(|l| l.raw.trim_end().ends_with("***"))
            {
                start += k + 1;
            }
        }
    }
    if let Some(e) = lines[start..].iter().position(|l| END_MARK.is_match(l.raw)) {
        end = start + e;
    }
    Frame {
        start,
        end,
        header_title,
        header_author,
    }
}

/// The lines between the frame's marks, and the paragraph tests the
/// analysis asks of them.
struct Paragraphs<'l, 'a> {
    lines: &'l [Line<'a>],
    start: usize,
    end: usize,
}

impl Paragraphs<'_, '_> {
    fn para_start(&self, i: usize) -> bool {
        !self.lines[i].blank && (i == self.start || self.lines[i - 1].blank)
    }

    /// A paragraph of one line.
    fn alone(&self, i: usize) -> bool {
        self.para_start(i) && self.lines.get(i + 1).is_none_or(|l| l.blank)
    }

    fn para_len(&self, i: usize) -> usize {
        self.lines[i..self.end]
            .iter()
            .take_while(|l| !l.blank)
            .count()
    }

    /// The first `max` lines of the paragraph at `i`, joined.
    fn head_of(&self, i: usize, max: usize) -> String {
        let n = self.para_len(i).min(max);
        self.lines[i..i + n]
            .iter()
            .map(|l| l.raw.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Numbered markers, section breaks and tables of contents.
struct Markers {
    numbered: Vec<(usize, cues::Numbered)>,
    breaks: Vec<usize>,
    /// (first line, last line, entries).
    tocs: Vec<(usize, usize, usize)>,
    /// Per numbered marker: whether it stands in a table of contents.
    in_toc: Vec<bool>,
}

/// Numbered markers, and section titles. A long paragraph of numbered
/// lines is a table of contents, and so are markers standing every line
/// or two.
fn markers(t: &Paragraphs<'_, '_>) -> Markers {
    let mut numbered: Vec<(usize, cues::Numbered)> = Vec::new();
    let mut breaks = Vec::new();
    let mut tocs = Vec::new();
    for i in t.start..t.end {
        if !t.para_start(i) {
            continue;
        }
        if (cues::markdown_heading(t.lines[i].raw)
            || (t.para_len(i) <= 6 && cues::section_title(t.lines[i].raw)))
            && cues::numbered(t.lines[i].raw, false).is_none()
        {
            breaks.push(i);
        }
        if t.para_len(i) > 3 {
            let n = t.para_len(i);
            let entries = t.lines[i..i + n]
                .iter()
                .filter(|l| cues::numbered(l.raw, false).is_some_and(|m| m.rest.is_some()))
                .count();
            if entries >= 4 && entries * 2 >= n {
                tocs.push((i, i + n - 1, entries));
            }
            continue;
        }
        if let Some(n) = cues::numbered(t.lines[i].raw, t.alone(i)) {
            numbered.push((i, n));
        }
    }
    // Tables of contents: markers standing every line or two.
    let mut in_toc = vec![false; numbered.len()];
    let mut k = 0;
    while k < numbered.len() {
        let mut j = k;
        while j + 1 < numbered.len() && numbered[j + 1].0 - numbered[j].0 <= 3 {
            j += 1;
        }
        if j - k + 1 >= 4 {
            for flag in &mut in_toc[k..=j] {
                *flag = true;
            }
            tocs.push((numbered[k].0, numbered[j].0, j - k + 1));
        }
        k = j + 1;
    }
    Markers {
        numbered,
        breaks,
        tocs,
        in_toc,
    }
}

/// The edition's numbering: per style (the word before the number, and
/// Roman or Arabic), the longest sequence climbing by one to three; the
/// markers outside it are stray (when there is a sequence).
fn numbering(
    numbered: &[(usize, cues::Numbered)],
    in_toc: &[bool],
) -> (Vec<usize>, Vec<(usize, String)>) {
    let mut styles: HashMap<(String, bool), Vec<usize>> = HashMap::new();
    for (idx, (_, n)) in numbered.iter().enumerate() {
        if !in_toc[idx] {
            styles
                .entry((n.word.clone(), n.roman))
                .or_default()
                .push(idx);
        }
    }
    let mut chain: Vec<usize> = Vec::new();
    let mut style_keys: Vec<&(String, bool)> = styles.keys().collect();
    style_keys.sort();
    for key in style_keys {
        let members = &styles[key];
        let c = longest_sequence(members, |idx| numbered[idx].1.number);
        if c.len() > chain.len() {
            chain = c;
        }
    }
    let in_chain: std::collections::HashSet<usize> = chain.iter().copied().collect();
    let mut stray = Vec::new();
    for (idx, (line, n)) in numbered.iter().enumerate() {
        if !in_toc[idx] && !in_chain.contains(&idx) && chain.len() >= 3 {
            stray.push((
                *line,
                format!("numbered line {} not in the edition's sequence", n.number),
            ));
        }
    }

    (chain, stray)
}

/// Party headings: a colon heading, a heading in capitals that names its
/// sender, or a running-case heading a date or a salutation confirms.
fn party_headings(t: &Paragraphs<'_, '_>) -> Vec<Boundary> {
    let mut party: Vec<Boundary> = Vec::new();
    for i in t.start..t.end {
        if !t.para_start(i) {
            continue;
        }
        // A colon heading is a short paragraph of its own; a heading in
        // capitals may run on into an editorial remark in the same
        // paragraph, so only its first lines are read.
        let colon = if t.para_len(i) <= 4 && t.lines[i].indent < 4 {
            cues::colon_heading(&t.head_of(i, 4))
        } else {
            None
        };
        let heading = colon
            .or_else(|| {
                // A capitals heading that names no sender needs the number
                // before it; alone it is an address line.
                cues::caps_heading(&t.head_of(i, 2)).filter(|h| h.from.is_some() || h.extract)
            })
            .or_else(|| {
                // A running-case heading counts when a date confirms it, in
                // the heading or on the next paragraph, or a salutation.
                let h = cues::editorial_heading(t.lines[i].raw).filter(|_| t.para_len(i) <= 2)?;
                let dated = datefind::find(&h.rest, &DateContext::default())
                    .is_some_and(|f| f.year_printed);
                let next = (i + t.para_len(i)..t.end).find(|&j| !t.lines[j].blank);
                let confirmed = dated
                    || next.is_some_and(|j| {
                        let t = t.lines[j].raw.trim();
                        cues::salutation(t)
                            || datefind::find(t, &DateContext::default()).is_some_and(|f| {
                                t.chars().count() <= 80 && datefind::words_besides(t, &f) <= 2
                            })
                    });
                confirmed.then_some(h)
            });
        let head: String = short_title(&t.head_of(i, 2));
        if let Some(h) = heading {
            party.push(Boundary {
                line: i,
                heading_end: i + t.para_len(i),
                number: None,
                title: head.clone(),
                from: h.from,
                to: Some(h.to).filter(|t| !t.is_empty()),
                heading_date: Some(h.rest).filter(|r| !r.is_empty()),
            });
        }
    }

    party
}

/// The boundaries of the numbered letters, each with the heading lines
/// right after its number (`TO STEINER & CO.`, `An Lavatern.`, a colon
/// heading).
fn numbered_boundaries(
    t: &Paragraphs<'_, '_>,
    numbered: &[(usize, cues::Numbered)],
    chain: &[usize],
) -> Vec<Boundary> {
    let mut boundaries = Vec::new();
    for &idx in chain {
        let (line, n) = &numbered[idx];
        let mut b = Boundary {
            line: *line,
            heading_end: line + t.para_len(*line),
            number: Some(n.number),
            title: t.lines[*line].raw.trim().to_string(),
            from: None,
            to: None,
            heading_date: None,
        };
        if let Some(rest) = &n.rest {
            read_heading_text(rest, &mut b);
        }
        // Heading lines right after the number: `TO STEINER & CO.`,
        // `An Lavatern.`, a colon heading.
        let mut j = b.heading_end;
        let mut looked = 0;
        while j < t.end && looked < 2 {
            if t.lines[j].blank {
                j += 1;
                continue;
            }
            looked += 1;
            let head = t.head_of(j, 4);
            if t.para_len(j) <= 3
                && (cues::caps_heading(&head).is_some()
                    || cues::address_line(&head).is_some()
                    || cues::colon_heading(&head).is_some())
            {
                read_heading_text(&head, &mut b);
                b.title = format!("{} {}", b.title, head);
                b.heading_end = j + t.para_len(j);
                break;
            }
            j += t.para_len(j);
        }
        boundaries.push(b);
    }
    boundaries
}

/// A heading's short form for titles: up to the end of its first
/// sentence-like part, at most 120 characters.
fn short_title(head: &str) -> String {
    let cut = PAREN_OPEN.find(head).map_or(head.len(), |m| m.start());
    let t = head[..cut].trim();
    let t: String = t.chars().take(120).collect();
    t.trim_end_matches([',', ';']).trim().to_string()
}

static PAREN_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\([^()]*\)").expect("static regex"));
static PAREN_OPEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s\((?:\p{Lu}|\d)").expect("static regex"));

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?\s*$").expect("static regex")
});

/// Page numbers standing alone, and running heads: a short line that
/// recurs five times or more, each time alone between blank lines and
/// after text that has not ended its sentence (a page break inside running
/// text). Signatures recur too, but end their letter's text.
fn page_furniture(
    lines: &[Line<'_>],
    start: usize,
    end: usize,
) -> std::collections::HashSet<usize> {
    let mut noise = std::collections::HashSet::new();
    let alone = |i: usize| {
        !lines[i].blank
            && (i == start || lines[i - 1].blank)
            && lines.get(i + 1).is_none_or(|l| l.blank)
    };
    let prev_text = |i: usize| {
        lines[start..i]
            .iter()
            .rev()
            .find(|l| !l.blank)
            .map(|l| l.raw.trim())
    };
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        if !alone(i) {
            continue;
        }
        let t = line.raw.trim();
        if PAGE_NUMBER.is_match(t) {
            noise.insert(i);
        } else if t.chars().count() <= 60
            && t.split_whitespace().count() <= 8
            && !t.chars().next().is_some_and(char::is_lowercase)
        {
            // A running head is a title: short, not a sentence's middle.
            seen.entry(t).or_default().push(i);
        }
    }
    for (_, at) in seen {
        if at.len() < 5 {
            continue;
        }
        let interrupting = at
            .iter()
            .filter(|&&i| prev_text(i).is_some_and(|p| !text::ends_sentence(p)))
            .count();
        if interrupting * 2 >= at.len() {
            noise.extend(at);
        }
    }
    noise
}

/// One letter in the whole file: an opening (a salutation, or a dateline
/// with its year) among the first paragraphs and a closing (a signature or
/// a closing formula) among the last. The letter starts at its heading if
/// it has one (a party heading, or a short title line just before the
/// opening), else at the opening; what comes before is the editors' text.
fn single_letter(
    lines: &[Line<'_>],
    start: usize,
    end: usize,
    heading: Option<&Boundary>,
) -> Option<Boundary> {
    let mut paras: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    while i < end {
        if lines[i].blank {
            i += 1;
            continue;
        }
        let s0 = i;
        while i < end && !lines[i].blank {
            i += 1;
        }
        paras.push((s0, i));
    }
    let head = |(a, b): (usize, usize)| {
        lines[a..b]
            .iter()
            .map(|l| l.raw.trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let dctx = DateContext::default();
    let opening = paras.iter().take(15).position(|&p| {
        let t = head(p);
        p.1 - p.0 <= 3
            && (cues::salutation(&t)
                || cues::run_in_salutation(&t).is_some()
                || datefind::find(&t, &dctx).is_some_and(|f| {
                    f.year_printed
                        && t.chars().count() <= 100
                        && datefind::words_besides(&t, &f) <= 3
                }))
    })?;
    let closed = paras.iter().rev().take(10).any(|&(a, b)| {
        b - a <= 2
            && lines[a..b].iter().any(|l| {
                (cues::signature(l.raw, l.indent)
                    && (l.indent >= 20
                        || l.raw.trim().starts_with('_')
                        || l.raw
                            .trim()
                            .chars()
                            .filter(|c| c.is_alphabetic())
                            .all(char::is_uppercase)))
                    || cues::signed_closing(l.raw)
                    || cues::closing(l.raw)
            })
    });
    if !closed {
        return None;
    }
    if let Some(h) = heading.filter(|h| h.line <= paras[opening].0) {
        return Some(h.clone());
    }
    // A short title line just before the opening is the letter's heading.
    let (line, heading_end, title) = match opening.checked_sub(1).map(|k| paras[k]) {
        Some(p) if p.1 - p.0 == 1 && head(p).chars().count() <= 120 => (p.0, p.1, head(p)),
        _ => (paras[opening].0, paras[opening].0, String::new()),
    };
    let mut b = Boundary {
        line,
        heading_end,
        number: None,
        title: title.clone(),
        from: None,
        to: None,
        heading_date: None,
    };
    if !title.is_empty() {
        read_heading_text(&title, &mut b);
    }
    Some(b)
}

/// Reads the parties and date out of heading text (after the number).
fn read_heading_text(text: &str, b: &mut Boundary) {
    if let Some(h) = cues::colon_heading(text)
        .or_else(|| cues::caps_heading(text))
        .or_else(|| cues::editorial_heading(text))
    {
        if b.from.is_none() {
            b.from = h.from;
        }
        if b.to.is_none() && !h.to.is_empty() {
            b.to = Some(h.to);
        }
        if b.heading_date.is_none() && !h.rest.is_empty() {
            b.heading_date = Some(h.rest);
        }
    } else if let Some(to) = cues::address_line(text) {
        if b.to.is_none() {
            b.to = Some(to);
        }
    }
}

/// The longest subsequence (in file order) whose numbers climb by one,
/// allowing gaps of up to two missing numbers. Linear in the members.
fn longest_sequence(members: &[usize], number: impl Fn(usize) -> u32) -> Vec<usize> {
    // best[n] = (length, position in members) of the best chain ending with
    // number n so far.
    let mut best: HashMap<u32, (usize, usize)> = HashMap::new();
    let mut prev: Vec<Option<usize>> = vec![None; members.len()];
    let mut len: Vec<usize> = vec![1; members.len()];
    for (p, &m) in members.iter().enumerate() {
        let n = number(m);
        let mut pick: Option<(usize, usize)> = None;
        for gap in 1..=3u32 {
            if let Some(&(l, q)) = n.checked_sub(gap).and_then(|k| best.get(&k)) {
                // A step of one is worth more than a gap.
                let score = l * 4 - (gap as usize - 1);
                if pick.is_none_or(|(s, _)| score > s) {
                    pick = Some((score, q));
                }
            }
        }
        if let Some((_, q)) = pick {
            prev[p] = Some(q);
            len[p] = len[q] + 1;
        }
        let entry = best.entry(n).or_insert((0, p));
        if len[p] >= entry.0 {
            *entry = (len[p], p);
        }
    }
    let Some((mut p, _)) = len
        .iter()
        .enumerate()
        .max_by_key(|(i, l)| (**l, usize::MAX - i))
    else {
        return Vec::new();
    };
    let mut out = vec![members[p]];
    while let Some(q) = prev[p] {
        out.push(members[q]);
        p = q;
    }
    out.reverse();
    out
}

/// How well a text fits: the letters the cues find.
pub fn fit(text: &str) -> Fit {
    let a = analyse(text);
    let n = a.boundaries.len();
    let why = if n == 0 {
        "no numbered sequence of letters and no headings naming the parties".to_string()
    } else {
        format!("{n} letters by their headings")
    };
    Fit { letters: n, why }
}

static TITLE_FORMS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)^(?:the\s+)?(?:life\s+and\s+)?letters\s+of\s+(?P<a>[^,(]+?)(?:\s+to\s+(?P<r>[^,(]+?))?(?:,|\s+vol|\s+\(|\s+\d|$)",
        r"(?i)^(?P<a>[^,(]+?)['’]s\s+letters(?:\s+to\s+(?P<r>[^,(]+?))?(?:,|\s+vol|\s+\(|\s+\d|$)",
        r"(?i)^briefe\s+(?:von\s+)?(?P<a>[^,(]+?)\s+an\s+(?P<r>[^,(]+?)(?:,|\s+aus|\s+\(|\s+\d|$)",
        r"(?i)^(?P<a>[^,(]+?)s?\s+briefe(?:\s+an\s+(?P<r>[^,(]+?))?(?:,|\s+\(|\s+\d|$)",
        r"(?i)^(?:les\s+)?lettres\s+(?:de\s+)?(?P<a>[^,(]+?)(?:\s+à\s+(?P<r>[^,(]+?))?(?:,|\s+\(|\s+\d|$)",
        r"(?i)^письма\s+(?P<a>[^,(]+?)(?:\s+к\s+(?P<r>[^,(]+?))?(?:,|\s+\(|\s+\d|$)",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("static regex"))
    .collect()
});

/// Who wrote and who received a collection's letters, as its title says.
fn title_parties(title: &str) -> (Option<String>, Option<String>) {
    let is_name = |s: &str| {
        let s = s.trim();
        let first = s.split_whitespace().next().unwrap_or("");
        !s.is_empty()
            && s.chars().next().is_some_and(char::is_uppercase)
            && !matches!(
                first.to_lowercase().as_str(),
                "his"
                    | "her"
                    | "their"
                    | "various"
                    | "seine"
                    | "ihre"
                    | "ses"
                    | "sa"
                    | "the"
                    | "a"
                    | "an"
            )
    };
    for re in TITLE_FORMS.iter() {
        if let Some(c) = re.captures(title.trim()) {
            let a = c
                .name("a")
                .map(|m| m.as_str().trim().to_string())
                .filter(|s| is_name(s));
            let r = c
                .name("r")
                .map(|m| m.as_str().trim().to_string())
                .filter(|s| is_name(s));
            if a.is_some() {
                return (a, r);
            }
        }
    }
    (None, None)
}

/// What the reader infers of a collection, for `fond profile`.
#[derive(Debug, Clone, Default)]
pub struct Inferred {
    pub title: String,
    pub collection: String,
    pub author: Option<String>,
    pub recipient: Option<String>,
    pub century: Option<i32>,
    pub letters: usize,
    pub tables_of_contents: usize,
}

/// Infers a collection's profile values from its text.
pub fn infer(ctx: &ReadContext<'_>) -> Inferred {
    let a = analyse(ctx.text);
    let (title, author, recipient, collection) = identity(&a, ctx, &Hints::default());
    Inferred {
        title,
        collection,
        author,
        recipient,
        century: median_year(&a).map(|y| y.div_euclid(100) * 100),
        letters: a.boundaries.len(),
        tables_of_contents: a.tocs.len(),
    }
}

/// The collection's title, writer, recipient and id: the profile's, else
/// the library header's and the title's.
fn identity(
    a: &Analysis<'_>,
    ctx: &ReadContext<'_>,
    hints: &Hints,
) -> (String, Option<String>, Option<String>, String) {
    let title = hints
        .title
        .clone()
        .or_else(|| a.header_title.clone())
        .or_else(|| {
            a.lines[a.start..a.end]
                .iter()
                .find(|l| !l.blank)
                .map(|l| cues::bare(l.raw).to_string())
        })
        .unwrap_or_else(|| ctx.name.to_string());
    let (t_author, t_recipient) = title_parties(&title);
    // The library's author line names the writer more fully ("Mark Twain
    // (Samuel Clemens)") when it names the title's writer; otherwise it may
    // be the translator or editor, and the title is believed.
    let author = hints
        .author
        .clone()
        .or_else(|| match (&t_author, &a.header_author) {
            (Some(t), Some(h)) if h.to_lowercase().contains(&t.to_lowercase()) => Some(h.clone()),
            (Some(t), _) => Some(t.clone()),
            (None, h) => h.clone(),
        });
    let recipient = hints.recipient.clone().or(t_recipient);
    let collection = ctx.collection_for(
        &hints
            .collection
            .clone()
            .unwrap_or_else(|| fond_text::slug_ascii(&title)),
    );
    (title, author, recipient, collection)
}

/// Reads a plain-text edition of letters.
pub fn read(ctx: &ReadContext<'_>, hints: &Hints) -> Parsed {
    let a = analyse(ctx.text);
    let mut parsed = Parsed::default();
    let (title, author, recipient, collection) = identity(&a, ctx, hints);
    parsed.title = title;
    let source = ctx.name.to_string();
    // Unsigned notes are the edition's editors', named where the profile
    // names them.
    let note_author = NoteAuthor::new(
        NoteRole::Editors,
        hints.note_author.clone().unwrap_or_default(),
    );
    parsed.findings.extend(layout_findings(&a, &source));
    let reference_year = hints.century.map(|c| c + 50).or_else(|| median_year(&a));
    let mut spans = letter_spans(&a);
    split_signed_runs(&a, &mut spans, reference_year);
    // Endnotes: a notes section at the back, with global numbers.
    let endnotes = endnotes(&a, &spans);
    let gathered: HashSet<u32> = endnotes.keys().filter_map(|k| k.parse().ok()).collect();
    let mut prev_year: Option<i32> = None;
    let mut unnumbered_k = 0;
    let mut covered_to = a.start;
    let mut used_endnotes: std::collections::HashSet<String> = Default::default();
    let mut docs = InOrder {
        a: &a,
        collection: &collection,
        source: &source,
        docs: Vec::new(),
        order: 0,
        editorial_k: 0,
    };
    let mut letter_ids: Vec<(usize, usize, String)> = Vec::new();
    for span in &spans {
        if span.first > covered_to {
            docs.editorial(covered_to, span.first);
        }
        let dctx = DateContext {
            default_year: prev_year,
            reference_year,
            calendar: hints.calendar.clone(),
        };
        let mut letter = read_letter(
            &a,
            span,
            &dctx,
            &note_author,
            &gathered,
            &mut parsed.findings,
            &source,
        );
        if let Some(y) = letter.doc.date.interval.as_ref().and_then(|d| d.year()) {
            prev_year = Some(y);
        }
        attach_endnotes(&mut letter.doc, &endnotes, &mut used_endnotes, &note_author);
        for n in missing_notes(&letter.doc) {
            parsed.findings.push(Finding {
                kind: FindingKind::CallWithoutNote,
                source: source.clone(),
                line: span.first as u32 + 1,
                document: None,
                message: format!("note call [{n}] has no note"),
            });
        }
        let d = &mut letter.doc;
        d.collection = collection.clone();
        d.id = match d.number {
            Some(n) => format!("{collection}/{n}"),
            None => {
                unnumbered_k += 1;
                format!("{collection}/u{unnumbered_k}")
            }
        };
        default_parties(d, author.as_deref(), recipient.as_deref());
        if d.date.interval.is_none() {
            parsed.findings.push(Finding {
                kind: FindingKind::NoDate,
                source: source.clone(),
                line: span.first as u32 + 1,
                document: Some(d.id.clone()),
                message: "no date found in the heading or a dateline".into(),
            });
        }
        letter_ids.push((span.first, span.last, d.id.clone()));
        docs.letter(letter.doc);
        if let Some((from, to)) = letter.trailing_editorial {
            docs.editorial(from, to);
        }
        covered_to = span.last + 1;
    }
    if covered_to < a.end {
        docs.editorial(covered_to, a.end);
    }
    let mut docs = docs.docs;
    name_letters_in_findings(&mut parsed.findings, &letter_ids);
    inline_parenthetical_notes(&mut docs, &note_author);
    // A Markdown text's witnesses carry its markup; collation reads past it.
    if ctx.text.lines().any(cues::markdown_heading) {
        for w in docs.iter_mut().flat_map(|d| d.witnesses.iter_mut()) {
            w.markup = fond_model::Markup::Markdown;
        }
    }
    if !spans.is_empty() {
        parsed
            .findings
            .extend(unused_endnotes(&endnotes, &used_endnotes, &source));
    }
    parsed.documents = docs;
    parsed
}

/// The documents of a text in the order they stand: the letters, and the
/// editors' texts before, between and after them, numbered as they come.
struct InOrder<'x> {
    a: &'x Analysis<'x>,
    collection: &'x str,
    source: &'x str,
    docs: Vec<Document>,
    order: u32,
    editorial_k: usize,
}

impl InOrder<'_> {
    /// The editors' text of lines `from..to`, if there is any.
    fn editorial(&mut self, from: usize, to: usize) {
        self.editorial_k += 1;
        let k = self.editorial_k;
        if let Some(d) = editorial(
            self.a,
            from,
            to,
            self.collection,
            k,
            self.source,
            self.order,
        ) {
            self.docs.push(d);
            self.order += 1;
        }
    }

    fn letter(&mut self, mut d: Document) {
        d.order = self.order;
        self.order += 1;
        self.docs.push(d);
    }
}

/// What the analysis recognised and left out of the letters: tables of
/// contents, numbered lines outside the edition's sequence, page
/// furniture.
fn layout_findings(a: &Analysis<'_>, source: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for &(first, last, entries) in &a.tocs {
        findings.push(Finding {
            kind: FindingKind::Other,
            source: source.to_string(),
            line: first as u32 + 1,
            document: None,
            message: format!(
                "a table of contents (lines {}–{}, {entries} entries) was recognised and not read as letters",
                first + 1,
                last + 1
            ),
        });
    }
    for (line, what) in &a.stray {
        findings.push(Finding {
            kind: FindingKind::UnplacedLine,
            source: source.to_string(),
            line: *line as u32 + 1,
            document: None,
            message: format!("{what}: read as text"),
        });
    }
    if let Some(&first) = a.noise.iter().min() {
        let mut heads: Vec<&str> = a
            .noise
            .iter()
            .map(|&i| a.raw[i].trim())
            .filter(|t| !PAGE_NUMBER.is_match(t))
            .collect();
        heads.sort_unstable();
        heads.dedup();
        findings.push(Finding {
            kind: FindingKind::Other,
            source: source.to_string(),
            line: first as u32 + 1,
            document: None,
            message: format!(
                "{} lines of page furniture left out of the text (page numbers{}); sentences a page break split were joined",
                a.noise.len(),
                if heads.is_empty() {
                    String::new()
                } else {
                    format!(", running heads: {}", heads.iter().take(5).map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(", "))
                }
            ),
        });
    }
    findings
}

/// The notes of the notes section that answer a letter's calls, added to
/// it (and marked used), its notes then in number order.
fn attach_endnotes(
    doc: &mut Document,
    endnotes: &HashMap<String, (String, u32)>,
    used: &mut HashSet<String>,
    note_author: &NoteAuthor,
) {
    for n in note_calls(doc) {
        let key = n.to_string();
        if doc.notes.iter().any(|x| x.n == n) {
            continue;
        }
        if let Some((text, line)) = endnotes.get(&key) {
            used.insert(key);
            doc.notes.push(make_note(n, text, *line, note_author, true));
        }
    }
    doc.notes.sort_by_key(|x| x.n);
}

/// The calls of a letter no note answers.
fn missing_notes(doc: &Document) -> Vec<u32> {
    note_calls(doc)
        .into_iter()
        .filter(|n| !doc.notes.iter().any(|x| x.n == *n))
        .collect()
}

/// A letter's parties where its heading names none: the edition's author
/// and recipient. A declined form of the collection's recipient ("An
/// Lavatern" in `Briefe an Lavater`) is the recipient.
fn default_parties(d: &mut Document, author: Option<&str>, recipient: Option<&str>) {
    if d.senders.is_empty() {
        if let Some(s) = author {
            d.senders.push(s.to_string());
        }
    }
    if d.addressees.is_empty() {
        if let Some(r) = recipient {
            d.addressees.push(r.to_string());
        }
    } else if let Some(r) = recipient {
        // A declined form of the collection's recipient ("An Lavatern"
        // in `Briefe an Lavater`) is the recipient.
        for x in &mut d.addressees {
            let last = r.split_whitespace().last().unwrap_or(r);
            if x != r
                && x.split_whitespace().count() == 1
                && x.starts_with(last)
                && x.len() <= last.len() + 2
            {
                *x = r.to_string();
            }
        }
    }
}

/// Findings inside a letter name it (`letter_ids`: first line, last line
/// and id of each letter, in line order, so a binary search finds the
/// letter of each).
fn name_letters_in_findings(findings: &mut [Finding], letter_ids: &[(usize, usize, String)]) {
    for f in findings.iter_mut() {
        if f.document.is_some() {
            continue;
        }
        let line = f.line as usize;
        let k = letter_ids.partition_point(|(first, _, _)| *first < line);
        if let Some((first, last, id)) = k.checked_sub(1).and_then(|k| letter_ids.get(k)) {
            if line > *first && line <= last + 1 {
                f.document = Some(id.clone());
            }
        }
    }
}

/// A finding for the notes of the notes section no letter calls.
fn unused_endnotes(
    endnotes: &HashMap<String, (String, u32)>,
    used: &HashSet<String>,
    source: &str,
) -> Option<Finding> {
    let mut unused: Vec<&String> = endnotes.keys().filter(|k| !used.contains(*k)).collect();
    unused.sort();
    if unused.is_empty() {
        return None;
    }
    Some(Finding {
        kind: FindingKind::NoteWithoutCall,
        source: source.to_string(),
        line: endnotes.values().map(|v| v.1).min().unwrap_or(0),
        document: None,
        message: format!(
            "{} notes of the notes section answer no letter's call: {}",
            unused.len(),
            unused
                .iter()
                .take(12)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

static PAREN_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(([\x22\u{201c}\u{2018}']?\p{Lu}[^()]{12,}?[.!?][\u{201d}\u{2019}'\x22]?)\)")
        .expect("static regex")
});

/// Some editions print their notes in parentheses at the place they
/// explain, with no marker and no notes section (`(Founder of the Chair of
/// Zoology at Oxford.)`). That style is recognised for the whole
/// collection, never letter by letter: only when hardly a letter (one in
/// twenty) has notes of any other kind, and at least a fifth of the letters hold parentheses
/// that read as whole sentences (a capital to a full stop). Then each such
/// parenthesis becomes a note at its place; the author's own asides,
/// which rarely are whole sentences, stay in the text.
fn inline_parenthetical_notes(docs: &mut [Document], by: &NoteAuthor) {
    let letters: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].kind == DocKind::Letter)
        .collect();
    let noted = letters
        .iter()
        .filter(|&&i| !docs[i].notes.is_empty())
        .count();
    if letters.is_empty() || noted * 20 > letters.len() {
        return;
    }
    let has = |d: &Document| {
        d.body
            .iter()
            .filter(|b| b.kind != BlockKind::Heading)
            .any(|b| {
                b.inlines
                    .iter()
                    .any(|x| matches!(x, Inline::Text { text } if PAREN_NOTE.is_match(text)))
            })
    };
    let with = letters.iter().filter(|&&i| has(&docs[i])).count();
    if with * 5 < letters.len() {
        return;
    }
    for &i in &letters {
        let d = &mut docs[i];
        if !d.notes.is_empty() {
            continue;
        }
        let mut notes = Vec::new();
        for b in d.body.iter_mut() {
            let mut out = Vec::with_capacity(b.inlines.len());
            for x in std::mem::take(&mut b.inlines) {
                let Inline::Text { text } = &x else {
                    out.push(x);
                    continue;
                };
                let mut at = 0;
                for c in PAREN_NOTE.captures_iter(text) {
                    let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
                        continue;
                    };
                    let before = text[at..whole.start()].trim_end();
                    if !before.is_empty() {
                        out.push(Inline::Text {
                            text: before.to_string(),
                        });
                    }
                    let n = notes.len() as u32 + 1;
                    out.push(Inline::NoteCall { n });
                    notes.push(Note {
                        call: CallForm::Glued,
                        ..make_note(n, inner.as_str(), b.line, by, false)
                    });
                    at = whole.end();
                }
                if at == 0 {
                    out.push(x);
                } else if at < text.len() {
                    out.push(Inline::Text {
                        text: text[at..].to_string(),
                    });
                }
            }
            b.inlines = out;
        }
        d.notes = notes;
    }
}

/// A letter's span of lines (0-based, inclusive).
#[derive(Debug, Clone)]
struct Span {
    first: usize,
    last: usize,
    boundary: Boundary,
}

fn letter_spans(a: &Analysis<'_>) -> Vec<Span> {
    let mut spans = Vec::new();
    // Breaks and boundaries are both in line order: one walk over each.
    let mut next_break = 0;
    for (k, b) in a.boundaries.iter().enumerate() {
        let next = a.boundaries.get(k + 1).map_or(a.end, |n| n.line);
        while next_break < a.breaks.len() && a.breaks[next_break] < b.heading_end {
            next_break += 1;
        }
        // A section title between two letters ends the first.
        let brk = a
            .breaks
            .get(next_break)
            .copied()
            .filter(|&l| l < next)
            .unwrap_or(next);
        let mut last = brk.saturating_sub(1);
        while last > b.line && a.lines[last].blank {
            last -= 1;
        }
        spans.push(Span {
            first: b.line,
            last,
            boundary: b.clone(),
        });
    }
    spans
}

/// In a stretch that a section title opens and no marker divides (an
/// appendix of unnumbered letters), each signature closes a letter and
/// what follows opens the next, unless it is a postscript. The stretch
/// counts as letters only when it opens with a dateline or a salutation
/// and holds at least two signatures set apart (right-aligned or
/// emphasised, a paragraph of their own).
fn split_signed_runs(a: &Analysis<'_>, spans: &mut Vec<Span>, reference_year: Option<i32>) {
    if spans.is_empty() {
        return;
    }
    let dctx = DateContext {
        default_year: None,
        reference_year,
        calendar: None,
    };
    let mut gaps = Vec::new();
    let mut from = a.start;
    for s in spans.iter() {
        gaps.push((from, s.first));
        from = s.last + 1;
    }
    gaps.push((from, a.end));
    let mut found = Vec::new();
    for (g0, g1) in gaps {
        let Some(&brk) = a.breaks.iter().find(|&&l| l >= g0 && l < g1) else {
            continue;
        };
        let stop = a
            .breaks
            .iter()
            .copied()
            .find(|&l| l > brk && l < g1)
            .unwrap_or(g1);
        // Paragraph starts of the stretch, after the title's own paragraph.
        let mut i = brk;
        while i < stop && !a.lines[i].blank {
            i += 1;
        }
        let mut paras: Vec<(usize, usize)> = Vec::new();
        while i < stop {
            if a.lines[i].blank {
                i += 1;
                continue;
            }
            let s0 = i;
            while i < stop && !a.lines[i].blank {
                i += 1;
            }
            paras.push((s0, i));
        }
        let Some(&(first, _)) = paras.first() else {
            continue;
        };
        let t = a.lines[first].raw.trim();
        let opens = cues::salutation(t)
            || datefind::find(t, &dctx).is_some_and(|f| {
                f.year_printed && t.chars().count() <= 60 && datefind::words_besides(t, &f) <= 1
            });
        if !opens {
            continue;
        }
        let is_signature = |(p0, p1): (usize, usize)| {
            let l = &a.lines[p0];
            p1 - p0 <= 2
                && cues::signature(l.raw, l.indent)
                && (l.indent >= 20 || l.raw.trim().starts_with('_'))
        };
        let mut starts = vec![first];
        let mut signed = 0;
        for k in 0..paras.len() {
            if is_signature(paras[k]) {
                signed += 1;
                if let Some(&next) = paras.get(k + 1) {
                    let t = a.lines[next.0].raw;
                    if !cues::postscript(t) && !is_signature(next) {
                        starts.push(next.0);
                    }
                }
            }
        }
        if signed < 2 {
            continue;
        }
        // The section's title may name the recipient of its letters
        // ("Anhang einiger Briefe von Goethe an den Buchhändler Reich").
        let title: String = a.raw[brk..paras.first().map_or(brk + 1, |p| p.0)]
            .iter()
            .map(|l| l.trim().replace('_', ""))
            .collect::<Vec<_>>()
            .join(" ");
        let to = SECTION_RECIPIENT
            .captures(title.trim())
            .map(|c| c["r"].to_string());
        for (k, &s) in starts.iter().enumerate() {
            let mut last = starts.get(k + 1).map_or(stop, |&n| n).saturating_sub(1);
            while last > s && a.lines[last].blank {
                last -= 1;
            }
            found.push(Span {
                first: s,
                last,
                boundary: Boundary {
                    line: s,
                    heading_end: s,
                    number: None,
                    title: String::new(),
                    from: None,
                    to: to.clone(),
                    heading_date: None,
                },
            });
        }
    }
    spans.extend(found);
    spans.sort_by_key(|s| s.first);
}

static SECTION_RECIPIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:briefe|letters|lettres|письма)\b).*\s(?:an|to|à|к)\s+(?:(?:den|die|das|dem|the|le|la|les)\s+)?(?:\p{L}+\s+)?(?P<r>\p{Lu}\p{L}+)\.?\s*$")
        .expect("static regex")
});

/// The middle of the years printed in the edition, to give two-digit
/// years their century.
fn median_year(a: &Analysis<'_>) -> Option<i32> {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(1[0-9]{3}|20[0-9]{2})\b").expect("static regex"));
    let mut years: Vec<i32> = Vec::new();
    for l in &a.lines[a.start..a.end] {
        for m in YEAR.find_iter(l.raw) {
            if let Ok(y) = m.as_str().parse() {
                years.push(y);
            }
        }
    }
    if years.is_empty() {
        return None;
    }
    let mid = years.len() / 2;
    years.select_nth_unstable(mid);
    Some(years[mid])
}

/// Notes that open with a label (`[6] …`, `1. …`), each running on over
/// the unlabelled paragraphs after it: (label, text, first line). What
/// precedes the first label is not a note.
fn labelled_notes<L>(
    paras: &[Para],
    label: impl Fn(&Para) -> Option<(L, String)>,
) -> Vec<(L, String, u32)> {
    let mut out: Vec<(L, String, u32)> = Vec::new();
    for p in paras {
        match label(p) {
            Some((l, body)) => out.push((l, body, p.first_line)),
            None => {
                if let Some((_, t, _)) = out.last_mut() {
                    t.push_str("\n\n");
                    t.push_str(p.joined().trim());
                }
            }
        }
    }
    out
}

/// The notes of a notes section after the letters, by their label.
fn endnotes(a: &Analysis<'_>, spans: &[Span]) -> HashMap<String, (String, u32)> {
    let mut out = HashMap::new();
    let after = spans.last().map_or(a.start, |s| s.last + 1);
    let from = a.breaks.partition_point(|&b| b < after);
    for (k, &brk) in a.breaks.iter().enumerate().skip(from) {
        let t = cues::bare(a.lines[brk].raw).to_lowercase();
        if !(t.starts_with("footnotes")
            || t.starts_with("notes")
            || t.starts_with("endnotes")
            || t.starts_with("anmerkungen")
            || t.starts_with("примечания"))
        {
            continue;
        }
        let stop = a.breaks.get(k + 1).copied().unwrap_or(a.end);
        let paras = text::paragraphs(&a.raw, brk + 1, stop);
        let found = labelled_notes(&paras, |p| {
            let joined = p.joined();
            let label = cues::endnote_label(&joined)?;
            let body = joined
                .trim_start()
                .trim_start_matches(|c: char| c == '[' || c.is_ascii_alphanumeric())
                .trim_start_matches([']', '.', ')'])
                .trim()
                .to_string();
            Some((label, body))
        });
        for (k, t, l) in found {
            out.entry(k).or_insert((t, l));
        }
    }
    out
}

fn note_calls(d: &Document) -> Vec<u32> {
    let mut out = Vec::new();
    for b in &d.body {
        for i in &b.inlines {
            if let Inline::NoteCall { n } = i {
                if !out.contains(n) {
                    out.push(*n);
                }
            }
        }
    }
    out
}

/// The author an attribution names, with the role its abbreviation gives:
/// `Ed.`, `A. d. H.`, `Hrsg.`, `Прим. ред.` an editor's, `Tr.`, `Übers.` the
/// translator's; a name (`Progress Publishers`) someone else's.
fn signed_by(who: String) -> NoteAuthor {
    // The attribution's last word says the role (`Anm. d. Übers.`, `Tr.`);
    // `A. d. H.` (the German editor's, Herausgeber) ends in its initial.
    let last = who
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .find(|w| !w.is_empty())
        .unwrap_or("");
    match crate::attribution::role_of(last) {
        Some(role) => NoteAuthor::new(role, who),
        None if last.eq_ignore_ascii_case("h") => NoteAuthor::new(NoteRole::Editor, who),
        None => NoteAuthor::other(who),
    }
}

/// A note; an attribution printed at its end (`A. d. H.`, `— Progress
/// Publishers`) names its author, else it is the edition's editors'.
fn make_note(n: u32, text: &str, line: u32, by: &NoteAuthor, _end: bool) -> Note {
    let (by, text) = match cues::note_attribution(text) {
        Some((who, _)) => (signed_by(who), text.trim().to_string()),
        None => (by.clone(), text.trim().to_string()),
    };
    Note {
        n,
        call: CallForm::Superscript,
        call_block: None,
        text,
        by,
        archival_refs: Vec::new(),
        cross_refs: Vec::new(),
        special_file: false,
        relocated: false,
        line,
    }
}

fn editorial(
    a: &Analysis<'_>,
    from: usize,
    to: usize,
    collection: &str,
    k: usize,
    source: &str,
    order: u32,
) -> Option<Document> {
    let raw = &a.raw;
    let paras = clean_paragraphs(a, from, to.min(a.end));
    if paras.is_empty() {
        return None;
    }
    let first = paras.first()?.first_line;
    let last = paras.last()?.last_line;
    let title = cues::bare(paras[0].head())
        .chars()
        .take(80)
        .collect::<String>();
    let body = text::paragraph_blocks(&paras);
    Some(Document {
        id: format!("{collection}/text-{k}"),
        kind: DocKind::EditorialText,
        collection: collection.to_string(),
        number: None,
        chapter: None,
        title,
        date: DocDate::default(),
        place: None,
        senders: Vec::new(),
        addressees: Vec::new(),
        body,
        notes: Vec::new(),
        witnesses: vec![Witness {
            source: source.to_string(),
            first_line: first,
            last_line: last,
            label: "editors' text".into(),
            text: raw[first as usize - 1..last as usize].join("\n"),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: Vec::new(),
        order,
        ..Document::new("", "", DocKind::Letter)
    })
}

/// The paragraphs of lines `[from, to)`, without page furniture; a
/// paragraph that a page break split (no sentence end, the next starting
/// in lower case, only furniture and blank lines between) is joined again.
fn clean_paragraphs(a: &Analysis<'_>, from: usize, to: usize) -> Vec<Para> {
    let paras = text::paragraphs(&a.raw, from, to);
    if a.noise.is_empty() {
        return paras;
    }
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    for p in paras {
        if p.lines.len() == 1 && a.noise.contains(&(p.first_line as usize - 1)) {
            continue;
        }
        if let Some(prev) = out.last_mut() {
            let gap_is_furniture = (prev.last_line as usize..p.first_line as usize - 1)
                .all(|i| a.lines[i].blank || a.noise.contains(&i));
            let split = gap_is_furniture
                && (prev.last_line as usize) + 1 < p.first_line as usize - 1
                && !text::ends_sentence(prev.lines.last().map_or("", |l| l.trim()))
                && p.head().chars().next().is_some_and(char::is_lowercase);
            if split {
                prev.lines.extend(p.lines);
                prev.last_line = p.last_line;
                continue;
            }
        }
        out.push(p);
    }
    out
}

struct ReadLetter {
    doc: Document,
    /// Editorial narrative after the letter (lines, exclusive end).
    trailing_editorial: Option<(usize, usize)>,
}

static CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(\d{1,3})\]|\^(\d{1,3})\b").expect("static regex"));
static GLUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{L}{2}[.,;:!?»”’)]?)(\d{1,2})(\s|$)").expect("static regex"));
static INLINE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"--\[([^\[\]]{3,}?)\]").expect("static regex"));
static IN_LOCATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),?\s+(?:in|at|nach|zu|à|in der|bei)\s+\p{Lu}.*$").expect("static regex")
});

/// Turns note calls printed as `[n]` or `^n` into the `<sup>` form the
/// inline parser reads, leaving bracketed words (editorial insertions) and
/// bracketed years alone.
/// `notes` are the letter's own notes; `gathered` the numbers of a notes
/// section at the end of the book, which `[n]` calls may answer too. A
/// bracketed number that answers no note stays as printed.
fn mark_calls(s: &str, notes: &[u32], gathered: &HashSet<u32>) -> String {
    let s = if notes.is_empty() {
        std::borrow::Cow::Borrowed(s)
    } else {
        // A call fused to its word by OCR (`Blumen1`, `Trud.2`) counts
        // only when the letter has a note of that number.
        GLUED.replace_all(s, |c: &regex::Captures| {
            let n: u32 = c[2].parse().unwrap_or(0);
            if notes.contains(&n) {
                format!("{}<sup>{n}</sup>{}", &c[1], &c[3])
            } else {
                c[0].to_string()
            }
        })
    };
    CALL.replace_all(&s, |c: &regex::Captures| {
        let n: u32 = c
            .get(1)
            .or(c.get(2))
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        if n > 0 && (notes.contains(&n) || gathered.contains(&n)) {
            format!("<sup>{n}</sup>")
        } else {
            c[0].to_string()
        }
    })
    .into_owned()
}

/// One letter of the span: its notes taken out (footnote blocks, trailing
/// numbered notes), where it ends (what follows goes back to the editors),
/// its heading, dates, blocks and parties.
fn read_letter(
    a: &Analysis<'_>,
    span: &Span,
    dctx: &DateContext,
    by: &NoteAuthor,
    gathered: &HashSet<u32>,
    findings: &mut Vec<Finding>,
    source: &str,
) -> ReadLetter {
    let raw = &a.raw;
    let b = &span.boundary;
    let body_from = b.heading_end.min(span.last + 1);
    let paras = clean_paragraphs(a, body_from, span.last + 1);
    let (mut paras, mut notes) = footnote_blocks(paras, by);
    trailing_numbered_notes(&mut paras, &mut notes, by);

    let sig_at = signature_index(a, &paras);
    let cut = letter_end(a, &paras, sig_at);
    let mut trailing = None;
    if let Some(c) = cut {
        let from = paras[c].first_line as usize - 1;
        trailing = Some((from, span.last + 1));
        paras.truncate(c);
    }
    let last_line = paras
        .last()
        .map_or(span.first as u32 + 1, |p| p.last_line)
        .max(b.heading_end as u32);

    // The heading block holds every heading line as printed (an editorial
    // remark run into it included); the title is its short form.
    let heading_text = raw[b.line..b.heading_end.min(raw.len())]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let (date, place, dateline_idx) = letter_date(b, &paras, &heading_text, dctx);

    let marks = LetterMarks {
        heading: &heading_text,
        heading_line: span.first as u32 + 1,
        sig_at,
        dateline_idx,
    };
    let blocks = letter_blocks(&paras, &marks, &mut notes, by, gathered);
    uncalled_notes(&blocks, &notes, source, findings);
    let senders = party_names(b.from.as_deref());
    let addressees = party_names(b.to.as_deref());
    let text_lines: Vec<&str> = raw[span.first..(last_line as usize).min(raw.len())].to_vec();
    let doc = Document {
        id: String::new(),
        kind: DocKind::Letter,
        collection: String::new(),
        number: b.number,
        chapter: None,
        title: if b.title.is_empty() {
            paras
                .first()
                .map(|p| p.head().chars().take(80).collect())
                .unwrap_or_default()
        } else {
            cues::bare(&b.title).to_string()
        },
        date,
        place,
        senders,
        addressees,
        body: blocks,
        notes,
        witnesses: vec![Witness {
            source: source.to_string(),
            first_line: span.first as u32 + 1,
            last_line,
            label: "transcription".into(),
            text: text_lines.join("\n"),
            markup: fond_model::Markup::Plain,
        }],
        marginalia: Vec::new(),
        order: 0,
        ..Document::new("", "", DocKind::Letter)
    };
    ReadLetter {
        doc,
        trailing_editorial: trailing,
    }
}

/// Footnote blocks (`[Footnote n: …]`, possibly over several paragraphs)
/// taken out of a letter's paragraphs: the paragraphs kept, and the notes.
fn footnote_blocks(paras: Vec<Para>, by: &NoteAuthor) -> (Vec<Para>, Vec<Note>) {
    let mut notes: Vec<Note> = Vec::new();
    let mut kept: Vec<Para> = Vec::new();
    let mut k = 0;
    while k < paras.len() {
        let joined = paras[k].joined();
        if let Some((label, open)) = cues::footnote_block(&joined) {
            let line = paras[k].first_line;
            let mut text_acc = joined[open..].to_string();
            let mut depth = bracket_depth(&joined);
            while depth > 0 && k + 1 < paras.len() {
                k += 1;
                let more = paras[k].joined();
                depth += bracket_depth(&more);
                text_acc.push_str("\n\n");
                text_acc.push_str(&more);
            }
            let text_acc = text_acc.trim().trim_end_matches(']').trim().to_string();
            let n = label.parse().unwrap_or(notes.len() as u32 + 1);
            notes.push(make_note(n, &text_acc, line, by, false));
            k += 1;
            continue;
        }
        kept.push(paras[k].clone());
        k += 1;
    }
    (kept, notes)
}

/// Where the letter proper ends: after the signature, postscripts stay;
/// bracketed or indented commentary goes back to the editors. The index
/// of the first paragraph that is not the letter's, if any.
fn letter_end(a: &Analysis<'_>, paras: &[Para], sig_at: Option<usize>) -> Option<usize> {
    let body_indent = paras
        .iter()
        .map(|p| a.lines[p.first_line as usize - 1].indent)
        .min()
        .unwrap_or(0);
    for (i, p) in paras.iter().enumerate() {
        let after_sig = sig_at.is_some_and(|s| i > s);
        let late = i >= 3;
        let head = p.head();
        let long = p.lines.len() >= 2 || head.chars().count() > 100;
        let bracketed = head.starts_with('[') && long && cues::footnote_block(head).is_none();
        // Commentary set in by a few spaces is prose (long lines); a poem
        // enclosed in the letter is set in too, but its lines are short.
        let mean_len = p
            .lines
            .iter()
            .map(|l| l.trim().chars().count())
            .sum::<usize>()
            / p.lines.len().max(1);
        let indented_comment = after_sig
            && p.lines.len() >= 3
            && mean_len >= 55
            && p.lines.iter().all(|l| {
                let ind = l.chars().take_while(|c| *c == ' ').count();
                ind >= body_indent + 3 && ind <= body_indent + 8
            })
            && !cues::postscript(head);
        // A letter broken off (`...`) without a signature may also be
        // followed by the editors' bracketed narrative.
        let broken_off = late && i > 0 && paras[i - 1].joined().trim_end().ends_with("...");
        if (after_sig || broken_off) && bracketed || indented_comment {
            return Some(i);
        }
    }
    None
}

/// The letter's dates: the heading's, a dateline before the text, or one
/// after it; failing those, a year or date in the heading. With the place
/// the dateline names, and which paragraph the dateline is.
fn letter_date(
    b: &Boundary,
    paras: &[Para],
    heading_text: &str,
    dctx: &DateContext,
) -> (DocDate, Option<String>, Option<usize>) {
    let mut date = DocDate::default();
    let mut place = None;
    let mut dateline_idx: Option<usize> = None;
    if let Some(h) = &b.heading_date {
        if let Some(f) = datefind::find(h, dctx) {
            date.editorial = Some(h.clone());
            date.interval = Some(f.date.clone());
        }
    }
    let is_dateline = |t: &str| -> Option<datefind::Found> {
        if t.chars().count() > 120 {
            return None;
        }
        let f = datefind::find(t, dctx)?;
        (datefind::words_besides(t, &f) <= 3).then_some(f)
    };
    let front = paras
        .iter()
        .take(3)
        .position(|p| p.lines.len() <= 3 && is_dateline(&p.joined()).is_some());
    let back = || {
        let n = paras.len();
        (n.saturating_sub(4)..n)
            .rev()
            .find(|&i| paras[i].lines.len() <= 2 && is_dateline(&paras[i].joined()).is_some())
    };
    if let Some(i) = front.or_else(|| {
        if date.interval.is_none() {
            back()
        } else {
            None
        }
    }) {
        let t = paras[i].joined();
        if let Some(f) = is_dateline(&t) {
            date.written = Some(t.trim().to_string());
            date.written_interval = Some(f.date.clone());
            if date.interval.is_none() {
                date.interval = Some(f.date.clone());
            }
            let before = t[..f.start]
                .trim()
                .trim_matches(|c: char| !c.is_alphanumeric());
            if !before.is_empty()
                && before.split_whitespace().count() <= 4
                && before.chars().next().is_some_and(char::is_uppercase)
            {
                place = Some(before.to_string());
            }
            dateline_idx = Some(i);
        }
    }
    if date.interval.is_none() {
        // A year alone, or a date in the heading of a letter with no
        // dateline at all ("summer of 1853").
        let heading_plain = PAREN_ANY.replace_all(heading_text, " ");
        if let Some(f) = datefind::find(&heading_plain, dctx).filter(|f| f.year_printed) {
            date.editorial = Some(f.date.text.clone());
            date.interval = Some(f.date);
        }
    }
    if let (Some(w), Some(e)) = (&date.written_interval, &date.interval) {
        date.disagreement = !w.overlaps(e);
    }

    (date, place, dateline_idx)
}

/// What a letter's blocks are told apart by: its heading, and which
/// paragraphs are the signature and the dateline.
struct LetterMarks<'h> {
    heading: &'h str,
    heading_line: u32,
    sig_at: Option<usize>,
    dateline_idx: Option<usize>,
}

/// The letter's blocks: the heading, then each paragraph as a dateline,
/// salutation (set apart or run into the first paragraph), closing,
/// signature, postscript or paragraph. Inline notes `--[…]` move to
/// `notes`, a call left in their place.
fn letter_blocks(
    paras: &[Para],
    marks: &LetterMarks<'_>,
    notes: &mut Vec<Note>,
    by: &NoteAuthor,
    gathered: &HashSet<u32>,
) -> Vec<Block> {
    let note_ns: Vec<u32> = notes.iter().map(|n| n.n).collect();
    let mut blocks: Vec<Block> = Vec::new();
    if !marks.heading.is_empty() {
        blocks.push(Block {
            kind: BlockKind::Heading,
            inlines: text::inlines(&mark_calls(marks.heading, &note_ns, gathered)),
            line: marks.heading_line,
        });
    }
    let mut inline_notes = 0u32;
    let mut salutation_seen = false;
    for (i, p) in paras.iter().enumerate() {
        let mut joined = p.joined();
        // Inline notes `--[…]`: moved to the notes, a call left in place.
        while let Some(m) = INLINE_NOTE.find(&joined) {
            inline_notes += 1;
            let n = 1000 + inline_notes;
            let inner = joined[m.start() + 3..m.end() - 1].trim().to_string();
            notes.push(Note {
                call: CallForm::Glued,
                ..make_note(n, &inner, p.first_line, by, false)
            });
            joined.replace_range(m.start()..m.end(), &format!("--<sup>{n}</sup>"));
        }
        let t = joined.trim();
        let marked = mark_calls(t, &notes.iter().map(|n| n.n).collect::<Vec<_>>(), gathered);
        let kind = if Some(i) == marks.dateline_idx {
            BlockKind::Dateline
        } else if Some(i) == marks.sig_at {
            BlockKind::Signature
        } else if !salutation_seen && i <= 2 && cues::salutation(t) {
            salutation_seen = true;
            BlockKind::Salutation
        } else if !salutation_seen && i <= 2 && marks.dateline_idx.is_none_or(|d| d < i || i == 0) {
            if let Some(len) = cues::run_in_salutation(&marked) {
                salutation_seen = true;
                blocks.push(Block {
                    kind: BlockKind::Salutation,
                    inlines: text::inlines(marked[..len].trim()),
                    line: p.first_line,
                });
                blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    inlines: text::inlines(marked[len..].trim()),
                    line: p.first_line,
                });
                continue;
            }
            BlockKind::Paragraph
        } else if marks.sig_at.is_some_and(|s| i + 1 == s) && cues::closing(t) {
            BlockKind::Closing
        } else if marks.sig_at.is_some_and(|s| i > s) && cues::postscript(t) {
            BlockKind::Postscript
        } else {
            BlockKind::Paragraph
        };
        blocks.push(Block {
            kind,
            inlines: text::inlines(&marked),
            line: p.first_line,
        });
    }
    blocks
}

/// A finding for each note no block calls.
fn uncalled_notes(blocks: &[Block], notes: &[Note], source: &str, findings: &mut Vec<Finding>) {
    let calls: Vec<u32> = blocks
        .iter()
        .flat_map(|b| b.inlines.iter())
        .filter_map(|i| match i {
            Inline::NoteCall { n } => Some(*n),
            _ => None,
        })
        .collect();
    for n in notes {
        if !calls.contains(&n.n) {
            findings.push(Finding {
                kind: FindingKind::NoteWithoutCall,
                source: source.to_string(),
                line: n.line,
                document: None,
                message: format!("note {} has no call in the letter", n.n),
            });
        }
    }
}

/// A heading's party as a name: a location ("in Paris") and trailing
/// punctuation dropped, a description before the name too ("his sister
/// Pamela Moffett" → the name), in name case.
fn party_names(party: Option<&str>) -> Vec<String> {
    party
        .map(|s| {
            let s = IN_LOCATION.replace(s.trim(), "");
            let s = s.trim().trim_end_matches([':', '.', ',']).trim();
            let words: Vec<&str> = s.split_whitespace().collect();
            let skip = words
                .iter()
                .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
                .count();
            name_case(&words[skip.min(words.len())..].join(" "))
        })
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

static SUP_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<sup>\s*(\d{1,3})\s*</sup>").expect("static regex"));
static NOTE_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\[(\d{1,3})\]|\^?(\d{1,3})[.)]?)\s+\S").expect("static regex")
});
/// Superscript digits, as OCR and web pages print note calls (`Blumen¹`).
static SUPERSCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}").expect("static regex"));

/// Superscript digits as plain ones (`¹²` → `12`).
fn from_superscript(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '⁰' => '0',
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            '⁴' => '4',
            '⁵' => '5',
            '⁶' => '6',
            '⁷' => '7',
            '⁸' => '8',
            '⁹' => '9',
            c => c,
        })
        .collect()
}

/// Notes printed after the letter, each opening with the number of its
/// call (`1. …`, `[1] …`, `1 …`): taken from the end of the letter while
/// their numbers answer calls in the text before them, and moved to the
/// notes. Paragraphs between two such notes continue the first.
fn trailing_numbered_notes(paras: &mut Vec<Para>, notes: &mut Vec<Note>, by: &NoteAuthor) {
    // Superscript calls and note numbers read as their digits in brackets;
    // so does a note number a web page sets as `<sup>` at a note's head.
    for p in paras.iter_mut() {
        if let Some(first) = p.lines.first_mut() {
            if let Some(rest) = first.strip_prefix("<sup>") {
                if let Some((n, after)) = rest.split_once("</sup>") {
                    if !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()) {
                        *first = format!("[{n}]{after}");
                    }
                }
            }
        }
        for l in &mut p.lines {
            if SUPERSCRIPT.is_match(l) {
                let t = SUPERSCRIPT
                    .replace_all(l, |c: &regex::Captures| {
                        format!("[{}]", from_superscript(&c[0]))
                    })
                    .into_owned();
                *l = t;
            }
        }
    }
    let label = |p: &Para| -> Option<u32> {
        let c = NOTE_OPENING.captures(p.head())?;
        c.get(1).or(c.get(2))?.as_str().parse().ok()
    };
    // Where the run of notes at the end starts.
    let mut start = paras.len();
    let mut k = paras.len();
    while k > 0 {
        k -= 1;
        if label(&paras[k]).is_some() {
            start = k;
        } else if start == paras.len() {
            // Text after the last labelled paragraph: no notes at the end.
            return;
        } else {
            // A paragraph between notes continues the one before it, if a
            // labelled one comes earlier still.
            if !paras[..k].iter().any(|p| label(p).is_some()) {
                break;
            }
        }
    }
    if start == paras.len() || start == 0 {
        return;
    }
    let mut calls = std::collections::HashSet::new();
    for p in &paras[..start] {
        let j = p.joined();
        for c in CALL.captures_iter(&j).chain(SUP_CALL.captures_iter(&j)) {
            if let Some(n) = c
                .get(1)
                .or(c.get(2))
                .and_then(|m| m.as_str().parse::<u32>().ok())
            {
                calls.insert(n);
            }
        }
    }
    // Every labelled paragraph of the run must answer a call.
    let labelled: Vec<u32> = paras[start..].iter().filter_map(label).collect();
    if labelled.is_empty() || !labelled.iter().all(|n| calls.contains(n)) {
        return;
    }
    let tail: Vec<Para> = paras.drain(start..).collect();
    let found = labelled_notes(&tail, |p| {
        let n = label(p)?;
        let j = p.joined();
        let body = NOTE_OPENING
            .find(&j)
            .map_or(j.as_str(), |m| &j[m.end().saturating_sub(1)..])
            .trim()
            .to_string();
        Some((n, body))
    });
    for (n, t, l) in found {
        notes.push(make_note(n, &t, l, by, false));
    }
}

fn bracket_depth(s: &str) -> i32 {
    s.chars().fold(0, |d, c| match c {
        '[' => d + 1,
        ']' => d - 1,
        _ => d,
    })
}

/// The paragraph holding the letter's signature: the last short name-like
/// line before any postscript.
fn signature_index(a: &Analysis<'_>, paras: &[Para]) -> Option<usize> {
    let n = paras.len();
    for i in (n.saturating_sub(6)..n).rev() {
        let p = &paras[i];
        if p.lines.len() > 2 {
            continue;
        }
        let line = p.lines.last()?;
        let indent = a.lines[p.last_line as usize - 1].indent;
        if (cues::signature(line, indent) || cues::signed_closing(line))
            && !cues::postscript(line)
            && !cues::salutation(line)
        {
            return Some(i);
        }
    }
    None
}

/// Names printed in capitals read in their usual case: `STEINER & CO` →
/// `Steiner & Co`, `J.M. HERBERT` → `J.M. Herbert`; names already in mixed
/// case are kept.
fn name_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    let mut prev_alpha = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start || !prev_alpha {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            prev_alpha = true;
            start = false;
        } else {
            out.push(c);
            prev_alpha = c == '\'' || c == '’';
            if c == '.' {
                prev_alpha = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
