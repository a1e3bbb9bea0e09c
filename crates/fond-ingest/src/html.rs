//! Web pages of letters: HTML brought to plain text before any reader
//! sees it, so the same cues work on a page as on a transcription.
//!
//! Block elements become paragraphs (a blank line between), `<br>` a line
//! break, text aligned right is set far right (where editions put
//! datelines and signatures, which the readers look for), note calls in
//! `<sup>` and simple emphasis tags are kept for the inline parser, and
//! the page's head, scripts, styles and navigation are left out. Character
//! references are decoded. What is stored is the page's text: the archive
//! keeps the text every reader and every witness line refers to.

/// Whether a text is an HTML page (by content: a doctype or `<html>`
/// element at its start, or many paragraph tags).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    if head.starts_with("<?xml") || head.contains("<tei") {
        return false;
    }
    // Paragraph tags, counted without copying the text (every source is
    // asked this).
    let b = text.as_bytes();
    let is_p = |i: usize| b.get(i + 1).is_some_and(|c| c.eq_ignore_ascii_case(&b'p'));
    let mut opened = 0;
    let mut closed = false;
    for (i, _) in text.match_indices('<') {
        if is_p(i) && matches!(b.get(i + 2), Some(b'>' | b' ')) {
            opened += 1;
        } else if b.get(i + 1) == Some(&b'/') && is_p(i + 1) && b.get(i + 3) == Some(&b'>') {
            closed = true;
        }
        if opened >= 5 && closed {
            return true;
        }
    }
    false
}

const BLOCK: [&str; 30] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "hr",
    "address",
    "center",
    "main",
    "aside",
    "figure",
    "figcaption",
    "body",
];
const SKIP: [&str; 7] = [
    "head", "script", "style", "nav", "noscript", "template", "svg",
];
const KEEP: [&str; 10] = ["sup", "/sup", "i", "/i", "em", "/em", "b", "/b", "u", "/u"];

/// The page as text: one paragraph per block, blank lines between.
// Long: one pass over the page, a branch per kind of tag; the state (open
// blocks, alignment, skipped elements) is shared by all of them.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut line = String::new();
    let mut skip_until: Option<String> = None;
    let mut right = false;
    let mut pre = 0usize;
    let mut rest = html;
    let flush = |out: &mut String, line: &mut String, right: bool| {
        let t = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let t = t.replace(" </sup>", "</sup>").replace("<sup> ", "<sup>");
        if !t.is_empty() {
            if right {
                out.push_str(&" ".repeat(40));
            }
            out.push_str(&t);
            out.push('\n');
        }
        line.clear();
    };
    while !rest.is_empty() {
        if let Some(stop) = &skip_until {
            match find_ci(rest, stop) {
                Some(k) => {
                    rest = &rest[k..];
                    let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                    rest = &rest[end..];
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |k| &after[k + 3..]);
            continue;
        }
        if rest.starts_with('<') {
            // An unclosed tag runs to the end of the page.
            let (tag, end) = match rest.find('>') {
                Some(e) => (&rest[1..e], e + 1),
                None => (&rest[1..], rest.len()),
            };
            rest = &rest[end..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if !closing && SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
                skip_until = Some(format!("</{name}"));
                continue;
            }
            if name == "br" {
                flush(&mut out, &mut line, right);
                continue;
            }
            if name == "pre" {
                pre = if closing {
                    pre.saturating_sub(1)
                } else {
                    pre + 1
                };
            }
            if BLOCK.contains(&name.as_str()) {
                flush(&mut out, &mut line, right);
                if !out.ends_with("\n\n") && !out.is_empty() {
                    out.push('\n');
                }
                let lower = tag.to_lowercase();
                right = !closing
                    && (lower.contains("align=\"right\"")
                        || lower.contains("align=right")
                        || lower.contains("text-align:right")
                        || lower.contains("text-align: right"));
                continue;
            }
            let key = if closing {
                format!("/{name}")
            } else {
                name.clone()
            };
            if KEEP.contains(&key.as_str()) {
                line.push('<');
                line.push_str(&key);
                line.push('>');
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let chunk = &rest[..next];
        rest = &rest[next..];
        let decoded = decode_entities(chunk);
        if pre > 0 {
            for (k, part) in decoded.split('\n').enumerate() {
                if k > 0 {
                    flush(&mut out, &mut line, right);
                }
                line.push_str(part);
            }
        } else {
            line.push_str(&decoded.replace(['\n', '\t'], " "));
        }
    }
    flush(&mut out, &mut line, right);
    // At most one blank line between paragraphs.
    let mut clean = String::with_capacity(out.len());
    let mut blank = 0;
    for l in out.lines() {
        if l.trim().is_empty() {
            blank += 1;
            if blank == 1 {
                clean.push('\n');
            }
        } else {
            blank = 0;
            clean.push_str(l);
            clean.push('\n');
        }
    }
    let t = clean.trim_matches('\n');
    format!("{t}\n")
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.char_indices().map(|(i, _)| i).find(|&i| {
        hay.get(i..i + n)
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// Decodes character references: numeric ones and the named ones letter
/// pages use.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
        } else if let Some(dec) = name.strip_prefix('#') {
            dec.parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
        } else {
            named(name).map(String::from)
        };
        match c {
            Some(c) => {
                out.push_str(&c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "sbquo" => "‚",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "agrave" => "à",
        "acirc" => "â",
        "ccedil" => "ç",
        "ocirc" => "ô",
        "icirc" => "î",
        "ucirc" => "û",
        "iuml" => "ï",
        "euml" => "ë",
        "Eacute" => "É",
        "shy" => "",
        "copy" => "©",
        "sect" => "§",
        "deg" => "°",
        "middot" => "·",
        "para" => "¶",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_letters_becomes_paragraphs() {
        let html = "<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head>\
            <body><nav>Home | Letters</nav><h2>Letter 12</h2>\
            <p align=\"right\">Weimar, 12. M&auml;rz 1776.</p>\
            <p>Lieber Bruder, ich schreibe<sup>1</sup> dir\nheute.</p>\
            <p style=\"text-align: right\">G.</p><script>var a = '<p>';</script>\
            <p>1. Eine Anmerkung &amp; mehr.</p></body></html>";
        assert!(looks_like_html(html));
        let t = to_text(html);
        assert_eq!(
            t,
            "Letter 12\n\n                                        Weimar, 12. März 1776.\n\nLieber Bruder, ich schreibe<sup>1</sup> dir heute.\n\n                                        G.\n\n1. Eine Anmerkung & mehr.\n"
        );
        assert!(!t.contains("Home"));
    }

    #[test]
    fn broken_pages_do_not_break_the_reader() {
        for page in [
            "<html><p>é<",
            "<html><p>ünclosed <b",
            "<html><script>never closed",
            "<html><!-- open comment",
            "<html>&#xFFFFFFFF; &#; &amp",
            "<html><p>a</p><p>b",
        ] {
            let _ = to_text(page);
        }
        assert_eq!(to_text("<html><p>é<"), "é\n");
    }

    #[test]
    fn text_and_xml_are_not_html() {
        assert!(!looks_like_html("Letters of John Keats\n\nI.--TO X.\n"));
        assert!(looks_like_html(&"<P>a letter</P>\n".repeat(5)));
        assert!(!looks_like_html(&"<p>no end\n".repeat(5)));
        assert!(!looks_like_html(
            "<?xml version=\"1.0\"?><TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><p>a</p></TEI>"
        ));
        assert_eq!(
            decode_entities("a &#233; &#x4E2D; &bogus; & b"),
            "a é 中 &bogus; & b"
        );
    }
}
