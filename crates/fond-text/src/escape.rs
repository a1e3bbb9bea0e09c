//! Escaping for XML and HTML, by one rule in four contexts.
//!
//! Every context escapes `&`, `<` and `>`, and replaces the characters XML
//! 1.0 forbids (control characters other than tab, line feed and carriage
//! return; U+FFFE, U+FFFF) with U+FFFD. Replaced rather than dropped: a
//! control character in a transcription is damage (a stray byte of a
//! legacy encoding, OCR debris), and the replacement character keeps it
//! visible where it stood, as a reader of the file should see it, instead
//! of silently joining the letters on either side. The same characters are
//! replaced in HTML too: an HTML page is no place for them either, and the
//! reading room then shows what the TEI export writes.
//!
//! The contexts differ only in what else they escape:
//!
//! | function | for | also escapes |
//! |---|---|---|
//! | [`escape_text`] | XML element content, exactly | CR as `&#13;` |
//! | [`escape_attr`] | a double-quoted XML attribute, exactly | `"`, CR, tab and LF as references |
//! | [`escape_markup`] | content *or* a double-quoted attribute, whitespace as is | `"` |
//! | [`escape_html`] | HTML content or an attribute in either quotes | `"`, `'` as `&#39;` |
//!
//! "Exactly" means the parser gives the string back: a raw CR in content
//! reads back as LF, and raw tabs and newlines in an attribute read back as
//! spaces (attribute-value normalisation), so those are written as
//! character references. The TEI export needs that for its round trip;
//! the collation's TEI fragment and the network graphs write one string
//! into content and attributes alike and keep whitespace as it is.

/// What a context escapes besides `&`, `<`, `>` and forbidden characters.
#[derive(Clone, Copy)]
struct Rules {
    /// `"` → `&quot;`.
    quot: bool,
    /// `'` → `&#39;`.
    apos: bool,
    /// CR → `&#13;`.
    cr: bool,
    /// Tab → `&#9;`, LF → `&#10;`.
    tab_lf: bool,
}

const TEXT: Rules = Rules {
    quot: false,
    apos: false,
    cr: true,
    tab_lf: false,
};
const ATTR: Rules = Rules {
    quot: true,
    apos: false,
    cr: true,
    tab_lf: true,
};
const MARKUP: Rules = Rules {
    quot: true,
    apos: false,
    cr: false,
    tab_lf: false,
};
const HTML: Rules = Rules {
    quot: true,
    apos: true,
    cr: false,
    tab_lf: false,
};

/// Is `c` allowed in an XML 1.0 document?
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

fn push(out: &mut String, s: &str, r: Rules) {
    let needs = |c: char| {
        matches!(c, '<' | '>' | '&')
            || (r.quot && c == '"')
            || (r.apos && c == '\'')
            || (r.cr && c == '\r')
            || (r.tab_lf && matches!(c, '\t' | '\n'))
            || !is_xml_char(c)
    };
    // Fast path: most runs need no escaping at all.
    if !s.chars().any(needs) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' if r.quot => out.push_str("&quot;"),
            '\'' if r.apos => out.push_str("&#39;"),
            '\r' if r.cr => out.push_str("&#13;"),
            '\t' if r.tab_lf => out.push_str("&#9;"),
            '\n' if r.tab_lf => out.push_str("&#10;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

fn escaped(s: &str, r: Rules) -> String {
    let mut out = String::with_capacity(s.len());
    push(&mut out, s, r);
    out
}

/// Appends `s` escaped for XML element content (see [`escape_text`]).
pub fn push_text(out: &mut String, s: &str) {
    push(out, s, TEXT)
}

/// Text for XML element content: `&`, `<`, `>` escaped, CR as `&#13;` (a
/// raw CR would read back as LF), forbidden characters as U+FFFD. Quotes
/// are left as they are.
pub fn escape_text(s: &str) -> String {
    escaped(s, TEXT)
}

/// Appends `s` escaped for a double-quoted XML attribute (see
/// [`escape_attr`]).
pub fn push_attr(out: &mut String, s: &str) {
    push(out, s, ATTR)
}

/// Text for a double-quoted XML attribute value that reads back exactly:
/// as [`escape_text`], and `"` as `&quot;`, tab and LF as references
/// (attribute-value normalisation would turn them into spaces).
pub fn escape_attr(s: &str) -> String {
    escaped(s, ATTR)
}

/// Appends `s` escaped for content or a double-quoted attribute (see
/// [`escape_markup`]).
pub fn push_markup(out: &mut String, s: &str) {
    push(out, s, MARKUP)
}

/// Text safe both as element content and inside a double-quoted attribute,
/// whitespace kept as it is: `&`, `<`, `>`, `"` escaped, forbidden
/// characters as U+FFFD. For writers that put one string in either place
/// (the collation's TEI fragment, the network graphs, search snippets).
pub fn escape_markup(s: &str) -> String {
    escaped(s, MARKUP)
}

/// Appends `s` escaped for HTML (see [`escape_html`]).
pub fn push_html(out: &mut String, s: &str) {
    push(out, s, HTML)
}

/// Text safe in HTML content and in attribute values quoted either way:
/// as [`escape_markup`], and `'` as `&#39;`.
pub fn escape_html(s: &str) -> String {
    escaped(s, HTML)
}

/// `s` with only the characters XML 1.0 forbids replaced by U+FFFD, no
/// markup escaped: for text that another writer escapes later but that
/// must already be what the document will hold (the witnesses handed to
/// the collator, so that its readings match the transcription).
pub fn xml_safe(s: &str) -> String {
    if s.chars().all(is_xml_char) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The TEI export's cases: text and attribute values.
    #[test]
    fn xml_text_and_attributes() {
        assert_eq!(
            escape_text("a<b>&\"c\"\u{1}\u{FFFE}\r"),
            "a&lt;b&gt;&amp;\"c\"\u{FFFD}\u{FFFD}&#13;"
        );
        assert_eq!(escape_attr("x\"y\tz\n"), "x&quot;y&#9;z&#10;");
        assert_eq!(escape_text("x\ty\nz'"), "x\ty\nz'");
        let mut s = String::from("<p>");
        push_text(&mut s, "plain text, nothing to do");
        assert_eq!(s, "<p>plain text, nothing to do");
        let evil = "</p><script>&amp; \u{1}\u{FFFF}]]> <!ENTITY x \"y\">";
        assert_eq!(
            escape_text(evil),
            "&lt;/p&gt;&lt;script&gt;&amp;amp; \u{FFFD}\u{FFFD}]]&gt; &lt;!ENTITY x \"y\"&gt;"
        );
    }

    /// The collation's TEI fragment: quotes escaped in content, apostrophes
    /// and whitespace as they are.
    #[test]
    fn markup_for_content_and_attributes_alike() {
        assert_eq!(
            escape_markup("R. & \"Or.\" <V.>"),
            "R. &amp; &quot;Or.&quot; &lt;V.&gt;"
        );
        assert_eq!(escape_markup("'\t\n\r"), "'\t\n\r");
        assert_eq!(escape_markup("MIA & co"), "MIA &amp; co");
        assert_eq!(escape_markup("a\u{1}b"), "a\u{FFFD}b");
    }

    /// The reading room's and the search snippets' cases.
    #[test]
    fn html() {
        assert_eq!(
            escape_html("<sup>1</sup> & \"x\""),
            "&lt;sup&gt;1&lt;/sup&gt; &amp; &quot;x&quot;"
        );
        assert_eq!(escape_html("Stalin's"), "Stalin&#39;s");
        assert_eq!(escape_markup("a <b> & the"), "a &lt;b&gt; &amp; the");
        assert_eq!(escape_html("\u{7}bell"), "\u{FFFD}bell");
    }

    #[test]
    fn only_forbidden_characters() {
        assert_eq!(xml_safe("a<b>&\r\u{0}\u{FFFE}"), "a<b>&\r\u{FFFD}\u{FFFD}");
        assert_eq!(xml_safe("tab\tand\nlines"), "tab\tand\nlines");
    }
}
