//! A small XML writer: escaping, well-formedness by construction, and
//! indentation only where it cannot change the text.
//!
//! TEI mixes element-only content (the header, the divisions of a body)
//! with mixed content (a paragraph's runs). Whitespace added inside mixed
//! content would become part of the text, so the writer indents only
//! before elements opened with [`XmlWriter::block`], which callers use for
//! element-only contexts; everything opened with [`XmlWriter::open`] is
//! written inline.
//!
//! Text is never trusted to be XML: characters XML 1.0 forbids (C0 controls
//! other than tab, newline and carriage return; U+FFFE, U+FFFF) become
//! U+FFFD, so a stray control character in a transcription cannot make a
//! file that no parser will read. Carriage returns are written as
//! character references because a parser would otherwise normalise them
//! away.

/// An attribute list: pairs of name and value, written in order.
pub(crate) type Attrs<'a> = &'a [(&'a str, &'a str)];

/// Builds an XML document into a `String`.
#[derive(Debug, Default)]
pub(crate) struct XmlWriter {
    out: String,
    /// Open elements, innermost last.
    stack: Vec<Open>,
}

#[derive(Debug)]
struct Open {
    name: &'static str,
    /// Opened with `block`: its end tag may go on a line of its own.
    block: bool,
    /// A child was written on a line of its own, so the end tag is too.
    has_block_child: bool,
}

impl XmlWriter {
    pub(crate) fn new() -> XmlWriter {
        let mut w = XmlWriter::default();
        w.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w
    }

    /// Pre-sizes the buffer (an export writes many files of similar size).
    pub(crate) fn with_capacity(bytes: usize) -> XmlWriter {
        let mut w = XmlWriter::new();
        w.out.reserve(bytes);
        w
    }

    /// Starts a new line indented to the current depth, and tells the
    /// parent that it holds a child on its own line.
    fn newline(&mut self) {
        if let Some(parent) = self.stack.last_mut() {
            parent.has_block_child = true;
            self.out.push('\n');
            for _ in 0..self.stack.len() {
                self.out.push_str("  ");
            }
        }
    }

    fn start_tag(&mut self, name: &str, attrs: Attrs<'_>, empty: bool) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            fond_text::push_attr(&mut self.out, v);
            self.out.push('"');
        }
        self.out.push_str(if empty { "/>" } else { ">" });
    }

    fn end_tag(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Opens an element on a new, indented line. Use only where the parent
    /// has element-only content.
    pub(crate) fn block(&mut self, name: &'static str, attrs: Attrs<'_>) {
        self.newline();
        self.start_tag(name, attrs, false);
        self.stack.push(Open {
            name,
            block: true,
            has_block_child: false,
        });
    }

    /// Opens an element inline (mixed content).
    pub(crate) fn open(&mut self, name: &'static str, attrs: Attrs<'_>) {
        self.start_tag(name, attrs, false);
        self.stack.push(Open {
            name,
            block: false,
            has_block_child: false,
        });
    }

    /// Closes the innermost open element.
    pub(crate) fn close(&mut self) {
        let Some(open) = self.stack.pop() else {
            // Unbalanced close: a bug in the caller, but never a reason to
            // write malformed XML.
            debug_assert!(false, "close without open");
            return;
        };
        if open.block && open.has_block_child {
            self.out.push('\n');
            for _ in 0..self.stack.len() {
                self.out.push_str("  ");
            }
        }
        self.end_tag(open.name);
    }

    /// Writes an empty element inline.
    pub(crate) fn empty(&mut self, name: &str, attrs: Attrs<'_>) {
        self.start_tag(name, attrs, true);
    }

    /// Writes an empty element on its own line.
    pub(crate) fn empty_block(&mut self, name: &str, attrs: Attrs<'_>) {
        self.newline();
        self.start_tag(name, attrs, true);
    }

    /// Writes a fragment that is already XML (the collator's parallel
    /// segmentation, built with its own escaping). Inline, like text.
    pub(crate) fn raw(&mut self, xml: &str) {
        self.out.push_str(xml);
    }

    /// Writes a fragment that is already XML on a line of its own (an
    /// element copied verbatim from a file the archive holds).
    pub(crate) fn raw_block(&mut self, xml: &str) {
        self.newline();
        self.out.push_str(xml);
    }

    /// Writes escaped text.
    pub(crate) fn text(&mut self, s: &str) {
        fond_text::push_text(&mut self.out, s);
    }

    /// Writes `<name attrs>text</name>` on its own line.
    pub(crate) fn leaf(&mut self, name: &'static str, attrs: Attrs<'_>, text: &str) {
        self.newline();
        self.inline_leaf(name, attrs, text);
    }

    /// Writes `<name attrs>text</name>` inline.
    pub(crate) fn inline_leaf(&mut self, name: &'static str, attrs: Attrs<'_>, text: &str) {
        self.start_tag(name, attrs, false);
        self.text(text);
        self.end_tag(name);
    }

    /// Closes elements until `depth` are open.
    pub(crate) fn close_to(&mut self, depth: usize) {
        while self.stack.len() > depth {
            self.close();
        }
    }

    /// Closes everything and returns the document.
    pub(crate) fn finish(mut self) -> String {
        self.close_to(0);
        self.out.push('\n');
        self.out
    }
}

/// Makes a valid `xml:id` (an NCName) from an id of fond: characters an
/// NCName allows are kept, anything else (`/`, `:`, spaces) becomes `-`,
/// and an id that cannot start an NCName gets the prefix `id-`.
/// Deterministic, so the same id always points at the same element.
pub(crate) fn ncname(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    for c in s.chars() {
        out.push(if is_name_char(c) { c } else { '-' });
    }
    match out.chars().next() {
        Some(c) if is_name_start_char(c) => out,
        _ => format!("id-{out}"),
    }
}

/// XML 1.0 (5th ed.) NameStartChar, without `:` (NCName).
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 NameChar, without `:`.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_blocks_but_never_mixed_content() {
        let mut w = XmlWriter::new();
        w.block("TEI", &[]);
        w.block("p", &[("n", "1")]);
        w.text("one ");
        w.open("hi", &[("rend", "underline")]);
        w.text("two");
        w.close();
        w.close();
        w.block("list", &[]);
        w.block("item", &[]);
        w.text("x");
        w.close();
        w.close();
        let out = w.finish();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI>\n  <p n=\"1\">one <hi rend=\"underline\">two</hi></p>\n  <list>\n    <item>x</item>\n  </list>\n</TEI>\n"
        );
    }

    #[test]
    fn ids_become_ncnames() {
        assert_eq!(ncname("letters-to-molotov/57"), "letters-to-molotov-57");
        assert_eq!(ncname("1925-letter"), "id-1925-letter");
        assert_eq!(ncname("Бухарин"), "Бухарин");
        assert_eq!(ncname(""), "id-");
    }
}
