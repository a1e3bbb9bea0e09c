//! How documents read on a terminal and in JSON.
//!
//! The JSON shapes are `fond_web::contract`'s, shared with the API.

use crate::ingest::Summary;
use fond_model::{Block, BlockKind, Document, Inline};
use std::collections::BTreeMap;
use std::io::{self, Write};

fn ellipsize(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{t}…")
    }
}

/// The `fond list` table, from the rows the store reads without decoding
/// the documents.
pub fn list_table(docs: &[fond_store::ListRow], out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<44} {:<15} {:<24} {:<22} NOTES",
        "ID", "KIND", "DATE", "FROM → TO"
    )?;
    for d in docs {
        let date = d
            .date_editorial
            .clone()
            .or_else(|| d.date_written.clone())
            .unwrap_or_else(|| "undated".into());
        let parties = if d.senders.is_empty() && d.addressees.is_empty() {
            String::new()
        } else {
            format!("{} → {}", d.senders.join(", "), d.addressees.join(", "))
        };
        writeln!(
            out,
            "{:<44} {:<15} {:<24} {:<22} {}",
            clean_line(&ellipsize(&d.id, 44)),
            d.kind,
            clean_line(&ellipsize(&date, 24)),
            clean_line(&ellipsize(&parties, 22)),
            d.notes
        )?;
    }
    writeln!(out, "{} documents", docs.len())
}

/// Renders inline runs for a terminal: underlining as the edition's
/// conventions print it (single → _x_, double → __x__), calls as [n].
fn inline_text(inl: &[Inline]) -> String {
    let mut s = String::new();
    for i in inl {
        match i {
            Inline::Text { text } => s.push_str(text),
            Inline::Emph { level: 1, text } => {
                s.push('_');
                s.push_str(text);
                s.push('_');
            }
            Inline::Emph { text, .. } => {
                s.push_str("__");
                s.push_str(text);
                s.push_str("__");
            }
            Inline::Supplied { text } => {
                s.push('[');
                s.push_str(text);
                s.push(']');
            }
            Inline::NoteCall { n } => s.push_str(&format!("^{n}")),
            Inline::LineBreak => s.push('\n'),
            // The edition's reading, the print after it as the editions
            // of the field mark an emendation.
            Inline::Emended { sic, text, .. } => {
                s.push_str(text);
                s.push_str(" [sic: ");
                s.push_str(sic);
                s.push(']');
            }
        }
    }
    s
}

fn block_text(b: &Block) -> String {
    let t = inline_text(&b.inlines);
    match &b.kind {
        BlockKind::Comment { by } => format!(
            "    | [{}]\n    | {}",
            by.as_deref()
                .map(|w| format!("comment by {w}"))
                .unwrap_or_else(|| "comment".into()),
            t.replace('\n', "\n    | ")
        ),
        BlockKind::Signature | BlockKind::Closing | BlockKind::Dateline if b.line > 0 => {
            format!("{:>40}", t)
        }
        BlockKind::Heading => t.to_uppercase(),
        BlockKind::Addition => format!("  + {t}"),
        _ => t,
    }
}

pub fn show_text(d: &Document, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", d.title)?;
    writeln!(out, "{}", "=".repeat(d.title.chars().count().min(78)))?;
    writeln!(out, "id:          {}", d.id)?;
    writeln!(out, "kind:        {}", d.kind.as_str())?;
    if let Some(c) = &d.chapter {
        writeln!(out, "chapter:     {c}")?;
    }
    if let Some(e) = &d.date.editorial {
        writeln!(out, "editors:     [{e}]")?;
    }
    if let Some(w) = &d.date.written {
        writeln!(out, "dateline:    {w}")?;
    }
    if let Some(i) = &d.date.interval {
        let range = match (i.earliest, i.latest) {
            (Some(a), Some(b)) if a == b => a.iso(),
            (a, b) => format!(
                "{} – {}",
                a.map(|x| x.iso()).unwrap_or_else(|| "open".into()),
                b.map(|x| x.iso()).unwrap_or_else(|| "open".into())
            ),
        };
        writeln!(
            out,
            "date:        {} ({range}; EDTF {})",
            serde_plain(&i.precision),
            i.edtf
        )?;
    }
    if d.date.disagreement {
        writeln!(
            out,
            "             the author's date and the editors' disagree"
        )?;
    }
    if let Some(p) = &d.place {
        writeln!(out, "place:       {p}")?;
    }
    if !d.senders.is_empty() {
        writeln!(out, "from:        {}", d.senders.join(", "))?;
    }
    if !d.addressees.is_empty() {
        writeln!(out, "to:          {}", d.addressees.join(", "))?;
    }
    for w in &d.witnesses {
        writeln!(
            out,
            "witness:     {} lines {}–{} ({})",
            w.source, w.first_line, w.last_line, w.label
        )?;
    }
    if let Some(q) = &d.quoted_in {
        writeln!(out, "quoted in:   {q}")?;
    }
    if d.metadata_only {
        writeln!(
            out,
            "text:        not in this archive: known by its metadata only (CMIF)"
        )?;
    }
    if let Some(u) = &d.online {
        writeln!(out, "online:      {u}")?;
    }
    if !d.corrected.is_empty() {
        writeln!(
            out,
            "corrected:   {} (by the editors; `fond history {}`)",
            d.corrected.join(", "),
            d.id
        )?;
    }
    writeln!(out)?;
    for b in &d.body {
        writeln!(out, "{}", block_text(b))?;
        writeln!(out)?;
    }
    if !d.marginalia.is_empty() {
        writeln!(out, "Readers' marks")?;
        writeln!(out, "--------------")?;
        for m in &d.marginalia {
            let place = m
                .place
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default();
            writeln!(out, "{}{place}: \"{}\" (note {})", m.by, m.text, m.note)?;
        }
        writeln!(out)?;
    }
    if !d.notes.is_empty() {
        writeln!(out, "Notes")?;
        writeln!(out, "-----")?;
        for n in &d.notes {
            let by = n.by.label();
            writeln!(out, "{}. {}", n.n, n.text.replace("\n\n", "\n\n   "))?;
            let mut tail = vec![format!("by {by}")];
            if !n.archival_refs.is_empty() {
                tail.push(format!(
                    "refs: {}",
                    n.archival_refs
                        .iter()
                        .map(|r| r.normalized())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            if n.special_file {
                tail.push("Special File".into());
            }
            if n.call == fond_model::CallForm::Lost {
                tail.push("call lost".into());
            }
            writeln!(out, "   ({})", tail.join(" · "))?;
        }
    }
    Ok(())
}

fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The findings by kind, each with its key (what `fond review` takes) and,
/// when reviewed, the decision.
pub fn check_text(items: &[&fond_store::QueueItem], out: &mut impl Write) -> io::Result<()> {
    let mut by_kind: BTreeMap<&str, Vec<&fond_store::QueueItem>> = BTreeMap::new();
    for i in items {
        by_kind.entry(i.finding.kind.as_str()).or_default().push(i);
    }
    for (k, is) in &by_kind {
        writeln!(out, "{k} ({})", is.len())?;
        for i in is {
            let f = &i.finding;
            let doc = f
                .document
                .as_deref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {}:{}{} {}",
                i.key, f.source, f.line, doc, f.message
            )?;
            if let Some(r) = &i.review {
                let why = if r.why.is_empty() {
                    String::new()
                } else {
                    format!(": {}", r.why)
                };
                writeln!(
                    out,
                    "      {} by {} at {}{why}",
                    r.decision.as_str(),
                    r.who,
                    r.at
                )?;
            }
        }
    }
    Ok(())
}

pub fn summary_text(s: &Summary, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "archive: {} ({})",
        clean_line(&s.archive),
        if s.changed {
            "updated"
        } else {
            "unchanged: same sources"
        }
    )?;
    for src in &s.sources {
        writeln!(out, "  source  {}", clean_line(src))?;
    }
    for sk in &s.skipped {
        writeln!(out, "  skipped {}", clean_line(sk))?;
    }
    let docs: usize = s.documents.values().sum();
    let kinds: Vec<String> = s
        .documents
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    writeln!(out, "documents: {docs} ({})", kinds.join(", "))?;
    writeln!(
        out,
        "notes: {} · archival references: {} · witnesses: {} ({} documents with more than one)",
        s.notes, s.archival_refs, s.witnesses, s.multi_witness_documents
    )?;
    if let Some((entities, mentions)) = s.linked {
        writeln!(
            out,
            "linked: {mentions} mentions of {entities} people, bodies and periodicals"
        )?;
    }
    if let Some(ix) = &s.indexed {
        write!(out, "search index: ")?;
        ix.print(out)?;
    }
    if let Some(c) = &s.corrections {
        let total: usize = c.values().sum();
        let parts: Vec<String> = c.iter().map(|(k, n)| format!("{n} {k}")).collect();
        writeln!(out, "corrections: {total} ({})", parts.join(", "))?;
    }
    writeln!(
        out,
        "check: {} findings (`fond check` lists them)",
        s.findings
    )?;
    if !s.failed.is_empty() {
        writeln!(
            out,
            "failed: {} source(s) (see messages above)",
            s.failed.len()
        )?;
    }
    if !s.warnings.is_empty() {
        writeln!(out, "warnings: {} (see messages above)", s.warnings.len())?;
    }
    writeln!(out, "time: {:.2} s", s.seconds)
}

/// Text for a terminal: control characters (C0 but tab and newline, DEL,
/// C1, and the bidirectional overrides) escaped as `\u{..}`, so that a
/// file name or a line of a source cannot move the cursor, retitle the
/// window or hide what follows it.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    fn bad(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`clean`] for a single line of a table: newlines and tabs escaped too.
pub fn clean_line(s: &str) -> String {
    clean(s).replace('\n', "\\n").replace('\t', "\\t")
}

/// Standard output with [`clean`] applied to everything written through
/// it: every table, document and message a command prints goes through
/// one place, so no renderer can forget. JSON is unaffected (serde already
/// escapes control characters in strings). A UTF-8 sequence split between
/// two writes is held back until it is whole.
pub struct CleanWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> CleanWriter<W> {
    pub fn new(inner: W) -> Self {
        CleanWriter {
            inner,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, text: &str) -> io::Result<()> {
        self.inner.write_all(clean(text).as_bytes())
    }
}

impl<W: Write> Write for CleanWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut start = 0;
        loop {
            match std::str::from_utf8(&self.pending[start..]) {
                Ok(text) => {
                    let text = text.to_string();
                    self.emit(&text)?;
                    self.pending.clear();
                    break;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    let text =
                        String::from_utf8_lossy(&self.pending[start..start + valid]).into_owned();
                    self.emit(&text)?;
                    match e.error_len() {
                        // Bytes that are not UTF-8 at all: shown as such.
                        Some(bad) => {
                            self.inner.write_all("\u{fffd}".as_bytes())?;
                            start += valid + bad;
                        }
                        // An incomplete sequence at the end: wait for the rest.
                        None => {
                            self.pending.drain(..start + valid);
                            break;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod clean_tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("plain Бухарин"), "plain Бухарин");
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean("x\u{7}\u{9b}y"), "x\\u{7}\\u{9b}y");
        assert_eq!(clean("rtl\u{202e}txt"), "rtl\\u{202e}txt");
        assert_eq!(clean("two\nlines"), "two\nlines");
        assert_eq!(clean_line("two\nlines\tx"), "two\\nlines\\tx");
    }

    #[test]
    fn the_writer_cleans_across_split_writes() {
        let mut w = CleanWriter::new(Vec::new());
        let bytes = "a\u{1b}]0;x\u{7}é\u{9b}z\n".as_bytes();
        for b in bytes {
            w.write_all(std::slice::from_ref(b)).expect("write");
        }
        let out = String::from_utf8(w.inner).expect("utf-8");
        assert_eq!(out, "a\\u{1b}]0;x\\u{7}é\\u{9b}z\n");
    }
}
