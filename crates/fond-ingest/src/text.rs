//! Text primitives shared by the readers: lines with their numbers,
//! paragraphs, inline markup, page-break repair.

use fond_model::Inline;
use regex::Regex;
use std::sync::LazyLock;

/// A paragraph: consecutive non-blank lines, with the 1-based number of its
/// first and last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub first_line: u32,
    pub last_line: u32,
    /// The lines as printed, without line terminators.
    pub lines: Vec<String>,
}

impl Para {
    /// The lines joined: a hard break (two trailing spaces, as Markdown
    /// writes it) becomes `\n`; a soft line end becomes a space, or nothing
    /// after a hyphen that splits a word (`espe-` / `cially`).
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for (i, raw) in self.lines.iter().enumerate() {
            let hard = raw.ends_with("  ");
            let line = raw.trim_end();
            let line = if i == 0 { line } else { line.trim_start() };
            if i > 0 {
                join_into(&mut out, line);
            } else {
                out.push_str(line);
            }
            if hard && i + 1 < self.lines.len() {
                out.push('\n');
            }
        }
        out
    }

    /// The first line, trimmed.
    pub fn head(&self) -> &str {
        self.lines.first().map(|s| s.trim()).unwrap_or("")
    }
}

/// Paragraphs as body blocks of running text, inline markup parsed.
pub fn paragraph_blocks(paras: &[Para]) -> Vec<fond_model::Block> {
    paras
        .iter()
        .map(|p| fond_model::Block {
            kind: fond_model::BlockKind::Paragraph,
            inlines: inlines(&p.joined()),
            line: p.first_line,
        })
        .collect()
}

/// Appends `next` to `out` the way a reader joins two pieces of one
/// sentence split by a line or page end.
pub fn join_into(out: &mut String, next: &str) {
    if out.is_empty() || out.ends_with('\n') {
        out.push_str(next);
        return;
    }
    let starts_lower = next.chars().next().is_some_and(|c| c.is_lowercase());
    if out.ends_with('-') && !out.ends_with("--") && starts_lower {
        // A word hyphenated at the line end: `espe-` + `cially`.
        let before = out.trim_end_matches('-');
        if before.chars().last().is_some_and(|c| c.is_alphabetic()) {
            // A prefix of one or two letters is a compound, not a split
            // word: "so-called", "co-conspirators" keep their hyphen.
            let fragment = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .count();
            if fragment > 2 {
                out.pop();
            }
            out.push_str(next);
            return;
        }
    }
    if out.ends_with('—') || out.ends_with('–') {
        out.push_str(next);
        return;
    }
    out.push(' ');
    out.push_str(next);
}

/// Splits lines `[from, to)` (0-based indices into `lines`) into paragraphs.
pub fn paragraphs(lines: &[&str], from: usize, to: usize) -> Vec<Para> {
    let mut out = Vec::new();
    let mut cur: Option<Para> = None;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        let n = (i + 1) as u32;
        if line.trim().is_empty() {
            if let Some(p) = cur.take() {
                out.push(p);
            }
            continue;
        }
        match cur.as_mut() {
            Some(p) => {
                p.last_line = n;
                p.lines.push((*line).to_string());
            }
            None => {
                cur = Some(Para {
                    first_line: n,
                    last_line: n,
                    lines: vec![(*line).to_string()],
                })
            }
        }
    }
    if let Some(p) = cur {
        out.push(p);
    }
    out
}

static NUMBERED_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}\.\s*[^\s\d]|\d{1,2}\)\s|[a-h]\)\s)").expect("static regex")
});

/// Splits paragraphs at inner lines that open a numbered note or point:
/// OCR often runs a letter's notes (`2. …`, `3. …`) together with no blank
/// line between them.
pub fn split_numbered(paras: Vec<Para>) -> Vec<Para> {
    let mut out = Vec::with_capacity(paras.len());
    for p in paras {
        let mut cur: Option<Para> = None;
        for (k, line) in p.lines.iter().enumerate() {
            let n = p.first_line + k as u32;
            let opens = k > 0 && NUMBERED_LINE.is_match(line.trim_start());
            match cur.as_mut() {
                Some(c) if !opens => {
                    c.lines.push(line.clone());
                    c.last_line = n;
                }
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Para {
                        first_line: n,
                        last_line: n,
                        lines: vec![line.clone()],
                    });
                }
            }
        }
        if let Some(c) = cur {
            out.push(c);
        }
    }
    out
}

static SUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<sup>\s*([^<]*?)\s*</sup>").expect("static regex"));
static CALL_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(?:\s*,\s*\d{1,3})*$").expect("static regex"));

/// The note numbers called by `<sup>` tags in `text`, in order.
pub fn sup_calls(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for c in SUP.captures_iter(text) {
        let inner = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if CALL_LIST.is_match(inner) {
            out.extend(
                inner
                    .split(',')
                    .filter_map(|d| d.trim().parse::<u32>().ok()),
            );
        }
    }
    out
}

/// The text without trailing whitespace, `*` and `<sup>…</sup>` calls.
fn trim_end_markup(mut t: &str) -> &str {
    loop {
        let before = t.len();
        t = t.trim_end().trim_end_matches('*');
        if t.ends_with("</sup>") {
            if let Some(open) = t.rfind("<sup>") {
                t = &t[..open];
            }
        }
        if t.ends_with("</i>") {
            t = &t[..t.len() - 4];
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Whether the paragraph text ends a sentence (so that a following
/// lowercase paragraph cannot be its continuation).
pub fn ends_sentence(text: &str) -> bool {
    let t = trim_end_markup(text);
    let Some(c) = t.chars().last() else {
        return true;
    };
    matches!(
        c,
        '.' | '!' | '?' | ':' | ';' | '"' | '”' | '’' | ')' | ']' | '»' | '…' | '\''
    ) && !t.ends_with("Com.")
}

/// Whether the text stops on a word no sentence ends with ("an appeal
/// from the" / "Central Committee …"): a page break, whatever case the
/// next page starts in.
pub fn ends_with_function_word(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "by", "from", "that",
        "as", "at", "his", "her", "their", "our", "its", "is", "was", "were", "be", "not",
    ];
    let t = trim_end_markup(text);
    let last = t.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    !last.is_empty() && t.ends_with(last) && WORDS.contains(&last)
}

/// Whether a paragraph begins as the continuation of a sentence.
pub fn starts_continuation(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('*');
    let t = t.strip_prefix("<i>").unwrap_or(t);
    t.chars().next().is_some_and(|c| c.is_lowercase())
}

/// Removes Markdown emphasis, `<i>`, `<sup>` calls and similar markup,
/// keeping the words.
pub fn strip_markup(text: &str) -> String {
    if !text.contains(['<', '*']) {
        return text.to_string();
    }
    let t = SUP.replace_all(text, "");
    let mut s = String::with_capacity(t.len());
    let mut rest: &str = &t;
    while let Some(pos) = rest.find('<') {
        s.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let tag_end = tail.find('>');
        match tag_end {
            Some(e) if e < 12 && is_simple_tag(&tail[..=e]) => rest = &tail[e + 1..],
            _ => {
                s.push('<');
                rest = &tail[1..];
            }
        }
    }
    s.push_str(rest);
    s.replace("***", "").replace("**", "").replace('*', "")
}

fn is_simple_tag(tag: &str) -> bool {
    matches!(
        tag,
        "<i>" | "</i>" | "<b>" | "</b>" | "<em>" | "</em>" | "<u>" | "</u>" | "<br>" | "<br/>"
    )
}

/// Parses the inline markup of a paragraph's joined text into runs:
/// `*x*` → emphasis level 1 (underlined once), `**x**` → level 2 (twice),
/// `<sup>n</sup>` → note calls, `[x]` → the editors' insertion.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut buf = String::new();
    let mut level: u8 = 0; // current emphasis: 0, 1, 2 or 3 (both)
    let mut bracket_depth = 0usize;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush = |out: &mut Vec<Inline>, buf: &mut String, level: u8, bracket: bool| {
        if buf.is_empty() {
            return;
        }
        let text = std::mem::take(buf);
        if bracket {
            out.push(Inline::Supplied { text });
        } else if level > 0 {
            out.push(Inline::Emph {
                level: level.min(2),
                text,
            });
        } else {
            out.push(Inline::Text { text });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            flush(&mut out, &mut buf, level, bracket_depth > 0);
            out.push(Inline::LineBreak);
            i += 1;
            continue;
        }
        if c == '<' {
            let rest: String = chars[i..chars.len().min(i + 40)].iter().collect();
            if let Some(m) = SUP.find(&rest).filter(|m| m.start() == 0) {
                let calls = sup_calls(m.as_str());
                if !calls.is_empty() {
                    flush(&mut out, &mut buf, level, bracket_depth > 0);
                    for n in calls {
                        out.push(Inline::NoteCall { n });
                    }
                } else {
                    buf.push_str(&strip_markup(m.as_str()));
                }
                i += m.as_str().chars().count();
                continue;
            }
            let mut matched = false;
            for (tag, lv) in [("<i>", 1i8), ("</i>", -1), ("<b>", 2), ("</b>", -2)] {
                if rest.starts_with(tag) {
                    flush(&mut out, &mut buf, level, bracket_depth > 0);
                    level = if lv > 0 {
                        level | lv as u8
                    } else {
                        level & !((-lv) as u8)
                    };
                    i += tag.len();
                    matched = true;
                    break;
                }
            }
            if matched {
                continue;
            }
        }
        if c == '*' {
            let run = chars[i..].iter().take_while(|&&x| x == '*').count();
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let next = chars.get(i + run).copied();
            let can_open = next.is_some_and(|n| !n.is_whitespace());
            let can_close = prev.is_some_and(|p| !p.is_whitespace());
            let bits: u8 = match run {
                1 => 1,
                2 => 2,
                _ => 3,
            };
            let opening = level & bits == 0;
            if (opening && can_open) || (!opening && can_close) {
                flush(&mut out, &mut buf, level, bracket_depth > 0);
                level ^= bits;
                i += run;
                continue;
            }
        }
        if c == '[' {
            if bracket_depth == 0 {
                flush(&mut out, &mut buf, level, false);
            } else {
                buf.push(c);
            }
            bracket_depth += 1;
            i += 1;
            continue;
        }
        if c == ']' && bracket_depth > 0 {
            bracket_depth -= 1;
            if bracket_depth == 0 {
                flush(&mut out, &mut buf, level, true);
            } else {
                buf.push(c);
            }
            i += 1;
            continue;
        }
        buf.push(c);
        i += 1;
    }
    if bracket_depth > 0 {
        // An unclosed bracket: keep the text as printed rather than guess.
        let text = format!("[{}", std::mem::take(&mut buf));
        out.push(Inline::Text { text });
    } else {
        flush(&mut out, &mut buf, level, false);
    }
    merge_adjacent(out)
}

fn merge_adjacent(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    for i in v {
        match (out.last_mut(), &i) {
            (Some(Inline::Text { text: a }), Inline::Text { text: b }) => a.push_str(b),
            (Some(Inline::Emph { level: la, text: a }), Inline::Emph { level: lb, text: b })
                if la == lb =>
            {
                a.push_str(b)
            }
            _ => out.push(i),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_breaks_and_hyphenation_join_as_a_reader_would() {
        let p = Para {
            first_line: 1,
            last_line: 3,
            lines: vec!["Regards,  ".into(), "J. Stalin".into()],
        };
        assert_eq!(p.joined(), "Regards,\nJ. Stalin");
        let p = Para {
            first_line: 1,
            last_line: 2,
            lines: vec!["espe-".into(), "cially now".into()],
        };
        assert_eq!(p.joined(), "especially now");
        let p = Para {
            first_line: 1,
            last_line: 2,
            lines: vec!["Baku-".into(), "Batum".into()],
        };
        assert_eq!(p.joined(), "Baku- Batum");
    }

    #[test]
    fn emphasis_levels_calls_and_insertions() {
        let v = inlines("shipped *abroad* and **right now**<sup>2</sup> [1.8 tons].");
        assert_eq!(
            v,
            vec![
                Inline::Text {
                    text: "shipped ".into()
                },
                Inline::Emph {
                    level: 1,
                    text: "abroad".into()
                },
                Inline::Text {
                    text: " and ".into()
                },
                Inline::Emph {
                    level: 2,
                    text: "right now".into()
                },
                Inline::NoteCall { n: 2 },
                Inline::Text { text: " ".into() },
                Inline::Supplied {
                    text: "1.8 tons".into()
                },
                Inline::Text { text: ".".into() },
            ]
        );
    }

    #[test]
    fn call_lists_and_emphasis_around_calls() {
        let v = inlines("*To Comrade Molotov,<sup>1</sup>*");
        assert_eq!(
            v,
            vec![
                Inline::Emph {
                    level: 1,
                    text: "To Comrade Molotov,".into()
                },
                Inline::NoteCall { n: 1 }
            ]
        );
        assert_eq!(sup_calls("Molotovich,<sup>1, 2</sup>"), vec![1, 2]);
        assert_eq!(sup_calls("J. Stalin<sup>1,2</sup>"), vec![1, 2]);
    }

    #[test]
    fn a_lone_asterisk_is_text() {
        let v = inlines("5 * 3 = 15");
        let s: String = v
            .iter()
            .map(|i| match i {
                Inline::Text { text } => text.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(s, "5 * 3 = 15");
    }

    #[test]
    fn sentence_ends_and_continuations() {
        assert!(!ends_sentence(
            "Their publication would be of great significance—espe-"
        ));
        assert!(ends_sentence("That is all."));
        assert!(starts_continuation("cially now when"));
        assert!(!starts_continuation("The next"));
    }
}
